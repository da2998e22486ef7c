{{ config(enabled=connector_enabled('salesforce')) }}
with

-- only the columns the adapter reads: any other column of the connector's table is ignored
opportunities as (

    select
        id,
        is_deleted,
        stage_name,
        amount,
        is_closed,
        is_won,
        close_date,
        created_date
    from {{ source('salesforce', 'opportunity') }}

),

connector_opportunity_stages as (

    select
        source_stage,
        stage
    from {{ ref('connector_opportunity_stages') }}
    where connector = 'salesforce'

),

flagged as (

    select
        {{ input_text('id') }} as opportunity_id,
        {{ input_text('created_date') }} as created_at,
        lower(trim({{ input_text('stage_name') }})) as stage_key,
        {{ input_text('amount') }} as amount,
        {{ input_text('close_date') }} as close_date,
        {{ input_is_true('is_closed') }} as is_closed,
        {{ input_is_true('is_won') }} as is_won,
        {{ input_is_true('is_deleted') }} as is_deleted
    from opportunities

),

-- a closed opportunity's outcome comes from Salesforce's flags, whatever its stage is called; an open
-- stage missing from the seed is staged at var connector_unmapped_open_stage
staged as (

    select
        flagged.opportunity_id,
        flagged.created_at,
        case
            when flagged.is_closed and flagged.is_won then 'closed_won'
            when flagged.is_closed then 'closed_lost'
            else coalesce(connector_opportunity_stages.stage, '{{ var("connector_unmapped_open_stage") }}')
        end as stage,
        flagged.amount,
        -- an open opportunity's close_date is the expected one, not a closing time
        case when flagged.is_closed then flagged.close_date end as closed_at,
        case
            when flagged.opportunity_id is null then 'opportunity has no id'
            when flagged.is_deleted then 'deleted in Salesforce (is_deleted)'
        end as reject_reason
    from flagged
    left join connector_opportunity_stages
        on flagged.stage_key = connector_opportunity_stages.source_stage

),

final as (

    select
        'salesforce.opportunity' as input_table,
        opportunity_id,
        created_at,
        stage,
        amount,
        closed_at,
        reject_reason
    from staged

)

select * from final
