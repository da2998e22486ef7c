{{ config(materialized='table') }}
-- The as-of dates this run reads scores at, one row per date with its roles. History days already
-- in fct_lead_score_history are not scored again, except the last var history_recompute_days days
-- (late events); a longer score_history_days backfills the missing older days.
{%- set listed = listed_scoring_dates() %}

with

backtest_cutoffs as (

    select * from {{ ref('int_backtest_cutoffs') }}

),

listed_dates as (

    {%- for day, role in listed %}
    select
        cast('{{ day }}' as date) as as_of_date,
        '{{ role }}' as date_role
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

backtest_dates as (

    select
        as_of_date,
        'backtest' as date_role
    from backtest_cutoffs

),

date_roles as (

    select * from listed_dates
    union all
    select * from backtest_dates

),

final as (

    select
        as_of_date,
        max(case when date_role = 'live' then 1 else 0 end) = 1 as is_live,
        max(case when date_role = 'history' then 1 else 0 end) = 1 as is_history,
        max(case when date_role = 'history_context' then 1 else 0 end) = 1 as is_history_context,
        max(case when date_role = 'comparison' then 1 else 0 end) = 1 as is_comparison,
        max(case when date_role = 'backtest' then 1 else 0 end) = 1 as is_backtest
    from date_roles
    group by as_of_date

)

select * from final
