{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}
-- The push's journal: one row per push, sync object, CRM record and step (sending, then sent,
-- failed or interrupted), with the values pushed. dbt only creates this table (empty, on the first
-- build) and never rebuilds it: full_refresh is off and each run appends nothing, so the state of
-- the CRMs survives every build, `--full-refresh` included, and `make build`'s copy-and-swap. Rows
-- are added by `lead-scoring export --push` (under the writer lock on DuckDB).
with

sync_objects as (

    select * from {{ ref('crm_sync_objects') }}

),

final as (

    select
        cast(null as {{ type_varchar() }}) as push_id,
        cast(null as {{ type_varchar() }}) as sync_object,
        cast(null as {{ type_varchar() }}) as crm_record_id,
        cast(null as {{ type_varchar() }}) as match_by,
        cast(null as {{ type_varchar() }}) as scoring_model,
        cast(null as {{ type_varchar() }}) as lead_id,
        cast(null as {{ type_varchar() }}) as account_id,
        {{ crm_sync_null_values() }},
        cast(null as date) as score_as_of,
        cast(null as {{ type_varchar() }}) as push_status,
        cast(null as {{ type_varchar() }}) as crm_assigned_id,
        cast(null as boolean) as is_created,
        cast(null as {{ type_varchar() }}) as crm_error_code,
        cast(null as {{ type_varchar() }}) as crm_error_message,
        cast(null as {{ dbt.type_timestamp() }}) as logged_at
    from sync_objects
    where 1 = 0

)

select * from final
