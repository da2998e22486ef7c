{#- The path of a raw file as a SQL string literal: the raw relations' `raw_file_path` column says which
    file each row came from (incremental staging loads each file once; see
    models/staging/marketing/base/). -#}
{% macro raw_file_literal(path) %}
    {{ return("'" ~ path | replace("'", "''") ~ "'") }}
{% endmacro %}
