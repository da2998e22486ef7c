-- Negative ledger rows at every as-of date of the run (positive magnitudes): attribute
-- disqualifiers the lead's valid version matches, event rules with a matching event in their
-- window (read from the rolling state's last activity date), and inactivity rules.
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

final as (

    select * from attribute_rows
    union all
    select * from event_rows
    union all
    select * from inactivity_rows

)

select * from final
