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
        scoring_model,
        lead_id,
        fit_score,
        behavioral_score,
        negative_score,
        total_score,
        tier,
        tier_rank,
        tier_action,
        is_mql,
        fit_grade,
        engagement_level,
        top_reasons,
        reason_1,
        reason_2,
        reason_3,
        last_engagement_date,
        days_since_last_engagement,
        as_of_date as score_as_of
    from scores

)

select * from final
