-- Warns when staged events have an event type the event_types seed does not know: they are kept
-- (is_known_event_type = false) but no signal can score them. One row per unknown type with its
-- count; to score one, add it to seeds/reference/event_types.csv and give it a row in
-- seeds/scoring/scoring_behavioral_signals.csv (docs/weights.md, "A signal for an unknown event type").
{{ config(severity='warn', group='lead_scoring') }}

with

events as (

    select * from {{ ref('stg_marketing__events') }}

),

final as (

    select
        event_type,
        count(*) as events,
        count(distinct lead_id) as leads
    from events
    where not is_known_event_type
    group by event_type

)

select * from final
