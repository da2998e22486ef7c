{#- One number (or short text) that changes when any of `expressions` changes: used to check that
    re-deliveries of an event carry the same content without comparing every column. Nulls count as
    a value of their own. -#}
{% macro fingerprint(expressions) %}
    {{ return(adapter.dispatch('fingerprint', 'lead_scoring')(expressions)) }}
{% endmacro %}

{% macro default__fingerprint(expressions) -%}
    md5(concat_ws('|'
        {%- for expression in expressions %}, coalesce(cast({{ expression }} as {{ dbt.type_string() }}), '<null>'){% endfor -%}
    ))
{%- endmacro %}

{% macro duckdb__fingerprint(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{% macro spark__fingerprint(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}
