"""The scoring seed CSVs as rules with values, and rewriting them with new values.

Only the value cells change (fit ``points``, a signal's ``points_per_unit`` and ``cap_points``, a
negative rule's ``points``); a behavioral signal the fit finds predicting *not* converting gets a
penalty row ``<signal_id>_penalty`` in the negative rules seed (an event rule on the same event type
and page path, no window), and its points per unit go to 0 so it stays visible in the ledger.
Signals on the same events share one penalty row: a second ``_penalty`` row on the same events
(an earlier fit's) is removed, its effect carried by the first.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

FIT_SEED = "scoring_fit_rules.csv"
SIGNALS_SEED = "scoring_behavioral_signals.csv"
NEGATIVE_SEED = "scoring_negative_rules.csv"
BANDS_SEED = "scoring_bands.csv"
PENALTY_SUFFIX = "_penalty"


@dataclass(frozen=True)
class Rule:
    """One rule or signal of a scoring model with its current value in seed units."""

    component: str  # fit | behavioral | negative
    rule_id: str
    rule_type: str  # attribute | event | inactivity (negative), attribute (fit), signal (behavioral)
    points: float  # fit points (signed), negative magnitude, or a signal's points per unit
    cap_points: float | None = None  # behavioral signals only; None = uncapped
    event_type: str = ""
    page_path_pattern: str = ""
    reason_label: str = ""
    penalty_of: str | None = None  # the behavioral signal a "<signal>_penalty" row belongs to

    @property
    def key(self) -> tuple[str, str]:
        return (self.component, self.rule_id)


@dataclass(frozen=True)
class Band:
    band: str
    rank: int
    lower: float | None
    upper: float | None
    is_mql: bool


@dataclass
class SeedValues:
    """New values in seed units: per rule key (points, cap), per signal a penalty magnitude (a new
    ``<signal>_penalty`` row), and the penalty rows to drop (merged into another row on the same
    events)."""

    values: dict[tuple[str, str], tuple[float, float | None]] = field(default_factory=dict)
    penalties: dict[str, float] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Change:
    seed: str
    rule_id: str
    column: str
    old: str
    new: str


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fieldnames: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _number(text: str) -> float | None:
    return float(text) if text.strip() != "" else None


def format_value(value: float, digits: int = 2) -> str:
    """A seed cell: rounded to ``digits``, trailing zeros dropped, never ``-0``."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def read_rules(seeds_dir: Path, scoring_model: str) -> list[Rule]:
    """Every fit rule, behavioral signal and negative rule of ``scoring_model``, in seed order."""
    rules: list[Rule] = []
    _, fit_rows = _read(seeds_dir / FIT_SEED)
    for row in fit_rows:
        if row["scoring_model"] == scoring_model:
            rules.append(
                Rule(
                    "fit",
                    row["rule_id"],
                    "attribute",
                    _number(row["points"]) or 0.0,
                    reason_label=row["reason_label"],
                )
            )
    _, signal_rows = _read(seeds_dir / SIGNALS_SEED)
    signals = {row["signal_id"]: row for row in signal_rows if row["scoring_model"] == scoring_model}
    for row in signals.values():
        rules.append(
            Rule(
                "behavioral",
                row["signal_id"],
                "signal",
                _number(row["points_per_unit"]) or 0.0,
                cap_points=_number(row["cap_points"]),
                event_type=row["event_type"],
                page_path_pattern=row["page_path_pattern"],
                reason_label=row["reason_label"],
            )
        )
    _, negative_rows = _read(seeds_dir / NEGATIVE_SEED)
    for row in negative_rows:
        if row["scoring_model"] != scoring_model:
            continue
        penalty_of = None
        signal_id = row["rule_id"].removesuffix(PENALTY_SUFFIX)
        signal = signals.get(signal_id)
        if (
            row["rule_type"] == "event"
            and row["rule_id"].endswith(PENALTY_SUFFIX)
            and signal is not None
            and signal["event_type"] == row["event_type"]
            and signal["page_path_pattern"] == row["page_path_pattern"]
            and row["window_days"] == ""
        ):
            penalty_of = signal_id
        rules.append(
            Rule(
                "negative",
                row["rule_id"],
                row["rule_type"],
                _number(row["points"]) or 0.0,
                event_type=row["event_type"],
                page_path_pattern=row["page_path_pattern"],
                reason_label=row["reason_label"],
                penalty_of=penalty_of,
            )
        )
    return rules


