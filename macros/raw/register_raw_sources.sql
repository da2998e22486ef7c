{#-
    Makes every raw source readable as an all-text relation `<raw_schema>.<table>` before the run
    starts. The list of sources and their expected columns comes from the sources YAML (tables whose
    meta has `raw_file`), so the contract is written down once.
-#}
{% macro register_raw_sources() %}
    {{ return(adapter.dispatch('register_raw_sources', 'lead_scoring')()) }}
{% endmacro %}


{#- The raw sources declared in YAML that this run reads from files: a list of {name, file, columns}.
    An entity read from a connector instead (var lead_scoring_inputs) needs no file. -#}
{% macro raw_source_specs() %}
    {%- set specs = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='name') -%}
        {%- if node.meta.get('raw_file') and 'files' in lead_scoring_input(node.meta['raw_file']) -%}
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
    {%- set raw_schema = raw_schema_name() -%}
    {%- do run_query('create schema if not exists ' ~ adapter.quote(raw_schema)) -%}
    {%- for spec in raw_source_specs() -%}
        {%- set csv_path = raw_path ~ '/' ~ spec.file ~ '.csv' -%}
        {%- set parquet_glob = raw_path ~ '/' ~ spec.file ~ '/*.parquet' -%}
        {%- set found = run_query(
            "select (select count(*) from glob('" ~ csv_path ~ "')) as csv_files, "
            ~ "(select count(*) from glob('" ~ parquet_glob ~ "')) as parquet_files"
        ) -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {%- set source_sql = 'select *, ' ~ raw_file_literal(csv_path) ~ ' as raw_file_path from ('
                ~ strict_csv_source(spec, csv_path, raw_schema) ~ ') as strict_rows' -%}
        {%- elif found.columns[1].values()[0] > 0 -%}
            {%- set reader = "read_parquet('" ~ parquet_glob ~ "', union_by_name = true, filename = true)" -%}
            {%- set present = run_query('describe select * from ' ~ reader).columns[0].values() | map('lower') | list -%}
            {%- do raw_check_columns(spec, reader, present) -%}
            {%- set select_list = [] -%}
            {%- for column in spec.columns -%}
                {%- do select_list.append('cast(' ~ adapter.quote(column) ~ ' as varchar) as ' ~ adapter.quote(column)) -%}
            {%- endfor -%}
            {#- Parquet has no lines and no dialect: every row is read as it is. -#}
            {%- set source_sql = 'select ' ~ select_list | join(', ')
                ~ ', cast(null as integer) as raw_line_number, cast(null as varchar) as raw_read_error'
                ~ ', filename as raw_file_path from ' ~ reader -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(raw_file_missing_message(spec, raw_path)) -%}
        {%- endif -%}
        {%- do run_query(
            'create or replace view ' ~ adapter.quote(raw_schema) ~ '.' ~ adapter.quote(spec.name) ~ ' as ' ~ source_sql
        ) -%}
    {%- endfor -%}
{% endmacro %}


{#- Stops the build when a raw file lacks a column of the contract (`present`: its columns, lower case). -#}
{% macro raw_check_columns(spec, file_label, present) %}
    {%- set missing = [] -%}
    {%- for column in spec.columns if column | lower not in present -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- do exceptions.raise_compiler_error(
            "Raw source '" ~ spec.name ~ "' (" ~ file_label ~ ") is missing the columns: " ~ missing | join(', ')
            ~ ". Expected columns: " ~ spec.columns | join(', ') ~ ". Found: " ~ present | join(', ')
        ) -%}
    {%- endif -%}
{% endmacro %}


{#- Reads a raw CSV file with the strict reader (strict_csv.sql) into `<raw_schema>.<name>__records`
    and returns the select of its data rows, or stops the build, naming the file and the line, when
    the file cannot be read reliably: a bad header, or a quoted value that is never closed (or
    closed badly) across lines, after which no line can be trusted. On DuckDB the reader reads
    `csv_path` itself; on Spark it reads `lines_relation`, a view of the file's lines (`using text`). -#}
{% macro strict_csv_source(spec, csv_path, raw_schema, lines_relation=none) %}
    {%- set dialect = 'spark' if target.type == 'spark' else 'duckdb' -%}
    {%- set records = adapter.quote(raw_schema) ~ '.' ~ adapter.quote(spec.name ~ '__records') -%}
    {%- set records_sql = strict_csv_records_sql(csv_path, dialect, lines_relation) -%}
    {%- if dialect == 'spark' -%}
        {%- do run_query('drop table if exists ' ~ records) -%}
        {%- do run_query('create table ' ~ records ~ ' using parquet as ' ~ records_sql) -%}
    {%- else -%}
        {%- do run_query('create or replace table ' ~ records ~ ' as ' ~ records_sql) -%}
    {%- endif -%}
    {%- set header = run_query(
        'select line_number, read_error from ' ~ records ~ ' order by line_number limit 1'
    ) -%}
    {%- if header.rows | length == 0 -%}
        {%- do exceptions.raise_compiler_error(
            "Raw file " ~ csv_path ~ " is empty: expected a header row with the columns " ~ spec.columns | join(', ')) -%}
    {%- endif -%}
    {%- set header_row = header.rows[0] -%}
    {%- if header_row[1] is not none -%}
        {%- do exceptions.raise_compiler_error(
            "Raw file " ~ csv_path ~ ", line " ~ header_row[0] ~ " (the header): " ~ header_row[1]) -%}
    {%- endif -%}
    {%- set fatal = run_query(
        'select line_number, line_count, read_error from ' ~ records
        ~ " where line_count > 1 and read_error in ('unterminated quoted value', 'malformed quoting')"
        ~ ' order by line_number limit 1'
    ) -%}
    {%- if fatal.rows | length > 0 -%}
        {%- set row = fatal.rows[0] -%}
        {%- do exceptions.raise_compiler_error(
            "Raw file " ~ csv_path ~ ", line " ~ row[0] ~ ": " ~ row[2] ~ " (a quote opened on line " ~ row[0]
            ~ " runs over " ~ row[1] ~ " lines), so the lines after it cannot be read reliably. "
            ~ "Fix the quote on line " ~ row[0] ~ " (a quote inside a value is written \"\")."
        ) -%}
    {%- endif -%}
    {%- set header_where = ' where line_number = ' ~ header_row[0] -%}
    {%- if dialect == 'spark' -%}
        {%- set header_fields = run_query(
            "select coalesce(col, '') from (select posexplode(fields) from " ~ records ~ header_where ~ ') order by pos') -%}
    {%- else -%}
        {%- set header_fields = run_query("select coalesce(unnest(fields), '') from " ~ records ~ header_where) -%}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for name in header_fields.columns[0].values() -%}
        {%- do names.append(name | trim | lower) -%}
    {%- endfor -%}
    {%- do raw_check_columns(spec, csv_path, names) -%}
    {%- set positions = {} -%}
    {%- for column in spec.columns -%}
        {%- if names.count(column | lower) > 1 -%}
            {%- do exceptions.raise_compiler_error(
                "Raw file " ~ csv_path ~ ", line " ~ header_row[0] ~ ": the column " ~ column ~ " appears twice in the header") -%}
        {%- endif -%}
        {%- do positions.update({column: names.index(column | lower) + 1}) -%}
    {%- endfor -%}
    {{ return(strict_csv_rows_sql(records, positions, header_row[0], names | length, dialect)) }}
{% endmacro %}


{#-
    register_raw_sources() on Spark and PostgreSQL.

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
    `lead-scoring load --target postgres` (python/lead_scoring/load/); here we only check
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
    {%- set load_command = "lead-scoring load --target postgres --raw-data-path "
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
