{#- Named text_literal, not string_literal: a project macro named string_literal replaces dbt's own, which writes unit-test fixtures. -#}
{#- `value` (any text, quotes and backslashes included) as a SQL string literal of the target. -#}
{% macro text_literal(value) %}
    {{ return(adapter.dispatch('text_literal', 'lead_scoring')(value)) }}
{% endmacro %}

{% macro default__text_literal(value) %}
    {{ return("'" ~ value | replace("'", "''") ~ "'") }}
{% endmacro %}

{#- Spark reads backslash escapes inside quotes -#}
{% macro spark__text_literal(value) %}
    {{ return("'" ~ spark_escape_string(value) ~ "'") }}
{% endmacro %}
