-- Does the account tier predict opportunities? Per scoring model and account tier, per backtest
-- cutoff and over all cutoffs: accounts, conversions, conversion rate and lift over the base rate,
-- and the ratio of the top tier's conversion rate to the bottom tier's.
with

account_backtests as (

    select * from {{ ref('int_account_backtest_scores') }}

),

scoped as (

    {%- for is_overall in [false, true] %}
    select
        scoring_model,
        {{ 'true' if is_overall else 'false' }} as is_overall,
        {{ 'cast(null as date)' if is_overall else 'cutoff_date' }} as cutoff_date,
        account_tier,
        account_tier_rank,
        case when is_converted then 1 else 0 end as converted
    from account_backtests
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

by_tier as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        account_tier,
        account_tier_rank,
        count(*) as accounts,
        sum(converted) as conversions
    from scoped
    group by scoring_model, is_overall, cutoff_date, account_tier, account_tier_rank

),

rated as (

    select
        by_tier.*,
        cast(by_tier.conversions as {{ type_double() }}) / by_tier.accounts as conversion_rate,
        cast(
            sum(by_tier.conversions)
                over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as {{ type_double() }}
        )
        / sum(by_tier.accounts)
            over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as base_rate,
        max(by_tier.account_tier_rank)
            over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as top_tier_rank,
        min(by_tier.account_tier_rank)
            over (partition by by_tier.scoring_model, by_tier.is_overall, by_tier.cutoff_date)
            as bottom_tier_rank
    from by_tier

),

final as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        account_tier,
        account_tier_rank,
        cast(accounts as {{ dbt.type_bigint() }}) as accounts,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        conversion_rate,
        base_rate,
        conversion_rate / nullif(base_rate, 0) as lift,
        max(case when account_tier_rank = top_tier_rank then conversion_rate end)
            over (partition by scoring_model, is_overall, cutoff_date)
        / nullif(
            max(case when account_tier_rank = bottom_tier_rank then conversion_rate end)
                over (partition by scoring_model, is_overall, cutoff_date),
            0
        ) as top_to_bottom_tier_conversion_ratio
    from rated

)

select * from final
