{#- Points rounded to 2 decimals as an exact decimal (round() of a double is not portable, and
    exact decimals make component sums add up to the cent). -#}
{% macro round_points(expression) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), 2) as decimal(18, 2))
{%- endmacro %}
