-- What if we switched scoring models? For every pair of scoring models (`default` and `pql`, or a
-- candidate with the weights apply_weights suggests, added to the seeds under a new scoring_model
-- key), how many live leads move between tiers, and how their pooled backtest AUCs compare (the
-- backtests per cutoff, side by side: compare_scoring_models.sql).
-- Compile with `dbt compile --select scoring_model_tier_moves` and run the SQL in target/compiled.
with

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

performance as (

    select * from {{ ref('rpt_model_performance') }}
    where is_overall

),

tier_moves as (

    select
        current_scores.scoring_model as current_model,
        candidate_scores.scoring_model as candidate_model,
        current_scores.tier as current_tier,
        candidate_scores.tier as candidate_tier,
        count(*) as leads
    from scores as current_scores
    inner join scores as candidate_scores
        on current_scores.lead_id = candidate_scores.lead_id
        and current_scores.scoring_model < candidate_scores.scoring_model
    group by
        current_scores.scoring_model,
        candidate_scores.scoring_model,
        current_scores.tier,
        candidate_scores.tier

),

final as (

    select
        tier_moves.current_model,
        tier_moves.candidate_model,
        tier_moves.current_tier,
        tier_moves.candidate_tier,
        tier_moves.leads,
        current_performance.auc as current_model_auc,
        candidate_performance.auc as candidate_model_auc
    from tier_moves
    left join performance as current_performance
        on tier_moves.current_model = current_performance.scoring_model
    left join performance as candidate_performance
        on tier_moves.candidate_model = candidate_performance.scoring_model

)

select * from final
