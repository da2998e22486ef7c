{%- set folded = ref('base_marketing__events') -%}
{%- set deliveries = ref('base_marketing__event_deliveries') -%}
{%- set signals_relation = ref('int_scoring_event_signals') -%}
{%- set scope = event_days_scope(this, folded, relation_fingerprint(signals_relation)) -%}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_event_days_to_recompute(this, ref('base_marketing__events'), ref('base_marketing__event_deliveries'), relation_fingerprint(ref('int_scoring_event_signals'))) }}",
) }}
-- One row per scoring model, lead, event signal and day, with the number of matching events and the
-- units they earn points for (events, or minutes of duration), at most the signal's daily_unit_limit
-- a day. The rolling states (int_lead_signal_states) are built from this table, never from raw events.
-- Incremental per lead day: a run computes again only the lead days whose events were folded again
-- since its last run (macros/scoring/event_days_changed_since.sql: a day's row depends on that
-- day's events alone), and every lead day when the signals changed.
-- Built only after the volume guard passed (tests/audit/assert_raw_volumes_pass_the_guard.sql):
-- on a warehouse built in place, a raw export that shrank does not reach the kept event days.
-- depends_on: {{ ref('audit_raw_source_volumes') }}
with

events as (

    {{ events_to_recompute(folded, deliveries, scope) }}

),

signals as (

    select * from {{ signals_relation }}

),

matched as (

    select
        signals.scoring_model,
        signals.component,
        signals.signal_id,
        signals.daily_unit_limit,
        events.lead_id,
        cast(events.occurred_at as date) as occurred_date,
        events.occurred_at,
        case signals.measure
            when 'occurrence' then 1
            when 'duration_minutes' then coalesce(events.duration_seconds, 0) / 60.0
        end as units
    from events
    inner join signals
        on events.event_type = signals.event_type
        and (signals.page_path_pattern is null or events.page_path like signals.page_path_pattern)

),

final as (

    select
        scoring_model,
        component,
        signal_id,
        lead_id,
        occurred_date as activity_date,
        count(*) as event_count,
        case
            when min(daily_unit_limit) is not null and sum(units) > min(daily_unit_limit)
                then cast(min(daily_unit_limit) as {{ type_double() }})
            else cast(sum(units) as {{ type_double() }})
        end as units,
        max(occurred_at) as last_occurred_at,
        {{ run_started_at_timestamp() }} as computed_at,
        {{ relation_fingerprint(signals_relation) }} as seed_fingerprint
    from matched
    group by scoring_model, component, signal_id, lead_id, occurred_date

)

select * from final
