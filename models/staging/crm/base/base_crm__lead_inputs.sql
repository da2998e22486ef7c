{{ config(materialized='table') }}
{#- the seeds and vars the lead models read (a var added to one of them, or to a macro one calls,
    must be listed here: test_kept_model_inputs.py fails when one is not;
    assert_lead_inputs_cover_seeds does the same for seeds) -#}
{%- set lead_seeds = [
    ref('industry_synonyms'),
    ref('country_synonyms'),
    ref('job_title_seniorities'),
    ref('email_domain_classes'),
    ref('company_legal_suffixes'),
    ref('account_domain_aliases'),
    ref('account_linking_rules'),
] -%}
{%- set lead_vars = [
    'max_annual_revenue_usd',
    'max_clock_skew_hours',
    'max_employee_count',
    'null_markers',
] -%}
-- One row: a fingerprint of everything the lead models (base_crm__lead_versions and the models
-- after it that read this one: the lead versions, accounts and leads of models/intermediate/leads)
-- are computed from, and whether this run computes them again. They are kept as they are when
-- nothing they read changed since they were last computed: every row and column of the input lead
-- rows (base_inputs__leads: the raw files or a connector's person rows), the seeds and vars above
-- and the models' own SQL. One more thing changes what they hold: the clock. A row rejected as dated
-- in the future (later than the run's start plus max_clock_skew_hours) is staged by a later run
-- once that date has come, so such a row computes them again. Reads the fingerprint they were last
-- computed from in the table int_lead_models_computed an earlier run left, and the rows the kept
-- base_crm__lead_versions rejected, through a macro rather than ref(): both are built downstream
-- of this model (the YAML lists them in meta.reads_previous_run_of).
{%- set computed = previous_run_relation('int_lead_models_computed') %}
{%- set kept_versions = previous_run_relation('base_crm__lead_versions') %}

with
{%- if computed %}

-- the fingerprint the lead models were last computed from
computed as (

    select * from {{ computed }}

),
{%- endif %}
{%- if kept_versions %}

-- the rows the kept lead versions reject as dated in the future (the reasons are
-- base_crm__lead_versions' own words) whose date is no longer in the future at this run's start
now_plausible as (

    select count(*) as rows_now_plausible
    from {{ kept_versions }}
    where
        (reject_reason like '%created_at in the future%' and created_at <= {{ latest_plausible_timestamp() }})
        or (reject_reason like '%updated_at in the future%' and updated_at <= {{ latest_plausible_timestamp() }})

),
{%- endif %}

fingerprinted as (

    select
        {{ dbt.concat([
            configuration_fingerprint(lead_seeds, lead_vars),
            "'|'",
            "coalesce(" ~ relation_fingerprint(ref('base_inputs__leads')) ~ ", '-')",
            "'|'",
            kept_model_checksums(),
        ]) }} as inputs_fingerprint

),

final as (

    select
        fingerprinted.inputs_fingerprint,
        {%- if kept_versions %}
        now_plausible.rows_now_plausible > 0 as has_rows_no_longer_in_future,
        {%- else %}
        false as has_rows_no_longer_in_future,
        {%- endif %}
        {%- if computed and kept_versions %}
        computed.inputs_fingerprint as computed_inputs_fingerprint,
        coalesce(computed.inputs_fingerprint <> fingerprinted.inputs_fingerprint, true)
        or now_plausible.rows_now_plausible > 0 as is_recomputed
        {%- else %}
        {#- no earlier run, or a full refresh: computed -#}
        cast(null as {{ dbt.type_string() }}) as computed_inputs_fingerprint,
        true as is_recomputed
        {%- endif %}
    from fingerprinted
    {%- if computed %}
    left join computed
        on true
    {%- endif %}
    {%- if kept_versions %}
    cross join now_plausible
    {%- endif %}

)

select * from final
