"""Benchmark the project at scale and print the measured table (make bench LEADS=...).

    lead-scoring bench --leads 1000000 [--work warehouse/bench-1000000] [--postgres]

In one run: generate Parquet sample data with the project's generator (skipped when the work folder
already has it for the same arguments), then measure wall seconds and the peak memory of the
process tree of

- the main job, `dbt build --exclude-resource-type unit_test`, on a fresh DuckDB file;
- one hand-written DuckDB statement computing the live behavioral score on the same raw files,
  checked to agree with the project's behavioral scores before any time is reported;
- at <= --pandas-max-events raw events, a plain pandas implementation of the same (also checked);
- the live scoring path, `dbt run --select +fct_lead_scores`, on a fresh DuckDB file (seeds loaded
  first, not timed);
- dbt's fixed overhead: `dbt parse` without partial parsing, and a run that selects nothing;
- an incremental `dbt build` after one more day of events (score_as_of one day later), its model
  and test time (run_results) apart from its wall time, checked against the statement at the new day;
- the floor: every lead rescored from the states the warehouse keeps, in one query (checked too);
- an hourly run: one more hour's events, `dbt build` with the same score_as_of (checked too);
- a history backfill of --backfill-days days on top of that build;
- the live path with one backtest cutoff, to price the cutoffs (the difference, scaled);
- with --postgres, the main job on PostgreSQL at --postgres-leads leads beside DuckDB.

Prints the machine, the steps (each against the statement and the floor), the issue's targets and
the slowest models and data tests of the main job, the incremental day and the hourly run; writes it
all as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from lead_scoring.bench import agreement, report
from lead_scoring.bench.extra_day import remove_extra_days
from lead_scoring.bench.measure import CommandFailed, machine
from lead_scoring.bench.project import REPO, Run, default_end_date, ensure_data, query_one, raw_event_count
from lead_scoring.bench.steps import BACKTEST_MODEL_PREFIXES, Bench

# Steps --skip can leave out (the cutoff run is also --no-cutoff-run).
SKIPPABLE = ("pandas", "live", "overhead", "hourly", "backfill", "cutoffs")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lead-scoring bench", description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--events-per-lead", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--end-date",
        type=dt.date.fromisoformat,
        default=None,
        help="last generated day = score_as_of of the main job (default: the data's, else two days ago)",
    )
    parser.add_argument(
        "--work", type=Path, default=None, help="work folder (default warehouse/bench-<leads>)"
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="where to write the results (default <work>/bench.json)"
    )
    parser.add_argument(
        "--memory-limit",
        default="4GB",
        help="DuckDB memory limit for dbt and the statement (default %(default)s)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="dbt threads and DuckDB threads of the statement (default %(default)s)",
    )
    parser.add_argument("--backfill-days", type=int, default=90)
    parser.add_argument(
        "--pandas-max-events",
        type=int,
        default=10_000_000,
        help="run the pandas implementation up to this many raw events",
    )
    parser.add_argument(
        "--no-cutoff-run", action="store_true", help="skip the live path with one cutoff (prices the cutoffs)"
    )
    parser.add_argument(
        "--skip",
        default="",
        help=f"comma-separated steps to leave out, of: {', '.join(SKIPPABLE)} (the main job, the statement "
        "and the incremental day always run)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also the main job on PostgreSQL beside DuckDB at --postgres-leads",
    )
    parser.add_argument("--postgres-leads", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=15, help="how many of the slowest models to list")
    args = parser.parse_args(argv)
    if args.leads < 1 or args.days < 2:
        parser.error("--leads must be at least 1 and --days at least 2")
    args.skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    if args.skip - set(SKIPPABLE):
        parser.error(
            f"--skip takes {', '.join(SKIPPABLE)}; not {', '.join(sorted(args.skip - set(SKIPPABLE)))}"
        )
    return args


def print_results(
    bench: Bench,
    scale: dict[str, object],
    target_list: list[report.Target],
    machine_info: dict[str, object],
    top: int,
) -> None:
    print()
    print(report.machine_line(machine_info))
    print(
        f"scale: {scale['leads']:,} leads, {scale['raw_events']:,} raw events, {scale['days']} days, "
        f"score_as_of {scale['score_as_of']}, DuckDB memory limit {scale['memory_limit']}, "
        f"{scale['threads']} dbt threads"
    )
    print()
    print(report.steps_table(bench.steps))
    print()
    for check in bench.agreements:
        print("agreement: " + check.summary())
    print()
    print(report.targets_table(target_list))
    print()
    print(report.models_table(bench.main_models, top))
    for name in ("incremental", "hourly"):
        if name in bench.model_times:
            print()
            print(report.models_table(bench.model_times[name], top, f"model ({name})"))
        if name in bench.test_times:
            print()
            print(report.models_table(bench.test_times[name], top, f"data test ({name})"))
    backtest = {name: s for name, s in bench.main_models.items() if name.startswith(BACKTEST_MODEL_PREFIXES)}
    if backtest:
        print()
        print(f"backtest and calibration models in the main job: {sum(backtest.values()):,.1f} s model time")
        print(report.models_table(backtest, len(backtest)))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work = (args.work or REPO / "warehouse" / f"bench-{args.leads}").absolute()
    work.mkdir(parents=True, exist_ok=True)
    end_date = args.end_date or default_end_date(work, args.leads, args.days, args.events_per_lead, args.seed)
    run = Run(
        args.leads,
        args.days,
        args.events_per_lead,
        args.seed,
        end_date,
        work,
        args.memory_limit,
        args.threads,
    )
    bench = Bench(run)
    machine_info = machine()
    bench.say(report.machine_line(machine_info))

    generated = ensure_data(run)
    if generated:
        bench.facts["generate_s"] = generated.wall_s
    remove_extra_days(run.raw / "events")
    raw_events = raw_event_count(run.raw)
    scale = {
        "leads": run.leads,
        "days": run.days,
        "events_per_lead": run.events_per_lead,
        "raw_events": raw_events,
        "score_as_of": end_date.isoformat(),
        "memory_limit": run.memory_limit,
        "threads": run.threads,
        "work": str(work),
    }
    try:
        bench.main_job()
        bench.facts["backtest_cutoffs"] = query_one(
            bench.main_db, "select count(*) from intermediate.int_backtest_cutoffs"
        )
        bench.reference(
            "statement",
            "single DuckDB statement (live behavioral score)",
            "lead_scoring.bench.statement",
            end_date,
            "main job",
        )
        if raw_events <= args.pandas_max_events and "pandas" not in args.skip:
            bench.reference(
                "pandas",
                "plain pandas (same computation)",
                "lead_scoring.bench.pandas_score",
                end_date,
                "main job",
            )
        if "live" not in args.skip:
            bench.live_path("live", "live path: dbt run --select +fct_lead_scores")
        if "overhead" not in args.skip:
            bench.overhead()
        bench.incremental()
        next_day = end_date + dt.timedelta(days=1)
        bench.floor(next_day, "after the incremental run")
        if "hourly" not in args.skip:
            bench.hourly()
        if "backfill" not in args.skip:
            bench.backfill(args.backfill_days)
        if not args.no_cutoff_run and "cutoffs" not in args.skip:
            bench.live_path(
                "live_one_cutoff",
                "live path with 1 backtest cutoff (prices the cutoffs)",
                backtest_cutoff_count=1,
            )
        if args.postgres:
            bench.postgres(args.postgres_leads)
    except agreement.Disagreement as exc:
        print(
            "\nbench: the reference computation does not reproduce the project's scores; "
            f"no times reported.\n{exc}",
            file=sys.stderr,
        )
        return 2
    except CommandFailed as exc:
        print(f"\nbench: {exc}", file=sys.stderr)
        return 1

    cutoffs_s, one_live_s = bench.cutoff_cost()
    overhead = bench.steps["noop"].wall_s if "noop" in bench.steps else None
    target_list = report.targets(bench.steps, cutoffs_s=cutoffs_s, one_live_scoring_s=one_live_s)
    print_results(bench, scale, target_list, machine_info, args.top)
    results = report.results_json(
        machine=machine_info,
        scale=scale,
        steps=bench.steps,
        target_list=target_list,
        agreements=[check.as_json() for check in bench.agreements],
        slowest_models=bench.main_models,
        extra={
            "facts": {
                **bench.facts,
                "cutoffs_model_s": cutoffs_s,
                "live_one_cutoff_model_s": one_live_s,
                "overhead_s": overhead,
            },
            "model_seconds_by_step": bench.model_times,
            "test_seconds_by_step": bench.test_times,
        },
    )
    json_path = args.json or work / "bench.json"
    report.write_json(json_path, results)
    print(f"\nresults written to {json_path}")
    return 0
