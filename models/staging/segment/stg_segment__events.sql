{{ config(enabled=connector_enabled('segment')) }}

{#- Optional columns (the connector writes a property's column only once a call carries it): read
    when the table has them, null otherwise, checked when the model compiles. The table's relation
    is built from the vars that place the source (as in _segment__sources.yml), not taken from
    source(): inside a unit test source() names the test's fixture, whose columns are the table's. -#}
{%- set duration_column = var('segment_page_duration_column', 'duration_seconds') | lower -%}
{%- set table_database = none if target.type == 'spark' else (var('segment_database', none) or target.database) -%}
{%- set pages_columns = [] -%}
{%- set tracks_columns = [] -%}
{%- if execute -%}
    {%- set pages_columns = adapter.get_columns_in_relation(api.Relation.create(
        database=table_database, schema=var('segment_schema', 'segment'), identifier='pages'
    )) | map(attribute='name') | map('lower') | list -%}
    {%- set tracks_columns = adapter.get_columns_in_relation(api.Relation.create(
        database=table_database, schema=var('segment_schema', 'segment'), identifier='tracks'
    )) | map(attribute='name') | map('lower') | list -%}
{%- endif -%}
{%- set null_text = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- set duration_expression = duration_column if duration_column in pages_columns else null_text -%}
{%- set context_page_url_expression = 'context_page_url' if 'context_page_url' in tracks_columns else null_text -%}
{%- set unmapped_value_reason = dbt.concat([
    'source_table', "' '", 'mapped_column', "' '''", 'mapped_value',
    "''' is not mapped to an event type (seed connector_event_types)'",
]) -%}
{%- set unmapped_table_reason = dbt.concat([
    'source_table', "' rows are not mapped to an event type (seed connector_event_types has no * row)'",
]) %}

with

pages_source as (

    select
        id,
        anonymous_id,
        user_id,
        {{ adapter.quote('timestamp') }} as page_viewed_at,
        url,
        path,
        {{ duration_expression }} as duration_seconds
    from {{ source('segment', 'pages') }}

),

tracks_source as (

    select
        id,
        anonymous_id,
        user_id,
        event,
        event_text,
        {{ adapter.quote('timestamp') }} as tracked_at,
        {{ context_page_url_expression }} as context_page_url
    from {{ source('segment', 'tracks') }}

),

event_types as (

    select
        source_table,
        source_value,
        event_type
    from {{ ref('connector_event_types') }}
    where connector = 'segment'

),

-- every value as text, blank as null; a page call is mapped as a whole (the seed's '*' row)
page_calls as (

    select
        'pages' as source_table,
        nullif(trim({{ input_text('id') }}), '') as message_id,
        nullif(trim({{ input_text('anonymous_id') }}), '') as anonymous_id,
        nullif(trim({{ input_text('user_id') }}), '') as user_id,
        cast(null as {{ dbt.type_string() }}) as mapped_column,
        cast(null as {{ dbt.type_string() }}) as mapped_value,
        nullif(trim({{ input_text('page_viewed_at') }}), '') as occurred_at,
        coalesce(
            nullif(trim({{ input_text('url') }}), ''),
            nullif(trim({{ input_text('path') }}), '')
        ) as page_url,
        nullif(trim({{ input_text('duration_seconds') }}), '') as duration_seconds
    from pages_source

),

-- a track is mapped by the name as sent (event_text), or by `event` when that is blank
track_calls as (

    select
        'tracks' as source_table,
        nullif(trim({{ input_text('id') }}), '') as message_id,
        nullif(trim({{ input_text('anonymous_id') }}), '') as anonymous_id,
        nullif(trim({{ input_text('user_id') }}), '') as user_id,
        case
            when nullif(trim({{ input_text('event_text') }}), '') is not null then 'event_text'
            when nullif(trim({{ input_text('event') }}), '') is not null then 'event'
        end as mapped_column,
        coalesce(
            nullif(trim({{ input_text('event_text') }}), ''),
            nullif(trim({{ input_text('event') }}), '')
        ) as mapped_value,
        nullif(trim({{ input_text('tracked_at') }}), '') as occurred_at,
        nullif(trim({{ input_text('context_page_url') }}), '') as page_url,
        cast(null as {{ dbt.type_string() }}) as duration_seconds
    from tracks_source

),

calls as (

    select * from page_calls
    union all
    select * from track_calls

),

-- a listed value wins over the table's '*' row
calls_typed as (

    select
        calls.*,
        coalesce(value_match.event_type, table_match.event_type) as event_type
    from calls
    left join event_types as value_match
        on calls.source_table = value_match.source_table
        and lower(calls.mapped_value) = value_match.source_value
    left join event_types as table_match
        on calls.source_table = table_match.source_table
        and table_match.source_value = '*'

),

final as (

    select
        {{ dbt.concat(["'segment.'", 'source_table']) }} as input_table,
        case
            when message_id is not null then {{ dbt.concat(['source_table', "':'", 'message_id']) }}
        end as event_id,
        case
            when user_id is not null then 'segment_user_id'
            when anonymous_id is not null then 'segment_anonymous_id'
        end as identity_type,
        coalesce(user_id, anonymous_id) as identity_value,
        event_type,
        occurred_at,
        page_url,
        duration_seconds,
        nullif(concat_ws(
            '; ',
            case when message_id is null then {{ dbt.concat(['source_table', "' row has no id'"]) }} end,
            case when coalesce(user_id, anonymous_id) is null then 'no user_id or anonymous_id' end,
            case
                when event_type is null and mapped_value is not null then {{ unmapped_value_reason }}
                when event_type is null and source_table = 'tracks'
                    then 'tracks event_text and event are blank: nothing to map to an event type'
                when event_type is null then {{ unmapped_table_reason }}
            end
        ), '') as reject_reason
    from calls_typed

)

select * from final
