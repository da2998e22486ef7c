"""Checks that two computations of the live behavioral score agree, per scoring model and lead."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

Key = tuple[str, str]  # (scoring_model, lead_id)

# fct_lead_scores.behavioral_score is rounded to 2 decimals: an exact value may differ from it by
# half a cent (plus floating-point noise).
ROUNDED_TOLERANCE = 0.005 + 1e-6
EXACT_TOLERANCE = 1e-6


class Disagreement(AssertionError):
    """Raised when a computation does not reproduce the project's scores."""


@dataclass
class Agreement:
    reference: str
    candidate: str
    tolerance: float
    compared: int
    max_abs_diff: float
    mismatches: list[tuple[str, str, float | None, float | None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def summary(self) -> str:
        verdict = "agree" if self.ok else f"DISAGREE on {len(self.mismatches):,} leads"
        return (
            f"{self.candidate} vs {self.reference}: {verdict} ({self.compared:,} (model, lead) pairs, "
            f"max |diff| {self.max_abs_diff:.2e}, tolerance {self.tolerance:g})"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "candidate": self.candidate,
            "tolerance": self.tolerance,
            "compared": self.compared,
            "max_abs_diff": self.max_abs_diff,
            "ok": self.ok,
            "mismatch_count": len(self.mismatches),
            "first_mismatches": [list(row) for row in self.mismatches[:10]],
        }


def compare_scores(
    reference: Mapping[Key, float | None],
    candidate: Mapping[Key, float | None],
    *,
    tolerance: float,
    reference_name: str = "reference",
    candidate_name: str = "candidate",
) -> Agreement:
    """Compare per (scoring_model, lead_id). A lead the reference scores but the candidate does not
    list has a score of 0 there (no matching signal); a lead only the candidate lists is a mismatch
    (the candidate scores a lead the project does not). Nulls and NaN count as 0."""

    def value(scores: Mapping[Key, float | None], key: Key) -> float:
        score = scores.get(key)
        return 0.0 if score is None or (isinstance(score, float) and math.isnan(score)) else float(score)

    mismatches: list[tuple[str, str, float | None, float | None]] = []
    max_diff = 0.0
    for key in reference.keys() | candidate.keys():
        if key not in reference:
            mismatches.append((key[0], key[1], None, value(candidate, key)))
            continue
        diff = abs(value(reference, key) - value(candidate, key))
        max_diff = max(max_diff, diff)
        if diff > tolerance:
            mismatches.append((key[0], key[1], value(reference, key), value(candidate, key)))
    mismatches.sort()
    return Agreement(
        reference=reference_name,
        candidate=candidate_name,
        tolerance=tolerance,
        compared=len(reference.keys() | candidate.keys()),
        max_abs_diff=max_diff,
        mismatches=mismatches,
    )


def require(agreement: Agreement) -> Agreement:
    """Return `agreement` when it holds, else raise Disagreement with the first mismatches."""
    if agreement.ok:
        return agreement
    lines = [agreement.summary(), "scoring_model, lead_id, reference, candidate:"]
    lines += [f"  {model}, {lead}, {ref}, {cand}" for model, lead, ref, cand in agreement.mismatches[:10]]
    raise Disagreement("\n".join(lines))
