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
