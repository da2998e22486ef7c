{#- The time this run started, as a timestamp: rows staged by this run carry it (loaded_at), so the
    next model knows which rows are new. -#}
{% macro run_started_at_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
