{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_kept_model_rows(ref('base_crm__lead_inputs')) }}",
) }}
-- Materialized (kept between runs, computed again only when something it reads changed:
-- base_crm__lead_inputs): it parses the raw text once, and every downstream model and test reads it.
-- Every input lead row (base_inputs__leads: the raw files or a connector's person rows), cleaned and
-- classified: the latest valid version of each lead is `staged`, older or repeated versions are
-- `superseded`, rows that fail a check are `rejected` with the reasons, and a connector's record
-- folded into another person (a merge, a converted lead's contact) is `merged`, a deleted one
-- `deleted`, with the connector's reason.
with

source_leads as (

    select * from {{ ref('base_inputs__leads') }}

),

industry_synonyms as (

    select * from {{ ref('industry_synonyms') }}

),

country_synonyms as (

    select * from {{ ref('country_synonyms') }}

),

trimmed as (

    select
        {{ clean_id('lead_id') }} as lead_id,
        -- the id as written, trimmed: two spellings that clean_id makes one id are a collision
        {{ clean_text('lead_id') }} as lead_id_spelling,
        {{ clean_email('email') }} as email,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ regexp_replace_all(clean_text('job_title'), "' +'", "' '") }} as job_title,
        {{ clean_text('company_name') }} as company_name,
        {{ regexp_replace_all(clean_text('industry'), "' +'", "' '") }} as industry_raw,
        {{ clean_text('employee_count') }} as employee_count_text,
        {{ clean_text('annual_revenue') }} as annual_revenue_text,
        {{ regexp_replace_all(clean_text('country'), "' +'", "' '") }} as country_raw,
        lower({{ clean_text('lead_source') }}) as lead_source,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('updated_at') }} as updated_at_text,
        -- the raw row, kept for the rejects model
        lead_id as raw_lead_id,
        email as raw_email,
        job_title as raw_job_title,
        employee_count as raw_employee_count,
        annual_revenue as raw_annual_revenue,
        created_at as raw_created_at,
        updated_at as raw_updated_at,
        cast(raw_line_number as {{ dbt.type_int() }}) as raw_line_number,
        raw_read_error,
        input_table,
        input_record_id,
        input_disposition,
        input_disposition_reason,
        {{ clean_id('salesforce_lead_id') }} as salesforce_lead_id,
        {{ clean_id('salesforce_contact_id') }} as salesforce_contact_id,
        {{ clean_id('hubspot_contact_id') }} as hubspot_contact_id,
        {{ clean_id('salesforce_account_id') }} as salesforce_account_id,
        {{ clean_id('hubspot_company_id') }} as hubspot_company_id,
        -- read, and not a merged or deleted record: a version of a lead
        raw_read_error is null and input_disposition is null as is_lead_version
    from source_leads

),

parsed as (

    select
        trimmed.*,
        {{ safe_cast_number('employee_count_text') }} as employee_count_value,
        {{ safe_cast_number('annual_revenue_text') }} as annual_revenue_value,
        {{ safe_cast_timestamp_utc('created_at_text') }} as created_at,
        coalesce(
            {{ safe_cast_timestamp_utc('updated_at_text') }},
            case when trimmed.updated_at_text is null then {{ safe_cast_timestamp_utc('created_at_text') }} end
        ) as updated_at,
        -- titles compared in lower case with punctuation as spaces and a space at each end, so that
        -- patterns such as '% vp %' match whole words; no title stays null (dbt.concat: concat()
        -- skips a null on DuckDB and PostgreSQL, where it gave '  ', and not on Spark)
        {{ dbt.concat([
            "' '",
            "trim(" ~ regexp_replace_all('lower(job_title)', "'[^a-z0-9&]+'", "' '") ~ ")",
            "' '",
        ]) }} as job_title_normalized,
        -- lead ids are compared exactly (case-sensitive) once clean_id made them plain (full-width
        -- forms as ASCII, invisible characters removed); two spellings that differ only in letter
        -- case, width or invisible characters are ambiguous and all rejected rather than guessed
        -- between
        min(case when trimmed.is_lead_version then trimmed.lead_id_spelling end)
            over (partition by lower(trimmed.lead_id))
        <> max(case when trimmed.is_lead_version then trimmed.lead_id_spelling end)
            over (partition by lower(trimmed.lead_id)) as has_case_variant
    from trimmed

),

