-- One row per scoring model and lead: the live score as of the var score_as_of, with its
-- components, tier, grade, engagement level and the reasons behind it.
{%- set ledger -%}
    (
        select
            score_as_of as as_of_date,
            scoring_model,
            lead_id,
            component,
            rule_id,
            reason_label,
            points
        from {{ ref('fct_lead_score_ledger') }}
    )
{%- endset %}

with

scores as (

    {{ lead_scores(ledger, live_as_of_dates()) }}

),

final as (

    select
        scores.scoring_model,
        scores.lead_id,
        scores.fit_score,
        scores.behavioral_score,
        scores.negative_score,
        scores.total_score,
        scores.tier,
        scores.tier_rank,
        scores.tier_action,
        scores.is_mql,
        scores.fit_grade,
        scores.engagement_level,
        scores.top_reasons,
        scores.reason_1,
        scores.reason_2,
        scores.reason_3,
        scores.last_engagement_date,
        scores.days_since_last_engagement,
        score_bins.conversion_probability,
        scores.as_of_date as score_as_of
    from scores
    {{ join_score_bins('scores', 'score_bins') }}

)

select * from final
