{{ config(materialized='table') }}
-- One row per lead and day with at least one engagement event (event types flagged is_engagement in
-- the event_types seed): what inactivity and "days since last engagement" are computed from.
with

events as (

    select * from {{ ref('stg_marketing__events') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

final as (

    select
        events.lead_id,
        events.occurred_date as activity_date,
        count(*) as engagement_event_count
    from events
    inner join event_types
        on events.event_type = event_types.event_type
    where event_types.is_engagement
    group by events.lead_id, events.occurred_date

)

select * from final
