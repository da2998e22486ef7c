"""The command line: ``lead-scoring generate --leads N --days D --out DIR [...]``.

``--shape salesforce|hubspot|segment --duckdb PATH`` also writes the same truth as connector tables
into the DuckDB file PATH (see ``connectors``); ``--shape files`` (the default) writes the files only;
``--shape export [--snapshot]`` writes the other sample instead, a lead export with one activity
snapshot per lead (see ``snapshot_sample``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Sequence
from pathlib import Path

from lead_scoring.generate import snapshot_sample
from lead_scoring.generate.connectors import SHAPES, shape_vars, write_connector_shape
from lead_scoring.generate.vocabulary import DEFAULT_EVENTS_PER_LEAD, DEFAULT_PRODUCT_LED_SHARE, DEFAULT_SEED
from lead_scoring.generate.writer import generate


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a share between 0 and 1, not {text!r}")
    return value


def _print_now(line: str) -> None:
    print(line, flush=True)


# the one-snapshot lead export: its own generator, not a view of the files' truth
EXPORT_SHAPE = "export"
# the options of the files' generator that the export shape does not take, with their defaults
NOT_FOR_EXPORT = {
    "format": "csv",
    "events_per_lead": DEFAULT_EVENTS_PER_LEAD,
    "product_led_share": DEFAULT_PRODUCT_LED_SHARE,
    "duckdb": None,
    "threads": None,
}


def _export_shape(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    given = [name for name, default in NOT_FOR_EXPORT.items() if getattr(args, name) != default]
    if given:
        options = ", ".join("--" + name.replace("_", "-") for name in given)
        parser.error(f"--shape {EXPORT_SHAPE} does not take {options}")
    counts = snapshot_sample.write_snapshot_sample(
        args.out,
        leads=snapshot_sample.DEFAULT_LEADS if args.leads is None else args.leads,
        days=snapshot_sample.DEFAULT_DAYS if args.days is None else args.days,
        end_date=args.end_date or dt.datetime.now(dt.UTC).date(),
        seed=snapshot_sample.DEFAULT_SEED if args.seed is None else args.seed,
        snapshot=args.snapshot,
    )
    for name, count in counts.items():
        print(f"{name:<16} {count:>10,}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lead-scoring generate",
        description="Write deterministic, realistically messy sample raw data "
        "(leads, events, opportunities).",
    )
    parser.add_argument(
        "--leads",
        type=int,
        help=f"number of distinct leads (required; --shape export: default {snapshot_sample.DEFAULT_LEADS})",
    )
    parser.add_argument(
        "--days",
        type=int,
        help="length of the period, in days "
        f"(required; --shape export: default {snapshot_sample.DEFAULT_DAYS})",
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced atomically)")
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help=f"random seed (default {DEFAULT_SEED}; --shape export: {snapshot_sample.DEFAULT_SEED})",
    )
    parser.add_argument(
        "--end-date", type=_date, default=None, help="last day of the period (default: today, UTC)"
    )
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)"
    )
    parser.add_argument(
        "--events-per-lead",
        type=float,
        default=DEFAULT_EVENTS_PER_LEAD,
        help="average number of events per lead, before re-delivered duplicates (default %(default)s)",
    )
    parser.add_argument(
        "--product-led-share",
        type=_share,
        default=DEFAULT_PRODUCT_LED_SHARE,
        help="share of leads in the product-led segment, with product usage events (default %(default)s; "
        "0: no product events)",
    )
    parser.add_argument(
        "--shape",
        choices=(*SHAPES, EXPORT_SHAPE),
        default="files",
        help="files (default): the raw files only; salesforce, hubspot, segment: also the same truth as "
        "that connector's tables in the DuckDB file --duckdb (the files stay the reference in --out); "
        "export: instead, the other sample, a lead export with one activity snapshot per lead "
        "(csv files; --format, --events-per-lead, --product-led-share, --duckdb and --threads are not "
        "for it)",
    )
    parser.add_argument(
        "--snapshot",
        action="store_true",
        help="with --shape export: one export taken on the end date, every outcome dated within days of it",
    )
    parser.add_argument(
        "--duckdb",
        type=Path,
        default=None,
        help="DuckDB file the connector tables are written into (schemas salesforce, hubspot, segment and "
        "lead_scoring_truth are replaced, nothing else is touched); required with a connector --shape",
    )
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines, only the totals")
    args = parser.parse_args(argv)
    if args.snapshot and args.shape != EXPORT_SHAPE:
        parser.error(f"--snapshot is for --shape {EXPORT_SHAPE}")
    if args.shape == EXPORT_SHAPE:
        return _export_shape(parser, args)
    missing = [option for option in ("leads", "days") if getattr(args, option) is None]
    if missing:
        parser.error("the following arguments are required: " + ", ".join("--" + name for name in missing))
    if args.seed is None:
        args.seed = DEFAULT_SEED
    if args.leads < 1 or args.days < 1:
        parser.error("--leads and --days must be at least 1")
    if args.shape != "files" and args.duckdb is None:
        parser.error(f"--shape {args.shape} writes connector tables: give the DuckDB file with --duckdb")
    if args.shape == "files" and args.duckdb is not None:
        parser.error("--duckdb is for a connector --shape (salesforce, hubspot, segment)")
    # fixed here so that the files and the connector tables share it
    end_date = args.end_date or dt.datetime.now(dt.UTC).date()
    started = time.perf_counter()
    counts = generate(
        args.out,
        leads=args.leads,
        days=args.days,
        seed=args.seed,
        end_date=end_date,
        fmt=args.format,
        events_per_lead=args.events_per_lead,
        threads=args.threads,
        product_led_share=args.product_led_share,
        progress=None if args.quiet else _print_now,
    )
    seconds = time.perf_counter() - started
    for name in ("leads", "events", "opportunities"):
        print(f"{name:<14} {counts[name]:>12,} rows")
    print(f"wrote {args.format} files to {args.out} in {seconds:.1f} s")
    if args.shape == "files":
        return 0
    started = time.perf_counter()
    tables = write_connector_shape(
        args.out,
        args.duckdb,
        args.shape,
        seed=args.seed,
        end_date=end_date,
        fmt=args.format,
        threads=args.threads,
        progress=None if args.quiet else _print_now,
    )
    seconds = time.perf_counter() - started
    for name, rows in tables.items():
        print(f"{name:<42} {rows:>12,} rows")
    print(f"wrote the {args.shape} shape to {args.duckdb} in {seconds:.1f} s")
    dbt_vars = shape_vars(args.shape)
    if args.shape == "segment":
        dbt_vars = {**dbt_vars, "raw_data_path": str(args.out)}
    print("dbt reads it with LEAD_SCORING_DUCKDB_PATH=" + str(args.duckdb) + " and")
    print("  --vars '" + json.dumps(dbt_vars) + "'")
    return 0
