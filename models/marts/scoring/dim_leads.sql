-- One row per lead: the cleaned attributes BI tools slice scores by. No raw PII: the email is
-- hashed or masked (var `bi_email_mode`), names are left in staging. With the lead's account and
-- buying role (current version), whether it is a customer by the scoring date and, when it is, why
-- the scoring models that exclude customers do not score it.
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

lead_accounts as (

    select * from {{ ref('int_lead_accounts') }}
    where is_current_version

),

lead_roles as (

    select * from {{ ref('int_lead_buying_roles') }}
    where is_current_version

),

customer_dates as (

    select * from {{ ref('int_lead_customer_dates') }}
    where is_current_version

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}
    where is_live

),

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

excluding_models as (

    select
        {{ ordered_string_agg('scoring_model', "', '", 'scoring_model') }} as scoring_model_list
    from scoring_models
    where customer_handling = 'exclude'

),

customers as (

    select
        customer_dates.lead_id,
        customer_dates.customer_since_date,
        customer_dates.customer_opportunity_id,
        customer_dates.customer_basis
    from customer_dates
    inner join scoring_dates
        on customer_dates.customer_since_date <= scoring_dates.as_of_date

),

-- the scoring models that exclude customers do not score these leads: say which and why
exclusion_reasons as (

    select
        customers.lead_id,
        concat(
            'customer since ', cast(customers.customer_since_date as {{ type_varchar() }}),
            ' (', customers.customer_basis, ' ', customers.customer_opportunity_id,
            '): not scored by ', excluding_models.scoring_model_list
        ) as scoring_exclusion_reason
    from customers
    cross join excluding_models
    where excluding_models.scoring_model_list is not null

),

final as (

    select
        leads.lead_id,
        {{ bi_email('leads.email') }} as email_for_bi,
        leads.email_domain,
        leads.email_domain_class,
        leads.job_title,
        leads.seniority,
        leads.company_name,
        leads.industry,
        leads.employee_count,
        leads.annual_revenue_usd,
        leads.country_code,
        leads.country_name,
        leads.lead_source,
        leads.created_at,
        leads.updated_at,
        lead_accounts.account_id,
        lead_accounts.link_method as account_link_method,
        lead_accounts.unlinked_reason as account_unlinked_reason,
        lead_roles.buying_role,
        customers.lead_id is not null as is_customer,
        customers.customer_since_date,
        customers.customer_opportunity_id,
        exclusion_reasons.scoring_exclusion_reason,
        leads.salesforce_lead_id,
        leads.salesforce_contact_id,
        leads.hubspot_contact_id,
        leads.salesforce_account_id,
        leads.hubspot_company_id
    from leads
    inner join lead_accounts
        on leads.lead_id = lead_accounts.lead_id
    inner join lead_roles
        on leads.lead_id = lead_roles.lead_id
    left join customers
        on leads.lead_id = customers.lead_id
    left join exclusion_reasons
        on leads.lead_id = exclusion_reasons.lead_id

)

select * from final
