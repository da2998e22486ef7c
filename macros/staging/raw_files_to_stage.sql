{#- Incremental staging of raw files (models/staging/marketing/base/): each raw file is parsed once,
    when its path and content fingerprint are new; the rows of a file that changed or is gone are
    deleted. -#}

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
