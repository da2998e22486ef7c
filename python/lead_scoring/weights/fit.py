"""The joint fit: one regularised logistic regression over the backtest rows, turned into seed values.

Each rule or signal is one term of the points model the seeds can express:

- a fit rule, an attribute / event disqualifier or an inactivity rule: 1 when it applies;
- a behavioral signal, two terms: its decayed units before points, capped at ``cap_units`` (points
  per unit x units, capped at cap points, is exactly what the seed computes; the cap in units is
  chosen among the current cap and quantiles of the signal's units, ``fit_cap_quantiles``, by
  training log loss), and a *penalty*, 1 when the lead has any of its events (a
  ``<signal>_penalty`` row in the negative rules seed: flat points, no window).

Signals on the same events (the same event type and page path pattern: time on site and page
views, say) have the same penalty column, so they get one penalty term together, written as one
penalty row; two terms would split one effect between two rows.

Signs the seeds cannot carry are settled by refitting without them: a disqualifier that predicts
conversion is switched off (0 points), a signal whose units predict not converting gets 0 points
per unit, a penalty whose events predict converting is dropped.

**Scaling rule (the MQL threshold keeps its meaning):** points = coefficient x factor, with the factor
chosen so that the MQL threshold selects the same share of the leads at the latest cutoff as the
current weights do (the same MQL volume; only their scores are read, not their outcomes). When that
is impossible (no MQL, everybody an MQL, or a non-positive
quantile) the factor is ``fit_points_per_log_odds`` points per unit of log-odds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from lead_scoring.weights.data import BacktestRows
from lead_scoring.weights.seeds import PENALTY_SUFFIX, Rule, SeedValues
from lead_scoring.weights.settings import FitSettings

# Seed bounds (seeds/scoring/_scoring__seeds.yml): fit points within +-100, a signal's points per
# unit and a negative rule's points within 0..100.
POINTS_BOUND = 100.0
MAX_ITERATIONS = 1000
SIGN_ROUNDS = 10


@dataclass(frozen=True)
class Term:
    rule_index: int
    kind: str  # indicator | capped_units | penalty
    cap_units: float = math.inf


# What a note says, by kind: the weights command (weights.cli) prints one line per kind, listing the rules.
NOTE_TEXT = {
    "no_training_row": "value kept: applies to no training row",
    "no_contrast": "value kept: applies to every training row (no contrast)",
    "predicts_conversion": "disqualifier set to 0: predicts conversion",
    "more_predicts_not_converting": "0 points per unit: more of it predicts not converting",
    "clamped": "clamped to the seed bounds",
    "penalties_merged": "one penalty row for signals on the same events",
}


@dataclass(frozen=True)
class Note:
    kind: str  # a key of NOTE_TEXT
    subject: str  # "<component> <rule_id>"
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.subject}: {NOTE_TEXT[self.kind]}" + (f" ({self.detail})" if self.detail else "")


def summarise_notes(notes: list[Note], annotations: dict[str, str] | None = None) -> list[str]:
    """One line per kind of note, in NOTE_TEXT order: what happened, how many, and to which rules.
    ``annotations`` adds a remark to a kind's line (e.g. which rules have no ledger row at all)."""
    lines = []
    for kind, text in NOTE_TEXT.items():
        items = [note for note in notes if note.kind == kind]
        if not items:
            continue
        listed = ", ".join(note.subject + (f" ({note.detail})" if note.detail else "") for note in items)
        remark = (annotations or {}).get(kind)
        lines.append(f"{text} ({len(items)}): {listed}" + (f"; {remark}" if remark else ""))
    return lines


@dataclass(frozen=True)
class Logistic:
    intercept: float
    coefficients: np.ndarray


@dataclass
class FitResult:
    terms: list[Term]
    model: Logistic
    factor: float
    scaling_rule: str
    values: SeedValues
    notes: list[Note] = field(default_factory=list)


def term_matrix(rows: BacktestRows, terms: list[Term]) -> np.ndarray:
    """One column per term (see the module docstring)."""
    columns = []
    for term in terms:
        if term.kind == "capped_units":
            columns.append(np.minimum(rows.units[:, term.rule_index], term.cap_units))
        else:
            columns.append(rows.presence[:, term.rule_index])
    return np.column_stack(columns) if columns else np.zeros((len(rows), 0))


