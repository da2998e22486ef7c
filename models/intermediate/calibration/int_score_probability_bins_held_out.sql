{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_kept_model_rows(ref('int_calibration_inputs')) }}",
) }}
-- Honest probabilities: for every backtest cutoff, the score-to-probability mapping learned only
-- from the earlier cutoffs whose outcome window had ended by it (the same bins and shrinkage as
-- int_score_probability_bins). A cutoff with no such earlier cutoff has no mapping. The calibration
-- reports measure Brier score, log loss and reliability of these held-out probabilities.
-- Kept between runs: computed again only when something it reads changed (int_calibration_inputs).
with

cutoffs as (

    select * from {{ ref('int_backtest_cutoffs') }}

),

backtest_scores as (

    select * from {{ ref('int_backtest_scores') }}

),

training_rows as (

    select
        evaluated.cutoff_date as evaluated_cutoff_date,
        backtest_scores.scoring_model,
        backtest_scores.total_score,
        backtest_scores.is_converted
    from cutoffs as evaluated
    inner join cutoffs as earlier
        on earlier.outcome_window_end_date <= evaluated.cutoff_date
    inner join backtest_scores
        on earlier.cutoff_date = backtest_scores.cutoff_date

),

{{ score_probability_bins('training_rows', ['evaluated_cutoff_date', 'scoring_model']) }},

final as (

    select * from probability_bins

)

{{ kept_model_rows_to_write('final', ref('int_calibration_inputs')) }}
