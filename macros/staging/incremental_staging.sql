{#- Incremental staging of raw files (models/staging/marketing/base/): each raw file is parsed once,
    when its path and content fingerprint are new; the rows of a file that changed or is gone are
    deleted. -#}

{#- The materialization of the incremental staging models: `incremental` where the warehouse can
    delete rows (DuckDB, PostgreSQL). dbt-spark's strategies on plain Parquet tables (append,
    insert_overwrite) cannot delete the rows of a changed or removed file, so Spark rebuilds these
    models on every run: the same rows, at the cost of a full staging pass. -#}
{% macro incremental_staging_materialization() %}
    {{ return(adapter.dispatch('incremental_staging_materialization', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__incremental_staging_materialization() %}
    {{ return('incremental') }}
{% endmacro %}

{% macro spark__incremental_staging_materialization() %}
    {{ return('table') }}
{% endmacro %}


{#- The raw files (`files`: a relation with raw_file_path and file_fingerprint) that `staged` (the
    incremental model itself) has not staged with that fingerprint and those `parse_settings`: a list
    of paths, read when the model is compiled, so that the raw read is filtered by literal paths (a
    Parquet reader skips the other files). -#}
{% macro raw_files_to_stage(files, staged, parse_settings) %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set pending = run_query(
        'select files.raw_file_path from ' ~ files ~ ' as files where not exists (select 1 from ' ~ staged
        ~ ' as staged where staged.raw_file_path = files.raw_file_path'
        ~ ' and staged.file_fingerprint = files.file_fingerprint'
        ~ ' and staged.parse_settings = ' ~ parse_settings ~ ') order by files.raw_file_path'
    ) -%}
    {{ return(pending.columns[0].values() | list) }}
{% endmacro %}


{#- Post-hook of an incremental staging model: deletes the rows of files that are gone, changed
    (another fingerprint) or were parsed under other settings. -#}
{% macro delete_unstaged_raw_files(staged, files, parse_settings) %}
    delete from {{ staged }}
    where parse_settings <> {{ parse_settings }}
        or not exists (
            select 1
            from {{ files }} as files
            where files.raw_file_path = {{ staged.identifier }}.raw_file_path
                and files.file_fingerprint = {{ staged.identifier }}.file_fingerprint
        )
{% endmacro %}


{#- The time this run started, as a timestamp: rows staged by this run carry it (loaded_at), so the
    next model knows which rows are new. -#}
{% macro run_started_at_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Whether an incremental model built from `deliveries` (rows with loaded_at and is_row_valid) must
    be rebuilt from all of them: true when deliveries that `folded` (with last_loaded_at and
    delivery_count) had counted were deleted since (a raw file changed or is gone), which shows as
    fewer valid deliveries loaded up to its last load than it counted. -#}
{% macro staged_deliveries_were_removed(deliveries, folded) %}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set counts = run_query(
        'select (select coalesce(sum(delivery_count), 0) from ' ~ folded ~ ') as folded_deliveries, '
        ~ '(select count(*) from ' ~ deliveries ~ ' where is_row_valid and loaded_at <= '
        ~ '(select max(last_loaded_at) from ' ~ folded ~ ')) as loaded_deliveries'
    ) -%}
    {{ return(counts.rows[0][0] != counts.rows[0][1]) }}
{% endmacro %}


{#- The last load `folded` (with last_loaded_at) has folded, as text, or none when it has no row.
    Read when the model compiles and written into its SQL as a constant: compared with a scalar
    subquery instead, DuckDB cannot estimate how few deliveries are new, and at 55M deliveries it
    built its hash join on all of them (28 s and gigabytes for a day of 150k). -#}
{% macro folded_high_water(folded) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set result = run_query(
        'select cast(max(last_loaded_at) as ' ~ dbt.type_string() ~ ') from ' ~ folded
    ) -%}
    {{ return(result.rows[0][0]) }}
{% endmacro %}
