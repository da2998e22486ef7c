-- Does the tier predict conversion? Per scoring model and tier, per cutoff and over all cutoffs:
-- leads, conversions, conversion rate, lift over the base rate, and the ratio of the top tier's
-- conversion rate to the bottom tier's (a working model shows several times).
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores_calibrated') }}

),

policy as (

    select * from {{ ref('scoring_calibration_policy') }}

),

scoped as (

    {{ backtest_rows_by_scope('backtest_scores') }}

),

by_tier as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        tier,
        tier_rank,
        count(*) as leads,
        sum(converted) as conversions
    from scoped
    group by scoring_model, is_overall, cutoff_date, tier, tier_rank

),

rated as (

    select
        by_tier.*,
        cast(by_tier.conversions as {{ type_double() }}) / by_tier.leads as conversion_rate,
        cast(
            sum(by_tier.conversions)
                over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as {{ type_double() }}
        )
        / sum(by_tier.leads)
            over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as base_rate,
        max(by_tier.tier_rank)
            over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as top_tier_rank,
        min(by_tier.tier_rank)
            over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as bottom_tier_rank
    from by_tier

),

ratios as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        tier,
        tier_rank,
        leads,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        conversion_rate,
        base_rate,
        conversion_rate / nullif(base_rate, 0) as lift,
        max(case when tier_rank = top_tier_rank then conversion_rate end)
            over (partition by scoring_model, is_overall, cutoff_date)
        / nullif(
            max(case when tier_rank = bottom_tier_rank then conversion_rate end)
                over (partition by scoring_model, is_overall, cutoff_date),
            0
        ) as top_to_bottom_tier_conversion_ratio
    from rated

),

final as (

    select
        ratios.*,
        -- the verdict, with the thresholds of the scoring_calibration_policy seed
        case
            when ratios.top_to_bottom_tier_conversion_ratio is null or policy.separation_good_min is null
                then 'unknown'
            when ratios.top_to_bottom_tier_conversion_ratio >= policy.separation_good_min then 'good'
            when ratios.top_to_bottom_tier_conversion_ratio >= policy.separation_weak_min then 'warn'
            else 'bad'
        end as separation_status
    from ratios
    left join policy
        on ratios.scoring_model = policy.scoring_model

)

select * from final
