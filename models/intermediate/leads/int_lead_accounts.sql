{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_kept_model_rows(ref('base_crm__lead_inputs')) }}",
) }}
-- Materialized (kept between runs, computed again only when something it reads changed:
-- base_crm__lead_inputs): the account scores, the customer dates and dim_accounts read it at
-- every as-of date.
-- The account of every version of every lead (the rule is in the YAML description): the business
-- email domain first (through the domain alias seed), the normalised company name as the fallback,
-- and, for a lead that is linked to no account, the reason.
with

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

legal_suffixes as (

    select * from {{ ref('company_legal_suffixes') }}

),

domain_aliases as (

    select * from {{ ref('account_domain_aliases') }}

),

linking_rules as (

    select * from {{ ref('account_linking_rules') }}

),

-- lower case, `&` as `and`, every run of other characters than a-z and 0-9 as one space
cleaned_names as (

    select
        lead_versions.lead_id,
        lead_versions.valid_from_date,
        lead_versions.valid_to_date,
        lead_versions.is_current_version,
        lead_versions.email_domain,
        lead_versions.email_domain_class,
        lead_versions.company_name,
        nullif(
            trim(
                {{ regexp_replace_all(
                    regexp_replace_all('lower(lead_versions.company_name)', "'&'", "' and '"),
                    "'[^a-z0-9]+'",
                    "' '"
                ) }}
            ),
            ''
        ) as company_name_cleaned
    from lead_versions

),

-- the longest legal suffix the name ends with, as whole words (never the whole name)
suffix_matches as (

    select
        cleaned_names.lead_id,
        cleaned_names.valid_from_date,
        legal_suffixes.legal_suffix,
        length(cleaned_names.company_name_cleaned) - length(legal_suffixes.legal_suffix) as kept_length,
        row_number() over (
            partition by cleaned_names.lead_id, cleaned_names.valid_from_date
            order by length(legal_suffixes.legal_suffix) desc, legal_suffixes.legal_suffix asc
        ) as suffix_rank
    from cleaned_names
    inner join legal_suffixes
        on concat(' ', cleaned_names.company_name_cleaned) like concat('% ', legal_suffixes.legal_suffix)
        and cleaned_names.company_name_cleaned <> legal_suffixes.legal_suffix

),

keyed as (

    select
        cleaned_names.*,
        case
            when suffix_matches.legal_suffix is null then cleaned_names.company_name_cleaned
            else trim(substring(cleaned_names.company_name_cleaned, 1, suffix_matches.kept_length))
        end as company_name_key,
        case
            when coalesce(linking_rules.link_by_domain, false)
                then coalesce(domain_aliases.account_domain, cleaned_names.email_domain)
        end as account_domain,
        coalesce(linking_rules.link_by_company_name, false) as can_link_by_company_name,
        coalesce(
            linking_rules.unlinked_reason,
            concat('no account_linking_rules row for email domain class ', cleaned_names.email_domain_class)
        ) as class_unlinked_reason
    from cleaned_names
    left join suffix_matches
        on cleaned_names.lead_id = suffix_matches.lead_id
        and cleaned_names.valid_from_date = suffix_matches.valid_from_date
        and suffix_matches.suffix_rank = 1
    left join linking_rules
        on cleaned_names.email_domain_class = linking_rules.email_domain_class
    left join domain_aliases
        on cleaned_names.email_domain = domain_aliases.email_domain

),

-- the company names seen on the versions linked by domain: which domain accounts a name points to
domain_account_names as (

    select
        company_name_key,
        count(distinct account_domain) as domain_accounts,
        min(account_domain) as account_domain
    from keyed
    where account_domain is not null and company_name_key is not null
    group by company_name_key

),

final as (

    select
        keyed.lead_id,
        keyed.valid_from_date,
        keyed.valid_to_date,
        keyed.is_current_version,
        keyed.email_domain,
        keyed.email_domain_class,
        keyed.company_name,
        keyed.company_name_key,
        keyed.account_domain,
        case
            when keyed.account_domain is not null then concat('domain:', keyed.account_domain)
            when not keyed.can_link_by_company_name or keyed.company_name_key is null then null
            when domain_account_names.domain_accounts = 1 then concat('domain:', domain_account_names.account_domain)
            when domain_account_names.domain_accounts > 1 then null
            else concat('name:', keyed.company_name_key)
        end as account_id,
        case
            when keyed.account_domain is not null then 'email_domain'
            when not keyed.can_link_by_company_name or keyed.company_name_key is null then null
            when domain_account_names.domain_accounts = 1 then 'company_name_to_domain_account'
            when domain_account_names.domain_accounts > 1 then null
            else 'company_name'
        end as link_method,
        case
            when keyed.account_domain is not null then null
            when not keyed.can_link_by_company_name or keyed.company_name_key is null
                then keyed.class_unlinked_reason
            when domain_account_names.domain_accounts > 1
                then 'company name matches more than one email-domain account'
        end as unlinked_reason
    from keyed
    left join domain_account_names
        on keyed.company_name_key = domain_account_names.company_name_key

)

{{ kept_model_rows_to_write('final', ref('base_crm__lead_inputs')) }}
