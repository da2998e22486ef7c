"""What several jobs share (no command of its own, apart from ``dbt_steps``).

- ``contract``: the raw-data contract, read from the staging sources YAML
- ``dbt_executable``: where the dbt executable is
- ``dbt_steps``: several dbt commands in one process (``python -m lead_scoring.common.dbt_steps``,
  used by ``make test-warehouses``)
- ``progress``: one line per step of a long job as it ends, with its seconds
"""
