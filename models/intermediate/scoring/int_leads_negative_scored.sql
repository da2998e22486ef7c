-- Negative component as of the live scoring date: one row per scoring model, lead and disqualifier
-- (attribute rule, negative event or inactivity) that applies.
{{ negative_ledger(live_as_of_dates()) }}
