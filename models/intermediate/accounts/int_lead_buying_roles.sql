{{ config(materialized='table') }}
-- The buying role of every version of every lead: the buying_roles seed row of the lowest
-- match_priority whose pattern the normalised job title matches (SQL LIKE) or whose value equals
-- the seniority; `unclassified` when none does.
-- Materialized as a table: three models (int_accounts_scored_by_date, dim_leads, dim_accounts) and
-- its data tests each computed the view again.
with

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

buying_roles as (

    select * from {{ ref('buying_roles') }}

),

-- each distinct title and seniority matched once against the patterns (a LIKE join is a nested
-- loop over every version otherwise)
job_titles as (

    select distinct
        job_title_normalized,
        seniority
    from lead_versions

),

role_matches as (

    select
        job_titles.job_title_normalized,
        job_titles.seniority,
        buying_roles.buying_role,
        buying_roles.match_attribute,
        buying_roles.match_pattern,
        row_number() over (
            partition by job_titles.job_title_normalized, job_titles.seniority
            order by buying_roles.match_priority asc, buying_roles.match_attribute asc, buying_roles.match_pattern asc
        ) as match_rank
    from job_titles
    inner join buying_roles
        on (
            buying_roles.match_attribute = 'job_title'
            and job_titles.job_title_normalized like buying_roles.match_pattern
        )
        or (
            buying_roles.match_attribute = 'seniority'
            and job_titles.seniority = buying_roles.match_pattern
        )

),

final as (

    select
        lead_versions.lead_id,
        lead_versions.valid_from_date,
        lead_versions.valid_to_date,
        lead_versions.is_current_version,
        lead_versions.job_title,
        lead_versions.seniority,
        coalesce(role_matches.buying_role, 'unclassified') as buying_role,
        role_matches.match_attribute as matched_attribute,
        role_matches.match_pattern as matched_pattern
    from lead_versions
    left join role_matches
        on lead_versions.job_title_normalized is not distinct from role_matches.job_title_normalized
        and lead_versions.seniority is not distinct from role_matches.seniority
        and role_matches.match_rank = 1

)

select * from final
