{{ config(materialized='table') }}
-- Materialized as a table: the scoring macros read it once per component and per as-of date.
-- Staged leads with the attributes scoring rules match on: seniority from the title patterns seed
-- (first match by priority) and the class of the email domain (free_mail, competitor, business).
with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

job_title_seniorities as (

    select * from {{ ref('job_title_seniorities') }}

),

email_domain_classes as (

    select * from {{ ref('email_domain_classes') }}

),

title_matches as (

    select
        leads.lead_id,
        job_title_seniorities.seniority,
        row_number() over (
            partition by leads.lead_id
            order by job_title_seniorities.match_priority, job_title_seniorities.title_pattern
        ) as match_rank
    from leads
    inner join job_title_seniorities
        on leads.job_title_normalized like job_title_seniorities.title_pattern

),

final as (

    select
        leads.lead_id,
        leads.email,
        leads.email_domain,
        case
            when leads.email_domain is null then 'unknown'
            else coalesce(email_domain_classes.domain_class, 'business')
        end as email_domain_class,
        leads.first_name,
        leads.last_name,
        leads.job_title,
        leads.job_title_normalized,
        case
            when leads.job_title is null then 'unknown'
            else coalesce(title_matches.seniority, 'other')
        end as seniority,
        leads.company_name,
        leads.industry,
        leads.employee_count,
        leads.annual_revenue_usd,
        leads.country_code,
        leads.country_name,
        leads.lead_source,
        leads.created_at,
        cast(leads.created_at as date) as created_date,
        leads.updated_at
    from leads
    left join title_matches
        on leads.lead_id = title_matches.lead_id
        and title_matches.match_rank = 1
    left join email_domain_classes
        on leads.email_domain = email_domain_classes.email_domain

)

select * from final
