"""Verdict rules and the pure computations behind them (no warehouse, no HTML).

The thresholds of the verdicts live in seeds/scoring/scoring_calibration_policy.csv and arrive as
status columns of the report models (auc_status, separation_status, psi_status); the functions here
turn a status into words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lead_scoring.report.queries import Frame, Policy, frame_length

# Seeds the "how to act" notes point at.
BANDS_SEED = "seeds/scoring/scoring_bands.csv"
POLICY_SEED = "seeds/scoring/scoring_calibration_policy.csv"
SEED_COLUMNS = {
    "fit": ("seeds/scoring/scoring_fit_rules.csv", "points"),
    "behavioral": ("seeds/scoring/scoring_behavioral_signals.csv", "points_per_unit"),
    "negative": ("seeds/scoring/scoring_negative_rules.csv", "points"),
}

NO_BACKTEST_NOTE = (
    "No usable backtest cutoff, so there is nothing to measure here yet. A cutoff needs "
    "backtest_min_history_days of data before it and a complete outcome window (outcome_window_days) "
    "before the data's last day (the last lead created or opportunity opened); the reasons per candidate "
    "cutoff are listed below. Build with a shorter outcome window (`make build OUTCOME_WINDOW_DAYS=N`; "
    "`make weights` names the longest one that leaves a cutoff), set backtest_first_cutoff or lower "
    "backtest_min_history_days, or load a longer history."
)


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


def auc_verdict(auc: float | None, status: str, policy: Policy) -> Verdict:
    """The ranking verdict; ``status`` is rpt_model_performance.auc_status."""
    if auc is None or not math.isfinite(auc) or status == "unknown":
        return Verdict(
            "Ranking", "unknown", "cannot tell: the backtests have no converters or no non-converters"
        )
    if status == "good":
        return Verdict("Ranking", "good", f"ranks well (AUC {auc:.2f} ≥ {policy.auc_good_min:.2f})")
    if status == "warn":
        return Verdict(
            "Ranking",
            "warn",
            f"ranks moderately (AUC {auc:.2f}, {policy.auc_weak_min:.2f} to {policy.auc_good_min:.2f})",
        )
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


def separation_verdict(
    ratio: float | None, status: str, top_tier: str, bottom_tier: str, policy: Policy
) -> Verdict:
    """The separation verdict; ``status`` is rpt_conversion_by_tier.separation_status."""
    topic = f"{top_tier} / {bottom_tier} conversion"
    if ratio is None or not math.isfinite(ratio) or status == "unknown":
        return Verdict(topic, "unknown", f"cannot tell: {bottom_tier} had no conversions or no leads")
    good = f"{policy.separation_good_min:g}×"
    if status == "good":
        return Verdict(
            topic, "good", f"{ratio:.1f}× : clear separation (at least the {good} of a working model)"
        )
    if status == "warn":
        return Verdict(
            topic, "warn", f"{ratio:.1f}× : some separation, less than the {good} a working model shows"
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
    auc_status: str,
    in_order: bool | None,
    ratio: float | None,
    separation_status: str,
    mean_predicted: float | None,
    base_rate: float | None,
    policy: Policy,
    top_tier: str = "top tier",
    bottom_tier: str = "bottom tier",
) -> list[Verdict]:
    return [
        auc_verdict(auc, auc_status, policy),
        tier_order_verdict(in_order),
        separation_verdict(ratio, separation_status, top_tier, bottom_tier, policy),
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


def threshold_advice(
    current: float | None,
    recommended: float | None,
    mql_tier: str,
    target_precision: float | None,
    min_mql_leads_per_cutoff: float | None,
    basis: str | None = None,
    required_precision: float | None = None,
) -> str:
    """What to do with the MQL line, in words (``basis``: rpt_threshold_recommendations'
    recommendation_basis; on the lift basis the target is at or below the base rate)."""
    lift_basis = basis is not None and basis.startswith("lift")
    prefix = ""
    if lift_basis and target_precision is not None:
        required = "" if required_precision is None else f" ({required_precision:.0%})"
        prefix = (
            f"The target precision ({target_precision:.0%}) is at or below the base rate, so every threshold "
            f"reaches it (it would make everybody an MQL): the recommendation asks for min_mql_lift x the "
            f"base rate{required} instead; raise target_precision in {POLICY_SEED} to set your own. "
        )
    if recommended is None:
        target = "the target precision" if target_precision is None else f"{target_precision:.0%} precision"
        if lift_basis and required_precision is not None:
            target = f"{required_precision:.0%} precision (min_mql_lift x the base rate)"
        volume = (
            ""
            if min_mql_leads_per_cutoff is None
            else f" with at least {min_mql_leads_per_cutoff:g} MQLs per cutoff"
        )
        return prefix + (
            f"No candidate threshold reaches {target}{volume}: keep the current line, or lower "
            f"target_precision (or min_mql_leads_per_cutoff) in {POLICY_SEED} if that target is too strict."
        )
    if current is not None and math.isclose(current, recommended):
        return prefix + f"The current MQL threshold ({current:g}) is the recommended one: keep it."
    current_text = "its current value" if current is None else f"{current:g}"
    return prefix + (
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


def _finite_or_none(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None
