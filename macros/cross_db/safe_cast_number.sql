{#- Parses a number written with optional thousands separators ("1,200", " 85 ", "12,000,000.00")
    into a double. Anything else gives null, never an error. -#}
{% macro safe_cast_number(expression) %}
    {{ return(adapter.dispatch('safe_cast_number', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro number_pattern() -%}
    ^[+-]?[0-9]+([.][0-9]+)?$
{%- endmacro %}

{% macro duckdb__safe_cast_number(expression) -%}
    case
        when regexp_full_match(replace(trim({{ expression }}), ',', ''), '{{ number_pattern() }}')
            and length(replace(trim({{ expression }}), ',', '')) <= 300
            then cast(replace(trim({{ expression }}), ',', '') as double)
    end
{%- endmacro %}
