{{ config(materialized='table') }}
-- For each lead, one row per as-of date of int_scoring_dates on which it had engaged since the
-- previous one, valid until the next such date: the day of its last engagement event by then, what
-- inactivity rules and days since last engagement are read from. Stored as periods like the signal
-- states: each engagement day is read once, for the first as-of date on or after it; the days up to
-- the anchor date come rolled up from int_lead_engagement_anchor_states. A day listed only to repair
-- the history cuts the periods of the leads it repairs alone, as in int_lead_signal_states.
with

anchor_states as (

    select * from {{ ref('int_lead_engagement_anchor_states') }}

),

engagement_days as (

    select * from {{ ref('int_lead_engagement_days') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

repaired_leads as (

    select * from {{ ref('int_score_history_changed_leads') }}
    where lead_id is not null

),

-- each lead's last engagement up to the anchor date (the day before the run's earliest as-of date
-- that is not a backtest cutoff) and its engagement days after it; every engagement day when the
-- run scores a backtest cutoff on or before the anchor date
engagement_inputs as (

    select
        lead_id,
        last_engagement_date as activity_date
    from anchor_states
    where not {{ run_reads_before_anchor('scoring_dates') }}
    union all
    select
        lead_id,
        activity_date
    from engagement_days
    where activity_date > {{ anchor_date_of_run('scoring_dates') }}
        or {{ run_reads_before_anchor('scoring_dates') }}

),

-- the first as-of date on or after each day, and the first that scores every lead (the segment of
-- the leads the run does not repair)
segmented_inputs as (

    {{ inputs_by_segment('engagement_inputs', 'scoring_dates', 'repaired_leads') }}

),

increments as (

    select
        segment_date,
        lead_id,
        max(activity_date) as last_engagement_date
    from segmented_inputs
    where segment_date is not null
    group by segment_date, lead_id

),

final as (

    select
        segment_date as valid_from_date,
        lead(segment_date) over (partition by lead_id order by segment_date) as valid_to_date,
        lead_id,
        last_engagement_date
    from increments

)

select * from final
