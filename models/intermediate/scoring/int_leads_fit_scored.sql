-- Fit component as of the live scoring date: one row per scoring model, lead and fit rule matched.
{{ attribute_rule_ledger('fit', live_as_of_dates()) }}
