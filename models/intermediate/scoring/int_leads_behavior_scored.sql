-- Behavioral component as of the live scoring date: one row per scoring model, lead and signal with
-- events up to that date, decayed and capped.
{{ behavioral_signal_ledger(live_as_of_dates()) }}
