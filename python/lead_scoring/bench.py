"""Benchmark the whole pipeline at scale and print the measured table.

Usage::

    python -m lead_scoring.bench --leads 1000000 --days 365 --work /tmp/lead-scoring-bench

Generates Parquet sample data (skipped when the work folder already has it), runs the dbt models on
DuckDB (seeds and models; tests are not part of the timing), then rescores the live score for another
date from the compact state (``int_lead_signal_days``) without re-reading the events, and prints one
table: wall seconds per step and per heavy model, rows, and the peak memory of the dbt process.
Nothing is asserted: the numbers are the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stdout.write(completed.stdout[-4000:])
        sys.stderr.write(completed.stderr[-4000:])
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started


def _model_timings(target: Path) -> list[tuple[str, float]]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return [
        (result["unique_id"].split(".")[-1], result["execution_time"])
        for result in results
        if result["unique_id"].startswith("model.")
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--events-per-lead", type=float, default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/lead-scoring-bench"))
    parser.add_argument("--top", type=int, default=12, help="how many of the slowest models to list")
    args = parser.parse_args(argv)

    raw = args.work / "raw"
    database = args.work / "bench.duckdb"
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str]] = []

    if not (raw / "events").exists():
        command = [sys.executable, "-m", "lead_scoring.generate", "--leads", str(args.leads)]
        command += ["--days", str(args.days), "--out", str(raw), "--format", "parquet"]
        if args.events_per_lead:
            command += ["--events-per-lead", str(args.events_per_lead)]
        seconds = _run(command, dict(os.environ))
        rows.append(("generate sample data (parquet)", f"{seconds:,.1f}", ""))

    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(REPO),
        "LEAD_SCORING_DUCKDB_PATH": str(database),
        "DBT_TARGET_PATH": str(args.work / "target"),
        "DBT_LOG_PATH": str(args.work / "logs"),
    }
    dbt = str(Path(sys.executable).with_name("dbt"))
    today = dt.datetime.now(dt.UTC).date()
    variables = f'{{raw_data_path: "{raw}", score_as_of: "{today}"}}'
    database.unlink(missing_ok=True)
    seconds = _run([dbt, "build", "--exclude-resource-type", "test", "unit_test", "--vars", variables], env)
    rows.append(("dbt build: seeds + all models (no tests)", f"{seconds:,.1f}", ""))
    timings = sorted(_model_timings(args.work / "target"), key=lambda item: -item[1])

    with duckdb.connect(str(database), read_only=True) as connection:
        counts = {
            name: connection.sql(f"select count(*) from {schema}.{name}").fetchone()[0]
            for schema, name in connection.sql(
                "select table_schema, table_name from information_schema.tables "
                "where table_type = 'BASE TABLE'"
            ).fetchall()
        }
    for name, model_seconds in timings[: args.top]:
        rows.append((f"  model {name}", f"{model_seconds:,.1f}", f"{counts.get(name, 0):,}"))

    yesterday = today - dt.timedelta(days=1)
    rescore_vars = f'{{raw_data_path: "{raw}", score_as_of: "{yesterday}"}}'
    select = ["int_leads_fit_scored", "int_leads_behavior_scored", "int_leads_negative_scored"]
    select += ["fct_lead_score_ledger", "fct_lead_scores"]
    seconds = _run([dbt, "run", "--select", *select, "--vars", rescore_vars], env)
    rescored = dict(_model_timings(args.work / "target"))
    rows.append(("rescore as of another day from the compact state", f"{seconds:,.1f}", ""))
    for name in ("fct_lead_score_ledger", "fct_lead_scores"):
        rows.append((f"  model {name}", f"{rescored.get(name, 0):,.1f}", ""))

    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    rows.append(("peak memory of one child process (GB)", f"{peak_gb:,.1f}", ""))
    rows.append(("DuckDB file (GB)", f"{database.stat().st_size / 1024**3:,.2f}", ""))

    width = max(len(row[0]) for row in rows)
    print(
        f"\nleads={args.leads:,} days={args.days} events={counts.get('stg_marketing__events', 0):,} "
        f"cores={os.cpu_count()}"
    )
    print(f"| {'step':<{width}} | seconds | rows |")
    print(f"|{'-' * (width + 2)}|---------|------|")
    for step, value, count in rows:
        print(f"| {step:<{width}} | {value:>7} | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
