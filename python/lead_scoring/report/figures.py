"""The charts of the calibration report (lead_scoring.report), drawn with matplotlib.

Every chart function takes plain NumPy arrays and returns a :class:`Chart` holding the same
figure twice: as SVG (embedded in the HTML page) and as PNG (written to ``charts/``). Rendering is
headless (Agg) and deterministic: a fixed ``svg.hashsalt`` and no dates in the file metadata, so
the same warehouse gives byte-identical files.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

STYLE = {
    "svg.hashsalt": "lead-scoring-calibration-report",
    "svg.fonttype": "path",  # text as outlines: the SVG needs no font on the reader's machine
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "path.simplify": True,
}
SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}

# Tiers are coloured from cold (lowest) to warm (highest); the list is cycled for more tiers.
TIER_COLOURS = ("#9aa5b1", "#f2b134", "#2e9e5b", "#1f6fb2", "#8e44ad")
CURRENT_COLOUR = "#9aa5b1"
SUGGESTED_COLOUR = "#1f6fb2"
LINE_COLOUR = "#1f6fb2"
REFERENCE_COLOUR = "#888888"
RECOMMENDED_COLOUR = "#2e9e5b"
CURRENT_LINE_COLOUR = "#d9822b"


@dataclass(frozen=True)
class Chart:
    """One rendered figure: ``name`` is the file stem of its PNG copy."""

    name: str
    title: str
    alt: str
    svg: bytes
    png: bytes


def tier_colour(position: int) -> str:
    """Colour of the tier at ``position`` (0 = lowest tier)."""
    return TIER_COLOURS[position % len(TIER_COLOURS)]


def _render(figure: Figure, name: str, title: str, alt: str) -> Chart:
    svg, png = io.BytesIO(), io.BytesIO()
    with plt.rc_context(STYLE):
        figure.savefig(svg, format="svg", metadata=SVG_METADATA)
        figure.savefig(png, format="png", metadata=PNG_METADATA)
    plt.close(figure)
    return Chart(name=name, title=title, alt=alt, svg=svg.getvalue(), png=png.getvalue())


def _figure(width: float = 8.0, height: float = 4.2, ncols: int = 1) -> tuple[Figure, np.ndarray]:
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(1, ncols, figsize=(width, height), squeeze=False, layout="constrained")
    return figure, axes[0]


def _finite(values: Sequence[float | None] | np.ndarray) -> np.ndarray:
    """``values`` as floats, with None as NaN."""
    return np.array([np.nan if value is None else value for value in values], dtype=float)


def tier_conversion_chart(
    tiers: Sequence[str], conversion_rate: np.ndarray, lift: np.ndarray, base_rate: float | None
) -> Chart:
    """Pooled conversion rate per tier (lowest tier first), labelled with the lift over the base rate."""
    with plt.rc_context(STYLE):
        figure, (axes,) = _figure(7.5, 4.2)
        rates = _finite(conversion_rate)
        lifts = _finite(lift)
        positions = np.arange(len(tiers))
        bars = axes.bar(
            positions,
            np.nan_to_num(rates),
            color=[tier_colour(i) for i in range(len(tiers))],
            width=0.6,
            zorder=2,
        )
        labels = [
            f"{rate:.1%}\n{lift_value:.1f}× lift" if np.isfinite(lift_value) else f"{rate:.1%}"
            for rate, lift_value in zip(np.nan_to_num(rates), lifts, strict=True)
        ]
        axes.bar_label(bars, labels=labels, padding=3, fontsize=9)
        if base_rate is not None:
            axes.axhline(
                base_rate,
                color=REFERENCE_COLOUR,
                linestyle="--",
                linewidth=1,
                zorder=3,
                label=f"base rate {base_rate:.1%}",
            )
            axes.legend(loc="upper left")
        axes.set_xticks(positions, list(tiers))
        top = float(np.max(np.append(np.nan_to_num(rates), base_rate or 0.0)))
        axes.set_ylim(0, max(top * 1.3, 0.01))
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("Tier (lowest to highest)")
        axes.set_ylabel("Conversion rate within the outcome window")
        axes.set_title("Conversion rate by tier (all backtest cutoffs pooled)")
        axes.grid(axis="x", visible=False)
    return _render(
        figure,
        "conversion_by_tier",
        "Conversion rate by tier",
        "Bar chart of the pooled conversion rate of each tier with its lift over the base rate.",
    )


def tier_conversion_by_cutoff_chart(
    cutoff_labels: Sequence[str], tiers: Sequence[str], conversion_rate: np.ndarray
) -> Chart:
    """Conversion rate per tier and backtest cutoff; ``conversion_rate`` is tiers × cutoffs."""
    with plt.rc_context(STYLE):
        figure, (axes,) = _figure(8.0, 4.0)
        rates = np.asarray(conversion_rate, dtype=float).reshape(len(tiers), len(cutoff_labels))
        positions = np.arange(len(cutoff_labels))
        width = 0.8 / max(len(tiers), 1)
        for index, tier in enumerate(tiers):
            offset = (index - (len(tiers) - 1) / 2) * width
            axes.bar(
                positions + offset,
                np.nan_to_num(rates[index]),
                width=width,
                color=tier_colour(index),
                label=tier,
                zorder=2,
            )
        axes.set_xticks(positions, list(cutoff_labels), rotation=30 if len(cutoff_labels) > 6 else 0)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("Backtest cutoff date")
        axes.set_ylabel("Conversion rate")
        axes.set_title("Conversion rate by tier, per backtest cutoff")
        axes.legend(title="Tier", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        axes.grid(axis="x", visible=False)
    return _render(
        figure,
        "conversion_by_tier_per_cutoff",
        "Conversion rate by tier, per cutoff",
        "Grouped bar chart of each tier's conversion rate at every backtest cutoff.",
    )


def reliability_chart(
    mean_predicted: np.ndarray, observed: np.ndarray, leads: np.ndarray, score_bins: np.ndarray
) -> Chart:
    """Mean calibrated probability against observed conversion rate per score bin, with the diagonal."""
    with plt.rc_context(STYLE):
        figure, (axes,) = _figure(6.2, 5.4)
        predicted = _finite(mean_predicted)
        actual = _finite(observed)
        counts = np.nan_to_num(_finite(leads))
        top = np.nanmax(np.concatenate([predicted, actual, [0.01]])) * 1.12
        axes.plot([0, top], [0, top], color=REFERENCE_COLOUR, linestyle="--", linewidth=1, label="perfect")
        sizes = 30 + 170 * counts / counts.max() if counts.size and counts.max() > 0 else 40
        axes.plot(predicted, actual, color=LINE_COLOUR, linewidth=1.2, zorder=2)
        axes.scatter(
            predicted, actual, s=sizes, color=LINE_COLOUR, edgecolor="white", zorder=3, label="score bin"
        )
        for bin_number, x_value, y_value in zip(score_bins, predicted, actual, strict=True):
            if np.isfinite(x_value) and np.isfinite(y_value):
                axes.annotate(
                    str(int(bin_number)),
                    (x_value, y_value),
                    xytext=(5, -10),
                    textcoords="offset points",
                    fontsize=7,
                )
        axes.set_xlim(0, top)
        axes.set_ylim(0, top)
        axes.set_aspect("equal")
        axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("Mean predicted conversion probability")
        axes.set_ylabel("Observed conversion rate")
        axes.set_title("Reliability curve (score bins, pooled)")
        axes.legend(loc="upper left")
    return _render(
        figure,
        "reliability_curve",
        "Reliability curve",
        "Scatter of mean predicted probability against observed conversion rate per score bin, "
        "with the diagonal of perfect calibration.",
    )


def gains_chart(lead_share: np.ndarray, conversion_share: np.ndarray) -> Chart:
    """Cumulative gains (left) and cumulative lift (right), highest score bins first.

    Both arrays start at 0 (the origin) and end at 1, as ``report.cumulative_gains`` returns them.
    """
    with plt.rc_context(STYLE):
        figure, (gains_axes, lift_axes) = _figure(10.0, 4.3, ncols=2)
        gains_axes.plot([0, 1], [0, 1], color=REFERENCE_COLOUR, linestyle="--", linewidth=1, label="random")
        gains_axes.plot(
            lead_share, conversion_share, color=LINE_COLOUR, marker="o", markersize=4, label="score"
        )
        gains_axes.fill_between(lead_share, lead_share, conversion_share, color=LINE_COLOUR, alpha=0.08)
        gains_axes.set_xlim(0, 1)
        gains_axes.set_ylim(0, 1.02)
        gains_axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        gains_axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        gains_axes.set_xlabel("Share of leads contacted (highest scores first)")
        gains_axes.set_ylabel("Share of all conversions caught")
        gains_axes.set_title("Cumulative gains")
        gains_axes.legend(loc="lower right")

        with np.errstate(divide="ignore", invalid="ignore"):
            lift = np.where(lead_share > 0, conversion_share / lead_share, np.nan)
        lift_axes.axhline(1.0, color=REFERENCE_COLOUR, linestyle="--", linewidth=1, label="random")
        lift_axes.plot(lead_share[1:], lift[1:], color=LINE_COLOUR, marker="o", markersize=4, label="score")
        lift_axes.set_xlim(0, 1)
        finite_lift = lift[np.isfinite(lift)]
        lift_axes.set_ylim(0, max(float(finite_lift.max()) * 1.15 if finite_lift.size else 1.0, 1.5))
        lift_axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        lift_axes.set_xlabel("Share of leads contacted (highest scores first)")
        lift_axes.set_ylabel("Cumulative lift (× base rate)")
        lift_axes.set_title("Cumulative lift")
        lift_axes.legend(loc="upper right")
    return _render(
        figure,
        "cumulative_gains",
        "Cumulative gains and lift",
        "Cumulative share of conversions against cumulative share of leads, highest score bins first, "
        "with the random diagonal; and the cumulative lift.",
    )


def score_distribution_chart(
    scores: np.ndarray,
    tier_positions: np.ndarray,
    tiers: Sequence[str],
    current_threshold: float | None,
    recommended_threshold: float | None,
) -> Chart:
    """Histogram of live total scores, stacked by tier (``tier_positions`` index into ``tiers``)."""
    with plt.rc_context(STYLE):
        figure, (axes,) = _figure(8.0, 4.2)
        values = np.asarray(scores, dtype=float)
        positions = np.asarray(tier_positions, dtype=int)
        edges = score_bin_edges(values)
        stacks = [values[positions == index] for index in range(len(tiers))]
        axes.hist(
            stacks,
            bins=edges,
            stacked=True,
            color=[tier_colour(i) for i in range(len(tiers))],
            label=list(tiers),
            edgecolor="white",
            linewidth=0.4,
            zorder=2,
        )
        for value, colour, label in (
            (current_threshold, CURRENT_LINE_COLOUR, "current MQL threshold"),
            (recommended_threshold, RECOMMENDED_COLOUR, "recommended MQL threshold"),
        ):
            if value is not None:
                axes.axvline(value, color=colour, linestyle="--", linewidth=1.4, label=f"{label} ({value:g})")
        axes.set_xlabel("Total score (points)")
        axes.set_ylabel("Leads")
        axes.set_title("Live score distribution by tier")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        axes.grid(axis="x", visible=False)
    return _render(
        figure,
        "score_distribution",
        "Score distribution by tier",
        "Histogram of the live total scores, stacked and coloured by tier, with the MQL thresholds.",
    )


def score_bin_edges(scores: np.ndarray, max_bins: int = 60) -> np.ndarray:
    """Histogram edges on round score steps (1, 2, 5, 10, 20, … points) with at most ``max_bins`` bins."""
    values = np.asarray(scores, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.array([0.0, 1.0])
    low, high = float(values.min()), float(values.max())
    span = max(high - low, 1.0)
    steps = np.array([1, 2, 5]) * 10.0 ** np.floor(np.log10(span / max_bins))
    candidates = np.concatenate([steps, steps * 10])
    step = float(candidates[np.argmax(span / candidates <= max_bins)])
    start = np.floor(low / step) * step
    stop = np.floor(high / step) * step + step
    return np.arange(start, stop + step / 2, step)


def threshold_chart(
    thresholds: np.ndarray,
    precision: np.ndarray,
    recall: np.ndarray,
    target_precision: float | None,
    current_threshold: float | None,
    recommended_threshold: float | None,
) -> Chart:
    """Precision and recall of the MQL line at each candidate threshold."""
    with plt.rc_context(STYLE):
        figure, (axes,) = _figure(8.0, 4.2)
        axes.plot(
            thresholds, _finite(precision), color=LINE_COLOUR, marker="o", markersize=3, label="precision"
        )
        axes.plot(thresholds, _finite(recall), color="#8e44ad", marker="s", markersize=3, label="recall")
        if target_precision is not None:
            axes.axhline(
                target_precision,
                color=REFERENCE_COLOUR,
                linestyle=":",
                linewidth=1.2,
                label=f"target precision {target_precision:.0%}",
            )
        for value, colour, label in (
            (current_threshold, CURRENT_LINE_COLOUR, "current"),
            (recommended_threshold, RECOMMENDED_COLOUR, "recommended"),
        ):
            if value is not None:
                axes.axvline(value, color=colour, linestyle="--", linewidth=1.4, label=f"{label} ({value:g})")
        axes.set_ylim(0, 1.02)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("MQL threshold (total score at or above)")
        axes.set_ylabel("Share")
        axes.set_title("MQL precision and recall by threshold (pooled backtests)")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _render(
        figure,
        "mql_thresholds",
        "MQL precision and recall by threshold",
        "Line chart of MQL precision and recall at each candidate threshold, with the current and "
        "recommended thresholds marked.",
    )


def signal_weights_chart(labels: Sequence[str], current: np.ndarray, suggested: np.ndarray) -> Chart:
    """Current against suggested seed value per rule, as grouped horizontal bars (first label on top)."""
    with plt.rc_context(STYLE):
        height = max(3.0, 0.42 * len(labels) + 1.4)
        figure, (axes,) = _figure(8.5, height)
        positions = np.arange(len(labels))[::-1]
        bar_height = 0.38
        current_values = _finite(current)
        suggested_values = _finite(suggested)
        current_bars = axes.barh(
            positions + bar_height / 2,
            np.nan_to_num(current_values),
            height=bar_height,
            color=CURRENT_COLOUR,
            label="current points",
            zorder=2,
        )
        suggested_bars = axes.barh(
            positions - bar_height / 2,
            np.nan_to_num(suggested_values),
            height=bar_height,
            color=SUGGESTED_COLOUR,
            label="suggested points",
            zorder=2,
        )
        for bars, values in ((current_bars, current_values), (suggested_bars, suggested_values)):
            axes.bar_label(
                bars, labels=["" if not np.isfinite(v) else f"{v:g}" for v in values], padding=2, fontsize=7
            )
        axes.axvline(0, color="#444444", linewidth=0.8)
        axes.set_yticks(positions, list(labels))
        axes.set_xlabel(
            "Seed value in the seed's units\n"
            "(fit: signed points · behavioral: points per unit · negative: points deducted)"
        )
        axes.set_title("Current vs suggested weights per rule")
        figure.legend(loc="outside lower center", ncols=2)
        axes.grid(axis="y", visible=False)
        extent = np.nanmax(np.abs(np.concatenate([current_values, suggested_values, [1.0]])))
        low = min(0.0, np.nanmin(np.concatenate([current_values, suggested_values, [0.0]])))
        axes.set_xlim(low - 0.2 * extent if low < 0 else 0, extent * 1.15)
    return _render(
        figure,
        "signal_weights",
        "Current vs suggested weights",
        "Grouped horizontal bar chart of each rule's current and suggested points.",
    )
