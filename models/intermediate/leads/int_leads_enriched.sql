{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_kept_model_rows(ref('base_crm__lead_inputs')) }}",
) }}
-- Materialized (kept between runs, computed again only when something it reads changed:
-- base_crm__lead_inputs): dim_leads, the calibration segments and tests read it.
with

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

final as (

    select
        lead_id,
        email,
        email_domain,
        email_domain_class,
        first_name,
        last_name,
        job_title,
        job_title_normalized,
        seniority,
        company_name,
        industry,
        employee_count,
        annual_revenue_usd,
        country_code,
        country_name,
        lead_source,
        created_at,
        created_date,
        updated_at,
        salesforce_lead_id,
        salesforce_contact_id,
        hubspot_contact_id,
        salesforce_account_id,
        hubspot_company_id
    from lead_versions
    where is_current_version

)

{{ kept_model_rows_to_write('final', ref('base_crm__lead_inputs')) }}
