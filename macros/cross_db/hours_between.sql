{#- Hours from timestamp `start_at` to timestamp `end_at`, as a double with the fraction (negative
    when end_at is earlier). dbt.datediff(..., 'hour') counts hour boundaries on some warehouses
    and rounds up on Spark, so SLA times are measured in seconds here. -#}
{% macro hours_between(start_at, end_at) %}
    {{ return(adapter.dispatch('hours_between', 'lead_scoring')(start_at, end_at)) }}
{% endmacro %}

{% macro default__hours_between(start_at, end_at) -%}
    cast(extract(epoch from ({{ end_at }} - {{ start_at }})) as {{ type_double() }}) / 3600
{%- endmacro %}

{% macro duckdb__hours_between(start_at, end_at) -%}
    cast(epoch({{ end_at }}) - epoch({{ start_at }}) as {{ type_double() }}) / 3600
{%- endmacro %}

{% macro spark__hours_between(start_at, end_at) -%}
    cast(unix_timestamp({{ end_at }}) - unix_timestamp({{ start_at }}) as {{ type_double() }}) / 3600
{%- endmacro %}
