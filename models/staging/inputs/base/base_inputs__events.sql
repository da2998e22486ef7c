{%- set inputs = lead_scoring_input('events') -%}
{%- set connectors = inputs | reject('equalto', 'files') | list -%}
-- The event rows of the inputs chosen by var lead_scoring_inputs.events, in the raw event contract
-- (every value as text) that the event staging (models/staging/marketing) parses and checks: the raw
-- files and the event rows of each connector, whose person is resolved here
-- (base_inputs__identities). A connector row that names nobody, a deleted record, or an anonymous
-- visit too long before its visitor was identified keeps its row, with that reason in
-- raw_read_error (the staging rejects it with it). raw_file_path is the unit incremental staging
-- parses once: a raw file, or a connector table's rows of one day (`segment.pages/2026-12-01`).
with

{%- if 'files' in inputs %}

source_events as (

    select * from {{ source('marketing', 'events') }}

),

{%- endif %}

{%- if connectors %}

connector_events as (

    {%- for connector in connectors %}
    {%- if connector == 'salesforce' %}
    select * from {{ ref('stg_salesforce__events') }}
    {%- elif connector == 'hubspot' %}
    select * from {{ ref('stg_hubspot__events') }}
    {%- else %}
    select * from {{ ref('stg_segment__events') }}
    {%- endif %}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

),

identities as (

    select * from {{ ref('base_inputs__identities') }}

),

-- keys made plain as staging makes ids and emails plain (clean_id, clean_email)
keyed_events as (

    select
        connector_events.*,
        case
            when connector_events.identity_type = 'email' then {{ clean_email('connector_events.identity_value') }}
            else {{ clean_id('connector_events.identity_value') }}
        end as identity_key,
        -- a Segment user id that no identify call names may be the CRM's own record id
        case
            when connector_events.identity_type = 'segment_user_id'
                then {{ clean_id('connector_events.identity_value') }}
        end as user_record_key
    from connector_events

),

-- the record ids apart, so that both joins below are equalities of columns: with the event's type
-- tested in the join condition, DuckDB joined 790k events to 78k identities by nested loop (300 s)
record_identities as (

    select * from identities
    where identity_type = 'crm_record_id'

),

resolved as (

    select
        keyed_events.*,
        {{ safe_cast_timestamp_utc('keyed_events.occurred_at') }} as occurred_at_utc,
        coalesce(named.person_id, user_as_record.person_id) as person_id,
        coalesce(named.identity_status, user_as_record.identity_status) as identity_status,
        named.identity_type is not null as is_known_identity,
        named.first_identified_at
    from keyed_events
    left join identities as named
        on keyed_events.identity_type = named.identity_type
        and keyed_events.identity_key = named.identity_value
    left join record_identities as user_as_record
        on keyed_events.user_record_key = user_as_record.identity_value

),

connector_rows as (

    select
        event_id,
        person_id as lead_id,
        event_type,
        occurred_at,
        page_url,
        duration_seconds,
        cast(null as {{ dbt.type_int() }}) as raw_line_number,
        coalesce(
            reject_reason,
            case
                when identity_key is null then 'no person key (' || coalesce(identity_type, 'none') || ')'
                when identity_status = 'deleted' then 'the person''s record was deleted in the connector'
                when identity_status = 'ambiguous' then identity_type || ' names more than one person'
                when person_id is null and identity_type = 'segment_anonymous_id' and not is_known_identity
                    then 'anonymous visitor never identified'
                when person_id is null and identity_status = 'unmatched'
                    then identity_type || ' identified as an email or user id that names no person'
                when person_id is null then identity_type || ' matches no person'
                when identity_type = 'segment_anonymous_id'
                    and occurred_at_utc < {{ dbt.dateadd('day', -1 * var('identity_lookback_days'), 'first_identified_at') }}
                    then 'anonymous visit more than {{ var("identity_lookback_days") }} days before the visitor was identified'
            end
        ) as raw_read_error,
        -- the day as written (its first ten characters): deterministic whatever the text's format
        input_table || '/' || coalesce(substr(occurred_at, 1, 10), '') as raw_file_path
    from resolved

),

{%- endif %}

final as (

    {%- if 'files' in inputs %}
    select
        event_id,
        lead_id,
        event_type,
        occurred_at,
        page_url,
        duration_seconds,
        raw_line_number,
        raw_read_error,
        raw_file_path
    from source_events
    {%- endif %}
    {%- if 'files' in inputs and connectors %}

    union all
    {% endif %}
    {%- if connectors %}
    select
        event_id,
        lead_id,
        event_type,
        occurred_at,
        page_url,
        duration_seconds,
        raw_line_number,
        raw_read_error,
        raw_file_path
    from connector_rows
    {%- endif %}

)

select * from final
