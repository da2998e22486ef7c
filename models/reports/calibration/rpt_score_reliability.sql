-- The reliability curve: per scoring model and score bin, per cutoff and over all cutoffs, the mean
-- calibrated probability next to the observed conversion rate. A calibrated model keeps them close.
-- The held-out columns do the same for the rows that have a held-out probability (learned on
-- earlier cutoffs only), against those rows' own conversion rate: the honest reliability.
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores_calibrated') }}

),

scoped as (

    {{ backtest_rows_by_scope('backtest_scores') }}

),

bins as (

    select * from {{ ref('int_score_probability_bins') }}

),

by_bin as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        score_bin,
        count(*) as leads,
        sum(converted) as conversions,
        avg(total_score) as mean_total_score,
        avg(conversion_probability) as mean_predicted_probability,
        avg(converted * 1.0) as observed_conversion_rate,
        count(held_out_conversion_probability) as held_out_leads,
        avg(held_out_conversion_probability) as mean_held_out_probability,
        avg(case when held_out_conversion_probability is not null then converted * 1.0 end)
            as held_out_observed_conversion_rate
    from scoped
    group by scoring_model, is_overall, cutoff_date, score_bin

),

final as (

    select
        by_bin.scoring_model,
        by_bin.is_overall,
        by_bin.cutoff_date,
        cast(by_bin.score_bin as integer) as score_bin,
        bins.lower_score,
        bins.upper_score,
        by_bin.leads,
        cast(by_bin.conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(by_bin.mean_total_score as {{ type_double() }}) as mean_total_score,
        cast(by_bin.mean_predicted_probability as {{ type_double() }}) as mean_predicted_probability,
        cast(by_bin.observed_conversion_rate as {{ type_double() }}) as observed_conversion_rate,
        cast(by_bin.observed_conversion_rate - by_bin.mean_predicted_probability as {{ type_double() }})
            as calibration_gap,
        by_bin.held_out_leads,
        cast(by_bin.mean_held_out_probability as {{ type_double() }}) as mean_held_out_probability,
        cast(by_bin.held_out_observed_conversion_rate as {{ type_double() }}) as held_out_observed_conversion_rate
    from by_bin
    inner join bins
        on by_bin.scoring_model = bins.scoring_model
        and by_bin.score_bin = bins.score_bin

)

select * from final
