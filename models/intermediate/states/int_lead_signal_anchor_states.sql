{%- set signal_days_relation = ref('int_lead_signal_days') -%}
{%- set folded_relation = ref('base_marketing__events') -%}
{%- set deliveries_relation = ref('base_marketing__event_deliveries') -%}
{%- set scoring_dates_relation = ref('int_scoring_dates') -%}
{%- set scope = anchor_scope(this, scoring_dates_relation, signal_days_relation) -%}
{%- set anchor_date = anchor_date_of_scope(scope, scoring_dates_relation) -%}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['scoring_model', 'component', 'signal_id', 'lead_id'],
    on_schema_change='fail',
    pre_hook="{{ delete_anchor_states_to_recompute(this, ref('int_scoring_dates'), ref('int_lead_signal_days'), ref('base_marketing__events'), ref('base_marketing__event_deliveries')) }}",
) }}
-- The anchor of the rolling states: for each scoring model, lead and event signal with matching
-- events up to the anchor date (the day before the run's earliest as-of date that is not a backtest
-- cutoff: it follows the live date), its state as of its
-- anchor_date: decayed units, units, events, last activity. Kept between runs and rolled forward:
-- a run writes only the keys with signal days since the kept anchor (the kept state decayed to the
-- new anchor date plus the new days, each decayed from its own day) and the leads with a signal day
-- on or before the kept anchor date that changed (from all their days: leads_to_roll_again); every
-- other key keeps its row, which stays exact because it had no activity since its anchor_date. A
-- run whose anchor date is earlier than the kept one (a history backfill), or in which every signal
-- day was computed again (a rebuilt fold, changed signals), rebuilds it from every signal day.
-- int_lead_signal_states reads these rows plus the signal days after the anchor date.
with

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

{%- if not scope.rebuild %}

kept_states as (

    select * from {{ this }}

),
{%- endif %}

-- the import of signal days: every day up to the anchor date on a rebuild;
-- else all the days of the leads rolled again and only the days since the kept anchor of the
-- others (the macro reads the relation, not a CTE: see anchor_days_to_read)
days_to_read as (

    {{ anchor_days_to_read(signal_days_relation, folded_relation, deliveries_relation, scope, anchor_date) }}

),

-- what the days read add, decayed to the anchor date
increments as (

    select
        days_to_read.scoring_model,
        days_to_read.component,
        days_to_read.signal_id,
        days_to_read.lead_id,
        sum(
            {{ decayed_to(
                'days_to_read.units',
                'days_to_read.activity_date',
                anchor_date,
                'signals.half_life_days'
            ) }}
        ) as decayed_units,
        sum(days_to_read.units) as units,
        sum(days_to_read.event_count) as event_count,
        max(days_to_read.activity_date) as last_activity_date,
        max(days_to_read.last_occurred_at) as last_occurred_at
    from days_to_read
    inner join signals
        on days_to_read.scoring_model = signals.scoring_model
        and days_to_read.component = signals.component
        and days_to_read.signal_id = signals.signal_id
    group by
        days_to_read.scoring_model,
        days_to_read.component,
        days_to_read.signal_id,
        days_to_read.lead_id

),

rolled as (

    select
        increments.scoring_model,
        increments.component,
        increments.signal_id,
        increments.lead_id,
        {%- if scope.rebuild %}
        increments.decayed_units,
        increments.units,
        increments.event_count,
        increments.last_activity_date,
        increments.last_occurred_at
        {%- else %}
        -- a kept state (none for the leads rolled again: the pre-hook deleted theirs) decayed
        -- from its anchor date to the new one, plus the increment
        coalesce(
            {{ decayed_to(
                'kept_states.decayed_units',
                'kept_states.anchor_date',
                anchor_date,
                'signals.half_life_days'
            ) }},
            0
        ) + increments.decayed_units as decayed_units,
        coalesce(kept_states.units, 0) + increments.units as units,
        coalesce(kept_states.event_count, 0) + increments.event_count as event_count,
        -- the days read are after the kept state's: their last activity is the last
        increments.last_activity_date,
        increments.last_occurred_at
        {%- endif %}
    from increments
    {%- if not scope.rebuild %}
    inner join signals
        on increments.scoring_model = signals.scoring_model
        and increments.component = signals.component
        and increments.signal_id = signals.signal_id
    left join kept_states
        on increments.scoring_model = kept_states.scoring_model
        and increments.component = kept_states.component
        and increments.signal_id = kept_states.signal_id
        and increments.lead_id = kept_states.lead_id
    {%- endif %}

),

final as (

    select
        cast({{ anchor_date }} as date) as anchor_date,
        scoring_model,
        component,
        signal_id,
        lead_id,
        -- decay never adds: the last digit's rounding is not allowed to exceed the units
        cast(case when decayed_units > units then units else decayed_units end as {{ type_double() }})
            as decayed_units,
        cast(units as {{ type_double() }}) as units,
        cast(event_count as {{ dbt.type_bigint() }}) as event_count,
        last_activity_date,
        last_occurred_at,
        {{ run_started_at_timestamp() }} as computed_at
    from rolled

)

select * from final
