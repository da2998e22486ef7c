-- Every tier of every scoring model (scoring_bands, band_type tier) has a fallback routing rule
-- (no segment), so every lead is routed whatever its segment. Returns the tiers without one.
with

bands as (

    select * from {{ ref('scoring_bands') }}

),

routing_rules as (

    select * from {{ ref('routing_rules') }}

),

fallback_rules as (

    select * from routing_rules
    where segment_attribute is null

),

final as (

    select
        bands.scoring_model,
        bands.band as tier
    from bands
    left join fallback_rules
        on bands.scoring_model = fallback_rules.scoring_model
        and bands.band = fallback_rules.tier
    where bands.band_type = 'tier' and fallback_rules.tier is null

)

select * from final
