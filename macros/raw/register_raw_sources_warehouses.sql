{#-
    register_raw_sources() on Spark and PostgreSQL (the dispatcher, the DuckDB version, the list
    of raw sources, raw_source_specs(), and strict_csv_source() are in register_raw_sources.sql).

    Spark (method: session): a CSV file is read with the strict reader (macros/raw/strict_csv.sql,
    the same query as on DuckDB) from a temporary view of its lines (`using text`, split at LF
    only), into the table `<raw_schema>.<table>__records` (Parquet, rewritten by every run), and
    `<raw_schema>.<table>` is a view of its data rows with the contract's columns, raw_line_number
    and raw_read_error. A Parquet folder becomes an external table `<raw_schema>.<table>__file`
    (read in place) and `<raw_schema>.<table>` a view over it that casts every expected column to
    string. Spark resolves a relative `path` option against the database folder, not the working
    directory, so relative raw_data_path values are made absolute with the driver JVM's working
    directory (the folder dbt runs in).

    PostgreSQL cannot read files from the client machine, so the raw tables are loaded beforehand by
    `python -m lead_scoring.load --target postgres` (python/lead_scoring/load.py); here we only check
    that they are there with the expected columns.
-#}

{% macro spark__register_raw_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_schema = raw_schema_name() -%}
    {%- set raw_path = spark_absolute_path(var('raw_data_path') | string) -%}
    {%- set specs = raw_source_specs() -%}
    {%- if specs | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- do run_query('create schema if not exists ' ~ raw_schema) -%}
    {%- set files = spark_list_files(raw_path) -%}
    {%- set split_bytes = var('spark_raw_csv_split_bytes', none) -%}
    {%- if split_bytes is not none -%}
        {%- do run_query('set spark.sql.files.maxPartitionBytes = ' ~ (split_bytes | int)) -%}
        {%- do run_query('set spark.sql.files.openCostInBytes = 0') -%}
    {%- endif -%}
    {%- for spec in specs -%}
        {%- set csv_path = raw_path ~ '/' ~ spec.file ~ '.csv' -%}
        {%- set parquet_dir = raw_path ~ '/' ~ spec.file -%}
        {%- set parquet_files = [] -%}
        {%- for file in files if file.startswith(parquet_dir ~ '/') and file.endswith('.parquet') -%}
            {%- do parquet_files.append(file) -%}
        {%- endfor -%}
        {%- set file_table = raw_schema ~ '.' ~ spec.name ~ '__file' -%}
        {#- External tables: dropping one leaves its files alone. -#}
        {%- do run_query('drop table if exists ' ~ file_table) -%}
        {%- if csv_path in files -%}
            {#- The text source keeps each line's bytes undecoded; lineSep: a lone CR is not a line break. -#}
            {%- set lines_view = 'lead_scoring__raw_lines_' ~ spec.name -%}
            {%- do run_query(
                'create or replace temporary view ' ~ lines_view ~ " using text options (path '"
                ~ spark_escape_string(csv_path) ~ "', lineSep '\\n')"
            ) -%}
            {%- set source_sql = "select *, '" ~ spark_escape_string(csv_path) ~ "' as raw_file_path from ("
                ~ strict_csv_source(spec, csv_path, raw_schema, lines_view) ~ ') as strict_rows' -%}
        {%- elif parquet_files -%}
            {%- do run_query('drop table if exists ' ~ raw_schema ~ '.' ~ spec.name ~ '__records') -%}
            {%- do run_query(
                'create table ' ~ file_table ~ " using parquet options (path '" ~ spark_escape_string(parquet_dir)
                ~ "', pathGlobFilter '*.parquet')"
            ) -%}
            {%- set present = [] -%}
            {%- set describe = namespace(done=false) -%}
            {%- for row in run_query('describe table ' ~ file_table) -%}
                {#- describe lists the columns, then a blank line and partition/detail sections. -#}
                {%- if row[0] is none or row[0] == '' or row[0].startswith('#') -%}
                    {%- set describe.done = true -%}
                {%- elif not describe.done -%}
                    {%- do present.append(row[0] | lower) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do raw_check_columns(spec, parquet_dir ~ '/*.parquet', present) -%}
            {%- set select_list = [] -%}
            {%- for column in spec.columns -%}
                {%- do select_list.append('cast(`' ~ column ~ '` as string) as `' ~ column ~ '`') -%}
            {%- endfor -%}
            {#- Parquet has no lines and no dialect: every row is read as it is. -#}
            {%- do select_list.append('cast(null as int) as raw_line_number') -%}
            {%- do select_list.append('cast(null as string) as raw_read_error') -%}
            {#- the file each row came from, as DuckDB names it (the path without the file: scheme) -#}
            {%- do select_list.append("regexp_replace(input_file_name(), '^file:', '') as raw_file_path") -%}
            {%- set source_sql = 'select ' ~ select_list | join(', ') ~ ' from ' ~ file_table -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(raw_file_missing_message(spec, raw_path)) -%}
        {%- endif -%}
        {%- set existing = adapter.get_relation(database=none, schema=raw_schema, identifier=spec.name) -%}
        {%- if existing is not none and not existing.is_view -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {%- do run_query('create or replace view ' ~ raw_schema ~ '.' ~ spec.name ~ ' as ' ~ source_sql) -%}
    {%- endfor -%}
    {%- if split_bytes is not none -%}
        {%- do run_query('reset spark.sql.files.maxPartitionBytes') -%}
        {%- do run_query('reset spark.sql.files.openCostInBytes') -%}
    {%- endif -%}
{% endmacro %}


{#- `path` made absolute against the Spark driver's working directory (where dbt was started). -#}
{% macro spark_absolute_path(path) %}
    {%- set path = path.rstrip('/') -%}
    {%- if path.startswith('/') or ':/' in path -%}{{ return(path) }}{%- endif -%}
    {%- set cwd = run_query("select reflect('java.lang.System', 'getProperty', 'user.dir')").columns[0].values()[0] -%}
    {%- if path in ('', '.') -%}{{ return(cwd) }}{%- endif -%}
    {%- if path.startswith('./') -%}{%- set path = path[2:] -%}{%- endif -%}
    {{ return(cwd.rstrip('/') ~ '/' ~ path) }}
{% endmacro %}


{#- Every file under `folder` (recursively), as absolute paths without the `file:` scheme. Spark SQL
    has no "file exists" function; the binaryFile source lists files and reads no content when only
    `path` is selected. A missing folder fails with Spark's PATH_NOT_FOUND error naming it. -#}
{% macro spark_list_files(folder) %}
    {%- do run_query(
        "create or replace temporary view lead_scoring__raw_files using binaryFile options (path '"
        ~ spark_escape_string(folder) ~ "', recursiveFileLookup 'true')"
    ) -%}
    {%- set files = [] -%}
    {%- for path in run_query('select path from lead_scoring__raw_files').columns[0].values() -%}
        {%- set path = path[5:] if path.startswith('file:') else path -%}
        {%- do files.append('/' ~ path.lstrip('/')) -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}


{#- A value for a Spark SQL string literal: Spark reads backslash escapes inside quotes. -#}
{% macro spark_escape_string(value) %}
    {{ return(value | replace('\\', '\\\\') | replace("'", "\\'")) }}
{% endmacro %}


{% macro postgres__register_raw_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_schema = var('raw_schema') -%}
    {%- set specs = raw_source_specs() -%}
    {%- if specs | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set found = {} -%}
    {%- set result = run_query(
        "select table_name, lower(column_name) from information_schema.columns where table_schema = '"
        ~ raw_schema | replace("'", "''") ~ "'"
    ) -%}
    {%- for row in result -%}
        {%- do found.setdefault(row[0], []).append(row[1]) -%}
    {%- endfor -%}
    {%- set load_command = "python -m lead_scoring.load --target postgres --raw-data-path "
        ~ var('raw_data_path') ~ " (make load TARGET=postgres)" -%}
    {%- set problems = [] -%}
    {%- for spec in specs -%}
        {%- if spec.name not in found -%}
            {%- do problems.append("table " ~ raw_schema ~ "." ~ spec.name ~ " does not exist") -%}
        {%- else -%}
            {%- set missing = [] -%}
            {%- for column in spec.columns if column | lower not in found[spec.name] -%}
                {%- do missing.append(column) -%}
            {%- endfor -%}
            {%- if missing -%}
                {%- do problems.append(
                    "table " ~ raw_schema ~ "." ~ spec.name ~ " lacks the columns " ~ missing | join(', ')
                    ~ " (expected: " ~ spec.columns | join(', ') ~ ")"
                ) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {%- do exceptions.raise_compiler_error(
            "Raw data is not loaded in PostgreSQL database '" ~ target.dbname ~ "': " ~ problems | join('; ')
            ~ ". PostgreSQL does not read the raw files itself: load them first with `" ~ load_command ~ "`."
        ) -%}
    {%- endif -%}
{% endmacro %}
