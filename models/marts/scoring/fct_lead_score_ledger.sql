-- The explanation of every live score: one row per scoring model, lead, component and rule or
-- signal, with the evidence and the points it adds. Its points sum to the components of
-- fct_lead_scores.
with

fit_rows as (

    select * from {{ ref('int_leads_fit_scored') }}

),

behavioral_rows as (

    select * from {{ ref('int_leads_behavior_scored') }}

),

negative_rows as (

    select * from {{ ref('int_leads_negative_scored') }}

),

scores as (

    select * from {{ ref('int_leads_scored_by_date') }}

),

live_rows as (

    {{ ledger_with_cap_rows('fit_rows', 'behavioral_rows', 'negative_rows', 'scores', 'is_live') }}

),

final as (

    select
        scoring_model,
        lead_id,
        component,
        rule_id,
        reason_label,
        matched_value,
        cast(event_count as {{ dbt.type_bigint() }}) as event_count,
        last_occurred_at,
        raw_points,
        decay_factor,
        points_after_decay,
        cap_points,
        points,
        case when component = 'negative' then -points else points end as signed_points,
        as_of_date as score_as_of
    from live_rows

)

select * from final
