{{ config(materialized='table') }}
-- The rolling decayed state: for each as-of date of int_scoring_dates, scoring model, lead and
-- event signal the lead has matched by then, the decayed units (before points and caps) and the
-- evidence. Exponential decay is memoryless, so the state at each date is the state at the
-- previous date decayed over the days between plus what happened in between: every signal day is
-- read once, for the first as-of date on or after it, and the dates are rolled one from the next.
with

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

),

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

-- half-lives per day of decay; signals without a half-life (disqualifier events) do not decay
decay_rates as (

    select
        scoring_model,
        component,
        signal_id,
        coalesce(1 / cast(half_life_days as {{ type_double() }}), 0) as half_lives_per_day
    from signals

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

last_scoring_date as (

    select max(as_of_date) as last_as_of_date from scoring_dates

),

dated as (

    select
        scoring_dates.as_of_date,
        {{ dbt.datediff('scoring_dates.as_of_date', 'last_scoring_date.last_as_of_date', 'day') }}
            as days_before_last_date
    from scoring_dates
    cross join last_scoring_date

),

activity_dates as (

    select distinct activity_date from signal_days

),

-- each day with activity belongs to the first as-of date on or after it (days after the last
-- as-of date belong to none: they are in the future of every score)
day_segments as (

    select
        activity_dates.activity_date,
        min(dated.as_of_date) as segment_date
    from activity_dates
    inner join dated
        on activity_dates.activity_date <= dated.as_of_date
    group by activity_dates.activity_date

),

-- what happened between one as-of date and the next, decayed to the later date
increments as (

    select
        day_segments.segment_date,
        signal_days.scoring_model,
        signal_days.component,
        signal_days.signal_id,
        signal_days.lead_id,
        sum(
            signal_days.units * power(
                0.5,
                {{ dbt.datediff('signal_days.activity_date', 'day_segments.segment_date', 'day') }}
                * decay_rates.half_lives_per_day
            )
        ) as decayed_units,
        sum(signal_days.units) as units,
        sum(signal_days.event_count) as event_count,
        max(signal_days.activity_date) as last_activity_date,
        max(signal_days.last_occurred_at) as last_occurred_at
    from signal_days
    inner join day_segments
        on signal_days.activity_date = day_segments.activity_date
    inner join decay_rates
        on signal_days.scoring_model = decay_rates.scoring_model
        and signal_days.component = decay_rates.component
        and signal_days.signal_id = decay_rates.signal_id
    group by
        day_segments.segment_date,
        signal_days.scoring_model,
        signal_days.component,
        signal_days.signal_id,
        signal_days.lead_id

),

first_segments as (

    select
        scoring_model,
        component,
        signal_id,
        lead_id,
        min(segment_date) as first_segment_date
    from increments
    group by scoring_model, component, signal_id, lead_id

),

-- every as-of date from a lead's first matching event on, with that date's increment if any
grid as (

    select
        dated.as_of_date,
        dated.days_before_last_date,
        first_segments.scoring_model,
        first_segments.component,
        first_segments.signal_id,
        first_segments.lead_id,
        coalesce(increments.decayed_units, 0) as decayed_units_increment,
        coalesce(increments.units, 0) as units_increment,
        coalesce(increments.event_count, 0) as event_count_increment,
        increments.last_activity_date,
        increments.last_occurred_at
    from first_segments
    inner join dated
        on first_segments.first_segment_date <= dated.as_of_date
    left join increments
        on first_segments.scoring_model = increments.scoring_model
        and first_segments.component = increments.component
        and first_segments.signal_id = increments.signal_id
        and first_segments.lead_id = increments.lead_id
        and dated.as_of_date = increments.segment_date

),

-- state(d_k) = sum over j <= k of increment(d_j) * 0.5 ^ ((d_k - d_j) / half_life): the running
-- sum of increments decayed to the last as-of date, scaled back to d_k (exact at the live date,
-- the last one; the span of the as-of dates must stay under 1,000 half-lives)
rolled as (

    select
        grid.as_of_date,
        grid.scoring_model,
        grid.component,
        grid.signal_id,
        grid.lead_id,
        power(2, grid.days_before_last_date * decay_rates.half_lives_per_day)
        * sum(
            grid.decayed_units_increment
            * power(0.5, grid.days_before_last_date * decay_rates.half_lives_per_day)
        ) over (
            partition by grid.scoring_model, grid.component, grid.signal_id, grid.lead_id
            order by grid.as_of_date
            rows between unbounded preceding and current row
        ) as decayed_units,
        sum(grid.units_increment) over (
            partition by grid.scoring_model, grid.component, grid.signal_id, grid.lead_id
            order by grid.as_of_date
            rows between unbounded preceding and current row
        ) as units,
        sum(grid.event_count_increment) over (
            partition by grid.scoring_model, grid.component, grid.signal_id, grid.lead_id
            order by grid.as_of_date
            rows between unbounded preceding and current row
        ) as event_count,
        max(grid.last_activity_date) over (
            partition by grid.scoring_model, grid.component, grid.signal_id, grid.lead_id
            order by grid.as_of_date
            rows between unbounded preceding and current row
        ) as last_activity_date,
        max(grid.last_occurred_at) over (
            partition by grid.scoring_model, grid.component, grid.signal_id, grid.lead_id
            order by grid.as_of_date
            rows between unbounded preceding and current row
        ) as last_occurred_at
    from grid
    inner join decay_rates
        on grid.scoring_model = decay_rates.scoring_model
        and grid.component = decay_rates.component
        and grid.signal_id = decay_rates.signal_id

),

final as (

    select
        as_of_date,
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
