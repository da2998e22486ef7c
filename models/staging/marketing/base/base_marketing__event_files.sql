{{ config(materialized='table') }}
-- One row per raw event file (or connector table-day, base_inputs__events) with its row count
-- and a fingerprint of its content. Incremental staging (base_marketing__event_deliveries)
-- stages a file when its path and fingerprint are new, and drops the rows of a file whose
-- fingerprint changed or that is gone.
with

source_events as (

    select * from {{ ref('base_inputs__events') }}

),

final as (

    select
        raw_file_path,
        count(*) as raw_rows,
        {{ fingerprint_sum([
            'event_id', 'lead_id', 'event_type', 'occurred_at', 'page_url', 'duration_seconds',
            'raw_line_number', 'raw_read_error',
        ]) }} as file_fingerprint
    from source_events
    group by raw_file_path

)

select * from final
