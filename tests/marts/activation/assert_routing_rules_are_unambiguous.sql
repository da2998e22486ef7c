-- A lead must match one routing rule at most besides its tier's fallback: the segmented rules of
-- one scoring model and tier all narrow on the same segment attribute (with two attributes, a lead
-- could match a country rule and a company-size rule at once). Returns the tiers using several.
with

routing_rules as (

    select * from {{ ref('routing_rules') }}

),

final as (

    select
        scoring_model,
        tier,
        count(distinct segment_attribute) as segment_attributes
    from routing_rules
    where segment_attribute is not null
    group by scoring_model, tier
    having count(distinct segment_attribute) > 1

)

select * from final
