"""Time-based validation: fit on the earlier cutoffs, compare models on the latest one(s).

With one usable cutoff (a one-snapshot export), or when no earlier cutoff's outcome window ends by the
held-out one, the split is by creation time instead: the latest cutoff's most recently created leads
(var ``fit_holdout_lead_share``, 20%, as Dynamics 365 validates on the latest 20%) are held out and
the fit learns on the earlier-created rest of that cutoff. Never a random split.

The held-out table has one row per model, all measured on the same held-out rows, never on the rows
a model was fitted on:

- ``current``: the seeds as they are (the built ``total_score``);
- ``suggested``: the seeds the joint fit suggests (the points model, simulated from the features);
- ``logistic``: an unconstrained logistic regression on the same features (every rule's presence, a
  signal's decayed units and whether its current cap is hit): what the points format gives up;
- ``gradient_boosting``: gradient-boosted trees on the same features (interactions, curves).

Probabilities of the points models are a logistic (Platt) mapping of the score fitted on the
training rows, so Brier score and log loss are held-out too. The calibration the fit stores for
the live score (``calibration``: score bins, as dbt learns them) is learned on the training rows of
the suggested score and measured on the held-out rows as well.
"""

from __future__ import annotations

import csv
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from lead_scoring.weights import calibration, metrics
from lead_scoring.weights.data import BacktestRows
from lead_scoring.weights.fit import FitResult, fit_logistic, joint_fit, points_score, weights_of
from lead_scoring.weights.seeds import Band
from lead_scoring.weights.settings import FitSettings

MODELS = ("current", "suggested", "logistic", "gradient_boosting")
GRADIENT_BOOSTING = {"max_iter": 200, "learning_rate": 0.05, "random_state": 0}
# A Platt mapping is one slope and one intercept: effectively unregularised.
PLATT_INVERSE_STRENGTH = 1e6


class ColdStart(Exception):
    """Too few conversions in the training cutoffs to fit anything but noise."""


@dataclass(frozen=True)
class Split:
    train: np.ndarray  # bool mask
    holdout: np.ndarray  # bool mask
    train_cutoffs: tuple[str, ...]
    holdout_cutoffs: tuple[str, ...]
    train_conversions: int  # distinct converted leads
    kind: str = "cutoffs"  # cutoffs | latest_created_leads
    holdout_created_from: str | None = None  # latest_created_leads: the first held-out creation time
    reason: str = ""  # why the split is by creation time

    def describe(self) -> str:
        """One line: what the fit learned on and what it held out."""
        if self.kind == "cutoffs":
            return (
                f"trained on cutoffs {', '.join(self.train_cutoffs)} ({self.train_conversions} converted "
                f"leads); held out {', '.join(self.holdout_cutoffs)}"
            )
        return (
            f"{self.reason}: held out the {int(self.holdout.sum()):,} most recently created leads of cutoff "
            f"{self.holdout_cutoffs[0]} (created from {self.holdout_created_from}); trained on the "
            f"{int(self.train.sum()):,} created before ({self.train_conversions} converted leads)"
        )


@dataclass(frozen=True)
class HoldoutRow:
    model: str
    leads: int
    conversions: int
    base_rate: float
    auc: float | None
    brier_score: float
    log_loss: float
    top_decile_lift: float | None
    tier_conversion: str  # "low 2.4% (9,000) · nurture ..."; blank for models without tiers


def time_split(rows: BacktestRows, settings: FitSettings) -> Split:
    """The latest ``holdout_cutoffs`` cutoffs are held out; training rows are those of cutoffs whose
    outcome window has ended by the first held-out cutoff (so no outcome seen in training happens
    after the held-out scores were taken). When that leaves nothing to train on (one usable cutoff,
    ``holdout_cutoffs`` 0, or windows longer than the gaps between cutoffs), ``latest_created_split``."""
    cutoffs = np.unique(rows.cutoff_date)
    if settings.holdout_cutoffs < 1:
        return latest_created_split(rows, settings, "fit_holdout_cutoffs is 0")
    if len(cutoffs) <= settings.holdout_cutoffs:
        return latest_created_split(rows, settings, f"{len(cutoffs)} usable backtest cutoff(s)")
    held = cutoffs[-settings.holdout_cutoffs :]
    holdout = np.isin(rows.cutoff_date, held)
    train = rows.outcome_window_end_date <= held.min()
    if not train.any():
        return latest_created_split(
            rows, settings, f"no cutoff's outcome window ends by the first held-out cutoff {held.min()}"
        )
    converted_leads = len(np.unique(rows.lead_id[train & rows.converted]))
    return Split(
        train,
        holdout,
        tuple(str(day) for day in np.unique(rows.cutoff_date[train])),
        tuple(str(day) for day in held),
        converted_leads,
    )


