-- The lifecycle stage order rules, one row per violation:
-- - two stages reached out of order (a later stage reached on an earlier day than an earlier one);
-- - a stage before the lead's furthest reached stage with no row (neither reached nor skipped);
-- - a scored lead without its first stage reached, or without a fct_lead_lifecycle row;
-- - a current stage that is not the furthest stage reached.
with

stages as (

    select * from {{ ref('fct_lead_lifecycle_stages') }}

),

lifecycle as (

    select * from {{ ref('fct_lead_lifecycle') }}

),

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

lifecycle_stages as (

    select * from {{ ref('lifecycle_stages') }}

),

reached as (

    select * from stages
    where is_reached

),

out_of_order as (

    select
        'reached out of order' as problem,
        earlier.scoring_model,
        earlier.lead_id,
        earlier.lifecycle_stage || ' after ' || later.lifecycle_stage as detail
    from reached as earlier
    inner join reached as later
        on earlier.scoring_model = later.scoring_model
        and earlier.lead_id = later.lead_id
        and earlier.stage_order < later.stage_order
    where earlier.reached_date > later.reached_date

),

furthest as (

    select
        scoring_model,
        lead_id,
        max(stage_order) as furthest_stage_order
    from reached
    group by scoring_model, lead_id

),

missing_stages as (

    select
        'stage neither reached nor skipped' as problem,
        furthest.scoring_model,
        furthest.lead_id,
        lifecycle_stages.lifecycle_stage as detail
    from furthest
    cross join lifecycle_stages
    left join stages
        on furthest.scoring_model = stages.scoring_model
        and furthest.lead_id = stages.lead_id
        and lifecycle_stages.lifecycle_stage = stages.lifecycle_stage
    where lifecycle_stages.stage_order < furthest.furthest_stage_order
        and stages.lead_id is null

),

first_stage_orders as (

    select min(stage_order) as first_stage_order
    from lifecycle_stages

),

first_stage as (

    select lifecycle_stages.lifecycle_stage
    from lifecycle_stages
    inner join first_stage_orders
        on lifecycle_stages.stage_order = first_stage_orders.first_stage_order

),

leads_without_first_stage as (

    select
        'scored lead without its first stage reached' as problem,
        scores.scoring_model,
        scores.lead_id,
        first_stage.lifecycle_stage as detail
    from scores
    cross join first_stage
    left join reached
        on scores.scoring_model = reached.scoring_model
        and scores.lead_id = reached.lead_id
        and first_stage.lifecycle_stage = reached.lifecycle_stage
    where reached.lead_id is null

),

leads_without_lifecycle as (

    select
        'scored lead without a lifecycle row' as problem,
        scores.scoring_model,
        scores.lead_id,
        cast(null as {{ dbt.type_string() }}) as detail
    from scores
    left join lifecycle
        on scores.scoring_model = lifecycle.scoring_model
        and scores.lead_id = lifecycle.lead_id
    where lifecycle.lead_id is null

),

wrong_current_stage as (

    select
        'current stage is not the furthest reached' as problem,
        lifecycle.scoring_model,
        lifecycle.lead_id,
        lifecycle.current_stage as detail
    from lifecycle
    inner join furthest
        on lifecycle.scoring_model = furthest.scoring_model
        and lifecycle.lead_id = furthest.lead_id
    where lifecycle.current_stage_order <> furthest.furthest_stage_order

),

final as (

    select * from out_of_order
    union all
    select * from missing_stages
    union all
    select * from leads_without_first_stage
    union all
    select * from leads_without_lifecycle
    union all
    select * from wrong_current_stage

)

select * from final
