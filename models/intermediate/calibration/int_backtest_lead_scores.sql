{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='delete+insert',
    unique_key='as_of_date',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_dropped_cutoffs(this, ref('int_backtest_cutoffs')) }}",
) }}
-- The scores at every backtest cutoff (as of the end of the day before it), kept between runs: a run
-- writes the cutoffs it scored (new ones, and those whose inputs changed: int_scoring_dates) and
-- deletes the cutoffs no longer in use; the others keep the rows an earlier run wrote.
with

scores as (

    select * from {{ ref('int_leads_scored_by_date') }}

),

final as (

    select
        as_of_date,
        scoring_model,
        lead_id,
        fit_score,
        behavioral_score,
        negative_score,
        total_score,
        tier,
        tier_rank,
        is_mql,
        fit_grade,
        engagement_level
    from scores
    where is_backtest

)

select * from final
