{%- set segment = 'segment' in lead_scoring_input('events') -%}
{#- read only by a connector's events or opportunities: on raw files every row names its lead_id -#}
{%- set read_by_a_connector = lead_scoring_input('events') | reject('equalto', 'files') | list | length > 0
    or lead_scoring_input('opportunities')[0] != 'files' -%}
{{ config(materialized='table', enabled=read_by_a_connector) }}
-- Who each key names: one row per identity (a CRM record id, a normalised email, a Segment user or
-- anonymous id) with the person it resolves to. The events and opportunities of every connector
-- find their person here (base_inputs__events, base_inputs__opportunities). Built from the person rows of the
-- lead input (base_inputs__leads: a merged record resolves to its survivor, a converted lead's
-- contact to the lead) and, when Segment is an event input, from its identify calls.
-- Materialized as a table: both event reads and the opportunities join it. Enabled only when a
-- connector's events or opportunities read it (var lead_scoring_inputs): on the raw files nothing
-- does, and at 1,000,000 leads it cost 9 s a run.
with

lead_rows as (

    select * from {{ ref('base_inputs__leads') }}

),

{%- if segment %}

identified_visitors as (

    select * from {{ ref('stg_segment__identified_visitors') }}

),

{%- endif %}

-- every id a person row is known by: its own record id and the ids it carries (a converted lead
-- carries its contact's id)
record_keys as (

    {%- for id_column in ['input_record_id', 'salesforce_lead_id', 'salesforce_contact_id', 'hubspot_contact_id'] %}
    select
        {{ clean_id(id_column) }} as identity_value,
        {{ clean_id('lead_id') }} as person_id,
        input_disposition
    from lead_rows
    where raw_read_error is null
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

),

-- a record deleted in the connector names nobody; a record that is a version of a person or folded
-- into one names that person
record_identities as (

    select
        'crm_record_id' as identity_type,
        identity_value,
        case
            when count(distinct case when coalesce(input_disposition, '') <> 'deleted' then person_id end) = 1
                then max(case when coalesce(input_disposition, '') <> 'deleted' then person_id end)
        end as person_id,
        case
            when count(distinct case when coalesce(input_disposition, '') <> 'deleted' then person_id end) > 1
                then 'ambiguous'
            when count(case when coalesce(input_disposition, '') <> 'deleted' then person_id end) = 0
                then 'deleted'
            else 'person'
        end as identity_status,
        count(distinct person_id) as persons_matched
    from record_keys
    where identity_value is not null
    group by identity_value

),

email_persons as (

    select
        {{ clean_email('email') }} as identity_value,
        {{ clean_id('lead_id') }} as person_id,
        min({{ safe_cast_timestamp_utc('created_at') }}) as person_created_at
    from lead_rows
    where raw_read_error is null
        and {{ clean_id('lead_id') }} is not null
        and coalesce(input_disposition, '') <> 'deleted'
        and {{ clean_email('email') }} is not null
    group by {{ clean_email('email') }}, {{ clean_id('lead_id') }}

),

-- an email shared by several persons names the earliest created (then the smallest id): the record
-- that was there first, as a CRM's duplicate rules keep it
email_ranked as (

    select
        identity_value,
        person_id,
        count(*) over (partition by identity_value) as persons_matched,
        row_number() over (
            partition by identity_value
            order by person_created_at asc, person_id asc
        ) as person_rank
    from email_persons

),

email_identities as (

    select
        'email' as identity_type,
        identity_value,
        person_id,
        'person' as identity_status,
        persons_matched
    from email_ranked
    where person_rank = 1

),

{%- if segment %}

-- a Segment visitor is the person of the email it identified with; else of its user id when that
-- is a CRM record id; else, for an anonymous id, of the email its user id identified with
-- the visitors' keys made plain once; a user id row has no user_id of its own
visitors as (

    select
        identity_type,
        {{ clean_id('identity_value') }} as identity_value,
        {{ clean_email('email') }} as email,
        case
            when identity_type = 'segment_user_id' then {{ clean_id('identity_value') }}
            else {{ clean_id('user_id') }}
        end as user_id,
        {{ safe_cast_timestamp_utc('first_identified_at') }} as first_identified_at
    from identified_visitors

),

user_emails as (

    select
        identity_value as user_id,
        email as user_email
    from visitors
    where identity_type = 'segment_user_id'
        and email is not null

),

visitor_identities as (

    select
        visitors.identity_type,
        visitors.identity_value,
        coalesce(by_email.person_id, by_record.person_id, by_user_email.person_id) as person_id,
        case
            when coalesce(by_email.person_id, by_record.person_id, by_user_email.person_id) is not null
                then 'person'
            when by_record.identity_status = 'deleted' then 'deleted'
            else 'unmatched'
        end as identity_status,
        coalesce(by_email.persons_matched, by_record.persons_matched, by_user_email.persons_matched, 0)
            as persons_matched,
        visitors.first_identified_at
    from visitors
    left join email_identities as by_email
        on visitors.email = by_email.identity_value
    left join record_identities as by_record
        on visitors.user_id = by_record.identity_value
    left join user_emails
        on visitors.user_id = user_emails.user_id
    left join email_identities as by_user_email
        on user_emails.user_email = by_user_email.identity_value

),

{%- endif %}

final as (

    select
        identity_type,
        identity_value,
        person_id,
        identity_status,
        persons_matched,
        cast(null as {{ dbt.type_timestamp() }}) as first_identified_at
    from record_identities

    union all

    select
        identity_type,
        identity_value,
        person_id,
        identity_status,
        persons_matched,
        cast(null as {{ dbt.type_timestamp() }}) as first_identified_at
    from email_identities

    {%- if segment %}

    union all

    select
        identity_type,
        identity_value,
        person_id,
        identity_status,
        persons_matched,
        first_identified_at
    from visitor_identities

    {%- endif %}

)

select * from final
