{#- dbt's own `source()`, rendered through portable_relation() like ref() (why: ref.sql). -#}
{% macro source(source_name, table_name) %}
    {{ return(portable_relation(builtins.source(source_name, table_name))) }}
{% endmacro %}
