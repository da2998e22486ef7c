-- Warns when no backtest cutoff can be used: every calibration report would be empty and
-- conversion_probability null. One row per candidate cutoff, saying why it was left out and what to
-- set (the build prints these rows).
{{ config(severity='warn', group='lead_scoring') }}

with

candidates as (

    select * from {{ ref('int_backtest_cutoff_candidates') }}

),

usable as (

    select count(*) as usable_cutoffs
    from candidates
    where unusable_reason is null

),

final as (

    select
        candidates.cutoff_date,
        candidates.first_data_date,
        candidates.outcomes_known_until,
        candidates.history_days,
        candidates.unusable_reason,
        'set backtest_first_cutoff to a date at least {{ var("backtest_min_history_days") }} days after '
        || 'first_data_date and {{ var("outcome_window_days") }} days before outcomes_known_until, or lower '
        || 'backtest_min_history_days / outcome_window_days' as what_to_set
    from candidates
    cross join usable
    where usable.usable_cutoffs = 0

)

select * from final
