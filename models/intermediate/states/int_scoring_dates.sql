{{ config(materialized='table') }}
-- The as-of dates this run reads scores at, one row per date with its roles. History days already
-- in fct_lead_score_history are not scored again, except the last var history_recompute_days days
-- (late events); a longer score_history_days backfills the missing older days.
{%- set live = score_as_of_iso() %}
{%- set history_days = var('score_history_days') | int %}
{%- set recompute_days = var('history_recompute_days') | int %}
{%- set existing = {'first': none, 'last': none} %}
{%- if execute and not flags.FULL_REFRESH %}
    {%- set history_node = graph.nodes.get('model.lead_scoring.fct_lead_score_history') %}
    {%- if history_node %}
        {%- set history_relation = adapter.get_relation(
            database=history_node.database, schema=history_node.schema, identifier=history_node.alias
        ) %}
        {%- if history_relation %}
            {%- set bounds = run_query(
                'select cast(min(score_date) as ' ~ dbt.type_string() ~ '), cast(max(score_date) as '
                ~ dbt.type_string() ~ ') from ' ~ history_relation
            ) %}
            {%- if bounds.rows[0][0] %}
                {%- do existing.update({'first': bounds.rows[0][0][:10], 'last': bounds.rows[0][1][:10]}) %}
            {%- endif %}
        {%- endif %}
    {%- endif %}
{%- endif %}
{%- set history_dates = [] %}
{%- for days_back in range(history_days) %}
    {%- set day = shift_iso_date(live, -days_back) %}
    {%- if existing.last is none
        or day > shift_iso_date(existing.last, -recompute_days)
        or day < existing.first %}
        {%- do history_dates.append(day) %}
    {%- endif %}
{%- endfor %}
{%- set listed = [(live, 'live')] %}
{%- for day in history_dates %}
    {%- do listed.append((day, 'history')) %}
    {%- do listed.append((shift_iso_date(day, -1), 'history_context')) %}
{%- endfor %}
{%- for window_var in ['score_change_short_days', 'score_change_long_days'] %}
    {%- do listed.append((shift_iso_date(live, -(var(window_var) | int)), 'comparison')) %}
{%- endfor %}
{%- set roles = ['live', 'history', 'history_context', 'comparison', 'backtest'] %}

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
        {%- for role in roles %}
        max(case when date_role = '{{ role }}' then 1 else 0 end) = 1 as is_{{ role }}{{ ',' if not loop.last }}
        {%- endfor %}
    from date_roles
    group by as_of_date

)

select * from final
