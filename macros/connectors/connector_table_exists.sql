{#- Whether a connector's (optional) source table exists in the warehouse (false while dbt parses). -#}
{% macro connector_table_exists(source_name, table_name) %}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set relation = warehouse_source_relation(source_name, table_name) -%}
    {{ return(adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) is not none) }}
{% endmacro %}
