-- Each current lead is routed exactly once: every (scoring model, lead) of fct_lead_scores has one
-- row in fct_lead_routing, and fct_lead_routing has no other. Returns the leads routed zero or
-- several times, with the count.
with

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

routing as (

    select * from {{ ref('fct_lead_routing') }}

),

routes_per_lead as (

    select
        scores.scoring_model,
        scores.lead_id,
        count(routing.lead_id) as routes
    from scores
    left join routing
        on scores.scoring_model = routing.scoring_model
        and scores.lead_id = routing.lead_id
    group by scores.scoring_model, scores.lead_id

),

unscored_routes as (

    select
        routing.scoring_model,
        routing.lead_id,
        count(*) as routes
    from routing
    left join scores
        on routing.scoring_model = scores.scoring_model
        and routing.lead_id = scores.lead_id
    where scores.lead_id is null
    group by routing.scoring_model, routing.lead_id

),

final as (

    select * from routes_per_lead
    where routes <> 1
    union all
    select * from unscored_routes

)

select * from final
