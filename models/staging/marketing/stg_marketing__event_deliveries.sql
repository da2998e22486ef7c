{{ config(materialized='table') }}
-- Materialized as a table: it parses the raw text once, and every downstream model and test reads it.
-- Every raw event row (one per delivery), cleaned and checked row by row. Re-deliveries are folded
-- together in stg_marketing__events (which also sets aside event ids that differ only in letter
-- case); failed checks go to stg_marketing__event_rejects.
-- Read only after the volume guard passed (tests/staging/assert_raw_volumes_pass_the_guard.sql).
-- depends_on: {{ ref('stg_raw__source_volumes') }}
with

source_events as (

    select * from {{ source('marketing', 'events') }}

),

lead_versions as (

    select * from {{ ref('stg_crm__lead_versions') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

staged_lead_ids as (

    select
        lead_id,
        created_at as lead_created_at
    from lead_versions
    where record_status = 'staged'

),

trimmed as (

    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ regexp_replace_all('lower(' ~ clean_text('event_type') ~ ')', "'[^a-z0-9]+'", "'_'") }} as event_type,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ clean_text('page_url') }} as page_url,
        {{ clean_text('duration_seconds') }} as duration_seconds_text,
        event_id as raw_event_id,
        lead_id as raw_lead_id,
        event_type as raw_event_type,
        occurred_at as raw_occurred_at,
        page_url as raw_page_url,
        duration_seconds as raw_duration_seconds,
        cast(raw_line_number as {{ dbt.type_int() }}) as raw_line_number,
        raw_read_error
    from source_events

),

parsed as (

    select
        trimmed.*,
        {{ safe_cast_timestamp_utc('occurred_at_text') }} as occurred_at,
        {{ safe_cast_number('duration_seconds_text') }} as duration_seconds,
        -- the path of the page, lower case, without scheme, host, query string or fragment
        {{ regexp_replace_all(regexp_replace_all('lower(page_url)', "'^[a-z]+://[^/]+'", "''"), "'[?#].*$'", "''") }}
            as page_path,
        staged_lead_ids.lead_id is not null as is_known_lead,
        event_types.event_type is not null as is_known_event_type,
        staged_lead_ids.lead_created_at
    from trimmed
    left join staged_lead_ids
        on trimmed.lead_id = staged_lead_ids.lead_id
    left join event_types
        on trimmed.event_type = event_types.event_type

),

checked as (

    select
        parsed.*,
        -- kept on purpose (the visits before a sign-up form, merged by the marketing tool), flagged
        coalesce(parsed.occurred_at < parsed.lead_created_at, false) as is_before_lead_created,
        -- a line the strict reader could not read has only that reason: its values may be shifted
        coalesce(parsed.raw_read_error, {{ reject_reasons([
            ('event_id is null', 'missing event_id'),
            ('lead_id is null', 'missing lead_id'),
            ('lead_id is not null and not is_known_lead', 'lead_id not found among staged leads'),
            ('event_type is null', 'missing event_type'),
            ('occurred_at_text is null', 'missing occurred_at'),
            ('occurred_at_text is not null and occurred_at is null', 'unparseable occurred_at'),
            ('occurred_at > ' ~ latest_plausible_timestamp(), 'occurred_at in the future'),
            ('duration_seconds_text is not null and (duration_seconds is null or duration_seconds < 0)', 'invalid duration_seconds'),
            ('duration_seconds > ' ~ var('max_duration_seconds'), 'duration_seconds out of range'),
        ]) }}) as reject_reason
    from parsed

)

select * from checked
