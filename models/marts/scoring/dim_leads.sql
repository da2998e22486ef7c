-- One row per lead: the cleaned attributes BI tools slice scores by. No raw PII: the email is
-- hashed or masked (var `bi_email_mode`), names are left in staging.
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

final as (

    select
        lead_id,
        {{ bi_email('email') }} as email_for_bi,
        email_domain,
        email_domain_class,
        job_title,
        seniority,
        company_name,
        industry,
        employee_count,
        annual_revenue_usd,
        country_code,
        country_name,
        lead_source,
        created_at,
        updated_at
    from leads

)

select * from final
