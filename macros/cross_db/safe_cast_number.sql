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


{#- Numbers: the same rule as duckdb__safe_cast_number (number_pattern() on the trimmed text, then commas dropped).
    PostgreSQL raises on a double out of range, so very long digit strings give null too. Why the
    text is checked before the cast on PostgreSQL and Spark: safe_cast_timestamp_utc.sql. -#}
{% macro default__safe_cast_number(expression) -%}
    {{ exceptions.raise_compiler_error(
        "safe_cast_number() has no implementation for the adapter '" ~ adapter.type()
        ~ "': add " ~ adapter.type() ~ "__safe_cast_number in macros/cross_db/.") }}
{%- endmacro %}


{% macro postgres__safe_cast_number(expression) -%}
    case
        when trim({{ expression }}) ~ '{{ number_pattern() }}'
            and length(replace(trim({{ expression }}), ',', '')) <= 300
            then cast(replace(trim({{ expression }}), ',', '') as double precision)
    end
{%- endmacro %}


{% macro spark__safe_cast_number(expression) -%}
    case
        when trim({{ expression }}) rlike '{{ number_pattern() }}'
            and instr(trim({{ expression }}), chr(10)) = 0
            and length(replace(trim({{ expression }}), ',', '')) <= 300
            then try_cast(replace(trim({{ expression }}), ',', '') as double)
    end
{%- endmacro %}
