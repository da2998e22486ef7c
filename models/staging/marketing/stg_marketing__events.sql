{{ config(materialized='table') }}
-- Materialized as a table: it parses the raw text once, and every downstream model and test reads it.
-- One row per event: exact re-deliveries (same event_id, same content) are folded into one row and
-- counted in delivery_count. Deliveries of one event_id that disagree, and event ids that differ
-- only in letter case, are not guessed between: they go to stg_marketing__event_rejects.
with

event_deliveries as (

    select * from {{ ref('stg_marketing__event_deliveries') }}

),

valid_deliveries as (

    select
        event_deliveries.*,
        {{ fingerprint(['lead_id', 'event_type', 'occurred_at', 'page_url', 'duration_seconds']) }}
            as content_fingerprint
    from event_deliveries
    where event_deliveries.reject_reason is null

),

-- event ids are compared exactly (case-sensitive): the deliveries are grouped by the id in lower
-- case, so that ids differing only in letter case (ambiguous: every delivery of both is rejected
-- rather than counted twice) are found by the same pass that folds re-deliveries
folded as (

    select
        lower(event_id) as event_key,
        min(event_id) as event_id,
        max(event_id) as max_event_id,
        {{ any_value('lead_id') }} as lead_id,
        {{ any_value('event_type') }} as event_type,
        {{ any_value('occurred_at') }} as occurred_at,
        {{ any_value('page_url') }} as page_url,
        {{ any_value('page_path') }} as page_path,
        {{ any_value('duration_seconds') }} as duration_seconds,
        {{ any_value('is_known_event_type') }} as is_known_event_type,
        {{ any_value('is_before_lead_created') }} as is_before_lead_created,
        count(*) as delivery_count,
        -- deliveries agree when their content (blank counted as a value) has one fingerprint
        min(content_fingerprint) = max(content_fingerprint) as is_consistent
    from valid_deliveries
    group by lower(event_id)

),

final as (

    select
        event_id,
        lead_id,
        event_type,
        is_known_event_type,
        is_before_lead_created,
        occurred_at,
        cast(occurred_at as date) as occurred_date,
        page_url,
        page_path,
        duration_seconds,
        delivery_count
    from folded
    where is_consistent
        and event_id = max_event_id

)

select * from final
