-- Fit ledger rows at every as-of date of the run: one row per as-of date, scoring model, scored lead
-- and fit rule that the lead's attributes valid at that date match, with the rule's points, undecayed.
with

population as (

    select * from {{ ref('int_scoring_population') }}

),

matched_rules as (

    select * from {{ ref('int_lead_attribute_rules_matched') }}

),

final as (

    {{ attribute_rule_ledger_rows('population', 'matched_rules', 'fit') }}

)

select * from final
