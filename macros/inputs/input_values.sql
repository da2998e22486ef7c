{#- Connector columns are typed (timestamps, booleans, numbers) or text, depending on the connector
    and the warehouse. The adapters read them through these macros so both work alike. -#}

{#- A column as text, whatever its type: staging parses and checks it as it does a raw file's text.
    A timestamp becomes ISO text with its offset where it has one (safe_cast_timestamp_utc reads it). -#}
{% macro input_text(expression) %}
    {{ return(adapter.dispatch('input_text', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__input_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}


{#- True when a boolean-like column is true: a boolean, or text such as 'true', 't', '1', 'yes'.
    Null and anything else is false. -#}
{% macro input_is_true(expression) -%}
    coalesce(lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('true', 't', '1', 'yes', 'y'), false)
{%- endmacro %}
