{#- The relation a connector's source table points to in the warehouse: from the source's node in the
    graph (database, schema and identifier as the sources YAML renders them) when dbt has a graph; in
    a unit test, where the graph is empty and source() names the fixture's CTE, from the connectors'
    convention the sources YAML follows (database var <connector>_database or the target's, none on
    Spark; schema var <connector>_schema or the connector's name; the table's name). Models look up
    optional columns (adapter.get_columns_in_relation) and optional tables (adapter.get_relation) on
    it, so the look-ups answer the same in a build and in its unit tests. Call it only when
    `execute` is true. -#}
{% macro warehouse_source_relation(source_name, table_name) %}
    {%- for node in (graph.get('sources') or {}).values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(api.Relation.create(
        database=none if target.type == 'spark' else (var(source_name ~ '_database', none) or target.database),
        schema=var(source_name ~ '_schema', source_name),
        identifier=table_name,
    )) }}
{% endmacro %}
