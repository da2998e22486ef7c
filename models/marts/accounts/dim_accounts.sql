-- One row per account any lead version is linked to (int_lead_accounts): how it is keyed, its
-- name and firmographics as its current contacts give them (the most frequent value; the largest
-- head count and revenue), its contacts by link method and buying role, and whether it is a
-- customer (a closed-won opportunity by the scoring date).
with

lead_accounts as (

    select * from {{ ref('int_lead_accounts') }}

),

lead_roles as (

    select * from {{ ref('int_lead_buying_roles') }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

account_opportunities as (

    select * from {{ ref('int_account_opportunities') }}

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}
    where is_live

),

accounts as (

    select
        account_id,
        min(account_domain) as account_domain,
        min(case when link_method = 'company_name' then company_name_key end) as company_name_key
    from lead_accounts
    where account_id is not null
    group by account_id

),

current_contacts as (

    select
        lead_accounts.account_id,
        lead_accounts.lead_id,
        lead_accounts.link_method,
        lead_roles.buying_role,
        leads.company_name,
        leads.industry,
        leads.country_code,
        leads.employee_count,
        leads.annual_revenue_usd
    from lead_accounts
    inner join lead_roles
        on lead_accounts.lead_id = lead_roles.lead_id
        and lead_accounts.valid_from_date = lead_roles.valid_from_date
    inner join leads
        on lead_accounts.lead_id = leads.lead_id
    where lead_accounts.is_current_version and lead_accounts.account_id is not null

),

contact_counts as (

    select
        account_id,
        count(*) as contacts,
        sum(case when link_method = 'email_domain' then 1 else 0 end) as contacts_linked_by_domain,
        sum(case when link_method <> 'email_domain' then 1 else 0 end) as contacts_linked_by_name,
        max(employee_count) as employee_count,
        max(annual_revenue_usd) as annual_revenue_usd
    from current_contacts
    group by account_id

),

distinct_contact_roles as (

    select distinct
        account_id,
        buying_role
    from current_contacts

),

contact_roles as (

    select
        account_id,
        {{ ordered_string_agg('buying_role', "', '", 'buying_role') }} as buying_role_list
    from distinct_contact_roles
    group by account_id

),

{%- for attribute in ['company_name', 'industry', 'country_code'] %}

{{ attribute }}_modes as (

    select
        account_id,
        {{ attribute }},
        row_number() over (partition by account_id order by count(*) desc, {{ attribute }} asc) as value_rank
    from current_contacts
    where {{ attribute }} is not null
    group by account_id, {{ attribute }}

),
{%- endfor %}

first_wins as (

    select
        account_opportunities.account_id,
        min(account_opportunities.closed_date) as first_won_date
    from account_opportunities
    inner join scoring_dates
        on account_opportunities.closed_date <= scoring_dates.as_of_date
    where account_opportunities.is_won and account_opportunities.account_id is not null
    group by account_opportunities.account_id

),

final as (

    select
        accounts.account_id,
        case when accounts.account_domain is not null then 'email_domain' else 'company_name' end as account_key_type,
        accounts.account_domain,
        accounts.company_name_key,
        company_name_modes.company_name as account_name,
        industry_modes.industry,
        country_code_modes.country_code,
        contact_counts.employee_count,
        contact_counts.annual_revenue_usd,
        cast(coalesce(contact_counts.contacts, 0) as {{ dbt.type_bigint() }}) as contacts,
        cast(coalesce(contact_counts.contacts_linked_by_domain, 0) as {{ dbt.type_bigint() }})
            as contacts_linked_by_domain,
        cast(coalesce(contact_counts.contacts_linked_by_name, 0) as {{ dbt.type_bigint() }})
            as contacts_linked_by_name,
        contact_roles.buying_role_list,
        first_wins.first_won_date is not null as is_customer,
        first_wins.first_won_date as customer_since_date
    from accounts
    left join contact_counts
        on accounts.account_id = contact_counts.account_id
    left join contact_roles
        on accounts.account_id = contact_roles.account_id
    left join company_name_modes
        on accounts.account_id = company_name_modes.account_id
        and company_name_modes.value_rank = 1
    left join industry_modes
        on accounts.account_id = industry_modes.account_id
        and industry_modes.value_rank = 1
    left join country_code_modes
        on accounts.account_id = country_code_modes.account_id
        and country_code_modes.value_rank = 1
    left join first_wins
        on accounts.account_id = first_wins.account_id

)

select * from final
