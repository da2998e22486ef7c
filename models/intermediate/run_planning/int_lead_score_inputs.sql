{{ config(materialized='table') }}
-- Reads a table an earlier run left, through a macro rather than ref(): fct_lead_score_history is
-- built downstream of this model, so a ref would be a cycle (the YAML lists it in
-- meta.reads_previous_run_of); its last day sets the last day the history keeps
-- (history_kept_through, score_history_bounds).
{%- set kept_through = history_kept_through() %}
{#- an input's day, or the last kept day for the inputs it rolls up (dated then or earlier, or
    undated): `{date}` stands for the input's date -#}
{%- set kept_day = "cast('" ~ kept_through ~ "' as date)" %}
{%- set bucket_day = "case when {date} is null or {date} <= " ~ kept_day ~ " then " ~ kept_day ~ " else {date} end" %}
{%- set version_columns = [] %}
{%- for column in (adapter.get_columns_in_relation(ref('int_lead_versions_enriched')) if execute else []) %}
    {%- if column.name not in ['valid_to_date', 'is_current_version'] %}{% do version_columns.append(column.name) %}{% endif %}
{%- endfor %}
-- Everything a lead's score history is computed from, fingerprinted by the first day each input
-- can change a score: its signal and engagement days (by activity day), its lead versions (by the
-- day they start: a version's end is the next one's start), its opportunities (by the day they
-- closed, or were opened when still open) and the days it became a customer. One row per lead and
-- day after the history's kept days (history_kept_through), and one row per lead that rolls up
-- every input dated on or before their last day (or undated); has_lead_record says whether the
-- lead is in the lead input (it can have events only). int_score_history_changed_leads compares
-- these with the fingerprints the history was scored from (int_score_history_inputs).
with

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

),

engagement_days as (

    select * from {{ ref('int_lead_engagement_days') }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

customer_dates as (

    select * from {{ ref('int_lead_customer_dates') }}

),

-- units are rounded to 6 decimals before hashing, as in int_backtest_cutoff_inputs: a sum of
-- minutes can differ in its last bit between a full build and a per-lead recompute. Each input is
-- summed straight into its lead's day or the rolled-up day (a sum of sums is the same sum): at
-- 1,000,000 leads, summing the 35M lead-days of signals first and rolling them up after took 17 s,
-- this 7 s.
dated_inputs as (

    select
        lead_id,
        {{ bucket_day.replace('{date}', 'activity_date') }} as input_date,
        {{ fingerprint_sum([
            "'signal'", 'scoring_model', 'component', 'signal_id', 'activity_date', 'event_count',
            'cast(units as decimal(38, 6))', 'last_occurred_at',
        ]) }} as input_fingerprint
    from signal_days
    group by lead_id, {{ bucket_day.replace('{date}', 'activity_date') }}
    union all
    select
        lead_id,
        {{ bucket_day.replace('{date}', 'activity_date') }} as input_date,
        {{ fingerprint_sum(["'engagement'", 'activity_date', 'engagement_event_count']) }} as input_fingerprint
    from engagement_days
    group by lead_id, {{ bucket_day.replace('{date}', 'activity_date') }}
    union all
    select
        lead_id,
        {{ bucket_day.replace('{date}', 'valid_from_date') }} as input_date,
        {{ fingerprint_sum(["'version'"] + version_columns) }} as input_fingerprint
    from lead_versions
    group by lead_id, {{ bucket_day.replace('{date}', 'valid_from_date') }}
    union all
    {%- set opportunity_date = 'coalesce(cast(closed_at as date), cast(created_at as date))' %}
    select
        lead_id,
        {{ bucket_day.replace('{date}', opportunity_date) }} as input_date,
        {{ fingerprint_sum([
            "'opportunity'", 'opportunity_id', 'created_at', 'stage', 'is_closed', 'is_won', 'closed_at',
        ]) }} as input_fingerprint
    from opportunities
    where lead_id is not null
    group by lead_id, {{ bucket_day.replace('{date}', opportunity_date) }}
    union all
    select
        lead_id,
        {{ bucket_day.replace('{date}', 'customer_since_date') }} as input_date,
        {{ fingerprint_sum([
            "'customer'", 'valid_from_date', 'account_id', 'customer_since_date', 'customer_opportunity_id',
        ]) }} as input_fingerprint
    from customer_dates
    group by lead_id, {{ bucket_day.replace('{date}', 'customer_since_date') }}

),

lead_records as (

    select distinct lead_id from lead_versions

),

by_day as (

    select
        lead_id,
        input_date,
        input_date <= {{ kept_day }} as is_rolled_up,
        sum(input_fingerprint) as input_fingerprint
    from dated_inputs
    where lead_id is not null
    group by lead_id, input_date

),

final as (

    select
        by_day.lead_id,
        by_day.input_date,
        by_day.is_rolled_up,
        by_day.input_fingerprint,
        lead_records.lead_id is not null as has_lead_record
    from by_day
    left join lead_records
        on by_day.lead_id = lead_records.lead_id

)

select * from final
