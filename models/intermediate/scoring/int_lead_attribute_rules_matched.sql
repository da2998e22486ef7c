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

candidates as (

    select
        rules.scoring_model,
        rules.component,
        rules.rule_id,
        rules.attribute,
        rules.match_type,
        rules.points,
        rules.reason_label,
        lead_attributes.lead_id,
        lead_attributes.valid_from_date,
        lead_attributes.text_value,
        case rules.match_type
            when 'exact' then lower(lead_attributes.text_value) = lower(rules.match_value)
            when 'pattern' then lower(lead_attributes.text_value) like lower(rules.match_value)
            when 'in_list' then lists.list_value is not null
            when 'range'
                then
                    lead_attributes.number_value is not null
                    and (rules.range_min is null or lead_attributes.number_value >= rules.range_min)
                    and (rules.range_max is null or lead_attributes.number_value <= rules.range_max)
            else false
        end as is_match
    from rules
    inner join lead_attributes
        on rules.attribute = lead_attributes.attribute
    left join lists
        on rules.match_type = 'in_list'
        and rules.scoring_model = lists.scoring_model
        and rules.match_value = lists.list_name
        and lower(lead_attributes.text_value) = lower(lists.list_value)

),

final as (

    select
        scoring_model,
        component,
        rule_id,
        lead_id,
        valid_from_date,
        min(attribute) as attribute,
        min(text_value) as matched_value,
        cast(min(points) as decimal(18, 4)) as points,
        min(reason_label) as reason_label
    from candidates
    where is_match
    group by scoring_model, component, rule_id, lead_id, valid_from_date

)

select * from final
