{#- Trimmed text, or null when blank or one of the null markers in the var `null_markers`
    ("n/a", "null", ...). -#}
{% macro clean_text(expression) -%}
    case
        when lower(trim({{ expression }})) in (
            ''{% for marker in var('null_markers') %}, '{{ marker | lower }}'{% endfor %}
        ) then null
        else trim({{ expression }})
    end
{%- endmacro %}
