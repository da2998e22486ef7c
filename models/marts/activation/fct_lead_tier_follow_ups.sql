-- One row per tier entry (fct_lead_tier_transitions): where the lead was routed (routing_rules:
-- its tier and segment), when the follow-up clock started and ends, its first sales touch at or
-- after the entry (a touch event or an opportunity, known by the end of the scoring date) and the
-- SLA status at the end of the scoring date. The MQL entries are the follow-ups sales is measured on.
with

transitions as (

    select * from {{ ref('fct_lead_tier_transitions') }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

touches as (

    select * from {{ ref('int_lead_sales_touches') }}

),

segments as (

    select * from {{ ref('int_lead_routing_segments') }}

),

routing_rules as (

    select * from {{ ref('routing_rules') }}

),

history_starts as (

    select
        scoring_model,
        min(transition_date) as history_start_date
    from transitions
    group by scoring_model

),

tier_entries as (

    select
        transitions.scoring_model,
        transitions.lead_id,
        transitions.to_tier as tier,
        transitions.from_tier,
        transitions.transition_date as entered_date,
        lead(transitions.transition_date) over (
            partition by transitions.scoring_model, transitions.lead_id order by transitions.transition_date
        ) as left_date,
        transitions.is_mql_entry,
        -- the lead's first day in the history, but created before it: it entered the tier earlier
        coalesce(
            transitions.from_tier is null
            and transitions.transition_date = history_starts.history_start_date
            and leads.created_date < transitions.transition_date,
            false
        ) as is_entry_censored
    from transitions
    inner join history_starts
        on transitions.scoring_model = history_starts.scoring_model
    left join leads
        on transitions.lead_id = leads.lead_id

),

-- the days a tier was entered, of the leads that entered one
entry_days as (

    select distinct
        lead_id,
        entered_date
    from tier_entries

),

-- the last engagement event of each such day (a tier entered that day was entered at the latest
-- then: scores are as of the end of each day), read for those days alone rather than for every
-- lead and day (33M groups at 1,000,000 leads)
entry_engagements as (

    select
        events.lead_id,
        events.occurred_date as entered_date,
        max(events.occurred_at) as last_engaged_at
    from events
    inner join entry_days
        on events.lead_id = entry_days.lead_id
        and events.occurred_date = entry_days.entered_date
    inner join event_types
        on events.event_type = event_types.event_type
    where event_types.is_engagement
    group by events.lead_id, events.occurred_date

),

timed_entries as (

    select
        tier_entries.*,
        case
            when tier_entries.is_entry_censored then cast(tier_entries.entered_date as {{ dbt.type_timestamp() }})
            else coalesce(
                    entry_engagements.last_engaged_at,
                    cast(tier_entries.entered_date as {{ dbt.type_timestamp() }})
                )
        end as entered_at
    from tier_entries
    left join entry_engagements
        on tier_entries.lead_id = entry_engagements.lead_id
        and tier_entries.entered_date = entry_engagements.entered_date

),

segment_routes as (

    select
        timed_entries.scoring_model,
        timed_entries.lead_id,
        timed_entries.entered_date,
        routing_rules.segment_attribute,
        routing_rules.segment_value,
        routing_rules.queue,
        routing_rules.owner_team,
        routing_rules.sla_hours
    from timed_entries
    inner join segments
        on timed_entries.scoring_model = segments.scoring_model
        and timed_entries.lead_id = segments.lead_id
    inner join routing_rules
        on timed_entries.scoring_model = routing_rules.scoring_model
        and timed_entries.tier = routing_rules.tier
        and segments.segment_attribute = routing_rules.segment_attribute
        and segments.segment_value = routing_rules.segment_value

),

routed as (

    select
        timed_entries.*,
        segment_routes.segment_attribute as routing_segment_attribute,
        segment_routes.segment_value as routing_segment_value,
        coalesce(segment_routes.queue, fallback_routes.queue) as queue,
        coalesce(segment_routes.owner_team, fallback_routes.owner_team) as owner_team,
        case
            when segment_routes.queue is not null then segment_routes.sla_hours
            else fallback_routes.sla_hours
        end as sla_hours
    from timed_entries
    left join segment_routes
        on timed_entries.scoring_model = segment_routes.scoring_model
        and timed_entries.lead_id = segment_routes.lead_id
        and timed_entries.entered_date = segment_routes.entered_date
    left join routing_rules as fallback_routes
        on timed_entries.scoring_model = fallback_routes.scoring_model
        and timed_entries.tier = fallback_routes.tier
        and fallback_routes.segment_attribute is null

),

touches_after_entry as (

    select
        routed.scoring_model,
        routed.lead_id,
        routed.entered_date,
        touches.touch_type,
        touches.touched_at,
        touches.is_opportunity,
        row_number() over (
            partition by routed.scoring_model, routed.lead_id, routed.entered_date
            order by touches.touched_at, touches.touch_type, touches.touch_id
        ) as touch_rank
    from routed
    inner join touches
        on routed.lead_id = touches.lead_id
        and touches.touched_at >= routed.entered_at

),

first_touches as (

    select
        scoring_model,
        lead_id,
        entered_date,
        min(touched_at) as first_touched_at,
        max(case when touch_rank = 1 then touch_type end) as first_touch_type,
        min(case when is_opportunity then touched_at end) as first_opportunity_at
    from touches_after_entry
    group by scoring_model, lead_id, entered_date

),

with_deadlines as (

    select
        routed.*,
        case
            when routed.sla_hours is not null
                then {{ dbt.dateadd('hour', 'routed.sla_hours', 'routed.entered_at') }}
        end as sla_deadline_at,
        first_touches.first_touched_at,
        first_touches.first_touch_type,
        first_touches.first_opportunity_at,
        cast({{ dbt.dateadd('day', 1, score_as_of_date()) }} as {{ dbt.type_timestamp() }}) as evaluated_at
    from routed
    left join first_touches
        on routed.scoring_model = first_touches.scoring_model
        and routed.lead_id = first_touches.lead_id
        and routed.entered_date = first_touches.entered_date

),

final as (

    select
        scoring_model,
        lead_id,
        tier,
        from_tier,
        entered_date,
        left_date,
        left_date is null as is_current,
        is_mql_entry,
        is_entry_censored,
        entered_at,
        queue,
        owner_team,
        sla_hours,
        routing_segment_attribute,
        routing_segment_value,
        cast(sla_deadline_at as {{ dbt.type_timestamp() }}) as sla_deadline_at,
        first_touched_at,
        first_touch_type,
        {{ hours_between('entered_at', 'first_touched_at') }} as hours_to_first_touch,
        case
            when sla_hours is null then 'no_sla'
            when first_touched_at is not null and first_touched_at <= sla_deadline_at then 'touched_in_sla'
            when first_touched_at is not null then 'touched_late'
            when sla_deadline_at <= evaluated_at then 'breached_open'
            else 'awaiting_touch'
        end as sla_status,
        first_opportunity_at,
        first_opportunity_at is not null as is_converted,
        evaluated_at
    from with_deadlines

)

select * from final
