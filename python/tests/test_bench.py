"""Tests of the benchmark harness's own parts (lead_scoring.bench): the table, the agreement check,
the JSON, the measurement of a command, and the two reference computations of the live behavioral
score on a hand-made raw folder with hand-computed scores. Nothing here is timed."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import duckdb
import pytest
from lead_scoring.bench import agreement, report
from lead_scoring.bench.cli import parse_args
from lead_scoring.bench.extra_day import extra_day_name, extra_hour_name, remove_extra_days, write_extra_day
from lead_scoring.bench.floor import floor_sql
from lead_scoring.bench.measure import CommandFailed, dbt_model_seconds, dbt_seconds, run_measured
from lead_scoring.bench.pandas_score import behavioral_scores, like_to_regex
from lead_scoring.bench.project import Run
from lead_scoring.bench.replay import rows_equal, split_events
from lead_scoring.bench.statement import run as run_statement
from lead_scoring.bench.steps import Bench
from lead_scoring.common.contract import raw_contract

AS_OF = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 7, 2, 12, 0, 0)


# --- table and targets -------------------------------------------------------------------------


def _steps() -> dict[str, report.Step]:
    return {
        "main": report.Step("main", "main job", wall_s=90.0, peak_mb=2048.0, model_s=80.0),
        "statement": report.Step("statement", "single statement", wall_s=30.0, peak_mb=1000.0),
        "live": report.Step("live", "live path", wall_s=60.0, peak_mb=1500.0, model_s=50.0),
        "incremental": report.Step("incremental", "incremental", wall_s=20.0, peak_mb=7000.0, model_s=12.5),
        "backfill": report.Step("backfill", "backfill", wall_s=64.0, peak_mb=900.0, model_s=50.0),
        "hourly": report.Step("hourly", "hourly", wall_s=25.0, peak_mb=800.0, model_s=10.0, test_s=9.5),
        "floor": report.Step("floor", "floor", wall_s=2.5, peak_mb=300.0),
    }


def test_steps_table_lines_up_and_shows_ratios() -> None:
    table = report.steps_table(_steps()).splitlines()
    assert table[0].startswith("| step ")
    assert len({len(line) for line in table}) == 1  # every line as wide as the header
    main = next(line for line in table if line.startswith("| main job"))
    cells = [cell.strip() for cell in main.strip("|").split("|")]
    assert cells == ["main job", "90.0", "80.0", "", "2,048", "3.00", "36.0", ""]
    hourly = next(line for line in table if line.startswith("| hourly"))
    assert [cell.strip() for cell in hourly.strip("|").split("|")] == [
        "hourly",
        "25.0",
        "10.0",
        "9.5",
        "800",
        "0.83",
        "10.0",
        "",
    ]


def test_format_table_right_aligns_numbers() -> None:
    text = report.format_table(["name", "s"], [["a", "1.0"], ["bb", "10.0"]], [False, True])
    assert text.splitlines() == ["| name |    s |", "|------|-----:|", "| a    |  1.0 |", "| bb   | 10.0 |"]


def test_targets_compare_against_the_statement() -> None:
    targets = {t.name: t for t in report.targets(_steps(), cutoffs_s=30.0, one_live_scoring_s=20.0)}
    assert targets["main job <= 3x statement"].measured == 3.0
    assert targets["main job <= 3x statement"].met is True
    assert targets["live path <= 1.5x statement"].measured == 2.0
    assert targets["live path <= 1.5x statement"].met is False
    assert (
        targets["incremental day <= 60 s wall"].measured,
        targets["incremental day <= 60 s wall"].met,
    ) == (
        20.0,
        True,
    )
    assert (targets["hourly run <= 30 s wall"].measured, targets["hourly run <= 30 s wall"].met) == (
        25.0,
        True,
    )
    backfill = targets["90-day backfill <= 2x statement"]
    assert (backfill.measured, backfill.limit, backfill.met) == (64.0 / 30.0, 2.0, False)
    assert targets["12 cutoffs <= 2x one live scoring"].measured == 1.5
    assert targets["dbt peak memory < 6 GB"].measured == 7000.0
    assert targets["dbt peak memory < 6 GB"].met is False


def test_targets_without_measurements_are_not_judged() -> None:
    steps = {"statement": report.Step("statement", "single statement", wall_s=10.0)}
    items = report.targets(steps, cutoffs_s=None, one_live_scoring_s=None)
    assert all(target.met is None for target in items)
    assert "n/a" in report.targets_table(items)


def test_results_json_shape(tmp_path: Path) -> None:
    steps = _steps()
    check = agreement.compare_scores({("default", "L1"): 1.0}, {("default", "L1"): 1.0}, tolerance=1e-6)
    results = report.results_json(
        machine={"nproc": 2},
        scale={"leads": 10},
        steps=steps,
        target_list=report.targets(steps, cutoffs_s=None, one_live_scoring_s=None),
        agreements=[check.as_json()],
        slowest_models={"b": 1.0, "a": 2.0},
    )
    path = tmp_path / "out" / "bench.json"
    report.write_json(path, results)
    loaded = json.loads(path.read_text())
    assert set(loaded) == {
        "version",
        "machine",
        "scale",
        "steps",
        "targets",
        "agreements",
        "main_job_models_s",
    }
    assert loaded["steps"]["main"]["ratio_to_statement"] == 3.0
    assert loaded["steps"]["main"]["peak_mb"] == 2048.0
    assert loaded["steps"]["statement"]["ratio_to_statement"] == 1.0
    assert list(loaded["main_job_models_s"]) == ["a", "b"]  # slowest first
    assert {"name", "measured", "limit", "unit", "how", "met"} <= set(loaded["targets"][0])
    assert loaded["agreements"][0]["ok"] is True


# --- agreement -----------------------------------------------------------------------------------


def test_agreement_passes_within_tolerance() -> None:
    reference = {("default", "L1"): 12.34, ("default", "L2"): 0.0}
    candidate = {("default", "L1"): 12.3400004}  # L2 has no signal: absent means 0
    check = agreement.require(agreement.compare_scores(reference, candidate, tolerance=1e-6))
    assert check.ok
    assert check.compared == 2
    assert check.max_abs_diff == pytest.approx(4e-7)


def test_agreement_catches_a_mismatch() -> None:
    reference = {("default", "L1"): 12.34, ("default", "L2"): 5.0}
    candidate = {("default", "L1"): 12.35, ("default", "L2"): 5.0}
    check = agreement.compare_scores(reference, candidate, tolerance=1e-6)
    assert not check.ok
    assert check.mismatches == [("default", "L1", 12.34, 12.35)]
    with pytest.raises(agreement.Disagreement, match="DISAGREE on 1 leads"):
        agreement.require(check)


def test_agreement_catches_a_lead_the_project_does_not_score() -> None:
    check = agreement.compare_scores({}, {("default", "L9"): 0.0}, tolerance=1e-6)
    assert check.mismatches == [("default", "L9", None, 0.0)]


def test_agreement_catches_a_lead_missing_from_the_candidate() -> None:
    check = agreement.compare_scores({("default", "L1"): 3.0}, {}, tolerance=agreement.ROUNDED_TOLERANCE)
    assert check.mismatches == [("default", "L1", 3.0, 0.0)]


def test_rounded_tolerance_allows_half_a_cent() -> None:
    check = agreement.compare_scores(
        {("m", "L1"): 1.23}, {("m", "L1"): 1.234999}, tolerance=agreement.ROUNDED_TOLERANCE
    )
    assert check.ok
    check = agreement.compare_scores(
        {("m", "L1"): 1.23}, {("m", "L1"): 1.2351}, tolerance=agreement.ROUNDED_TOLERANCE
    )
    assert not check.ok


# --- measurement ---------------------------------------------------------------------------------


def test_run_measured_reports_wall_time_and_memory(tmp_path: Path) -> None:
    grow = (
        "import time; block = bytearray(200 * 1024 * 1024); "
        "block[::4096] = b'x' * len(block[::4096]); time.sleep(0.3)"
    )
    measured = run_measured([sys.executable, "-c", grow], env={}, cwd=tmp_path, log=tmp_path / "log.txt")
    assert measured.returncode == 0
    assert measured.wall_s >= 0.3
    assert measured.peak_mb >= 200


def test_run_measured_reports_the_command_s_peak_not_the_bench_s(tmp_path: Path) -> None:
    # the bench itself grew (its agreement checks): a command started after that reported the
    # bench's peak, inherited through vfork and exec, instead of its own
    ballast = bytearray(600 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    grow = (
        "import time; block = bytearray(100 * 1024 * 1024); "
        "block[::4096] = b'x' * len(block[::4096]); time.sleep(0.3)"
    )
    measured = run_measured([sys.executable, "-c", grow], env={}, cwd=tmp_path, log=tmp_path / "log.txt")
    del ballast
    assert 100 <= measured.peak_mb < 400


def test_run_measured_fails_loudly(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "print('boom'); raise SystemExit(3)"]
    with pytest.raises(CommandFailed, match="boom"):
        run_measured(command, env={}, cwd=tmp_path, log=tmp_path / "log.txt")


def test_dbt_model_seconds_sums_models_only(tmp_path: Path) -> None:
    results = tmp_path / "run_results.json"
    results.write_text(
        json.dumps(
            {
                "results": [
                    {"unique_id": "model.lead_scoring.a", "execution_time": 1.5},
                    {"unique_id": "model.lead_scoring.b", "execution_time": 2.0},
                    {"unique_id": "test.lead_scoring.not_null_a_x.123", "execution_time": 9.0},
                ]
            }
        )
    )
    assert dbt_model_seconds(results) == (3.5, {"a": 1.5, "b": 2.0})
    assert dbt_seconds(results, "test") == (9.0, {"not_null_a_x.123": 9.0})


# --- the reference computations on hand-made raw files --------------------------------------------


def _write(folder: Path, name: str, rows: list[dict[str, str | None]]) -> None:
    columns = raw_contract()[name]
    (folder / name).mkdir(parents=True, exist_ok=True)
    values = ", ".join(
        "(" + ", ".join("null" if row.get(c) is None else "'" + str(row[c]) + "'" for c in columns) + ")"
        for row in rows
    )
    names = ", ".join(columns)
    text = ", ".join(f"cast({c} as varchar) as {c}" for c in columns)
    target = folder / name / "part-0.parquet"
    duckdb.execute(
        f"copy (select {text} from (values {values}) as t({names})) to '{target}' (format parquet)"
    )


def _lead(lead_id: str, **more: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = {c: None for c in raw_contract()["leads"]}
    row.update(lead_id=lead_id, email=f"{lead_id.lower()}@acme.com", created_at="2026-01-05T10:00:00Z")
    row.update(more)
    return row


def _event(
    event_id: str, lead_id: str, event_type: str, occurred_at: str, **more: str | None
) -> dict[str, str | None]:
    row: dict[str, str | None] = {c: None for c in raw_contract()["events"]}
    row.update(event_id=event_id, lead_id=lead_id, event_type=event_type, occurred_at=occurred_at)
    row.update(more)
    return row


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds of the default model: email_open 2 points (half-life 30 days, cap 10), pricing page view
    10 (30 days, cap 20), time on site 0.5 a minute (30 days, cap 10), demo request 30 (90, cap 30)."""
    folder = tmp_path_factory.mktemp("raw")
    _write(
        folder,
        "leads",
        [
            _lead("L1"),
            _lead("L2", employee_count=" 1,200 "),
            _lead("L3", employee_count="-5"),  # rejected: its events are of an unknown lead
            _lead("L4", created_at="2026-07-01T08:00:00Z"),  # created after the as-of date
        ],
    )
    _write(
        folder,
        "events",
        [
            # L1: an open today (2), delivered twice (folded); a pricing view 30 days ago (10 * 0.5 = 5);
            # two minutes on a page today with odd spacing and case in the type (0.5 * 2 = 1)
            _event("e1", "L1", "email_open", "2026-06-30T09:00:00Z"),
            _event("e1", "L1", "email_open", "2026-06-30T09:00:00Z"),
            _event(
                "e2", "L1", "page_view", "2026-05-31 12:00:00", page_url="https://www.example.com/Pricing?x=1"
            ),
            _event(
                "e3",
                "L1",
                " Page View ",
                "2026-06-30T10:00:00+02:00",
                page_url="/blog/a",
                duration_seconds="120",
            ),
            # L1, not counted: after the as-of date, unparseable time, junk duration, deliveries that disagree
            _event("e4", "L1", "demo_request", "2026-07-01T09:00:00Z"),
            _event("e5", "L1", "demo_request", "yesterday"),
            _event(
                "e6", "L1", "page_view", "2026-06-30T09:00:00Z", page_url="/pricing", duration_seconds="abc"
            ),
            _event("e7", "L1", "demo_request", "2026-06-30T09:00:00Z"),
            _event("e7", "L1", "demo_request", "2026-06-29T09:00:00Z"),
            # L2: a demo request 90 days ago (30 * 0.5 = 15) and six opens on one day (12, capped at 10)
            _event("e8", "L2", "demo_request", "2026-04-01T09:00:00Z"),
            *[_event(f"e9{i}", "L2", "email_open", "2026-06-30T08:00:00Z") for i in range(6)],
            # unknown, rejected and not-yet-created leads, and ids differing only in case
            _event("e10", "L99", "demo_request", "2026-06-30T09:00:00Z"),
            _event("e11", "L3", "demo_request", "2026-06-30T09:00:00Z"),
            _event("e12", "L4", "demo_request", "2026-06-30T09:00:00Z"),
            _event("E13", "L2", "demo_request", "2026-06-30T09:00:00Z"),
            _event("e13", "L2", "demo_request", "2026-06-30T09:00:00Z"),
        ],
    )
    return folder


