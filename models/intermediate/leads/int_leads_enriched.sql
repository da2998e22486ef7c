{{ config(materialized='table') }}
-- Materialized as a table: dim_leads, the calibration segments and tests read it.
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

select * from final
