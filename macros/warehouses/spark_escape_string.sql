{#- A value for a Spark SQL string literal: Spark reads backslash escapes inside quotes. -#}
{% macro spark_escape_string(value) %}
    {{ return(value | replace('\\', '\\\\') | replace("'", "\\'")) }}
{% endmacro %}
