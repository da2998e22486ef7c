{{ config(enabled=connector_enabled('hubspot')) }}
{#- Optional column, looked up when the model compiles: deal._fivetran_deleted. -#}
{%- set deal_columns = connector_table_columns('hubspot', 'deal') %}

with

deals as (

    select * from {{ source('hubspot', 'deal') }}

),

pipeline_stages as (

    select * from {{ source('hubspot', 'deal_pipeline_stage') }}

),

stage_map as (

    select * from {{ ref('connector_opportunity_stages') }}
    where connector = 'hubspot'

),

stage_rows as (

    select
        nullif(trim({{ input_text('stage_id') }}), '') as stage_id,
        lower(trim({{ input_text('label') }})) as stage_label,
        {{ input_is_true('closed_won') }} as is_closed_won,
        {{ safe_cast_number(input_text('probability')) }} as probability,
        -- stage ids are unique within a HubSpot account; should a stage id appear twice, one row is
        -- kept, so that a deal never becomes two opportunities
        row_number() over (
            partition by nullif(trim({{ input_text('stage_id') }}), '')
            order by {{ input_text('pipeline_id') }} asc, {{ input_text('label') }} asc
        ) as stage_rank
    from pipeline_stages

),

stages as (

    select
        stage_id,
        stage_label,
        case
            when is_closed_won or probability = 1 then 'closed_won'
            when probability = 0 then 'closed_lost'
        end as closed_stage
    from stage_rows
    where stage_rank = 1

),

deal_rows as (

    select
        nullif(trim({{ input_text('deal_id') }}), '') as opportunity_id,
        coalesce(
            nullif(trim({{ input_text('deal_pipeline_stage_id') }}), ''),
            nullif(trim({{ input_text('property_dealstage') }}), '')
        ) as stage_id,
        {{ input_text('property_createdate') }} as created_at,
        {{ input_text('property_amount') }} as amount,
        {{ input_text('property_closedate') }} as close_date,
        {{ input_is_true('is_deleted') }} as is_deleted,
        {%- if '_fivetran_deleted' in deal_columns %}
        {{ input_is_true('_fivetran_deleted') }} as is_fivetran_deleted
        {%- else %}
        false as is_fivetran_deleted
        {%- endif %}
    from deals

),

staged as (

    select
        deal_rows.*,
        stages.closed_stage,
        -- an open stage by its id, else by its label; one the seed does not list is staged at the
        -- var's stage
        coalesce(
            stages.closed_stage,
            stages_by_id.stage,
            stages_by_label.stage,
            '{{ var("connector_unmapped_open_stage") }}'
        ) as stage
    from deal_rows
    left join stages
        on deal_rows.stage_id = stages.stage_id
    left join stage_map as stages_by_id
        on lower(deal_rows.stage_id) = stages_by_id.source_stage
    left join stage_map as stages_by_label
        on stages.stage_label = stages_by_label.source_stage

),

final as (

    select
        'hubspot.deal' as input_table,
        opportunity_id,
        created_at,
        stage,
        amount,
        case when closed_stage is not null then close_date end as closed_at,
        case
            when is_deleted and is_fivetran_deleted then 'deleted in HubSpot (is_deleted, _fivetran_deleted)'
            when is_deleted then 'deleted in HubSpot (is_deleted)'
            when is_fivetran_deleted then 'deleted in HubSpot (_fivetran_deleted)'
        end as reject_reason
    from staged

)

select * from final
