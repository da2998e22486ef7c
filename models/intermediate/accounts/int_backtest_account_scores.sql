{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='delete+insert',
    unique_key='as_of_date',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_dropped_cutoffs(this, ref('int_backtest_cutoffs')) }}",
) }}
-- The account scores at every backtest cutoff (as of the end of the day before it), kept between
-- runs like int_backtest_lead_scores: a run writes the cutoffs it scored (new ones, and those whose
-- inputs changed: int_scoring_dates) and deletes the cutoffs no longer in use; the others keep the
-- rows an earlier run wrote. Outcomes are joined when read (int_account_backtest_scores).
with

accounts_scored as (

    select * from {{ ref('int_accounts_scored_by_date') }}

),

final as (

    select * from accounts_scored
    where is_backtest

)

select * from final
