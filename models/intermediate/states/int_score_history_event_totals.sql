{{ config(
    materialized='incremental',
    unique_key=['score_date', 'scoring_model'],
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
    partition_by=(['score_date'] if target.type == 'spark' else none),
    on_schema_change='fail',
) }}
-- How many matching events each day of fct_lead_score_history was scored with (per scoring model,
-- events up to the end of the day), written with the same days as the history. An event that
-- arrives (or a re-delivery that disappears) after a day was scored and left the recompute window
-- changes today's count but not the recorded one: tests/marts/scoring/assert_score_history_has_no_late_events.sql
-- stops the build then. The days a run repairs (is_history_repair) are counted again with the rest.
with

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

daily_totals as (

    select
        scoring_model,
        activity_date,
        sum(event_count) as event_count
    from signal_days
    group by scoring_model, activity_date

),

final as (

    select
        scoring_dates.as_of_date as score_date,
        daily_totals.scoring_model,
        cast(sum(daily_totals.event_count) as {{ dbt.type_bigint() }}) as events_counted
    from scoring_dates
    inner join daily_totals
        on daily_totals.activity_date <= scoring_dates.as_of_date
    where scoring_dates.is_history or scoring_dates.is_history_repair
    group by scoring_dates.as_of_date, daily_totals.scoring_model

)

select * from final
