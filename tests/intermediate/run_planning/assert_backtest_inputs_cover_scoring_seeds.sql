-- Fails when a seed the kept backtest scores read (lead and account scores: int_backtest_account_scores
-- reads both) is not fingerprinted in int_scoring_configuration: a change in it would leave the kept
-- backtest cutoffs scored with the old values. A seed reaches the scores
-- either through the relations whose rows the model fingerprints (signal and engagement days, lead
-- versions, opportunities: their content changes with the seed) or directly; each of the second
-- kind must be a direct dependency of int_scoring_configuration (which int_backtest_cutoff_inputs
-- and the score history's repair read). One row per missing seed. The event fold and its deliveries
-- are read by the anchors only to find the days that changed: what they hold reaches the scores
-- through the signal and engagement days; the lead models' plan (base_crm__lead_inputs) decides only
-- whether they are computed again.
{{ config(group='lead_scoring') }}
-- depends_on: {{ ref('int_scoring_configuration') }}
{%- set missing = seeds_not_covered(
    'int_backtest_account_scores',
    [
        'int_lead_signal_days',
        'int_lead_engagement_days',
        'int_lead_versions_enriched',
        'stg_crm__opportunities',
        'int_lead_accounts',
        'base_marketing__events',
        'base_marketing__event_deliveries',
        'base_crm__lead_inputs',
    ],
    ['int_scoring_configuration'],
) %}
{{ missing_seed_rows(missing, 'list it in scoring_seeds of int_scoring_configuration') }}
