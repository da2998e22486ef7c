with

lead_versions as (

    select * from {{ ref('base_crm__lead_versions') }}

),

final as (

    select
        lead_id,
        email,
        email_domain,
        first_name,
        last_name,
        job_title,
        job_title_normalized,
        company_name,
        industry,
        employee_count,
        annual_revenue_usd,
        country_code,
        country_name,
        lead_source,
        created_at,
        updated_at,
        salesforce_lead_id,
        salesforce_contact_id,
        hubspot_contact_id,
        salesforce_account_id,
        hubspot_company_id
    from lead_versions
    where record_status = 'staged'

)

select * from final
