"""Held-out metrics, computed the way the calibration reports compute them in SQL."""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import roc_auc_score

from lead_scoring.weights.seeds import Band


def auc(converted: np.ndarray, score: np.ndarray) -> float | None:
    """The chance a converter outscores a non-converter, ties counting half (None: one class only)."""
    if converted.all() or not converted.any():
        return None
    return float(roc_auc_score(converted, score))


def brier_score(converted: np.ndarray, probability: np.ndarray) -> float:
    return float(np.mean((probability - converted.astype(float)) ** 2))


def log_loss(converted: np.ndarray, probability: np.ndarray, epsilon: float) -> float:
    clipped = np.clip(probability, epsilon, 1 - epsilon)
    outcome = converted.astype(float)
    return float(-np.mean(outcome * np.log(clipped) + (1 - outcome) * np.log(1 - clipped)))


def top_decile_lift(
    converted: np.ndarray, score: np.ndarray, lead_id: np.ndarray, bins: int = 10
) -> float | None:
    """Conversion rate of the first of ``bins`` equal bins by score (high first, then lead_id, as
    ``ntile`` does in rpt_model_performance) over the base rate."""
    base_rate = converted.mean()
    if base_rate == 0:
        return None
    order = np.lexsort((lead_id, -score))
    top = order[: math.ceil(len(order) / bins)]
    return float(converted[top].mean() / base_rate)


def tier_of(score: np.ndarray, bands: list[Band]) -> np.ndarray:
    """The tier band holding each score (lower bound included, upper excluded)."""
    tiers = np.full(len(score), "", dtype=object)
    for band in bands:
        inside = np.ones(len(score), dtype=bool)
        if band.lower is not None:
            inside &= score >= band.lower
        if band.upper is not None:
            inside &= score < band.upper
        tiers[inside] = band.band
    return tiers


def tier_conversion(
    converted: np.ndarray, tiers: np.ndarray, bands: list[Band]
) -> list[tuple[str, int, float | None]]:
    """Per tier (lowest first): leads and conversion rate."""
    result = []
    for band in bands:
        members = tiers == band.band
        count = int(members.sum())
        result.append((band.band, count, float(converted[members].mean()) if count else None))
    return result
