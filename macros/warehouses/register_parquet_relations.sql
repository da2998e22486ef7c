{#-
    Creates a table over every Parquet folder `<path>/<schema>.<table>/` (the layout
    `lead-scoring load --target spark --from-duckdb FILE --parquet-dir DIR` writes, and
    export_relations reads back): `<schema>.<table>` using parquet, read in place, replaced if it
    exists (external: dropping one leaves its files). For Spark, whose local session admits one
    process at a time (Derby metastore): `make test-warehouses` runs it as its own step before the
    connector build,

        dbt run-operation register_parquet_relations --target spark --args '{path: DIR}'

    Returns nothing; logs the relations created.
-#}
{% macro register_parquet_relations(path) %}
    {{ return(adapter.dispatch('register_parquet_relations', 'lead_scoring')(path)) }}
{% endmacro %}

{% macro default__register_parquet_relations(path) %}
    {%- do exceptions.raise_compiler_error(
        "register_parquet_relations is for targets that read Parquet in place (spark), not " ~ target.type
    ) -%}
{% endmacro %}

{% macro spark__register_parquet_relations(path) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set folder = spark_absolute_path(path | string) -%}
    {%- set names = [] -%}
    {%- for file in spark_list_files(folder) if file.endswith('.parquet') -%}
        {%- set name = file[folder | length + 1:].split('/')[0] -%}
        {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*[.][A-Za-z_][A-Za-z0-9_]*', name) -%}
            {%- do exceptions.raise_compiler_error(
                "register_parquet_relations: " ~ folder ~ "/" ~ name ~ " is not a <schema>.<table> folder"
            ) -%}
        {%- endif -%}
        {%- if name not in names -%}{%- do names.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {%- if not names -%}
        {%- do exceptions.raise_compiler_error("register_parquet_relations: no Parquet files under " ~ folder) -%}
    {%- endif -%}
    {%- for name in names | sort -%}
        {%- do run_query('create schema if not exists ' ~ name.split('.')[0]) -%}
        {%- do run_query('drop table if exists ' ~ name) -%}
        {%- do run_query(
            'create table ' ~ name ~ " using parquet location '" ~ spark_escape_string(folder ~ '/' ~ name) ~ "'"
        ) -%}
    {%- endfor -%}
    {{ log("Registered " ~ names | length ~ " Parquet tables from " ~ folder ~ ": " ~ names | sort | join(', '), info=true) }}
{% endmacro %}
