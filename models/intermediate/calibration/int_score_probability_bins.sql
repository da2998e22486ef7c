{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_kept_model_rows(ref('int_calibration_inputs')) }}",
) }}
-- The score-to-probability mapping the live score's conversion_probability uses, per scoring
-- model: learned from all backtest cutoffs (score bins at the quantiles, var calibration_bins, of
-- all backtest scores, each bin's observed conversion rate shrunk towards the model's base rate,
-- var calibration_prior_strength: macros/calibration/score_probability_bins.sql), or, for a model
-- without a single backtest row (no usable cutoff), the bins the last weight fit validated and
-- stored in the scoring_probability_calibration seed. calibration_source says which.
-- Kept between runs: computed again only when something it reads changed (int_calibration_inputs).
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores') }}

),

stored_bins as (

    select * from {{ ref('scoring_probability_calibration') }}

),

{{ score_probability_bins('backtest_scores', ['scoring_model']) }},

learned as (

    select
        scoring_model,
        score_bin,
        lower_score,
        upper_score,
        min_observed_score,
        max_observed_score,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        observed_conversion_rate,
        conversion_probability,
        'backtests' as calibration_source,
        cast(null as date) as fitted_cutoff_date
    from probability_bins

),

backtested_models as (

    select distinct scoring_model
    from backtest_scores

),

-- the stored bins stand in only for a model the backtests say nothing about
stored as (

    select
        stored_bins.scoring_model,
        stored_bins.score_bin,
        cast(stored_bins.lower_score as decimal(18, 2)) as lower_score,
        cast(stored_bins.upper_score as decimal(18, 2)) as upper_score,
        cast(null as decimal(18, 2)) as min_observed_score,
        cast(null as decimal(18, 2)) as max_observed_score,
        cast(stored_bins.leads as {{ dbt.type_bigint() }}) as leads,
        cast(stored_bins.conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(stored_bins.conversions as {{ type_double() }}) / nullif(stored_bins.leads, 0)
            as observed_conversion_rate,
        cast(stored_bins.conversion_probability as {{ type_double() }}) as conversion_probability,
        'stored_fit' as calibration_source,
        stored_bins.fitted_cutoff_date
    from stored_bins
    left join backtested_models
        on stored_bins.scoring_model = backtested_models.scoring_model
    where backtested_models.scoring_model is null

),

final as (

    select * from learned
    union all
    select * from stored

)

{{ kept_model_rows_to_write('final', ref('int_calibration_inputs')) }}
