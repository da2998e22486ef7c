{{ config(enabled=connector_enabled('hubspot')) }}
{#- Optional column, looked up when the model compiles: engagement.active (null on HubSpot v3 API
    connectors). -#}
{%- set engagement_columns = connector_table_columns('hubspot', 'engagement') %}

with

email_events as (

    select * from {{ source('hubspot', 'email_event') }}

),

form_submissions as (

    select * from {{ source('hubspot', 'contact_form_submission') }}

),

engagements as (

    select * from {{ source('hubspot', 'engagement') }}

),

engagement_contacts as (

    select * from {{ source('hubspot', 'engagement_contact') }}

),

contact_merges as (

    select * from {{ ref('base_hubspot__contact_merges') }}

),

event_types as (

    select * from {{ ref('connector_event_types') }}
    where connector = 'hubspot'

),

email_event_rows as (

    select
        'email_event' as source_table,
        'type' as source_column,
        {{ dbt.concat(["'email_event:'", input_text('id')]) }} as event_id,
        'email' as identity_type,
        nullif(lower(trim({{ input_text('recipient') }})), '') as identity_value,
        trim({{ input_text('type') }}) as source_value,
        {{ input_text('created') }} as occurred_at,
        cast(null as {{ dbt.type_string() }}) as page_url,
        cast(null as {{ dbt.type_string() }}) as duration_seconds,
        cast(null as {{ dbt.type_string() }}) as row_reject_reason
    from email_events

),

form_submission_keys as (

    select
        {{ input_text('conversion_id') }} as conversion_id,
        nullif(trim({{ input_text('contact_id') }}), '') as contact_id,
        trim({{ input_text('form_id') }}) as form_id,
        {{ input_text('page_url') }} as page_url,
        {{ input_text('timestamp') }} as submitted_at
    from form_submissions

),

form_submission_rows as (

    select
        'contact_form_submission' as source_table,
        'form_id' as source_column,
        {{ dbt.concat(["'contact_form_submission:'", 'form_submission_keys.conversion_id']) }} as event_id,
        'crm_record_id' as identity_type,
        -- a merged-away contact's submissions belong to the contact it was merged into
        coalesce(contact_merges.survivor_contact_id, form_submission_keys.contact_id) as identity_value,
        form_submission_keys.form_id as source_value,
        form_submission_keys.submitted_at as occurred_at,
        form_submission_keys.page_url,
        cast(null as {{ dbt.type_string() }}) as duration_seconds,
        cast(null as {{ dbt.type_string() }}) as row_reject_reason
    from form_submission_keys
    left join contact_merges
        on form_submission_keys.contact_id = contact_merges.merged_contact_id

),

engagement_rows as (

    select
        nullif(trim({{ input_text('id') }}), '') as engagement_id,
        trim({{ input_text('type') }}) as engagement_type,
        coalesce({{ input_text('timestamp') }}, {{ input_text('created_at') }}) as occurred_at,
        {%- if 'active' in engagement_columns %}
        active is not null and not {{ input_is_true('active') }} as is_inactive
        {%- else %}
        false as is_inactive
        {%- endif %}
    from engagements

),

engagement_associations as (

    select
        nullif(trim({{ input_text('engagement_id') }}), '') as engagement_id,
        nullif(trim({{ input_text('contact_id') }}), '') as contact_id
    from engagement_contacts

),

engagement_people as (

    -- the distinct people of each engagement, a merged-away contact read as the contact it was
    -- merged into (two associations ending in one person are one event)
    select distinct
        engagement_associations.engagement_id,
        coalesce(contact_merges.survivor_contact_id, engagement_associations.contact_id) as contact_id
    from engagement_associations
    left join contact_merges
        on engagement_associations.contact_id = contact_merges.merged_contact_id
    where engagement_associations.contact_id is not null

),

engagement_event_rows as (

    -- one event per engagement and associated person; an engagement with no associated contact is
    -- one row, rejected, so every engagement row is accounted for
    select
        'engagement' as source_table,
        'type' as source_column,
        case
            when engagement_people.contact_id is null
                then {{ dbt.concat(["'engagement:'", 'engagement_rows.engagement_id']) }}
            else {{ dbt.concat([
                "'engagement:'", 'engagement_rows.engagement_id', "':'", 'engagement_people.contact_id'
            ]) }}
        end as event_id,
        'crm_record_id' as identity_type,
        engagement_people.contact_id as identity_value,
        engagement_rows.engagement_type as source_value,
        engagement_rows.occurred_at,
        cast(null as {{ dbt.type_string() }}) as page_url,
        cast(null as {{ dbt.type_string() }}) as duration_seconds,
        case
            when engagement_rows.is_inactive then 'engagement is not active in HubSpot (active = false)'
        end as row_reject_reason
    from engagement_rows
    left join engagement_people
        on engagement_rows.engagement_id = engagement_people.engagement_id

),

event_rows as (

    select * from email_event_rows
    union all
    select * from form_submission_rows
    union all
    select * from engagement_event_rows

),

mapped as (

    select
        event_rows.*,
        coalesce(value_types.event_type, table_types.event_type) as event_type
    from event_rows
    left join event_types as value_types
        on event_rows.source_table = value_types.source_table
        and lower(event_rows.source_value) = value_types.source_value
    left join event_types as table_types
        on event_rows.source_table = table_types.source_table
        and table_types.source_value = '*'

),

final as (

    select
        {{ dbt.concat(["'hubspot.'", 'source_table']) }} as input_table,
        event_id,
        identity_type,
        identity_value,
        event_type,
        occurred_at,
        page_url,
        duration_seconds,
        nullif(
            concat_ws(
                '; ',
                row_reject_reason,
                case
                    when identity_value is null and source_table = 'email_event'
                        then 'email_event has no recipient'
                    when identity_value is null and source_table = 'engagement'
                        then 'engagement has no associated contact'
                    when identity_value is null
                        then {{ dbt.concat(['source_table', "' has no contact_id'"]) }}
                end,
                case
                    when event_type is null
                        then {{ dbt.concat([
                            'source_table', "' '", 'source_column', "' '''",
                            "coalesce(source_value, '')",
                            "''' is not mapped to an event type (seed connector_event_types)'",
                        ]) }}
                end
            ),
            ''
        ) as reject_reason
    from mapped

)

select * from final
