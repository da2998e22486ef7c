"""A one-snapshot export from raw files to fitted seeds, as a new user meets the project.

One export-shaped sample (``generate_export --snapshot``: 9,000 leads created over 120 days, every
outcome dated in the week before the export; the sample of the README's walk-through, "Changing the
weights") and one copy of the project whose seed files have the headers of an earlier version,
shared by every assertion:

1. the seed-header check names each file, missing column and default; the upgrade adds them and
   leaves the rows alone; the upgraded seeds build (a full ``dbt build``);
2. the default outcome window (90 days) leaves no cutoff on such an export, and ``make weights``
   (apply_weights) says so in one line with the window that leaves one (33 days here);
3. with that window the build has one usable cutoff, warns that the default model fits nobody (every
   lead ``low``, no MQL) and reports pql once as inactive (no product events), without an AUC warning;
4. apply_weights fits on it, holding out the latest-created 20% of the cutoff's leads, and a build
   with the seeds it wrote gives the held-out AUC it printed;
5. the calibration it validated is stored in a seed, and a build without a usable cutoff gives every
   live lead the probability of its bin, and says so.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from conftest import REPO
from dbt_runner import copy_project, run_dbt
from lead_scoring import seeds
from lead_scoring.generate.snapshot_sample import write_snapshot_sample
from lead_scoring.weights import calibration, metrics
from lead_scoring.weights import cli as apply_weights

END = dt.date(2026, 12, 3)
LEADS = 9000
WINDOW = 33  # 2026-11-01, the first month start with 60 days of data, to the export day
# The columns added to the seed files since they first shipped (git log -p seeds/), with the values
# an upgrade must give them.
ADDED_COLUMNS = {
    "reference/event_types.csv": {"is_sales_touch": "false"},
    "scoring/scoring_behavioral_signals.csv": {"daily_unit_limit": ""},
    "scoring/scoring_calibration_policy.csv": {
        "min_mql_lift": "2",
        "auc_good_min": "0.7",
        "auc_weak_min": "0.6",
        "separation_good_min": "3",
        "separation_weak_min": "1.5",
        "psi_moving_min": "0.1",
        "psi_shifted_min": "0.25",
        "max_tier_share": "0.9",
    },
    "scoring/scoring_models.csv": {
        "fit_cap_points": "",
        "behavioral_cap_points": "",
        "negative_cap_points": "",
        "total_cap_points": "",
        "customer_handling": "exclude",
    },
}
BACKTESTS = [
    "--select",
    "+int_backtest_score_ledger",
    "+int_backtest_scores",
    "--exclude-resource-type",
    "test",
]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _old_format(seeds_dir: Path) -> None:
    """Rewrite the seed files with the headers they had before ADDED_COLUMNS."""
    for name, added in ADDED_COLUMNS.items():
        fields, rows = _read(seeds_dir / name)
        kept = [field for field in fields if field not in added]
        with (seeds_dir / name).open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=kept, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


def test_the_seed_check_names_file_column_and_default_and_the_upgrade_adds_them(tmp_path: Path):
    seeds_dir = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds_dir)
    _old_format(seeds_dir)
    old = {name: _read(seeds_dir / name)[1] for name in ADDED_COLUMNS}
    project = REPO / "dbt_project.yml"
    missing, absent = seeds.check(seeds_dir, project)
    assert absent == []
    assert {(item.path.relative_to(seeds_dir).as_posix(), item.column, item.default) for item in missing} == {
        (name, column, default) for name, added in ADDED_COLUMNS.items() for column, default in added.items()
    }
    assert seeds.main(["check", "--seeds", str(seeds_dir), "--project", str(project)]) == seeds.EXIT_MISSING
    assert (
        f"{seeds_dir}/scoring/scoring_behavioral_signals.csv: missing column daily_unit_limit (default blank)"
        in ("\n".join(seeds.report(missing, absent)))
    )

    added = seeds.upgrade(seeds_dir, project)
    assert {path.relative_to(seeds_dir).as_posix(): columns for path, columns in added.items()} == {
        name: list(columns) for name, columns in ADDED_COLUMNS.items()
    }
    assert seeds.check(seeds_dir, project) == ([], [])
    for name, columns in ADDED_COLUMNS.items():
        fields, rows = _read(seeds_dir / name)
        assert fields == _read(REPO / "seeds" / name)[0]  # the project's column order
        # every row keeps its values, in its order, and gets the defaults
        assert rows == [{**row, **columns} for row in old[name]]
    # an upgraded file the project ships unchanged is byte for byte the shipped one
    assert (seeds_dir / "scoring/scoring_models.csv").read_bytes() == (
        REPO / "seeds/scoring/scoring_models.csv"
    ).read_bytes()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The snapshot export, a project with upgraded old-format seeds, its build with the outcome
    window that leaves one cutoff, and the fit on it."""
    folder = tmp_path_factory.mktemp("snapshot")
    raw = folder / "raw"
    write_snapshot_sample(raw, leads=LEADS, days=120, end_date=END, seed=7, snapshot=True)
    project = copy_project(REPO, folder / "project")
    _old_format(project / "seeds")
    assert seeds.upgrade(project / "seeds", project / "dbt_project.yml")
    dbt_vars = {"raw_data_path": str(raw), "score_as_of": END.isoformat(), "outcome_window_days": WINDOW}
    database = folder / "fitted_on.duckdb"
    build = run_dbt(["build", "--exclude-resource-type", "unit_test"], project, database, dbt_vars)
    out = folder / "weights"
    return {
        "folder": folder,
        "project": project,
        "vars": dbt_vars,
        "database": database,
        "build_output": build.stdout,
        "out": out,
        "fit": [
            "--duckdb",
            str(database),
            "--seeds",
            str(project / "seeds" / "scoring"),
            "--project",
            str(project / "dbt_project.yml"),
            "--out",
            str(out),
        ],
    }