def fit_logistic(features: np.ndarray, converted: np.ndarray, inverse_strength: float) -> Logistic:
    """L2-regularised logistic regression on standardised columns; coefficients in column units."""
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=inverse_strength, solver="newton-cholesky", max_iter=MAX_ITERATIONS)
    model.fit(features / scale, converted)
    return Logistic(float(model.intercept_[0]), model.coef_[0] / scale)


def predict_log_odds(model: Logistic, features: np.ndarray) -> np.ndarray:
    return model.intercept + features @ model.coefficients


def mean_log_loss(model: Logistic, features: np.ndarray, converted: np.ndarray) -> float:
    log_odds = predict_log_odds(model, features)
    # log(1 + e^z) - y z, computed stably
    return float(np.mean(np.logaddexp(0, log_odds) - converted * log_odds))


def current_cap_units(rule: Rule, units: np.ndarray, quantile: float) -> float:
    """The current cap in units (cap / points per unit); a 0-point signal with a cap starts at a quantile."""
    if rule.cap_points is None:
        return math.inf
    if rule.points > 0:
        return rule.cap_points / rule.points
    nonzero = units[units > 0]
    return float(np.quantile(nonzero, quantile)) if len(nonzero) else math.inf


def same_events(rule: Rule) -> tuple[str, str]:
    """The events a signal (and its penalty) counts: its event type and page path pattern."""
    return (rule.event_type, rule.page_path_pattern)


def penalty_owners(rules: tuple[Rule, ...]) -> dict[int, int]:
    """Behavioral rule index -> the index of the signal whose penalty term stands for its events:
    the first signal in seed order on the same events (one penalty row per set of events)."""
    first: dict[tuple[str, str], int] = {}
    owner: dict[int, int] = {}
    for index, rule in enumerate(rules):
        if rule.component == "behavioral" and rule.penalty_of is None:
            owner[index] = first.setdefault(same_events(rule), index)
    return owner


def initial_terms(rows: BacktestRows, settings: FitSettings) -> tuple[list[Term], list[Note]]:
    """A term per rule that applies to some training row; notes for the rules that never apply."""
    terms: list[Term] = []
    notes: list[Note] = []
    owners = penalty_owners(rows.rules)
    for index, rule in enumerate(rows.rules):
        subject = f"{rule.component} {rule.rule_id}"
        if rule.penalty_of is not None:
            continue  # fitted through its signal
        if not rows.presence[:, index].any():
            notes.append(Note("no_training_row", subject))
            continue
        if rule.component != "behavioral" and rows.presence[:, index].all():
            notes.append(Note("no_contrast", subject))
            continue
        if rule.component == "behavioral":
            cap = current_cap_units(rule, rows.units[:, index], max(settings.cap_quantiles))
            # points per unit up to a cap, and a flat penalty for having the events at all: the
            # behavioral seed and a "<signal>_penalty" negative rule carry both; signals on the same
            # events share the first one's penalty term
            terms.append(Term(index, "capped_units", cap))
            if owners[index] == index:
                terms.append(Term(index, "penalty"))
        else:
            terms.append(Term(index, "indicator"))
    return terms, notes


def choose_caps(rows: BacktestRows, terms: list[Term], settings: FitSettings) -> list[Term]:
    """For each behavioral term in turn, the cap in units with the lowest training log loss."""
    terms = list(terms)
    converted = rows.converted
    for position, term in enumerate(terms):
        if term.kind != "capped_units":
            continue
        units = rows.units[:, term.rule_index]
        nonzero = units[units > 0]
        candidates = {term.cap_units, math.inf}
        candidates.update(float(np.quantile(nonzero, q)) for q in settings.cap_quantiles if len(nonzero))
        best: tuple[float, Term] | None = None
        for cap in sorted(candidates):
            if cap <= 0:
                continue
            trial = [*terms[:position], replace(term, cap_units=cap), *terms[position + 1 :]]
            features = term_matrix(rows, trial)
            loss = mean_log_loss(
                fit_logistic(features, converted, settings.l2_inverse_strength), features, converted
            )
            if best is None or loss < best[0] - 1e-12:
                best = (loss, trial[position])
        if best is not None:
            terms[position] = best[1]
    return terms


