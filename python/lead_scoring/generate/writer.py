"""Writing a run: every file into a temporary folder next to the output, renamed into place at the end.

An interrupted run never leaves half-written files in the output folder; temporary folders of runs
that were killed are removed by the next run.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from lead_scoring.common.progress import Progress
from lead_scoring.generate import events, leads, opportunities, product
from lead_scoring.generate.context import Generation, create_macros_and_reference_tables
from lead_scoring.generate.vocabulary import (
    DEFAULT_EVENTS_PER_LEAD,
    DEFAULT_PRODUCT_LED_SHARE,
    DEFAULT_SEED,
    OWNED_ENTRIES,
)


def copy_to_file(
    con: duckdb.DuckDBPyConnection, query: str, path: Path, fmt: str, header: bool = True
) -> int:
    """Write the rows of `query` to `path` (CSV or Parquet); return how many."""
    if fmt == "parquet":
        options = "format parquet, compression zstd"
    else:
        options = f"format csv, header {'true' if header else 'false'}, delimiter ','"
    target = str(path).replace("'", "''")
    (count,) = con.execute(f"copy ({query}) to '{target}' ({options})").fetchone()
    return int(count)


def concatenate(parts: Sequence[Path], target: Path) -> None:
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, length=16 * 1024 * 1024)
            part.unlink()


def write_all(run: Generation, folder: Path, fmt: str, spill: Path, progress: Progress) -> dict[str, int]:
    """Build the hidden truth, then write leads, opportunities and events (chunk by chunk)."""
    con = run.con
    counts: dict[str, int] = {}
    create_macros_and_reference_tables(run)
    with progress.step("companies") as step:
        leads.build_companies(run)
        step["rows"] = run.n_companies
    with progress.step("leads") as step:
        leads.build_leads(run)
        step["rows"] = run.leads
    with progress.step("hidden truth (fit, intent, converters, product-led segment)") as step:
        leads.build_hidden_truth(run)
        product.build_segment(run)
        step["note"] = product.describe_segment(run)

    def target(name: str) -> Path:
        if fmt == "parquet":
            (folder / name).mkdir()
            return folder / name / "part-0.parquet"
        return folder / f"{name}.csv"

    with progress.step(f"write leads ({fmt})") as step:
        counts["leads"] = step["rows"] = copy_to_file(con, leads.leads_sql(run), target("leads"), fmt)
    with progress.step(f"write opportunities ({fmt})") as step:
        counts["opportunities"] = step["rows"] = copy_to_file(
            con, opportunities.opportunities_sql(run), target("opportunities"), fmt
        )

    chunks = events.event_chunks(run) or [(0, -1)]  # no events at all: still write the header/schema
    total = 0
    parts: list[Path] = []
    if fmt == "parquet":
        (folder / "events").mkdir()
    for i, (lo, hi) in enumerate(chunks):
        with progress.step(f"write events ({fmt}), chunk {i + 1} of {len(chunks)}") as step:
            events.prepare_events(run, lo, hi)
            if fmt == "parquet":
                path = folder / "events" / f"part-{i:05d}.parquet"
            elif len(chunks) == 1:
                path = folder / "events.csv"
            else:
                path = spill / f"events-{i:05d}.csv"
                parts.append(path)
            rows = copy_to_file(con, events.events_sql(run), path, fmt, header=(i == 0))
            step["rows"] = rows
            step["note"] = f"{product.chunk_event_count(run):,} product usage"
            total += rows
    if parts:
        with progress.step("concatenate events.csv") as step:
            concatenate(parts, folder / "events.csv")
            step["rows"] = total
    counts["events"] = total
    return counts


def remove_stale_temp_folders(out_dir: Path) -> None:
    """Remove temp folders left next to out_dir by killed runs (whose process no longer exists)."""
    prefix = f".{out_dir.name}.tmp-"
    for path in out_dir.parent.glob(f"{glob.escape(prefix)}*"):
        pid = path.name[len(prefix) :].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # alive, or not ours to probe
            continue


def swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace out_dir by tmp (two renames on the same file system)."""
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    if not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} exists and is not a folder")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in OWNED_ENTRIES)
    if foreign:
        raise FileExistsError(
            f"{out_dir} holds files this generator did not write ({', '.join(foreign[:5])}); "
            "refusing to replace it. Choose another --out or remove the folder."
        )
    old = tmp.with_name(tmp.name + ".old")
    os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def generate(
    out_dir: Path | str,
    leads: int,
    days: int,
    seed: int = DEFAULT_SEED,
    end_date: dt.date | None = None,
    fmt: str = "csv",
    events_per_lead: float = DEFAULT_EVENTS_PER_LEAD,
    threads: int | None = None,
    product_led_share: float = DEFAULT_PRODUCT_LED_SHARE,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write leads, events and opportunities into `out_dir`; return the row count of each.

    `fmt` is "csv" (leads.csv, events.csv, opportunities.csv) or "parquet" (leads/, events/,
    opportunities/ folders of .parquet files, all columns VARCHAR). `end_date` defaults to today in
    UTC; all regular timestamps fall in the `days` days ending at `end_date`. `product_led_share`
    of the leads (0 to 1) are in the product-led segment and get product usage events (0: none, and
    every other row exactly as with any share). `progress`, when given, receives one line per step.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if leads < 1 or days < 1:
        raise ValueError("leads and days must be at least 1")
    if events_per_lead < 0:
        raise ValueError("events_per_lead must not be negative")
    if not 0 <= product_led_share <= 1:
        raise ValueError("product_led_share must be between 0 and 1")
    if not -(2**63) <= seed < 2**63:
        raise ValueError("seed must fit in a signed 64-bit integer")
    end_date = end_date or dt.datetime.now(dt.UTC).date()
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_folders(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-{os.getpid()}-", dir=out_dir.parent))
    spill = tmp / ".spill"
    try:
        spill.mkdir()
        con = duckdb.connect(":memory:")
        try:
            con.execute("set preserve_insertion_order = true")
            # the step lines are the progress; DuckDB's own bar would interleave with them
            con.execute("set enable_progress_bar = false")
            con.execute(f"set temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
            if threads:
                con.execute(f"set threads = {int(threads)}")
            run = Generation(
                con, leads, days, seed, end_date, float(events_per_lead), float(product_led_share)
            )
            counts = write_all(run, tmp, fmt, spill, Progress(progress))
        finally:
            con.close()
        shutil.rmtree(spill)
        swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return counts
