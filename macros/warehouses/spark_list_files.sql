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
