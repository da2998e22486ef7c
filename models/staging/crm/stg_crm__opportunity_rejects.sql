with

opportunity_versions as (

    select * from {{ ref('base_crm__opportunity_versions') }}

),

final as (

    select
        reject_reason,
        raw_opportunity_id as opportunity_id,
        raw_lead_id as lead_id,
        raw_created_at as created_at,
        raw_stage as stage,
        raw_amount as amount,
        raw_closed_at as closed_at,
        raw_line_number as line_number
    from opportunity_versions
    where record_status = 'rejected'

)

select * from final
