{{ config(materialized='table') }}
-- A table: read by its tests and by the models downstream, one join per run instead of one per read.
-- One row per event: exact re-deliveries (same event_id, same content) are folded into one row and
-- counted in delivery_count (base_marketing__events, incremental). Deliveries of one event_id that
-- disagree, event ids that differ only in letter case, events of a lead that is not staged and
-- events in the future are not staged: they go to stg_marketing__event_rejects.
with

folded_events as (

    select * from {{ ref('base_marketing__events') }}

),

staged_leads as (

    select * from {{ ref('stg_crm__leads') }}

),

event_types as (

    select * from {{ ref('event_types') }}

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
        folded_events.delivery_count
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
