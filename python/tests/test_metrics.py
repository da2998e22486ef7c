"""The semantic layer answers with the numbers the fixture was written to give.

Queries go through MetricFlow's own command line (`mf query`, from dbt-metricflow) on the messy
fixture built on DuckDB with score_as_of 2026-06-30. `mf` reads `target/semantic_manifest.json`
under the dbt project it runs in and connects with the dbt profile, so the test runs it in a copy
of the project (its own target/, its own copy of the built DuckDB file): nothing of the working
tree's target/ or warehouse/ is read or written.

What the fixture holds on 2026-06-30 (fct_lead_scores, fct_lead_score_history), per scoring model:
- 7 staged leads are scored by each of the two models. default: L001, L002 sales_ready (its MQL
  tier), L003, L004, L005, L006, L013 low. pql: L003 product_qualified (its MQL tier: 63.25 from a
  trial, three active days, the reports feature and an invite), L001 (43) and L002 (37.60)
  activated, L004, L005, L006, L013 low.
- L002 (a demo request on 2026-05-01, decaying) is an MQL on every day of the 14-day history
  (2026-06-17 .. 2026-06-30) and was one before it: never a new MQL in the window.
- L001 (fit 45) reaches 60 with an email click and a pricing visit on 2026-06-30: default's one
  new MQL, on that day. L003 becomes a PQL on the same day (its invite): pql's one new MQL.
- Follow-ups (fct_lead_tier_follow_ups): L001's MQL entry (clock at its 09:05 pricing visit,
  mid_market_inbound, 24 h SLA) was answered by a sales email at 15:00, 5 h 55 min later: in SLA.
  L002's entry is censored (an MQL since before the history) and left out of the metrics, though
  its call came 34 h after the history's first midnight (late). L003's PQL entry (clock at its
  11:00 invite, product_assist, 24 h SLA) has no touch yet: awaiting, not decided.
- Lifecycle (fct_lead_lifecycle): L001, L002 and L003 reached SAL (a sales email or call by
  2026-06-30); L005's opportunity O009 was lost on 2026-06-01: one opportunity, one loss, no win.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dbt_runner
import pytest
from conftest import FIXTURES, REPO

SCORE_AS_OF = "2026-06-30"
HISTORY_DAYS = [f"2026-06-{day:02d}" for day in range(17, 31)]


def mf_executable() -> str:
    beside_python = Path(sys.executable).with_name("mf")
    found = str(beside_python) if beside_python.exists() else shutil.which("mf")
    if found is None:
        pytest.fail("MetricFlow's `mf` is not installed: it comes with dbt-metricflow (requirements-dev.txt)")
    return found


@pytest.fixture(scope="module")
def metricflow_project(messy_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the built fixture warehouse and a parsed target/ of its own."""
    project = dbt_runner.copy_project(REPO, tmp_path_factory.mktemp("metricflow") / "project")
    shutil.copy2(messy_warehouse, project / "warehouse.duckdb")
    dbt_runner.run_dbt(
        ["parse"],
        project,
        project / "warehouse.duckdb",
        {"raw_data_path": str(FIXTURES / "messy"), "score_as_of": SCORE_AS_OF},
    )
    assert (project / "target" / "semantic_manifest.json").is_file()
    return project


