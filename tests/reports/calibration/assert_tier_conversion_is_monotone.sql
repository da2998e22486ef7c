-- Calibration gate: pooled over the backtests, a higher tier must not convert less than a lower
-- one. Warns (does not fail the build): a broken ordering is a reason to revisit the weights.
{{ config(severity='warn') }}

with

tiers as (

    select * from {{ ref('rpt_conversion_by_tier') }}
    where is_overall

),

ordered as (

    select
        scoring_model,
        tier,
        tier_rank,
        conversion_rate,
        lag(conversion_rate) over (partition by scoring_model order by tier_rank) as lower_tier_conversion_rate
    from tiers

)

select * from ordered
where conversion_rate < lower_tier_conversion_rate
