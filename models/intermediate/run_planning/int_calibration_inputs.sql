{{ config(materialized='table') }}
{#- the seeds and vars the calibration models read beyond int_scoring_configuration's (a var added
    to one of them, or to a macro one calls, must be listed here: test_calibration_inputs.py fails
    when one is not; assert_calibration_inputs_cover_seeds does the same for seeds) -#}
{%- set calibration_seeds = [ref('scoring_probability_calibration')] -%}
{%- set calibration_vars = [
    'backtest_max_lead_age_days',
    'calibration_bins',
    'calibration_prior_strength',
    'segment_attributes',
] -%}
-- One row: a fingerprint of everything the calibration models (int_backtest_scores and the models
-- after it that read this one) are computed from, and whether this run computes them again. They
-- are kept as they are when nothing they read changed since they were last computed: the backtest
-- cutoffs and the inputs each was scored from (int_backtest_cutoff_inputs: the kept backtest scores
-- follow them), the leads, the opportunities, the scoring configuration, the seeds and vars above
-- and the models' own SQL. Reads the fingerprint they were last computed from in the table
-- int_calibration_computed an earlier run left, through a macro rather than ref(): it is built
-- downstream of this model (the YAML lists it in meta.reads_previous_run_of).
{%- set computed = previous_run_relation('int_calibration_computed') %}

with

scoring_configuration as (

    select * from {{ ref('int_scoring_configuration') }}

),
{%- if computed %}

-- the fingerprint the calibration models were last computed from
computed as (

    select * from {{ computed }}

),
{%- endif %}

fingerprinted as (

    select
        {{ dbt.concat([
            'scoring_configuration.configuration_hash',
            "'|'",
            configuration_fingerprint(calibration_seeds, calibration_vars),
            "'|'",
            "coalesce(" ~ relation_fingerprint(ref('int_backtest_cutoffs')) ~ ", '-')",
            "'|'",
            "coalesce(" ~ relation_fingerprint(ref('int_backtest_cutoff_inputs')) ~ ", '-')",
            "'|'",
            "coalesce(" ~ relation_fingerprint(ref('int_leads_enriched')) ~ ", '-')",
            "'|'",
            "coalesce(" ~ relation_fingerprint(ref('stg_crm__opportunities')) ~ ", '-')",
            "'|'",
            kept_model_checksums(),
        ]) }} as inputs_fingerprint
    from scoring_configuration

),

final as (

    select
        fingerprinted.inputs_fingerprint,
        {%- if computed %}
        computed.inputs_fingerprint as computed_inputs_fingerprint,
        coalesce(computed.inputs_fingerprint <> fingerprinted.inputs_fingerprint, true) as is_recomputed
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as computed_inputs_fingerprint,
        true as is_recomputed
        {%- endif %}
    from fingerprinted
    {%- if computed %}
    left join computed
        on true
    {%- endif %}

)

select * from final
