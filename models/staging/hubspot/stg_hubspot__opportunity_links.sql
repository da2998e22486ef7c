{{ config(enabled=connector_enabled('hubspot')) }}

with

deal_contacts as (

    select * from {{ source('hubspot', 'deal_contact') }}

),

contact_merges as (

    select * from {{ ref('base_hubspot__contact_merges') }}

),

associations as (

    select
        nullif(trim({{ input_text('deal_id') }}), '') as opportunity_id,
        nullif(trim({{ input_text('contact_id') }}), '') as contact_id
    from deal_contacts

),

final as (

    -- one row per deal and person: the association labels of one pair, and a merged-away contact
    -- and the contact it was merged into, are one way to the person
    select distinct
        associations.opportunity_id,
        'crm_record_id' as identity_type,
        coalesce(contact_merges.survivor_contact_id, associations.contact_id) as identity_value,
        'deal_contact' as link_path,
        1 as link_priority,
        -- HubSpot keeps no time for an association
        cast(null as {{ dbt.type_string() }}) as link_created_at
    from associations
    left join contact_merges
        on associations.contact_id = contact_merges.merged_contact_id
    where
        associations.opportunity_id is not null
        and associations.contact_id is not null

)

select * from final
