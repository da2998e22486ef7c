"""Incremental staging by raw file: a run parses only new or changed event files, deletes the rows of
changed and removed ones, re-checks leads and times on every read, and ends with exactly what a
full build of the same files gives."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES, copy_fixture, run_dbt

FIRST_DAY = "2026-06-28"
LAST_DAY = "2026-06-30"
MAIN_JOB = ["build", "--exclude-resource-type", "unit_test"]
# the fresh builds compared with: their rows only (the runs compared with them run every data test)
REFERENCE_JOB = ["build", "--exclude-resource-type", "unit_test", "test"]
# the runs move a day a time from FIRST_DAY to LAST_DAY; the history days a run keeps are scored
# again for the leads whose events changed (the history repair)
VARS = {"backtest_first_cutoff": "2026-05-22", "outcome_window_days": 5}
# with these vars the backtest cutoffs are 2026-05-22 and 2026-06-22 (scores as of the day before)
CUTOFFS = ["2026-05-21", "2026-06-21"]
COLUMNS = ["event_id", "lead_id", "event_type", "occurred_at", "page_url", "duration_seconds"]
# an event of its own file, before every anchor date the runs keep; run 2 re-delivers it in conflict
OLD_DEMO_REQUEST = ["E900", "L001", "demo_request", "2026-05-25T10:00:00Z", None, None]
# what is compared between the incremental warehouse and a full build of the same raw files
STAGING = {
    "staging.stg_marketing__events": "select * exclude (computed_at) from staging.stg_marketing__events",
    "staging.stg_marketing__event_rejects": "select * from staging.stg_marketing__event_rejects",
    "staging.stg_marketing__event_deliveries": (
        "select * exclude (loaded_at) from staging.stg_marketing__event_deliveries"
    ),
    # per-lead incremental: which run computed a row differs, the rows may not
    "intermediate.int_lead_signal_days": (
        "select * exclude (computed_at) from intermediate.int_lead_signal_days"
    ),
    "intermediate.int_lead_engagement_days": (
        "select * exclude (computed_at) from intermediate.int_lead_engagement_days"
    ),
    # kept between runs: a run writes only the cutoffs whose inputs changed
    "intermediate.int_backtest_lead_scores": "select * from intermediate.int_backtest_lead_scores",
    "intermediate.int_backtest_score_ledger": "select * from intermediate.int_backtest_score_ledger",
    "intermediate.int_backtest_scored_cutoffs": (
        "select * exclude (scored_at) from intermediate.int_backtest_scored_cutoffs"
    ),
}
# the models a run computes per lead (a row's computed_at says which run wrote it)
PER_LEAD = [
    "staging.stg_marketing__events",
    "intermediate.int_lead_signal_days",
    "intermediate.int_lead_engagement_days",
    "intermediate.int_lead_signal_anchor_states",
    "intermediate.int_lead_engagement_anchor_states",
]


def _fixture_events() -> list[list[str | None]]:
    with (FIXTURES / "messy" / "events.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    # Parquet has columns, not lines: pad or cut a line with a wrong field count
    return [(row + [None] * len(COLUMNS))[: len(COLUMNS)] for row in rows]


def _day(row: list[str | None]) -> str:
    text = (row[3] or "").strip()[:10]
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return "undated"


def _write_parquet(path: Path, rows: list[list[str | None]]) -> None:
    with duckdb.connect() as connection:
        connection.execute(f"create table rows ({', '.join(f'{c} varchar' for c in COLUMNS)})")
        if rows:
            connection.executemany(f"insert into rows values ({', '.join('?' * len(COLUMNS))})", rows)
        connection.execute(f"copy rows to '{path}' (format parquet)")


def _tables(database: Path) -> dict[str, set[tuple]]:
    def normalised(rows: list[tuple]) -> set[tuple]:
        return {tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows}

    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.sql(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('marts', 'reports') and table_type = 'BASE TABLE'"
        ).fetchall()
        queries = {name: f"select * from {name}" for (name,) in names} | STAGING
        return {name: normalised(connection.sql(query).fetchall()) for name, query in queries.items()}


def _loaded_at_by_file(database: Path) -> dict[str, dt.datetime]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            "select regexp_extract(raw_file_path, '[^/]+$'), min(loaded_at), max(loaded_at) "
            "from staging.base_marketing__event_deliveries group by all"
        ).fetchall()
    assert all(first == last for _, first, last in rows), "a file is staged whole, in one run"
    return {name: first for name, first, _ in rows}


def _scored_at_by_cutoff(database: Path) -> dict[str, dt.datetime]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            "select cast(as_of_date as varchar), scored_at from intermediate.int_backtest_scored_cutoffs"
        ).fetchall()
    return dict(rows)


def _computed_at_by_lead(database: Path) -> dict[str, dict[str, set[dt.datetime]]]:
    """Per per-lead incremental model, the runs that computed each lead's rows."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            model: {
                lead: set(runs)
                for lead, runs in connection.sql(
                    f"select lead_id, list(distinct computed_at) from {model} group by all"
                ).fetchall()
            }
            for model in PER_LEAD
        }


