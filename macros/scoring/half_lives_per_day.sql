{#- How many half-lives one day of decay is for a signal: 1 / half_life_days, and 0 for a signal
    without a half-life (disqualifier events do not decay). `half_life_days` is a column expression. -#}
{% macro half_lives_per_day(half_life_days) -%}
    coalesce(1 / cast({{ half_life_days }} as {{ type_double() }}), 0)
{%- endmacro %}
