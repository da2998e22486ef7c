"""The benchmark (make bench): generate data, measure the dbt jobs beside one hand-written DuckDB
statement and a plain pandas implementation of the live behavioral score, print the table.

Modules: cli (the run), measure (wall time and peak memory of a command), statement and
pandas_score (the two reference implementations), agreement (the check that they reproduce the
project's scores), extra_day (one more day of raw events for the incremental run), report (table,
targets, JSON).
"""
