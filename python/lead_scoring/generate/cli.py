"""The command line: ``python -m lead_scoring.generate --leads N --days D --out DIR [...]``."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path

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
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines, only the totals")
    args = parser.parse_args(argv)
    if args.leads < 1 or args.days < 1:
        parser.error("--leads and --days must be at least 1")
    started = time.perf_counter()
    counts = generate(
        args.out,
        leads=args.leads,
        days=args.days,
        seed=args.seed,
        end_date=args.end_date,
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
    return 0
