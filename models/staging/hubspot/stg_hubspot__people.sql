{#- A table, not a view: the deduplication and property-history reads below are read several times
    downstream (the versions, the identity step and their data tests); as a view each re-reads them. -#}
{{ config(enabled=connector_enabled('hubspot'), materialized='table') }}
-- depends_on: {{ source('hubspot', 'contact_property_history') }}
{#- The contact properties read, as (HubSpot property name, lead contract column). The contact table
    has them as property_<name> columns; contact_property_history names them without the prefix. -#}
{%- set contact_properties = [
    ('email', 'email'),
    ('firstname', 'first_name'),
    ('lastname', 'last_name'),
    ('jobtitle', 'job_title'),
    ('company', 'company_name'),
    ('industry', 'industry'),
    ('numemployees', 'employee_count'),
    ('annualrevenue', 'annual_revenue'),
    ('country', 'country'),
    ('hs_analytics_source', 'lead_source'),
] -%}
{#- Optional inputs, looked up when the model compiles: the contact columns is_deleted and
    property_associatedcompanyid (the contact's primary company, the record the CRM sync gives the
    account score) and the table contact_property_history (read when it exists: then the contact's
    past versions are staged too). -#}
{%- set contact_columns = connector_table_columns('hubspot', 'contact') %}
{%- set has_property_history = connector_table_exists('hubspot', 'contact_property_history') %}

with

contacts as (

    select * from {{ source('hubspot', 'contact') }}

),

contact_merges as (

    select * from {{ ref('base_hubspot__contact_merges') }}

),

{%- if has_property_history %}

property_history as (

    select * from {{ source('hubspot', 'contact_property_history') }}

),
{%- endif %}

contact_rows as (

    select
        nullif(trim({{ input_text('id') }}), '') as contact_id,
        {%- for property, column in contact_properties %}
        {{ input_text('property_' ~ property) }} as {{ column }},
        {%- endfor %}
        {{ input_text('property_createdate') }} as created_at,
        {{ input_text('property_lastmodifieddate') }} as updated_at,
        {{ safe_cast_timestamp_utc(input_text('property_lastmodifieddate')) }} as updated_at_utc,
        {{ input_is_true('_fivetran_deleted') }} as is_fivetran_deleted,
        {%- if 'property_associatedcompanyid' in contact_columns %}
        nullif(trim({{ input_text('property_associatedcompanyid') }}), '') as company_id,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as company_id,
        {%- endif %}
        {%- if 'is_deleted' in contact_columns %}
        {{ input_is_true('is_deleted') }} as is_deleted
        {%- else %}
        false as is_deleted
        {%- endif %}
    from contacts

),

{%- if has_property_history %}

history_changes as (

    select
        nullif(trim({{ input_text('contact_id') }}), '') as contact_id,
        lower(trim({{ input_text('name') }})) as property_name,
        {{ input_text('value') }} as property_value,
        {{ input_text('timestamp') }} as changed_at,
        {{ safe_cast_timestamp_utc(input_text('timestamp')) }} as changed_at_utc
    from property_history

),

change_times as (

    -- one row per contact and time one of the properties read changed, with the value each
    -- property was set to then (<column>_changed = 1) or null (it did not change then); two values
    -- of one property at the same time keep the greater, so the choice is deterministic
    select
        contact_id,
        changed_at_utc,
        {%- for property, column in contact_properties %}
        max(case when property_name = '{{ property }}' then 1 else 0 end) as {{ column }}_changed,
        max(case when property_name = '{{ property }}' then property_value end) as {{ column }}_set_to,
        {%- endfor %}
        min(changed_at) as changed_at
    from history_changes
    where
        contact_id is not null
        and changed_at_utc is not null
        and property_name in (
            {%- for property, column in contact_properties %}
            '{{ property }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
    group by contact_id, changed_at_utc

),

change_groups as (

    -- per property, the number of its changes up to each change time: the rows sharing a count
    -- hold the value of the change that started the group (the value as of their time)
    select
        {%- for property, column in contact_properties %}
        sum(change_times.{{ column }}_changed) over (
            partition by change_times.contact_id
            order by change_times.changed_at_utc
            rows between unbounded preceding and current row
        ) as {{ column }}_change_count,
        max(change_times.{{ column }}_changed) over (
            partition by change_times.contact_id
        ) as {{ column }}_has_history,
        {%- endfor %}
        change_times.*
    from change_times

),

values_as_of as (

    select
        {%- for property, column in contact_properties %}
        change_groups.{{ column }}_has_history,
        max(change_groups.{{ column }}_set_to) over (
            partition by change_groups.contact_id, change_groups.{{ column }}_change_count
        ) as {{ column }}_as_of,
        {%- endfor %}
        change_groups.contact_id,
        change_groups.changed_at_utc,
        change_groups.changed_at
    from change_groups

),

history_versions as (

    -- a version per change time before the contact row's own time (the row is the version at that
    -- time): a property with history has its value as of the change time (null before its first
    -- change), a property without any history keeps the contact row's value
    select
        'hubspot.contact_property_history' as input_table,
        contact_rows.contact_id,
        {%- for property, column in contact_properties %}
        case
            when values_as_of.{{ column }}_has_history = 1 then values_as_of.{{ column }}_as_of
            else contact_rows.{{ column }}
        end as {{ column }},
        {%- endfor %}
        contact_rows.created_at,
        values_as_of.changed_at as updated_at,
        contact_rows.company_id,
        contact_rows.is_fivetran_deleted,
        contact_rows.is_deleted
    from contact_rows
    inner join values_as_of
        on contact_rows.contact_id = values_as_of.contact_id
        and values_as_of.changed_at_utc < contact_rows.updated_at_utc

),
{%- endif %}

contact_versions as (

    select
        'hubspot.contact' as input_table,
        contact_id,
        {%- for property, column in contact_properties %}
        {{ column }},
        {%- endfor %}
        created_at,
        updated_at,
        company_id,
        is_fivetran_deleted,
        is_deleted
    from contact_rows
    {%- if has_property_history %}

    union all

    select
        input_table,
        contact_id,
        {%- for property, column in contact_properties %}
        {{ column }},
        {%- endfor %}
        created_at,
        updated_at,
        company_id,
        is_fivetran_deleted,
        is_deleted
    from history_versions
    {%- endif %}

),

classified as (

    select
        contact_versions.*,
        contact_merges.merged_contact_id is not null as is_merged_away,
        contact_merges.survivor_contact_id
    from contact_versions
    left join contact_merges
        on contact_versions.contact_id = contact_merges.merged_contact_id

),

final as (

    select
        input_table,
        contact_id as input_record_id,
        -- a merged-away contact is 'merged' even when it is also flagged deleted (HubSpot removes
        -- the contacts it merges away, and Fivetran then flags them _fivetran_deleted)
        case
            when is_merged_away then survivor_contact_id
            when not (is_fivetran_deleted or is_deleted) then contact_id
        end as person_id,
        case
            when is_merged_away then 'merged'
            when is_fivetran_deleted or is_deleted then 'deleted'
        end as disposition,
        case
            when is_merged_away and survivor_contact_id is not null
                then {{ dbt.concat(["'merged into '", 'survivor_contact_id']) }}
            -- no survivor: the chain is circular or longer than follow_merge_chains' max_depth
            when is_merged_away then 'merged, but its merge chain does not end (circular, or too long to follow)'
            when is_deleted and is_fivetran_deleted then 'deleted in HubSpot (is_deleted, _fivetran_deleted)'
            when is_deleted then 'deleted in HubSpot (is_deleted)'
            when is_fivetran_deleted then 'deleted in HubSpot (_fivetran_deleted)'
        end as disposition_reason,
        email,
        first_name,
        last_name,
        job_title,
        company_name,
        industry,
        -- HubSpot's ranges: '25-50' is read as its lower bound, '1000+' as 1000; anything else is
        -- passed on as it is, for staging to read as a number or reject
        case
            when {{ regexp_full_match('trim(employee_count)', "'^[0-9][0-9,]* *- *[0-9][0-9,]*$'") }}
                then trim({{ dbt.split_part('employee_count', "'-'", 1) }})
            when {{ regexp_full_match('trim(employee_count)', "'^[0-9][0-9,]* *[+]$'") }}
                then trim(replace(employee_count, '+', ''))
            else employee_count
        end as employee_count,
        annual_revenue,
        country,
        lead_source,
        created_at,
        updated_at,
        cast(null as {{ dbt.type_string() }}) as salesforce_lead_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_contact_id,
        contact_id as hubspot_contact_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        -- the contact's primary company as of the sync (an earlier version keeps it: the property
        -- history read is the contact's own properties)
        company_id as hubspot_company_id
    from classified

)

select * from final
