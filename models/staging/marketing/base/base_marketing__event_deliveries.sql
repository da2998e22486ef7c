{%- set parse_settings = event_parse_settings() -%}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}{{ delete_unstaged_raw_files(this, ref('base_marketing__event_files'), event_parse_settings()) }}{% endif %}",
) }}
-- Every raw event row (one per delivery), trimmed and parsed, staged incrementally by raw file: a
-- run parses only the files whose path and content fingerprint it has not staged yet (a new file,
-- or one whose content changed), and its post-hook deletes the rows of changed or removed files.
-- The checks that depend on the row alone are evaluated here (is_row_valid); the checks that can
-- change without the row changing (a staged lead, a time not in the future) are evaluated on every
-- read, in stg_marketing__event_deliveries.
with

source_events as (

    select * from {{ ref('base_inputs__events') }}

),

event_files as (

    select * from {{ ref('base_marketing__event_files') }}

),

{%- if is_incremental() %}
{%- set files_to_stage = raw_files_to_stage(ref('base_marketing__event_files'), this, parse_settings) %}

-- only the files this table does not have yet with the same content (listed when the model is
-- compiled, so the raw reader skips the others)
new_source_events as (

    select *
    from source_events
    {%- if files_to_stage %}
    where raw_file_path in (
        {%- for path in files_to_stage %}
        {{ raw_file_literal(path) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    )
    {%- else %}
    where 1 = 0
    {%- endif %}

),
{%- else %}

new_source_events as (

    select * from source_events

),
{%- endif %}

trimmed as (

    select
        new_source_events.raw_file_path,
        event_files.file_fingerprint,
        {{ clean_id('new_source_events.event_id') }} as event_id,
        {{ clean_id('new_source_events.lead_id') }} as lead_id,
        {{ regexp_replace_all('lower(' ~ clean_text('new_source_events.event_type') ~ ')', "'[^a-z0-9]+'", "'_'") }}
            as event_type,
        {{ clean_text('new_source_events.occurred_at') }} as occurred_at_text,
        {{ clean_text('new_source_events.page_url') }} as page_url,
        {{ clean_text('new_source_events.duration_seconds') }} as duration_seconds_text,
        new_source_events.event_id as raw_event_id,
        new_source_events.lead_id as raw_lead_id,
        new_source_events.event_type as raw_event_type,
        new_source_events.occurred_at as raw_occurred_at,
        new_source_events.page_url as raw_page_url,
        new_source_events.duration_seconds as raw_duration_seconds,
        cast(new_source_events.raw_line_number as {{ dbt.type_int() }}) as raw_line_number,
        new_source_events.raw_read_error
    from new_source_events
    inner join event_files
        on new_source_events.raw_file_path = event_files.raw_file_path

),

parsed as (

    select
        trimmed.*,
        {{ safe_cast_timestamp_utc('occurred_at_text') }} as occurred_at,
        {{ safe_cast_number('duration_seconds_text') }} as duration_seconds,
        -- the path of the page, lower case, without scheme, host, query string or fragment
        {{ regexp_replace_all(regexp_replace_all('lower(page_url)', "'^[a-z]+://[^/]+'", "''"), "'[?#].*$'", "''") }}
            as page_path
    from trimmed

),

final as (

    select
        raw_file_path,
        file_fingerprint,
        {{ parse_settings }} as parse_settings,
        {{ run_started_at_timestamp() }} as loaded_at,
        event_id,
        -- event ids are compared exactly; two that differ only in letter case share this key
        lower(event_id) as event_id_key,
        lead_id,
        event_type,
        occurred_at_text,
        page_url,
        duration_seconds_text,
        raw_event_id,
        raw_lead_id,
        raw_event_type,
        raw_occurred_at,
        raw_page_url,
        raw_duration_seconds,
        raw_line_number,
        raw_read_error,
        occurred_at,
        duration_seconds,
        page_path,
        -- a line the strict reader could not read fails on that alone: its values may be shifted
        (
            raw_read_error is null
            and {{ reject_reasons(event_delivery_checks(context_checks=false)) }} is null
        ) as is_row_valid,
        -- deliveries of one event agree when their content (blank counted as a value) has one fingerprint
        {{ fingerprint(['lead_id', 'event_type', 'occurred_at', 'page_url', 'duration_seconds']) }}
            as content_fingerprint
    from parsed

)

select * from final