def latest_created_split(rows: BacktestRows, settings: FitSettings, reason: str) -> Split:
    """At the latest cutoff, hold out the ``holdout_lead_share`` most recently created leads (every
    lead created at or after the creation time of the one that reaches the share, so a reader can
    select them again by that time) and train on the leads created before them."""
    share = settings.holdout_lead_share
    if not 0 < share < 1:
        raise ColdStart(f"{reason}, and fit_holdout_lead_share {share:g} is not between 0 and 1")
    latest_cutoff = rows.cutoff_date.max()
    latest = rows.cutoff_date == latest_cutoff
    created = np.sort(rows.created_at[latest])
    boundary = created[len(created) - math.ceil(share * len(created))]
    holdout = latest & (rows.created_at >= boundary)
    train = latest & (rows.created_at < boundary)
    if not train.any():
        raise ColdStart(
            f"{reason}, and every lead of cutoff {latest_cutoff} was created at the same time "
            f"({boundary}): nothing to train on before the latest-created leads"
        )
    return Split(
        train,
        holdout,
        (str(latest_cutoff),),
        (str(latest_cutoff),),
        len(np.unique(rows.lead_id[train & rows.converted])),
        kind="latest_created_leads",
        holdout_created_from=str(boundary).replace("T", " "),
        reason=reason,
    )


def check_enough_conversions(split: Split, settings: FitSettings) -> None:
    if split.train_conversions < settings.min_conversions:
        where = (
            f"the training cutoffs ({', '.join(split.train_cutoffs)})"
            if split.kind == "cutoffs"
            else f"the earlier-created leads of cutoff {split.train_cutoffs[0]}"
        )
        raise ColdStart(
            f"only {split.train_conversions} converted leads in {where}; the fit needs at least "
            f"{settings.min_conversions} "
            "(var fit_min_conversions) and declines rather than fit noise. The current weights stay "
            "as they are, unvalidated: collect more outcomes (or more cutoffs) and run it again."
        )


def unconstrained_features(rows: BacktestRows) -> np.ndarray:
    """Every rule's presence, a signal's decayed units, and whether its current cap is hit."""
    columns = [rows.presence]
    for index, rule in enumerate(rows.rules):
        if rule.component != "behavioral":
            continue
        columns.append(rows.units[:, [index]])
        if rule.cap_points is not None and rule.points > 0:
            columns.append((rows.units[:, [index]] * rule.points >= rule.cap_points).astype(float))
    return np.hstack(columns)


