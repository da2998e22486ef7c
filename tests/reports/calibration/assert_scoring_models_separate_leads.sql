-- A scoring model that fits nobody is loud: warns, naming the model, when one tier holds more than
-- the max_tier_share of the live leads set in the scoring_calibration_policy seed (every lead low,
-- say), or when no live lead is an MQL. Models inactive on this data are reported by
-- assert_scoring_models_match_events instead. Warns (does not fail the build).
{{ config(severity='warn', group='lead_scoring') }}

with

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

policy as (

    select * from {{ ref('scoring_calibration_policy') }}

),

activity as (

    select * from {{ ref('int_scoring_models_matched_to_events') }}

),

model_counts as (

    select
        scoring_model,
        count(*) as live_leads,
        sum(case when is_mql then 1 else 0 end) as mql_leads
    from scores
    group by scoring_model

),

tier_counts as (

    select
        scoring_model,
        tier,
        count(*) as tier_leads,
        row_number() over (partition by scoring_model order by count(*) desc, tier) as tier_size_rank
    from scores
    group by scoring_model, tier

),

largest_tiers as (

    select
        tier_counts.scoring_model,
        tier_counts.tier as largest_tier,
        cast(tier_counts.tier_leads as {{ type_double() }}) / model_counts.live_leads as largest_tier_share,
        model_counts.live_leads,
        model_counts.mql_leads
    from tier_counts
    inner join model_counts
        on tier_counts.scoring_model = model_counts.scoring_model
    where tier_counts.tier_size_rank = 1

),

final as (

    select
        largest_tiers.scoring_model,
        largest_tiers.largest_tier,
        largest_tiers.largest_tier_share,
        policy.max_tier_share,
        largest_tiers.live_leads,
        largest_tiers.mql_leads,
        case
            when largest_tiers.mql_leads = 0 and largest_tiers.largest_tier_share > policy.max_tier_share
                then 'fits nobody: one tier holds more than max_tier_share of the live leads and no lead is an MQL'
            when largest_tiers.mql_leads = 0
                then 'fits nobody: no live lead is an MQL'
            else 'fits nobody: one tier holds more than max_tier_share of the live leads'
        end || '; fit the weights on this data (make weights) or adapt the rules' as status
    from largest_tiers
    inner join policy
        on largest_tiers.scoring_model = policy.scoring_model
    inner join activity
        on largest_tiers.scoring_model = activity.scoring_model
    where
        activity.is_active
        and (largest_tiers.mql_leads = 0 or largest_tiers.largest_tier_share > policy.max_tier_share)

)

select * from final
