-- One row per scoring model, lead and lifecycle stage the lead reached or skipped by the scoring
-- date. The stages of int_lead_lifecycle_events plus MQL, the first day the model's tier history
-- (fct_lead_tier_transitions) put the lead in an MQL tier. Stages only move forward: a stage counts
-- as reached on its first signal's day only when no later stage was reached before that day;
-- otherwise, or when its signal never came while a later stage was reached, it is skipped.
with

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

lifecycle_events as (

    select * from {{ ref('int_lead_lifecycle_events') }}

),

transitions as (

    select * from {{ ref('fct_lead_tier_transitions') }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

history_starts as (

    select
        scoring_model,
        min(transition_date) as history_start_date
    from transitions
    group by scoring_model

),

ranked_mql_entries as (

    select
        transitions.scoring_model,
        transitions.lead_id,
        transitions.transition_date,
        transitions.to_tier,
        row_number() over (
            partition by transitions.scoring_model, transitions.lead_id order by transitions.transition_date
        ) as entry_rank
    from transitions
    where transitions.is_mql_entry

),

mql_signals as (

    select
        ranked_mql_entries.scoring_model,
        ranked_mql_entries.lead_id,
        lifecycle_stages.lifecycle_stage,
        ranked_mql_entries.transition_date as signal_date,
        'tier_history' as reached_by,
        ranked_mql_entries.to_tier as source_id
    from ranked_mql_entries
    cross join lifecycle_stages
    where lifecycle_stages.reached_from = 'tier_history'
        and ranked_mql_entries.entry_rank = 1

),

lead_signals as (

    select
        scores.scoring_model,
        scores.lead_id,
        lifecycle_events.lifecycle_stage,
        lifecycle_events.reached_date as signal_date,
        lifecycle_events.reached_by,
        lifecycle_events.source_id
    from scores
    inner join lifecycle_events
        on scores.lead_id = lifecycle_events.lead_id

),

signals as (

    select * from lead_signals
    union all
    select mql_signals.*
    from mql_signals
    inner join scores
        on mql_signals.scoring_model = scores.scoring_model
        and mql_signals.lead_id = scores.lead_id

),

-- an event logged before the lead was created reaches its stage on the creation day
dated_signals as (

    select
        signals.scoring_model,
        signals.lead_id,
        signals.lifecycle_stage,
        lifecycle_stages.stage_order,
        case
            when signals.signal_date < leads.created_date then leads.created_date
            else signals.signal_date
        end as signal_date,
        signals.reached_by,
        signals.source_id
    from signals
    inner join lifecycle_stages
        on signals.lifecycle_stage = lifecycle_stages.lifecycle_stage
    inner join leads
        on signals.lead_id = leads.lead_id

),

-- per signal, the earliest signal of a later stage
later_signals as (

    select
        dated_signals.scoring_model,
        dated_signals.lead_id,
        dated_signals.lifecycle_stage,
        min(later.signal_date) as first_later_signal_date
    from dated_signals
    inner join dated_signals as later
        on dated_signals.scoring_model = later.scoring_model
        and dated_signals.lead_id = later.lead_id
        and later.stage_order > dated_signals.stage_order
    group by dated_signals.scoring_model, dated_signals.lead_id, dated_signals.lifecycle_stage

),

furthest_signals as (

    select
        scoring_model,
        lead_id,
        max(stage_order) as furthest_stage_order
    from dated_signals
    group by scoring_model, lead_id

),

-- every stage with a signal, and every stage before the furthest one (skipped when it has none)
stage_grid as (

    select
        furthest_signals.scoring_model,
        furthest_signals.lead_id,
        lifecycle_stages.lifecycle_stage,
        lifecycle_stages.stage_order
    from furthest_signals
    cross join lifecycle_stages
    where lifecycle_stages.stage_order < furthest_signals.furthest_stage_order

    union

    select
        scoring_model,
        lead_id,
        lifecycle_stage,
        stage_order
    from dated_signals

),

stages as (

    select
        stage_grid.scoring_model,
        stage_grid.lead_id,
        stage_grid.lifecycle_stage,
        stage_grid.stage_order,
        coalesce(
            dated_signals.signal_date is not null
            and (
                later_signals.first_later_signal_date is null
                or dated_signals.signal_date <= later_signals.first_later_signal_date
            ),
            false
        ) as is_reached,
        dated_signals.signal_date,
        dated_signals.reached_by,
        dated_signals.source_id,
        -- the tier history starts after the lead was created: it cannot show when (or whether)
        -- the lead first became an MQL before that
        coalesce(
            lifecycle_stages.reached_from = 'tier_history'
            and leads.created_date < history_starts.history_start_date,
            false
        ) as is_date_censored
    from stage_grid
    inner join lifecycle_stages
        on stage_grid.lifecycle_stage = lifecycle_stages.lifecycle_stage
    inner join leads
        on stage_grid.lead_id = leads.lead_id
    left join history_starts
        on stage_grid.scoring_model = history_starts.scoring_model
    left join dated_signals
        on stage_grid.scoring_model = dated_signals.scoring_model
        and stage_grid.lead_id = dated_signals.lead_id
        and stage_grid.lifecycle_stage = dated_signals.lifecycle_stage
    left join later_signals
        on stage_grid.scoring_model = later_signals.scoring_model
        and stage_grid.lead_id = later_signals.lead_id
        and stage_grid.lifecycle_stage = later_signals.lifecycle_stage

),

final as (

    select
        scoring_model,
        lead_id,
        lifecycle_stage,
        cast(stage_order as integer) as stage_order,
        is_reached,
        not is_reached as is_skipped,
        case when is_reached then signal_date end as reached_date,
        signal_date,
        reached_by,
        source_id,
        is_date_censored
    from stages

)

select * from final
