{%- set folded = ref('base_marketing__events') -%}
{%- set staged_leads_relation = ref('stg_crm__leads') -%}
{%- set event_types_relation = ref('event_types') -%}
{%- set scope = event_days_scope(this, folded, event_staging_fingerprint(event_types_relation)) -%}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_staged_events_to_recompute(this, ref('base_marketing__events'), ref('stg_crm__leads'), event_staging_fingerprint(ref('event_types'))) }}",
) }}
-- One row per event: exact re-deliveries (same event_id, same content) are folded into one row and
-- counted in delivery_count (base_marketing__events, incremental). Deliveries of one event_id that
-- disagree, event ids that differ only in letter case, events of a lead that is not staged and
-- events in the future are not staged: they go to stg_marketing__event_rejects. Incremental: a run
-- stages again the events folded since its last run (by event_id), and every event of the leads
-- whose staged lead appeared, went or changed its creation time, or whose events stopped being in
-- the future; every event after a rebuilt fold or a change in the event_types seed or the clock
-- skew allowed. The pre-hook deleted the rows it stages again.
with

{%- if scope.rebuild %}

folded_events as (

    select * from {{ folded }}

),

{%- else %}

-- read after the pre-hook: a lead whose rows it deleted has no staged event left, and is listed
changed_leads as (

    {{ leads_with_changed_staging(this, staged_leads_relation, folded, scope.computed_at) }}

),

folded_events as (

    select folded.*
    from {{ folded }} as folded
    where folded.folded_at > cast('{{ scope.computed_at }}' as {{ dbt.type_timestamp() }})
        or folded.lead_id in (select changed_leads.lead_id from changed_leads)

),

{%- endif %}

staged_leads as (

    select * from {{ staged_leads_relation }}

),

event_types as (

    select * from {{ event_types_relation }}

),

final as (

    select
        folded_events.event_id,
        folded_events.lead_id,
        folded_events.event_type,
        event_types.event_type is not null as is_known_event_type,
        -- kept on purpose (the visits before a sign-up form, merged by the marketing tool), flagged
        coalesce(folded_events.occurred_at < staged_leads.created_at, false) as is_before_lead_created,
        folded_events.occurred_at,
        cast(folded_events.occurred_at as date) as occurred_date,
        folded_events.page_url,
        folded_events.page_path,
        folded_events.duration_seconds,
        folded_events.delivery_count,
        staged_leads.created_at as lead_created_at,
        {{ run_started_at_timestamp() }} as computed_at,
        {{ event_staging_fingerprint(event_types_relation) }} as seed_fingerprint
    from folded_events
    inner join staged_leads
        on folded_events.lead_id = staged_leads.lead_id
    left join event_types
        on folded_events.event_type = event_types.event_type
    where folded_events.is_consistent
        and not folded_events.has_case_variant
        and folded_events.occurred_at <= {{ latest_plausible_timestamp() }}

)

select * from final
