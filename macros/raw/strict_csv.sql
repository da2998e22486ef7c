{#-
    The strict CSV reader: one query that reads a raw CSV file with the contract's fixed dialect
    (comma, double quote, a quote inside a quoted value written "", a header row; RFC 4180) and
    never sniffs. The same query runs on DuckDB (which also loads PostgreSQL, see below) and on
    Spark; only the first step (the file's lines with their numbers) and a few function names
    differ, in the strict_csv_* helpers at the end of this file. It returns one row per record of
    the file (the header included):

        line_number  the file line the record starts on (1 = the header)
        line_count   how many lines the record spans (a quoted value may hold line breaks)
        fields       the values, in file order: an unquoted empty value is null, "" is ''
        read_error   null, or why the record cannot be read as the header says (see below)

    The warehouses' own CSV readers are not used because they hide damage: DuckDB's, with a fixed
    dialect, drops the rest of a file after an unterminated quote, cuts a row with one field too
    many, splits lines at a lone CR and drops lines that are not UTF-8 (all silently, or with a line
    count that has drifted), and with sniffing one stray quote changes how the whole file is read;
    Spark's reads such lines as best it can (PERMISSIVE) and knows no line numbers. Here the file is
    split at LF only and every line keeps its bytes until it is decoded on its own, so one bad byte
    spoils one line, not the file:

    - DuckDB reads the file as bytes (`read_blob`); every byte that is not printable ASCII (and
      quotes, apostrophes, backslashes) is a `\xHH` escape in the text, split at `\x0A`.
    - Spark reads it with its `text` source (`lines_relation`: a view `using text` with
      `lineSep '\n'`), which keeps each line's bytes as they are, undecoded. A file may be read in
      several splits (spark.sql.files.maxPartitionBytes), in parallel: a line belongs to the split
      it starts in, and a split reads its lines in file order, so ordering the lines by the split's
      start offset (input_file_block_start) and then by their position in the partition that read
      them (monotonically_increasing_id, which counts the rows of a partition in the order they are
      read) is the file's line order. python/tests/test_strict_reader.py reads the hostile
      files in splits of a few hundred bytes and gets DuckDB's line numbers.

    read_error values (the staging models reject such rows with this reason):
        not valid UTF-8 / control character / unterminated quoted value / malformed quoting /
        more fields than the header / fewer fields than the header

    A CRLF line ending is read as LF. Lines that are empty outside a quoted value are skipped (they
    carry no record). A control character (other than tab, and line breaks inside quotes) is replaced
    by U+FFFD in `fields`, and a record that is not UTF-8 is shown with its bytes as `\xHH` escapes
    (DuckDB's), so that every warehouse can store the rejected row.

    These macros are plain Jinja (no dbt context), so `lead-scoring load` renders the very
    same SQL for PostgreSQL (python/lead_scoring/load/strict_csv.py).
-#}
{% macro strict_csv_records_sql(csv_path, dialect='duckdb', lines_relation=none) -%}
{%- set field_pattern = '("[^"]*(""[^"]*)*"|[^,"]*)' -%}
{%- set control = strict_csv_regex(dialect, '[\\x00-\\x08\\x0B-\\x1F\\x7F]') -%}
with

{% if dialect == 'spark' -%}
file_lines as (
    -- evaluated as the text source reads each line: the split it belongs to, its rank in the partition
    select
        input_file_block_start() as split_start,
        monotonically_increasing_id() as read_position,
        value as line_raw
    from {{ lines_relation }}
),

physical_lines as (
    -- the text source emits no empty "line" after the file's final line break
    select
        row_number() over (order by split_start, read_position) as line_number,
        line_raw
    from file_lines
),

{%- else -%}
file_bytes as (
    -- every byte that is not printable ASCII as a \xHH escape (quotes and backslashes too: \x22, \x5C)
    select cast(content as varchar) as escaped from read_blob('{{ csv_path | replace("'", "''") }}')
),

split_lines as (
    select string_split(escaped, '\x0A') as lines from file_bytes
),

all_lines as (
    select
        unnest(range(1, len(lines) + 1)) as line_number,
        unnest(lines) as line_raw,
        len(lines) as line_total
    from split_lines
),

physical_lines as (
    select
        line_number,
        line_raw
    from all_lines
    -- the empty "line" after the file's final line break
    where not (line_number = line_total and line_raw = '')
),

{%- endif %}

lines as (
    select
        line_number,
        line_raw,
        -- null when the line is not valid UTF-8
        {{ strict_csv_line_text(dialect, 'line_raw') }} as line_text,
        {{ strict_csv_quote_count(dialect, 'line_raw') }} as quote_count
    from (
        select
            line_number,
            {{ strict_csv_without_final_cr(dialect, 'line_raw') }} as line_raw
        from physical_lines
    ) as without_cr
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
        line_raw as record_raw,
        quote_count,
        is_open_after as is_unterminated
    from grouped_lines
    where not is_open_before and not is_open_after and line_raw <> ''
    union all
    select
        record_line_number as line_number,
        count(*) as line_count,
        case when bool_and(line_text is not null) then
            {{ strict_csv_ordered_concat(dialect, 'line_text', 'chr(10)', 'line_number') }}
        end as record_text,
        {{ strict_csv_ordered_concat(dialect, 'line_raw', strict_csv_raw_line_break(dialect), 'line_number') }}
            as record_raw,
        sum(quote_count) as quote_count,
        max_by(is_open_after, line_number) as is_unterminated
    from grouped_lines
    where is_open_before or is_open_after
    group by record_line_number
),

checked as (
    select
        line_number,
        line_count,
        record_text,
        record_raw,
        case
            when record_text is null then 'not valid UTF-8'
            when is_unterminated then 'unterminated quoted value'
            when quote_count > 0
                and not {{ strict_csv_full_match(dialect, 'record_text', field_pattern ~ '(,' ~ field_pattern ~ ')*') }}
                then 'malformed quoting'
            when {{ strict_csv_contains_match(dialect, 'record_text', control) }} then 'control character'
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
            when record_text is null
                then {{ strict_csv_split(dialect, strict_csv_escaped_bytes(dialect, 'record_raw')) }}
            when read_error = 'control character'
                then {{ strict_csv_split(dialect, 'regexp_replace(record_text, ' ~ control ~ ', ' ~ strict_csv_replacement_character(dialect) ~ strict_csv_all_matches_flag(dialect) ~ ')') }}
            when instr(record_text, '"') = 0 then {{ strict_csv_split(dialect, 'record_text') }}
            else regexp_extract_all(',' || record_text, {{ strict_csv_regex(dialect, ',' ~ field_pattern) }}, 1)
        end as raw_fields
    from checked
)

select
    line_number,
    line_count,
    {{ strict_csv_transform(dialect) }}(
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
{% macro strict_csv_rows_sql(records_relation, columns, header_line_number, header_field_count, dialect='duckdb') -%}
select
    {%- for name, position in columns.items() %}
    {{ strict_csv_element(dialect, 'fields', position) }} as {{ strict_csv_identifier(dialect, name) }},
    {%- endfor %}
    line_number as raw_line_number,
    coalesce(
        read_error,
        case
            when {{ strict_csv_length(dialect, 'fields') }} > {{ header_field_count }} then 'more fields than the header'
            when {{ strict_csv_length(dialect, 'fields') }} < {{ header_field_count }} then 'fewer fields than the header'
        end
    ) as raw_read_error
from {{ records_relation }}
where line_number > {{ header_line_number }}
{%- endmacro %}


{#- ---- what differs between the dialects ('duckdb', 'spark') ------------------------------------- -#}

{#- A regular expression as a string literal (Spark reads backslash escapes in literals, DuckDB does not). -#}
{% macro strict_csv_regex(dialect, pattern) -%}
    {%- if dialect == 'spark' -%}'{{ pattern | replace('\\', '\\\\') }}'{%- else -%}'{{ pattern }}'{%- endif -%}
{%- endmacro %}

{#- `line` without a final CR (a CRLF line ending). DuckDB's line is escaped text (CR = `\x0D`). -#}
{% macro strict_csv_without_final_cr(dialect, line) -%}
    {%- if dialect == 'spark' -%}
    case when endswith({{ line }}, chr(13)) then cast(substr(cast({{ line }} as binary), 1, octet_length({{ line }}) - 1) as string) else {{ line }} end
    {%- else -%}
    case when suffix({{ line }}, '\x0D') then left({{ line }}, length({{ line }}) - 4) else {{ line }} end
    {%- endif -%}
{%- endmacro %}

{#- The line decoded as UTF-8, or null when its bytes are not valid UTF-8. -#}
{% macro strict_csv_line_text(dialect, line) -%}
    {%- if dialect == 'spark' -%}
    case when is_valid_utf8({{ line }}) then {{ line }} end
    {%- else -%}
    try(decode(cast({{ line }} as blob)))
    {%- endif -%}
{%- endmacro %}

{#- How many double quote bytes the line holds. -#}
{% macro strict_csv_quote_count(dialect, line) -%}
    {%- if dialect == 'spark' -%}
    octet_length({{ line }}) - octet_length(replace({{ line }}, '"', ''))
    {%- else -%}
    (length({{ line }}) - length(replace({{ line }}, '\x22', ''))) // 4
    {%- endif -%}
{%- endmacro %}

{#- What joins the raw lines of a record: a line break, as the dialect holds raw lines. -#}
{% macro strict_csv_raw_line_break(dialect) -%}
    {%- if dialect == 'spark' -%}chr(10){%- else -%}'\x0A'{%- endif -%}
{%- endmacro %}

{#- The raw bytes of a record shown as DuckDB shows a blob: printable ASCII as it is, every other
    byte (and quotes, apostrophes, backslashes) as `\xHH`. DuckDB's raw lines already are that. -#}
{% macro strict_csv_escaped_bytes(dialect, raw) -%}
    {%- if dialect == 'spark' -%}
    array_join(transform(regexp_extract_all(hex(cast({{ raw }} as binary)), '([0-9A-F]{2})', 1), byte -> case when byte between '20' and '7E' and byte not in ('22', '27', '5C') then cast(unhex(byte) as string) else '\\x' || byte end), '')
    {%- else -%}
    {{ raw }}
    {%- endif -%}
{%- endmacro %}

{% macro strict_csv_ordered_concat(dialect, value, separator, order_by) -%}
    {%- if dialect == 'spark' -%}
    listagg({{ value }}, {{ separator }}) within group (order by {{ order_by }})
    {%- else -%}
    string_agg({{ value }}, {{ separator }} order by {{ order_by }})
    {%- endif -%}
{%- endmacro %}

{#- Whether the whole of `text` matches `pattern` (a pattern, not a literal). -#}
{% macro strict_csv_full_match(dialect, text, pattern) -%}
    {%- if dialect == 'spark' -%}
    {{ text }} rlike {{ strict_csv_regex(dialect, '^(?:' ~ pattern ~ ')\\z') }}
    {%- else -%}
    regexp_full_match({{ text }}, {{ strict_csv_regex(dialect, pattern) }})
    {%- endif -%}
{%- endmacro %}

{#- Whether `text` holds a match of `pattern_literal` (a string literal from strict_csv_regex). -#}
{% macro strict_csv_contains_match(dialect, text, pattern_literal) -%}
    {%- if dialect == 'spark' -%}
    {{ text }} rlike {{ pattern_literal }}
    {%- else -%}
    regexp_matches({{ text }}, {{ pattern_literal }})
    {%- endif -%}
{%- endmacro %}

{% macro strict_csv_replacement_character(dialect) -%}
    {%- if dialect == 'spark' -%}'\uFFFD'{%- else -%}chr(65533){%- endif -%}
{%- endmacro %}

{% macro strict_csv_all_matches_flag(dialect) -%}
    {%- if dialect != 'spark' -%}, 'g'{%- endif -%}
{%- endmacro %}

{#- `text` split at every comma, keeping empty values. -#}
{% macro strict_csv_split(dialect, text) -%}
    {%- if dialect == 'spark' -%}split({{ text }}, ',', -1){%- else -%}string_split({{ text }}, ','){%- endif -%}
{%- endmacro %}

{% macro strict_csv_transform(dialect) -%}
    {%- if dialect == 'spark' -%}transform{%- else -%}list_transform{%- endif -%}
{%- endmacro %}

{#- The value at a 1-based position of a list, null past its end. -#}
{% macro strict_csv_element(dialect, list, position) -%}
    {%- if dialect == 'spark' -%}try_element_at({{ list }}, {{ position }}){%- else -%}{{ list }}[{{ position }}]{%- endif -%}
{%- endmacro %}

{% macro strict_csv_length(dialect, list) -%}
    {%- if dialect == 'spark' -%}size({{ list }}){%- else -%}len({{ list }}){%- endif -%}
{%- endmacro %}

{% macro strict_csv_identifier(dialect, name) -%}
    {%- if dialect == 'spark' -%}`{{ name }}`{%- else -%}"{{ name }}"{%- endif -%}
{%- endmacro %}
