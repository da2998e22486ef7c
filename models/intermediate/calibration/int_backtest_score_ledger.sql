{{ config(materialized='table') }}
-- The score ledger at every backtest cutoff (as of the end of the day before it), from the same
-- rolling states and component ledgers as the live score.
with

fit_rows as (

    select * from {{ ref('int_leads_fit_scored') }}

),

behavioral_rows as (

    select * from {{ ref('int_leads_behavior_scored') }}

),

negative_rows as (

    select * from {{ ref('int_leads_negative_scored') }}

),

scores as (

    select * from {{ ref('int_leads_scored_by_date') }}

),

final as (

    {{ ledger_with_cap_rows('fit_rows', 'behavioral_rows', 'negative_rows', 'scores', 'is_backtest') }}

)

select * from final
