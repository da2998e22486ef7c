-- The rolling state read at every as-of date of int_scoring_dates: one row per as-of date, scoring
-- model, event signal and lead that has matched the signal by then, from the state period that
-- holds the date, decayed from the period's first day to the as-of date (before points and caps,
-- which are applied when a score is read from it). A view: it costs one pass over the periods.
with

signal_states as (

    select * from {{ ref('int_lead_signal_states') }}

),

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

final as (

    select
        scoring_dates.as_of_date,
        signal_states.scoring_model,
        signal_states.component,
        signal_states.signal_id,
        signal_states.lead_id,
        cast(
            {{ decayed_to(
                'signal_states.decayed_units',
                'signal_states.valid_from_date',
                'scoring_dates.as_of_date',
                'signals.half_life_days'
            ) }} as {{ type_double() }}
        ) as decayed_units,
        signal_states.units,
        signal_states.event_count,
        signal_states.last_activity_date,
        signal_states.last_occurred_at
    from signal_states
    inner join scoring_dates
        on signal_states.valid_from_date <= scoring_dates.as_of_date
        and (signal_states.valid_to_date is null or scoring_dates.as_of_date < signal_states.valid_to_date)
    inner join signals
        on signal_states.scoring_model = signals.scoring_model
        and signal_states.component = signals.component
        and signal_states.signal_id = signals.signal_id

)

select * from final
