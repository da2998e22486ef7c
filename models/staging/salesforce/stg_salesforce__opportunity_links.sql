{{ config(enabled=connector_enabled('salesforce')) }}
{#- opportunity.contact_id is a field only some orgs have: read when the table has it. -#}
{%- set has_opportunity_contact =
    optional_columns_present(source('salesforce', 'opportunity'), ['contact_id']) | length == 1 -%}
with

-- only the columns the adapter reads: any other column of the connector's tables is ignored
leads as (

    select
        id,
        converted_opportunity_id,
        converted_date
    from {{ source('salesforce', 'lead') }}

),

{%- if has_opportunity_contact %}

opportunities as (

    select
        id,
        contact_id,
        created_date
    from {{ source('salesforce', 'opportunity') }}

),

{%- endif %}

contact_roles as (

    select
        opportunity_id,
        contact_id,
        is_primary,
        is_deleted,
        created_date
    from {{ source('salesforce', 'opportunity_contact_role') }}

),

people as (

    select * from {{ ref('stg_salesforce__people') }}

),

-- every version of a converted lead names its opportunity: one link per lead and opportunity
converted_leads as (

    select
        nullif(trim({{ input_text('converted_opportunity_id') }}), '') as opportunity_id,
        {{ input_text('id') }} as record_id,
        converted_date
    from leads

),

converted_lead_links as (

    select
        opportunity_id,
        record_id,
        'converted_lead' as link_path,
        1 as link_priority,
        {{ input_text('min(converted_date)') }} as link_created_at
    from converted_leads
    where opportunity_id is not null
        and record_id is not null
    group by opportunity_id, record_id

),

-- a deleted role is not a link; a contact with several roles on one opportunity is one link, primary
-- when one of its roles is
live_contact_roles as (

    select
        nullif(trim({{ input_text('opportunity_id') }}), '') as opportunity_id,
        nullif(trim({{ input_text('contact_id') }}), '') as record_id,
        {{ input_is_true('is_primary') }} as is_primary,
        created_date
    from contact_roles
    where not {{ input_is_true('is_deleted') }}

),

contact_role_links as (

    select
        opportunity_id,
        record_id,
        'contact_role' as link_path,
        min(case when is_primary then 2 else 4 end) as link_priority,
        {{ input_text('min(created_date)') }} as link_created_at
    from live_contact_roles
    where opportunity_id is not null
        and record_id is not null
    group by opportunity_id, record_id

),

{%- if has_opportunity_contact %}

opportunity_contact_links as (

    select
        {{ input_text('id') }} as opportunity_id,
        nullif(trim({{ input_text('contact_id') }}), '') as record_id,
        'opportunity_contact' as link_path,
        3 as link_priority,
        {{ input_text('created_date') }} as link_created_at
    from opportunities
    where id is not null
        and nullif(trim({{ input_text('contact_id') }}), '') is not null

),

{%- endif %}

links as (

    select * from converted_lead_links
    union all
    select * from contact_role_links
    {%- if has_opportunity_contact %}
    union all
    select * from opportunity_contact_links
    {%- endif %}

),

-- a link to a record deleted in Salesforce names nobody: left out, so that the opportunity goes by its
-- other links (a merged-away record still names its survivor's person)
deleted_records as (

    select distinct input_record_id
    from people
    where disposition = 'deleted'

),

final as (

    select
        links.opportunity_id,
        'crm_record_id' as identity_type,
        links.record_id as identity_value,
        links.link_path,
        cast(links.link_priority as {{ dbt.type_int() }}) as link_priority,
        links.link_created_at
    from links
    left join deleted_records
        on links.record_id = deleted_records.input_record_id
    where deleted_records.input_record_id is null

)

select * from final
