{{ config(materialized='view') }}
-- Every raw event row (one per delivery), parsed once by the incremental staging of raw files
-- (base_marketing__event_deliveries) and checked here, on every read, against what can change from
-- one run to the next without the row changing: its lead among the staged leads, its time not in
-- the future. Re-deliveries are folded together in stg_marketing__events; failed checks go to
-- stg_marketing__event_rejects.
with

event_deliveries as (

    select * from {{ ref('base_marketing__event_deliveries') }}

),

staged_leads as (

    select * from {{ ref('stg_crm__leads') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

joined as (

    select
        event_deliveries.*,
        staged_leads.lead_id is not null as is_known_lead,
        event_types.event_type is not null as is_known_event_type,
        staged_leads.created_at as lead_created_at
    from event_deliveries
    left join staged_leads
        on event_deliveries.lead_id = staged_leads.lead_id
    left join event_types
        on event_deliveries.event_type = event_types.event_type

),

checked as (

    select
        joined.*,
        -- kept on purpose (the visits before a sign-up form, merged by the marketing tool), flagged
        coalesce(joined.occurred_at < joined.lead_created_at, false) as is_before_lead_created,
        -- a line the strict reader could not read has only that reason: its values may be shifted
        coalesce(joined.raw_read_error, {{ reject_reasons(event_delivery_checks()) }}) as reject_reason
    from joined

)

select * from checked
