-- One row per day: the time spine MetricFlow joins time-based metrics to.
with

days as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('time_spine_start') ~ "' as date)",
        dbt.dateadd('year', 1, score_as_of_date()),
    ) }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
