{{ config(materialized='table') }}
-- The score ledger at every backtest cutoff, from the same scoring core as the live score
-- (macros/scoring/score_ledger.sql), as of the end of the day before the cutoff.
{{ score_ledger('select as_of_date from ' ~ ref('int_backtest_cutoffs')) }}
