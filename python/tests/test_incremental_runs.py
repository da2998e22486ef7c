"""Daily incremental runs equal a full refresh: late events, inputs that change a lead's past (late
events, versions and opportunities, a lead that arrives after its events, a deleted lead, a reused
id) and a changed seed are folded in by the next run; a live date before the last run is refused;
a lead version written after a backtest cutoff changes nothing at that cutoff."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import time
from pathlib import Path

import dbt_runner
import duckdb
import pytest
from conftest import REPO, copy_fixture, run_dbt
from dbt_runner import DbtError

LAST_DAY = dt.date(2026, 6, 30)
REPLAY_DAYS = [LAST_DAY - dt.timedelta(days=offset) for offset in range(2, -1, -1)]
# the runs of the replay: (score_as_of, the time up to which that day's events are delivered, None for
# the whole day). The last day is refreshed intra-day, as an hourly schedule does: its first runs see
# the events up to 08:45 (two product events) and up to 10:30 (the trial conversion, a page view and a
# re-delivery), each with the same score_as_of, before the day's last run sees the rest.
REPLAY_RUNS = [(day, None) for day in REPLAY_DAYS[:-1]] + [
    (LAST_DAY, dt.time(8, 45)),
    (LAST_DAY, dt.time(10, 30)),
    (LAST_DAY, None),
]
MAIN_JOB = ["build", "--exclude-resource-type", "unit_test"]
# the fresh builds compared with: their rows only (the runs compared with them run every data test)
REFERENCE_JOB = ["build", "--exclude-resource-type", "unit_test", "test"]
# the lead models, their plan and their record, with what they read (no tests)
LEAD_MODELS_JOB = [
    "build",
    "--select",
    "+int_lead_models_computed",
    "--exclude-resource-type",
    "test",
    "unit_test",
]
# held back by the loader for two days: the last day's first run repairs the history of its leads
LATE_DAY = dt.date(2026, 6, 28)


# events of L900 delivered from the start; the lead itself arrives in the leads export later
EVENTS_BEFORE_THEIR_LEAD = [
    ["EB1", "L900", "demo_request", "2026-06-05T10:00:00Z", "", ""],
    ["EB2", "L900", "email_click", "2026-06-18T10:00:00Z", "", ""],
]
NEXT_DAY = LAST_DAY + dt.timedelta(days=1)
# the days the replayed history has by the next day's run (it keeps every day it scored)
HISTORY_DAYS_BY_NEXT_DAY = 14 + len(REPLAY_DAYS)


def _append(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


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


def _delivered_by(
    rows: list[list[str]], header: list[str], run_day: dt.date, until: dt.time | None = None
) -> list[list[str]]:
    """The events the loader has delivered by the run of `run_day` (at `until`, or after the day):
    those of days up to it (an unparseable date is delivered from the start), except the late day's,
    which arrive on the last day. Of `run_day` itself, only those up to `until` when it is given."""
    delivered = []
    for row in rows:
        day = _event_day(row, header)
        late = day == LATE_DAY and run_day != LAST_DAY
        later_today = (
            day == run_day
            and until is not None
            and row[header.index("occurred_at")].strip()[11:19] > until.isoformat()
        )
        if day is None or (day <= run_day and not late and not later_today):
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


# per run of the replay, the (history day, lead) pairs it scored (filled by the fixture `replayed`)
HISTORY_SCORED_BY_RUN: list[set[tuple[dt.date, str]]] = []
# per run of the replay, whether it computed the calibration models again (int_calibration_inputs)
CALIBRATION_RECOMPUTED_BY_RUN: list[bool] = []
# per run of the replay, whether it computed the lead models again (base_crm__lead_inputs)
LEADS_RECOMPUTED_BY_RUN: list[bool] = []


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The fixture built once in one go as of the last day, and replayed day by day on one file."""
    folder = tmp_path_factory.mktemp("replay")
    full = folder / "full.duckdb"
    # the history keeps every day it scored: the full refresh covers the same days as the replay
    history_days = {"score_history_days": 14 + len(REPLAY_DAYS) - 1}
    full_raw = copy_fixture("messy", folder / "full_raw")
    _append(full_raw / "events.csv", EVENTS_BEFORE_THEIR_LEAD)
    run_dbt(
        REFERENCE_JOB,
        full,
        full_raw,
        score_as_of=LAST_DAY.isoformat(),
        extra_vars=history_days,
    )

    raw = copy_fixture("messy", folder / "daily_raw")
    _append(raw / "events.csv", EVENTS_BEFORE_THEIR_LEAD)
    header, events = _read(raw / "events.csv")
    daily = folder / "daily.duckdb"
    for day, until in REPLAY_RUNS:
        _write(raw / "events.csv", header, _delivered_by(events, header, day, until))
        run_dbt(MAIN_JOB, daily, raw, score_as_of=day.isoformat())
        with duckdb.connect(str(daily), read_only=True) as connection:
            HISTORY_SCORED_BY_RUN.append(
                {
                    (day, lead)
                    for day, lead in connection.sql(
                        "select distinct as_of_date, lead_id from intermediate.int_leads_scored_by_date "
                        "where is_history"
                    ).fetchall()
                }
            )
            CALIBRATION_RECOMPUTED_BY_RUN.append(_calibration_recomputed(connection))
            LEADS_RECOMPUTED_BY_RUN.append(_leads_recomputed(connection))
    return full, daily, raw


