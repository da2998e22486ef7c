{{ config(materialized='table') }}
-- The as-of dates this run reads scores at, one row per date with its roles. History days already
-- in fct_lead_score_history are not scored again for every lead (unless var history_recompute_days,
-- default 0, asks for its last days); a longer score_history_days backfills the missing older days,
-- at most history_backfill_days_per_run of them a run (lead-scoring backfill runs them all). A day
-- the history keeps is not scored as the day before a history day or as a comparison day: the
-- history and the live scores read it from fct_lead_score_history.
-- Backtest cutoffs are scored when they are new or their inputs changed
-- (int_backtest_cutoff_inputs): the persisted backtest tables keep the others.
-- The days the history keeps are scored again for the leads whose inputs up to them changed
-- (int_score_history_changed_leads): is_history_repair (and its context day), for those leads alone.
-- Reads two tables an earlier run left, through macros rather than ref(): both are built
-- downstream of this model, so a ref would be a cycle (the YAML lists them in
-- meta.reads_previous_run_of): fct_lead_score_history, for the days the history already has
-- (listed_scoring_dates, score_history_bounds), and int_backtest_scored_cutoffs, for the cutoffs
-- already scored and the inputs they were scored from (previous_run_relation).
{%- set listed = listed_scoring_dates(ref('int_score_history_changed_leads')) %}

with

backtest_cutoffs as (

    select * from {{ ref('int_backtest_cutoff_inputs') }}

),
{%- set scored_cutoffs = previous_run_relation('int_backtest_scored_cutoffs') %}
{%- if scored_cutoffs %}

-- the cutoffs an earlier run scored, and the inputs it scored them from
scored_cutoffs as (

    select * from {{ scored_cutoffs }}

),
{%- endif %}

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

-- the backtest cutoffs not scored yet from their current inputs
backtest_dates as (

    select
        backtest_cutoffs.as_of_date,
        'backtest' as date_role
    from backtest_cutoffs
    {%- if scored_cutoffs %}
    left join scored_cutoffs
        on backtest_cutoffs.as_of_date = scored_cutoffs.as_of_date
        and backtest_cutoffs.inputs_fingerprint = scored_cutoffs.inputs_fingerprint
    where scored_cutoffs.as_of_date is null
    {%- endif %}

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
        max(case when date_role = 'backtest' then 1 else 0 end) = 1 as is_backtest,
        max(case when date_role = 'history_repair' then 1 else 0 end) = 1 as is_history_repair,
        max(case when date_role = 'history_repair_context' then 1 else 0 end) = 1 as is_history_repair_context,
        -- every lead is scored at it; a day listed only to repair the history scores only the
        -- leads whose inputs changed (int_score_history_changed_leads)
        max(case when date_role in ('live', 'history', 'history_context', 'comparison', 'backtest') then 1 else 0 end)
        = 1 as scores_every_lead
    from date_roles
    group by as_of_date

)

select * from final
