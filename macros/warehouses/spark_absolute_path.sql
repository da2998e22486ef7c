{#- `path` made absolute against the Spark driver's working directory (where dbt was started). -#}
{% macro spark_absolute_path(path) %}
    {%- set path = path.rstrip('/') -%}
    {%- if path.startswith('/') or ':/' in path -%}{{ return(path) }}{%- endif -%}
    {%- set cwd = run_query("select reflect('java.lang.System', 'getProperty', 'user.dir')").columns[0].values()[0] -%}
    {%- if path in ('', '.') -%}{{ return(cwd) }}{%- endif -%}
    {%- if path.startswith('./') -%}{%- set path = path[2:] -%}{%- endif -%}
    {{ return(cwd.rstrip('/') ~ '/' ~ path) }}
{% endmacro %}
