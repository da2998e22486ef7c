{{ config(materialized='table') }}
-- Materialized as a table: both account calibration reports read it.
-- One row per backtest cutoff, scoring model and account that had a scored contact the day before
-- the cutoff and no opportunity yet: the account score of that day (int_backtest_account_scores,
-- kept between runs: built from the lead scores and lead versions valid then) and whether the account converted (an
-- opportunity of any of its leads created within the outcome window from the cutoff; an
-- opportunity belongs to the account its lead was linked to when it was created).
with

cutoffs as (

    select * from {{ ref('int_backtest_cutoffs') }}

),

accounts_scored as (

    select * from {{ ref('int_backtest_account_scores') }}

),

account_opportunities as (

    select * from {{ ref('int_account_opportunities') }}
    where account_id is not null

),

first_opportunities as (

    select
        account_id,
        min(created_date) as first_opportunity_date
    from account_opportunities
    group by account_id

),

-- the first opportunity on or after each cutoff
next_opportunities as (

    select
        cutoffs.cutoff_date,
        account_opportunities.account_id,
        min(account_opportunities.created_date) as next_opportunity_date
    from cutoffs
    inner join account_opportunities
        on account_opportunities.created_date >= cutoffs.cutoff_date
    group by cutoffs.cutoff_date, account_opportunities.account_id

),

final as (

    select
        cutoffs.cutoff_date,
        accounts_scored.as_of_date,
        accounts_scored.scoring_model,
        accounts_scored.account_id,
        accounts_scored.contacts,
        accounts_scored.engaged_contacts,
        accounts_scored.buying_group_coverage,
        accounts_scored.coverage_band,
        accounts_scored.coverage_band_rank,
        accounts_scored.account_score,
        accounts_scored.account_tier,
        accounts_scored.account_tier_rank,
        accounts_scored.is_mqa,
        coalesce(next_opportunities.next_opportunity_date < cutoffs.outcome_window_end_date, false) as is_converted
    from accounts_scored
    inner join cutoffs
        on accounts_scored.as_of_date = cutoffs.as_of_date
    left join first_opportunities
        on accounts_scored.account_id = first_opportunities.account_id
    left join next_opportunities
        on cutoffs.cutoff_date = next_opportunities.cutoff_date
        and accounts_scored.account_id = next_opportunities.account_id
    -- an account that already had an opportunity before the cutoff has nothing left to predict
    where first_opportunities.first_opportunity_date is null
        or first_opportunities.first_opportunity_date >= cutoffs.cutoff_date

)

select * from final