def mf_query(project: Path, metrics: list[str], group_by: list[str]) -> list[dict[str, str]]:
    """Rows of `mf query --metrics ... --group-by ...`, read from its --csv output."""
    out = project / f"mf_{'_'.join(metrics)}__{'_'.join(group_by)}.csv"
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "LEAD_SCORING_TARGET": "duckdb",
        "LEAD_SCORING_DUCKDB_PATH": str(project / "warehouse.duckdb"),
    }
    command = [mf_executable(), "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by)]
    result = subprocess.run(
        [*command, "--csv", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0 and out.is_file(), (
        f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_mqls_and_scored_leads_by_model_and_tier(metricflow_project: Path) -> None:
    rows = mf_query(
        metricflow_project, ["mqls", "scored_leads"], ["lead_score__scoring_model", "lead_score__tier"]
    )
    by_tier = {
        (row["lead_score__scoring_model"], row["lead_score__tier"]): (
            int(row["mqls"]),
            int(row["scored_leads"]),
        )
        for row in rows
    }
    # No fixture lead lands in default's nurture tier, so that tier has no row.
    assert by_tier == {
        ("default", "sales_ready"): (2, 2),
        ("default", "low"): (0, 5),
        ("pql", "product_qualified"): (1, 1),
        ("pql", "activated"): (0, 2),
        ("pql", "low"): (0, 4),
    }


def test_new_mqls_by_model_and_day(metricflow_project: Path) -> None:
    rows = mf_query(metricflow_project, ["new_mqls"], ["lead_score_day__scoring_model", "metric_time__day"])
    by_day = {
        (row["lead_score_day__scoring_model"], row["metric_time__day"][:10]): int(row["new_mqls"])
        for row in rows
    }
    assert sorted(by_day) == sorted((model, day) for model in ("default", "pql") for day in HISTORY_DAYS)
    # L001 for default, L003 for pql, both on the scoring date
    assert by_day == {
        (model, day): 1 if day == SCORE_AS_OF else 0 for model in ("default", "pql") for day in HISTORY_DAYS
    }


def test_mql_rate_is_a_ratio_of_the_two_per_model(metricflow_project: Path) -> None:
    rows = mf_query(metricflow_project, ["mql_rate", "mqls", "scored_leads"], ["lead_score__scoring_model"])
    by_model = {row["lead_score__scoring_model"]: row for row in rows}
    assert sorted(by_model) == ["default", "pql"]
    assert (int(by_model["default"]["mqls"]), int(by_model["default"]["scored_leads"])) == (2, 7)
    assert float(by_model["default"]["mql_rate"]) == pytest.approx(2 / 7)
    assert (int(by_model["pql"]["mqls"]), int(by_model["pql"]["scored_leads"])) == (1, 7)
    assert float(by_model["pql"]["mql_rate"]) == pytest.approx(1 / 7)


def test_sla_attainment_and_median_time_to_first_touch_by_queue(metricflow_project: Path) -> None:
    rows = mf_query(
        metricflow_project,
        ["sla_attainment", "mqls_touched_in_sla", "mqls_sla_decided", "median_hours_to_first_touch"],
        ["tier_follow_up__queue"],
    )
    by_queue = {row["tier_follow_up__queue"]: row for row in rows}
    mid_market = by_queue["mid_market_inbound"]
    assert (int(mid_market["mqls_touched_in_sla"]), int(mid_market["mqls_sla_decided"])) == (1, 1)
    assert float(mid_market["sla_attainment"]) == pytest.approx(1.0)
    assert float(mid_market["median_hours_to_first_touch"]) == pytest.approx(5 + 55 / 60)
    # L003's PQL entry waits in product_assist (no touch yet); the marketing queues have no MQL
    # entries: nothing decided, no time to first touch
    assert "product_assist" in by_queue
    for queue in set(by_queue) - {"mid_market_inbound"}:
        assert int(by_queue[queue]["mqls_sla_decided"]) == 0, queue
        assert by_queue[queue]["median_hours_to_first_touch"] in ("", None), queue


def test_accounts_mqas_and_coverage_by_account_tier(metricflow_project: Path) -> None:
    rows = mf_query(
        metricflow_project,
        ["scored_accounts", "mqas", "average_buying_group_coverage"],
        ["account_score__scoring_model", "account_score__account_tier"],
    )
    by_key = {(row["account_score__scoring_model"], row["account_score__account_tier"]): row for row in rows}
    assert set(by_key) == {("default", "cold"), ("pql", "cold"), ("pql", "warm")}
    # default: the 7 scored fixture leads sit at 6 accounts (L005's competitor domain is never
    # linked), each with one contact and a score under 50: all cold, no MQA. Four of them hold one
    # of the four required roles (0.25 each), two hold none (unclassified titles): mean 1/6.
    cold = by_key[("default", "cold")]
    assert (int(cold["scored_accounts"]), int(cold["mqas"])) == (6, 0)
    assert float(cold["average_buying_group_coverage"]) == pytest.approx(1 / 6)
    # pql: the same 6 accounts. L003's (name:pat) is warm at exactly 40: its contact's pql
    # behavioral score (43.25) capped at 40 per contact, times 0.5 = 20, plus 5 for one contact
    # active in the last 14 days, plus its firmographic fit (15); no required pql role (a VP Sales
    # is a decision maker): below the hot line (70), no MQA. Of the 3 required pql roles, two
    # accounts hold one (1/3 each): mean over the 6 accounts 1/9.
    warm = by_key[("pql", "warm")]
    assert (int(warm["scored_accounts"]), int(warm["mqas"])) == (1, 0)
    assert float(warm["average_buying_group_coverage"]) == pytest.approx(0.0)
    cold = by_key[("pql", "cold")]
    assert (int(cold["scored_accounts"]), int(cold["mqas"])) == (5, 0)
    assert float(cold["average_buying_group_coverage"]) == pytest.approx(2 / 3 / 5)


def test_lifecycle_funnel_metrics(metricflow_project: Path) -> None:
    rows = mf_query(
        metricflow_project,
        ["funnel_leads", "funnel_sals", "funnel_opportunities", "funnel_losses", "opportunity_win_rate"],
        ["lead_lifecycle__scoring_model"],
    )
    # one funnel per scoring model; past MQL the stages do not depend on the model
    assert sorted(row["lead_lifecycle__scoring_model"] for row in rows) == ["default", "pql"]
    for row in rows:
        # SAL: L001 (sales email), L002 and L003 (sales calls); L005's lost opportunity (O009) is
        # the only opportunity known by 2026-06-30 (L001's and L002's were created in July)
        names = ("funnel_leads", "funnel_sals", "funnel_opportunities", "funnel_losses")
        counts = tuple(int(row[name]) for name in names)
        assert counts == (7, 3, 1, 1)
        assert float(row["opportunity_win_rate"]) == pytest.approx(0.0)
