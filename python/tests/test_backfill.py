"""A history backfill in several runs equals one build of the whole window, and a run never adds more
older history days than history_backfill_days_per_run (python -m lead_scoring.backfill). A backfill
killed between its runs leaves the published warehouse as it was, and the next one cleans up."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, copy_fixture, run_dbt
from lead_scoring.bench.replay import rows_equal, tables

LAST_DAY = dt.date(2026, 6, 30)
MAIN_JOB = ["build", "--exclude-resource-type", "unit_test"]
DAYS = 40
PER_RUN = 10


def _history_days(database: Path) -> list[dt.date]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            "select distinct score_date from marts.fct_lead_score_history order by 1"
        ).fetchall()
    return [row[0] for row in rows]


def _backfill_command(database: Path, raw: Path, days: int) -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "LEAD_SCORING_DUCKDB_PATH": str(database),
        "DBT_TARGET_PATH": str(database.parent / "target"),
        "DBT_LOG_PATH": str(database.parent / "logs"),
        "PYTHONPATH": str(REPO / "python"),
    }
    dbt_vars = (
        f"{{raw_data_path: '{raw}', score_as_of: '{LAST_DAY.isoformat()}', "
        f"history_backfill_days_per_run: {PER_RUN}}}"
    )
    return [sys.executable, "-m", "lead_scoring.backfill", "--days", str(days), "--vars", dbt_vars], env


def _backfill(database: Path, raw: Path, days: int) -> subprocess.CompletedProcess[str]:
    command, env = _backfill_command(database, raw, days)
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kill_after_the_first_history_build(database: Path, raw: Path, days: int) -> int:
    """Start a backfill, SIGKILL it once its first history build has passed (it is reading the
    bounds for the second); its pid."""
    command, env = _backfill_command(database, raw, days)
    backfill = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert backfill.stdout is not None
    starts = 0
    for line in backfill.stdout:
        starts += line.startswith("backfill: history starts")
        if starts == 2:
            backfill.send_signal(signal.SIGKILL)
            break
    backfill.stdout.read()
    backfill.wait(timeout=60)
    assert starts == 2, "the backfill ended before its second history build"
    return backfill.pid


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, Path, subprocess.CompletedProcess[str], dict[str, object]]:
    """The fixture built with the whole window at once, and built with the default 14 days and then
    backfilled to the window 10 older days per run, by a backfill killed after its first run and then
    by one that completes. What the kill left is the fixture's last item."""
    folder = tmp_path_factory.mktemp("backfill")
    raw = copy_fixture("messy", folder / "raw")
    at_once = folder / "at_once" / "warehouse.duckdb"
    at_once.parent.mkdir()
    run_dbt(
        MAIN_JOB,
        at_once,
        raw,
        score_as_of=LAST_DAY.isoformat(),
        extra_vars={"score_history_days": DAYS, "history_backfill_days_per_run": DAYS},
    )
    backfilled = folder / "backfilled" / "warehouse.duckdb"
    backfilled.parent.mkdir()
    run_dbt(MAIN_JOB, backfilled, raw, score_as_of=LAST_DAY.isoformat())
    published = _digest(backfilled)
    killed_pid = _kill_after_the_first_history_build(backfilled, raw, DAYS)
    after_kill = {
        "unchanged": _digest(backfilled) == published,
        "history_days": len(_history_days(backfilled)),
        "copies": sorted(backfilled.parent.glob(f"{backfilled.name}.building*")),
        "pid": killed_pid,
    }
    result = _backfill(backfilled, raw, DAYS)
    return at_once, backfilled, raw, result, after_kill


def test_a_backfill_in_runs_equals_the_window_built_at_once(built):
    at_once, backfilled, _, result, _ = built
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    # 14 days to 40: 26 older days, 10 per run
    assert "after 3 history builds" in result.stdout, result.stdout[-4000:]
    assert result.stdout.count("--select int_scoring_dates+,+fct_lead_score_history") == 3
    expected, actual = tables(at_once), tables(backfilled)
    assert expected.keys() == actual.keys()
    assert "marts.fct_lead_tier_transitions" in expected
    for name in expected:
        assert rows_equal(expected[name], actual[name]), name
    days = _history_days(backfilled)
    assert len(days) == DAYS
    assert days[0] == LAST_DAY - dt.timedelta(days=DAYS - 1)


def test_a_killed_backfill_leaves_the_published_warehouse_and_the_next_removes_its_copy(built):
    """Issue 26: the backfill ran in place, so a kill left history, transitions and tier history
    covering different days. Now it works on a copy: killed after a history build, the published
    file is byte for byte the one before (14 days of history), and the next backfill removes the copy
    (that backfill then equals the window built at once: the test above)."""
    _, backfilled, _, result, after_kill = built
    assert after_kill["unchanged"] and after_kill["history_days"] == 14
    assert after_kill["copies"], "a SIGKILLed backfill cannot clean up: its copy stays until the next run"
    assert f"a working copy left by a backfill (pid {after_kill['pid']}) that ended" in result.stderr
    assert not list(backfilled.parent.glob(f"{backfilled.name}.building*"))


def test_a_backfill_that_is_complete_only_rebuilds_once(built):
    _, backfilled, raw, _, _ = built
    result = _backfill(backfilled, raw, DAYS)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert "after 0 history builds" in result.stdout
    assert "--select int_scoring_dates+,+fct_lead_score_history" not in result.stdout
    assert len(_history_days(backfilled)) == DAYS


def test_a_first_build_adds_at_most_the_days_per_run_newest_first(tmp_path: Path):
    raw = copy_fixture("messy", tmp_path / "raw")
    database = tmp_path / "first" / "warehouse.duckdb"
    database.parent.mkdir()
    run_dbt(
        MAIN_JOB,
        database,
        raw,
        score_as_of=LAST_DAY.isoformat(),
        extra_vars={"score_history_days": DAYS, "history_backfill_days_per_run": PER_RUN},
    )
    days = _history_days(database)
    assert days == [LAST_DAY - dt.timedelta(days=offset) for offset in range(PER_RUN - 1, -1, -1)]


def test_history_backfill_days_per_run_below_one_is_refused(tmp_path: Path):
    raw = copy_fixture("messy", tmp_path / "raw")
    result = run_dbt(
        ["compile", "--select", "int_scoring_dates"],
        tmp_path / "refused.duckdb",
        raw,
        check=False,
        extra_vars={"history_backfill_days_per_run": 0},
    )
    assert result.returncode != 0
    assert "history_backfill_days_per_run must be at least 1, not 0" in result.stdout
