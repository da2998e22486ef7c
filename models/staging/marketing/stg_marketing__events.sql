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

folded as (

    select
        event_id,
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
    group by event_id

),

-- event ids are compared exactly (case-sensitive); two that differ only in letter case are
-- ambiguous, and every delivery of both is rejected rather than counted twice
case_variant_ids as (

    select lower(event_id) as lower_event_id
    from folded
    group by lower(event_id)
    having count(*) > 1

),

final as (

    select
        folded.event_id,
        folded.lead_id,
        folded.event_type,
        folded.is_known_event_type,
        folded.is_before_lead_created,
        folded.occurred_at,
        cast(folded.occurred_at as date) as occurred_date,
        folded.page_url,
        folded.page_path,
        folded.duration_seconds,
        folded.delivery_count
    from folded
    left join case_variant_ids
        on lower(folded.event_id) = case_variant_ids.lower_event_id
    where folded.is_consistent
        and case_variant_ids.lower_event_id is null

)

select * from final