def _signal_days_computed_at(database: Path) -> dict[tuple[str, str], set[dt.datetime]]:
    """Per lead and day of int_lead_signal_days, the runs that computed its rows."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            (lead, day): set(runs)
            for lead, day, runs in connection.sql(
                "select lead_id, cast(activity_date as varchar), list(distinct computed_at) "
                "from intermediate.int_lead_signal_days group by all"
            ).fetchall()
        }


def _event_runs(database: Path) -> dict[str, dict[str, tuple[str | None, dt.datetime]]]:
    """Per event id, the lead and the run that folded it (base_marketing__events) and that staged it
    (stg_marketing__events)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            name: {event_id: (lead_id, at) for event_id, lead_id, at in connection.sql(query).fetchall()}
            for name, query in {
                "folded": "select event_id, lead_id, folded_at from staging.base_marketing__events",
                "staged": "select event_id, lead_id, computed_at from staging.stg_marketing__events",
            }.items()
        }


def _set_created_at(leads: Path, lead_id: str, created_at: str) -> None:
    with leads.open(newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("created_at")
    for row in rows[1:]:
        if row[0] == lead_id:
            row[column] = created_at
    with leads.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Five runs on one warehouse, a day apart while days are new, each on the raw files as
    delivered by then; the warehouse's tables after runs 2, 3 and 5 and a full build of the same
    files as of the same day."""
    folder = tmp_path_factory.mktemp("incremental_staging")
    raw = copy_fixture("messy", folder / "raw")
    (raw / "events.csv").unlink()
    events = raw / "events"
    events.mkdir()
    by_day: dict[str, list[list[str | None]]] = {}
    for row in _fixture_events():
        by_day.setdefault(_day(row), []).append(row)
    later = ["2026-06-29", "2026-06-30"]
    for day, rows in by_day.items():
        if day not in later:
            _write_parquet(events / f"day-{day}.parquet", rows)
    # L001's demo request before the anchor date the runs keep (2026-05-28 after run 1): the only
    # event of its lead day, taken away in run 2
    _write_parquet(events / "day-2026-05-25.parquet", [OLD_DEMO_REQUEST])
    database = folder / "incremental.duckdb"
    loaded: list[dict[str, dt.datetime]] = []
    computed: list[dict[str, dict[str, set[dt.datetime]]]] = []
    scored: list[dict[str, dt.datetime]] = []
    events_by_run: list[dict[str, dict[str, tuple[str | None, dt.datetime]]]] = []
    anchor_dates: list[str] = []
    signal_days: list[dict[tuple[str, str], set[dt.datetime]]] = []
    compared: dict[str, tuple[dict[str, set[tuple]], dict[str, set[tuple]]]] = {}

    def run(as_of: str) -> None:
        run_dbt(MAIN_JOB, database, raw, score_as_of=as_of, extra_vars=VARS)
        with duckdb.connect(str(database), read_only=True) as connection:
            anchor_dates.append(
                connection.sql(
                    "select cast(max(anchor_date) as varchar) from intermediate.int_lead_signal_anchor_states"
                ).fetchone()[0]
            )
        loaded.append(_loaded_at_by_file(database))
        computed.append(_computed_at_by_lead(database))
        signal_days.append(_signal_days_computed_at(database))
        scored.append(_scored_at_by_cutoff(database))
        events_by_run.append(_event_runs(database))

    def compare(name: str, as_of: str) -> None:
        """The warehouse's tables now, and a full build's of the same files as of the same day (its
        history reaching back as far as the warehouse's: it keeps every day it scored)."""
        full = folder / name / "full.duckdb"
        full.parent.mkdir()
        history_days = (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(FIRST_DAY)).days + 14
        extra = VARS | {"score_history_days": history_days}
        run_dbt(REFERENCE_JOB, full, raw, score_as_of=as_of, extra_vars=extra)
        compared[name] = (_tables(full), _tables(database))

    # run 1: everything up to 2026-06-28
    run(FIRST_DAY)

    # run 2, a day later: a new day, plus a file re-delivering an old event exactly, one in
    # conflict and one naming another lead (L003's unsubscribe E007 is no longer L003's), and one
    # in conflict before the kept anchor date: E900 leaves L001's day 2026-05-25 without events, a
    # day with no row left to say it changed (the anchor rolls L001 again from all its days)
    _write_parquet(events / "day-2026-06-29.parquet", by_day["2026-06-29"])
    _write_parquet(
        events / "redelivered.parquet",
        [
            ["E006", "L003", "webinar_attended", "2026-06-20T15:00:00Z", None, "3600"],
            ["E008", "L004", "page_view", "2026-06-25T15:00:00Z", "/careers/jobs/456", "30"],
            ["E007", "L004", "email_unsubscribe", "2026-06-21T15:00:00Z", None, None],
            [*OLD_DEMO_REQUEST[:3], "2026-05-26T10:00:00Z", *OLD_DEMO_REQUEST[4:]],
        ],
    )
    run("2026-06-29")
    compare("after_run_2", "2026-06-29")

    # run 3, a day later: a new day; the orphan event E009's lead L999 (created 2026-06-20) arrives
    # in the leads export, and L002 was created later than exported before (after its demo request
    # E003)
    _write_parquet(events / "day-2026-06-30.parquet", by_day["2026-06-30"])
    with (raw / "leads.csv").open("a", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "L999",
                "nine@example.org",
                "Nine",
                "Late",
                "CTO",
                "Late Co",
                "software",
                "50",
                "",
                "US",
                "web",
                "2026-06-20T00:00:00Z",
                "2026-06-20T00:00:00Z",
            ]
        )
    _set_created_at(raw / "leads.csv", "L002", "2026-05-01T12:00:00Z")
    run(LAST_DAY)
    compare("after_run_3", LAST_DAY)

    # run 4: an old file rewritten (another page for E004), another one gone. Both change the
    # score of every history day: the run repairs the history of the leads concerned
    # (int_score_history_changed_leads)
    rewritten = [
        [*row[:4], "/pricing", *row[5:]] if row[0] == "E004" else row for row in by_day["2026-06-01"]
    ]
    _write_parquet(events / "day-2026-06-01.parquet", rewritten)
    (events / "day-2026-05-01.parquet").unlink()
    run(LAST_DAY)

    # run 5: nothing new
    run(LAST_DAY)
    compare("after_run_5", LAST_DAY)
    return {
        "day_leads": {day: {row[1] for row in by_day[day]} for day in later},
        "incremental": database,
        "loaded": loaded,
        "computed": computed,
        "scored": scored,
        "events": events_by_run,
        "anchor_dates": anchor_dates,
        "signal_days": signal_days,
        "compared": compared,
    }


def test_each_run_parses_only_new_and_changed_files(replay: dict[str, object]):
    first, second, third, fourth, fifth = replay["loaded"]
    assert "day-2026-06-29.parquet" not in first
    # run 2 parsed its two new files and left every file of run 1 as it was
    assert {name for name in second if second[name] != first.get(name)} == {
        "day-2026-06-29.parquet",
        "redelivered.parquet",
    }
    assert {name for name in third if third[name] != second.get(name)} == {"day-2026-06-30.parquet"}
    # run 4: the rewritten file was parsed; the removed file's rows are gone
    assert {name for name in fourth if fourth[name] != third.get(name)} == {"day-2026-06-01.parquet"}
    assert "day-2026-05-01.parquet" not in fourth
    assert fifth == fourth


def _recomputed(before: dict[str, set[dt.datetime]], after: dict[str, set[dt.datetime]]) -> set[str]:
    return {lead for lead, runs in after.items() if runs != before.get(lead)}


def test_per_lead_models_compute_again_only_the_leads_that_changed(replay: dict[str, object]):
    first, second, third, fourth, fifth = replay["computed"]
    for model in PER_LEAD:
        assert len(set().union(*first[model].values())) == 1, model  # run 1 computes every lead
        # run 2 brought the new day's leads' events, L003's (a re-delivery, and its unsubscribe
        # taken by a conflicting re-delivery naming L004) and L004's: nobody else is computed again
        assert _recomputed(first[model], second[model]) <= replay["day_leads"]["2026-06-29"] | {
            "L003",
            "L004",
        }, model
        # run 3: the new day's leads; L999 arrived; L002's creation time changed
        assert _recomputed(second[model], third[model]) <= replay["day_leads"]["2026-06-30"] | {
            "L002",
            "L999",
        }, model
        # run 4 rewrote and removed raw files: every lead is computed again
        assert _recomputed(third[model], fourth[model]) == set(fourth[model]), model
        assert _recomputed(fourth[model], fifth[model]) == set(), model  # run 5 brought nothing
    # the signal days are computed again per lead day: run 2 wrote L003's day of the exact
    # re-delivery (E006, 2026-06-20) again and kept its other days; E900's day is gone
    days_before, days_after = replay["signal_days"][:2]
    rewritten = {day for day, runs in days_after.items() if runs != days_before.get(day)}
    assert ("L003", "2026-06-20") in rewritten
    assert ("L003", "2026-06-22") in days_before and ("L003", "2026-06-22") not in rewritten
    assert ("L001", "2026-05-25") in days_before and ("L001", "2026-05-25") not in days_after
    staged = "staging.stg_marketing__events"
    assert {"L002", "L999"} <= _recomputed(second[staged], third[staged])
    # E900's day, taken away in run 2, is on or before the anchor date run 1 kept: only the fold
    # can tell the anchor that L001 changed there
    e900_day = OLD_DEMO_REQUEST[3][:10]
    assert e900_day <= replay["anchor_dates"][0] and e900_day < replay["anchor_dates"][1]
    # (an anchor that kept it would still count the demo request: the comparison with a full build
    # after run 2 fails on the scores)
    anchor = "intermediate.int_lead_signal_anchor_states"
    assert "L001" in first[anchor] and "L001" not in second[anchor]
    # the anchor rolled forward: the leads without new or changed signal days before its date kept
    # the states of run 1
    for anchor in ["int_lead_signal_anchor_states", "int_lead_engagement_anchor_states"]:
        anchor = f"intermediate.{anchor}"
        assert _recomputed(first[anchor], second[anchor]) < set(second[anchor]), anchor


def test_staged_events_are_staged_again_per_event_unless_their_lead_changed(
    replay: dict[str, object],
):
    """stg_marketing__events stages again the events folded by the run, not every event of their
    leads; every event of a lead whose staged lead changed (L002's creation time, L999's arrival)."""
    runs = replay["events"]

    def restaged(run: int) -> set[str]:
        before, after = runs[run - 1]["staged"], runs[run]["staged"]
        return {event_id for event_id, row in after.items() if row != before.get(event_id)}

    def folded_by(run: int) -> set[str]:
        before, after = runs[run - 1]["folded"], runs[run]["folded"]
        return {
            event_id for event_id, row in after.items() if row[1] != before.get(event_id, (None, None))[1]
        }

    def events_of(run: int, leads: set[str]) -> set[str]:
        return {event_id for event_id, (lead, _) in runs[run]["staged"].items() if lead in leads}

    # run 2: the new day's events and the re-delivered E006 (exact); E007 and E008 were re-delivered
    # with other content: their rows are gone
    assert restaged(1) == folded_by(1) & set(runs[1]["staged"])
    assert "E006" in restaged(1)
    assert {"E007", "E008"} <= set(runs[0]["staged"]) and not {"E007", "E008"} & set(runs[1]["staged"])
    # L003's events that were not delivered again kept the rows run 1 staged
    untouched = events_of(1, {"L003"}) - folded_by(1)
    assert untouched and not untouched & restaged(1)
    # run 3: the new day's events, and every event of L002 (created at another time) and L999
    assert restaged(2) == (folded_by(2) & set(runs[2]["staged"])) | events_of(2, {"L002", "L999"})
    assert events_of(2, {"L999"}) == {"E009"}
    # run 5 brought nothing: nothing is staged again
    assert not restaged(4)


def test_backtest_cutoffs_are_scored_again_only_when_their_inputs_change(
    replay: dict[str, object],
):
    first, second, third, fourth, fifth = replay["scored"]
    assert sorted(first) == CUTOFFS
    # run 2 changed events of 2026-06-20 to 2026-06-29 only (E007's lead, E008's page): the
    # cutoff as of 2026-05-21 keeps its scores, the one as of 2026-06-21 is scored again
    assert second["2026-05-21"] == first["2026-05-21"]
    assert second["2026-06-21"] > first["2026-06-21"]
    # run 3 changed L002's creation (before both cutoffs) and brought L999 (created 2026-06-01);
    # run 4 removed the file of 2026-05-01: both are scored again each time
    assert all(third[cutoff] > second[cutoff] for cutoff in CUTOFFS)
    assert all(fourth[cutoff] > third[cutoff] for cutoff in CUTOFFS)
    assert fifth == fourth  # run 5 brought nothing


@pytest.mark.parametrize("after", ["after_run_2", "after_run_3", "after_run_5"])
def test_incremental_runs_end_where_a_full_build_of_the_same_files_does(
    replay: dict[str, object], after: str
):
    expected, actual = replay["compared"][after]
    assert expected.keys() == actual.keys()
    assert "marts.fct_lead_scores" in expected
    for name in expected:
        assert actual[name] == expected[name], name


def test_reads_follow_the_changes(replay: dict[str, object]):
    with duckdb.connect(str(replay["incremental"]), read_only=True) as connection:
        events = dict(
            connection.sql("select event_id, page_path from staging.stg_marketing__events").fetchall()
        )
        rejects = dict(
            connection.sql(
                "select event_id, reject_reason from staging.stg_marketing__event_rejects"
            ).fetchall()
        )
        deliveries = connection.sql(
            "select delivery_count from staging.stg_marketing__events where event_id = 'E006'"
        ).fetchone()[0]
    assert events["E004"] == "/pricing"  # the rewritten file's content
    assert "E003" not in events and "E003" not in rejects  # its file is gone
    assert "E009" in events  # its lead arrived: no longer an orphan
    assert deliveries == 2  # an exact re-delivery in another file is folded in
    assert rejects["E008"] == "conflicting deliveries of the same event_id"
    assert rejects["E007"] == "conflicting deliveries of the same event_id"
    assert rejects["E900"] == "conflicting deliveries of the same event_id"