def read_tier_bands(seeds_dir: Path, scoring_model: str) -> list[Band]:
    """The tier bands of ``scoring_model``, lowest first."""
    _, rows = _read(seeds_dir / BANDS_SEED)
    bands = [
        Band(
            row["band"],
            int(row["band_rank"]),
            _number(row["lower_bound"]),
            _number(row["upper_bound"]),
            row["is_mql"].strip().lower() == "true",
        )
        for row in rows
        if row["scoring_model"] == scoring_model and row["band_type"] == "tier"
    ]
    return sorted(bands, key=lambda band: band.rank)


def mql_threshold(bands: list[Band]) -> float:
    """The lowest score that makes an MQL (the lower bound of the lowest MQL tier)."""
    bounds = [band.lower for band in bands if band.is_mql and band.lower is not None]
    if not bounds:
        raise ValueError("the scoring model has no MQL tier with a lower bound (scoring_bands.csv)")
    return min(bounds)


def _set(row: dict[str, str], column: str, value: str, seed: str, key: str, changes: list[Change]) -> None:
    if row[column] != value:
        changes.append(Change(seed, key, column, row[column], value))
        row[column] = value


def write_seed_values(
    seeds_dir: Path, scoring_model: str, suggestion: SeedValues, write: bool = True
) -> list[Change]:
    """Rewrite the seeds of ``scoring_model`` with ``suggestion``; return every cell that changed."""
    changes: list[Change] = []

    fields, rows = _read(seeds_dir / FIT_SEED)
    for row in rows:
        new = suggestion.values.get(("fit", row["rule_id"]))
        if row["scoring_model"] == scoring_model and new is not None:
            _set(row, "points", format_value(new[0]), FIT_SEED, row["rule_id"], changes)
    if write:
        _write(seeds_dir / FIT_SEED, fields, rows)

    fields, rows = _read(seeds_dir / SIGNALS_SEED)
    signal_rows = {}
    for row in rows:
        if row["scoring_model"] != scoring_model:
            continue
        signal_rows[row["signal_id"]] = row
        new = suggestion.values.get(("behavioral", row["signal_id"]))
        if new is None:
            continue
        _set(row, "points_per_unit", format_value(new[0], 4), SIGNALS_SEED, row["signal_id"], changes)
        cap = "" if new[1] is None else format_value(new[1])
        _set(row, "cap_points", cap, SIGNALS_SEED, row["signal_id"], changes)
    if write:
        _write(seeds_dir / SIGNALS_SEED, fields, rows)

    fields, rows = _read(seeds_dir / NEGATIVE_SEED)
    existing = {row["rule_id"] for row in rows if row["scoring_model"] == scoring_model}
    for row in rows:
        if row["scoring_model"] == scoring_model and row["rule_id"] in suggestion.dropped:
            changes.append(Change(NEGATIVE_SEED, row["rule_id"], "(row removed)", row["points"], ""))
    rows = [
        row
        for row in rows
        if not (row["scoring_model"] == scoring_model and row["rule_id"] in suggestion.dropped)
    ]
    for row in rows:
        if row["scoring_model"] != scoring_model:
            continue
        new = suggestion.values.get(("negative", row["rule_id"]))
        if new is not None:
            _set(row, "points", format_value(new[0]), NEGATIVE_SEED, row["rule_id"], changes)
    for signal_id, magnitude in suggestion.penalties.items():
        rule_id = signal_id + PENALTY_SUFFIX
        if rule_id in existing:
            continue  # its value came through suggestion.values
        signal = signal_rows[signal_id]
        row = dict.fromkeys(fields, "")
        row.update(
            scoring_model=scoring_model,
            rule_id=rule_id,
            rule_type="event",
            event_type=signal["event_type"],
            page_path_pattern=signal["page_path_pattern"],
            points=format_value(magnitude),
            reason_label=f"{signal['reason_label']} (penalty)",
        )
        rows.append(row)
        changes.append(Change(NEGATIVE_SEED, rule_id, "(new row)", "", row["points"]))
    if write:
        _write(seeds_dir / NEGATIVE_SEED, fields, rows)
    return changes
