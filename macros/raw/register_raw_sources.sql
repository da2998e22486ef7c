{#-
    Makes every raw source readable as an all-text relation `<raw_schema>.<table>` before the run
    starts. The list of sources and their expected columns comes from the sources YAML (tables whose
    meta has `raw_file`), so the contract is written down once.
-#}
{% macro register_raw_sources() %}
    {{ return(adapter.dispatch('register_raw_sources', 'lead_scoring')()) }}
{% endmacro %}


{#- The raw sources declared in YAML: a list of {name, file, columns}. -#}
{% macro raw_source_specs() %}
    {%- set specs = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='name') -%}
        {%- if node.meta.get('raw_file') -%}
            {%- do specs.append({
                'name': node.identifier,
                'file': node.meta['raw_file'],
                'columns': node.columns.keys() | list,
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(specs) }}
{% endmacro %}


{% macro raw_file_missing_message(spec, raw_path) %}
    {{ return(
        "Raw source '" ~ spec.name ~ "' not found: expected " ~ raw_path ~ "/" ~ spec.file ~ ".csv (CSV with a header row) or "
        ~ raw_path ~ "/" ~ spec.file ~ "/*.parquet, with the columns: " ~ spec.columns | join(', ')
        ~ ". Set the dbt var raw_data_path to the folder that holds the raw files (run `make data` to generate sample data)."
    ) }}
{% endmacro %}


{% macro duckdb__register_raw_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_path = var('raw_data_path') | string -%}
    {%- set raw_schema = var('raw_schema') -%}
    {%- do run_query('create schema if not exists ' ~ adapter.quote(raw_schema)) -%}
    {%- for spec in raw_source_specs() -%}
        {%- set csv_path = raw_path ~ '/' ~ spec.file ~ '.csv' -%}
        {%- set parquet_glob = raw_path ~ '/' ~ spec.file ~ '/*.parquet' -%}
        {%- set found = run_query(
            "select (select count(*) from glob('" ~ csv_path ~ "')) as csv_files, "
            ~ "(select count(*) from glob('" ~ parquet_glob ~ "')) as parquet_files"
        ) -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {%- set reader = "read_csv('" ~ csv_path ~ "', header = true, all_varchar = true, auto_detect = true, null_padding = true)" -%}
        {%- elif found.columns[1].values()[0] > 0 -%}
            {%- set reader = "read_parquet('" ~ parquet_glob ~ "', union_by_name = true)" -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(raw_file_missing_message(spec, raw_path)) -%}
        {%- endif -%}
        {%- set present = run_query('describe select * from ' ~ reader).columns[0].values() | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for column in spec.columns if column | lower not in present -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- do exceptions.raise_compiler_error(
                "Raw source '" ~ spec.name ~ "' (" ~ reader ~ ") is missing the columns: " ~ missing | join(', ')
                ~ ". Expected columns: " ~ spec.columns | join(', ') ~ ". Found: " ~ present | join(', ')
            ) -%}
        {%- endif -%}
        {%- set select_list = [] -%}
        {%- for column in spec.columns -%}
            {%- do select_list.append('cast(' ~ adapter.quote(column) ~ ' as varchar) as ' ~ adapter.quote(column)) -%}
        {%- endfor -%}
        {%- do run_query(
            'create or replace view ' ~ adapter.quote(raw_schema) ~ '.' ~ adapter.quote(spec.name)
            ~ ' as select ' ~ select_list | join(', ') ~ ' from ' ~ reader
        ) -%}
    {%- endfor -%}
{% endmacro %}
