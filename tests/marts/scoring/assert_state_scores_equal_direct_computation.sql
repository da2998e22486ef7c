{{ config(enabled=var('check_against_direct_computation'), group='lead_scoring') }}
-- The test oracle of the rolling states: every behavioral and disqualifier-event ledger row and
-- every day since last engagement, at every as-of date of the run (live, history, backtests),
-- computed directly from all signal and engagement days up to that date (the cost is dates x
-- events, which is why it runs on the fixture only: var check_against_direct_computation). Fails
-- on any row where the two disagree.
with

population as (

    select * from {{ ref('int_scoring_population') }}

),

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

),

engagement_days as (

    select * from {{ ref('int_lead_engagement_days') }}

),

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

behavioral_rows as (

    select * from {{ ref('int_leads_behavior_scored') }}

),

negative_rows as (

    select * from {{ ref('int_leads_negative_scored') }}

),

direct_signals as (

    select
        population.as_of_date,
        population.scoring_model,
        population.lead_id,
        signals.component,
        signals.signal_id,
        sum(
            signal_days.units * signals.points_per_unit * case
                when signals.half_life_days is null then 1
                else power(
                    0.5,
                    {{ dbt.datediff('signal_days.activity_date', 'population.as_of_date', 'day') }}
                    / cast(signals.half_life_days as {{ type_double() }})
                )
            end
        ) as points_after_decay,
        sum(signal_days.event_count) as event_count,
        max(signal_days.activity_date) as last_activity_date,
        min(signals.window_days) as window_days
    from population
    inner join signal_days
        on population.scoring_model = signal_days.scoring_model
        and population.lead_id = signal_days.lead_id
        and signal_days.activity_date <= population.as_of_date
    inner join signals
        on signal_days.scoring_model = signals.scoring_model
        and signal_days.component = signals.component
        and signal_days.signal_id = signals.signal_id
    group by
        population.as_of_date, population.scoring_model, population.lead_id, signals.component, signals.signal_id

),

direct_behavioral as (

    select * from direct_signals
    where component = 'behavioral'

),

direct_negative_events as (

    select * from direct_signals
    where component = 'negative'
        and (
            window_days is null
            or {{ dbt.datediff('last_activity_date', 'as_of_date', 'day') }} < window_days
        )

),

state_negative_events as (

    select negative_rows.*
    from negative_rows
    inner join signals
        on negative_rows.scoring_model = signals.scoring_model
        and negative_rows.rule_id = signals.signal_id
        and signals.component = 'negative'

),

direct_engagement as (

    select
        population.as_of_date,
        population.lead_id,
        max(engagement_days.activity_date) as last_engagement_date
    from population
    inner join engagement_days
        on population.lead_id = engagement_days.lead_id
        and engagement_days.activity_date <= population.as_of_date
    group by population.as_of_date, population.lead_id

),

behavioral_mismatches as (

    select
        'behavioral' as what,
        coalesce(direct_behavioral.as_of_date, behavioral_rows.as_of_date) as as_of_date,
        coalesce(direct_behavioral.lead_id, behavioral_rows.lead_id) as lead_id,
        coalesce(direct_behavioral.signal_id, behavioral_rows.rule_id) as rule_id
    from direct_behavioral
    full outer join behavioral_rows
        on direct_behavioral.as_of_date = behavioral_rows.as_of_date
        and direct_behavioral.scoring_model = behavioral_rows.scoring_model
        and direct_behavioral.lead_id = behavioral_rows.lead_id
        and direct_behavioral.signal_id = behavioral_rows.rule_id
    where direct_behavioral.lead_id is null
        or behavioral_rows.lead_id is null
        or abs(direct_behavioral.points_after_decay - behavioral_rows.points_after_decay)
        > 0.000000001 * (1 + abs(direct_behavioral.points_after_decay))
        or direct_behavioral.event_count <> behavioral_rows.event_count

),

negative_event_mismatches as (

    select
        'negative event' as what,
        coalesce(direct_negative_events.as_of_date, state_negative_events.as_of_date) as as_of_date,
        coalesce(direct_negative_events.lead_id, state_negative_events.lead_id) as lead_id,
        coalesce(direct_negative_events.signal_id, state_negative_events.rule_id) as rule_id
    from direct_negative_events
    full outer join state_negative_events
        on direct_negative_events.as_of_date = state_negative_events.as_of_date
        and direct_negative_events.scoring_model = state_negative_events.scoring_model
        and direct_negative_events.lead_id = state_negative_events.lead_id
        and direct_negative_events.signal_id = state_negative_events.rule_id
    where direct_negative_events.lead_id is null or state_negative_events.lead_id is null

),

engagement_mismatches as (

    select
        'engagement' as what,
        population.as_of_date,
        population.lead_id,
        cast(null as {{ dbt.type_string() }}) as rule_id
    from population
    left join direct_engagement
        on population.as_of_date = direct_engagement.as_of_date
        and population.lead_id = direct_engagement.lead_id
    where not (
        population.last_engagement_date = direct_engagement.last_engagement_date
        or (population.last_engagement_date is null and direct_engagement.last_engagement_date is null)
    )

),

final as (

    select * from behavioral_mismatches
    union all
    select * from negative_event_mismatches
    union all
    select * from engagement_mismatches

)

select * from final
