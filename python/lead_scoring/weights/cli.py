"""Fit the weights on the backtests, check them on held-out cutoffs, and write them into the seeds.

Usage::

    lead-scoring weights --duckdb warehouse/lead_scoring.duckdb [--dry-run] [--force]
        [--seeds seeds/scoring] [--scoring-model default] [--out reports_out/weights]

Reads the built warehouse's backtests (``int_backtest_scores``, ``int_backtest_score_ledger``) and
fits one regularised logistic regression on the earlier cutoffs (``lead_scoring.weights.fit``: the
terms, the sign rules and the scaling rule). Then, on the latest cutoff(s) only, it compares the
current weights, the suggested ones and two unconstrained models on the same features, prints the
held-out table and writes it to ``OUT/holdout_metrics.csv`` (with ``OUT/fit_status.json``) for the
calibration report (``make report``). With a single usable cutoff (a one-snapshot export) it holds
out that cutoff's most recently created leads instead (var ``fit_holdout_lead_share``) and learns on
the earlier-created ones. A warehouse without a usable cutoff gets one line: why, and the exact
outcome window to build with (``make build OUTCOME_WINDOW_DAYS=N``).

The seeds are rewritten only when the suggested weights' held-out AUC is at least the current
weights'; ``--force`` writes them anyway (and says so loudly). With them it stores the
score-to-probability calibration it validated on the held-out rows
(``scoring_probability_calibration.csv``: the live probabilities of a build without a usable cutoff).
Below ``fit_min_conversions`` converted leads in the training rows it declines. Settings are dbt
vars (``fit_*`` in dbt_project.yml). Exit codes: 0 written (or dry run); 2 warehouse missing or not
built, no usable cutoff, or seed files lacking columns; 3 refused by the held-out guard; 4 declined
(cold start: too few conversions).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np

from lead_scoring.seeds import headers as seed_files
from lead_scoring.weights import calibration, seeds
from lead_scoring.weights.data import DataError, load_backtest_rows
from lead_scoring.weights.fit import points_score, summarise_notes, weights_of
from lead_scoring.weights.holdout import ColdStart, Evaluation, evaluate, format_table, write_table
from lead_scoring.weights.settings import load_settings

TABLE_NAME = "holdout_metrics.csv"
STATUS_NAME = "fit_status.json"
EXIT_MISSING, EXIT_REFUSED, EXIT_DECLINED = 2, 3, 4
# A built score and its simulation from the seed CSVs differ by at most the rounding of 3 components.
SEED_DRIFT_TOLERANCE = 0.015
NO_LEDGER_ROW = "have no backtest ledger row (added after the last build, or they match no lead)"


def write_status(out_dir: Path, status: dict[str, object]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / STATUS_NAME).write_text(json.dumps(status, indent=2, default=str) + "\n")


def guard(evaluation: Evaluation) -> tuple[bool, str]:
    """Whether the suggested weights may be written: held-out AUC not lower than the current one."""
    current, suggested = evaluation.row("current").auc, evaluation.row("suggested").auc
    if current is None or suggested is None:
        return False, "held-out AUC undefined (the held-out cutoffs have one outcome only)"
    if suggested < current:
        return False, f"suggested held-out AUC {suggested:.3f} is lower than the current {current:.3f}"
    return True, f"suggested held-out AUC {suggested:.3f} >= current {current:.3f}"


def seed_header_problems(seeds_dir: Path, project_file: Path) -> list[str]:
    """The seed-header check (lead_scoring.seeds) for the files of ``seeds_dir``: what the fit would
    otherwise fail on with a KeyError."""
    if not project_file.is_file():
        return []
    missing, absent = seed_files.check(seeds_dir.parent, project_file)
    missing = [item for item in missing if item.path.parent == seeds_dir]
    absent = [path for path in absent if path.parent == seeds_dir]
    return seed_files.report(missing, absent) if missing or absent else []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lead-scoring weights", description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="built warehouse")
    parser.add_argument("--seeds", type=Path, default=Path("seeds/scoring"), help="scoring seeds folder")
    parser.add_argument("--project", type=Path, default=Path("dbt_project.yml"), help="for the fit_* vars")
    parser.add_argument("--scoring-model", default="default")
    parser.add_argument("--out", type=Path, default=Path("reports_out/weights"), help="held-out table folder")
    parser.add_argument("--dry-run", action="store_true", help="fit and print, write no seed")
    parser.add_argument("--force", action="store_true", help="write the seeds even if held-out AUC drops")
    parser.add_argument("--min-conversions", type=int, help="override the var fit_min_conversions")
    parser.add_argument(
        "--holdout-cutoffs",
        type=int,
        help="override the var fit_holdout_cutoffs (0: hold out the latest-created leads)",
    )
    parser.add_argument("--holdout-lead-share", type=float, help="override the var fit_holdout_lead_share")
    args = parser.parse_args(argv)

    settings = load_settings(
        args.project,
        {
            "fit_min_conversions": args.min_conversions,
            "fit_holdout_cutoffs": args.holdout_cutoffs,
            "fit_holdout_lead_share": args.holdout_lead_share,
        },
    )
    if not args.duckdb.exists():
        print(f"error: {args.duckdb} does not exist: run `make build` first", file=sys.stderr)
        return EXIT_MISSING
    problems = seed_header_problems(args.seeds, args.project)
    if problems:
        print("\n".join(f"error: {line}" for line in problems), file=sys.stderr)
        return EXIT_MISSING
    rules = seeds.read_rules(args.seeds, args.scoring_model)
    bands = seeds.read_tier_bands(args.seeds, args.scoring_model)
    threshold = seeds.mql_threshold(bands)
    try:
        with duckdb.connect(str(args.duckdb), read_only=True) as connection:
            rows, missing = load_backtest_rows(connection, args.scoring_model, rules)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_MISSING
    drift = np.abs(points_score(rows, weights_of(rows.rules)) - rows.total_score)
    if (drift > SEED_DRIFT_TOLERANCE).mean() > 0.001:
        print(
            "warning: the seed CSVs do not score the backtests as the warehouse did (edited after the "
            "last build, or component caps set): run `make build` first for an exact comparison",
            file=sys.stderr,
        )

    try:
        evaluation = evaluate(rows, bands, threshold, settings)
    except ColdStart as error:
        print(f"declined: {error}", file=sys.stderr)
        write_status(
            args.out, {"status": "declined", "reason": str(error), "scoring_model": args.scoring_model}
        )
        (args.out / TABLE_NAME).unlink(missing_ok=True)
        return EXIT_DECLINED

    split = evaluation.split
    print(split.describe())
    print(format_table(evaluation.table))
    print(f"scaling: {evaluation.fit.scaling_rule}")
    print(evaluation.calibration.describe())
    # rules without any ledger row (added after the last build, or matching no lead) are among
    # those applying to no training row: one line says both
    unbuilt = {
        f"{rule.component} {rule.rule_id}"
        for rule in rows.rules
        if f"{rule.component}:{rule.rule_id}" in missing and rule.penalty_of is None
    }
    unbuilt &= {note.subject for note in evaluation.fit.notes if note.kind == "no_training_row"}
    remark = {"no_training_row": f"{len(unbuilt)} of them {NO_LEDGER_ROW}"} if unbuilt else {}
    notes = summarise_notes(evaluation.fit.notes, remark)
    for line in notes:
        print(f"note: {line}")
    write_table(evaluation.table, args.out / TABLE_NAME)

    allowed, reason = guard(evaluation)
    status = {
        "status": "validated" if allowed else "refused",
        "reason": reason,
        "scoring_model": args.scoring_model,
        "split": split.kind,
        "split_description": split.describe(),
        "train_cutoffs": split.train_cutoffs,
        "holdout_cutoffs": split.holdout_cutoffs,
        "holdout_created_from": split.holdout_created_from,
        "train_rows": int(split.train.sum()),
        "holdout_rows": int(split.holdout.sum()),
        "train_converted_leads": split.train_conversions,
        "scaling_rule": evaluation.fit.scaling_rule,
        "calibration": {
            "bins": len(evaluation.calibration.bins),
            "held_out_leads": evaluation.calibration.held_out_leads,
            "held_out_brier_score": evaluation.calibration.brier_score,
            "held_out_log_loss": evaluation.calibration.log_loss,
            "largest_bin_gap": evaluation.calibration.largest_bin_gap,
        },
        "notes": notes,
        "seeds_written": False,
        "calibration_stored": False,
    }
    changes = seeds.write_seed_values(args.seeds, args.scoring_model, evaluation.fit.values, write=False)
    for change in changes:
        print(f"{change.seed:<32} {change.rule_id:<28} {change.column:<16} {change.old:>8} -> {change.new}")
    if not allowed and not args.force:
        print(f"refused: {reason}; the seeds are unchanged (--force writes them anyway)", file=sys.stderr)
        write_status(args.out, status)
        return EXIT_REFUSED
    if not allowed:
        print("!" * 78 + f"\nFORCED: writing seeds although {reason}\n" + "!" * 78, file=sys.stderr)
        status["status"] = "forced"
    if args.dry_run:
        print(f"{len(changes)} value(s) would change ({reason}); dry run, nothing written")
    else:
        seeds.write_seed_values(args.seeds, args.scoring_model, evaluation.fit.values, write=True)
        stored = calibration.write_seed(
            args.seeds, args.scoring_model, evaluation.calibration, str(rows.cutoff_date.max())
        )
        status["seeds_written"] = status["calibration_stored"] = True
        print(f"{len(changes)} value(s) changed ({reason}); review with `git diff seeds`, then `make build`")
        print(f"stored the validated calibration in {stored} (used by a build without a usable cutoff)")
    write_status(args.out, status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
