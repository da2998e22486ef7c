{{ config(materialized='table') }}
-- The day each lead version became a customer: the first closed-won opportunity (a stage with
-- is_won in the opportunity_stages seed) of the account the version is linked to, or of the lead
-- itself when that closed earlier (an unlinked lead is a customer by its own wins only). Only
-- versions with a win have a row. A score as of a date treats the lead as a customer when this
-- date is on or before it, so a backtest cutoff sees only the wins closed before the cutoff.
-- Materialized as a table: three models (int_lead_score_inputs, int_scoring_population, dim_leads)
-- and nine data tests each computed the view again.
with

lead_accounts as (

    select * from {{ ref('int_lead_accounts') }}

),

account_opportunities as (

    select * from {{ ref('int_account_opportunities') }}

),

wins as (

    select * from account_opportunities
    where is_won and closed_date is not null

),

ranked_account_wins as (

    select
        account_id,
        opportunity_id,
        closed_date,
        row_number() over (partition by account_id order by closed_date asc, opportunity_id asc) as win_rank
    from wins
    where account_id is not null

),

ranked_lead_wins as (

    select
        lead_id,
        opportunity_id,
        closed_date,
        row_number() over (partition by lead_id order by closed_date asc, opportunity_id asc) as win_rank
    from wins

),

candidates as (

    select
        lead_accounts.lead_id,
        lead_accounts.valid_from_date,
        lead_accounts.valid_to_date,
        lead_accounts.is_current_version,
        lead_accounts.account_id,
        ranked_account_wins.closed_date as customer_since_date,
        ranked_account_wins.opportunity_id as customer_opportunity_id,
        'closed-won opportunity at the account' as customer_basis
    from lead_accounts
    inner join ranked_account_wins
        on lead_accounts.account_id = ranked_account_wins.account_id
        and ranked_account_wins.win_rank = 1
    union all
    select
        lead_accounts.lead_id,
        lead_accounts.valid_from_date,
        lead_accounts.valid_to_date,
        lead_accounts.is_current_version,
        lead_accounts.account_id,
        ranked_lead_wins.closed_date as customer_since_date,
        ranked_lead_wins.opportunity_id as customer_opportunity_id,
        'closed-won opportunity of the lead' as customer_basis
    from lead_accounts
    inner join ranked_lead_wins
        on lead_accounts.lead_id = ranked_lead_wins.lead_id
        and ranked_lead_wins.win_rank = 1

),

ranked as (

    select
        candidates.*,
        row_number() over (
            partition by candidates.lead_id, candidates.valid_from_date
            order by candidates.customer_since_date asc, candidates.customer_basis asc
        ) as candidate_rank
    from candidates

),

final as (

    select
        lead_id,
        valid_from_date,
        valid_to_date,
        is_current_version,
        account_id,
        customer_since_date,
        customer_opportunity_id,
        customer_basis
    from ranked
    where candidate_rank = 1

)

select * from final
