{{ config(group='lead_scoring') }}
-- The volume guard: fails when a raw source of this build has no rows, or dropped by more than the
-- var volume_guard_max_drop_share against the last published build (audit_raw_source_volumes). The
-- marts read the leads through int_lead_versions_enriched, which depends on that model, so they are
-- skipped, and the atomic DuckDB build publishes nothing. The failing row's guard_message names the
-- source and both counts (printed by the on-run-end hook log_failing_test_rows).
with

volumes as (

    select * from {{ ref('audit_raw_source_volumes') }}

)

select
    source_name,
    raw_rows,
    baseline_rows,
    guard_message
from volumes
where invocation_id = '{{ invocation_id }}'
    and guard_status = 'failed'
