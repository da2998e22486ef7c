"""The calibration report: one self-contained HTML page that shows whether the score predicts conversion.

Usage::

    python -m lead_scoring.report --duckdb warehouse/lead_scoring.duckdb --out reports_out
    python -m lead_scoring.report --duckdb PATH --out DIR --scoring-model default --screenshot

Reads the calibration report tables (``reports.rpt_*``) and the live scores (``marts.fct_lead_scores``)
of one scoring model and writes ``DIR/calibration_report.html``: a single file with every chart
embedded as an SVG ``data:`` URI and no external CSS, script, font or network reference, so it can be
mailed or attached as it is. Every chart is also written as ``DIR/charts/<name>.png``.

With ``--screenshot`` the page is then opened in headless Chromium (Debian package ``chromium``,
``scripts/install_chromium.sh``): every chart must render and the console must stay clean, and a
full-page screenshot is saved as ``DIR/calibration_report.png``.

Exit codes: 0 written; 1 the page failed the Chromium check; 2 the warehouse is missing or not built
(the message names the file or table: run ``make build`` first) or Chromium is missing.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import html
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from lead_scoring import report_charts as charts
from lead_scoring.browser import (  # noqa: F401 - find_chromium and the flags are part of this module's API
    CHROMIUM_FLAGS,
    CHROMIUM_NAMES,
    MAX_SCREENSHOT_HEIGHT,
    BrowserError,
    find_chromium,
    open_page,
)
from lead_scoring.report_charts import Chart

HTML_NAME = "calibration_report.html"
SCREENSHOT_NAME = "calibration_report.png"
CHARTS_DIR = "charts"

# Every relation the report reads (contracts in models/reports/calibration/_calibration__models.yml
# and models/marts/scoring/_scoring__models.yml); a missing column surfaces when QUERIES run.
REQUIRED_TABLES = (
    "reports.rpt_conversion_by_tier",
    "reports.rpt_model_performance",
    "reports.rpt_score_reliability",
    "reports.rpt_threshold_recommendations",
    "reports.rpt_signal_lift",
    "reports.rpt_score_drift",
    "reports.rpt_conversion_by_segment",
    "marts.fct_lead_scores",
)

QUERIES: dict[str, str] = {
    "tiers": """
        select
            is_overall,
            cast(cutoff_date as varchar) as cutoff_date,
            tier,
            tier_rank,
            leads,
            conversions,
            conversion_rate,
            base_rate,
            lift,
            top_to_bottom_tier_conversion_ratio
        from reports.rpt_conversion_by_tier
        where scoring_model = $model
        order by is_overall desc, cutoff_date, tier_rank
    """,
    "performance": """
        select
            is_overall,
            cast(cutoff_date as varchar) as cutoff_date,
            leads,
            conversions,
            base_rate,
            auc,
            brier_score,
            log_loss,
            mean_predicted_probability,
            top_bin_conversion_rate,
            top_bin_lift
        from reports.rpt_model_performance
        where scoring_model = $model
        order by is_overall desc, cutoff_date
    """,
    "reliability": """
        select
            score_bin,
            cast(lower_score as double) as lower_score,
            cast(upper_score as double) as upper_score,
            leads,
            conversions,
            mean_total_score,
            mean_predicted_probability,
            observed_conversion_rate,
            calibration_gap
        from reports.rpt_score_reliability
        where scoring_model = $model and is_overall
        order by score_bin
    """,
    "thresholds": """
        select
            cast(mql_threshold as double) as mql_threshold,
            mql_leads,
            mql_leads_per_cutoff,
            mql_conversions,
            mql_precision,
            mql_recall,
            below_threshold_conversion_rate,
            base_rate,
            target_precision,
            min_mql_leads_per_cutoff,
            is_current_threshold,
            is_recommended
        from reports.rpt_threshold_recommendations
        where scoring_model = $model
        order by mql_threshold
    """,
    "signals": """
        select
            component,
            rule_id,
            coalesce(reason_label, rule_id) as reason_label,
            leads_with,
            conversion_rate_with,
            conversion_rate_without,
            lift,
            log_odds_ratio,
            has_support,
            current_points,
            current_cap_points,
            suggested_points,
            suggested_cap_points
        from reports.rpt_signal_lift
        where scoring_model = $model
        order by
            case component when 'fit' then 1 when 'behavioral' then 2 when 'negative' then 3 else 4 end,
            rule_id
    """,
    "drift": """
        select
            cast(cutoff_date as varchar) as cutoff_date,
            cast(previous_cutoff_date as varchar) as previous_cutoff_date,
            leads,
            mean_total_score,
            mql_share,
            population_stability_index
        from reports.rpt_score_drift
        where scoring_model = $model
        order by cutoff_date
    """,
    "segments": """
        select
            segment_type,
            segment,
            leads,
            conversions,
            conversion_rate,
            mean_predicted_probability,
            calibration_gap,
            mean_total_score,
            mql_share
        from reports.rpt_conversion_by_segment
        where scoring_model = $model
        order by segment_type, segment
    """,
    "scores": """
        select cast(total_score as double) as total_score, tier_rank
        from marts.fct_lead_scores
        where scoring_model = $model
    """,
    "live_tiers": """
        select
            tier_rank,
            min(tier) as tier,
            count(*) as leads,
            avg(cast(total_score as double)) as mean_total_score,
            cast(min(total_score) as double) as min_total_score,
            cast(max(total_score) as double) as max_total_score
        from marts.fct_lead_scores
        where scoring_model = $model
        group by tier_rank
        order by tier_rank
    """,
    "score_as_of": """
        select cast(max(score_as_of) as varchar) as score_as_of
        from marts.fct_lead_scores
        where scoring_model = $model
    """,
}

# Seeds the "how to act" notes point at.
BANDS_SEED = "seeds/scoring/scoring_bands.csv"
POLICY_SEED = "seeds/scoring/scoring_calibration_policy.csv"
SEED_COLUMNS = {
    "fit": ("seeds/scoring/scoring_fit_rules.csv", "points"),
    "behavioral": ("seeds/scoring/scoring_behavioral_signals.csv", "points_per_unit"),
    "negative": ("seeds/scoring/scoring_negative_rules.csv", "points"),
}

NO_BACKTEST_NOTE = (
    "Not enough history for backtests: no backtest cutoff could be run, so there is nothing to measure "
    "here yet. Load a longer history (several months of leads, events and opportunities), or set the "
    "backtest vars in dbt_project.yml (backtest_first_cutoff, backtest_min_history_days, "
    "outcome_window_days), then run `make build` again."
)

Frame = dict[str, np.ndarray]


class ReportError(Exception):
    """A problem the user can fix (missing warehouse file or table); exit code 2."""


# ------------------------------------------------------------------------------------------------
# Reading the warehouse
# ------------------------------------------------------------------------------------------------


def _unmask(column: np.ndarray) -> np.ndarray:
    """A fetched column with nulls as NaN (numbers), None (text) or False (booleans)."""
    if isinstance(column, np.ma.MaskedArray):
        if column.dtype.kind in "fiu":
            return column.astype(float).filled(np.nan)
        if column.dtype.kind == "b":
            return column.filled(False)
        return np.where(np.ma.getmaskarray(column), None, column.data.astype(object))
    if column.dtype.kind in "iu":
        return column.astype(float)
    return column


def fetch_frame(connection: duckdb.DuckDBPyConnection, query: str, scoring_model: str) -> Frame:
    """Run ``query`` (with a ``$model`` parameter) and return its columns as NumPy arrays."""
    result = connection.execute(query, {"model": scoring_model}).fetchnumpy()
    return {name: _unmask(column) for name, column in result.items()}


def frame_length(frame: Frame) -> int:
    return len(next(iter(frame.values()))) if frame else 0


def frame_rows(frame: Frame, index: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Rows of a (small, aggregated) frame as dicts, for the HTML tables."""
    positions = range(frame_length(frame)) if index is None else index
    return [{name: column[position] for name, column in frame.items()} for position in positions]


