{{ config(materialized='table') }}
-- The lifecycle stages every lead reached by the end of the scoring date that do not depend on a
-- scoring model, one row per lead and stage with the first time it was reached: the lead's creation,
-- the stages events mark (lifecycle_event_stages: SAL, SQL), its first opportunity, the first won
-- opportunity, and lost when every opportunity known then is closed lost. The MQL stage comes from
-- each scoring model's tier history (fct_lead_lifecycle_stages), and so does the stage order.
-- Materialized as a table: its eleven data tests each computed the view again (10 s a run at
-- 1,000,000 leads).
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

events as (

    select * from {{ ref('stg_marketing__events') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

event_stages as (

    select * from {{ ref('lifecycle_event_stages') }}

),

known_leads as (

    select
        lead_id,
        created_at
    from leads
    where created_date <= {{ score_as_of_date() }}

),

-- what was known by the end of the scoring date
known_events as (

    select events.*
    from events
    where events.occurred_at < cast({{ dbt.dateadd('day', 1, score_as_of_date()) }} as {{ dbt.type_timestamp() }})

),

known_opportunities as (

    select
        opportunity_id,
        lead_id,
        created_at,
        -- closed as far as the scoring date knows: a close after it is still open then
        coalesce(
            is_closed
            and closed_at < cast({{ dbt.dateadd('day', 1, score_as_of_date()) }} as {{ dbt.type_timestamp() }}),
            false
        ) as is_closed_then,
        is_won,
        closed_at
    from opportunities
    where created_at < cast({{ dbt.dateadd('day', 1, score_as_of_date()) }} as {{ dbt.type_timestamp() }})

),

lead_rows as (

    select
        known_leads.lead_id,
        lifecycle_stages.lifecycle_stage,
        known_leads.created_at as reached_at,
        'lead_created' as reached_by,
        known_leads.lead_id as source_id
    from known_leads
    cross join lifecycle_stages
    where lifecycle_stages.reached_from = 'lead_created'

),

ranked_stage_events as (

    select
        known_events.lead_id,
        event_stages.lifecycle_stage,
        known_events.occurred_at,
        known_events.event_type,
        known_events.event_id,
        row_number() over (
            partition by known_events.lead_id, event_stages.lifecycle_stage
            order by known_events.occurred_at, known_events.event_id
        ) as event_rank
    from known_events
    inner join event_stages
        on known_events.event_type = event_stages.event_type

),

event_rows as (

    select
        lead_id,
        lifecycle_stage,
        occurred_at as reached_at,
        event_type as reached_by,
        event_id as source_id
    from ranked_stage_events
    where event_rank = 1

),

ranked_opportunities as (

    select
        known_opportunities.*,
        row_number() over (
            partition by known_opportunities.lead_id
            order by known_opportunities.created_at, known_opportunities.opportunity_id
        ) as created_rank,
        row_number() over (
            partition by known_opportunities.lead_id, known_opportunities.is_closed_then and known_opportunities.is_won
            order by known_opportunities.closed_at, known_opportunities.opportunity_id
        ) as won_rank,
        row_number() over (
            partition by known_opportunities.lead_id
            order by known_opportunities.closed_at desc, known_opportunities.opportunity_id desc
        ) as last_closed_rank,
        sum(case when known_opportunities.is_closed_then and known_opportunities.is_won then 1 else 0 end)
            over (partition by known_opportunities.lead_id)
            as won_count,
        sum(case when known_opportunities.is_closed_then then 0 else 1 end)
            over (partition by known_opportunities.lead_id)
            as open_count
    from known_opportunities

),

opportunity_rows as (

    select
        ranked_opportunities.lead_id,
        lifecycle_stages.lifecycle_stage,
        ranked_opportunities.created_at as reached_at,
        'opportunity_created' as reached_by,
        ranked_opportunities.opportunity_id as source_id
    from ranked_opportunities
    cross join lifecycle_stages
    where lifecycle_stages.reached_from = 'opportunity_created'
        and ranked_opportunities.created_rank = 1

),

won_rows as (

    select
        ranked_opportunities.lead_id,
        lifecycle_stages.lifecycle_stage,
        ranked_opportunities.closed_at as reached_at,
        'opportunity_won' as reached_by,
        ranked_opportunities.opportunity_id as source_id
    from ranked_opportunities
    cross join lifecycle_stages
    where lifecycle_stages.reached_from = 'opportunity_won'
        and ranked_opportunities.is_closed_then
        and ranked_opportunities.is_won
        and ranked_opportunities.won_rank = 1

),

-- lost: nothing won and nothing open any more; reached when the last opportunity was lost
lost_rows as (

    select
        ranked_opportunities.lead_id,
        lifecycle_stages.lifecycle_stage,
        ranked_opportunities.closed_at as reached_at,
        'opportunity_lost' as reached_by,
        ranked_opportunities.opportunity_id as source_id
    from ranked_opportunities
    cross join lifecycle_stages
    where lifecycle_stages.reached_from = 'opportunity_lost'
        and ranked_opportunities.won_count = 0
        and ranked_opportunities.open_count = 0
        and ranked_opportunities.last_closed_rank = 1

),

stage_rows as (

    select * from lead_rows
    union all
    select * from event_rows
    union all
    select * from opportunity_rows
    union all
    select * from won_rows
    union all
    select * from lost_rows

),

final as (

    select
        stage_rows.lead_id,
        stage_rows.lifecycle_stage,
        lifecycle_stages.stage_order,
        stage_rows.reached_at,
        cast(stage_rows.reached_at as date) as reached_date,
        stage_rows.reached_by,
        stage_rows.source_id
    from stage_rows
    inner join known_leads
        on stage_rows.lead_id = known_leads.lead_id
    inner join lifecycle_stages
        on stage_rows.lifecycle_stage = lifecycle_stages.lifecycle_stage

)

select * from final
