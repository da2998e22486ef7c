-- Two scoring models on the same backtests, side by side: for every pair of models (`default` and
-- `pql` as shipped) and every backtest cutoff (and pooled over all cutoffs), each model's AUC,
-- top-bin lift and the MQL volume it would have sent to sales, with the conversion rate, lift and
-- recall of those MQLs. Both models score the same leads at the same cutoffs, so the columns
-- compare like with like. Compile with `dbt compile --select compare_scoring_models` and run the
-- SQL in target/compiled (or read reports.rpt_scoring_model_comparison, one row per model).
with

comparison as (

    select * from {{ ref('rpt_scoring_model_comparison') }}

),

side_by_side as (

    select
        current_model.is_overall,
        current_model.cutoff_date,
        current_model.scoring_model as current_model,
        candidate_model.scoring_model as candidate_model,
        current_model.leads,
        current_model.conversions,
        current_model.base_rate,
        current_model.auc as current_auc,
        candidate_model.auc as candidate_auc,
        candidate_model.auc - current_model.auc as auc_difference,
        current_model.top_bin_lift as current_top_bin_lift,
        candidate_model.top_bin_lift as candidate_top_bin_lift,
        current_model.mql_leads as current_mql_leads,
        candidate_model.mql_leads as candidate_mql_leads,
        current_model.mql_conversion_rate as current_mql_conversion_rate,
        candidate_model.mql_conversion_rate as candidate_mql_conversion_rate,
        current_model.mql_lift as current_mql_lift,
        candidate_model.mql_lift as candidate_mql_lift,
        current_model.mql_recall as current_mql_recall,
        candidate_model.mql_recall as candidate_mql_recall
    from comparison as current_model
    inner join comparison as candidate_model
        on current_model.is_overall = candidate_model.is_overall
        and current_model.cutoff_date is not distinct from candidate_model.cutoff_date
        and current_model.scoring_model < candidate_model.scoring_model

)

select * from side_by_side
order by current_model, candidate_model, is_overall, cutoff_date
