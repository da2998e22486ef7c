"""A failing seed test names the offending rows in dbt's output (issue 9, defect 10).

dbt alone prints "Got 1 result, configured to fail if != 0": the analyst learns the seed and the
rule, not the row. The on-run-end hook macros/testing/log_failing_test_rows.sql prints the rows each
failing test returned, so the row's key values are in the output of the build itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import FIXTURES, REPO
from dbt_runner import copy_project, run_dbt

SEEDS_ONLY = ["build", "--select", "resource_type:seed", "--indirect-selection", "cautious"]


def _edit_seed(path: Path, edit) -> None:
    rows = list(csv.DictReader(path.open()))
    edit(rows)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_failing_seed_tests_print_the_rows_that_broke_them(tmp_path: Path):
    project = copy_project(REPO, tmp_path / "project")
    scoring = project / "seeds" / "scoring"

    def break_signals(rows):
        rows[1]["half_life_days"] = "0"  # email_click: the half-life must be positive
        rows[2]["reason_label"] = ""  # a required label left blank

    def break_lists(rows):
        rows.append({"scoring_model": "defualt", "list_name": "typo_list", "list_value": "x"})

    _edit_seed(scoring / "scoring_behavioral_signals.csv", break_signals)
    _edit_seed(scoring / "scoring_lists.csv", break_lists)
    signals = list(csv.DictReader((scoring / "scoring_behavioral_signals.csv").open()))
    blank_label = signals[2]["signal_id"]

    result = run_dbt(
        SEEDS_ONLY,
        project,
        tmp_path / "w.duckdb",
        {"raw_data_path": str(FIXTURES / "messy"), "score_as_of": "2026-06-30"},
        check=False,
    )
    output = result.stdout
    assert result.returncode != 0
    lines = output.splitlines()

    def rows_after(test_name: str) -> list[str]:
        header = next(i for i, line in enumerate(lines) if f"FAIL {test_name} on " in line)
        after = lines[header + 1 : header + 4]
        return [
            line.split("    ", 1)[-1].strip() for line in after if "    " in line and " FAIL " not in line
        ]

    # the out-of-range half-life: the whole seed row, key values first
    half_life = rows_after("scoring_behavioral_signals_half_life_days_positive")
    assert half_life[0].startswith("scoring_model=default, signal_id=email_click, ")
    assert "half_life_days=0.0000" in half_life[0]
    assert "FAIL scoring_behavioral_signals_half_life_days_positive on scoring_behavioral_signals" in output
    # not_null shows the whole row, not a null column
    not_null = next(
        name for name in _failing(lines) if name.startswith("not_null_scoring_behavioral_signals_reason")
    )
    assert rows_after(not_null)[0].startswith(f"scoring_model=default, signal_id={blank_label}, ")
    # a relationship names the unknown key
    assert rows_after("scoring_lists_scoring_model_exists") == ["from_field=defualt"]


def _failing(lines: list[str]) -> list[str]:
    return [
        line.split("FAIL ", 1)[1].split(" on ")[0] for line in lines if "FAIL " in line and " on " in line
    ]
