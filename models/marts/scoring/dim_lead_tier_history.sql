-- The tier of each lead as validity ranges, a slowly changing dimension: one row per scoring model,
-- lead and tier period, valid from the day it entered the tier to the day it left (exclusive;
-- null while it is the current tier).
with

transitions as (

    select * from {{ ref('fct_lead_tier_transitions') }}

),

final as (

    select
        scoring_model,
        lead_id,
        to_tier as tier,
        transition_date as valid_from_date,
        lead(transition_date) over (
            partition by scoring_model, lead_id order by transition_date
        ) as valid_to_date,
        lead(transition_date) over (
            partition by scoring_model, lead_id order by transition_date
        ) is null as is_current
    from transitions

)

select * from final
