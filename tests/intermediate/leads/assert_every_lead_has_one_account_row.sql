{{ config(group='lead_scoring') }}
-- Nothing lost in account linking: every version of every staged lead has exactly one row in
-- int_lead_accounts, linked to an account or with an unlinked reason (never both, never neither),
-- and every staged lead has exactly one current row. Fails with the lead, the version and what is wrong.
with

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

lead_accounts as (

    select * from {{ ref('int_lead_accounts') }}

),

account_rows as (

    select
        lead_id,
        valid_from_date,
        count(*) as account_rows,
        sum(case when (account_id is null) <> (unlinked_reason is null) then 1 else 0 end) as decided_rows
    from lead_accounts
    group by lead_id, valid_from_date

),

version_problems as (

    select
        coalesce(lead_versions.lead_id, account_rows.lead_id) as lead_id,
        coalesce(lead_versions.valid_from_date, account_rows.valid_from_date) as valid_from_date,
        case
            when account_rows.lead_id is null then 'version without an account row'
            when lead_versions.lead_id is null then 'account row without a lead version'
            when account_rows.account_rows <> 1 then 'several account rows'
            when account_rows.decided_rows <> 1 then 'neither linked nor unlinked with a reason, or both'
        end as problem
    from lead_versions
    full outer join account_rows
        on lead_versions.lead_id = account_rows.lead_id
        and lead_versions.valid_from_date = account_rows.valid_from_date

),

current_rows as (

    select
        lead_id,
        count(*) as current_rows
    from lead_accounts
    where is_current_version
    group by lead_id

),

lead_problems as (

    select
        leads.lead_id,
        cast(null as date) as valid_from_date,
        'staged lead without exactly one current account row' as problem
    from leads
    left join current_rows
        on leads.lead_id = current_rows.lead_id
    where coalesce(current_rows.current_rows, 0) <> 1

)

select * from version_problems
where problem is not null
union all
select * from lead_problems
