-- Calibration gate: the pooled backtest AUC of every scoring model must reach the var
-- calibration_auc_floor. Warns (does not fail the build).
{{ config(severity='warn') }}

select
    scoring_model,
    auc,
    {{ var('calibration_auc_floor') }} as auc_floor
from {{ ref('rpt_model_performance') }}
where is_overall
    and (auc is null or auc < {{ var('calibration_auc_floor') }})
