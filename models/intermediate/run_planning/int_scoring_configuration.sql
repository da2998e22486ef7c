{{ config(materialized='table') }}
{#- the seeds and vars the scores read beyond the input rows int_backtest_cutoff_inputs and
    int_lead_score_inputs fingerprint (a seed added to the scoring path must be listed here:
    tests/intermediate/run_planning/assert_backtest_inputs_cover_scoring_seeds.sql fails when one is
    not) -#}
{%- set scoring_seeds = [
    ref('scoring_models'),
    ref('scoring_bands'),
    ref('scoring_behavioral_signals'),
    ref('scoring_fit_rules'),
    ref('scoring_negative_rules'),
    ref('scoring_lists'),
    ref('scoring_calibration_policy'),
    ref('scoring_closed_lost_rules'),
    ref('account_linking_rules'),
    ref('account_domain_aliases'),
    ref('company_legal_suffixes'),
    ref('scoring_account_components'),
    ref('scoring_account_fit_attributes'),
    ref('scoring_buying_group_roles'),
    ref('buying_roles'),
] -%}
{%- set scoring_vars = ['lead_attributes'] -%}
-- One row: a fingerprint of the scoring configuration, every row of the seeds the scores read and
-- the vars they read. A backtest cutoff (int_backtest_cutoff_inputs) and the kept days of the score
-- history (int_score_history_inputs) are scored again when it changes.
with

final as (

    select
        {{ configuration_fingerprint(scoring_seeds, scoring_vars) }} as configuration_fingerprint

)

select
    configuration_fingerprint,
    {{ fingerprint(['configuration_fingerprint']) }} as configuration_hash
from final
