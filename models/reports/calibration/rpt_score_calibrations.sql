-- Both score-to-probability calibrations side by side, per scoring model and score bin: the one
-- learned from this warehouse's backtests (int_score_probability_bins) and the one the last weight
-- fit validated and stored (the scoring_probability_calibration seed, with its held-out Brier
-- score). is_used marks the one the live conversion_probability uses: the backtests' whenever the
-- model has backtest rows, else the stored one.
with

bins_in_use as (

    select * from {{ ref('int_score_probability_bins') }}

),

stored_bins as (

    select * from {{ ref('scoring_probability_calibration') }}

),

sources_in_use as (

    select distinct
        scoring_model,
        calibration_source
    from bins_in_use

),

backtest_bins as (

    select
        scoring_model,
        'backtests' as calibration_source,
        score_bin,
        lower_score,
        upper_score,
        leads,
        conversions,
        conversion_probability,
        cast(null as date) as fitted_cutoff_date,
        cast(null as {{ type_double() }}) as held_out_brier_score
    from bins_in_use
    where calibration_source = 'backtests'

),

stored as (

    select
        scoring_model,
        'stored_fit' as calibration_source,
        score_bin,
        cast(lower_score as decimal(18, 2)) as lower_score,
        cast(upper_score as decimal(18, 2)) as upper_score,
        leads,
        conversions,
        conversion_probability,
        fitted_cutoff_date,
        held_out_brier_score
    from stored_bins

),

both_calibrations as (

    select * from backtest_bins
    union all
    select * from stored

),

final as (

    select
        both_calibrations.scoring_model,
        both_calibrations.calibration_source,
        cast(both_calibrations.score_bin as integer) as score_bin,
        cast(both_calibrations.lower_score as decimal(18, 2)) as lower_score,
        cast(both_calibrations.upper_score as decimal(18, 2)) as upper_score,
        cast(both_calibrations.leads as {{ dbt.type_bigint() }}) as leads,
        cast(both_calibrations.conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(both_calibrations.conversion_probability as {{ type_double() }}) as conversion_probability,
        both_calibrations.fitted_cutoff_date,
        cast(both_calibrations.held_out_brier_score as {{ type_double() }}) as held_out_brier_score,
        sources_in_use.scoring_model is not null as is_used
    from both_calibrations
    left join sources_in_use
        on both_calibrations.scoring_model = sources_in_use.scoring_model
        and both_calibrations.calibration_source = sources_in_use.calibration_source

)

select * from final
