{%- set writes_row = kept_models_selected('int_calibration_inputs', 'int_calibration_computed') %}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_kept_model_rows(ref('int_calibration_inputs')) if kept_models_selected('int_calibration_inputs', 'int_calibration_computed') else '' }}",
) }}
-- depends_on: {{ ref('int_backtest_scores') }}
-- depends_on: {{ ref('int_score_probability_bins') }}
-- depends_on: {{ ref('int_score_probability_bins_held_out') }}
-- depends_on: {{ ref('int_backtest_scores_calibrated') }}
-- One row: the inputs fingerprint (int_calibration_inputs) the calibration models were last
-- computed from, which the next run's int_calibration_inputs compares with its own. Written after
-- them (hence the depends_on above, one per model that reads int_calibration_inputs), and only by a
-- run that built int_calibration_inputs and all of them (kept_models_selected). A calibration
-- model computed again deletes the row first (delete_kept_model_rows): after a run that built some
-- of them (dbt run --select +fct_lead_scores) and computed them, or stopped halfway, the next run
-- computes every calibration model again.
{{ recorded_kept_inputs(ref('int_calibration_inputs'), writes_row) }}
