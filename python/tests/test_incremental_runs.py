"""Daily incremental runs equal a full refresh, late events are folded in or flagged, and a lead
version written after a backtest cutoff changes nothing at that cutoff."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest
from conftest import copy_fixture, run_dbt
from dbt_runner import DbtError

LAST_DAY = dt.date(2026, 6, 30)
REPLAY_DAYS = [LAST_DAY - dt.timedelta(days=offset) for offset in range(2, -1, -1)]
MAIN_JOB = ["build", "--exclude-resource-type", "unit_test"]
# the fresh builds compared with: their rows only (the runs compared with them run every data test)
REFERENCE_JOB = ["build", "--exclude-resource-type", "unit_test", "test"]
# held back by the loader for two days: within history_recompute_days (3), so folded in
LATE_DAY = dt.date(2026, 6, 28)


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _event_day(row: list[str], header: list[str]) -> dt.date | None:
    text = row[header.index("occurred_at")].strip()[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _delivered_by(rows: list[list[str]], header: list[str], run_day: dt.date) -> list[list[str]]:
    """The events the loader has delivered by the run of `run_day`: those of days up to it (an
    unparseable date is delivered from the start), except the late day's, which arrive on the last day."""
    delivered = []
    for row in rows:
        day = _event_day(row, header)
        if day is None or (day <= run_day and (day != LATE_DAY or run_day == LAST_DAY)):
            delivered.append(row)
    return delivered


def _tables(database: Path) -> dict[str, set[tuple]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.sql(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('marts', 'reports') and table_type = 'BASE TABLE'"
        ).fetchall()
        return {
            name: {
                tuple(round(value, 9) if isinstance(value, float) else value for value in row)
                for row in connection.sql(f"select * from {name}").fetchall()
            }
            for (name,) in names
        }


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The fixture built once in one go as of the last day, and replayed day by day on one file."""
    folder = tmp_path_factory.mktemp("replay")
    full = folder / "full.duckdb"
    # the history keeps every day it scored: the full refresh covers the same days as the replay
    history_days = {"score_history_days": 14 + len(REPLAY_DAYS) - 1}
    run_dbt(
        REFERENCE_JOB,
        full,
        copy_fixture("messy", folder / "full_raw"),
        score_as_of=LAST_DAY.isoformat(),
        extra_vars=history_days,
    )

    raw = copy_fixture("messy", folder / "daily_raw")
    header, events = _read(raw / "events.csv")
    daily = folder / "daily.duckdb"
    for day in REPLAY_DAYS:
        _write(raw / "events.csv", header, _delivered_by(events, header, day))
        run_dbt(MAIN_JOB, daily, raw, score_as_of=day.isoformat())
    return full, daily, raw


def test_day_by_day_replay_equals_a_full_refresh(replayed: tuple[Path, Path, Path]):
    full, daily, _ = replayed
    expected, actual = _tables(full), _tables(daily)
    assert expected.keys() == actual.keys()
    assert "marts.fct_lead_tier_transitions" in expected
    for name in expected:
        assert actual[name] == expected[name], name
    with duckdb.connect(str(daily), read_only=True) as connection:
        days = connection.sql(
            "select count(distinct score_date) from marts.fct_lead_score_history"
        ).fetchone()[0]
    assert days == 14 + len(REPLAY_DAYS) - 1


def test_a_late_event_older_than_the_recompute_window_stops_the_build(
    replayed: tuple[Path, Path, Path], tmp_path: Path
):
    _, daily, raw = replayed
    database = tmp_path / "late.duckdb"
    database.write_bytes(daily.read_bytes())
    with (raw / "events.csv").open("a") as events:
        events.write("LATE1,L001,demo_request,2026-06-20T10:00:00Z,,\n")
    with pytest.raises(DbtError) as failure:
        run_dbt(MAIN_JOB, database, raw, score_as_of=LAST_DAY.isoformat())
    output = str(failure.value)
    assert "assert_score_history_has_no_late_events" in output
    # the documented fix rebuilds the history from the states: then it equals a fresh build
    run_dbt(
        ["build", "--full-refresh", "--select", "int_scoring_dates+"],
        database,
        raw,
        score_as_of=LAST_DAY.isoformat(),
    )
    fresh = tmp_path / "fresh.duckdb"
    run_dbt(REFERENCE_JOB, fresh, raw, score_as_of=LAST_DAY.isoformat())
    expected, actual = _tables(fresh), _tables(database)
    for name in expected:
        assert actual[name] == expected[name], name
    with duckdb.connect(str(database), read_only=True) as connection:
        entered = connection.sql(
            "select total_score from marts.fct_lead_score_history "
            "where lead_id = 'L001' and score_date = '2026-06-20'"
        ).fetchone()[0]
        before = connection.sql(
            "select total_score from marts.fct_lead_score_history "
            "where lead_id = 'L001' and score_date = '2026-06-19'"
        ).fetchone()[0]
    assert entered - before >= 29  # the demo request (30 points, capped at 30) counts from its day


def test_a_lead_version_written_after_a_cutoff_changes_nothing_at_it(tmp_path: Path):
    select = [
        "build",
        "--select",
        "+int_backtest_scores",
        "+int_backtest_score_ledger",
        "+fct_lead_scores",
        "--exclude-resource-type",
        "test",
        "unit_test",
    ]
    before = tmp_path / "before.duckdb"
    run_dbt(select, before, copy_fixture("messy", tmp_path / "a"))
    with duckdb.connect(str(before), read_only=True) as connection:
        cutoff, lead = connection.sql(
            "select cutoff_date, min(lead_id) from intermediate.int_backtest_scores "
            "group by cutoff_date order by cutoff_date limit 1"
        ).fetchone()
    raw = copy_fixture("messy", tmp_path / "b")
    header, leads = _read(raw / "leads.csv")
    current = [row for row in leads if row[0].strip() == lead][-1]
    promoted = list(current)
    promoted[header.index("job_title")] = "Intern"
    promoted[header.index("updated_at")] = f"{cutoff.isoformat()}T00:00:00Z"
    _write(raw / "leads.csv", header, [*leads, promoted])
    after = tmp_path / "after.duckdb"
    run_dbt(select, after, raw)

    def rows(database: Path, query: str) -> list[tuple]:
        with duckdb.connect(str(database), read_only=True) as connection:
            return connection.sql(query).fetchall()

    at_cutoff = "select * from intermediate.int_backtest_score_ledger order by all"
    assert rows(before, at_cutoff) == rows(after, at_cutoff)
    live = f"select fit_score from marts.fct_lead_scores where lead_id = '{lead}'"
    assert rows(before, live) != rows(after, live)
