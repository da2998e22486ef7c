-- The rolling state read at every as-of date of int_scoring_dates: one row per as-of date, scoring
-- model, event signal and lead that has matched the signal by then, from the state period that
-- holds the date, decayed from the period's first day to the as-of date (before points and caps,
-- which are applied when a score is read from it). A view: it costs one pass over the periods. A
-- day listed only to repair the history is read for the leads it repairs (at 1,000,000 leads, an
-- hourly run's 15 repair days made 116M rows of every lead's states).
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

repaired_leads as (

    select * from {{ ref('int_score_history_changed_leads') }}
    where lead_id is not null

),

-- every lead's states at the dates that score every lead; at a day listed only to repair the
-- history, the states of the leads it repairs (int_scoring_population scores no other)
states_at_dates as (

    {{ periods_at_scoring_dates('signal_states', 'scoring_dates', 'repaired_leads', [
        'valid_from_date', 'scoring_model', 'component', 'signal_id', 'lead_id', 'decayed_units', 'units',
        'event_count', 'last_activity_date', 'last_occurred_at',
    ]) }}

),

final as (

    select
        states_at_dates.as_of_date,
        states_at_dates.scoring_model,
        states_at_dates.component,
        states_at_dates.signal_id,
        states_at_dates.lead_id,
        cast(
            {{ decayed_to(
                'states_at_dates.decayed_units',
                'states_at_dates.valid_from_date',
                'states_at_dates.as_of_date',
                'signals.half_life_days'
            ) }} as {{ type_double() }}
        ) as decayed_units,
        states_at_dates.units,
        states_at_dates.event_count,
        states_at_dates.last_activity_date,
        states_at_dates.last_occurred_at
    from states_at_dates
    inner join signals
        on states_at_dates.scoring_model = signals.scoring_model
        and states_at_dates.component = signals.component
        and states_at_dates.signal_id = signals.signal_id

)

select * from final
