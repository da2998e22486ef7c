{{ config(
    materialized='incremental',
    unique_key=['score_date', 'scoring_model', 'lead_id'],
    incremental_strategy=('append' if target.type == 'spark' else 'delete+insert'),
    on_schema_change='fail',
) }}
-- One row per day, scoring model and lead: the score as of the end of each of the last
-- score_history_days days up to score_as_of, from the same scoring macros as the live score, and
-- whether the lead became an MQL that day (MQL now, not the day before). Incremental: a run scores
-- only the days the table does not have yet (plus the day before the first, to know who is new).
{%- set last_day = score_as_of_date() %}
{%- set first_day = dbt.dateadd('day', 1 - var('score_history_days'), last_day) %}
{%- if is_incremental() %}
    {%- set first_day -%}
        greatest(
            cast({{ first_day }} as date),
            cast((select {{ dbt.dateadd('day', 1, 'max(score_date)') }} from {{ this }}) as date)
        )
    {%- endset %}
{%- endif %}

{%- set history_day = dbt.dateadd('day', 'day_numbers.generated_number - 2', first_day) %}
{%- set history_dates = (
    'select cast(' ~ history_day ~ ' as date) as as_of_date'
    ~ ' from (' ~ dbt.generate_series(var('score_history_days') + 1) ~ ') as day_numbers'
    ~ ' where ' ~ history_day ~ ' <= ' ~ last_day
) %}

with

history_ledger as (

    {{ score_ledger(history_dates) }}

),

scores as (

    {{ lead_scores('(select * from history_ledger)', history_dates) }}

),

with_previous as (

    select
        scores.*,
        lag(scores.is_mql) over (
            partition by scores.scoring_model, scores.lead_id
            order by scores.as_of_date
        ) as was_mql_day_before
    from scores

),

final as (

    select
        as_of_date as score_date,
        scoring_model,
        lead_id,
        fit_score,
        behavioral_score,
        negative_score,
        total_score,
        tier,
        is_mql,
        coalesce(is_mql and not coalesce(was_mql_day_before, false), false) as is_new_mql
    from with_previous
    where as_of_date >= cast({{ first_day }} as date)

)

select * from final