@pytest.fixture(scope="module")
def fitted(export) -> dict[str, object]:
    """apply_weights on the one-cutoff warehouse (as `make weights` runs it), with what it printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = apply_weights.main(export["fit"])
    out: Path = export["out"]
    with (out / "holdout_metrics.csv").open(newline="") as handle:
        table = {row["model"]: row for row in csv.DictReader(handle)}
    return {
        "code": code,
        "printed": buffer.getvalue(),
        "status": json.loads((out / "fit_status.json").read_text()),
        "table": table,
    }


def test_upgraded_old_seeds_build_and_a_model_that_fits_nobody_is_loud(export):
    output = export["build_output"]
    assert "ERROR=0" in output
    # the default seeds know none of the export's attributes: every lead low, no MQL
    warning = next(line for line in output.splitlines() if "scoring_model=default, largest_tier=low" in line)
    assert "largest_tier_share=1.0" in warning and "mql_leads=0" in warning
    assert "status=fits nobody: one tier holds more than max_tier_share" in warning
    # pql has no product events here: reported once, as inactive, and not as failing calibration
    assert "WARN 1 assert_scoring_models_match_events" in output
    assert output.count("scoring_model=pql, own_signal_list=active_days") == 1
    assert "scoring_model=pql, auc=" not in output  # the AUC floor warns for default only
    assert "scoring_model=default, auc=" in output
    assert "WARN 1 assert_scoring_models_separate_leads" in output


def test_one_snapshot_fits_holding_out_the_latest_created_leads(export, fitted):
    assert fitted["code"] == 0, fitted["printed"]
    status = fitted["status"]
    assert (status["status"], status["split"], status["seeds_written"]) == (
        "validated",
        "latest_created_leads",
        True,
    )
    assert status["holdout_cutoffs"] == ["2026-11-01"] == status["train_cutoffs"]
    with duckdb.connect(str(export["database"]), read_only=True) as connection:
        created = np.array(
            [
                row[0]
                for row in connection.execute(
                    "select leads.created_at from intermediate.int_backtest_scores as scores "
                    "inner join intermediate.int_leads_enriched as leads on scores.lead_id = leads.lead_id "
                    "where scores.scoring_model = 'default'"
                ).fetchall()
            ],
            dtype="datetime64[s]",
        )
    boundary = np.datetime64(status["holdout_created_from"].replace(" ", "T"))
    # the latest-created 20% (ties at the boundary included) are held out, the rest trained on
    assert status["holdout_rows"] == int((created >= boundary).sum()) >= math.ceil(0.2 * len(created))
    assert status["train_rows"] == int((created < boundary).sum()) == len(created) - status["holdout_rows"]
    assert status["train_converted_leads"] >= 120
    assert status["split_description"] in fitted["printed"]
    assert (
        f"held out the {status['holdout_rows']:,} most recently created leads of cutoff 2026-11-01"
        in fitted["printed"]
    )
    # one line per kind of note
    kinds = [line.split(" (")[0] for line in fitted["printed"].splitlines() if line.startswith("note: ")]
    assert len(kinds) == len(set(kinds))


def _held_out_auc(database: Path, status: dict[str, object]) -> float:
    with duckdb.connect(str(database), read_only=True) as connection:
        converted, score = (
            connection.execute(
                "select scores.is_converted, cast(scores.total_score as double) "
                "from intermediate.int_backtest_scores as scores "
                "inner join intermediate.int_leads_enriched as leads on scores.lead_id = leads.lead_id "
                "where scores.scoring_model = 'default' and scores.cutoff_date = ? "
                "and leads.created_at >= cast(? as timestamp)",
                [status["holdout_cutoffs"][0], status["holdout_created_from"]],
            )
            .fetchnumpy()
            .values()
        )
    return metrics.auc(converted.astype(bool), score)


@pytest.fixture(scope="module")
def rebuilt(export, fitted) -> Path:
    """The warehouse built again with the seeds the fit wrote (backtests only)."""
    assert fitted["code"] == 0, fitted["printed"]
    database = export["folder"] / "rebuilt.duckdb"
    run_dbt(["build", *BACKTESTS], export["project"], database, export["vars"])
    return database


def test_the_rebuilt_warehouse_reproduces_the_printed_held_out_auc(export, fitted, rebuilt):
    status, table = fitted["status"], fitted["table"]
    # the current weights' row is the built score, exactly
    assert _held_out_auc(export["database"], status) == pytest.approx(
        float(table["current"]["auc"]), abs=1e-6
    )
    suggested = float(table["suggested"]["auc"])
    printed = next(line for line in fitted["printed"].splitlines() if line.startswith("suggested "))
    assert float(printed.split()[1]) == pytest.approx(suggested, abs=5e-4)
    assert _held_out_auc(rebuilt, status) == pytest.approx(suggested, abs=2e-3)
    assert suggested >= float(table["current"]["auc"])


def test_without_a_usable_cutoff_the_stored_calibration_gives_the_live_probabilities(
    export, fitted, rebuilt, capsys
):
    stored_path = export["project"] / "seeds" / "scoring" / calibration.SEED
    _, stored = _read(stored_path)
    assert stored and {row["scoring_model"] for row in stored} == {"default"}
    assert {row["fitted_cutoff_date"] for row in stored} == {"2026-11-01"}
    brier = fitted["status"]["calibration"]["held_out_brier_score"]
    assert [float(row["held_out_brier_score"]) for row in stored] == [pytest.approx(brier, abs=1e-6)] * len(
        stored
    )
    # the next build with the default window: no usable cutoff
    default_window = {key: value for key, value in export["vars"].items() if key != "outcome_window_days"}
    result = run_dbt(
        [
            "build",
            "--select",
            "+fct_lead_scores",
            "rpt_score_calibrations",
            "assert_conversion_probability_comes_from_backtests",
            "--exclude-resource-type",
            "unit_test",
            "--indirect-selection",
            "empty",
        ],
        export["project"],
        rebuilt,
        default_window,
    )
    assert (
        "scoring_model=default, calibration_source=stored_fit, fitted_cutoff_date=2026-11-01" in result.stdout
    )
    bins = tuple(
        calibration.ScoreBin(
            int(row["score_bin"]),
            float(row["lower_score"]) if row["lower_score"] else None,
            float(row["upper_score"]) if row["upper_score"] else None,
            int(row["leads"]),
            int(row["conversions"]),
            float(row["conversion_probability"]),
        )
        for row in stored
    )
    with duckdb.connect(str(rebuilt), read_only=True) as connection:
        score, probability = (
            connection.execute(
                "select cast(total_score as double), conversion_probability from marts.fct_lead_scores "
                "where scoring_model = 'default'"
            )
            .fetchnumpy()
            .values()
        )
        used = connection.execute(
            "select calibration_source, count(*) from reports.rpt_score_calibrations "
            "where is_used group by all"
        ).fetchall()
        pql = connection.execute(
            "select count(conversion_probability) from marts.fct_lead_scores where scoring_model = 'pql'"
        ).fetchone()
    assert len(score) == LEADS
    assert np.asarray(probability, dtype=float) == pytest.approx(calibration.probability(bins, score))
    assert used == [("stored_fit", len(stored))]
    assert pql == (0,)  # inactive here and never fitted: no calibration at all

    # and `make weights` says in one line which window leaves a cutoff
    capsys.readouterr()
    code = apply_weights.main([*export["fit"][:1], str(rebuilt), *export["fit"][2:], "--dry-run"])
    assert code == apply_weights.EXIT_MISSING
    assert capsys.readouterr().err == (
        "error: no usable backtest cutoff: outcome_window_days 90 ends after the data's last day "
        f"(2026-12-03); the longest window that leaves one is {WINDOW} days: "
        f"make build OUTCOME_WINDOW_DAYS={WINDOW} (var outcome_window_days: {WINDOW}), then make weights\n"
    )
