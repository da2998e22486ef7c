-- The volume guard: fails when a raw source of this build has no rows, or dropped by more than the
-- var volume_guard_max_drop_share against the last published build (stg_raw__source_volumes). The
-- staging models depend on that model, so they and everything downstream are skipped, and the
-- atomic DuckDB build publishes nothing. The failing row's guard_message names the source and both
-- counts (printed by the on-run-end hook log_failing_test_rows).
with

volumes as (

    select * from {{ ref('stg_raw__source_volumes') }}

)

select
    source_name,
    raw_rows,
    baseline_rows,
    guard_message
from volumes
where invocation_id = '{{ invocation_id }}'
    and guard_status = 'failed'