def platt(train_score: np.ndarray, train_converted: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Conversion probability of ``score`` from a logistic mapping fitted on the training scores."""
    model = LogisticRegression(C=PLATT_INVERSE_STRENGTH, max_iter=1000)
    model.fit(train_score.reshape(-1, 1), train_converted)
    return model.predict_proba(score.reshape(-1, 1))[:, 1]


def _tier_text(converted: np.ndarray, score: np.ndarray, bands: list[Band]) -> str:
    parts = []
    for band, leads, rate in metrics.tier_conversion(converted, metrics.tier_of(score, bands), bands):
        parts.append(f"{band} {'-' if rate is None else f'{rate:.1%}'} ({leads:,})")
    return " · ".join(parts)


def holdout_row(
    model: str,
    rows: BacktestRows,
    score: np.ndarray,
    probability: np.ndarray,
    bands: list[Band] | None,
    epsilon: float,
) -> HoldoutRow:
    converted = rows.converted
    return HoldoutRow(
        model=model,
        leads=len(rows),
        conversions=int(converted.sum()),
        base_rate=float(converted.mean()),
        auc=metrics.auc(converted, score),
        brier_score=metrics.brier_score(converted, probability),
        log_loss=metrics.log_loss(converted, probability, epsilon),
        top_decile_lift=metrics.top_decile_lift(converted, score, rows.lead_id),
        tier_conversion="" if bands is None else _tier_text(converted, score, bands),
    )


@dataclass
class Evaluation:
    split: Split
    fit: FitResult
    table: list[HoldoutRow]
    calibration: calibration.CalibrationCheck  # the suggested score's bins, validated on the held-out rows

    def row(self, model: str) -> HoldoutRow:
        return next(row for row in self.table if row.model == model)


def evaluate(rows: BacktestRows, bands: list[Band], threshold: float, settings: FitSettings) -> Evaluation:
    """Split by time, fit on the training rows, and measure every model on the held-out rows.

    One thread for BLAS and OpenMP: on a shared machine, threads waiting for each other made the
    gradient boosting 15x slower than on one core (the fits here are small)."""
    with threadpool_limits(limits=1):
        return _evaluate(rows, bands, threshold, settings)


def _evaluate(rows: BacktestRows, bands: list[Band], threshold: float, settings: FitSettings) -> Evaluation:
    split = time_split(rows, settings)
    check_enough_conversions(split, settings)
    train, held = rows.subset(split.train), rows.subset(split.holdout)
    # the MQL volume is matched at the latest cutoff (its scores only: the population sales will see)
    latest = rows.subset(rows.cutoff_date == rows.cutoff_date.max())
    fitted = joint_fit(train, threshold, settings, volume_rows=latest)
    table = []
    for model, weights in (("current", weights_of(rows.rules)), ("suggested", fitted.values)):
        # the current weights' score as built (exact, with every cap); the suggested one simulated
        train_score = train.total_score if model == "current" else points_score(train, weights)
        held_score = held.total_score if model == "current" else points_score(held, weights)
        probability = platt(train_score, train.converted, held_score)
        table.append(holdout_row(model, held, held_score, probability, bands, settings.epsilon))
    # the calibration stored with the suggested weights: bins of their training scores
    stored = calibration.validate(
        points_score(train, fitted.values),
        train.converted,
        points_score(held, fitted.values),
        held.converted,
        settings.calibration_bins,
        settings.calibration_prior_strength,
        settings.epsilon,
    )
    train_features, held_features = unconstrained_features(train), unconstrained_features(held)
    logistic = fit_logistic(train_features, train.converted, settings.l2_inverse_strength)
    log_odds = logistic.intercept + held_features @ logistic.coefficients
    probability = 1 / (1 + np.exp(-log_odds))
    table.append(holdout_row("logistic", held, log_odds, probability, None, settings.epsilon))
    boosted = HistGradientBoostingClassifier(**GRADIENT_BOOSTING).fit(train_features, train.converted)
    probability = boosted.predict_proba(held_features)[:, 1]
    table.append(holdout_row("gradient_boosting", held, probability, probability, None, settings.epsilon))
    return Evaluation(split, fitted, table, stored)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)


def write_table(table: list[HoldoutRow], path: Path) -> None:
    """The held-out table as CSV (the HTML report shows it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = list(HoldoutRow.__dataclass_fields__)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in table:
            writer.writerow({key: _cell(value) for key, value in asdict(row).items()})


def format_table(table: list[HoldoutRow]) -> str:
    """The held-out table as aligned text."""
    lines = [
        f"{'model':<18} {'AUC':>6} {'Brier':>7} {'log loss':>8} {'top-10% lift':>12}  conversion by tier"
    ]
    for row in table:
        auc = "-" if row.auc is None else f"{row.auc:.3f}"
        lift = "-" if row.top_decile_lift is None else f"{row.top_decile_lift:.2f}"
        lines.append(
            f"{row.model:<18} {auc:>6} {row.brier_score:>7.4f} {row.log_loss:>8.4f} {lift:>12}  "
            + row.tier_conversion
        )
    return "\n".join(lines)
