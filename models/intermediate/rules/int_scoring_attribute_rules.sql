-- Every rule that matches on a lead attribute, from the fit rules seed (component fit, signed
-- points) and the attribute rows of the negative rules seed (component negative, magnitudes).
with

fit_rules as (

    select * from {{ ref('scoring_fit_rules') }}

),

negative_rules as (

    select * from {{ ref('scoring_negative_rules') }}

),

unioned as (

    select
        scoring_model,
        'fit' as component,
        rule_id,
        attribute,
        match_type,
        match_value,
        range_min,
        range_max,
        points,
        reason_label
    from fit_rules

    union all

    select
        scoring_model,
        'negative' as component,
        rule_id,
        attribute,
        match_type,
        match_value,
        cast(null as decimal(18, 4)) as range_min,
        cast(null as decimal(18, 4)) as range_max,
        points,
        reason_label
    from negative_rules
    where rule_type = 'attribute'

)

select * from unioned
