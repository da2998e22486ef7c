"""apply_weights end to end on generated data: fit on earlier cutoffs, held-out table, guard, cold start,
and the seeds it writes pass every seed test and score (in dbt) exactly as the fit simulated."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from conftest import REPO
from dbt_runner import copy_project, run_dbt
from lead_scoring.generate import generate
from lead_scoring.weights import cli as apply_weights
from lead_scoring.weights import metrics

SELECT = [
    "--select",
    "+int_backtest_score_ledger",
    "+int_backtest_scores",
    "--exclude-resource-type",
    "test",
    "unit_test",
]


def _held_out_auc(database: Path, cutoff: str) -> float:
    with duckdb.connect(str(database), read_only=True) as connection:
        converted, score = (
            connection.execute(
                "select is_converted, cast(total_score as double) from intermediate.int_backtest_scores "
                "where scoring_model = 'default' and cutoff_date = ?",
                [cutoff],
            )
            .fetchnumpy()
            .values()
        )
    return metrics.auc(converted.astype(bool), score)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("weights")
    raw = folder / "raw"
    generate(raw, leads=6000, days=365, seed=11, end_date=dt.date(2026, 6, 30), fmt="parquet")
    project = copy_project(REPO, folder / "project")
    dbt_vars = {"raw_data_path": str(raw), "score_as_of": "2026-06-30"}
    database = folder / "before.duckdb"
    run_dbt(["build", *SELECT], project, database, dbt_vars)
    return project, database, dbt_vars


def _read_table(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as handle:
        return {row["model"]: row for row in csv.DictReader(handle)}


def test_fit_writes_seeds_that_dbt_scores_as_the_held_out_table_says(built, tmp_path, capsys):
    project, database, dbt_vars = built
    seeds = project / "seeds" / "scoring"
    out = tmp_path / "weights"
    code = apply_weights.main(
        [
            "--duckdb",
            str(database),
            "--seeds",
            str(seeds),
            "--project",
            str(project / "dbt_project.yml"),
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    table = _read_table(out / "holdout_metrics.csv")
    assert list(table) == ["current", "suggested", "logistic", "gradient_boosting"]
    status = json.loads((out / "fit_status.json").read_text())
    assert status["status"] == "validated" and status["seeds_written"]
    assert status["train_converted_leads"] >= 120
    suggested, current, logistic = (float(table[m]["auc"]) for m in ("suggested", "current", "logistic"))
    assert suggested >= current
    assert suggested >= 0.97 * logistic, (suggested, logistic)
    (held_out,) = status["holdout_cutoffs"]
    assert _held_out_auc(database, held_out) == pytest.approx(current, abs=1e-6)

    after = tmp_path / "after.duckdb"
    # the rewritten seeds pass every seed test, and dbt's scores rank the held-out cutoff exactly as
    # the fit's simulation of them did
    run_dbt(
        ["build", "--select", "resource_type:seed", "--indirect-selection", "cautious"],
        project,
        after,
        dbt_vars,
    )
    run_dbt(["build", *SELECT], project, after, dbt_vars)
    assert _held_out_auc(after, held_out) == pytest.approx(suggested, abs=2e-3)


def test_cold_start_declines_below_the_minimum_and_changes_nothing(built, tmp_path, capsys):
    project, database, _ = built
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in (REPO / "seeds" / "scoring").glob("*.csv"):
        (seeds / path.name).write_bytes(path.read_bytes())
    before = {path.name: path.read_bytes() for path in seeds.glob("*.csv")}
    out = tmp_path / "weights"
    code = apply_weights.main(
        ["--duckdb", str(database), "--seeds", str(seeds), "--out", str(out), "--min-conversions", "100000"]
    )
    assert code == apply_weights.EXIT_DECLINED
    assert "declined: only" in capsys.readouterr().err
    assert json.loads((out / "fit_status.json").read_text())["status"] == "declined"
    assert {path.name: path.read_bytes() for path in seeds.glob("*.csv")} == before


def test_the_guard_refuses_lower_held_out_auc_unless_forced(built, tmp_path, capsys, monkeypatch):
    _, database, _ = built
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in (REPO / "seeds" / "scoring").glob("*.csv"):
        (seeds / path.name).write_bytes(path.read_bytes())
    before = {path.name: path.read_bytes() for path in seeds.glob("*.csv")}
    monkeypatch.setattr(
        apply_weights,
        "guard",
        lambda evaluation: (False, "suggested held-out AUC 0.600 is lower than the current 0.700"),
    )
    args = ["--duckdb", str(database), "--seeds", str(seeds), "--out", str(tmp_path / "weights")]
    assert apply_weights.main(args) == apply_weights.EXIT_REFUSED
    assert "refused: suggested held-out AUC 0.600 is lower" in capsys.readouterr().err
    assert {path.name: path.read_bytes() for path in seeds.glob("*.csv")} == before
    assert apply_weights.main([*args, "--force"]) == 0
    assert "FORCED: writing seeds although" in capsys.readouterr().err
    assert {path.name: path.read_bytes() for path in seeds.glob("*.csv")} != before
    assert json.loads((tmp_path / "weights" / "fit_status.json").read_text())["status"] == "forced"
