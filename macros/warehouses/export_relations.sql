{#-
    Writes the built relations of a warehouse out as Parquet files, so that a test can read them
    without the warehouse's own client. Used for Spark (a local session keeps its tables in a Derby
    metastore that only one process may open): `make test-warehouses` runs, right after the Spark
    build and with the same profile,

        dbt run-operation export_relations --target spark --args '{path: DIR}'

    and python/tests/test_warehouses.py reads DIR with DuckDB. Arguments:
      path           folder to write into (relative to where dbt runs); each relation's folder is replaced
      schemas        every model built in these schemas is written in full, as
                     DIR/<schema>.<model>/part-*.parquet (default: marts and reports)
      count_schemas  for the models of these schemas only the row count is written, all of them
                     in DIR/row_counts/ (columns relation_name, row_count; default: staging)
      relations      more relations to write in full, as '<schema>.<name>' (e.g. the raw views)
-#}
{% macro export_relations(path, schemas=['marts', 'reports'], count_schemas=['staging'], relations=[]) %}
    {{ return(adapter.dispatch('export_relations', 'lead_scoring')(path, schemas, count_schemas, relations)) }}
{% endmacro %}

{% macro default__export_relations(path, schemas, count_schemas, relations) %}
    {%- do exceptions.raise_compiler_error(
        "export_relations is for targets whose tables a test cannot read directly (spark); "
        ~ target.type ~ " is read with its own client"
    ) -%}
{% endmacro %}


{#- The built models (not ephemeral) of the given schemas, as relations, sorted by name. -#}
{% macro export_relations_models(schemas) %}
    {%- set relations = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
        if node.resource_type == 'model' and node.schema in schemas
        and node.config.materialized != 'ephemeral' and node.config.get('enabled', true) -%}
        {%- do relations.append(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) -%}
    {%- endfor -%}
    {{ return(relations) }}
{% endmacro %}


{% macro spark__export_relations(path, schemas, count_schemas, relations) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set folder = spark_absolute_path(path | string) -%}
    {%- set written = [] -%}
    {%- set exported = export_relations_models(schemas) -%}
    {%- for name in relations -%}
        {%- do exported.append(api.Relation.create(schema=name.split('.')[0], identifier=name.split('.')[1])) -%}
    {%- endfor -%}
    {%- for relation in exported -%}
        {%- set name = relation.schema ~ '.' ~ relation.identifier -%}
        {%- do run_query(
            "insert overwrite directory '" ~ spark_escape_string(folder ~ '/' ~ name)
            ~ "' using parquet select * from " ~ relation
        ) -%}
        {%- do written.append(name) -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for relation in export_relations_models(count_schemas) -%}
        {%- do counts.append(
            "select '" ~ relation.schema ~ '.' ~ relation.identifier ~ "' as relation_name, count(*) as row_count from " ~ relation
        ) -%}
    {%- endfor -%}
    {%- if counts -%}
        {%- do run_query(
            "insert overwrite directory '" ~ spark_escape_string(folder ~ '/row_counts')
            ~ "' using parquet " ~ counts | join(' union all ')
        ) -%}
    {%- endif -%}
    {{ log("Exported " ~ written | length ~ " relations (" ~ written | join(', ') ~ ") and the row counts of "
        ~ counts | length ~ " to " ~ folder, info=true) }}
{% endmacro %}
