{#- The lower-case column names of a connector's source table in the warehouse (empty while dbt
    parses, or when the table does not exist): how an adapter finds out whether an optional column
    is there when it compiles. -#}
{% macro connector_table_columns(source_name, table_name) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = warehouse_source_relation(source_name, table_name) -%}
    {{ return(adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list) }}
{% endmacro %}