def select_rows(frame: Frame, mask: np.ndarray) -> Frame:
    return {name: column[mask] for name, column in frame.items()}


def missing_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The REQUIRED_TABLES (``schema.table``) the warehouse lacks."""
    found = {
        row[0]
        for row in connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    }
    return [table for table in REQUIRED_TABLES if table not in found]


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file read-only, or raise ReportError saying what to do."""
    if not path.is_file():
        raise ReportError(f"{path} does not exist: run `make build` first")
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        raise ReportError(
            f"cannot open {path} read-only ({error}); if a build is writing to it, wait for it to finish "
            "or copy the file and pass the copy"
        ) from error
    missing = missing_tables(connection)
    if missing:
        connection.close()
        raise ReportError(f"{path} has no table {', '.join(missing)}: run `make build` first")
    return connection


@dataclass
class ReportData:
    """Everything the page shows, for one scoring model."""

    scoring_model: str
    source_name: str
    score_as_of: str | None
    tiers: Frame
    performance: Frame
    reliability: Frame
    thresholds: Frame
    signals: Frame
    drift: Frame
    segments: Frame
    scores: Frame
    live_tiers: Frame

    @property
    def pooled_tiers(self) -> Frame:
        return select_rows(self.tiers, self.tiers["is_overall"].astype(bool))

    @property
    def cutoff_tiers(self) -> Frame:
        return select_rows(self.tiers, ~self.tiers["is_overall"].astype(bool))

    @property
    def pooled_performance(self) -> dict[str, Any] | None:
        rows = frame_rows(select_rows(self.performance, self.performance["is_overall"].astype(bool)))
        return rows[0] if rows else None

    @property
    def cutoff_performance(self) -> Frame:
        return select_rows(self.performance, ~self.performance["is_overall"].astype(bool))

    @property
    def has_backtests(self) -> bool:
        return self.pooled_performance is not None


def load_report_data(
    connection: duckdb.DuckDBPyConnection, scoring_model: str, source_name: str
) -> ReportData:
    frames: dict[str, Frame] = {}
    for name, query in QUERIES.items():
        try:
            frames[name] = fetch_frame(connection, query, scoring_model)
        except duckdb.BinderException as error:  # a column is missing: the tables predate the contracts
            table = query.split(" from ", 1)[1].split()[0]
            raise ReportError(
                f"{table} lacks a column the report reads ({error}): run `make build` first"
            ) from error
    if frame_length(frames["live_tiers"]) == 0 and frame_length(frames["performance"]) == 0:
        known = sorted(
            row[0]
            for row in connection.execute(
                "select distinct scoring_model from marts.fct_lead_scores"
            ).fetchall()
        )
        raise ReportError(
            f"scoring model {scoring_model!r} has no rows in marts.fct_lead_scores or the reports "
            f"(models found: {', '.join(known) or 'none'}): pass --scoring-model, or run `make build` first"
        )
    score_as_of = frames.pop("score_as_of")["score_as_of"]
    return ReportData(
        scoring_model=scoring_model,
        source_name=source_name,
        score_as_of=score_as_of[0] if len(score_as_of) else None,
        **frames,
    )


# ------------------------------------------------------------------------------------------------
# Pure computations
# ------------------------------------------------------------------------------------------------


