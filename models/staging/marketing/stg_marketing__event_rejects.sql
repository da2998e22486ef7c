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

-- valid deliveries whose event was not staged: ids that differ from another only in letter case,
-- or deliveries of one id that disagree (a valid delivery's lead is staged and its time is not in
-- the future, so every other valid delivery is staged)
unstaged as (

    select
        event_deliveries.*,
        folded_events.has_case_variant
    from event_deliveries
    inner join folded_events
        on event_deliveries.event_id = folded_events.event_id
    where event_deliveries.reject_reason is null
        and (folded_events.has_case_variant or not folded_events.is_consistent)

),

rejected as (

    select
        reject_reason,
        raw_event_id,
        raw_lead_id,
        raw_event_type,
        raw_occurred_at,
        raw_page_url,
        raw_duration_seconds,
        raw_line_number,
        raw_file_path
    from event_deliveries
    where reject_reason is not null
    union all
    select
        case
            when has_case_variant
                then 'event_id differs from another only in letter case, width or invisible characters'
            else 'conflicting deliveries of the same event_id'
        end as reject_reason,
        raw_event_id,
        raw_lead_id,
        raw_event_type,
        raw_occurred_at,
        raw_page_url,
        raw_duration_seconds,
        raw_line_number,
        raw_file_path
    from unstaged

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
