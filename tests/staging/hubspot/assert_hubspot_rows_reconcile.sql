{{ config(enabled=connector_enabled('hubspot')) }}
-- The HubSpot adapter accounts for every row of the tables it stages: each contact row is one
-- hubspot.contact row of stg_hubspot__people (the versions derived from contact_property_history
-- come on top), each email_event and contact_form_submission row one event, each engagement (by
-- id) one or more events (one per associated person, or one rejected row), each deal row one
-- opportunity. Fails with the table and both counts where they differ.
with

source_counts as (

    select
        'hubspot.contact' as input_table,
        count(*) as source_rows
    from {{ source('hubspot', 'contact') }}
    union all
    select
        'hubspot.email_event' as input_table,
        count(*) as source_rows
    from {{ source('hubspot', 'email_event') }}
    union all
    select
        'hubspot.contact_form_submission' as input_table,
        count(*) as source_rows
    from {{ source('hubspot', 'contact_form_submission') }}
    union all
    -- engagements by id: a row delivered twice gives the same events twice (repeated deliveries,
    -- which the inputs layer's staging folds)
    select
        'hubspot.engagement' as input_table,
        count(distinct {{ input_text('id') }}) as source_rows
    from {{ source('hubspot', 'engagement') }}
    union all
    select
        'hubspot.deal' as input_table,
        count(*) as source_rows
    from {{ source('hubspot', 'deal') }}

),

staged_counts as (

    select
        input_table,
        count(*) as staged_rows
    from {{ ref('stg_hubspot__people') }}
    where input_table = 'hubspot.contact'
    group by input_table
    union all
    select
        input_table,
        count(*) as staged_rows
    from {{ ref('stg_hubspot__events') }}
    where input_table <> 'hubspot.engagement'
    group by input_table
    union all
    -- an engagement's events share the engagement id, the second part of event_id
    select
        input_table,
        count(distinct {{ dbt.split_part('event_id', "':'", 2) }}) as staged_rows
    from {{ ref('stg_hubspot__events') }}
    where input_table = 'hubspot.engagement'
    group by input_table
    union all
    select
        input_table,
        count(*) as staged_rows
    from {{ ref('stg_hubspot__opportunities') }}
    group by input_table

)

select
    source_counts.input_table,
    source_counts.source_rows,
    coalesce(staged_counts.staged_rows, 0) as staged_rows
from source_counts
left join staged_counts
    on source_counts.input_table = staged_counts.input_table
where source_counts.source_rows <> coalesce(staged_counts.staged_rows, 0)
