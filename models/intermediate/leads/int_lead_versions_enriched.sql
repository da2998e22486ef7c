{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_kept_model_rows(ref('base_crm__lead_inputs')) }}",
) }}
-- Materialized (kept between runs, computed again only when something it reads changed:
-- base_crm__lead_inputs): every score, live, history or backtest, reads the version valid at its date.
-- Built only after the volume guard passed (tests/audit/assert_raw_volumes_pass_the_guard.sql):
-- every mart reads the leads through this model, so a raw source that is empty or shrank skips
-- them all.
-- depends_on: {{ ref('audit_raw_source_volumes') }}
with

lead_versions as (

    select * from {{ ref('stg_crm__lead_versions') }}

),

job_title_seniorities as (

    select * from {{ ref('job_title_seniorities') }}

),

email_domain_classes as (

    select * from {{ ref('email_domain_classes') }}

),

current_versions as (

    select
        lead_id,
        created_at,
        cast(created_at as date) as created_date
    from lead_versions
    where record_status = 'staged'

),

-- every version of a staged lead that passed the checks, oldest first; at equal updated_at the
-- staged version comes last, so it is the one that stays valid
ordered_versions as (

    select
        lead_versions.*,
        current_versions.created_at as lead_created_at,
        current_versions.created_date as lead_created_date,
        row_number() over (
            partition by lead_versions.lead_id
            order by
                lead_versions.updated_at asc,
                case when lead_versions.record_status = 'staged' then 1 else 0 end asc,
                lead_versions.email desc,
                lead_versions.job_title desc,
                lead_versions.company_name desc,
                lead_versions.employee_count desc
        ) as version_order
    from lead_versions
    inner join current_versions
        on lead_versions.lead_id = current_versions.lead_id
    where lead_versions.record_status in ('staged', 'superseded')

),

-- a version counts from the day it was written; the first one from the lead's creation
dated_versions as (

    select
        ordered_versions.*,
        case
            when ordered_versions.version_order = 1
                then least(ordered_versions.lead_created_date, cast(ordered_versions.updated_at as date))
            else cast(ordered_versions.updated_at as date)
        end as valid_from_date
    from ordered_versions

),

-- a score as of a day sees the last version written by the end of that day: versions replaced on
-- the day they were written are never valid at any as-of date
last_of_day as (

    select
        dated_versions.*,
        row_number() over (
            partition by dated_versions.lead_id, dated_versions.valid_from_date
            order by dated_versions.version_order desc
        ) as rank_in_day
    from dated_versions

),

valid_versions as (

    select
        last_of_day.*,
        lead(last_of_day.valid_from_date) over (
            partition by last_of_day.lead_id
            order by last_of_day.valid_from_date
        ) as valid_to_date
    from last_of_day
    where last_of_day.rank_in_day = 1

),

-- each distinct title matched once against the patterns (a LIKE join is a nested loop: at
-- 1,000,000 leads, matching every version took 9 s)
job_titles as (

    select distinct job_title_normalized
    from valid_versions
    where job_title_normalized is not null

),

title_matches as (

    select
        job_titles.job_title_normalized,
        job_title_seniorities.seniority,
        row_number() over (
            partition by job_titles.job_title_normalized
            order by job_title_seniorities.match_priority, job_title_seniorities.title_pattern
        ) as match_rank
    from job_titles
    inner join job_title_seniorities
        on job_titles.job_title_normalized like job_title_seniorities.title_pattern

),

final as (

    select
        valid_versions.lead_id,
        valid_versions.valid_from_date,
        valid_versions.valid_to_date,
        valid_versions.valid_to_date is null as is_current_version,
        valid_versions.email,
        valid_versions.email_domain,
        case
            when valid_versions.email_domain is null then 'unknown'
            else coalesce(email_domain_classes.domain_class, 'business')
        end as email_domain_class,
        valid_versions.first_name,
        valid_versions.last_name,
        valid_versions.job_title,
        valid_versions.job_title_normalized,
        case
            when valid_versions.job_title is null then 'unknown'
            else coalesce(title_matches.seniority, 'other')
        end as seniority,
        valid_versions.company_name,
        valid_versions.industry,
        valid_versions.employee_count,
        valid_versions.annual_revenue_usd,
        valid_versions.country_code,
        valid_versions.country_name,
        valid_versions.lead_source,
        valid_versions.lead_created_at as created_at,
        valid_versions.lead_created_date as created_date,
        valid_versions.updated_at,
        valid_versions.salesforce_lead_id,
        valid_versions.salesforce_contact_id,
        valid_versions.hubspot_contact_id,
        valid_versions.salesforce_account_id,
        valid_versions.hubspot_company_id
    from valid_versions
    left join title_matches
        on valid_versions.job_title_normalized = title_matches.job_title_normalized
        and title_matches.match_rank = 1
    left join email_domain_classes
        on valid_versions.email_domain = email_domain_classes.email_domain

)

{{ kept_model_rows_to_write('final', ref('base_crm__lead_inputs')) }}
