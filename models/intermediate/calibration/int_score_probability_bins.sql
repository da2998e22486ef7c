{{ config(materialized='table') }}
-- The learned mapping from score to conversion probability: score bins at the quantiles (var
-- calibration_bins) of all backtest scores of a scoring model, each with its observed conversion
-- rate shrunk towards the model's base rate (var calibration_prior_strength), so a thin bin does not
-- claim a certainty it has not earned. Bins cover the whole number line: the first has no lower
-- bound, the last no upper bound, each includes its lower bound.
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores') }}

),

quantiles as (

    select
        scoring_model,
        total_score,
        ntile({{ var('calibration_bins') }}) over (
            partition by scoring_model
            order by total_score
        ) as score_quantile
    from backtest_scores

),

-- tied scores can straddle two quantiles: bins are defined by the distinct lower edges
edges as (

    select distinct
        scoring_model,
        min(total_score) over (partition by scoring_model, score_quantile) as edge_score
    from quantiles

),

bin_bounds as (

    select
        scoring_model,
        row_number() over (partition by scoring_model order by edge_score) as score_bin,
        edge_score as lower_edge,
        lead(edge_score) over (partition by scoring_model order by edge_score) as upper_score
    from edges

),

bounded as (

    select
        scoring_model,
        score_bin,
        case when score_bin = 1 then null else lower_edge end as lower_score,
        upper_score
    from bin_bounds

),

members as (

    select
        bounded.scoring_model,
        bounded.score_bin,
        count(*) as leads,
        sum(case when backtest_scores.is_converted then 1 else 0 end) as conversions,
        min(backtest_scores.total_score) as min_observed_score,
        max(backtest_scores.total_score) as max_observed_score
    from bounded
    inner join backtest_scores
        on bounded.scoring_model = backtest_scores.scoring_model
        and (bounded.lower_score is null or bounded.lower_score <= backtest_scores.total_score)
        and (bounded.upper_score is null or bounded.upper_score > backtest_scores.total_score)
    group by bounded.scoring_model, bounded.score_bin

),

base_rates as (

    select
        scoring_model,
        avg(case when is_converted then 1.0 else 0.0 end) as base_rate
    from backtest_scores
    group by scoring_model

),

final as (

    select
        bounded.scoring_model,
        bounded.score_bin,
        cast(bounded.lower_score as decimal(18, 2)) as lower_score,
        cast(bounded.upper_score as decimal(18, 2)) as upper_score,
        cast(members.min_observed_score as decimal(18, 2)) as min_observed_score,
        cast(members.max_observed_score as decimal(18, 2)) as max_observed_score,
        coalesce(members.leads, 0) as leads,
        coalesce(members.conversions, 0) as conversions,
        cast(members.conversions as {{ type_double() }}) / nullif(members.leads, 0) as observed_conversion_rate,
        cast(
            (coalesce(members.conversions, 0) + {{ var('calibration_prior_strength') }} * base_rates.base_rate)
            / (coalesce(members.leads, 0) + {{ var('calibration_prior_strength') }})
            as {{ type_double() }}
        ) as conversion_probability
    from bounded
    inner join base_rates
        on bounded.scoring_model = base_rates.scoring_model
    left join members
        on bounded.scoring_model = members.scoring_model
        and bounded.score_bin = members.score_bin

)

select * from final
