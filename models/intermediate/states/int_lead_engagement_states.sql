{{ config(materialized='table') }}
-- For each as-of date of int_scoring_dates and lead that had engaged by then: the day of its last
-- engagement event, what inactivity rules and days since last engagement are read from. Rolled
-- like the signal states: each engagement day is read once, for the first as-of date on or after it.
with

engagement_days as (

    select * from {{ ref('int_lead_engagement_days') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

activity_dates as (

    select distinct activity_date from engagement_days

),

day_segments as (

    select
        activity_dates.activity_date,
        min(scoring_dates.as_of_date) as segment_date
    from activity_dates
    inner join scoring_dates
        on activity_dates.activity_date <= scoring_dates.as_of_date
    group by activity_dates.activity_date

),

increments as (

    select
        day_segments.segment_date,
        engagement_days.lead_id,
        max(engagement_days.activity_date) as last_engagement_date
    from engagement_days
    inner join day_segments
        on engagement_days.activity_date = day_segments.activity_date
    group by day_segments.segment_date, engagement_days.lead_id

),

first_segments as (

    select
        lead_id,
        min(segment_date) as first_segment_date
    from increments
    group by lead_id

),

grid as (

    select
        scoring_dates.as_of_date,
        first_segments.lead_id,
        increments.last_engagement_date
    from first_segments
    inner join scoring_dates
        on first_segments.first_segment_date <= scoring_dates.as_of_date
    left join increments
        on first_segments.lead_id = increments.lead_id
        and scoring_dates.as_of_date = increments.segment_date

),

final as (

    select
        as_of_date,
        lead_id,
        max(last_engagement_date) over (
            partition by lead_id
            order by as_of_date
            rows between unbounded preceding and current row
        ) as last_engagement_date
    from grid

)

select * from final