def settle_signs(
    rows: BacktestRows, terms: list[Term], settings: FitSettings
) -> tuple[list[Term], Logistic, list[Note]]:
    """Refit until every coefficient has a sign the seeds can carry; notes say what changed."""
    notes: list[Note] = []
    for _ in range(SIGN_ROUNDS):
        model = fit_logistic(term_matrix(rows, terms), rows.converted, settings.l2_inverse_strength)
        settled: list[Term] = []
        changed = False
        for term, coefficient in zip(terms, model.coefficients, strict=True):
            rule = rows.rules[term.rule_index]
            if rule.component == "negative" and coefficient > 0:
                notes.append(Note("predicts_conversion", f"negative {rule.rule_id}", f"{coefficient:+.3f}"))
                changed = True
            elif term.kind == "capped_units" and coefficient < 0:
                notes.append(
                    Note("more_predicts_not_converting", f"behavioral {rule.rule_id}", f"{coefficient:+.3f}")
                )
                changed = True
            elif term.kind == "penalty" and coefficient > 0:
                # having the events at all is no bad sign: no penalty row (the common case)
                changed = True
            else:
                settled.append(term)
        terms = settled
        if not changed:
            return terms, model, notes
    model = fit_logistic(term_matrix(rows, terms), rows.converted, settings.l2_inverse_strength)
    return terms, model, notes


def scaling_factor(
    linear_part: np.ndarray, current_score: np.ndarray, threshold: float, fallback: float
) -> tuple[float, str]:
    """Points per unit of log-odds: the same MQL volume at ``threshold`` as the current weights."""
    share = float(np.mean(current_score >= threshold))
    if 0 < share < 1 and threshold > 0:
        boundary = float(np.quantile(linear_part, 1 - share))
        if boundary > 0:
            return threshold / boundary, (
                f"same MQL volume: {share:.1%} of the leads at or above {threshold:g} points "
                f"({threshold / boundary:.2f} points per unit of log-odds)"
            )
    return fallback, f"fixed factor: {fallback:g} points per unit of log-odds (fit_points_per_log_odds)"


def _bounded(value: float, low: float, high: float, label: str, notes: list[Note]) -> float:
    if value < low or value > high:
        notes.append(Note("clamped", label, f"{value:.2f} outside [{low:g}, {high:g}]"))
    return min(max(value, low), high)


def penalty_rows(rules: tuple[Rule, ...]) -> dict[int, int]:
    """Penalty owner signal index -> the index of the existing penalty row that carries its penalty:
    the first in seed order among the penalty rows of the signals on the same events."""
    owners = penalty_owners(rules)
    signal_index = {rule.rule_id: i for i, rule in enumerate(rules) if rule.component == "behavioral"}
    carriers: dict[int, int] = {}
    for index, rule in enumerate(rules):
        if rule.penalty_of is not None and rule.penalty_of in signal_index:
            carriers.setdefault(owners[signal_index[rule.penalty_of]], index)
    return carriers


def seed_values(
    rows: BacktestRows, terms: list[Term], model: Logistic, factor: float, notes: list[Note]
) -> SeedValues:
    """The fitted coefficients as seed values; rules without a term get 0 (switched off) unless they
    never applied (kept, see ``initial_terms``). One penalty row per set of events: the penalty term
    of signals on the same events goes to the first existing penalty row among theirs (or a new row
    named after the first signal), and their other penalty rows are dropped."""
    values = SeedValues()
    coefficient = {
        (term.rule_index, term.kind): coef for term, coef in zip(terms, model.coefficients, strict=True)
    }
    cap_units = {term.rule_index: term.cap_units for term in terms if term.kind == "capped_units"}
    signal_index = {rule.rule_id: i for i, rule in enumerate(rows.rules) if rule.component == "behavioral"}
    owners = penalty_owners(rows.rules)
    carriers = penalty_rows(rows.rules)
    carried = set(carriers.values())
    for index, rule in enumerate(rows.rules):
        if rule.penalty_of is not None:
            owner = owners[signal_index[rule.penalty_of]]
            if index not in carried:
                values.dropped.add(rule.rule_id)
                values.values[rule.key] = (0.0, None)
                continue
            penalty = -coefficient.get((owner, "penalty"), 0.0) * factor
            values.values[rule.key] = (_bounded(penalty, 0, POINTS_BOUND, rule.rule_id, notes), None)
            _note_merged(rows.rules, owners, owner, rule.rule_id, notes)
            continue
        presence = rows.presence[:, index]
        if not presence.any() or (rule.component != "behavioral" and presence.all()):
            continue  # no evidence either way: the value is kept (see initial_terms)
        if rule.component == "fit":
            points = coefficient.get((index, "indicator"), 0.0) * factor
            values.values[rule.key] = (
                _bounded(points, -POINTS_BOUND, POINTS_BOUND, rule.rule_id, notes),
                None,
            )
        elif rule.component == "negative":
            magnitude = -coefficient.get((index, "indicator"), 0.0) * factor
            values.values[rule.key] = (_bounded(magnitude, 0, POINTS_BOUND, rule.rule_id, notes), None)
        else:
            per_unit = _bounded(
                coefficient.get((index, "capped_units"), 0.0) * factor, 0, POINTS_BOUND, rule.rule_id, notes
            )
            cap_in_units = cap_units.get(index, math.inf)
            if per_unit == 0:
                values.values[rule.key] = (0.0, rule.cap_points)
            else:
                values.values[rule.key] = (
                    per_unit,
                    None if math.isinf(cap_in_units) else per_unit * cap_in_units,
                )
            penalty = -coefficient.get((index, "penalty"), 0.0) * factor
            if penalty > 0 and owners[index] == index and index not in carriers:
                values.penalties[rule.rule_id] = _bounded(
                    penalty, 0, POINTS_BOUND, f"{rule.rule_id}_penalty", notes
                )
                _note_merged(rows.rules, owners, index, rule.rule_id + PENALTY_SUFFIX, notes)
    return values


