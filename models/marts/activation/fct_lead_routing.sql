-- One row per scoring model and current lead (fct_lead_scores): the queue, owner team and
-- follow-up SLA of its current tier (and segment), the deadline counted from when it entered that
-- tier, its first sales touch since then and the SLA status at the end of the scoring date.
with

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

follow_ups as (

    select * from {{ ref('fct_lead_tier_follow_ups') }}

),

current_follow_ups as (

    select * from follow_ups
    where is_current

),

final as (

    select
        scores.scoring_model,
        scores.lead_id,
        scores.tier,
        scores.is_mql,
        scores.total_score,
        current_follow_ups.entered_date as tier_entered_date,
        current_follow_ups.entered_at as tier_entered_at,
        current_follow_ups.is_entry_censored,
        current_follow_ups.queue,
        current_follow_ups.owner_team,
        current_follow_ups.sla_hours,
        current_follow_ups.routing_segment_attribute,
        current_follow_ups.routing_segment_value,
        current_follow_ups.sla_deadline_at,
        {{ hours_between('current_follow_ups.evaluated_at', 'current_follow_ups.sla_deadline_at') }}
            as hours_to_deadline,
        current_follow_ups.first_touched_at,
        current_follow_ups.first_touch_type,
        current_follow_ups.hours_to_first_touch,
        current_follow_ups.sla_status,
        scores.score_as_of
    from scores
    left join current_follow_ups
        on scores.scoring_model = current_follow_ups.scoring_model
        and scores.lead_id = current_follow_ups.lead_id
        and scores.tier = current_follow_ups.tier

)

select * from final
