{{ config(materialized='table') }}
-- The learned mapping from score to conversion probability, over all backtest cutoffs (the live
-- score's conversion_probability): score bins at the quantiles (var calibration_bins) of all
-- backtest scores of a scoring model, each with its observed conversion rate shrunk towards the
-- model's base rate (var calibration_prior_strength), so a thin bin does not claim a certainty it
-- has not earned (macros/calibration/score_probability_bins.sql).
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores') }}

),

{{ score_probability_bins('backtest_scores', ['scoring_model']) }},

final as (

    select * from probability_bins

)

select * from final
