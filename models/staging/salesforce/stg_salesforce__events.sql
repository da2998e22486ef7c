{{ config(enabled=connector_enabled('salesforce')) }}
with

-- only the columns the adapter reads: any other column of the connector's tables is ignored
tasks as (

    select
        id,
        who_id,
        type,
        task_subtype,
        created_date,
        is_deleted,
        call_duration_in_seconds
    from {{ source('salesforce', 'task') }}

),

calendar_events as (

    select
        id,
        who_id,
        type,
        event_subtype,
        start_date_time,
        activity_date_time,
        created_date,
        duration_in_minutes,
        is_deleted
    from {{ source('salesforce', 'event') }}

),

campaigns as (

    select
        id,
        type
    from {{ source('salesforce', 'campaign') }}

),

campaign_members as (

    select
        id,
        campaign_id,
        lead_id,
        contact_id,
        has_responded,
        first_responded_date,
        created_date,
        is_deleted
    from {{ source('salesforce', 'campaign_member') }}

),

connector_event_types as (

    select
        source_table,
        source_value,
        event_type
    from {{ ref('connector_event_types') }}
    where connector = 'salesforce'

),

-- one type per campaign id, so that a member is one row even if the campaign table repeats an id
campaign_types as (

    select
        {{ input_text('id') }} as campaign_id,
        max(nullif(trim({{ input_text('type') }}), '')) as campaign_type
    from campaigns
    group by {{ input_text('id') }}

),

-- the value the seed maps: a task's system subtype when it has one (Call, Email), else its type
task_rows as (

    select
        'salesforce.task' as input_table,
        'task' as source_table,
        'task:' || {{ input_text('id') }} as event_id,
        nullif(trim({{ input_text('who_id') }}), '') as record_id,
        case
            when nullif(trim({{ input_text('task_subtype') }}), '') is not null then 'task_subtype'
            else 'type'
        end as mapping_column,
        coalesce(
            nullif(trim({{ input_text('task_subtype') }}), ''),
            nullif(trim({{ input_text('type') }}), '')
        ) as mapping_value,
        -- when the task was logged
        {{ input_text('created_date') }} as occurred_at,
        {{ input_text('call_duration_in_seconds') }} as duration_seconds,
        {{ input_is_true('is_deleted') }} as is_deleted,
        true as has_responded,
        'task has no who_id (not about a lead or contact)' as no_person_reason,
        -- a subtype the seed does not list (Task, say) falls back to the type (Call)
        nullif(trim({{ input_text('type') }}), '') as fallback_value
    from tasks

),

event_rows as (

    select
        'salesforce.event' as input_table,
        'event' as source_table,
        'event:' || {{ input_text('id') }} as event_id,
        nullif(trim({{ input_text('who_id') }}), '') as record_id,
        case
            when nullif(trim({{ input_text('event_subtype') }}), '') is not null then 'event_subtype'
            else 'type'
        end as mapping_column,
        coalesce(
            nullif(trim({{ input_text('event_subtype') }}), ''),
            nullif(trim({{ input_text('type') }}), '')
        ) as mapping_value,
        coalesce(
            {{ input_text('start_date_time') }},
            {{ input_text('activity_date_time') }},
            {{ input_text('created_date') }}
        ) as occurred_at,
        {{ input_text(
            'cast(round(' ~ safe_cast_number(input_text('duration_in_minutes')) ~ ' * 60) as '
            ~ dbt.type_bigint() ~ ')'
        ) }} as duration_seconds,
        {{ input_is_true('is_deleted') }} as is_deleted,
        true as has_responded,
        'event has no who_id (not with a lead or contact)' as no_person_reason,
        nullif(trim({{ input_text('type') }}), '') as fallback_value
    from calendar_events

),

-- a member of a converted lead has both ids: the contact's is preferred, both name the same person
member_rows as (

    select
        'salesforce.campaign_member' as input_table,
        'campaign_member' as source_table,
        'campaign_member:' || {{ input_text('campaign_members.id') }} as event_id,
        coalesce(
            nullif(trim({{ input_text('campaign_members.contact_id') }}), ''),
            nullif(trim({{ input_text('campaign_members.lead_id') }}), '')
        ) as record_id,
        'campaign type' as mapping_column,
        campaign_types.campaign_type as mapping_value,
        -- the day of the first response (00:00 UTC), else when the member was added
        coalesce(
            {{ input_text('campaign_members.first_responded_date') }},
            {{ input_text('campaign_members.created_date') }}
        ) as occurred_at,
        cast(null as {{ dbt.type_string() }}) as duration_seconds,
        {{ input_is_true('campaign_members.is_deleted') }} as is_deleted,
        {{ input_is_true('campaign_members.has_responded') }} as has_responded,
        'campaign member has no contact_id or lead_id' as no_person_reason,
        cast(null as {{ dbt.type_string() }}) as fallback_value
    from campaign_members
    left join campaign_types
        on {{ input_text('campaign_members.campaign_id') }} = campaign_types.campaign_id

),

activity_rows as (

    select * from task_rows
    union all
    select * from event_rows
    union all
    select * from member_rows

),

-- a value listed for its table wins over its fallback value, which wins over the table's '*' row
typed as (

    select
        activity_rows.*,
        coalesce(listed_types.event_type, fallback_types.event_type, every_row_types.event_type) as event_type
    from activity_rows
    left join connector_event_types as listed_types
        on activity_rows.source_table = listed_types.source_table
        and lower(activity_rows.mapping_value) = listed_types.source_value
    left join connector_event_types as fallback_types
        on activity_rows.source_table = fallback_types.source_table
        and lower(activity_rows.fallback_value) = fallback_types.source_value
    left join connector_event_types as every_row_types
        on activity_rows.source_table = every_row_types.source_table
        and every_row_types.source_value = '*'

),

final as (

    select
        input_table,
        event_id,
        case when record_id is not null then 'crm_record_id' end as identity_type,
        record_id as identity_value,
        event_type,
        occurred_at,
        cast(null as {{ dbt.type_string() }}) as page_url,
        duration_seconds,
        -- the first reason that applies
        case
            when event_id is null then source_table || ' row has no id'
            when is_deleted then 'deleted in Salesforce (is_deleted)'
            when record_id is null then no_person_reason
            when not has_responded then 'campaign member did not respond'
            when event_type is null and mapping_value is null
                then source_table || ' ' || mapping_column
                    || ' is empty: not mapped to an event type (seed connector_event_types)'
            -- chr(39) is the quote around the value: Spark reads '' inside a literal as two literals
            when event_type is null
                then source_table || ' ' || mapping_column || ' ' || chr(39) || mapping_value || chr(39)
                    || ' is not mapped to an event type (seed connector_event_types)'
        end as reject_reason
    from typed

)

select * from final
