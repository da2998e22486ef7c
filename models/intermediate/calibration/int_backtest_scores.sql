{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_kept_model_rows(ref('int_calibration_inputs')) }}",
) }}
-- One row per cutoff, scoring model and lead that existed before the cutoff and had not converted
-- yet: its score as of the day before the cutoff (with the lead's attributes valid then), and
-- whether it converted (an opportunity was created) within the outcome window from the cutoff.
-- Kept between runs: computed again only when something it reads changed (int_calibration_inputs).
with

cutoffs as (

    select * from {{ ref('int_backtest_cutoffs') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

scores as (

    select * from {{ ref('int_backtest_lead_scores') }}

),

first_conversions as (

    select
        lead_id,
        min(created_at) as first_opportunity_at
    from opportunities
    group by lead_id

),

final as (

    select
        cutoffs.cutoff_date,
        scores.as_of_date,
        scores.scoring_model,
        scores.lead_id,
        scores.fit_score,
        scores.behavioral_score,
        scores.negative_score,
        scores.total_score,
        scores.tier,
        scores.tier_rank,
        scores.is_mql,
        scores.fit_grade,
        scores.engagement_level,
        first_conversions.first_opportunity_at,
        coalesce(
            first_conversions.first_opportunity_at is not null
            and cast(first_conversions.first_opportunity_at as date) < cutoffs.outcome_window_end_date,
            false
        ) as is_converted
    from scores
    inner join cutoffs
        on scores.as_of_date = cutoffs.as_of_date
    inner join leads
        on scores.lead_id = leads.lead_id
    left join first_conversions
        on scores.lead_id = first_conversions.lead_id
    -- a lead that converted before the cutoff has nothing left to predict
    where (
        first_conversions.first_opportunity_at is null
        or cast(first_conversions.first_opportunity_at as date) >= cutoffs.cutoff_date
    )
    {%- if var('backtest_max_lead_age_days') is not none %}
        -- only leads that arrived within backtest_max_lead_age_days before the cutoff
        and {{ dbt.datediff('leads.created_date', 'cutoffs.cutoff_date', 'day') }}
        <= {{ var('backtest_max_lead_age_days') }}
    {%- endif %}

)

{{ kept_model_rows_to_write('final', ref('int_calibration_inputs')) }}
