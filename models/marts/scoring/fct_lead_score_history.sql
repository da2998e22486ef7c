{{ config(
    materialized='incremental',
    unique_key=['score_date', 'scoring_model', 'lead_id'],
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
    partition_by=(['score_date'] if target.type == 'spark' else none),
    on_schema_change='fail',
    pre_hook="{{ delete_history_to_repair(this, ref('int_score_history_changed_leads')) }}",
) }}
-- depends_on: {{ ref('int_score_history_changed_leads') }}
-- depends_on: {{ ref('int_scoring_dates') }}
-- One row per day, scoring model and lead: the score as of the end of each of the last
-- score_history_days days up to score_as_of, read from the rolling states (int_scoring_dates says
-- which days a run scores: the days the table does not have yet and the last
-- history_recompute_days days), and whether the lead became an MQL that day. The days the table
-- keeps are scored again for the leads whose inputs up to them changed, after the pre-hook deleted
-- those leads' rows (int_score_history_changed_leads; macros/scoring/delete_history_to_repair.sql).
-- Whether a lead was an MQL the day before is read from the table when it keeps that day.
with

scores_by_date as (

    select * from {{ ref('int_leads_scored_by_date') }}

),

history_scores as (

    select * from scores_by_date
    where is_history or is_history_context

),

{%- if is_incremental() and history_reads_its_kept_days() %}

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),
{%- endif %}

-- whether the lead was an MQL on each scored day and on the day before each history day: scored in
-- this run, or kept in this table when the run did not score that day (int_scoring_dates lists a
-- kept day before a history day as context only when it scores it anyway). Rows of the leads the
-- run repairs were deleted by the pre-hook, so a kept row is never also scored.
day_flags as (

    select
        as_of_date,
        scoring_model,
        lead_id,
        is_mql
    from history_scores
    {%- if is_incremental() and history_reads_its_kept_days() %}
    union all
    select
        kept.score_date as as_of_date,
        kept.scoring_model,
        kept.lead_id,
        kept.is_mql
    from {{ this }} as kept
    inner join scoring_dates as history_days
        on kept.score_date = {{ dbt.dateadd('day', -1, 'history_days.as_of_date') }}
        and history_days.is_history
    left join scoring_dates as scored_days
        on kept.score_date = scored_days.as_of_date
        and (scored_days.is_history or scored_days.is_history_context)
    where scored_days.as_of_date is null
    {%- endif %}

),

with_previous as (

    select
        history_scores.*,
        previous_days.is_mql as was_mql_day_before,
        previous_days.as_of_date as previous_scored_date
    from history_scores
    left join day_flags as previous_days
        on history_scores.scoring_model = previous_days.scoring_model
        and history_scores.lead_id = previous_days.lead_id
        and previous_days.as_of_date = {{ dbt.dateadd('day', -1, 'history_scores.as_of_date') }}

),

final as (

    -- score_date last: Spark keeps the partition column at the end, and every warehouse matches it;
    -- text columns in the contract's type, so a later run's rows match the table's (PostgreSQL)
    select
        cast(scoring_model as {{ type_varchar() }}) as scoring_model,
        cast(lead_id as {{ type_varchar() }}) as lead_id,
        fit_score,
        behavioral_score,
        negative_score,
        total_score,
        cast(tier as {{ type_varchar() }}) as tier,
        is_mql,
        coalesce(
            is_mql
            and not (
                coalesce(was_mql_day_before, false)
                and previous_scored_date = {{ dbt.dateadd('day', -1, 'as_of_date') }}
            ),
            false
        ) as is_new_mql,
        as_of_date as score_date
    from with_previous
    where is_history

)

select * from final