EXPECTED = {
    ("default", "L1"): 2 + 5 + 1,
    ("default", "L2"): 15 + 10,
    # pql (seeds/scoring): only its pricing signal (5 points, half-life 30) and demo request (20,
    # half-life 90) match these events: L1's pricing view 30 days ago 5 * 0.5, L2's demo request
    # 90 days ago 20 * 0.5; opens and time on site earn nothing in pql
    ("pql", "L1"): 5 * 0.5,
    ("pql", "L2"): 20 * 0.5,
}


def test_statement_scores_the_hand_made_raw_files(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "statement.parquet"
    run_statement(raw, AS_OF, out, memory_limit="1GB", threads=1, now=NOW)
    rows = duckdb.sql(f"select scoring_model, lead_id, behavioral_score from '{out}'").fetchall()
    scores = {(model, lead): score for model, lead, score in rows}
    assert scores.keys() == EXPECTED.keys()
    for key, expected in EXPECTED.items():
        assert scores[key] == pytest.approx(expected, abs=1e-9)


def test_pandas_scores_the_hand_made_raw_files(raw: Path) -> None:
    scores = behavioral_scores(raw, AS_OF, now=NOW)
    found = {(row.scoring_model, row.lead_id): row.behavioral_score for row in scores.itertuples()}
    assert found.keys() == EXPECTED.keys()
    for key, expected in EXPECTED.items():
        assert found[key] == pytest.approx(expected, abs=1e-9)


def test_like_to_regex() -> None:
    assert like_to_regex("/pricing%") == "/pricing.*"
    assert like_to_regex("/a_b.c%") == r"/a.b\.c.*"


def test_extra_day_adds_one_file_of_the_next_day(raw: Path, tmp_path: Path) -> None:
    day = AS_OF + dt.timedelta(days=1)
    out = tmp_path / extra_day_name(day)
    counts = write_extra_day(raw / "events", day, out, days=10)
    rows = duckdb.sql(f"select * from '{out}'").fetchall()
    columns = [c[0] for c in duckdb.sql(f"describe select * from '{out}'").fetchall()]
    assert columns == list(raw_contract()["events"])
    assert counts["rows"] == len(rows) and counts["new"] >= 1
    new_ids = [row[0] for row in rows if row[0].startswith("evt_x")]
    assert all(
        row[3].startswith(day.isoformat())
        for row in rows
        if row[0].startswith("evt_x") and counts["late"] == 0
    )
    assert len(set(new_ids)) == counts["new"]
    copy = raw / "events" / out.name
    copy.write_bytes(out.read_bytes())
    assert remove_extra_days(raw / "events") == [copy]
    assert not copy.exists()


def test_extra_hour_is_a_share_of_the_day_with_its_own_ids(raw: Path, tmp_path: Path) -> None:
    day = AS_OF + dt.timedelta(days=1)
    whole = write_extra_day(raw / "events", day, tmp_path / extra_day_name(day), days=1)
    hour_file = tmp_path / extra_hour_name(day)
    hour = write_extra_day(raw / "events", day, hour_file, days=1, seed=11, share=1 / 24, id_prefix="evt_h")
    assert hour["new"] == max(1, round(whole["new"] / 24))
    ids = [row[0] for row in duckdb.sql(f"select event_id from '{hour_file}'").fetchall()]
    assert len({event_id for event_id in ids if event_id.startswith("evt_h")}) == hour["new"]
    assert not any(event_id.startswith("evt_x") for event_id in ids)


def test_floor_rescores_the_kept_states_by_hand(tmp_path: Path) -> None:
    """One lead, as of 2026-06-30: a demo request state of 1 unit from 2026-06-20 (half-life 10
    days: 0.5 left, x 30 points = 15, under its cap 20), page views of 4 units from 2026-06-30 (x 5
    = 20, capped at 10), an older page-view period that ended and a fit row, both not read: 25
    points, 20 after the component cap. A lead outside the population is not scored."""
    database = tmp_path / "floor.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema intermediate; create schema seeds")
        connection.execute(
            "create table intermediate.int_lead_signal_states as select * from (values "
            "(date '2026-06-20', null, 'default', 'behavioral', 'demo', 'L1', 1.0), "
            "(date '2026-06-30', null, 'default', 'behavioral', 'views', 'L1', 4.0), "
            "(date '2026-06-01', date '2026-06-30', 'default', 'behavioral', 'views', 'L1', 9.0), "
            "(date '2026-06-01', null, 'default', 'fit', 'size', 'L1', 1.0), "
            "(date '2026-06-30', null, 'default', 'behavioral', 'demo', 'L9', 1.0)) "
            "as t(valid_from_date, valid_to_date, scoring_model, component, signal_id, lead_id, "
            "decayed_units)"
        )
        connection.execute(
            "create table intermediate.int_scoring_event_signals as select * from (values "
            "('default', 'behavioral', 'demo', 30.0, 10, 20.0), "
            "('default', 'behavioral', 'views', 5.0, null, 10.0), "
            "('default', 'fit', 'size', 50.0, null, null)) "
            "as t(scoring_model, component, signal_id, points_per_unit, half_life_days, cap_points)"
        )
        connection.execute(
            "create table intermediate.int_scoring_population as select * from (values "
            "(date '2026-06-30', 'default', 'L1'), (date '2026-06-29', 'default', 'L9')) "
            "as t(as_of_date, scoring_model, lead_id)"
        )
        connection.execute(
            "create table seeds.scoring_models as select 'default' as scoring_model, "
            "cast(20 as decimal(18, 4)) as behavioral_cap_points"
        )
        rows = connection.execute(floor_sql(AS_OF)).fetchall()
    assert rows == [("default", "L1", pytest.approx(25.0), pytest.approx(20.0))]


