"""Copy the weights suggested by rpt_signal_lift into the scoring seed CSVs.

Usage::

    python -m lead_scoring.apply_weights --duckdb warehouse/lead_scoring.duckdb \\
        --seeds seeds/scoring [--scoring-model default] [--dry-run]

For every rule with a suggestion (``has_support``), the fit rule's ``points``, the negative rule's
``points`` or the behavioral signal's ``points_per_unit`` and ``cap_points`` are replaced by the
suggested values; every other cell of the CSVs stays as it is. Review the diff (``git diff seeds``),
then ``make build`` scores with the new weights and the calibration reports show whether the backtest
improved.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Which seed holds each component's rules, its key column, and the columns a suggestion fills.
SEEDS = {
    "fit": ("scoring_fit_rules.csv", "rule_id", {"points": "suggested_points"}),
    "negative": ("scoring_negative_rules.csv", "rule_id", {"points": "suggested_points"}),
    "behavioral": (
        "scoring_behavioral_signals.csv",
        "signal_id",
        {"points_per_unit": "suggested_points", "cap_points": "suggested_cap_points"},
    ),
}


@dataclass(frozen=True)
class Change:
    seed: str
    rule_id: str
    column: str
    old: str
    new: str


def suggestions(connection: duckdb.DuckDBPyConnection, scoring_model: str) -> dict[tuple[str, str], dict]:
    rows = connection.execute(
        """
        select component, rule_id, suggested_points, suggested_cap_points
        from reports.rpt_signal_lift
        where scoring_model = ? and has_support
        """,
        [scoring_model],
    ).fetchall()
    return {
        (component, rule_id): {"suggested_points": points, "suggested_cap_points": cap}
        for component, rule_id, points, cap in rows
    }


def _format(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def apply(
    seeds_dir: Path, suggested: dict[tuple[str, str], dict], scoring_model: str, write: bool
) -> list[Change]:
    """Rewrite the seed CSVs in ``seeds_dir`` with the suggestions; return what changed."""
    changes: list[Change] = []
    for component, (file_name, key, columns) in SEEDS.items():
        path = seeds_dir / file_name
        with path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            fieldnames = list(reader.fieldnames or [])
            rows = list(reader)
        for row in rows:
            suggestion = suggested.get((component, row[key]))
            if row["scoring_model"] != scoring_model or suggestion is None:
                continue
            for column, source in columns.items():
                value = suggestion[source]
                if value is None or row[column] == "":
                    continue  # no suggestion, or an uncapped signal stays uncapped
                new = _format(value)
                if new != row[column]:
                    changes.append(Change(file_name, row[key], column, row[column], new))
                    row[column] = new
        if write:
            with path.open("w", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
    return changes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duckdb", type=Path, required=True, help="built warehouse (reports.rpt_signal_lift)"
    )
    parser.add_argument("--seeds", type=Path, default=Path("seeds/scoring"), help="scoring seeds folder")
    parser.add_argument("--scoring-model", default="default")
    parser.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    args = parser.parse_args(argv)
    if not args.duckdb.exists():
        print(f"error: {args.duckdb} does not exist: run `make build` first", file=sys.stderr)
        return 2
    try:
        with duckdb.connect(str(args.duckdb), read_only=True) as connection:
            suggested = suggestions(connection, args.scoring_model)
    except duckdb.CatalogException:
        print(f"error: {args.duckdb} has no reports.rpt_signal_lift: run `make build` first", file=sys.stderr)
        return 2
    changes = apply(args.seeds, suggested, args.scoring_model, write=not args.dry_run)
    for change in changes:
        print(f"{change.seed:<32} {change.rule_id:<24} {change.column:<16} {change.old:>8} -> {change.new}")
    print(f"{len(changes)} value(s) {'would change' if args.dry_run else 'changed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
