-- Fails when a seed the calibration models read is not fingerprinted by int_calibration_inputs
-- (directly, or through int_scoring_configuration): a change in it would leave them computed with
-- the old values. A seed reaches them either through the relations whose rows int_calibration_inputs
-- fingerprints (the backtest cutoffs and their inputs, which the kept backtest scores follow, the
-- leads, the opportunities) or directly; each of the second kind must be a direct dependency of
-- int_calibration_inputs or int_scoring_configuration. One row per missing seed.
{{ config(group='lead_scoring') }}
-- depends_on: {{ ref('int_calibration_inputs') }}
-- depends_on: {{ ref('int_scoring_configuration') }}
{%- set missing = seeds_not_covered(
    'int_calibration_computed',
    [
        'int_calibration_inputs',
        'int_backtest_lead_scores',
        'int_backtest_cutoffs',
        'int_leads_enriched',
        'stg_crm__opportunities',
    ],
    ['int_calibration_inputs', 'int_scoring_configuration'],
) %}
{{ missing_seed_rows(missing, 'list it in calibration_seeds of int_calibration_inputs') }}
