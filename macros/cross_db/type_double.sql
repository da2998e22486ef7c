{#- An 8-byte floating point type. (dbt.type_float() is `float`, which DuckDB reads as 4 bytes.) -#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}
