{{ config(materialized='table') }}
-- The compact state the score is computed from: one row per scoring model, lead, event signal and
-- day, with the number of matching events and the units they earn points for (events, or minutes
-- of duration). Every score, live, backtest or history, is computed from this table, never from
-- raw events, so rescoring as of another date does not touch the event stream again.
with

events as (

    select * from {{ ref('stg_marketing__events') }}

),

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

matched as (

    select
        signals.scoring_model,
        signals.component,
        signals.signal_id,
        events.lead_id,
        events.occurred_date,
        events.occurred_at,
        case signals.measure
            when 'occurrence' then 1
            when 'duration_minutes' then coalesce(events.duration_seconds, 0) / 60.0
        end as units
    from events
    inner join signals
        on events.event_type = signals.event_type
        and (signals.page_path_pattern is null or events.page_path like signals.page_path_pattern)

),

final as (

    select
        scoring_model,
        component,
        signal_id,
        lead_id,
        occurred_date as activity_date,
        count(*) as event_count,
        sum(units) as units,
        max(occurred_at) as last_occurred_at
    from matched
    group by scoring_model, component, signal_id, lead_id, occurred_date

)

select * from final
