-- Warns when a fit or disqualifier attribute rule (its value, pattern, list or range) matches no
-- lead version at all: usually a typo in the pattern or list, or an attribute the data does not
-- carry. One row per such rule; the build prints them.
{{ config(severity='warn', group='lead_scoring') }}

with

rules as (

    select * from {{ ref('int_scoring_attribute_rules') }}

),

matched_rules as (

    select * from {{ ref('int_lead_attribute_rules_matched') }}

),

matched as (

    select distinct
        scoring_model,
        component,
        rule_id
    from matched_rules

),

final as (

    select
        rules.scoring_model,
        rules.component,
        rules.rule_id,
        rules.attribute,
        rules.match_type,
        rules.match_value,
        'matches no lead: check the value, pattern or list, and that the data carries the attribute'
            as problem
    from rules
    left join matched
        on rules.scoring_model = matched.scoring_model
        and rules.component = matched.component
        and rules.rule_id = matched.rule_id
    where matched.rule_id is null

)

select * from final
