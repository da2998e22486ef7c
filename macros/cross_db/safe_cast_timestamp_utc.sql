{#- Parses ISO-8601 text (with `T` or a space, optional fraction, optional `Z` or `+hh:mm` offset;
    no offset means UTC) into a UTC timestamp without time zone. Anything else gives null, never an
    error, so that staging can turn it into a rejected row. -#}
{% macro safe_cast_timestamp_utc(expression) %}
    {{ return(adapter.dispatch('safe_cast_timestamp_utc', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro iso_timestamp_pattern() -%}
    ^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?$
{%- endmacro %}

{% macro duckdb__safe_cast_timestamp_utc(expression) -%}
    case
        when regexp_full_match(trim({{ expression }}), '{{ iso_timestamp_pattern() }}')
            then cast(timezone('UTC', try_cast(trim({{ expression }}) as timestamptz)) as timestamp)
    end
{%- endmacro %}
