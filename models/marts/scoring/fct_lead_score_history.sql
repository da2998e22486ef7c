{{ config(
    materialized='incremental',
    unique_key=['score_date', 'scoring_model', 'lead_id'],
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
    partition_by=(['score_date'] if target.type == 'spark' else none),
    on_schema_change='fail',
    pre_hook="{{ delete_history_to_repair(this, ref('int_score_history_changed_leads')) }}",
) }}
-- depends_on: {{ ref('int_score_history_changed_leads') }}
-- One row per day, scoring model and lead: the score as of the end of each of the last
-- score_history_days days up to score_as_of, read from the rolling states (int_scoring_dates says
-- which days a run scores: the days the table does not have yet and the last
-- history_recompute_days days), and whether the lead became an MQL that day. The days the table
-- keeps are scored again for the leads whose inputs up to them changed, after the pre-hook deleted
-- those leads' rows (int_score_history_changed_leads; macros/scoring/delete_history_to_repair.sql).
with

scores_by_date as (

    select * from {{ ref('int_leads_scored_by_date') }}

),

history_scores as (

    select * from scores_by_date
    where is_history or is_history_context

),

with_previous as (

    select
        history_scores.*,
        lag(history_scores.is_mql) over (
            partition by history_scores.scoring_model, history_scores.lead_id
            order by history_scores.as_of_date
        ) as was_mql_day_before,
        lag(history_scores.as_of_date) over (
            partition by history_scores.scoring_model, history_scores.lead_id
            order by history_scores.as_of_date
        ) as previous_scored_date
    from history_scores

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
