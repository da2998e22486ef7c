{#- Layer schemas are used as named (staging, marts, ...), not prefixed with the target schema, so
    BI tools and grants see the same schema names on every warehouse. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