checked as (

    select
        parsed.*,
        -- a line the strict reader could not read has only that reason: its values may be shifted.
        -- A merged or deleted record is not checked: it is not a version of anyone
        case when parsed.input_disposition is null then coalesce(parsed.raw_read_error, {{ reject_reasons([
            ('lead_id is null', 'missing lead_id'),
            ('has_case_variant', 'lead_id differs from another only in letter case, width or invisible characters'),
            ('created_at_text is null', 'missing created_at'),
            ('created_at_text is not null and created_at is null', 'unparseable created_at'),
            ('created_at > ' ~ latest_plausible_timestamp(), 'created_at in the future'),
            ('updated_at_text is not null and updated_at is null', 'unparseable updated_at'),
            ('updated_at_text is not null and updated_at > ' ~ latest_plausible_timestamp(), 'updated_at in the future'),
            ("email is not null and not " ~ regexp_full_match('email', "'" ~ email_pattern() ~ "'"), 'malformed email'),
            ('employee_count_text is not null and (employee_count_value is null or employee_count_value < 0)', 'invalid employee_count'),
            ('employee_count_value > ' ~ var('max_employee_count'), 'employee_count out of range'),
            ('annual_revenue_text is not null and (annual_revenue_value is null or annual_revenue_value < 0)', 'invalid annual_revenue'),
            ('annual_revenue_value > ' ~ var('max_annual_revenue_usd'), 'annual_revenue out of range'),
        ]) }}) end as reject_reason
    from parsed

),

ranked as (

    select
        checked.*,
        case
            when checked.reject_reason is null and checked.input_disposition is null
                then row_number() over (
                        partition by checked.lead_id, checked.reject_reason is null and checked.is_lead_version
                        order by
                            checked.updated_at desc,
                            checked.email asc,
                            checked.job_title asc,
                            checked.company_name asc,
                            checked.employee_count_text asc,
                            checked.created_at_text asc,
                            -- the same version delivered twice: the first line is staged, on every warehouse
                            checked.raw_line_number asc
                    )
        end as version_rank
    from checked

),

final as (

    select
        ranked.lead_id,
        case
            when ranked.input_disposition is not null then ranked.input_disposition
            when ranked.reject_reason is not null then 'rejected'
            when ranked.version_rank = 1 then 'staged'
            else 'superseded'
        end as record_status,
        ranked.reject_reason,
        ranked.input_disposition_reason as disposition_reason,
        ranked.email,
        {{ dbt.split_part('ranked.email', "'@'", 2) }} as email_domain,
        ranked.first_name,
        ranked.last_name,
        ranked.job_title,
        ranked.job_title_normalized,
        ranked.company_name,
        coalesce(industry_synonyms.industry, ranked.industry_raw) as industry,
        -- only values within the vars' maximums are kept, so every kept value fits the column types
        case
            when ranked.employee_count_value between 0 and {{ var('max_employee_count') }}
                then cast(ranked.employee_count_value as {{ dbt.type_int() }})
        end as employee_count,
        case
            when ranked.annual_revenue_value between 0 and {{ var('max_annual_revenue_usd') }}
                then ranked.annual_revenue_value
        end as annual_revenue_usd,
        coalesce(country_synonyms.country_code, upper(ranked.country_raw)) as country_code,
        coalesce(country_synonyms.country_name, ranked.country_raw) as country_name,
        ranked.lead_source,
        ranked.created_at,
        ranked.updated_at,
        ranked.raw_lead_id,
        ranked.raw_email,
        ranked.raw_job_title,
        ranked.raw_employee_count,
        ranked.raw_annual_revenue,
        ranked.raw_created_at,
        ranked.raw_updated_at,
        ranked.raw_line_number,
        ranked.input_table,
        ranked.input_record_id,
        ranked.salesforce_lead_id,
        ranked.salesforce_contact_id,
        ranked.hubspot_contact_id,
        ranked.salesforce_account_id,
        ranked.hubspot_company_id
    from ranked
    left join industry_synonyms
        on lower(ranked.industry_raw) = industry_synonyms.industry_key
    left join country_synonyms
        on lower(ranked.country_raw) = country_synonyms.country_key

)

{{ kept_model_rows_to_write('final', ref('base_crm__lead_inputs')) }}
