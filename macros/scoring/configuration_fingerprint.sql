{#- A fingerprint of the scoring configuration, as an SQL text expression: every row of the seed
    `relations` and the values of the vars named in `var_names`. -#}
{% macro configuration_fingerprint(relations, var_names) -%}
    {%- set parts = [] -%}
    {%- for relation in relations -%}
        {%- do parts.append("coalesce(" ~ relation_fingerprint(relation) ~ ", '-')") -%}
        {%- do parts.append("'|'") -%}
    {%- endfor -%}
    {%- set settings = {} -%}
    {%- for name in var_names -%}{%- do settings.update({name: var(name)}) -%}{%- endfor -%}
    {%- do parts.append("'" ~ (tojson(settings, sort_keys=true) | replace("'", "''")) ~ "'") -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
