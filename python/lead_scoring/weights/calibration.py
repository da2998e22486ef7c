"""The score-to-probability calibration the fit validates and stores (seed scoring_probability_calibration).

The bins are learned exactly as ``macros/calibration/score_probability_bins.sql`` learns
``int_score_probability_bins`` from the backtests: ``ntile(bins)`` over the scores, the lowest score
of each quantile as a bin edge (tied scores straddling two quantiles share one bin), the first bin
without lower bound and the last without upper bound, and each bin's conversion rate shrunk towards
the base rate with ``prior_strength`` pseudo-leads. The fit learns them on its training rows and
measures them on its held-out rows; the live score uses them only when the warehouse has no
usable backtest cutoff (and then says so).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lead_scoring.weights import metrics

SEED = "scoring_probability_calibration.csv"
COLUMNS = (
    "scoring_model",
    "score_bin",
    "lower_score",
    "upper_score",
    "leads",
    "conversions",
    "conversion_probability",
    "fitted_cutoff_date",
    "held_out_brier_score",
)


@dataclass(frozen=True)
class ScoreBin:
    score_bin: int
    lower_score: float | None  # inclusive; None for the first bin
    upper_score: float | None  # exclusive; None for the last bin
    leads: int
    conversions: int
    conversion_probability: float


@dataclass(frozen=True)
class CalibrationCheck:
    """Bins learned on the training rows and how they did on the held-out rows."""

    bins: tuple[ScoreBin, ...]
    held_out_leads: int
    brier_score: float
    log_loss: float
    largest_bin_gap: float  # the largest |mean probability - conversion rate| over held-out bins

    def describe(self) -> str:
        return (
            f"calibration: {len(self.bins)} score bins learned on the training rows; on the "
            f"{self.held_out_leads:,} held-out rows Brier {self.brier_score:.4f}, log loss "
            f"{self.log_loss:.4f}, largest bin gap {self.largest_bin_gap:.3f}"
        )


def _ntile_starts(count: int, buckets: int) -> np.ndarray:
    """The first position of each ``ntile(buckets)`` bucket over ``count`` sorted rows (the first
    ``count % buckets`` buckets hold one row more, as SQL's ntile does)."""
    buckets = min(buckets, count)
    sizes = np.full(buckets, count // buckets)
    sizes[: count % buckets] += 1
    return np.concatenate([[0], np.cumsum(sizes)[:-1]])


def learn_bins(
    score: np.ndarray, converted: np.ndarray, bins: int, prior_strength: float
) -> tuple[ScoreBin, ...]:
    """Quantile bins of ``score`` with shrunk conversion rates (see the module docstring)."""
    if len(score) == 0:
        return ()
    score = np.round(np.asarray(score, dtype=float), 2)
    edges = np.unique(np.sort(score)[_ntile_starts(len(score), bins)])
    base_rate = float(np.mean(converted))
    members = np.searchsorted(edges, score, side="right") - 1  # every score is >= the first edge
    leads = np.bincount(members, minlength=len(edges))
    conversions = np.bincount(members, weights=converted.astype(float), minlength=len(edges))
    return tuple(
        ScoreBin(
            score_bin=index + 1,
            lower_score=None if index == 0 else float(edges[index]),
            upper_score=None if index == len(edges) - 1 else float(edges[index + 1]),
            leads=int(leads[index]),
            conversions=int(conversions[index]),
            conversion_probability=float(
                (conversions[index] + prior_strength * base_rate) / (leads[index] + prior_strength)
            ),
        )
        for index in range(len(edges))
    )


def bin_index(bins: tuple[ScoreBin, ...], score: np.ndarray) -> np.ndarray:
    """The position in ``bins`` of the bin holding each score."""
    lowers = np.array([-math.inf] + [b.lower_score for b in bins[1:]], dtype=float)
    return np.searchsorted(lowers, np.round(np.asarray(score, dtype=float), 2), side="right") - 1


def probability(bins: tuple[ScoreBin, ...], score: np.ndarray) -> np.ndarray:
    """Each score's calibrated conversion probability."""
    return np.array([b.conversion_probability for b in bins])[bin_index(bins, score)]


def validate(
    train_score: np.ndarray,
    train_converted: np.ndarray,
    held_score: np.ndarray,
    held_converted: np.ndarray,
    bins: int,
    prior_strength: float,
    epsilon: float,
) -> CalibrationCheck:
    """Learn the bins on the training rows and measure them on the held-out rows."""
    learned = learn_bins(train_score, train_converted, bins, prior_strength)
    predicted = probability(learned, held_score)
    index = bin_index(learned, held_score)
    gaps = [
        abs(float(predicted[index == position].mean()) - float(held_converted[index == position].mean()))
        for position in np.unique(index)
    ]
    return CalibrationCheck(
        bins=learned,
        held_out_leads=len(held_score),
        brier_score=metrics.brier_score(held_converted, predicted),
        log_loss=metrics.log_loss(held_converted, predicted, epsilon),
        largest_bin_gap=max(gaps) if gaps else 0.0,
    )


def _cell(value: float | None, digits: int) -> str:
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_seed(seeds_dir: Path, scoring_model: str, check: CalibrationCheck, cutoff_date: str) -> Path:
    """Replace the rows of ``scoring_model`` in the stored-calibration seed (other models' rows stay)."""
    path = seeds_dir / SEED
    kept: list[dict[str, str]] = []
    if path.is_file():
        with path.open(newline="") as handle:
            kept = [row for row in csv.DictReader(handle) if row["scoring_model"] != scoring_model]
    rows = kept + [
        {
            "scoring_model": scoring_model,
            "score_bin": str(item.score_bin),
            "lower_score": _cell(item.lower_score, 2),
            "upper_score": _cell(item.upper_score, 2),
            "leads": str(item.leads),
            "conversions": str(item.conversions),
            "conversion_probability": _cell(item.conversion_probability, 6),
            "fitted_cutoff_date": cutoff_date,
            "held_out_brier_score": _cell(check.brier_score, 6),
        }
        for item in check.bins
    ]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
