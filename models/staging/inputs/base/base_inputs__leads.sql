{%- set inputs = lead_scoring_input('leads') -%}
{#- From the files a view over the raw relation; from a connector a table, so the adapter's person
    resolution runs once and not once per reader (base_crm__lead_versions and its data tests). -#}
{{ config(materialized='view' if inputs[0] == 'files' else 'table') }}
-- The lead rows of the input chosen by var lead_scoring_inputs.leads, in the raw lead contract
-- (every value as text) that base_crm__lead_versions cleans and checks: the raw files, or the
-- person rows of a connector (stg_salesforce__people, stg_hubspot__people), whose merged and deleted
-- records come with their disposition. One row per input row.
with

{%- if inputs[0] == 'files' %}

source_leads as (

    select * from {{ source('crm', 'leads') }}

),

final as (

    select
        lead_id,
        email,
        first_name,
        last_name,
        job_title,
        company_name,
        industry,
        employee_count,
        annual_revenue,
        country,
        lead_source,
        created_at,
        updated_at,
        raw_line_number,
        raw_read_error,
        raw_file_path as input_table,
        lead_id as input_record_id,
        cast(null as {{ dbt.type_string() }}) as input_disposition,
        cast(null as {{ dbt.type_string() }}) as input_disposition_reason,
        cast(null as {{ dbt.type_string() }}) as salesforce_lead_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_contact_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_contact_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_company_id
    from source_leads

)

{%- else %}

people as (

    {%- if inputs[0] == 'salesforce' %}
    select * from {{ ref('stg_salesforce__people') }}
    {%- else %}
    select * from {{ ref('stg_hubspot__people') }}
    {%- endif %}

),

final as (

    select
        person_id as lead_id,
        email,
        first_name,
        last_name,
        job_title,
        company_name,
        industry,
        employee_count,
        annual_revenue,
        country,
        lead_source,
        created_at,
        updated_at,
        cast(null as {{ dbt.type_int() }}) as raw_line_number,
        cast(null as {{ dbt.type_string() }}) as raw_read_error,
        input_table,
        input_record_id,
        disposition as input_disposition,
        disposition_reason as input_disposition_reason,
        salesforce_lead_id,
        salesforce_contact_id,
        hubspot_contact_id,
        salesforce_account_id,
        hubspot_company_id
    from people

)

{%- endif %}

select * from final
