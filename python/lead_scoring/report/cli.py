"""The calibration report: one self-contained HTML page that shows whether the score predicts conversion.

Usage::

    lead-scoring report --duckdb warehouse/lead_scoring.duckdb --out reports_out
    lead-scoring report --duckdb PATH --out DIR --scoring-model default --screenshot

Reads the calibration report tables (``reports.rpt_*``) and the live scores (``marts.fct_lead_scores``)
of one scoring model and writes ``DIR/calibration_report.html``: a single file with every chart
embedded as an SVG ``data:`` URI and no external CSS, script, font or network reference, so it can be
mailed or attached as it is. Every chart is also written as ``DIR/charts/<name>.png``.

With ``--screenshot`` the page is then opened in headless Chromium (Debian package ``chromium``,
``scripts/install_chromium.sh``): every chart must render and the console must stay clean, and a
full-page screenshot is saved as ``DIR/calibration_report.png``.

The held-out table of the joint weight fit (``lead-scoring weights --out DIR/weights``)
is shown when ``DIR/weights`` (or ``--weights-dir``) holds one; otherwise the weights are marked
unvalidated.

Exit codes: 0 written; 1 the page failed the Chromium check; 2 the warehouse is missing or not built
(the message names the file or table: run ``make build`` first) or Chromium is missing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lead_scoring.report.browser import BrowserError
from lead_scoring.report.check import inspect_page
from lead_scoring.report.page import ReportFiles, write_report
from lead_scoring.report.queries import (
    CHARTS_DIR,
    SCREENSHOT_NAME,
    ReportError,
    load_report_data,
    load_weights_fit,
    open_warehouse,
)


def build_report(
    duckdb_path: Path, out_dir: Path, scoring_model: str = "default", weights_dir: Path | None = None
) -> ReportFiles:
    """Read the warehouse (and the held-out table `lead-scoring weights` wrote into ``weights_dir``, by
    default ``out_dir/weights``) and write the page."""
    connection = open_warehouse(duckdb_path)
    try:
        data = load_report_data(connection, scoring_model, duckdb_path.name)
    finally:
        connection.close()
    load_weights_fit(data, out_dir / "weights" if weights_dir is None else weights_dir)
    return write_report(data, out_dir)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lead-scoring report", description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="path of the built DuckDB file")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the report into")
    parser.add_argument(
        "--scoring-model", default="default", help="scoring model to report on (default: default)"
    )
    parser.add_argument(
        "--weights-dir",
        type=Path,
        default=None,
        help="where lead-scoring weights wrote its held-out table (default: OUT/weights)",
    )
    parser.add_argument(
        "--screenshot",
        action="store_true",
        help=f"open the page in headless Chromium, check that every chart renders, save {SCREENSHOT_NAME}",
    )
    args = parser.parse_args(argv)
    try:
        files = build_report(args.duckdb, args.out, args.scoring_model, args.weights_dir)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"wrote {files.html} ({files.html.stat().st_size / 1024:,.0f} KiB) and {len(files.charts)} charts in "
        f"{args.out / CHARTS_DIR}"
    )
    if not args.screenshot:
        return 0
    try:
        inspection = inspect_page(files.html, args.out / SCREENSHOT_NAME)
    except BrowserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rendered = sum(image.rendered for image in inspection.images)
    print(
        f"chromium: {rendered}/{len(inspection.images)} charts rendered, "
        f"{len(inspection.console_errors)} console errors, "
        f"page {inspection.page_width}x{inspection.page_height}px, screenshot {inspection.screenshot}"
    )
    for problem in inspection.problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if inspection.problems else 0


if __name__ == "__main__":
    sys.exit(main())
