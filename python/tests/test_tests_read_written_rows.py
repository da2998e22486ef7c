"""On an incremental `dbt build`, the row and grain tests of the big incremental models read the rows
the run wrote (macros/testing/get_where_subquery.sql): a grain test still catches a key the run
wrote twice beside an older row, `dbt test` on its own and a full refresh read every row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dbt_runner
import duckdb
from conftest import REPO, copy_fixture, run_dbt

MAIN_JOB = ["build", "--exclude-resource-type", "unit_test"]
SIGNAL_DAYS = [
    "build",
    "--select",
    "+int_lead_signal_days",
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
]
GRAIN_TEST = (
    "unique_combination_of_columns_int_lead_signal_days_"
    "scoring_model__component__signal_id__lead_id__activity_date"
)
LEDGER_GRAIN_TEST = (
    "unique_combination_of_columns_int_backtest_score_ledger_"
    "as_of_date__scoring_model__lead_id__component__rule_id"
)
# a new email click of L001 on the live date: the next run computes L001's signal days again
NEW_EVENT = ["EW1", "L001", "email_click", "2026-06-30T18:00:00Z", "", ""]


def _results(database: Path) -> dict[str, dict]:
    """The last dbt invocation's test results by test name (target/ beside the database)."""
    results = json.loads((database.parent / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[2]: r for r in results if r["unique_id"].startswith("test.")}


def _compiled(database: Path, name: str) -> str:
    """The SQL the last dbt invocation ran for the test `name`."""
    return _results(database)[name]["compiled_code"]


def _parquet_events(raw: Path) -> None:
    """The fixture's events.csv as the first Parquet file of an events/ folder (one file per delivery)."""
    (raw / "events").mkdir()
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * from read_csv('{raw / 'events.csv'}', all_varchar = true, header = true)) "
            f"to '{raw / 'events' / 'part-0.parquet'}' (format parquet)"
        )
    (raw / "events.csv").unlink()


def _deliver(raw: Path, row: list[str]) -> None:
    columns = ["event_id", "lead_id", "event_type", "occurred_at", "page_url", "duration_seconds"]
    values = ", ".join("'" + value + "'" for value in row)
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * from (values ({values})) as t({', '.join(columns)})) "
            f"to '{raw / 'events' / 'part-1.parquet'}' (format parquet)"
        )


def _run_in(folder: Path, database: Path, args: list[str], raw: Path, **kwargs):
    """run_dbt on a copy of `database` in its own folder (its own target/ and logs/)."""
    folder.mkdir()
    copy = folder / database.name
    shutil.copy(database, copy)
    return copy, run_dbt(args, copy, raw, **kwargs)


def test_an_incremental_build_tests_the_rows_it_wrote_and_still_catches_a_duplicate(tmp_path: Path):
    raw = copy_fixture("messy", tmp_path / "raw")
    _parquet_events(raw)
    built = tmp_path / "built" / "warehouse.duckdb"
    built.parent.mkdir()
    run_dbt(MAIN_JOB, built, raw)
    _deliver(raw, NEW_EVENT)

    # the daily build: the grain test reads the keys L001's new rows have, the row tests those rows
    daily, _ = _run_in(tmp_path / "daily", built, SIGNAL_DAYS, raw)
    grain = _compiled(daily, GRAIN_TEST)
    assert "written_keys" in grain and "computed_at = cast(" in grain
    assert "computed_at = cast(" in _compiled(daily, "not_null_int_lead_signal_days_lead_id")
    assert "folded_at = cast(" in _compiled(daily, "not_null_base_marketing__events_event_id")
    # a relationship test reads every row: a change on the other side can break rows not rewritten
    assert "computed_at = cast(" not in _compiled(daily, "int_lead_signal_days_signal_exists")
    assert _results(daily)[GRAIN_TEST]["status"] == "pass"
    with duckdb.connect(str(daily), read_only=True) as connection:
        written = connection.sql(
            "select distinct lead_id from intermediate.int_lead_signal_days "
            "where computed_at = (select max(computed_at) from intermediate.int_lead_signal_days)"
        ).fetchall()
    assert written == [("L001",)]

    # the backtest tables are written by cutoff: their tests read the cutoffs the run plans to score
    backtest, _ = _run_in(
        tmp_path / "backtest",
        built,
        ["build", "--select", "int_backtest_score_ledger", "--exclude-resource-type", "unit_test"],
        raw,
    )
    ledger_grain = _compiled(backtest, LEDGER_GRAIN_TEST)
    assert "written_keys" in ledger_grain and "where is_backtest" in ledger_grain
    assert _results(backtest)[LEDGER_GRAIN_TEST]["status"] == "pass"

    # the same build with a pre-hook that deletes nothing: L001's days are written beside the old ones,
    # and the grain test, reading only the keys written, fails on them
    broken = dbt_runner.copy_project(REPO, tmp_path / "broken_project")
    (broken / "macros" / "scoring" / "delete_event_days_to_recompute.sql").write_text(
        "{% macro delete_event_days_to_recompute(days, folded, deliveries, seed_fingerprint) %}"
        "{{ return('') }}{% endmacro %}\n"
    )
    failing, result = _run_in(tmp_path / "failing", built, SIGNAL_DAYS, raw, check=False, project=broken)
    assert result.returncode != 0
    assert _results(failing)[GRAIN_TEST]["status"] == "fail"

    # `dbt test` on its own, and a full refresh, read every row
    run_dbt(["test", "--select", "int_lead_signal_days", "--indirect-selection", "cautious"], daily, raw)
    assert "written_keys" not in _compiled(daily, GRAIN_TEST)
    refreshed, _ = _run_in(tmp_path / "refresh", built, [*SIGNAL_DAYS, "--full-refresh"], raw)
    assert "written_keys" not in _compiled(refreshed, GRAIN_TEST)
