{#- An order-independent fingerprint of a set of rows: the sum of a 64-bit hash of `expressions` over
    the group (wide enough never to overflow). Any changed, added or removed row changes it (up to
    hash collisions). Used to notice a raw file whose content changed. -#}
{% macro fingerprint_sum(expressions) %}
    {{ return(adapter.dispatch('fingerprint_sum', 'lead_scoring')(expressions)) }}
{% endmacro %}

{% macro default__fingerprint_sum(expressions) -%}
    sum(hashtextextended(concat_ws('|'
        {%- for expression in expressions %}, coalesce(cast({{ expression }} as {{ dbt.type_string() }}), '<null>'){% endfor -%}
    ), 0))
{%- endmacro %}

{% macro duckdb__fingerprint_sum(expressions) -%}
    sum(hash({{ expressions | join(', ') }}))
{%- endmacro %}

{% macro spark__fingerprint_sum(expressions) -%}
    sum(cast(xxhash64({{ expressions | join(', ') }}) as decimal(38, 0)))
{%- endmacro %}
