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


{#- Any one value of `expression` in the group (all values are known to be equal). -#}
{% macro any_value(expression) %}
    {{ return(adapter.dispatch('any_value', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__any_value(expression) -%}
    min({{ expression }})
{%- endmacro %}

{% macro duckdb__any_value(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{#- PostgreSQL 15 has no any_value, and min() refuses booleans. -#}
{% macro postgres__any_value(expression) -%}
    (array_agg({{ expression }}))[1]
{%- endmacro %}


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
