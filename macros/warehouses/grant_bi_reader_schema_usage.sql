{#- on-run-end: USAGE on the schemas of the models with a `select` grant (the read-only BI role,
    PostgreSQL only: create_bi_reader_roles.sql says why). -#}
{% macro grant_bi_reader_schema_usage() %}
    {{ return(adapter.dispatch('grant_bi_reader_schema_usage', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__grant_bi_reader_schema_usage() %}
    {{ return('') }}
{% endmacro %}

{% macro postgres__grant_bi_reader_schema_usage() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set existing = run_query(
        "select nspname from pg_catalog.pg_namespace"
    ).columns[0].values() -%}
    {%- for role, schemas in bi_reader_grant_targets().items() -%}
        {#- A schema is missing when the run stopped before creating it: nothing to grant there yet. -#}
        {%- set present = [] -%}
        {%- for schema in schemas if schema in existing -%}
            {%- do present.append(adapter.quote(schema)) -%}
        {%- endfor -%}
        {%- if present -%}
            {%- do run_query('grant usage on schema ' ~ present | join(', ') ~ ' to ' ~ adapter.quote(role)) -%}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
