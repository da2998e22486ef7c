{#- Any one value of `expression` in the group (all values are known to be equal). -#}
{% macro any_value(expression) %}
    {{ return(adapter.dispatch('any_value', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__any_value(expression) -%}
    min({{ expression }})
{%- endmacro %}

{% macro duckdb__any_value(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{#- PostgreSQL 15 has no any_value, and min() refuses booleans. -#}
{% macro postgres__any_value(expression) -%}
    (array_agg({{ expression }}))[1]
{%- endmacro %}