# --- replay ------------------------------------------------------------------------------------


def test_split_events_writes_the_earlier_events_and_one_file_per_replayed_day(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "leads.csv").write_text("lead_id\nL1\n")
    (raw / "events.csv").write_text(
        "event_id,lead_id,event_type,occurred_at,page_url,duration_seconds\n"
        "E1,L1,email_open,2026-06-27T10:00:00Z,,\n"
        "E2,L1,email_open,not a date,,\n"
        "E3,L1,email_open, 2026-06-29T10:00:00Z,,\n"
        "E4,L1,email_open,2026-06-30T10:00:00Z,/a,5\n"
        "E5,L1,email_open,2026-06-30T11:00:00Z,,\n"
    )
    files = split_events(raw, tmp_path / "out", AS_OF, days=2)

    def ids(path: Path) -> list[str]:
        with duckdb.connect() as connection:
            query = f"select event_id from read_parquet('{path}') order by event_id"
            return [row[0] for row in connection.execute(query).fetchall()]

    assert [(day.isoformat(), path.name) for day, path in files] == [
        ("2026-06-29", "day-2026-06-29.parquet"),
        ("2026-06-30", "day-2026-06-30.parquet"),
    ]
    assert ids(tmp_path / "out" / "events" / "earlier.parquet") == ["E1", "E2"]
    assert [ids(path) for _, path in files] == [["E3"], ["E4", "E5"]]
    assert (tmp_path / "out" / "leads.csv").read_text() == "lead_id\nL1\n"
    assert not (tmp_path / "out" / "events.csv").exists()


