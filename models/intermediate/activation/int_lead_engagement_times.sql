-- One row per lead and day with engagement events up to the scoring date: the time of the last
-- one. A lead that enters a tier on a day entered it, at the latest, with that day's last
-- engagement (scores are as of the end of each day), which is when its follow-up clock starts.
with

events as (

    select * from {{ ref('stg_marketing__events') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

engagement_events as (

    select
        events.lead_id,
        events.occurred_date as activity_date,
        events.occurred_at
    from events
    inner join event_types
        on events.event_type = event_types.event_type
    where
        event_types.is_engagement
        and events.occurred_date <= {{ score_as_of_date() }}

),

final as (

    select
        lead_id,
        activity_date,
        max(occurred_at) as last_engaged_at
    from engagement_events
    group by lead_id, activity_date

)

select * from final
