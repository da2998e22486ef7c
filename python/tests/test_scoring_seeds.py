"""Scoring weights are data: editing one seed row changes scores by exactly the hand-computed
amount with no SQL change, and a bad seed row stops the build before the marts are rebuilt.

Each test works on its own copy of the dbt project and warehouse, built once on the messy
fixture (score_as_of 2026-06-30) and copied per test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt_runner import copy_project, output_tail, run_dbt

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_VARS = (REPO_ROOT / "data" / "fixtures" / "vars.yml").read_text()
WAREHOUSE = "warehouse.duckdb"

# Only the path from the seeds to the live score is built. The first build runs no tests (model
# data tests and unit tests are the main dbt build's job); rebuilds run the edited seed's tests.
BUILD_SCORES = [
    "build",
    "--select",
    "+fct_lead_scores",
    "--resource-type",
    "seed",
    "--resource-type",
    "model",
]

SCORE_COLUMNS = "lead_id, fit_score, behavioral_score, negative_score, total_score, tier, is_mql, top_reasons"

Scores = dict[str, dict[str, object]]


def rebuild_from(seed: str) -> list[str]:
    """dbt build arguments for one seed, its data tests and the models from it to fct_lead_scores."""
    return [
        "build",
        "--select",
        f"{seed}+,+fct_lead_scores",
        "--exclude",
        "test_type:unit",
        "resource_type:test,path:models",
        "--indirect-selection",
        "cautious",
    ]


def read_scores(project_dir: Path) -> Scores:
    """fct_lead_scores of the default model, by lead_id."""
    with duckdb.connect(str(project_dir / WAREHOUSE), read_only=True) as connection:
        cursor = connection.execute(
            f"select {SCORE_COLUMNS} from marts.fct_lead_scores "
            "where scoring_model = 'default' order by lead_id"
        )
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def edit_seed(project_dir: Path, seed: str, old: str, new: str) -> None:
    """Replace one exact piece of a seed CSV (it must occur exactly once)."""
    path = project_dir / "seeds" / "scoring" / f"{seed}.csv"
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project copied and built once on the messy fixture."""
    project_dir = copy_project(REPO_ROOT, tmp_path_factory.mktemp("built") / "project")
    run_dbt(BUILD_SCORES, project_dir, project_dir / WAREHOUSE, FIXTURE_VARS)
    return project_dir


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    """A private copy of the built project and its warehouse, free to edit."""
    project_dir = tmp_path / "project"
    shutil.copytree(built_project, project_dir, ignore=shutil.ignore_patterns("logs"))
    return project_dir


def test_the_fixture_scores_the_worked_example(built_project: Path) -> None:
    """L001 is the published worked example: 20 + 15 + 10 + 5 + 10 = 60, sales_ready."""
    lead = read_scores(built_project)["L001"]
    assert lead["fit_score"] == Decimal("45.00")
    assert lead["behavioral_score"] == Decimal("15.00")
    assert lead["negative_score"] == Decimal("0.00")
    assert lead["total_score"] == Decimal("60.00")
    assert lead["tier"] == "sales_ready"
    assert lead["is_mql"] is True


def check_only_changed(before: Scores, after: Scores, changed: Scores) -> None:
    """`after` equals `before` except for the columns listed per lead in `changed`."""
    assert after.keys() == before.keys()
    for lead_id, row in before.items():
        assert after[lead_id] == {**row, **changed.get(lead_id, {})}, lead_id


EditCase = tuple[str, str, str, Callable[[Scores], Scores]]

WEIGHT_EDITS: dict[str, EditCase] = {
    # L001 clicked one email on the scoring date (decay factor 1, cap 15): 5 -> 8 points adds 3.
    "email_click_points_5_to_8": (
        "scoring_behavioral_signals",
        "default,email_click,email_click,,occurrence,5,",
        "default,email_click,email_click,,occurrence,8,",
        lambda before: {
            "L001": {
                "behavioral_score": before["L001"]["behavioral_score"] + 3,
                "total_score": before["L001"]["total_score"] + 3,
            }
        },
    ),
    # Moving the sales_ready edge from 60 to 70 (one edge: nurture's upper and sales_ready's
    # lower bound) turns L001 (60) and L002 (64.92) into nurture; no total changes.
    "sales_ready_edge_60_to_70": (
        "scoring_bands",
        "default,tier,nurture,2,30,60,Nurture with targeted content,false\ndefault,tier,sales_ready,3,60,,",
        "default,tier,nurture,2,30,70,Nurture with targeted content,false\ndefault,tier,sales_ready,3,70,,",
        lambda before: {
            "L001": {"tier": "nurture", "is_mql": False},
            "L002": {"tier": "nurture", "is_mql": False},
        },
    ),
}


@pytest.mark.parametrize("case", WEIGHT_EDITS.values(), ids=WEIGHT_EDITS.keys())
def test_editing_one_seed_row_changes_scores_exactly(project: Path, case: EditCase) -> None:
    seed, old, new, expected_changes = case
    before = read_scores(project)
    assert before["L001"]["total_score"] == Decimal("60.00")
    assert before["L002"]["total_score"] == Decimal("64.92")

    edit_seed(project, seed, old, new)
    run_dbt(rebuild_from(seed), project, project / WAREHOUSE, FIXTURE_VARS)

    check_only_changed(before, read_scores(project), expected_changes(before))


BROKEN_ROWS: dict[str, tuple[str, str, str, str]] = {
    "half_life_days_0": (
        "scoring_behavioral_signals",
        "default,email_click,email_click,,occurrence,5,30,",
        "default,email_click,email_click,,occurrence,5,0,",
        "scoring_behavioral_signals_half_life_days_positive",
    ),
    "match_type_regex": (
        "scoring_fit_rules",
        "default,senior_title,seniority,in_list,",
        "default,senior_title,seniority,regex,",
        "scoring_fit_rules_match_type_is_known",
    ),
}


@pytest.mark.parametrize("case", BROKEN_ROWS.values(), ids=BROKEN_ROWS.keys())
def test_a_broken_seed_row_fails_the_build_and_keeps_the_marts(
    project: Path, case: tuple[str, str, str, str]
) -> None:
    seed, old, new, failing_test = case
    before = read_scores(project)

    edit_seed(project, seed, old, new)
    result = run_dbt(rebuild_from(seed), project, project / WAREHOUSE, FIXTURE_VARS, check=False)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output_tail(result)
    assert f"Failure in test {failing_test}" in output, output_tail(result)
    assert "SKIP relation marts.fct_lead_scores" in output, output_tail(result)
    assert read_scores(project) == before