def _calibration_recomputed(connection: duckdb.DuckDBPyConnection) -> bool:
    return connection.sql("select is_recomputed from intermediate.int_calibration_inputs").fetchone()[0]


def _leads_recomputed(connection: duckdb.DuckDBPyConnection) -> bool:
    return connection.sql("select is_recomputed from staging.base_crm__lead_inputs").fetchone()[0]


def test_the_lead_models_are_computed_again_only_when_what_they_read_changed(
    replayed: tuple[Path, Path, Path],
):
    """The first run computes the lead models (base_crm__lead_versions and the models of
    intermediate/leads after it); every later run of the replay brings events only and keeps them,
    and the replay still equals a full refresh. A changed lead file or lead seed computes them
    again: the next-day tests below."""
    assert [True] + [False] * (len(REPLAY_RUNS) - 1) == LEADS_RECOMPUTED_BY_RUN


def test_a_lead_dated_in_the_future_is_staged_once_its_date_has_come(tmp_path: Path):
    """A lead created a few seconds after the run starts, with no clock skew allowed, is rejected as
    dated in the future. Nothing in the files changes, yet the next run, after that time, computes the
    lead models again and stages it; the run after that keeps them."""
    raw = copy_fixture("messy", tmp_path / "raw")
    header, leads = _read(raw / "leads.csv")
    soon = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=20)
    newcomer = list(leads[0])
    newcomer[:2] = ["L950", "zoe@acme-software.com"]
    newcomer[header.index("created_at")] = newcomer[header.index("updated_at")] = soon.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    _write(raw / "leads.csv", header, [*leads, newcomer])
    database = tmp_path / "future.duckdb"
    no_skew = {"max_clock_skew_hours": 0}
    status = "select record_status, reject_reason from staging.base_crm__lead_versions where lead_id = 'L950'"
    plan = "select has_rows_no_longer_in_future, is_recomputed from staging.base_crm__lead_inputs"
    run_dbt(LEAD_MODELS_JOB, database, raw, extra_vars=no_skew)
    assert _rows(database, status) == [("rejected", "created_at in the future; updated_at in the future")]
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 1)
    run_dbt(LEAD_MODELS_JOB, database, raw, extra_vars=no_skew)
    assert _rows(database, plan) == [(True, True)]
    assert _rows(database, status) == [("staged", None)]
    assert _rows(database, "select count(*) from intermediate.int_leads_enriched where lead_id = 'L950'") == [
        (1,)
    ]
    run_dbt(LEAD_MODELS_JOB, database, raw, extra_vars=no_skew)
    assert _rows(database, plan) == [(False, False)]


