with

lead_versions as (

    select * from {{ ref('base_crm__lead_versions') }}

),

final as (

    select
        reject_reason,
        raw_lead_id as lead_id,
        raw_email as email,
        raw_job_title as job_title,
        raw_employee_count as employee_count,
        raw_annual_revenue as annual_revenue,
        raw_created_at as created_at,
        raw_updated_at as updated_at,
        raw_line_number as line_number
    from lead_versions
    where record_status = 'rejected'

)

select * from final
