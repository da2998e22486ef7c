{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}
-- One row per lead and day it left the lead input after it was scored (deleted or merged away in
-- the CRM, or dropped from the export): the run that noticed it (int_score_history_changed_leads)
-- deleted its score history, and it is in no other mart. Kept across builds, `--full-refresh`
-- included (a fresh build has never seen the lead). A lead that comes back is scored again; a
-- second departure adds a second row. crm_disposition says whether the CRM merged or deleted the
-- record itself; when it did not (null), fct_crm_sync_changes and fct_crm_sync_records clear the
-- score the CRM was last sent for the lead.
with

changed_leads as (

    select * from {{ ref('int_score_history_changed_leads') }}

),

final as (

    select
        cast(lead_id as {{ type_varchar() }}) as lead_id,
        cast(change_reason as {{ type_varchar() }}) as deletion_reason,
        cast(crm_disposition as {{ type_varchar() }}) as crm_disposition,
        {{ score_as_of_date() }} as deleted_as_of
    from changed_leads
    where has_left_lead_input

)

select * from final