def test_a_run_that_computes_some_lead_models_leaves_the_next_to_compute_them_all(tmp_path: Path):
    """The recorded fingerprint says every lead model is as those inputs left it. A run that computes
    one and stops before the record (here: only the plan and the lead staging, with a new lead) takes
    the record away; a model built without its plan (`dbt run --select int_lead_versions_enriched`)
    is computed, not kept, and takes it away too. The next run then computes them all again."""
    raw = copy_fixture("messy", tmp_path / "raw")
    database = tmp_path / "partial.duckdb"
    recorded = "select count(*) from intermediate.int_lead_models_computed"
    run_dbt(LEAD_MODELS_JOB, database, raw)
    assert _rows(database, recorded) == [(1,)]
    header, leads = _read(raw / "leads.csv")
    newcomer = list(leads[0])
    newcomer[:2] = ["L951", "yan@acme-software.com"]
    _write(raw / "leads.csv", header, [*leads, newcomer])
    staging_only = ["build", "--select", "base_crm__lead_inputs", "base_crm__lead_versions"]
    run_dbt([*staging_only, "--exclude-resource-type", "test", "unit_test"], database, raw)
    assert _rows(database, recorded) == [(0,)]
    where_l951 = "select count(*) from {} where lead_id = 'L951'"
    assert _rows(database, where_l951.format("staging.base_crm__lead_versions")) == [(1,)]
    assert _rows(database, where_l951.format("intermediate.int_lead_versions_enriched")) == [(0,)]
    # without its plan, the model is computed from the lead staging as it now is
    run_dbt(["run", "--select", "int_lead_versions_enriched"], database, raw)
    assert _rows(database, where_l951.format("intermediate.int_lead_versions_enriched")) == [(1,)]
    assert _rows(database, where_l951.format("intermediate.int_leads_enriched")) == [(0,)]
    run_dbt(LEAD_MODELS_JOB, database, raw)
    assert _rows(database, "select is_recomputed from staging.base_crm__lead_inputs") == [(True,)]
    assert _rows(database, where_l951.format("intermediate.int_leads_enriched")) == [(1,)]
    assert _rows(database, recorded) == [(1,)]


def test_the_calibration_is_computed_again_only_when_what_it_reads_changed(
    replayed: tuple[Path, Path, Path],
):
    """The first run computes the calibration models; the second day's makes the fixture's cutoff
    (2026-04-01) usable, its outcome window complete, and computes them again; the last day's
    runs bring events months after it and nothing else, so each keeps them, and the replay still
    equals a full refresh (the test above). What else changes them: the next-day tests below."""
    assert REPLAY_RUNS[1][0] == dt.date(2026, 6, 29)
    kept_from_the_third_run = [True, True] + [False] * (len(REPLAY_RUNS) - 2)
    assert kept_from_the_third_run == CALIBRATION_RECOMPUTED_BY_RUN


def test_a_run_that_builds_only_some_calibration_models_records_nothing(
    replayed: tuple[Path, Path, Path], tmp_path: Path
):
    """A run that builds the record but not every calibration model (here: only the plan and the
    record, with a changed var) leaves the recorded fingerprint as it was: the next full run computes
    the calibration models again."""
    _, daily, raw = replayed
    database = tmp_path / "partial.duckdb"
    database.write_bytes(daily.read_bytes())
    run_dbt(
        ["build", "--select", "int_calibration_inputs", "int_calibration_computed"],
        database,
        raw,
        score_as_of=LAST_DAY.isoformat(),
        extra_vars={"calibration_bins": 7},
    )
    plan = "select is_recomputed, inputs_fingerprint from intermediate.int_calibration_inputs"
    [(recomputed, fingerprint)] = _rows(database, plan)
    assert recomputed
    [(recorded,)] = _rows(database, "select inputs_fingerprint from intermediate.int_calibration_computed")
    assert recorded != fingerprint
    [(before,)] = _rows(daily, "select inputs_fingerprint from intermediate.int_calibration_computed")
    assert recorded == before


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


def test_a_run_scores_the_history_again_only_for_the_leads_whose_inputs_changed(
    replayed: tuple[Path, Path, Path],
):
    """A daily run scores its new day for every lead and no closed day again; an intra-day run
    (same score_as_of) scores no day for every lead: only the leads with new events, on every day
    the history keeps (their history is repaired, the others' rows are left as they are)."""
    first_day, second_day, morning, late_morning, rest_of_day = HISTORY_SCORED_BY_RUN
    assert {day for day, _ in second_day} == {REPLAY_DAYS[1]}
    assert {day for day, _ in morning} >= {LAST_DAY}
    leads_of_the_day = {lead for day, lead in morning if day == LAST_DAY}
    assert len(leads_of_the_day) > 2
    # 08:45 to 10:30: the trial conversion, a page view, its re-delivery (L001) and a login (L003)
    assert {lead for _, lead in late_morning} == {"L001", "L003"}
    # after 10:30: a seat invitation (L003), and a sales email of L001's, which is a sales touch
    # (routing and SLA reports), not a scoring input
    assert {lead for _, lead in rest_of_day} == {"L003"}
    kept_days = {day for day, _ in first_day} | {day for day, _ in second_day} | {LAST_DAY}
    for run in (late_morning, rest_of_day):
        assert {day for day, _ in run} == kept_days


