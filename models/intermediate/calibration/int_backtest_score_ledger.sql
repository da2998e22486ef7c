{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='delete+insert',
    unique_key='as_of_date',
    on_schema_change='fail',
    post_hook="{{ delete_rows_of_dropped_cutoffs(this, ref('int_backtest_cutoffs')) }}",
) }}
-- The score ledger at every backtest cutoff (as of the end of the day before it), from the same
-- rolling states and component ledgers as the live score. Kept between runs like
-- int_backtest_lead_scores: a run writes only the cutoffs it scored.
with

fit_rows as (

    select * from {{ ref('int_leads_fit_scored') }}

),

behavioral_rows as (

    select * from {{ ref('int_leads_behavior_scored') }}

),

negative_rows as (

    select * from {{ ref('int_leads_negative_scored') }}

),

scores as (

    select * from {{ ref('int_leads_scored_by_date') }}

),

final as (

    {{ ledger_with_cap_rows('fit_rows', 'behavioral_rows', 'negative_rows', 'scores', 'is_backtest') }}

)

select * from final
