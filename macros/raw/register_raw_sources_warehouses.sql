{#-
    register_raw_sources() on Spark and PostgreSQL (the dispatcher, the DuckDB version and the list
    of raw sources, raw_source_specs(), are in register_raw_sources.sql).

    Spark (method: session): every raw file becomes an external table `<raw_schema>.<table>__file`
    (`using csv` with a header row, or `using parquet` over the folder), and `<raw_schema>.<table>`
    is a view over it that casts every expected column to string. Nothing is copied: the files are
    read in place at query time. Spark resolves a relative `path` option against the database
    folder, not the working directory, so relative raw_data_path values are made absolute with the
    driver JVM's working directory (the folder dbt runs in).

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
    {%- for spec in specs -%}
        {%- set csv_path = raw_path ~ '/' ~ spec.file ~ '.csv' -%}
        {%- set parquet_dir = raw_path ~ '/' ~ spec.file -%}
        {%- set parquet_files = [] -%}
        {%- for file in files if file.startswith(parquet_dir ~ '/') and file.endswith('.parquet') -%}
            {%- do parquet_files.append(file) -%}
        {%- endfor -%}
        {%- if csv_path in files -%}
            {#- multiLine: quoted values may hold line breaks; escape '"': a quote inside a quoted value
                is written "" (RFC 4180), as DuckDB and PostgreSQL read it. -#}
            {%- set using = "using csv options (path '" ~ spark_escape_string(csv_path)
                ~ "', header 'true', multiLine 'true', escape '\"', encoding 'UTF-8', mode 'PERMISSIVE')" -%}
        {%- elif parquet_files -%}
            {%- set using = "using parquet options (path '" ~ spark_escape_string(parquet_dir)
                ~ "', pathGlobFilter '*.parquet')" -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(raw_file_missing_message(spec, raw_path)) -%}
        {%- endif -%}

        {%- set file_table = raw_schema ~ '.' ~ spec.name ~ '__file' -%}
        {#- External tables: dropping one leaves its files alone. -#}
        {%- do run_query('drop table if exists ' ~ file_table) -%}
        {%- do run_query('create table ' ~ file_table ~ ' ' ~ using) -%}

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
        {%- set missing = [] -%}
        {%- for column in spec.columns if column | lower not in present -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- do exceptions.raise_compiler_error(
                "Raw source '" ~ spec.name ~ "' (" ~ (csv_path if csv_path in files else parquet_dir ~ '/*.parquet')
                ~ ") is missing the columns: " ~ missing | join(', ')
                ~ ". Expected columns: " ~ spec.columns | join(', ') ~ ". Found: " ~ present | join(', ')
            ) -%}
        {%- endif -%}

        {%- set select_list = [] -%}
        {%- for column in spec.columns -%}
            {%- do select_list.append('cast(`' ~ column ~ '` as string) as `' ~ column ~ '`') -%}
        {%- endfor -%}
        {%- set existing = adapter.get_relation(database=none, schema=raw_schema, identifier=spec.name) -%}
        {%- if existing is not none and not existing.is_view -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {#- The strict reader's line number and read error (macros/raw/strict_csv.sql) are not
            available on Spark, which reads the files in place with its own CSV parser: see the
            README's Reliability section for what that leaves out. -#}
        {%- do select_list.append('cast(null as int) as raw_line_number') -%}
        {%- do select_list.append('cast(null as string) as raw_read_error') -%}
        {#- the file each row came from, as DuckDB names it (the path without the file: scheme) -#}
        {%- do select_list.append("regexp_replace(input_file_name(), '^file:', '') as raw_file_path") -%}
        {%- do run_query(
            'create or replace view ' ~ raw_schema ~ '.' ~ spec.name
            ~ ' as select ' ~ select_list | join(', ') ~ ' from ' ~ file_table
        ) -%}
    {%- endfor -%}
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
