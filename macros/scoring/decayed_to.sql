{#- `amount` (points or units as of `from_date`) decayed to `to_date`: amount * 0.5 ^ (days / half-life).
    Decay is memoryless, so this one expression rolls a kept state forward, folds a day's units into a
    state and reads a state at a later date. All arguments are column expressions. -#}
{% macro decayed_to(amount, from_date, to_date, half_life_days) -%}
    {{ amount }} * power(
        0.5,
        {{ dbt.datediff(from_date, to_date, 'day') }}
        * {{ half_lives_per_day(half_life_days) }}
    )
{%- endmacro %}
