{#- Parses ISO-8601 text (with `T` or a space, optional fraction, optional `Z` or `+hh:mm` offset;
    no offset means UTC) into a UTC timestamp without time zone. Anything else gives null, never an
    error, so that staging can turn it into a rejected row. -#}
{% macro safe_cast_timestamp_utc(expression) %}
    {{ return(adapter.dispatch('safe_cast_timestamp_utc', 'lead_scoring')(expression)) }}
{% endmacro %}

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


{#-
    The PostgreSQL and Spark versions (below; safe_cast_number.sql follows the same rules). Same
    contract on every warehouse: text in, a value or null out, never an error, whatever the text.

    PostgreSQL has no try_cast: a cast of bad text raises, and it also accepts words such as
    'yesterday', 'now', 'epoch' and 'infinity' as timestamps. So the text is checked first (shape,
    ranges, day of month) and only text that is sure to cast reaches the cast. The checks sit in
    nested CASE expressions, which PostgreSQL evaluates in order.

    Spark also reads 'yesterday' and 'epoch' as timestamps, so it gets the same shape check;
    try_cast then returns null for what is left (2026-02-31) whatever spark.sql.ansi.enabled says.
    Java's regex `$` also matches before a final line break, hence the extra instr(.., chr(10)) = 0
    on Spark, so that '12\n' is rejected there as on DuckDB and PostgreSQL.

    Timestamps: the text is rewritten to one canonical form, YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM
    (seconds added when missing, fraction cut to microseconds, Z or no offset made +00:00), which
    every warehouse casts the same way, and the result is the UTC time: a timestamp without time
    zone on PostgreSQL; on Spark a TIMESTAMP (an instant, shown in spark.sql.session.timeZone,
    which the profile sets to UTC).
-#}

{#- The shape and ranges a timestamp text must have: month 01-12, day 01-31, hour 00-23, minute and
    second 00-59, offset at most 14:59 and only after a time of day. The day of the month is checked
    separately (2026-02-31). -#}
{% macro iso_timestamp_checked_pattern() -%}
    ^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$
{%- endmacro %}


{#- The canonical text of a checked timestamp text `s`, from SQL fragments: `substr(s, start, length)`
    and `fraction` / `offset` (the '.123' and 'Z' / '+02' / '+0200' / '+02:00' parts, null or '' when absent). -#}
{% macro _iso_timestamp_canonical(s, fraction, offset) -%}
    substr({{ s }}, 1, 10) || 'T'
    || case
        when length({{ s }}) = 10 then '00:00:00'
        when substr({{ s }}, 17, 1) = ':' then substr({{ s }}, 12, 8)
        else substr({{ s }}, 12, 5) || ':00'
    end
    || coalesce(substr({{ fraction }}, 1, 7), '')
    || case
        when length({{ s }}) = 10 or coalesce({{ offset }}, '') = '' or upper({{ offset }}) = 'Z' then '+00:00'
        else substr(replace({{ offset }}, ':', ''), 1, 3) || ':'
            || coalesce(nullif(substr(replace({{ offset }}, ':', ''), 4, 2), ''), '00')
    end
{%- endmacro %}


{#- True when the checked timestamp text `s` names a day that exists (no 2026-02-31, 2026-02-29). -#}
{% macro _iso_day_exists(s) -%}
    substr({{ s }}, 1, 4) <> '0000'
    and substr({{ s }}, 9, 2) <= case substr({{ s }}, 6, 2)
        when '02' then case
            when mod(cast(substr({{ s }}, 1, 4) as integer), 4) = 0
                and (mod(cast(substr({{ s }}, 1, 4) as integer), 100) <> 0
                    or mod(cast(substr({{ s }}, 1, 4) as integer), 400) = 0)
                then '29'
            else '28'
        end
        when '04' then '30'
        when '06' then '30'
        when '09' then '30'
        when '11' then '30'
        else '31'
    end
{%- endmacro %}


{% macro default__safe_cast_timestamp_utc(expression) -%}
    {{ exceptions.raise_compiler_error(
        "safe_cast_timestamp_utc() has no implementation for the adapter '" ~ adapter.type()
        ~ "': add " ~ adapter.type() ~ "__safe_cast_timestamp_utc in macros/cross_db/.") }}
{%- endmacro %}


{% macro postgres__safe_cast_timestamp_utc(expression) -%}
    {%- set s = 'trim(' ~ expression ~ ')' -%}
    case
        when {{ s }} ~ '{{ iso_timestamp_checked_pattern() }}' then
            case
                when {{ _iso_day_exists(s) }} then
                    cast(cast({{ _iso_timestamp_canonical(
                        s,
                        "substring(" ~ s ~ " from '[.][0-9]+')",
                        "substring(" ~ s ~ " from '[Zz+-][0-9:]*$')"
                    ) }} as timestamp with time zone) at time zone 'UTC' as timestamp)
            end
    end
{%- endmacro %}


{% macro spark__safe_cast_timestamp_utc(expression) -%}
    {%- set s = 'trim(' ~ expression ~ ')' -%}
    case
        when {{ s }} rlike '{{ iso_timestamp_checked_pattern() }}' and instr({{ s }}, chr(10)) = 0 then
            case
                when {{ _iso_day_exists(s) }} then
                    try_cast({{ _iso_timestamp_canonical(
                        s,
                        "regexp_extract(" ~ s ~ ", '[.][0-9]+', 0)",
                        "regexp_extract(" ~ s ~ ", '[Zz+-][0-9:]*$', 0)"
                    ) }} as timestamp)
            end
    end
{%- endmacro %}
