"""The friction a new user met on foreign data, one test each, on the messy fixture.

1. cutoffs that cannot be used say why (and what to set), in the build output and the summary;
2. unknown event types are warned about and listed with their counts (build and summary);
3. a disqualifier at 0 points passes every test (0 switches a rule off; it stays in the ledger);
4. a target precision below the base rate is recommended on lift: the dbt unit test
   a_target_precision_below_the_base_rate_is_recommended_on_lift (the fixture converts nobody);
5. the segment report groups by the attributes of var segment_attributes (job_title here);
6. an attribute rule whose pattern matches no lead is warned about, by name.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES, REPO
from dbt_runner import copy_project, run_dbt
from lead_scoring import summary

BUILD = ["build", "--exclude-resource-type", "unit_test"]
VARS = {"raw_data_path": str(FIXTURES / "messy"), "score_as_of": "2026-06-30"}


def _edit_seed(path: Path, key: str, value: str, column: str, new: str) -> None:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    hits = [row for row in rows if row[key] == value]
    assert hits, f"{value} not in {path.name}"
    for row in hits:
        row[column] = new
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def edited_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The fixture built with a 0-point disqualifier, a fit rule pattern matching nobody and
    job_title as a segment attribute."""
    project = copy_project(REPO, tmp_path_factory.mktemp("friction") / "project")
    seeds = project / "seeds" / "scoring"
    _edit_seed(seeds / "scoring_negative_rules.csv", "rule_id", "unsubscribed", "points", "0")
    with (seeds / "scoring_fit_rules.csv").open("a") as handle:
        handle.write("default,astronaut_title,job_title,pattern,%astronaut%,,,5,astronaut title\n")
    _edit_seed(
        seeds / "scoring_calibration_policy.csv", "scoring_model", "default", "target_precision", "0.01"
    )
    database = project / "friction.duckdb"
    segment_vars = {**VARS, "segment_attributes": ["industry", "job_title"]}
    result = run_dbt(BUILD, project, database, segment_vars)
    return database, result.stdout


def test_a_zero_point_disqualifier_passes_every_test_and_stays_in_the_ledger(edited_build):
    database, output = edited_build
    assert "ERROR=0" in output
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            "select lead_id, points from marts.fct_lead_score_ledger where rule_id = 'unsubscribed'"
        ).fetchall()
    assert rows and all(points == 0 for _, points in rows)


def test_an_attribute_rule_matching_no_lead_is_warned_by_name(edited_build):
    _, output = edited_build
    assert "WARN assert_attribute_rules_match_some_lead" in output
    assert "astronaut_title" in output
    assert "matches no lead" in output


def test_unknown_event_types_are_warned_and_listed_with_counts(edited_build):
    database, output = edited_build
    assert "WARN assert_event_types_are_known" in output
    assert "chat_started" in output
    with duckdb.connect(str(database), read_only=True) as connection:
        text = summary.render(connection)
    section = text[text.index("Unknown event types") :]
    assert "chat_started" in section.splitlines()[2]
    assert "1 events" in section.splitlines()[2]


def test_segments_follow_the_segment_attributes_var(edited_build):
    database, _ = edited_build
    with duckdb.connect(str(database), read_only=True) as connection:
        types = {
            row[0]
            for row in connection.sql(
                "select distinct segment_type from reports.rpt_conversion_by_segment"
            ).fetchall()
        }
    assert types == {"industry", "job_title"}


def test_no_usable_cutoff_warns_with_the_cause_and_the_summary_says_what_to_set(tmp_path):
    database = tmp_path / "no_cutoffs.duckdb"
    project = copy_project(REPO, tmp_path / "project")
    result = run_dbt(BUILD, project, database, {**VARS, "backtest_min_history_days": 10000})
    assert "WARN assert_backtest_has_usable_cutoffs" in result.stdout
    assert "too little history before the cutoff" in result.stdout
    with duckdb.connect(str(database), read_only=True) as connection:
        text = summary.render(connection)
    assert "no backtest cutoff could be used" in text
    assert "too little history before the cutoff" in text
    assert "set backtest_first_cutoff" in text
