-- The backtest cutoffs in use: the candidates with enough history before them and a complete
-- outcome window (int_backtest_cutoff_candidates says why the others are left out).
with

candidates as (

    select * from {{ ref('int_backtest_cutoff_candidates') }}

),

final as (

    select
        cutoff_date,
        as_of_date,
        outcome_window_end_date
    from candidates
    where unusable_reason is null

)

select * from final
