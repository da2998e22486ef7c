"""Backfill the score history to the last N days, in runs that each fit in memory.

    lead-scoring backfill --days 90 [--vars '{raw_data_path: data/raw}'] [--target postgres]
    make backfill DAYS=90

A run of the project scores every lead at every as-of date it lists in one statement per model, so
the dates of one run must fit in the warehouse's memory (at 1,000,000 leads, 81 dates at once ran
out of a 4 GB DuckDB limit). A run therefore adds at most `history_backfill_days_per_run` (a var,
default 30) of the history days older than the table's first day, the newest first. This command
runs as many builds as the backfill needs:

1. Reads the history's first day and the live date with `dbt show` (run it on a built warehouse).
2. While the history starts after the first day of the last --days days, builds only the path to
   the history (`dbt build --select int_scoring_dates+,+fct_lead_score_history --indirect-selection
   cautious`: the states, the population, the component ledgers, the scores by date and the
   history, with the data tests on them alone),
   with score_history_days = --days. It stops with an error when a run did not move the first day
   back (nothing would change on the next run either).
3. Builds everything downstream of the scoring dates once (`dbt build --select int_scoring_dates+`):
   the transitions, the tier history, the live marts and the reports then read the whole history.

On DuckDB (the default target) the backfill writes the warehouse as `make build` does: under the
writer lock `<warehouse>.lock` (a build, export or second backfill waits for it, and it waits for
them, at most LEAD_SCORING_BUILD_LOCK_WAIT seconds), every step on one working copy of the file,
which is renamed over the warehouse only after the last step passed. A failing model or test, Ctrl-C
or a kill leaves the published warehouse as it was (its history, transitions and tier history
covering the same days); the next writer removes a killed backfill's copy. On PostgreSQL and Spark
the steps build in place, as dbt does there: the days written by the steps before a failure stay
(each step adds whole days). Exit code: 0 when the history covers the days, dbt's own code when a
build failed, 1 when the history did not grow, 75 when another writer held the lock, 130 / 143
when interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from lead_scoring.atomic.build import warehouse_from_environment
from lead_scoring.atomic.building import Terminated, building_copy, sigterm_unwinds
from lead_scoring.atomic.lock import WarehouseBusy, writer_lock
from lead_scoring.common.dbt_executable import dbt_executable
from lead_scoring.common.progress import Progress

REPO = Path(__file__).resolve().parents[3]
HISTORY_PATH = "int_scoring_dates+,+fct_lead_score_history"
EVERYTHING_AFTER_DATES = "int_scoring_dates+"
BOUNDS_QUERY = (
    "select cast(min(score_date) as {{ dbt.type_string() }}) as first_day, "
    "cast('{{ score_as_of_iso() }}' as {{ dbt.type_string() }}) as live_day "
    "from {{ ref('fct_lead_score_history') }}"
)


class BackfillError(RuntimeError):
    """The backfill cannot go on; the message says why."""


@dataclass(frozen=True)
class Bounds:
    live_day: dt.date
    first_day: dt.date | None  # None: an empty history


def history_bounds(show_output: str) -> tuple[str | None, str]:
    """(first day or None, live day) from the JSON that `dbt --quiet show --output json` printed."""
    start = show_output.find("{")
    if start < 0:
        raise BackfillError(f"dbt show printed no JSON:\n{show_output[-2000:]}")
    rows = json.loads(show_output[start:])["show"]
    if len(rows) != 1:
        raise BackfillError(f"dbt show returned {len(rows)} rows, expected 1")
    return rows[0]["first_day"], rows[0]["live_day"]


def first_day_to_reach(live_day: dt.date, days: int) -> dt.date:
    return live_day - dt.timedelta(days=days - 1)


class Backfill:
    def __init__(self, dbt: str, dbt_vars: dict[str, object], days: int, target: str | None) -> None:
        self.dbt = dbt
        self.vars = {**dbt_vars, "score_history_days": days}
        self.days = days
        self.target = ["--target", target] if target else []
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(REPO)),
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        # subprocess options of the dbt runs (on DuckDB: they hold the writer lock too)
        self.child_options: dict[str, object] = {}
        # a line with its seconds as each build ends (a build at 1,000,000 leads takes minutes)
        self.progress = Progress(lambda line: print(line, flush=True))

    def dbt_command(self, *arguments: str) -> list[str]:
        return [self.dbt, *arguments, *self.target, "--vars", json.dumps(self.vars, default=str)]

    def bounds(self) -> Bounds:
        command = self.dbt_command(
            "--quiet", "show", "--inline", BOUNDS_QUERY, "--output", "json", "--limit", "1"
        )
        result = subprocess.run(
            command, cwd=REPO, env=self.env, capture_output=True, text=True, **self.child_options
        )
        if result.returncode != 0:
            raise BackfillError(
                "could not read the score history's first day (build the project first: make build); "
                "dbt show said:\n" + (result.stdout + result.stderr)[-2000:]
            )
        first, live = history_bounds(result.stdout)
        return Bounds(
            live_day=dt.date.fromisoformat(live[:10]),
            first_day=dt.date.fromisoformat(first[:10]) if first else None,
        )

    def build(self, select: str, step: str) -> None:
        # cautious: only the tests whose every parent is rebuilt (a test between the history path and
        # a model off it, e.g. account scores against the scoring dates, waits for the last build)
        command = self.dbt_command(
            "build",
            "--select",
            select,
            "--exclude-resource-type",
            "unit_test",
            "--indirect-selection",
            "cautious",
        )
        print("backfill: " + " ".join(command), flush=True)
        with self.progress.step(f"backfill: {step}"):
            result = subprocess.run(command, cwd=REPO, env=self.env, **self.child_options)
            if result.returncode != 0:
                raise SystemExit(result.returncode)

    def run_on_a_copy(self, warehouse: Path) -> int:
        """run() on a working copy of the DuckDB `warehouse`, under its writer lock, renamed over it
        when every step passed (lead_scoring.atomic)."""
        with writer_lock(warehouse, "backfill") as lock, building_copy(lock) as copy:
            self.env["LEAD_SCORING_DUCKDB_PATH"] = str(copy.path)
            self.child_options = lock.child_options()
            try:
                self.run()
            except SystemExit as failed:
                print(f"backfill: dbt build failed: {warehouse} was left as it was.", file=sys.stderr)
                return int(failed.code or 1)
            copy.publish()
        print(f"backfill: published {warehouse}", flush=True)
        return 0

    def run(self) -> int:
        bounds = self.bounds()
        goal = first_day_to_reach(bounds.live_day, self.days)
        steps = 0
        while bounds.first_day is None or bounds.first_day > goal:
            print(
                f"backfill: history starts {bounds.first_day or 'nowhere'}, to start {goal} "
                f"(the last {self.days} days to {bounds.live_day})",
                flush=True,
            )
            steps += 1
            self.build(HISTORY_PATH, f"history build {steps}")
            before, bounds = bounds, self.bounds()
            if bounds.first_day is None or (
                before.first_day is not None and bounds.first_day >= before.first_day
            ):
                raise BackfillError(
                    f"the history still starts {bounds.first_day or 'nowhere'} after a build: "
                    "it did not grow, so another run would not either (is score_as_of what you meant?)"
                )
        print(f"backfill: history starts {bounds.first_day}, after {steps} history builds", flush=True)
        self.build(EVERYTHING_AFTER_DATES, "everything after the scoring dates")
        return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lead-scoring backfill", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--days", type=int, required=True, help="the history's length in days, to score_as_of"
    )
    parser.add_argument(
        "--vars",
        default="{}",
        help="dbt vars as YAML or JSON (e.g. raw_data_path, score_as_of); score_history_days is --days",
    )
    parser.add_argument("--target", default=None, help="dbt target (default: the profile's)")
    parser.add_argument("--dbt", default=None, help="dbt executable (default: the one beside this Python)")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    try:
        args.vars = yaml.safe_load(args.vars) or {}
    except yaml.YAMLError as exc:
        parser.error(f"--vars is not YAML: {exc}")
    if not isinstance(args.vars, dict):
        parser.error("--vars must be a mapping, e.g. '{raw_data_path: data/raw}'")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    on_duckdb = (args.target or os.environ.get("LEAD_SCORING_TARGET") or "duckdb") == "duckdb"
    warehouse = warehouse_from_environment(REPO)  # dbt runs from the repository
    try:
        backfill = Backfill(args.dbt or dbt_executable(), args.vars, args.days, args.target)
        with sigterm_unwinds():
            return backfill.run_on_a_copy(warehouse) if on_duckdb else backfill.run()
    except WarehouseBusy as busy:
        print(busy, file=sys.stderr)
        return busy.exit_code
    except (BackfillError, FileNotFoundError) as exc:
        print(f"backfill: {exc}", file=sys.stderr)
        if on_duckdb:
            print(f"backfill: {warehouse} was left as it was.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"backfill interrupted: {warehouse} was left as it was.", file=sys.stderr)
        return 130
    except Terminated:
        print(f"backfill stopped (SIGTERM): {warehouse} was left as it was.", file=sys.stderr)
        return 143


if __name__ == "__main__":
    sys.exit(main())
