-- One row per lead: the cleaned attributes BI tools slice scores by. No raw PII: the email is
-- hashed (var `email_hash_salt`), names are left in staging.
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

final as (

    select
        lead_id,
        {{ dbt.hash(dbt.concat(["'" ~ var('email_hash_salt') ~ "'", 'email'])) }} as email_hash,
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
