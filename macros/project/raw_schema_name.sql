{#- The schema of the raw relations. dbt registers them itself on DuckDB and Spark (on-run-start),
    so a development build registers its own, `<target.schema>_<raw_schema>`, and never replaces
    production's; on PostgreSQL the loader fills var raw_schema and every build only reads it. -#}
{% macro raw_schema_name() -%}
    {%- if is_production_build() or target.type == 'postgres' -%}
        {{ return(var('raw_schema')) }}
    {%- else -%}
        {{ return(target.schema ~ '_' ~ var('raw_schema')) }}
    {%- endif -%}
{%- endmacro %}