def test_skip_names_the_steps_to_leave_out_and_refuses_others() -> None:
    assert parse_args(["--skip", "live, backfill"]).skip == {"live", "backfill"}
    assert parse_args([]).skip == set()
    with pytest.raises(SystemExit):
        parse_args(["--skip", "main"])


def test_rows_equal_takes_last_bit_differences_but_not_real_ones() -> None:
    # 2^-10 and a value a few bits above it: round(, 9) gives 0.000976562 and 0.000976563; the replay
    # of the 20,000-lead sample split 17 ledger rows that way; a relative 1e-9 keeps them equal
    exact = 0.0009765625
    above = exact + 2**-60
    assert round(exact, 9) != round(above, 9)
    assert rows_equal([("L1", exact, None)], [("L1", above, None)])
    # order does not matter, duplicates count
    assert rows_equal([("L1", 1.0), ("L2", 2.0)], [("L2", 2.0), ("L1", 1.0)])
    assert not rows_equal([("L1", 1.0), ("L1", 1.0)], [("L1", 1.0)])
    # a real difference in a float, an exact value or a null is found
    assert not rows_equal([("L1", 1.0)], [("L1", 1.0 + 1e-6)])
    assert not rows_equal([("L1", 1.0)], [("L2", 1.0)])
    assert not rows_equal([("L1", None)], [("L1", 0.0)])


def test_cutoff_cost_scales_by_the_cutoffs_the_main_job_scored(tmp_path: Path):
    """With 7 cutoffs scored (the data covers 7 of the 12 the var asks for), the live path with all
    of them minus the one with a single cutoff is 6 cutoffs: 122.4 s x 7 / 6 = 142.8 s."""
    bench = Bench(Run(1000, 365, 50.0, 42, dt.date(2026, 12, 3), tmp_path, "4GB", 2))
    bench.steps["live"] = report.Step("live", "live", wall_s=700.0, peak_mb=1.0, model_s=900.3)
    bench.steps["live_one_cutoff"] = report.Step(
        "live_one_cutoff", "one", wall_s=600.0, peak_mb=1.0, model_s=777.9
    )
    bench.facts["backtest_cutoffs"] = 7
    cutoffs_s, one_s = bench.cutoff_cost()
    assert one_s == 777.9
    assert cutoffs_s == pytest.approx(122.4 * 7 / 6)
    bench.facts["backtest_cutoffs"] = 1
    assert bench.cutoff_cost() == (None, None)
