{#- Whether the run scores a date on or before its anchor date, as an SQL boolean expression. -#}
{% macro run_reads_before_anchor(scoring_dates) -%}
    exists (
        select 1 from {{ scoring_dates }} as early_dates
        where early_dates.as_of_date <= {{ anchor_date_of_run(scoring_dates) }}
    )
{%- endmacro %}
