{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='delete+insert',
    unique_key='as_of_date',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_dropped_cutoffs(this, ref('int_backtest_cutoffs')) }}",
) }}
-- depends_on: {{ ref('int_backtest_lead_scores') }}
-- depends_on: {{ ref('int_backtest_score_ledger') }}
-- depends_on: {{ ref('int_backtest_account_scores') }}
-- The record of which backtest cutoffs the persisted tables hold (int_backtest_lead_scores,
-- int_backtest_score_ledger, int_backtest_account_scores), and from which inputs they were
-- scored: one row per cutoff, written after those tables (hence the depends_on above). The next
-- run's int_scoring_dates scores again only the cutoffs whose inputs fingerprint differs from the
-- one recorded here.
with

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

cutoff_inputs as (

    select * from {{ ref('int_backtest_cutoff_inputs') }}

),

final as (

    select
        cutoff_inputs.cutoff_date,
        cutoff_inputs.as_of_date,
        cutoff_inputs.inputs_fingerprint,
        {{ run_started_at_timestamp() }} as scored_at
    from cutoff_inputs
    inner join scoring_dates
        on cutoff_inputs.as_of_date = scoring_dates.as_of_date
    where scoring_dates.is_backtest

)

select * from final
