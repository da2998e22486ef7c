{#- An email address as staging keeps it: clean_id() in lower case, so that `carl@ｇｍａｉｌ.com`
    and `frank@gmail.com<tab>` have the domain gmail.com (and are classed by it, not as business email). -#}
{% macro clean_email(expression) -%}
    lower({{ clean_id(expression) }})
{%- endmacro %}
