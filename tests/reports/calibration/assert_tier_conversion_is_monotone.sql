-- Calibration gate: pooled over the backtests, a higher tier must not convert less than a lower
-- one. Warns (does not fail the build): a broken ordering is a reason to revisit the weights. A model
-- inactive on this data is left out (assert_scoring_models_match_events reports it).
{{ config(severity='warn', group='lead_scoring') }}

with

tiers as (

    select * from {{ ref('rpt_conversion_by_tier') }}
    where is_overall

),

active_models as (

    select * from {{ ref('int_scoring_models_matched_to_events') }}
    where is_active

),

ordered as (

    select
        tiers.scoring_model,
        tiers.tier,
        tiers.tier_rank,
        tiers.conversion_rate,
        lag(tiers.conversion_rate) over (
            partition by tiers.scoring_model order by tiers.tier_rank
        ) as lower_tier_conversion_rate
    from tiers
    inner join active_models
        on tiers.scoring_model = active_models.scoring_model

)

select * from ordered
where conversion_rate < lower_tier_conversion_rate
