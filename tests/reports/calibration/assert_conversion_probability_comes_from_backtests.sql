-- Says which calibration the live conversion_probability uses when it is not this warehouse's own
-- backtests (int_score_probability_bins): with no usable backtest cutoff, the score-to-probability
-- bins the last weight fit validated and stored (seeds/scoring/scoring_probability_calibration.csv),
-- or none, and then the probabilities are null. One row per such scoring model. Warns (does not
-- fail the build); rpt_score_calibrations shows both calibrations side by side.
{{ config(severity='warn', group='lead_scoring') }}

with

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

bins as (

    select * from {{ ref('int_score_probability_bins') }}

),

sources as (

    select
        scoring_model,
        min(calibration_source) as calibration_source,
        min(fitted_cutoff_date) as fitted_cutoff_date
    from bins
    group by scoring_model

),

final as (

    select
        scoring_models.scoring_model,
        coalesce(sources.calibration_source, 'none') as calibration_source,
        sources.fitted_cutoff_date,
        case
            when sources.calibration_source is null
                then 'conversion_probability is null: no usable cutoff, no stored calibration (make weights)'
            else 'conversion_probability from the calibration the weight fit stored (no usable backtest cutoff)'
        end as status
    from scoring_models
    left join sources
        on scoring_models.scoring_model = sources.scoring_model
    where sources.calibration_source is null or sources.calibration_source != 'backtests'

)

select * from final
