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

{#- Spark writes a double of 10,000,000 or more (and under 0.001) with an exponent ('1.2615E7'),
    which staging's number rule (safe_cast_number: digits, thousands commas, decimals) rejects, so a
    typed annual revenue of $12.6M was an invalid value on Spark only. A double is written out in
    full instead (format_number uses Locale.US: no grouping with this pattern, '.' for decimals);
    typeof() is known when the query is planned; the double is read back from its text (exactly) so
    that the branch is valid SQL for a column of any type (a date cannot be cast to a double). -#}
{% macro spark__input_text(expression) -%}
    case
        when typeof({{ expression }}) = 'double'
            then format_number(try_cast(cast({{ expression }} as string) as double), '0.#################')
        else cast({{ expression }} as string)
    end
{%- endmacro %}
