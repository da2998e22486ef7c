"""The generic test periods_follow_on fails on exactly the periods that break the chain.

The grain of int_lead_signal_states_by_date (and of the ledger views that read it) rests on it: the
view joins each state period on valid_from_date <= as_of_date < valid_to_date, so it has one row per
key and date only if a key's periods follow on without a gap or an overlap. This runs the test on a
hand-written model in a copy of the project and checks which rows it returns.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from conftest import FIXTURES, REPO
from dbt_runner import copy_project, run_dbt

# key, valid_from, valid_to: A follows on; B overlaps (its first period ends after the second
# starts); C has a gap; D has two open periods; E is a duplicate start; F is one open period.
PERIODS = [
    ("A", "2026-01-01", "2026-01-05"),
    ("A", "2026-01-05", "2026-01-09"),
    ("A", "2026-01-09", None),
    ("B", "2026-01-01", "2026-01-07"),
    ("B", "2026-01-05", None),
    ("C", "2026-01-01", "2026-01-03"),
    ("C", "2026-01-04", None),
    ("D", "2026-01-01", None),
    ("D", "2026-01-05", None),
    ("E", "2026-01-01", "2026-01-05"),
    ("E", "2026-01-01", "2026-01-05"),
    ("E", "2026-01-05", None),
    ("F", "2026-01-01", None),
]

# (key, period_from) of the rows the test must return
EXPECTED_FAILURES = {
    ("B", "2026-01-01"),  # ends 01-07, the next starts 01-05
    ("C", "2026-01-01"),  # ends 01-03, the next starts 01-04
    ("D", "2026-01-01"),  # open, but a later period exists
    ("E", "2026-01-01"),  # the duplicate: one of the two ends where the other starts
}


def _literal(value: str | None) -> str:
    return "cast(null as date)" if value is None else f"date '{value}'"


def test_periods_follow_on_returns_the_periods_that_break_the_chain(tmp_path: Path):
    project = copy_project(REPO, tmp_path / "project")
    scratch = project / "models" / "scratch"
    scratch.mkdir()
    rows = "\n    union all\n    ".join(
        f"select '{key}' as period_key, {_literal(start)} as valid_from_date, "
        f"{_literal(end)} as valid_to_date"
        for key, start, end in PERIODS
    )
    (scratch / "scratch_periods.sql").write_text(f"select * from (\n    {rows}\n) as periods\n")
    (scratch / "_scratch__models.yml").write_text(
        """version: 2
models:
  - name: scratch_periods
    data_tests:
      - periods_follow_on:
          name: scratch_periods_follow_on
          config:
            store_failures: true
          arguments:
            partition_by: [period_key]
            from_column: valid_from_date
            to_column: valid_to_date
"""
    )
    database = tmp_path / "w.duckdb"
    result = run_dbt(
        ["build", "--select", "scratch_periods"],
        project,
        database,
        {"raw_data_path": str(FIXTURES / "messy"), "score_as_of": "2026-06-30"},
        check=False,
    )
    assert result.returncode != 0, result.stdout[-3000:]
    assert "FAIL 4 scratch_periods_follow_on" in result.stdout, result.stdout[-3000:]
    with duckdb.connect(str(database), read_only=True) as connection:
        schemas = connection.sql(
            "select table_schema from information_schema.tables "
            "where table_name = 'scratch_periods_follow_on'"
        ).fetchall()
        assert len(schemas) == 1, schemas
        failures = connection.sql(
            "select period_key, strftime(period_from, '%Y-%m-%d') "
            f"from {schemas[0][0]}.scratch_periods_follow_on"
        ).fetchall()
    assert set(failures) == EXPECTED_FAILURES
    assert len(failures) == len(EXPECTED_FAILURES)
