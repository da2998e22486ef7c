-- Raw event rows that failed a check, plus the valid rows whose event_id was not staged (its
-- deliveries disagree with each other, or another id differs from it only in letter case), exactly
-- as delivered.
with

event_deliveries as (

    select * from {{ ref('stg_marketing__event_deliveries') }}

),

folded_events as (

    select * from {{ ref('base_marketing__events') }}

),

-- the events not staged although a delivery of theirs is valid: an id that differs from another only
-- in letter case, or deliveries of one id that disagree (a valid delivery's lead is staged and its
-- time is not in the future, so every other valid delivery is staged)
unstaged_events as (

    select
        event_id,
        has_case_variant
    from folded_events
    where has_case_variant or not is_consistent

),

-- one read of the deliveries: a view that names them twice makes DuckDB materialize all of them
-- (the reconciliation's count took 45 s at 55M rows instead of 7)
rejected as (

    select
        coalesce(
            event_deliveries.reject_reason,
            case
                when unstaged_events.has_case_variant
                    then 'event_id differs from another only in letter case, width or invisible characters'
                when unstaged_events.event_id is not null then 'conflicting deliveries of the same event_id'
            end
        ) as reject_reason,
        event_deliveries.raw_event_id,
        event_deliveries.raw_lead_id,
        event_deliveries.raw_event_type,
        event_deliveries.raw_occurred_at,
        event_deliveries.raw_page_url,
        event_deliveries.raw_duration_seconds,
        event_deliveries.raw_line_number,
        event_deliveries.raw_file_path
    from event_deliveries
    left join unstaged_events
        on event_deliveries.event_id = unstaged_events.event_id
    where event_deliveries.reject_reason is not null or unstaged_events.event_id is not null

),

final as (

    select
        reject_reason,
        raw_event_id as event_id,
        raw_lead_id as lead_id,
        raw_event_type as event_type,
        raw_occurred_at as occurred_at,
        raw_page_url as page_url,
        raw_duration_seconds as duration_seconds,
        raw_line_number as line_number,
        raw_file_path
    from rejected

)

select * from final
