{{ config(enabled=connector_enabled('salesforce'), materialized='table') }}
{#- History mode (Fivetran writes every version of a record) is a per-table setting: detected from the
    table's columns when the model compiles. -#}
{%- set history_columns = ['_fivetran_active', '_fivetran_start'] -%}
{%- set lead_history = optional_columns_present(source('salesforce', 'lead'), history_columns) | length == 2 -%}
{%- set contact_history = optional_columns_present(source('salesforce', 'contact'), history_columns) | length == 2 -%}
-- A table, not a view: following merge chains joins the record states to themselves once per merge
-- level, and Spark inlines every CTE reference (it planned the view for a minute or more on a few
-- rows, again for every model and test that reads it). Built once, every reader scans the table.
with

-- only the columns the adapter reads: any other column of the connector's tables is ignored
leads as (

    select
        id,
        is_deleted,
        master_record_id,
        first_name,
        last_name,
        title,
        company,
        industry,
        number_of_employees,
        annual_revenue,
        country,
        email,
        lead_source,
        converted_date,
        converted_contact_id,
        converted_account_id,
        created_date,
        last_modified_date,
        system_modstamp,
        {%- if lead_history %}
        _fivetran_active,
        _fivetran_start,
        {%- endif %}
        _fivetran_synced
    from {{ source('salesforce', 'lead') }}

),

contacts as (

    select
        id,
        is_deleted,
        master_record_id,
        account_id,
        first_name,
        last_name,
        title,
        email,
        lead_source,
        mailing_country,
        created_date,
        last_modified_date,
        {%- if contact_history %}
        _fivetran_active,
        _fivetran_start,
        {%- endif %}
        _fivetran_synced
    from {{ source('salesforce', 'contact') }}

),

accounts as (

    select
        id,
        name,
        industry,
        number_of_employees,
        annual_revenue,
        _fivetran_synced
    from {{ source('salesforce', 'account') }}

),

lead_rows as (

    select
        'salesforce.lead' as input_table,
        {{ input_text('id') }} as record_id,
        {{ input_is_true('is_deleted') }} as is_deleted,
        nullif(trim({{ input_text('master_record_id') }}), '') as master_record_id,
        nullif(trim({{ input_text('converted_contact_id') }}), '') as converted_contact_id,
        -- the account a converted lead went to; null before conversion
        nullif(trim({{ input_text('converted_account_id') }}), '') as account_id,
        converted_date as converted_date_value,
        {{ input_text('email') }} as email,
        {{ input_text('first_name') }} as first_name,
        {{ input_text('last_name') }} as last_name,
        {{ input_text('title') }} as job_title,
        {{ input_text('company') }} as company_name,
        {{ input_text('industry') }} as industry,
        {{ input_text('number_of_employees') }} as employee_count,
        {{ input_text('annual_revenue') }} as annual_revenue,
        {{ input_text('country') }} as country,
        {{ input_text('lead_source') }} as lead_source,
        {{ input_text('created_date') }} as created_at,
        created_date as created_date_value,
        {%- if lead_history %}
        coalesce(
            {{ input_text('_fivetran_start') }},
            {{ input_text('last_modified_date') }},
            {{ input_text('system_modstamp') }}
        ) as updated_at,
        {{ input_is_true('_fivetran_active') }} as is_active_version,
        _fivetran_start as version_started_value,
        {%- else %}
        coalesce({{ input_text('last_modified_date') }}, {{ input_text('system_modstamp') }}) as updated_at,
        true as is_active_version,
        cast(null as {{ dbt.type_timestamp() }}) as version_started_value,
        {%- endif %}
        last_modified_date as last_modified_value,
        system_modstamp as system_modstamp_value,
        _fivetran_synced as synced_value
    from leads

),

-- version_recency 1 = the record's latest version (the active one in history mode): it says whether
-- the record was merged, deleted or converted
lead_versions as (

    select
        lead_rows.*,
        row_number() over (
            partition by lead_rows.record_id
            order by
                case when lead_rows.is_active_version then 0 else 1 end asc,
                lead_rows.version_started_value desc nulls last,
                lead_rows.last_modified_value desc nulls last,
                lead_rows.system_modstamp_value desc nulls last,
                lead_rows.synced_value desc nulls last
        ) as version_recency
    from lead_rows

),

-- an account id has one row, unless the account table is in history mode: then its latest synced one
account_latest as (

    select
        {{ input_text('id') }} as account_id,
        {{ input_text('name') }} as company_name,
        {{ input_text('industry') }} as industry,
        {{ input_text('number_of_employees') }} as employee_count,
        {{ input_text('annual_revenue') }} as annual_revenue,
        row_number() over (partition by id order by _fivetran_synced desc nulls last) as account_recency
    from accounts

),

contact_rows as (

    select
        'salesforce.contact' as input_table,
        {{ input_text('contacts.id') }} as record_id,
        {{ input_is_true('contacts.is_deleted') }} as is_deleted,
        nullif(trim({{ input_text('contacts.master_record_id') }}), '') as master_record_id,
        nullif(trim({{ input_text('contacts.account_id') }}), '') as account_id,
        {{ input_text('contacts.email') }} as email,
        {{ input_text('contacts.first_name') }} as first_name,
        {{ input_text('contacts.last_name') }} as last_name,
        {{ input_text('contacts.title') }} as job_title,
        account_latest.company_name,
        account_latest.industry,
        account_latest.employee_count,
        account_latest.annual_revenue,
        {{ input_text('contacts.mailing_country') }} as country,
        {{ input_text('contacts.lead_source') }} as lead_source,
        {{ input_text('contacts.created_date') }} as created_at,
        {%- if contact_history %}
        coalesce(
            {{ input_text('contacts._fivetran_start') }},
            {{ input_text('contacts.last_modified_date') }}
        ) as updated_at,
        {{ input_is_true('contacts._fivetran_active') }} as is_active_version,
        contacts._fivetran_start as version_started_value,
        {%- else %}
        {{ input_text('contacts.last_modified_date') }} as updated_at,
        true as is_active_version,
        cast(null as {{ dbt.type_timestamp() }}) as version_started_value,
        {%- endif %}
        contacts.last_modified_date as last_modified_value,
        contacts._fivetran_synced as synced_value
    from contacts
    left join account_latest
        on {{ input_text('contacts.account_id') }} = account_latest.account_id
        and account_latest.account_recency = 1

),

contact_versions as (

    select
        contact_rows.*,
        row_number() over (
            partition by contact_rows.record_id
            order by
                case when contact_rows.is_active_version then 0 else 1 end asc,
                contact_rows.version_started_value desc nulls last,
                contact_rows.last_modified_value desc nulls last,
                contact_rows.synced_value desc nulls last
        ) as version_recency
    from contact_rows

),

-- one row per record, from its latest version
records as (

    select
        record_id,
        'lead' as record_type,
        is_deleted,
        is_active_version,
        master_record_id,
        converted_contact_id,
        converted_date_value,
        created_date_value,
        created_at
    from lead_versions
    where version_recency = 1

    union all

    select
        record_id,
        'contact' as record_type,
        is_deleted,
        is_active_version,
        master_record_id,
        null as converted_contact_id,
        null as converted_date_value,
        null as created_date_value,
        created_at
    from contact_versions
    where version_recency = 1

),

-- merged away: deleted with the record it was merged into (Salesforce keeps it in the recycle bin).
-- deleted: deleted without one, or (history mode) no version of it is active any more.
record_states as (

    select
        records.*,
        coalesce(
            records.is_deleted
            and records.master_record_id is not null
            and records.master_record_id <> records.record_id,
            false
        ) as is_merged,
        case
            when records.is_deleted
                and (records.master_record_id is null or records.master_record_id = records.record_id)
                then 'deleted in Salesforce (is_deleted)'
            when not records.is_deleted and not records.is_active_version
                then 'deleted in Salesforce (history mode: no active version)'
        end as deletion_reason
    from records

),

-- a contact created by (or merged into by) lead conversions is the person of the first lead converted
-- to it; a later lead converted to the same contact stays a person of its own
conversions as (

    select
        converted_contact_id as contact_id,
        record_id as lead_id,
        row_number() over (
            partition by converted_contact_id
            order by converted_date_value asc nulls last, created_date_value asc nulls last, record_id asc
        ) as conversion_rank
    from record_states
    where record_type = 'lead'
        and converted_contact_id is not null
        and deletion_reason is null

),

-- one row per record folded into another: merged away (into its master record), or the contact of a
-- converted lead (into that lead)
fold_edges as (

    select
        record_id,
        master_record_id as into_record_id,
        'merge' as fold_kind,
        'merged into ' || master_record_id as fold_reason
    from record_states
    where is_merged

    union all

    select
        record_states.record_id,
        conversions.lead_id as into_record_id,
        'conversion' as fold_kind,
        'contact of converted lead ' || conversions.lead_id as fold_reason
    from record_states
    inner join conversions
        on record_states.record_id = conversions.contact_id
        and conversions.conversion_rank = 1
    where record_states.record_type = 'contact'
        and not record_states.is_merged
        and record_states.deletion_reason is null

),

-- the record each folded record ends in, following chains (A merged into B, B into C: C); null for a
-- circular chain or one longer than the macro's max_depth
fold_chains as (

    {{ follow_merge_chains('fold_edges', 'record_id', 'into_record_id') }}

),

record_people as (

    select
        record_states.record_id,
        record_states.record_type,
        case
            when fold_edges.record_id is not null and survivors.deletion_reason is null
                then fold_chains.survivor_id
            when fold_edges.record_id is null and record_states.deletion_reason is null
                then record_states.record_id
        end as person_id,
        case
            when fold_edges.record_id is not null and survivors.deletion_reason is not null then 'deleted'
            when fold_edges.record_id is not null then 'merged'
            when record_states.deletion_reason is not null then 'deleted'
        end as disposition,
        case
            when fold_edges.record_id is not null and survivors.deletion_reason is not null
                then fold_edges.fold_reason || '; ' || fold_chains.survivor_id || ' is '
                    || survivors.deletion_reason
            when fold_edges.record_id is not null and fold_chains.survivor_id is null
                then fold_edges.fold_reason
                    || '; its merge chain is circular or longer than follow_merge_chains follows'
            when fold_edges.record_id is not null then fold_edges.fold_reason
            else record_states.deletion_reason
        end as disposition_reason,
        fold_edges.fold_kind,
        fold_edges.into_record_id,
        record_states.created_at as record_created_at
    from record_states
    left join fold_edges
        on record_states.record_id = fold_edges.record_id
    left join fold_chains
        on record_states.record_id = fold_chains.merged_id
    left join record_states as survivors
        on fold_chains.survivor_id = survivors.record_id

),

-- a lead row carries its converted contact's id, and that contact's rows the lead's, only when the
-- contact is folded into the lead, so that no id names two persons
record_ids as (

    select
        record_people.record_type,
        record_people.record_id,
        record_people.person_id,
        record_people.disposition,
        record_people.disposition_reason,
        coalesce(person_records.created_at, record_people.record_created_at) as person_created_at,
        case
            when record_people.record_type = 'lead' then record_people.record_id
            when record_people.fold_kind = 'conversion' then record_people.into_record_id
        end as salesforce_lead_id,
        case
            when record_people.record_type = 'contact' then record_people.record_id
            else converted_contacts.record_id
        end as salesforce_contact_id
    from record_people
    left join record_states as person_records
        on record_people.person_id = person_records.record_id
    left join fold_edges as converted_contacts
        on record_people.record_id = converted_contacts.into_record_id
        and converted_contacts.fold_kind = 'conversion'

),

person_rows as (

    select
        input_table,
        'lead' as record_type,
        record_id,
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
        account_id
    from lead_rows

    union all

    select
        input_table,
        'contact' as record_type,
        record_id,
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
        account_id
    from contact_rows

),

final as (

    select
        person_rows.input_table,
        person_rows.record_id as input_record_id,
        record_ids.person_id,
        record_ids.disposition,
        record_ids.disposition_reason,
        person_rows.email,
        person_rows.first_name,
        person_rows.last_name,
        person_rows.job_title,
        person_rows.company_name,
        person_rows.industry,
        person_rows.employee_count,
        person_rows.annual_revenue,
        person_rows.country,
        person_rows.lead_source,
        coalesce(record_ids.person_created_at, person_rows.created_at) as created_at,
        person_rows.updated_at,
        record_ids.salesforce_lead_id,
        record_ids.salesforce_contact_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_contact_id,
        person_rows.account_id as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_company_id
    from person_rows
    -- a left join: a row without an id keeps its row (and fails the model's tests) rather than vanish
    left join record_ids
        on person_rows.record_type = record_ids.record_type
        and person_rows.record_id = record_ids.record_id

)

select * from final
