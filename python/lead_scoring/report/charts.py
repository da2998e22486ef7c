"""Chart inputs: every chart the report data allows, drawn by lead_scoring.report.figures."""

from __future__ import annotations

import contextlib

import numpy as np

from lead_scoring.report import figures as charts
from lead_scoring.report.figures import Chart
from lead_scoring.report.queries import ReportData, frame_length
from lead_scoring.report.rules import _finite_or_none, _flag, cumulative_gains, tier_matrix


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
