-- Raw event rows that failed a check, plus the valid rows whose event_id was not staged because its
-- deliveries disagree with each other, exactly as delivered.
with

event_deliveries as (

    select * from {{ ref('stg_marketing__event_deliveries') }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}

),

final as (

    select
        coalesce(
            event_deliveries.reject_reason,
            'conflicting deliveries of the same event_id'
        ) as reject_reason,
        event_deliveries.raw_event_id as event_id,
        event_deliveries.raw_lead_id as lead_id,
        event_deliveries.raw_event_type as event_type,
        event_deliveries.raw_occurred_at as occurred_at,
        event_deliveries.raw_page_url as page_url,
        event_deliveries.raw_duration_seconds as duration_seconds,
        event_deliveries.raw_line_number as line_number
    from event_deliveries
    left join events
        on event_deliveries.event_id = events.event_id
    where event_deliveries.reject_reason is not null
        or events.event_id is null

)

select * from final
