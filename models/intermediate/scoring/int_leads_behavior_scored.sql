-- Behavioral ledger rows at every as-of date of the run: one row per as-of date, scoring model,
-- scored lead and behavioral signal it has matched by then, read from the rolling state: decayed
-- units times points_per_unit, capped at cap_points.
with

population as (

    select * from {{ ref('int_scoring_population') }}

),

signal_states as (

    select * from {{ ref('int_lead_signal_states_by_date') }}

),

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

state_points as (

    select
        population.as_of_date,
        population.is_live,
        population.is_backtest,
        population.scoring_model,
        population.lead_id,
        signals.signal_id,
        signals.reason_label,
        signals.cap_points,
        signal_states.event_count,
        signal_states.last_occurred_at,
        signal_states.decayed_units,
        signal_states.units * signals.points_per_unit as raw_points,
        signal_states.decayed_units * signals.points_per_unit as points_after_decay
    from population
    inner join signal_states
        on population.as_of_date = signal_states.as_of_date
        and population.scoring_model = signal_states.scoring_model
        and population.lead_id = signal_states.lead_id
    inner join signals
        on signal_states.scoring_model = signals.scoring_model
        and signal_states.component = signals.component
        and signal_states.signal_id = signals.signal_id
    where signal_states.component = 'behavioral'

),

final as (

    select
        as_of_date,
        is_live,
        is_backtest,
        scoring_model,
        lead_id,
        'behavioral' as component,
        signal_id as rule_id,
        reason_label,
        cast(null as {{ dbt.type_string() }}) as matched_value,
        event_count,
        last_occurred_at,
        decayed_units,
        cast(raw_points as {{ type_double() }}) as raw_points,
        cast(case when raw_points <> 0 then points_after_decay / raw_points end as {{ type_double() }})
            as decay_factor,
        cast(points_after_decay as {{ type_double() }}) as points_after_decay,
        cast(cap_points as {{ type_double() }}) as cap_points,
        cast(
            case
                when cap_points is not null and points_after_decay > cap_points then cap_points
                else points_after_decay
            end as {{ type_double() }}
        ) as points
    from state_points

)

select * from final
