{{ config(materialized='table') }}
-- The rolling decayed state, stored as periods: for each scoring model, lead and event signal, one
-- row per as-of date of int_scoring_dates on which something new had happened since the previous
-- one, valid until the next such date. Exponential decay is memoryless, so the state at each of
-- those dates is the previous one decayed over the days between plus the new increment, and the
-- state at any as-of date inside a period is the period's state decayed from its first day
-- (int_lead_signal_states_by_date): every signal day is read once, for the first as-of date on or
-- after it, and no row is written for a date on which nothing happened. The days up to the anchor
-- date (the day before the run's earliest as-of date that is not a backtest cutoff) come already
-- rolled up, from the kept anchor states (int_lead_signal_anchor_states): a daily run reads only
-- the signal days since. A run that scores a backtest cutoff before it reads every signal day.
-- A day listed only to repair the history (int_scoring_dates.scores_every_lead false) cuts the
-- periods of the leads it repairs (int_score_history_changed_leads) alone: no other lead is read
-- there (int_lead_signal_states_by_date), and at 1,000,000 leads an hourly run's 15 repair days cut
-- every active lead's month into daily periods (13.4M rows, 10.0M without).
with

anchor_states as (

    select * from {{ ref('int_lead_signal_anchor_states') }}

),

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

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

last_scoring_date as (

    select max(as_of_date) as last_as_of_date from scoring_dates

),

dated as (

    select
        scoring_dates.as_of_date,
        scoring_dates.scores_every_lead,
        {{ dbt.datediff('scoring_dates.as_of_date', 'last_scoring_date.last_as_of_date', 'day') }}
            as days_before_last_date
    from scoring_dates
    cross join last_scoring_date

),

-- the anchor states (each as of its anchor date, on or before the anchor date of this run) and the
-- signal days after the anchor date: together, every signal day exactly once. A run that scores a
-- backtest cutoff on or before the anchor date reads every signal day instead.
state_inputs as (

    select
        anchor_date as activity_date,
        scoring_model,
        component,
        signal_id,
        lead_id,
        decayed_units,
        units,
        event_count,
        last_activity_date,
        last_occurred_at
    from anchor_states
    where not {{ run_reads_before_anchor('scoring_dates') }}
    union all
    select
        activity_date,
        scoring_model,
        component,
        signal_id,
        lead_id,
        units as decayed_units,
        units,
        event_count,
        activity_date as last_activity_date,
        last_occurred_at
    from signal_days
    where activity_date > {{ anchor_date_of_run('scoring_dates') }}
        or {{ run_reads_before_anchor('scoring_dates') }}

),

-- each day with activity belongs to the first as-of date on or after it (days after the last
-- as-of date belong to none: they are in the future of every score); for a lead the run does not
-- repair, to the first such date that scores every lead
segmented_inputs as (

    {{ inputs_by_segment('state_inputs', 'dated', 'repaired_leads') }}

),

-- what happened between one as-of date and the next, decayed to the later date
increments as (

    select
        segmented_inputs.segment_date,
        segmented_inputs.scoring_model,
        segmented_inputs.component,
        segmented_inputs.signal_id,
        segmented_inputs.lead_id,
        sum(
            {{ decayed_to(
                'segmented_inputs.decayed_units',
                'segmented_inputs.activity_date',
                'segmented_inputs.segment_date',
                'signals.half_life_days'
            ) }}
        ) as decayed_units,
        sum(segmented_inputs.units) as units,
        sum(segmented_inputs.event_count) as event_count,
        max(segmented_inputs.last_activity_date) as last_activity_date,
        max(segmented_inputs.last_occurred_at) as last_occurred_at
    from segmented_inputs
    inner join signals
        on segmented_inputs.scoring_model = signals.scoring_model
        and segmented_inputs.component = signals.component
        and segmented_inputs.signal_id = signals.signal_id
    where segmented_inputs.segment_date is not null
    group by
        segmented_inputs.segment_date,
        segmented_inputs.scoring_model,
        segmented_inputs.component,
        segmented_inputs.signal_id,
        segmented_inputs.lead_id

),

-- state(d_k) = sum over j <= k of increment(d_j) * 0.5 ^ ((d_k - d_j) / half_life): the running
-- sum of increments decayed to the last as-of date, scaled back to d_k (the span of the as-of
-- dates must stay under 1,000 half-lives)
rolled as (

    select
        increments.segment_date as valid_from_date,
        lead(increments.segment_date) over (
            partition by increments.scoring_model, increments.component, increments.signal_id, increments.lead_id
            order by increments.segment_date
        ) as valid_to_date,
        increments.scoring_model,
        increments.component,
        increments.signal_id,
        increments.lead_id,
        power(2, dated.days_before_last_date * {{ half_lives_per_day('signals.half_life_days') }})
        * sum(
            increments.decayed_units
            * power(0.5, dated.days_before_last_date * {{ half_lives_per_day('signals.half_life_days') }})
        ) over pair_to_date as decayed_units,
        sum(increments.units) over pair_to_date as units,
        sum(increments.event_count) over pair_to_date as event_count,
        max(increments.last_activity_date) over pair_to_date as last_activity_date,
        max(increments.last_occurred_at) over pair_to_date as last_occurred_at
    from increments
    inner join dated
        on increments.segment_date = dated.as_of_date
    inner join signals
        on increments.scoring_model = signals.scoring_model
        and increments.component = signals.component
        and increments.signal_id = signals.signal_id
    window pair_to_date as (
        partition by increments.scoring_model, increments.component, increments.signal_id, increments.lead_id
        order by increments.segment_date
        rows between unbounded preceding and current row
    )

),

final as (

    select
        valid_from_date,
        valid_to_date,
        scoring_model,
        component,
        signal_id,
        lead_id,
        -- decay never adds: the running sum's last-digit rounding is not allowed to exceed the units
        cast(case when decayed_units > units then units else decayed_units end as {{ type_double() }})
            as decayed_units,
        cast(units as {{ type_double() }}) as units,
        cast(event_count as {{ dbt.type_bigint() }}) as event_count,
        last_activity_date,
        last_occurred_at
    from rolled

)

select * from final
