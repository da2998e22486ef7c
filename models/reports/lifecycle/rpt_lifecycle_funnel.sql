-- The lifecycle funnel per scoring model, cohort (the month the leads were created) and live tier:
-- for each pair of consecutive stages of the lifecycle_stages seed (a stage and each stage at the
-- next position: lead -> mql, ..., opportunity -> won and opportunity -> lost), how many leads
-- reached the first, how many of them went on to reach the next (conversion), how many skipped
-- it on the way to a later stage, and the median days between the two. Pairs with MQL leave out the
-- leads created before the model's tier history starts (leads_censored): their MQL day is unknown.
with

lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

stages as (

    select * from {{ ref('fct_lead_lifecycle_stages') }}

),

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

next_orders as (

    select
        from_stages.lifecycle_stage as from_stage,
        from_stages.stage_order as from_stage_order,
        min(later_stages.stage_order) as next_stage_order
    from lifecycle_stages as from_stages
    inner join lifecycle_stages as later_stages
        on later_stages.stage_order > from_stages.stage_order
    group by from_stages.lifecycle_stage, from_stages.stage_order

),

stage_pairs as (

    select
        next_orders.from_stage,
        next_orders.from_stage_order,
        next_stages.lifecycle_stage as to_stage,
        from_stages.reached_from = 'tier_history' or next_stages.reached_from = 'tier_history' as involves_mql
    from next_orders
    inner join lifecycle_stages as from_stages
        on next_orders.from_stage = from_stages.lifecycle_stage
    inner join lifecycle_stages as next_stages
        on next_orders.next_stage_order = next_stages.stage_order

),

leads_at_stage as (

    select
        stages.scoring_model,
        stages.lead_id,
        lifecycle.cohort_month,
        lifecycle.tier,
        stage_pairs.from_stage,
        stage_pairs.from_stage_order,
        stage_pairs.to_stage,
        stages.reached_date as from_date,
        next_stage.reached_date as to_date,
        coalesce(next_stage.is_skipped, false) as has_skipped_to_stage,
        -- created before the tier history starts: its MQL day (or whether it had one) is unknown
        stage_pairs.involves_mql and lifecycle.is_mql_date_censored as is_censored
    from stages
    inner join lifecycle
        on stages.scoring_model = lifecycle.scoring_model
        and stages.lead_id = lifecycle.lead_id
    inner join stage_pairs
        on stages.lifecycle_stage = stage_pairs.from_stage
    left join stages as next_stage
        on stages.scoring_model = next_stage.scoring_model
        and stages.lead_id = next_stage.lead_id
        and stage_pairs.to_stage = next_stage.lifecycle_stage
    where stages.is_reached

),

funnel as (

    select
        scoring_model,
        cohort_month,
        tier,
        from_stage,
        from_stage_order,
        to_stage,
        sum(case when is_censored then 0 else 1 end) as leads_at_from_stage,
        sum(case when is_censored then 1 else 0 end) as leads_censored,
        sum(case when not is_censored and to_date is not null then 1 else 0 end) as leads_converted,
        sum(case when not is_censored and has_skipped_to_stage then 1 else 0 end) as leads_skipped_to_stage,
        {{ median(
            'case when not is_censored then ' ~ dbt.datediff('from_date', 'to_date', 'day') ~ ' end'
        ) }} as median_days_to_stage
    from leads_at_stage
    group by scoring_model, cohort_month, tier, from_stage, from_stage_order, to_stage

),

final as (

    select
        scoring_model,
        cohort_month,
        tier,
        from_stage,
        cast(from_stage_order as integer) as from_stage_order,
        to_stage,
        cast(leads_at_from_stage as {{ dbt.type_bigint() }}) as leads_at_from_stage,
        cast(leads_censored as {{ dbt.type_bigint() }}) as leads_censored,
        cast(leads_converted as {{ dbt.type_bigint() }}) as leads_converted,
        cast(leads_skipped_to_stage as {{ dbt.type_bigint() }}) as leads_skipped_to_stage,
        cast(leads_converted as {{ type_double() }}) / nullif(leads_at_from_stage, 0) as conversion_rate,
        cast(median_days_to_stage as {{ type_double() }}) as median_days_to_stage
    from funnel

)

select * from final
