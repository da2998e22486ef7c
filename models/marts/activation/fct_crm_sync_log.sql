{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}
-- The CRM sync state: one row per sync target, CRM external id and batch marked as sent, with the
-- values that were sent. dbt only creates this table (empty, on the first build) and never
-- rebuilds it: full_refresh is off and each run appends nothing, so what was sent survives every
-- build, `--full-refresh` included, and `make build`'s copy-and-swap (the copy starts from the
-- published file). Rows are added by `lead-scoring export --mark-sent`, under the build lock.
with

targets as (

    select * from {{ ref('crm_sync_targets') }}

),

final as (

    select
        cast(null as {{ type_varchar() }}) as sync_target,
        cast(null as {{ type_varchar() }}) as crm_external_id,
        cast(null as {{ type_varchar() }}) as scoring_model,
        cast(null as {{ type_varchar() }}) as lead_id,
        cast(null as decimal(18, 2)) as total_score,
        cast(null as {{ type_varchar() }}) as tier,
        cast(null as boolean) as is_mql,
        cast(null as {{ type_varchar() }}) as top_reasons,
        cast(null as date) as score_as_of,
        cast(null as {{ type_varchar() }}) as batch_id,
        cast(null as {{ dbt.type_timestamp() }}) as marked_sent_at
    from targets
    where 1 = 0

)

select * from final
