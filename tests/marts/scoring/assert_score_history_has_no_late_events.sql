{{ config(group='lead_scoring') }}
-- A history day older than the recompute window (var history_recompute_days) is scored again
-- only for the leads whose inputs up to it changed (int_score_history_changed_leads), and then
-- counted again. If events up to a day changed since it was counted (a late event, or a
-- re-delivery that turned out to conflict and was rejected) and the day was not repaired, its
-- history rows, transitions and tier periods are stale: this test fails, naming the days. It
-- guards the repair; the fix, which yields exactly a fresh build, is a full refresh:
--   make build BUILD_FLAGS=--full-refresh   (or dbt build --full-refresh)
with

recorded as (

    select * from {{ ref('int_score_history_event_totals') }}

),

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

),

daily_totals as (

    select
        scoring_model,
        activity_date,
        sum(event_count) as event_count
    from signal_days
    group by scoring_model, activity_date

),

current_totals as (

    select
        recorded.score_date,
        recorded.scoring_model,
        recorded.events_counted,
        coalesce(sum(daily_totals.event_count), 0) as events_now
    from recorded
    left join daily_totals
        on recorded.scoring_model = daily_totals.scoring_model
        and daily_totals.activity_date <= recorded.score_date
    group by recorded.score_date, recorded.scoring_model, recorded.events_counted

),

final as (

    select
        score_date,
        scoring_model,
        events_counted,
        events_now,
        'make build BUILD_FLAGS=--full-refresh' as fix
    from current_totals
    where events_counted <> events_now

)

select * from final