def _next_day(
    replayed: tuple[Path, Path, Path], tmp_path: Path, change, project: Path = REPO
) -> tuple[Path, Path]:
    """The replayed warehouse's next daily run after `change(raw)` edits a copy of its raw files,
    and a fresh build of the same files as of the same day: (daily, fresh)."""
    _, daily, raw = replayed
    raw_copy = tmp_path / "raw"
    shutil.copytree(raw, raw_copy)
    change(raw_copy)
    database = tmp_path / "daily.duckdb"
    database.write_bytes(daily.read_bytes())
    history_days = {"score_history_days": HISTORY_DAYS_BY_NEXT_DAY}
    run_dbt(MAIN_JOB, database, raw_copy, score_as_of=NEXT_DAY.isoformat(), project=project)
    fresh = tmp_path / "fresh" / "fresh.duckdb"
    fresh.parent.mkdir()
    run_dbt(
        REFERENCE_JOB,
        fresh,
        raw_copy,
        score_as_of=NEXT_DAY.isoformat(),
        extra_vars=history_days,
        project=project,
    )
    return database, fresh


def _assert_equal(fresh: Path, daily: Path, kept_only_by_runs: tuple[str, ...] = ()) -> None:
    expected, actual = _tables(fresh), _tables(daily)
    assert expected.keys() == actual.keys()
    for name in expected:
        if name not in kept_only_by_runs:
            assert actual[name] == expected[name], name


