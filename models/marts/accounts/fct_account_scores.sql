-- One row per scoring model and account with a scored contact: the live account score as of the
-- var score_as_of (the live rows of int_accounts_scored_by_date), its components, buying-group
-- coverage, tier, MQA flag and top reasons.
with

accounts_scored as (

    select * from {{ ref('int_accounts_scored_by_date') }}
    where is_live

),

final as (

    select
        scoring_model,
        account_id,
        as_of_date as score_as_of,
        contacts,
        engaged_contacts,
        account_fit_points,
        contact_engagement_points,
        required_roles,
        covered_roles,
        buying_group_coverage,
        covered_role_list,
        missing_role_list,
        coverage_band,
        firmographic_fit_score,
        contact_engagement_score,
        engaged_contacts_score,
        buying_group_coverage_score,
        account_score,
        account_tier,
        account_tier_rank,
        is_mqa,
        top_reasons
    from accounts_scored

)

select * from final
