{#-
    The strict CSV reader: one DuckDB query that reads a raw CSV file with the contract's fixed
    dialect (comma, double quote, a quote inside a quoted value written "", a header row; RFC 4180)
    and never sniffs. It returns one row per record of the file (the header included):

        line_number  the file line the record starts on (1 = the header)
        line_count   how many lines the record spans (a quoted value may hold line breaks)
        fields       the values, in file order: an unquoted empty value is null, "" is ''
        read_error   null, or why the record cannot be read as the header says (see below)

    DuckDB's own CSV reader is not used because it hides damage: with a fixed dialect it drops the
    rest of a file after an unterminated quote, cuts a row with one field too many, splits lines at
    a lone CR and drops lines that are not UTF-8 (all silently, or with a line count that has drifted),
    and with sniffing one stray quote changes how the whole file is read. Here the file is read as
    bytes (`read_blob`) and split at LF only; bytes (all but printable ASCII, and quotes) are kept as `\xHH` escapes until each line is
    decoded on its own, so one bad byte spoils one line, not the file.

    read_error values (the staging models reject such rows with this reason):
        not valid UTF-8 / control character / unterminated quoted value / malformed quoting /
        more fields than the header / fewer fields than the header

    A CRLF line ending is read as LF. Lines that are empty outside a quoted value are skipped (they
    carry no record). A control character (other than tab, and line breaks inside quotes) is replaced
    by U+FFFD in `fields` so that every warehouse can store the rejected row.

    This macro is plain Jinja (no dbt context), so `python -m lead_scoring.load` renders the very
    same SQL for PostgreSQL (python/lead_scoring/strict_csv.py).
-#}
{% macro strict_csv_records_sql(csv_path) -%}
{%- set path = csv_path | replace("'", "''") -%}
{%- set control = "'[\\x00-\\x08\\x0B-\\x1F\\x7F]'" -%}
{%- set field_pattern = '("([^"]|"")*"|[^,"]*)' -%}
with

file_bytes as (
    -- every byte that is not printable ASCII as a \xHH escape (quotes and backslashes too: \x22, \x5C)
    select cast(content as varchar) as escaped from read_blob('{{ path }}')
),

split_lines as (
    select string_split(escaped, '\x0A') as lines from file_bytes
),

physical_lines as (
    select
        unnest(range(1, len(lines) + 1)) as line_number,
        unnest(lines) as line_escaped,
        len(lines) as line_total
    from split_lines
),

lines as (
    select
        line_number,
        line_escaped,
        -- null when the line is not valid UTF-8
        try(decode(cast(line_escaped as blob))) as line_text,
        -- a double quote is escaped too (\x22)
        (length(line_escaped) - length(replace(line_escaped, '\x22', ''))) // 4 as quote_count
    from (
        select
            line_number,
            case
                when suffix(line_escaped, '\x0D') then left(line_escaped, length(line_escaped) - 4)
                else line_escaped
            end as line_escaped
        from physical_lines
        -- the empty "line" after the file's final line break
        where not (line_number = line_total and line_escaped = '')
    )
),

quote_state as (
    -- a line whose preceding lines hold an odd number of quotes continues a quoted value
    select
        lines.*,
        sum(quote_count) over (order by line_number rows unbounded preceding) % 2 = 1 as is_open_after,
        (sum(quote_count) over (order by line_number rows unbounded preceding) - quote_count) % 2 = 1
            as is_open_before
    from lines
),

grouped_lines as (
    select
        quote_state.*,
        max(case when not is_open_before then line_number end)
            over (order by line_number rows unbounded preceding) as record_line_number
    from quote_state
),

records as (
    select
        line_number,
        1 as line_count,
        line_text as record_text,
        line_escaped as record_escaped,
        quote_count,
        is_open_after as is_unterminated
    from grouped_lines
    where not is_open_before and not is_open_after and line_escaped <> ''
    union all
    select
        record_line_number as line_number,
        count(*) as line_count,
        case when bool_and(line_text is not null) then string_agg(line_text, chr(10) order by line_number) end
            as record_text,
        string_agg(line_escaped, '\x0A' order by line_number) as record_escaped,
        sum(quote_count) as quote_count,
        arg_max(is_open_after, line_number) as is_unterminated
    from grouped_lines
    where is_open_before or is_open_after
    group by record_line_number
),

checked as (
    select
        line_number,
        line_count,
        record_text,
        record_escaped,
        case
            when record_text is null then 'not valid UTF-8'
            when is_unterminated then 'unterminated quoted value'
            when quote_count > 0
                and not regexp_full_match(record_text, '{{ field_pattern }}(,{{ field_pattern }})*')
                then 'malformed quoting'
            when regexp_matches(record_text, {{ control }}) then 'control character'
        end as read_error
    from records
),

split_fields as (
    select
        line_number,
        line_count,
        read_error,
        case
            -- a line that is not UTF-8 is shown with its bytes escaped
            when record_text is null then string_split(record_escaped, ',')
            when read_error = 'control character'
                then string_split(regexp_replace(record_text, {{ control }}, chr(65533), 'g'), ',')
            when strpos(record_text, '"') = 0 then string_split(record_text, ',')
            else regexp_extract_all(',' || record_text, ',{{ field_pattern }}', 1)
        end as raw_fields
    from checked
)

select
    line_number,
    line_count,
    list_transform(
        raw_fields,
        raw_field -> case
            when raw_field = '' then null
            when read_error is null and raw_field like '"%'
                then replace(substr(raw_field, 2, length(raw_field) - 2), '""', '"')
            else raw_field
        end
    ) as fields,
    read_error
from split_fields
{%- endmacro %}


{#- The data rows of a records relation made by strict_csv_records_sql(), as the contract's columns
    (`columns`: name -> 1-based position in the file's header), plus raw_line_number and
    raw_read_error (a field count that differs from the header's is a read error too). -#}
{% macro strict_csv_rows_sql(records_relation, columns, header_line_number, header_field_count) -%}
select
    {%- for name, position in columns.items() %}
    fields[{{ position }}] as "{{ name }}",
    {%- endfor %}
    line_number as raw_line_number,
    coalesce(
        read_error,
        case
            when len(fields) > {{ header_field_count }} then 'more fields than the header'
            when len(fields) < {{ header_field_count }} then 'fewer fields than the header'
        end
    ) as raw_read_error
from {{ records_relation }}
where line_number > {{ header_line_number }}
{%- endmacro %}