def _note_merged(
    rules: tuple[Rule, ...], owners: dict[int, int], owner: int, row_id: str, notes: list[Note]
) -> None:
    """A note when the penalty row ``row_id`` stands for several signals on the same events."""
    sharing = [rules[index].rule_id for index, first in owners.items() if first == owner]
    if len(sharing) > 1:
        notes.append(Note("penalties_merged", f"negative {row_id}", "for " + " and ".join(sharing)))


def joint_fit(
    rows: BacktestRows, threshold: float, settings: FitSettings, volume_rows: BacktestRows | None = None
) -> FitResult:
    """Fit on ``rows`` (the training cutoffs) and translate into seed values. The MQL volume is
    matched on ``volume_rows`` (default ``rows``): only their scores are read, never their outcomes.
    One BLAS thread: the fits are small, and threads waiting on a shared machine cost more."""
    with threadpool_limits(limits=1):
        return _joint_fit(rows, threshold, settings, rows if volume_rows is None else volume_rows)


def _joint_fit(
    rows: BacktestRows, threshold: float, settings: FitSettings, volume_rows: BacktestRows
) -> FitResult:
    terms, notes = initial_terms(rows, settings)
    if not terms:
        raise ValueError("no rule or signal applies to any training row: nothing to fit")
    terms = choose_caps(rows, terms, settings)
    terms, model, sign_notes = settle_signs(rows, terms, settings)
    notes.extend(sign_notes)
    linear_part = term_matrix(volume_rows, terms) @ model.coefficients
    factor, rule_text = scaling_factor(
        linear_part, volume_rows.total_score, threshold, settings.points_per_log_odds
    )
    values = seed_values(rows, terms, model, factor, notes)
    return FitResult(terms, model, factor, rule_text, values, notes)


def weights_of(rules: tuple[Rule, ...]) -> SeedValues:
    """The current seed values as a SeedValues (for scoring the current weights like suggested ones)."""
    return SeedValues({rule.key: (rule.points, rule.cap_points) for rule in rules})


def points_score(rows: BacktestRows, weights: SeedValues) -> np.ndarray:
    """The total score the seeds would give each row: fit + behavioral - negative, each component
    rounded to 2 decimals as int_leads_scored_by_date does (component and total caps not applied)."""
    count = len(rows)
    fit = np.zeros(count)
    behavioral = np.zeros(count)
    negative = np.zeros(count)
    for index, rule in enumerate(rows.rules):
        points, cap = weights.values.get(rule.key, (rule.points, rule.cap_points))
        if rule.component == "fit":
            fit += points * rows.presence[:, index]
        elif rule.component == "negative":
            negative += points * rows.presence[:, index]
        else:
            earned = points * rows.units[:, index]
            behavioral += earned if cap is None else np.minimum(earned, cap)
            if (
                rule.rule_id in weights.penalties
                and ("negative", rule.rule_id + "_penalty") not in weights.values
            ):
                negative += weights.penalties[rule.rule_id] * rows.presence[:, index]
    return np.round(fit, 2) + np.round(behavioral, 2) - np.round(negative, 2)
