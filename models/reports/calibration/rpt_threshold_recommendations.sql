-- Where should the MQL line be? For each candidate threshold (var threshold_candidates) and scoring
-- model, over all backtest cutoffs: MQL volume (per cutoff), precision (conversion rate of leads at or
-- above the threshold), recall (share of all conversions they hold) and the conversion rate below it.
-- The recommended threshold follows the rule in the scoring_calibration_policy seed: the lowest
-- threshold whose precision reaches target_precision with at least min_mql_leads_per_cutoff MQLs.
-- A target at or below the base rate would make everybody an MQL (threshold 0): then the rule asks
-- for min_mql_lift x the base rate instead, and says so (recommendation_basis).
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores_calibrated') }}

),

policy as (

    select * from {{ ref('scoring_calibration_policy') }}

),

bands as (

    select * from {{ ref('scoring_bands') }}

),

threshold_numbers as (

    {{ dbt.generate_series(
        ((var('threshold_candidates')['stop'] - var('threshold_candidates')['start'])
        / var('threshold_candidates')['step']) | int + 1
    ) }}

),

thresholds as (

    select
        cast(
            {{ var('threshold_candidates')['start'] }}
            + (generated_number - 1) * {{ var('threshold_candidates')['step'] }}
            as decimal(18, 2)
        ) as mql_threshold
    from threshold_numbers

),

totals as (

    select
        scoring_model,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as conversions,
        count(distinct cutoff_date) as cutoffs
    from backtest_scores
    group by scoring_model

),

at_threshold as (

    select
        backtest_scores.scoring_model,
        thresholds.mql_threshold,
        sum(case when backtest_scores.total_score >= thresholds.mql_threshold then 1 else 0 end) as mql_leads,
        sum(
            case
                when
                    backtest_scores.total_score >= thresholds.mql_threshold and backtest_scores.is_converted
                    then 1
                else 0
            end
        ) as mql_conversions
    from backtest_scores
    cross join thresholds
    group by backtest_scores.scoring_model, thresholds.mql_threshold

),

current_thresholds as (

    select
        scoring_model,
        min(lower_bound) as current_mql_threshold
    from bands
    where band_type = 'tier' and is_mql
    group by scoring_model

),

measured as (

    select
        at_threshold.scoring_model,
        at_threshold.mql_threshold,
        cast(at_threshold.mql_leads as {{ dbt.type_bigint() }}) as mql_leads,
        cast(at_threshold.mql_leads as {{ type_double() }}) / totals.cutoffs as mql_leads_per_cutoff,
        cast(at_threshold.mql_conversions as {{ dbt.type_bigint() }}) as mql_conversions,
        cast(at_threshold.mql_conversions as {{ type_double() }}) / nullif(at_threshold.mql_leads, 0) as mql_precision,
        cast(at_threshold.mql_conversions as {{ type_double() }}) / nullif(totals.conversions, 0) as mql_recall,
        cast(totals.conversions - at_threshold.mql_conversions as {{ type_double() }})
        / nullif(totals.leads - at_threshold.mql_leads, 0) as below_threshold_conversion_rate,
        cast(totals.conversions as {{ type_double() }}) / totals.leads as base_rate,
        cast(policy.target_precision as {{ type_double() }}) as target_precision,
        policy.min_mql_leads_per_cutoff,
        cast(policy.min_mql_lift as {{ type_double() }}) as min_mql_lift,
        case
            when policy.target_precision is null then cast(null as {{ dbt.type_string() }})
            when policy.target_precision <= cast(totals.conversions as {{ type_double() }}) / totals.leads
                then 'lift: target_precision is at or below the base rate'
            else 'target_precision'
        end as recommendation_basis,
        cast(
            case
                when policy.target_precision <= cast(totals.conversions as {{ type_double() }}) / totals.leads
                    then policy.min_mql_lift * cast(totals.conversions as {{ type_double() }}) / totals.leads
                else policy.target_precision
            end as {{ type_double() }}
        ) as required_precision,
        coalesce(at_threshold.mql_threshold = current_thresholds.current_mql_threshold, false) as is_current_threshold
    from at_threshold
    inner join totals
        on at_threshold.scoring_model = totals.scoring_model
    left join policy
        on at_threshold.scoring_model = policy.scoring_model
    left join current_thresholds
        on at_threshold.scoring_model = current_thresholds.scoring_model

),

qualifying as (

    select
        scoring_model,
        min(mql_threshold) as recommended_threshold
    from measured
    where mql_precision >= required_precision
        and mql_leads_per_cutoff >= min_mql_leads_per_cutoff
    group by scoring_model

),

final as (

    select
        measured.*,
        coalesce(measured.mql_threshold = qualifying.recommended_threshold, false) as is_recommended
    from measured
    left join qualifying
        on measured.scoring_model = qualifying.scoring_model

)

select * from final
