-- Every negative ledger row names a rule of its scoring model: a row of scoring_negative_rules or
-- of scoring_closed_lost_rules, and no rule_id is in both (the ledger's grain would break).
{{ config(group='lead_scoring') }}

with

negative_rows as (

    select * from {{ ref('int_leads_negative_scored') }}

),

negative_rules as (

    select * from {{ ref('scoring_negative_rules') }}

),

closed_lost_rules as (

    select * from {{ ref('scoring_closed_lost_rules') }}

),

known_rules as (

    select scoring_model, rule_id from negative_rules
    union all
    select scoring_model, rule_id from closed_lost_rules

),

rows_without_rule as (

    select distinct
        'ledger row without a rule' as problem,
        negative_rows.scoring_model,
        negative_rows.rule_id
    from negative_rows
    left join known_rules
        on negative_rows.scoring_model = known_rules.scoring_model
        and negative_rows.rule_id = known_rules.rule_id
    where known_rules.rule_id is null

),

shared_rule_ids as (

    select
        'closed-lost rule_id is also a negative rule_id' as problem,
        closed_lost_rules.scoring_model,
        closed_lost_rules.rule_id
    from closed_lost_rules
    inner join negative_rules
        on closed_lost_rules.scoring_model = negative_rules.scoring_model
        and closed_lost_rules.rule_id = negative_rules.rule_id

)

select * from rows_without_rule
union all
select * from shared_rule_ids