def _rows(database: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(query).fetchall()


def _change_the_past(raw: Path) -> None:
    """Inputs that reach back before the days the history keeps (2026-06-27 and older), one lead
    each: a late email open of a lead without events (L006: its inactivity penalty), a late lead
    version (L002's new title from 2026-06-20), a late closed-lost opportunity (L003, 2026-06-05),
    the lead of the events delivered before it (L900), a lead gone from the export (L004) and an
    id the CRM reused for another person created on 2026-06-20 (L005)."""
    _append(raw / "events.csv", [["LATE6", "L006", "email_open", "2026-06-18T10:00:00Z", "", ""]])
    header, leads = _read(raw / "leads.csv")
    created, updated = header.index("created_at"), header.index("updated_at")
    late_version = list([row for row in leads if row[0] == "L002"][0])
    late_version[header.index("job_title")] = "VP Finance"
    late_version[updated] = "2026-06-20T10:00:00Z"
    newcomer = list(late_version)
    newcomer[:7] = ["L900", "nia@initech.com", "Nia", "New", "VP Sales", "Initech", "software"]
    newcomer[created] = newcomer[updated] = "2026-05-01T00:00:00Z"
    reused = [row for row in leads if row[0] == "L005"][0]
    reused[1:4] = ["bob@newco.com", "Bob", "Other"]
    reused[created] = reused[updated] = "2026-06-20T00:00:00Z"
    kept = [row for row in leads if row[0] != "L004"]
    _write(raw / "leads.csv", header, [*kept, late_version, newcomer])
    _append(
        raw / "opportunities.csv",
        [["O099", "L003", "2026-06-01T00:00:00Z", "closed_lost", "", "2026-06-05T00:00:00Z"]],
    )


def test_inputs_that_change_the_past_are_folded_in_by_the_next_run(
    replayed: tuple[Path, Path, Path], tmp_path: Path
):
    daily, fresh = _next_day(replayed, tmp_path, _change_the_past)
    _assert_equal(fresh, daily, kept_only_by_runs=("marts.fct_lead_deletions",))
    # a late opportunity and changed leads: the lead and calibration models are computed again
    assert _rows(daily, "select is_recomputed from staging.base_crm__lead_inputs") == [(True,)]
    assert _rows(daily, "select is_recomputed from intermediate.int_calibration_inputs") == [(True,)]
    changed = dict(
        _rows(daily, "select lead_id, change_reason from intermediate.int_score_history_changed_leads")
    )
    assert changed == {
        "L002": "inputs of days already scored changed",
        "L003": "inputs of days already scored changed",
        "L004": "the lead left the lead input",
        "L005": "inputs of days already scored changed",
        "L006": "inputs of days already scored changed",
        "L900": "inputs of days already scored changed",
    }
    assert _rows(daily, "select lead_id, deletion_reason, deleted_as_of from marts.fct_lead_deletions") == [
        ("L004", "the lead left the lead input", NEXT_DAY)
    ]
    # the reused id's history starts on the new person's creation day
    assert _rows(
        daily, "select min(score_date) from marts.fct_lead_score_history where lead_id = 'L005'"
    ) == [(dt.date(2026, 6, 20),)]
    # the next run, with nothing new, repairs nothing and records no deletion again
    run_dbt(MAIN_JOB, daily, tmp_path / "raw", score_as_of=NEXT_DAY.isoformat())
    assert _rows(daily, "select count(*) from intermediate.int_score_history_changed_leads") == [(0,)]
    assert _rows(daily, "select is_recomputed from intermediate.int_calibration_inputs") == [(False,)]
    assert _rows(daily, "select is_recomputed from staging.base_crm__lead_inputs") == [(False,)]
    assert _rows(daily, "select count(*) from marts.fct_lead_deletions") == [(1,)]
    _assert_equal(fresh, daily, kept_only_by_runs=("marts.fct_lead_deletions",))


def test_a_changed_seed_scores_the_whole_history_again(replayed: tuple[Path, Path, Path], tmp_path: Path):
    """Half the points of a demo request (a scoring seed), and the title pattern `% director %`
    read as `manager` (a seed the lead models read): the next run scores the whole history again and
    computes the lead models again."""
    project = dbt_runner.copy_project(REPO, tmp_path / "project")
    signals = project / "seeds" / "scoring" / "scoring_behavioral_signals.csv"
    header, rows = _read(signals)
    points = header.index("points_per_unit")
    demo = [row for row in rows if row[header.index("signal_id")] == "demo_request"][0]
    demo[points] = str(float(demo[points]) / 2)
    _write(signals, header, rows)
    seniorities = next(project.glob("seeds/**/job_title_seniorities.csv"))
    header, rows = _read(seniorities)
    director = [row for row in rows if row[header.index("title_pattern")] == "% director %"][0]
    director[header.index("seniority")] = "manager"
    _write(seniorities, header, rows)
    daily, fresh = _next_day(replayed, tmp_path, lambda raw: None, project=project)
    _assert_equal(fresh, daily)
    assert _rows(daily, "select is_recomputed from staging.base_crm__lead_inputs") == [(True,)]
    assert _rows(daily, "select is_recomputed from intermediate.int_calibration_inputs") == [(True,)]
    # the worked example's Director of Operations is a manager now
    assert _rows(daily, "select seniority from intermediate.int_leads_enriched where lead_id = 'L001'") == [
        ("manager",)
    ]
    assert _rows(
        daily, "select lead_id, change_reason from intermediate.int_score_history_changed_leads"
    ) == [(None, "the scoring configuration changed (a scoring seed or var: int_scoring_configuration)")]


def test_a_live_date_before_the_last_run_is_refused(replayed: tuple[Path, Path, Path], tmp_path: Path):
    _, daily, raw = replayed
    database = tmp_path / "back.duckdb"
    database.write_bytes(daily.read_bytes())
    earlier = (LAST_DAY - dt.timedelta(days=5)).isoformat()
    with pytest.raises(DbtError) as failure:
        run_dbt(["build", "--select", "int_scoring_dates"], database, raw, score_as_of=earlier)
    assert (
        f"var score_as_of {earlier} is before the last run's date {LAST_DAY.isoformat()} "
        "(the newest day of fct_lead_score_history)"
    ) in str(failure.value)
    assert f"dbt build --full-refresh --vars '{{score_as_of: \"{earlier}\"}}'" in str(failure.value)
    # nothing was scored: the history is the replay's
    assert _rows(database, "select max(score_date) from marts.fct_lead_score_history") == [(LAST_DAY,)]


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
