{#- Parses a number written with optional thousands separators ("1,200", " 85 ", "12,000,000.00")
    into a double. Anything else gives null, never an error. Only unambiguous forms are read: a
    comma must separate groups of exactly three digits before the decimal point, so "1,5" (a decimal
    comma), "1.500,50" (European grouping) and "1,20,000" give null instead of a wrong number. -#}
{% macro safe_cast_number(expression) %}
    {{ return(adapter.dispatch('safe_cast_number', 'lead_scoring')(expression)) }}
{% endmacro %}

{#- The number text, trimmed, commas included: digits, or groups of three after 1 to 3 digits. -#}
{% macro number_pattern() -%}
    ^[+-]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)([.][0-9]+)?$
{%- endmacro %}

{% macro duckdb__safe_cast_number(expression) -%}
    case
        when regexp_full_match(trim({{ expression }}), '{{ number_pattern() }}')
            and length(replace(trim({{ expression }}), ',', '')) <= 300
            then cast(replace(trim({{ expression }}), ',', '') as double)
    end
{%- endmacro %}