def cumulative_gains(
    score_bins: Sequence[float] | np.ndarray,
    leads: Sequence[float] | np.ndarray,
    conversions: Sequence[float] | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative share of leads and of conversions, taking the highest score bins first.

    Both arrays start with 0 (nobody contacted) and end with 1 (everybody); the diagonal is what
    a random order would catch. Raises ValueError when there are no leads or no conversions.
    """
    bins = np.asarray(score_bins, dtype=float)
    lead_counts = np.nan_to_num(np.asarray(leads, dtype=float))
    conversion_counts = np.nan_to_num(np.asarray(conversions, dtype=float))
    if lead_counts.sum() <= 0 or conversion_counts.sum() <= 0:
        raise ValueError("cumulative gains need at least one lead and one conversion")
    order = np.argsort(-bins, kind="stable")
    lead_share = np.concatenate([[0.0], np.cumsum(lead_counts[order]) / lead_counts.sum()])
    conversion_share = np.concatenate([[0.0], np.cumsum(conversion_counts[order]) / conversion_counts.sum()])
    return lead_share, conversion_share


def gains_points(
    lead_share: np.ndarray, conversion_share: np.ndarray, efforts: Sequence[float]
) -> list[tuple[float, float]]:
    """The points of the gains curve nearest to each share of leads in ``efforts``, without repeats
    and without the origin: (share of leads, share of conversions)."""
    nearest = np.abs(np.asarray(lead_share)[None, :] - np.asarray(efforts, dtype=float)[:, None]).argmin(
        axis=1
    )
    positions = [int(p) for p in dict.fromkeys(nearest.tolist()) if lead_share[p] > 0]
    return [(float(lead_share[p]), float(conversion_share[p])) for p in positions]


def tiers_in_order(conversion_rates: Sequence[float | None] | np.ndarray) -> bool | None:
    """True when each tier (lowest first) converts strictly better than the one below; None if unknown."""
    rates = np.array([np.nan if rate is None else rate for rate in conversion_rates], dtype=float)
    if rates.size < 2 or not np.all(np.isfinite(rates)):
        return None
    return bool(np.all(np.diff(rates) > 0))


@dataclass(frozen=True)
class Verdict:
    """One plain-words judgement of the headline; status is good, warn, bad or unknown."""

    topic: str
    status: str
    text: str


def auc_verdict(auc: float | None) -> Verdict:
    if auc is None or not math.isfinite(auc):
        return Verdict(
            "Ranking", "unknown", "cannot tell: the backtests have no converters or no non-converters"
        )
    if auc >= 0.7:
        return Verdict("Ranking", "good", f"ranks well (AUC {auc:.2f} ≥ 0.70)")
    if auc >= 0.6:
        return Verdict("Ranking", "warn", f"ranks moderately (AUC {auc:.2f}, 0.60 to 0.70)")
    if auc > 0.5:
        return Verdict("Ranking", "bad", f"barely better than random (AUC {auc:.2f}, random is 0.50)")
    return Verdict("Ranking", "bad", f"no better than random or reversed (AUC {auc:.2f} ≤ 0.50)")


def tier_order_verdict(in_order: bool | None) -> Verdict:
    if in_order is None:
        return Verdict(
            "Tiers in order", "unknown", "cannot tell: fewer than two tiers with a conversion rate"
        )
    if in_order:
        return Verdict("Tiers in order", "good", "yes: each tier converts better than the one below")
    return Verdict("Tiers in order", "bad", "no: a higher tier converts no better than a lower one")


def separation_verdict(ratio: float | None, top_tier: str, bottom_tier: str) -> Verdict:
    topic = f"{top_tier} / {bottom_tier} conversion"
    if ratio is None or not math.isfinite(ratio):
        return Verdict(topic, "unknown", f"cannot tell: {bottom_tier} had no conversions or no leads")
    if ratio >= 3:
        return Verdict(
            topic, "good", f"{ratio:.1f}× : clear separation (a working model shows several times)"
        )
    if ratio >= 1.5:
        return Verdict(
            topic, "warn", f"{ratio:.1f}× : some separation, less than the 3× a working model shows"
        )
    return Verdict(topic, "bad", f"{ratio:.1f}× : the tiers hardly separate converters")


def calibration_verdict(mean_predicted: float | None, base_rate: float | None) -> Verdict:
    if mean_predicted is None or base_rate is None or not (math.isfinite(mean_predicted) and base_rate > 0):
        return Verdict("Probabilities", "unknown", "cannot tell: no base rate")
    relative = abs(mean_predicted - base_rate) / base_rate
    detail = f"mean predicted {mean_predicted:.1%} vs observed {base_rate:.1%}"
    if relative <= 0.1:
        return Verdict("Probabilities", "good", f"calibrated overall ({detail})")
    if relative <= 0.25:
        return Verdict("Probabilities", "warn", f"somewhat off ({detail})")
    return Verdict("Probabilities", "bad", f"off ({detail}): do not quote them as chances")


def headline_verdicts(
    auc: float | None,
    in_order: bool | None,
    ratio: float | None,
    mean_predicted: float | None,
    base_rate: float | None,
    top_tier: str = "top tier",
    bottom_tier: str = "bottom tier",
) -> list[Verdict]:
    return [
        auc_verdict(auc),
        tier_order_verdict(in_order),
        separation_verdict(ratio, top_tier, bottom_tier),
        calibration_verdict(mean_predicted, base_rate),
    ]


def overall_verdict(verdicts: Sequence[Verdict]) -> str:
    """One sentence summing the verdicts up."""
    statuses = {verdict.status for verdict in verdicts}
    if statuses == {"unknown"}:
        return "Not enough backtest data to judge the score."
    if "bad" in statuses:
        return "The score needs work before sales should rely on it: see the items marked below."
    if "warn" in statuses or "unknown" in statuses:
        return "The score is useful but has weak spots: see the items marked below."
    return "The score predicts conversion: it ranks well, its tiers are in order and its probabilities hold."


def psi_status(psi: float | None) -> str:
    if psi is None or not math.isfinite(psi):
        return "first cutoff"
    if psi < 0.1:
        return "stable"
    if psi <= 0.25:
        return "moving"
    return "shifted"


def threshold_advice(
    current: float | None,
    recommended: float | None,
    mql_tier: str,
    target_precision: float | None,
    min_mql_leads_per_cutoff: float | None,
) -> str:
    """What to do with the MQL line, in words."""
    if recommended is None:
        target = "the target precision" if target_precision is None else f"{target_precision:.0%} precision"
        volume = (
            ""
            if min_mql_leads_per_cutoff is None
            else f" with at least {min_mql_leads_per_cutoff:g} MQLs per cutoff"
        )
        return (
            f"No candidate threshold reaches {target}{volume}: keep the current line, or lower "
            f"target_precision (or min_mql_leads_per_cutoff) in {POLICY_SEED} if that target is too strict."
        )
    if current is not None and math.isclose(current, recommended):
        return f"The current MQL threshold ({current:g}) is the recommended one: keep it."
    current_text = "its current value" if current is None else f"{current:g}"
    return (
        f"Move the lower_bound of the {mql_tier} tier in {BANDS_SEED} from {current_text} to "
        f"{recommended:g} (and the upper_bound of the tier below it to match), then run `make build`."
    )


def largest_calibration_gaps(segments: Frame, min_leads: int, limit: int) -> tuple[np.ndarray, bool]:
    """Row positions of the segments with the largest absolute calibration gap, biggest first.

    Only segments with at least ``min_leads`` leads count (small segments have noisy rates); when
    none has that many, all count and the flag returned is False.
    """
    if frame_length(segments) == 0:
        return np.array([], dtype=int), True
    gaps = np.abs(segments["calibration_gap"])
    eligible = segments["leads"] >= min_leads
    enough = bool(eligible.any())
    if not enough:
        eligible = np.ones_like(eligible, dtype=bool)
    score = np.where(eligible & np.isfinite(gaps), gaps, -1.0)
    order = np.argsort(-score, kind="stable")
    order = order[score[order] >= 0]
    return order[:limit], enough


def tier_matrix(cutoff_tiers: Frame) -> tuple[list[str], list[str], np.ndarray]:
    """(cutoff labels, tier names lowest first, conversion rates tiers × cutoffs) of the per-cutoff rows."""
    cutoffs = np.unique(cutoff_tiers["cutoff_date"].astype(str))
    ranks, first = np.unique(cutoff_tiers["tier_rank"], return_index=True)
    tiers = [str(name) for name in cutoff_tiers["tier"][first]]
    matrix = np.full((len(ranks), len(cutoffs)), np.nan)
    matrix[
        np.searchsorted(ranks, cutoff_tiers["tier_rank"]),
        np.searchsorted(cutoffs, cutoff_tiers["cutoff_date"].astype(str)),
    ] = cutoff_tiers["conversion_rate"]
    return [str(label) for label in cutoffs], tiers, matrix


def _flag(frame: Frame, column: str, value_column: str) -> float | None:
    hits = frame[value_column][frame[column].astype(bool)] if frame_length(frame) else np.array([])
    return float(hits[0]) if len(hits) else None


# ------------------------------------------------------------------------------------------------
# Charts
# ------------------------------------------------------------------------------------------------


def build_charts(data: ReportData) -> dict[str, Chart]:
    """Every chart the data allows, by name; a chart without data is left out."""
    built: dict[str, Chart] = {}
    pooled = data.pooled_tiers
    if frame_length(pooled):
        built["conversion_by_tier"] = charts.tier_conversion_chart(
            [str(tier) for tier in pooled["tier"]],
            pooled["conversion_rate"],
            pooled["lift"],
            _finite_or_none(pooled["base_rate"][0]),
        )
    per_cutoff = data.cutoff_tiers
    if frame_length(per_cutoff):
        built["conversion_by_tier_per_cutoff"] = charts.tier_conversion_by_cutoff_chart(
            *tier_matrix(per_cutoff)
        )
    reliability = data.reliability
    if frame_length(reliability):
        built["reliability_curve"] = charts.reliability_chart(
            reliability["mean_predicted_probability"],
            reliability["observed_conversion_rate"],
            reliability["leads"],
            reliability["score_bin"],
        )
        with contextlib.suppress(ValueError):
            built["cumulative_gains"] = charts.gains_chart(
                *cumulative_gains(reliability["score_bin"], reliability["leads"], reliability["conversions"])
            )
    current = _flag(data.thresholds, "is_current_threshold", "mql_threshold")
    recommended = _flag(data.thresholds, "is_recommended", "mql_threshold")
    if frame_length(data.scores):
        ranks = data.live_tiers["tier_rank"]
        built["score_distribution"] = charts.score_distribution_chart(
            data.scores["total_score"],
            np.searchsorted(ranks, data.scores["tier_rank"]),
            [str(tier) for tier in data.live_tiers["tier"]],
            current,
            recommended,
        )
    if frame_length(data.thresholds):
        target = data.thresholds["target_precision"]
        built["mql_thresholds"] = charts.threshold_chart(
            data.thresholds["mql_threshold"],
            data.thresholds["mql_precision"],
            data.thresholds["mql_recall"],
            _finite_or_none(target[0]),
            current,
            recommended,
        )
    if frame_length(data.signals):
        labels = [
            f"{label} ({component})" + ("" if supported else " *")
            for label, component, supported in zip(
                data.signals["reason_label"],
                data.signals["component"],
                data.signals["has_support"],
                strict=True,
            )
        ]
        built["signal_weights"] = charts.signal_weights_chart(
            labels, data.signals["current_points"], data.signals["suggested_points"]
        )
    return built


def _finite_or_none(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# ------------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------------

STYLESHEET = Path(__file__).with_name("templates") / "calibration_report.css"

SECTIONS = (
    ("headline", "Headline"),
    ("tiers", "Conversion by tier"),
    ("cutoffs", "Performance per backtest cutoff"),
    ("reliability", "Reliability of the probabilities"),
    ("gains", "Cumulative gains and lift"),
    ("distribution", "Live score distribution"),
    ("thresholds", "MQL threshold"),
    ("signals", "Signal lift and suggested weights"),
    ("drift", "Score drift"),
    ("segments", "Segments with the largest calibration gaps"),
)


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def text(value: Any) -> str:
    return "–" if value is None else esc(value)


def markup(value: Any) -> str:
    """A cell that is already HTML (built by this module from escaped parts)."""
    return "" if value is None else str(value)


def fmt_pct(value: Any, digits: int = 1) -> str:
    return "–" if _is_missing(value) else f"{float(value):.{digits}%}"


def fmt_pct2(value: Any) -> str:
    return fmt_pct(value, 2)


def fmt_num(value: Any, digits: int = 2) -> str:
    return "–" if _is_missing(value) else f"{float(value):,.{digits}f}"


def fmt_num1(value: Any) -> str:
    return fmt_num(value, 1)


def fmt_num3(value: Any) -> str:
    return fmt_num(value, 3)


def fmt_num4(value: Any) -> str:
    return fmt_num(value, 4)


def fmt_int(value: Any) -> str:
    return "–" if _is_missing(value) else f"{round(float(value)):,}"


def fmt_times(value: Any, digits: int = 2) -> str:
    return "–" if _is_missing(value) else f"{float(value):.{digits}f}×"


def fmt_points(value: Any) -> str:
    return "–" if _is_missing(value) else f"{float(value):g}"


# A table column: (heading, key of the row, formatter). Text and markup cells align left, numbers right.
Columns = Sequence[tuple[str, str, Callable[[Any], str]]]


def html_table(
    columns: Columns,
    rows: Sequence[dict[str, Any]],
    row_classes: Sequence[str] | None = None,
    table_class: str = "",
) -> str:
    def cell(tag: str, content: str, formatter: Callable[[Any], str]) -> str:
        numeric = formatter not in (text, markup)
        return f"<{tag}{' class=num' if numeric else ''}>{content}</{tag}>"

    head = "".join(cell("th", esc(title), formatter) for title, _, formatter in columns)
    body = "".join(
        f'<tr class="{row_classes[i] if row_classes else ""}">'
        + "".join(cell("td", formatter(row[key]), formatter) for _, key, formatter in columns)
        + "</tr>"
        for i, row in enumerate(rows)
    )
    css = f' class="{table_class}"' if table_class else ""
    table = f"<table{css}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-wrap">{table}</div>'


def number_markup(value: Any) -> str:
    """Like markup, but aligned as a number."""
    return markup(value)


def figure_html(chart: Chart | None, caption: str = "") -> str:
    if chart is None:
        return ""
    source = "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode("ascii")
    caption_html = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return (
        f'<figure id="chart-{esc(chart.name)}"><img src="{source}" alt="{esc(chart.alt)}" '
        f'title="{esc(chart.title)}" data-chart="{esc(chart.name)}">{caption_html}</figure>'
    )


def act(body: str) -> str:
    return f'<div class="act"><strong>How to act on this</strong>{body}</div>'


def note(body: str) -> str:
    return f'<p class="note">{body}</p>'


NO_BACKTESTS = note(
    'Not enough history for backtests: nothing to show here (see <a href="#headline">Headline</a>).'
)


def _headline_html(data: ReportData) -> str:
    performance = data.pooled_performance
    if performance is None:
        return note(esc(NO_BACKTEST_NOTE).replace("`make build`", "<code>make build</code>"))
    pooled = data.pooled_tiers
    tiers = [str(tier) for tier in pooled["tier"]]
    in_order = tiers_in_order(pooled["conversion_rate"])
    ratio = _finite_or_none(pooled["top_to_bottom_tier_conversion_ratio"][0]) if tiers else None
    top_tier, bottom_tier = (tiers[-1], tiers[0]) if tiers else ("top tier", "bottom tier")
    verdicts = headline_verdicts(
        _finite_or_none(performance["auc"]),
        in_order,
        ratio,
        _finite_or_none(performance["mean_predicted_probability"]),
        _finite_or_none(performance["base_rate"]),
        top_tier,
        bottom_tier,
    )
    items = "".join(
        f'<li class="{v.status}"><span class="status {v.status}">{esc(v.status)}</span> '
        f"<strong>{esc(v.topic)}:</strong> {esc(v.text)}</li>"
        for v in verdicts
    )
    metrics = [
        ("Backtest leads (all cutoffs)", fmt_int(performance["leads"])),
        ("Conversions", fmt_int(performance["conversions"])),
        ("Base rate (random pick)", fmt_pct(performance["base_rate"], 2)),
        ("AUC (0.5 random, 1 perfect)", fmt_num(performance["auc"], 3)),
        ("Brier score (lower is better)", fmt_num(performance["brier_score"], 4)),
        ("Log loss (lower is better)", fmt_num(performance["log_loss"], 4)),
        ("Mean predicted probability", fmt_pct(performance["mean_predicted_probability"], 2)),
        ("Top score bin conversion rate", fmt_pct(performance["top_bin_conversion_rate"], 1)),
        ("Top score bin lift", fmt_times(performance["top_bin_lift"])),
        (f"{top_tier} / {bottom_tier} conversion ratio", fmt_times(ratio)),
        ("Tiers in order", "–" if in_order is None else ("yes" if in_order else "no")),
    ]
    table = html_table(
        [("Metric", "metric", text), ("Value", "value", number_markup)],
        [{"metric": name, "value": value} for name, value in metrics],
        table_class="metrics",
    )
    return (
        f'<p class="verdict">{esc(overall_verdict(verdicts))}</p><ul class="verdicts">{items}</ul>{table}'
        + act(
            "AUC under 0.6 or tiers out of order mean the weights need work: start with the "
            '<a href="#signals">signal lift</a> section. If the tiers are in order but the top tier is '
            'not several times the bottom one, move the tier bounds (see <a href="#thresholds">MQL '
            "threshold</a>). Probabilities far from the base rate mean too little history or a shifting "
            'population (see <a href="#drift">drift</a>).'
        )
    )


def _tiers_html(data: ReportData, built: dict[str, Chart]) -> str:
    pooled = data.pooled_tiers
    if not frame_length(pooled):
        return NO_BACKTESTS
    columns = [
        ("Tier", "tier", text),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Conversion rate", "conversion_rate", fmt_pct2),
        ("Lift over base rate", "lift", fmt_times),
    ]
    return (
        figure_html(built.get("conversion_by_tier"), "All cutoffs pooled; the dashed line is the base rate.")
        + html_table(columns, frame_rows(pooled))
        + figure_html(built.get("conversion_by_tier_per_cutoff"), "One group of bars per backtest cutoff.")
        + act(
            "Each tier should convert better than the one below, and the top tier several times the bottom "
            f"one. If a tier converts like its neighbour, move its bounds in <code>{BANDS_SEED}</code> "
            "(rows with band_type = tier) or fix the weights that push leads into it."
        )
    )


def _cutoffs_html(data: ReportData) -> str:
    rows = frame_rows(data.cutoff_performance)
    if not rows:
        return NO_BACKTESTS
    in_order: dict[str, bool | None] = {}
    if frame_length(data.cutoff_tiers):
        labels, _, matrix = tier_matrix(data.cutoff_tiers)
        in_order = {label: tiers_in_order(matrix[:, i]) for i, label in enumerate(labels)}
    words = {None: "–", True: "yes", False: "no"}
    for row in rows:
        row["tiers_in_order"] = words[in_order.get(str(row["cutoff_date"]))]
    columns = [
        ("Cutoff", "cutoff_date", text),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Base rate", "base_rate", fmt_pct2),
        ("AUC", "auc", fmt_num3),
        ("Brier", "brier_score", fmt_num4),
        ("Log loss", "log_loss", fmt_num4),
        ("Mean predicted", "mean_predicted_probability", fmt_pct2),
        ("Top-bin lift", "top_bin_lift", fmt_times),
        ("Tiers in order", "tiers_in_order", text),
    ]
    return html_table(columns, rows) + act(
        "One weak cutoff is noise; an AUC that falls cutoff after cutoff means the signals are ageing: "
        'check <a href="#signals">signal lift</a> and <a href="#drift">drift</a> and re-weight.'
    )


def _reliability_html(data: ReportData, built: dict[str, Chart]) -> str:
    if not frame_length(data.reliability):
        return NO_BACKTESTS
    columns = [
        ("Bin", "score_bin", fmt_int),
        ("Scores from", "lower_score", fmt_points),
        ("to (excl.)", "upper_score", fmt_points),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Mean predicted", "mean_predicted_probability", fmt_pct2),
        ("Observed", "observed_conversion_rate", fmt_pct2),
        ("Gap (observed − predicted)", "calibration_gap", fmt_pct2),
    ]
    return (
        figure_html(
            built.get("reliability_curve"),
            "Each point is a score bin (its number is written beside it; bigger dots hold more leads). "
            "On the dashed diagonal the predicted probability equals the observed rate.",
        )
        + html_table(columns, frame_rows(data.reliability))
        + act(
            "fct_lead_scores.conversion_probability comes from these bins and is re-learned at every "
            "build. A point above the diagonal means leads in that bin convert more than predicted, below "
            "means less. Large gaps mean too little history per bin: add backtest cutoffs (var "
            "backtest_cutoff_count) or use fewer bins (var calibration_bins)."
        )
    )


def _gains_html(data: ReportData, built: dict[str, Chart]) -> str:
    reliability = data.reliability
    if not frame_length(reliability):
        return NO_BACKTESTS
    try:
        lead_share, conversion_share = cumulative_gains(
            reliability["score_bin"], reliability["leads"], reliability["conversions"]
        )
    except ValueError:
        return note("No conversions in the backtests: the gains curve needs at least one converted lead.")
    sentences = "; ".join(
        f"the top {leads:.0%} of leads caught {caught:.0%} of conversions ({caught / leads:.1f}× random)"
        for leads, caught in gains_points(lead_share, conversion_share, (0.1, 0.2, 0.3, 0.5))
    )
    return (
        figure_html(
            built.get("cumulative_gains"),
            "Built from the pooled score bins, highest bin first; the dashed line is a random order.",
        )
        + f"<p>In the backtests, {esc(sentences)}.</p>"
        + act(
            "Size the sales queue with it: pick the share of leads sales can work and read off the share "
            "of conversions it catches. A curve close to the diagonal means the score adds little over a "
            'random order: re-weight (see <a href="#signals">signal lift</a>).'
        )
    )


def _distribution_html(data: ReportData, built: dict[str, Chart]) -> str:
    live = data.live_tiers
    if not frame_length(live):
        return note(f"No live scores for scoring model {esc(data.scoring_model)} in marts.fct_lead_scores.")
    rows = frame_rows({**live, "share": live["leads"] / np.sum(live["leads"])})
    columns = [
        ("Tier", "tier", text),
        ("Leads", "leads", fmt_int),
        ("Share", "share", fmt_pct),
        ("Mean score", "mean_total_score", fmt_num1),
        ("Lowest score", "min_total_score", fmt_points),
        ("Highest score", "max_total_score", fmt_points),
    ]
    as_of = f" as of {data.score_as_of}" if data.score_as_of else ""
    return (
        figure_html(built.get("score_distribution"), f"Live scores{as_of}, stacked by tier.")
        + html_table(columns, rows)
        + act(
            "If most leads pile up in one tier, the bounds do not split the population usefully: move "
            f"them in <code>{BANDS_SEED}</code>. The gap between the current and the recommended MQL "
            "threshold shows how many leads a move would change."
        )
    )


def _thresholds_html(data: ReportData, built: dict[str, Chart]) -> str:
    thresholds = data.thresholds
    if not frame_length(thresholds):
        return NO_BACKTESTS
    current = _flag(thresholds, "is_current_threshold", "mql_threshold")
    recommended = _flag(thresholds, "is_recommended", "mql_threshold")
    target = _finite_or_none(thresholds["target_precision"][0])
    minimum = _finite_or_none(thresholds["min_mql_leads_per_cutoff"][0])
    mql_tier = str(data.pooled_tiers["tier"][-1]) if frame_length(data.pooled_tiers) else "MQL"
    rows = frame_rows(thresholds)
    classes = []
    for row in rows:
        flags = [
            name
            for name, on in (("recommended", row["is_recommended"]), ("current", row["is_current_threshold"]))
            if on
        ]
        row["flags"] = "".join(f'<span class="tag {name}">{name}</span>' for name in flags)
        classes.append(" ".join(flags))
    columns = [
        ("Threshold", "mql_threshold", fmt_points),
        ("", "flags", markup),
        ("MQLs", "mql_leads", fmt_int),
        ("MQLs per cutoff", "mql_leads_per_cutoff", fmt_num1),
        ("Converted", "mql_conversions", fmt_int),
        ("Precision", "mql_precision", fmt_pct),
        ("Recall", "mql_recall", fmt_pct),
        ("Conversion below the line", "below_threshold_conversion_rate", fmt_pct2),
    ]
    advice = esc(threshold_advice(current, recommended, mql_tier, target, minimum))
    return (
        figure_html(built.get("mql_thresholds"), "Pooled over all backtest cutoffs.")
        + f"<p>Policy (<code>{POLICY_SEED}</code>): precision at least {fmt_pct(target, 0)} with at least "
        f"{fmt_int(minimum)} MQLs per cutoff; the recommended threshold is the lowest that meets both.</p>"
        + html_table(columns, rows, classes)
        + act(advice.replace(BANDS_SEED, f"<code>{BANDS_SEED}</code>"))
    )


def _signals_html(data: ReportData, built: dict[str, Chart]) -> str:
    rows = frame_rows(data.signals)
    if not rows:
        return NO_BACKTESTS
    for row in rows:
        row["rule"] = f"{esc(row['reason_label'])}<br><code>{esc(row['rule_id'])}</code>"
        usable = row["has_support"] and not _is_missing(row["suggested_points"])
        row["suggested"] = fmt_points(row["suggested_points"]) if usable else "keep *"
        change = usable and not _is_missing(row["current_points"])
        row["change"] = f"{row['suggested_points'] - row['current_points']:+g}" if change else "–"
        has_cap = not (_is_missing(row["current_cap_points"]) and _is_missing(row["suggested_cap_points"]))
        caps = (fmt_points(row["current_cap_points"]), fmt_points(row["suggested_cap_points"]))
        row["cap"] = "&nbsp;→&nbsp;".join(caps) if has_cap else ""
        rates = (fmt_pct(row["conversion_rate_with"]), fmt_pct(row["conversion_rate_without"]))
        row["conversion"] = " / ".join(rates)
    columns = [
        ("Component", "component", text),
        ("Rule", "rule", markup),
        ("Leads with", "leads_with", fmt_int),
        ("Converted with / without", "conversion", number_markup),
        ("Lift", "lift", fmt_times),
        ("Log odds", "log_odds_ratio", fmt_num),
        ("Current", "current_points", fmt_points),
        ("Suggested", "suggested", number_markup),
        ("Change", "change", number_markup),
        ("Cap now → new", "cap", number_markup),
    ]
    seeds = "".join(
        f"<li>{component} → <code>{path}</code>, column <code>{column}</code>"
        + (" (and suggested_cap_points into <code>cap_points</code>)" if component == "behavioral" else "")
        + "</li>"
        for component, (path, column) in SEED_COLUMNS.items()
    )
    return (
        figure_html(
            built.get("signal_weights"),
            "Units follow the seeds: fit points are signed, behavioral values are points per unit, "
            "negative values are the points deducted. * = too few leads on one side: keep the current value.",
        )
        + html_table(columns, rows)
        + act(
            "Copy <code>suggested_points</code> into the seeds, matching rule_id (signal_id for "
            f"behavioral):<ul>{seeds}</ul>A suggestion of 0 means the rule does not help prediction: set "
            "it to 0 or drop it. Rules marked * keep their value. Then run <code>make build</code> and "
            "check that the AUC and the tier order above did not get worse."
        )
    )


def _drift_html(data: ReportData) -> str:
    rows = frame_rows(data.drift)
    if not rows:
        return NO_BACKTESTS
    for row in rows:
        status = psi_status(_finite_or_none(row["population_stability_index"]))
        row["status"] = f'<span class="tag {status.split()[0]}">{status}</span>'
    columns = [
        ("Cutoff", "cutoff_date", text),
        ("Compared with", "previous_cutoff_date", text),
        ("Leads", "leads", fmt_int),
        ("Mean score", "mean_total_score", fmt_num1),
        ("MQL share", "mql_share", fmt_pct),
        ("PSI", "population_stability_index", fmt_num3),
        ("Status", "status", markup),
    ]
    return html_table(columns, rows) + act(
        "PSI under 0.1 is stable, 0.1 to 0.25 moving, over 0.25 shifted. When the population shifts, the "
        "probabilities learned from older cutoffs may not hold: look for a new lead source or campaign, "
        "and re-read the reliability curve before trusting the probabilities."
    )


def _segments_html(data: ReportData, min_leads: int, limit: int) -> str:
    segments = data.segments
    if not frame_length(segments):
        return NO_BACKTESTS
    positions, enough = largest_calibration_gaps(segments, min_leads, limit)
    rows = frame_rows(segments, positions)
    for row in rows:
        gap = row["calibration_gap"]
        row["direction"] = "–" if _is_missing(gap) else ("underrated" if gap > 0 else "overrated")
    caveat = (
        f"<p>The {len(rows)} segments with at least {min_leads} backtest leads whose observed "
        "conversion is furthest from the predicted probability.</p>"
        if enough
        else note(f"No segment has {min_leads} backtest leads: the gaps below rest on few leads each.")
    )
    columns = [
        ("Segment type", "segment_type", text),
        ("Segment", "segment", text),
        ("Leads", "leads", fmt_int),
        ("Conversions", "conversions", fmt_int),
        ("Observed", "conversion_rate", fmt_pct2),
        ("Predicted", "mean_predicted_probability", fmt_pct2),
        ("Gap", "calibration_gap", fmt_pct2),
        ("Score", "direction", text),
        ("Mean score", "mean_total_score", fmt_num1),
        ("MQL share", "mql_share", fmt_pct),
    ]
    return (
        caveat
        + html_table(columns, rows)
        + act(
            "An underrated segment (converts more than predicted) may deserve a fit rule: add one in "
            f"<code>{SEED_COLUMNS['fit'][0]}</code>. An overrated one (converts less) calls for lowering "
            f"the rule that favours it, or a negative rule in <code>{SEED_COLUMNS['negative'][0]}</code>."
        )
    )


def render_html(
    data: ReportData, built: dict[str, Chart], min_segment_leads: int = 50, top_segments: int = 10
) -> str:
    """The whole page as one string: inline CSS, charts as data: URIs, no script, no external reference."""
    cutoffs = sorted({str(value) for value in data.cutoff_performance["cutoff_date"]})
    backtests = (
        f"{len(cutoffs)} backtest cutoff{'s' if len(cutoffs) != 1 else ''} ({cutoffs[0]} to {cutoffs[-1]})"
        if cutoffs
        else "no backtest cutoff"
    )
    as_of = f"live scores as of {data.score_as_of}" if data.score_as_of else "no live scores"
    bodies = {
        "headline": _headline_html(data),
        "tiers": _tiers_html(data, built),
        "cutoffs": _cutoffs_html(data),
        "reliability": _reliability_html(data, built),
        "gains": _gains_html(data, built),
        "distribution": _distribution_html(data, built),
        "thresholds": _thresholds_html(data, built),
        "signals": _signals_html(data, built),
        "drift": _drift_html(data),
        "segments": _segments_html(data, min_segment_leads, top_segments),
    }
    toc = "".join(f'<li><a href="#{anchor}">{esc(title)}</a></li>' for anchor, title in SECTIONS)
    sections = "".join(
        f'<section id="{anchor}"><h2>{esc(title)}</h2>{bodies[anchor]}</section>'
        for anchor, title in SECTIONS
    )
    title = esc(f"Lead score calibration report: {data.scoring_model}")
    meta = esc(f"{backtests} · {as_of} · warehouse {data.source_name}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>\n{STYLESHEET.read_text(encoding='utf-8')}</style></head>"
        f'<body><main><h1>{title}</h1><p class="meta">{meta}</p><nav><ol>{toc}</ol></nav>{sections}'
        "</main></body></html>\n"
    )


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    charts: tuple[Path, ...]


def write_report(data: ReportData, out_dir: Path, min_segment_leads: int = 50) -> ReportFiles:
    """Render the charts and the page into ``out_dir``; stale chart PNGs from an earlier run are removed."""
    built = build_charts(data)
    chart_dir = out_dir / CHARTS_DIR
    chart_dir.mkdir(parents=True, exist_ok=True)
    for stale in chart_dir.glob("*.png"):
        if stale.stem not in built:
            stale.unlink()
    chart_paths = []
    for chart in built.values():
        path = chart_dir / f"{chart.name}.png"
        path.write_bytes(chart.png)
        chart_paths.append(path)
    page = out_dir / HTML_NAME
    partial = page.with_suffix(".html.partial")
    partial.write_text(render_html(data, built, min_segment_leads), encoding="utf-8")
    partial.replace(page)
    return ReportFiles(html=page, charts=tuple(chart_paths))


def build_report(duckdb_path: Path, out_dir: Path, scoring_model: str = "default") -> ReportFiles:
    connection = open_warehouse(duckdb_path)
    try:
        data = load_report_data(connection, scoring_model, duckdb_path.name)
    finally:
        connection.close()
    return write_report(data, out_dir)


# ------------------------------------------------------------------------------------------------
# Looking at the page in headless Chromium (Chrome DevTools protocol over a pipe: no extra package)
# ------------------------------------------------------------------------------------------------

IMAGE_STATE_JS = """
(async () => {
  const images = Array.from(document.images);
  const decoded = await Promise.all(images.map(img => img.decode().then(() => true, () => false)));
  return images.map((img, i) => ({
    name: img.dataset.chart || img.alt,
    complete: img.complete,
    decoded: decoded[i],
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    shownWidth: Math.round(img.getBoundingClientRect().width),
    shownHeight: Math.round(img.getBoundingClientRect().height),
  }));
})()
"""


@dataclass(frozen=True)
class ImageState:
    name: str
    complete: bool
    decoded: bool
    natural_width: int
    natural_height: int
    shown_width: int
    shown_height: int

    @property
    def rendered(self) -> bool:
        return (
            self.complete
            and self.decoded
            and min(self.natural_width, self.natural_height, self.shown_width) > 0
        )


@dataclass(frozen=True)
class PageInspection:
    """What a person opening the page would get: its images, console errors and outside requests."""

    title: str
    images: tuple[ImageState, ...]
    console_errors: tuple[str, ...]
    external_requests: tuple[str, ...]
    page_width: int
    page_height: int
    screenshot: Path | None = None

    @property
    def problems(self) -> list[str]:
        found = [f"chart {image.name!r} did not render" for image in self.images if not image.rendered]
        found += [f"console error: {message}" for message in self.console_errors]
        found += [f"request outside the page: {url}" for url in self.external_requests]
        return found


def inspect_page(
    html_path: Path, screenshot: Path | None = None, chromium: str | None = None, timeout: float = 30.0
) -> PageInspection:
    """Open ``html_path`` in headless Chromium and report what rendered; optionally save a full-page PNG."""
    page_url = html_path.resolve().as_uri()
    with open_page(chromium, timeout) as page:
        page.navigate(page_url)
        try:
            states = page.evaluate(IMAGE_STATE_JS, await_promise=True)
        except BrowserError as error:
            raise BrowserError(f"checking the images failed: {error}") from error
        title = page.evaluate("document.title") or ""
        width, height = page.layout_size()
        if screenshot is not None:
            page.screenshot(screenshot, MAX_SCREENSHOT_HEIGHT)
    images = tuple(
        ImageState(
            name=str(state["name"]),
            complete=bool(state["complete"]),
            decoded=bool(state["decoded"]),
            natural_width=int(state["naturalWidth"]),
            natural_height=int(state["naturalHeight"]),
            shown_width=int(state["shownWidth"]),
            shown_height=int(state["shownHeight"]),
        )
        for state in states or []
    )
    return PageInspection(
        title=str(title),
        images=images,
        console_errors=tuple(page.console_errors()),
        external_requests=tuple(page.external_requests(page_url)),
        page_width=width,
        page_height=height,
        screenshot=screenshot,
    )


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="path of the built DuckDB file")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the report into")
    parser.add_argument(
        "--scoring-model", default="default", help="scoring model to report on (default: default)"
    )
    parser.add_argument(
        "--screenshot",
        action="store_true",
        help=f"open the page in headless Chromium, check that every chart renders, save {SCREENSHOT_NAME}",
    )
    args = parser.parse_args(argv)
    try:
        files = build_report(args.duckdb, args.out, args.scoring_model)
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
