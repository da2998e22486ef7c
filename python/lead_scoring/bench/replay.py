"""Replay the last days of a raw data set as daily deliveries on one warehouse and check that it ends
where one full build of the same data does, row for row.

    python -m lead_scoring.bench.replay --raw data/raw --days 3 [--work warehouse/replay]

The events are written as Parquet files, one per delivery, into a copy of the raw folder: the events
up to `--days` days before the last day (and those without a readable date) first, then one file per
day, added before that day's run. Each run is the main job (`dbt build` without unit tests) with
`score_as_of` the run's day, on the same DuckDB file, so each one is an incremental run: it stages
only the new file, rolls the states forward and adds the history day. Then the same files are built
once from scratch as of the last day (with the history length covering the replayed days) and every
mart and report table is compared (floats within a relative 1e-9). Prints a table of the runs (wall
and model seconds, files staged) and of the comparison; exits 1 when a table differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from lead_scoring.bench.measure import dbt_model_seconds, run_measured
from lead_scoring.bench.project import DBT, REPO
from lead_scoring.common.contract import raw_contract

HISTORY_DAYS = 14  # the default of the var score_history_days (dbt_project.yml)


def _sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _events_reader(raw: Path) -> str:
    csv_path = raw / "events.csv"
    if csv_path.exists():
        return f"read_csv({_sql_string(csv_path)}, all_varchar = true, header = true)"
    return f"read_parquet({_sql_string(raw / 'events' / '*.parquet')}, union_by_name = true)"


def split_events(raw: Path, out: Path, last_day: dt.date, days: int) -> list[tuple[dt.date, Path]]:
    """Copy the raw folder to `out` with the events as Parquet files: the earlier events in `out/events`,
    and one file per replayed day in `out/later/` (moved in by the replay). Returns (day, file)."""
    shutil.copytree(raw, out, ignore=shutil.ignore_patterns("events", "events.csv"))
    (out / "events").mkdir()
    (out / "later").mkdir()
    columns = ", ".join(f"cast({column} as varchar) as {column}" for column in raw_contract()["events"])
    day_of = "try_cast(substr(trim(occurred_at), 1, 10) as date)"
    first_replayed = last_day - dt.timedelta(days=days - 1)
    with duckdb.connect() as connection:
        connection.execute(f"create table events as select {columns} from {_events_reader(raw)}")
        connection.execute(
            f"copy (select * from events where {day_of} is null or {day_of} < {_sql_string(first_replayed)}) "
            f"to {_sql_string(out / 'events' / 'earlier.parquet')} (format parquet)"
        )
        files = []
        for offset in range(days):
            day = first_replayed + dt.timedelta(days=offset)
            path = out / "later" / f"day-{day.isoformat()}.parquet"
            connection.execute(
                f"copy (select * from events where {day_of} = {_sql_string(day)}) "
                f"to {_sql_string(path)} (format parquet)"
            )
            files.append((day, path))
    return files


def _build(database: Path, work: Path, name: str, dbt_vars: dict[str, object]) -> dict[str, object]:
    target = work / "target"
    env = {
        "DBT_PROFILES_DIR": str(REPO),
        "PYTHONPATH": str(REPO / "python"),
        "LEAD_SCORING_DUCKDB_PATH": str(database),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(work / "dbt_logs"),
        "DO_NOT_TRACK": "1",
    }
    command = [DBT, "build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]
    measured = run_measured(command, env={**os.environ, **env}, cwd=REPO, log=work / "logs" / f"{name}.log")
    model_s, _ = dbt_model_seconds(target / "run_results.json")
    with duckdb.connect(str(database), read_only=True) as connection:
        staged_files = connection.execute(
            "select count(distinct raw_file_path) from staging.base_marketing__event_deliveries "
            "where loaded_at = (select max(loaded_at) from staging.base_marketing__event_deliveries)"
        ).fetchone()[0]
    return {"run": name, "wall_s": measured.wall_s, "model_s": model_s, "files_staged": staged_files}


def tables(database: Path) -> dict[str, list[tuple]]:
    """Every mart and report table, its rows as tuples."""
    with duckdb.connect(str(database), read_only=True) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_schema in ('marts', 'reports') and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]
        return {name: connection.execute(f"select * from {name}").fetchall() for name in names}


def _sort_key(row: tuple) -> tuple:
    """Rows ordered by their exact values first (floats last), then by their floats; None sorts first."""
    exact = tuple((value is not None, str(value)) for value in row if not isinstance(value, float))
    floats = tuple((value is not None, value or 0.0) for value in row if isinstance(value, float))
    return exact + floats


def rows_equal(
    expected: list[tuple], actual: list[tuple], rel_tol: float = 1e-9, abs_tol: float = 1e-12
) -> bool:
    """The same rows, in any order: every value equal, floats within a relative tolerance. A rolled
    state and one computed from every day sum the same doubles in another order, so they can differ
    in the last bit; rounding both to a fixed number of decimals would still split a value that lies
    on the rounding boundary (0.0009765625, a power of two the half-lives produce)."""
    if len(expected) != len(actual):
        return False
    for left, right in zip(sorted(expected, key=_sort_key), sorted(actual, key=_sort_key), strict=True):
        if len(left) != len(right):
            return False
        for a, b in zip(left, right, strict=True):
            if isinstance(a, float) and isinstance(b, float):
                if not math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol):
                    return False
            elif a != b:
                return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lead_scoring.bench.replay", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--raw", type=Path, required=True, help="the raw folder (CSV or Parquet events)")
    parser.add_argument("--days", type=int, default=3, help="how many last days to replay one by one")
    parser.add_argument(
        "--last-day", type=dt.date.fromisoformat, required=True, help="the last day (score_as_of)"
    )
    parser.add_argument("--work", type=Path, default=REPO / "warehouse" / "replay")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    work = args.work.absolute()
    shutil.rmtree(work, ignore_errors=True)
    (work / "logs").mkdir(parents=True)
    raw = work / "raw"
    files = split_events(args.raw.absolute(), raw, args.last_day, args.days)
    history = {"score_history_days": HISTORY_DAYS + args.days - 1}

    runs = []
    daily = work / "daily.duckdb"
    for day, path in files:
        shutil.move(path, raw / "events" / path.name)
        runs.append(_build(daily, work, f"day {day}", {"raw_data_path": str(raw), "score_as_of": str(day)}))
    full = work / "full.duckdb"
    runs.append(
        _build(
            full,
            work,
            "full build",
            {"raw_data_path": str(raw), "score_as_of": str(args.last_day), **history},
        )
    )

    print(f"{'run':<16} {'wall s':>8} {'model s':>8} {'files staged':>13}")
    for run in runs:
        print(f"{run['run']:<16} {run['wall_s']:>8.1f} {run['model_s']:>8.1f} {run['files_staged']:>13}")
    expected, actual = tables(full), tables(daily)
    differ = sorted(
        name
        for name in expected.keys() | actual.keys()
        if name not in expected or name not in actual or not rows_equal(expected[name], actual[name])
    )
    print(f"\n{'table':<48} {'rows':>10}  same")
    for name in sorted(expected):
        print(f"{name:<48} {len(expected[name]):>10,}  {'no' if name in differ else 'yes'}")
    print(f"\n{len(expected) - len(differ)} of {len(expected)} tables equal a full build, row for row")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
