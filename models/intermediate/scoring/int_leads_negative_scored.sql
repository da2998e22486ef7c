{{ config(materialized='table') }}
-- Materialized as a table: three models (the scores by date, the live ledger, the backtest ledger)
-- and its data tests read it, and as a view each of them computed it again (at 1M leads, ~80 s each).
-- Negative ledger rows at every as-of date of the run (positive magnitudes): attribute
-- disqualifiers the lead's valid version matches, event rules with a matching event in their
-- window (read from the rolling state's last activity date), inactivity rules, and the closed-lost
-- rule (scoring_closed_lost_rules) once an opportunity of the lead was closed lost by the as-of date.
with

population as (

    select * from {{ ref('int_scoring_population') }}

),

matched_rules as (

    select * from {{ ref('int_lead_attribute_rules_matched') }}

),

signal_states as (

    select * from {{ ref('int_lead_signal_states_by_date') }}

),

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

negative_rules as (

    select * from {{ ref('scoring_negative_rules') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

closed_lost_rules as (

    select * from {{ ref('scoring_closed_lost_rules') }}

),

behavioral_rows as (

    select * from {{ ref('int_leads_behavior_scored') }}

),

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

attribute_rows as (

    {{ attribute_rule_ledger_rows('population', 'matched_rules', 'negative') }}

),

event_rows as (

    select
        population.as_of_date,
        population.is_live,
        population.is_backtest,
        population.scoring_model,
        population.lead_id,
        'negative' as component,
        signals.signal_id as rule_id,
        signals.reason_label,
        cast(null as {{ dbt.type_string() }}) as matched_value,
        signal_states.event_count,
        signal_states.last_occurred_at,
        signal_states.decayed_units,
        cast(signals.points_per_unit as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(signals.points_per_unit as {{ type_double() }}) as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        cast(signals.points_per_unit as {{ type_double() }}) as points
    from population
    inner join signal_states
        on population.as_of_date = signal_states.as_of_date
        and population.scoring_model = signal_states.scoring_model
        and population.lead_id = signal_states.lead_id
    inner join signals
        on signal_states.scoring_model = signals.scoring_model
        and signal_states.component = signals.component
        and signal_states.signal_id = signals.signal_id
    where signal_states.component = 'negative'
        and (
            signals.window_days is null
            or {{ dbt.datediff('signal_states.last_activity_date', 'population.as_of_date', 'day') }}
            < signals.window_days
        )

),

inactivity_rows as (

    select
        population.as_of_date,
        population.is_live,
        population.is_backtest,
        population.scoring_model,
        population.lead_id,
        'negative' as component,
        negative_rules.rule_id,
        negative_rules.reason_label,
        cast(population.days_since_last_engagement as {{ dbt.type_string() }}) as matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(population.last_engagement_date as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(null as {{ type_double() }}) as decayed_units,
        cast(negative_rules.points as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(negative_rules.points as {{ type_double() }}) as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        cast(negative_rules.points as {{ type_double() }}) as points
    from population
    inner join negative_rules
        on population.scoring_model = negative_rules.scoring_model
    where negative_rules.rule_type = 'inactivity'
        and population.days_since_last_engagement >= negative_rules.window_days

),

lost_opportunities as (

    select
        lead_id,
        opportunity_id,
        closed_at,
        cast(closed_at as date) as closed_date
    from opportunities
    where is_closed and not is_won and closed_at is not null

),

lost_leads as (

    select distinct lead_id from lost_opportunities

),

-- point in time: at each as-of date only the opportunities closed lost by then count; the rule
-- applies once, from the latest of them
losses_by_date as (

    select
        population.as_of_date,
        population.scoring_model,
        population.lead_id,
        lost_opportunities.opportunity_id,
        lost_opportunities.closed_at,
        lost_opportunities.closed_date,
        count(*) over (
            partition by population.as_of_date, population.scoring_model, population.lead_id
        ) as lost_opportunity_count,
        row_number() over (
            partition by population.as_of_date, population.scoring_model, population.lead_id
            order by lost_opportunities.closed_at desc, lost_opportunities.opportunity_id desc
        ) as recency_rank
    from population
    inner join lost_opportunities
        on population.lead_id = lost_opportunities.lead_id
        and lost_opportunities.closed_date <= population.as_of_date

),

behavioral_scores as (

    select
        behavioral_rows.as_of_date,
        behavioral_rows.scoring_model,
        behavioral_rows.lead_id,
        sum(behavioral_rows.points) as behavioral_points
    from behavioral_rows
    inner join lost_leads
        on behavioral_rows.lead_id = lost_leads.lead_id
    group by behavioral_rows.as_of_date, behavioral_rows.scoring_model, behavioral_rows.lead_id

),

-- the behavioral score as the total sees it: after the model's behavioral cap
capped_behavioral_scores as (

    select
        behavioral_scores.as_of_date,
        behavioral_scores.scoring_model,
        behavioral_scores.lead_id,
        case
            when scoring_models.behavioral_cap_points is not null
                and behavioral_scores.behavioral_points > scoring_models.behavioral_cap_points
                then scoring_models.behavioral_cap_points
            else behavioral_scores.behavioral_points
        end as behavioral_points
    from behavioral_scores
    inner join scoring_models
        on behavioral_scores.scoring_model = scoring_models.scoring_model

),

closed_lost_points as (

    select
        population.as_of_date,
        population.is_live,
        population.is_backtest,
        population.scoring_model,
        population.lead_id,
        closed_lost_rules.rule_id,
        closed_lost_rules.reason_label,
        losses_by_date.opportunity_id,
        losses_by_date.lost_opportunity_count,
        losses_by_date.closed_at,
        case
            when closed_lost_rules.action = 'reset_behavioral'
                then coalesce(capped_behavioral_scores.behavioral_points, 0)
            else closed_lost_rules.points
        end as rule_points
    from population
    inner join losses_by_date
        on population.as_of_date = losses_by_date.as_of_date
        and population.scoring_model = losses_by_date.scoring_model
        and population.lead_id = losses_by_date.lead_id
        and losses_by_date.recency_rank = 1
    inner join closed_lost_rules
        on population.scoring_model = closed_lost_rules.scoring_model
    left join capped_behavioral_scores
        on population.as_of_date = capped_behavioral_scores.as_of_date
        and population.scoring_model = capped_behavioral_scores.scoring_model
        and population.lead_id = capped_behavioral_scores.lead_id
    where closed_lost_rules.window_days is null
        or {{ dbt.datediff('losses_by_date.closed_date', 'population.as_of_date', 'day') }}
        < closed_lost_rules.window_days

),

closed_lost_rows as (

    select
        as_of_date,
        is_live,
        is_backtest,
        scoring_model,
        lead_id,
        'negative' as component,
        rule_id,
        reason_label,
        cast(opportunity_id as {{ dbt.type_string() }}) as matched_value,
        cast(lost_opportunity_count as {{ dbt.type_bigint() }}) as event_count,
        cast(closed_at as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(null as {{ type_double() }}) as decayed_units,
        cast(rule_points as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(rule_points as {{ type_double() }}) as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        cast(rule_points as {{ type_double() }}) as points
    from closed_lost_points

),

final as (

    select * from attribute_rows
    union all
    select * from event_rows
    union all
    select * from inactivity_rows
    union all
    select * from closed_lost_rows

)

select * from final
