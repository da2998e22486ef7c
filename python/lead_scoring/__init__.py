"""Python helpers of the lead-scoring dbt project: one package per job, run as ``lead-scoring <job>``.

- ``cli``: the ``lead-scoring`` command, a subcommand per job below
- ``generate``: sample raw data (the files, the connectors' tables, and a one-snapshot lead export)
- ``report``: the calibration report (queries, rules, charts, page, the headless browser check)
- ``weights``: the weight fit on the backtests and its held-out check
- ``export``: the CRM change set as import files, and the push through the CRMs' APIs
- ``backfill``: the score history extended to the last N days
- ``bench``: the benchmark at scale
- ``load``: raw files and connector schemas into PostgreSQL or Spark
- ``summary``: the summary printed at the end of ``make build``
- ``seeds``: the check and upgrade of seed files from an earlier version
- ``atomic``: the warehouse's writer lock and the build on a copy (``make build``, backfill, export)
- ``common``: what several jobs share (the raw-data contract, where dbt is, progress lines)
"""
