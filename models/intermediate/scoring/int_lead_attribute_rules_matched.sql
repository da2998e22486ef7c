{{ config(materialized='table') }}
-- Materialized as a table: scores at every as-of date read it.
-- One row per scoring model, lead version and attribute rule the version matches. How a rule matches is data
-- (match_type): exact value or list membership (both case-insensitive), a case-insensitive LIKE
-- pattern, or a numeric range with inclusive, optional ends.
with

rules as (

    select * from {{ ref('int_scoring_attribute_rules') }}

),

lists as (

    select * from {{ ref('scoring_lists') }}

),

lead_attributes as (

    select * from {{ ref('int_lead_attributes_unpivoted') }}

),

-- each distinct attribute value matched once against the rules: leads share a few countries,
-- industries and sizes, and the list and pattern matches are nested loops
attribute_values as (

    select distinct
        attribute,
        text_value,
        number_value
    from lead_attributes

),

candidates as (

    select
        rules.scoring_model,
        rules.component,
        rules.rule_id,
        rules.points,
        rules.reason_label,
        attribute_values.attribute,
        attribute_values.text_value,
        attribute_values.number_value,
        case rules.match_type
            when 'exact' then lower(attribute_values.text_value) = lower(rules.match_value)
            when 'pattern' then lower(attribute_values.text_value) like lower(rules.match_value)
            when 'in_list' then lists.list_value is not null
            when 'range'
                then
                    attribute_values.number_value is not null
                    and (rules.range_min is null or attribute_values.number_value >= rules.range_min)
                    and (rules.range_max is null or attribute_values.number_value <= rules.range_max)
            else false
        end as is_match
    from rules
    inner join attribute_values
        on rules.attribute = attribute_values.attribute
    left join lists
        on rules.match_type = 'in_list'
        and rules.scoring_model = lists.scoring_model
        and rules.match_value = lists.list_name
        and lower(attribute_values.text_value) = lower(lists.list_value)

),

-- one row per rule and value it matches (a list may hold a value twice, in other letter cases)
value_matches as (

    select
        scoring_model,
        component,
        rule_id,
        attribute,
        text_value,
        number_value,
        min(points) as points,
        min(reason_label) as reason_label
    from candidates
    where is_match
    group by scoring_model, component, rule_id, attribute, text_value, number_value

),

final as (

    select
        value_matches.scoring_model,
        value_matches.component,
        value_matches.rule_id,
        lead_attributes.lead_id,
        lead_attributes.valid_from_date,
        value_matches.attribute,
        value_matches.text_value as matched_value,
        cast(value_matches.points as decimal(18, 4)) as points,
        value_matches.reason_label
    from value_matches
    inner join lead_attributes
        on value_matches.attribute = lead_attributes.attribute
        and value_matches.text_value is not distinct from lead_attributes.text_value
        and value_matches.number_value is not distinct from lead_attributes.number_value

)

select * from final
