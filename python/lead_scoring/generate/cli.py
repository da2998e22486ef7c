"""The command line: ``python -m lead_scoring.generate --leads N --days D --out DIR [...]``.

``--shape salesforce|hubspot|segment --duckdb PATH`` also writes the same truth as connector tables
into the DuckDB file PATH (see ``connectors``); ``--shape files`` (the default) writes the files only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Sequence
from pathlib import Path

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lead_scoring.generate",
        description="Write deterministic, realistically messy sample raw data "
        "(leads, events, opportunities).",
    )
    parser.add_argument("--leads", type=int, required=True, help="number of distinct leads")
    parser.add_argument("--days", type=int, required=True, help="length of the period, in days")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced atomically)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
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
        choices=SHAPES,
        default="files",
        help="files (default): the raw files only; salesforce, hubspot, segment: also the same truth as "
        "that connector's tables in the DuckDB file --duckdb (the files stay the reference in --out)",
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
