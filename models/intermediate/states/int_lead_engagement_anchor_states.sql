{%- set engagement_days_relation = ref('int_lead_engagement_days') -%}
{%- set folded_relation = ref('base_marketing__events') -%}
{%- set deliveries_relation = ref('base_marketing__event_deliveries') -%}
{%- set scoring_dates_relation = ref('int_scoring_dates') -%}
{%- set scope = anchor_scope(this, scoring_dates_relation, engagement_days_relation) -%}
{%- set anchor_date = anchor_date_of_scope(scope, scoring_dates_relation) -%}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='delete+insert',
    unique_key='lead_id',
    on_schema_change='fail',
    pre_hook="{{ delete_anchor_states_to_recompute(this, ref('int_scoring_dates'), ref('int_lead_engagement_days'), ref('base_marketing__events'), ref('base_marketing__event_deliveries')) }}",
) }}
-- The anchor of the engagement states: for each lead that engaged up to the anchor date (the day
-- before the run's earliest as-of date that is not a backtest cutoff), its last engagement day by
-- then. Kept between runs and rolled forward like int_lead_signal_anchor_states: a run writes only
-- the leads with engagement days since the kept anchor and the leads with a day on or before the
-- kept anchor that changed (from all their days: leads_to_roll_again); a run whose anchor date is
-- earlier than the kept one rebuilds it.
-- int_lead_engagement_states reads these rows plus the engagement days after the anchor date.
with

-- the import of engagement days: every day up to the anchor date on a rebuild;
-- else all the days of the leads rolled again and only the days since the kept anchor of the
-- others (the macro reads the relation, not a CTE: see anchor_days_to_read)
days_to_read as (

    {{ anchor_days_to_read(engagement_days_relation, folded_relation, deliveries_relation, scope, anchor_date) }}

),

final as (

    select
        cast({{ anchor_date }} as date) as anchor_date,
        lead_id,
        max(activity_date) as last_engagement_date,
        {{ run_started_at_timestamp() }} as computed_at
    from days_to_read
    group by lead_id

)

select * from final
