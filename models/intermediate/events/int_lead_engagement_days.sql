{%- set folded = ref('base_marketing__events') -%}
{%- set deliveries = ref('base_marketing__event_deliveries') -%}
{%- set event_types_relation = ref('event_types') -%}
{%- set scope = event_days_scope(this, folded, relation_fingerprint(event_types_relation)) -%}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_event_days_to_recompute(this, ref('base_marketing__events'), ref('base_marketing__event_deliveries'), relation_fingerprint(ref('event_types'))) }}",
) }}
-- One row per lead and day with at least one engagement event (event types flagged is_engagement in
-- the event_types seed): what inactivity and "days since last engagement" are computed from.
-- Incremental per lead day, like int_lead_signal_days.
-- Built only after the volume guard passed (tests/audit/assert_raw_volumes_pass_the_guard.sql):
-- on a warehouse built in place, a raw export that shrank does not reach the kept event days.
-- depends_on: {{ ref('audit_raw_source_volumes') }}
with

events as (

    {{ events_to_recompute(folded, deliveries, scope) }}

),

event_types as (

    select * from {{ event_types_relation }}

),

final as (

    select
        events.lead_id,
        cast(events.occurred_at as date) as activity_date,
        count(*) as engagement_event_count,
        {{ run_started_at_timestamp() }} as computed_at,
        {{ relation_fingerprint(event_types_relation) }} as seed_fingerprint
    from events
    inner join event_types
        on events.event_type = event_types.event_type
    where event_types.is_engagement
    group by events.lead_id, cast(events.occurred_at as date)

)

select * from final
