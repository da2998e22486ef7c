{#- True when a boolean-like column is true: a boolean, or text such as 'true', 't', '1', 'yes'.
    Null and anything else is false. -#}
{% macro input_is_true(expression) -%}
    coalesce(lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('true', 't', '1', 'yes', 'y'), false)
{%- endmacro %}
