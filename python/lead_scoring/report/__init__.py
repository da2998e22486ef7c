"""The calibration report: one self-contained HTML page that shows whether the score predicts conversion.

Split by concern, so a newcomer knows which file to open:

- ``queries``: the relations and queries it reads from the warehouse, and ``ReportData``
- ``rules``: verdicts (from the status columns the report models compute with the thresholds of
  seeds/scoring/scoring_calibration_policy.csv) and the pure computations behind the page
- ``charts``: which charts the data allows, and their inputs
- ``figures``: the charts drawn with matplotlib (SVG for the page, PNG files)
- ``page``: HTML formatting, one function per section, the page, writing it (stylesheet in ``templates/``)
- ``check``: opening the page in headless Chromium (every chart renders, no console error)
- ``browser``: headless Chromium over the DevTools protocol (also used by the docs site's tests)
- ``cli``: ``lead-scoring report`` (``make report``)
"""

from lead_scoring.report.browser import (
    CHROMIUM_FLAGS,
    CHROMIUM_NAMES,
    MAX_SCREENSHOT_HEIGHT,
    BrowserError,
    find_chromium,
)
from lead_scoring.report.check import ImageState, PageInspection, inspect_page
from lead_scoring.report.cli import build_report, main
from lead_scoring.report.page import (
    ReportFiles,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_times,
    render_html,
    write_report,
)
from lead_scoring.report.queries import (
    CHARTS_DIR,
    HTML_NAME,
    QUERIES,
    REQUIRED_TABLES,
    SCREENSHOT_NAME,
    Policy,
    ReportData,
    ReportError,
    load_report_data,
    load_weights_fit,
    open_warehouse,
)
from lead_scoring.report.rules import (
    BANDS_SEED,
    NO_BACKTEST_NOTE,
    POLICY_SEED,
    Verdict,
    auc_verdict,
    calibration_verdict,
    cumulative_gains,
    gains_points,
    headline_verdicts,
    largest_calibration_gaps,
    overall_verdict,
    separation_verdict,
    threshold_advice,
    tier_matrix,
    tier_order_verdict,
    tiers_in_order,
)

__all__ = [
    "BANDS_SEED",
    "CHARTS_DIR",
    "CHROMIUM_FLAGS",
    "CHROMIUM_NAMES",
    "HTML_NAME",
    "MAX_SCREENSHOT_HEIGHT",
    "NO_BACKTEST_NOTE",
    "POLICY_SEED",
    "QUERIES",
    "REQUIRED_TABLES",
    "SCREENSHOT_NAME",
    "BrowserError",
    "ImageState",
    "PageInspection",
    "ReportData",
    "ReportError",
    "ReportFiles",
    "Verdict",
    "Policy",
    "load_weights_fit",
    "auc_verdict",
    "build_report",
    "calibration_verdict",
    "cumulative_gains",
    "find_chromium",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "fmt_times",
    "gains_points",
    "headline_verdicts",
    "inspect_page",
    "largest_calibration_gaps",
    "load_report_data",
    "main",
    "open_warehouse",
    "overall_verdict",
    "render_html",
    "separation_verdict",
    "threshold_advice",
    "tier_matrix",
    "tier_order_verdict",
    "tiers_in_order",
    "write_report",
]
