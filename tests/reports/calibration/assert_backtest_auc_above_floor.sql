-- Calibration gate: the pooled backtest AUC of every scoring model must reach the var
-- calibration_auc_floor. Warns (does not fail the build). A model inactive on this data (its own
-- signals match no event: int_scoring_models_matched_to_events) is reported once by
-- assert_scoring_models_match_events instead.
{{ config(severity='warn', group='lead_scoring') }}

with

performance as (

    select * from {{ ref('rpt_model_performance') }}

),

activity as (

    select * from {{ ref('int_scoring_models_matched_to_events') }}

),

final as (

    select
        performance.scoring_model,
        performance.auc,
        {{ var('calibration_auc_floor') }} as auc_floor
    from performance
    inner join activity
        on performance.scoring_model = activity.scoring_model
    where
        performance.is_overall
        and activity.is_active
        and (performance.auc is null or performance.auc < {{ var('calibration_auc_floor') }})

)

select * from final
