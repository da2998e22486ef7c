with

event_deliveries as (

    select * from {{ ref('stg_marketing__event_deliveries') }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}

),

failed_checks as (

    select * from event_deliveries
    where reject_reason is not null

),

-- valid rows whose event_id was not staged: its deliveries disagree with each other
conflicting_deliveries as (

    select
        event_deliveries.raw_event_id,
        event_deliveries.raw_lead_id,
        event_deliveries.raw_event_type,
        event_deliveries.raw_occurred_at,
        event_deliveries.raw_page_url,
        event_deliveries.raw_duration_seconds,
        'conflicting deliveries of the same event_id' as reject_reason
    from event_deliveries
    left join events
        on event_deliveries.event_id = events.event_id
    where event_deliveries.reject_reason is null
        and events.event_id is null

),

unioned as (

    select
        raw_event_id,
        raw_lead_id,
        raw_event_type,
        raw_occurred_at,
        raw_page_url,
        raw_duration_seconds,
        reject_reason
    from failed_checks

    union all

    select
        raw_event_id,
        raw_lead_id,
        raw_event_type,
        raw_occurred_at,
        raw_page_url,
        raw_duration_seconds,
        reject_reason
    from conflicting_deliveries

),

final as (

    select
        reject_reason,
        raw_event_id as event_id,
        raw_lead_id as lead_id,
        raw_event_type as event_type,
        raw_occurred_at as occurred_at,
        raw_page_url as page_url,
        raw_duration_seconds as duration_seconds
    from unioned

)

select * from final
