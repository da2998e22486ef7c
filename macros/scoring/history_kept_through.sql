{#- The last day of the history this run keeps as it is (YYYY-MM-DD): the days after it are scored
    again anyway (the last history_recompute_days days the history has), the days up to it only for
    the leads whose inputs up to it changed. Counted back from the history's last day, or from the
    live date on a first build. `bounds`: score_history_bounds() when the caller has read them. -#}
{% macro history_kept_through(bounds=none) %}
    {%- set bounds = bounds if bounds is not none else score_history_bounds() -%}
    {%- set last = bounds.last if bounds.last is not none else score_as_of_iso() -%}
    {{ return(shift_iso_date(last, -(var('history_recompute_days') | int))) }}
{% endmacro %}
