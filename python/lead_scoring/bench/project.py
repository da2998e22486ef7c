"""The benchmark's run settings, its data, and the project's scores to check against."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_scoring.bench import agreement
from lead_scoring.bench.measure import Measurement, run_measured

REPO = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
DBT = str(Path(sys.executable).with_name("dbt"))


@dataclass
class Run:
    """The settings of one benchmark run and the folders it uses."""

    leads: int
    days: int
    events_per_lead: float
    seed: int
    end_date: dt.date
    work: Path
    memory_limit: str
    threads: int

    @property
    def raw(self) -> Path:
        return self.work / "raw"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    def env(self, database: Path, target: str = "duckdb") -> dict[str, str]:
        return {
            **os.environ,
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": str(REPO),
            "PYTHONPATH": str(REPO / "python"),
            "LEAD_SCORING_TARGET": target,
            "LEAD_SCORING_DUCKDB_PATH": str(database),
            "LEAD_SCORING_DUCKDB_MEMORY_LIMIT": self.memory_limit,
            "LEAD_SCORING_THREADS": str(self.threads),
            "DBT_TARGET_PATH": str(self.work / "target"),
            "DBT_LOG_PATH": str(self.work / "dbt_logs"),
        }

    def dbt_vars(self, as_of: dt.date, **more: object) -> str:
        values = {"raw_data_path": str(self.raw), "score_as_of": as_of.isoformat(), **more}
        return json.dumps(values)

    @property
    def run_results(self) -> Path:
        return self.work / "target" / "run_results.json"


# ---------------------------------------------------------------------------------------------------
# Data


def _manifest(run: Run) -> dict[str, object]:
    return {
        "leads": run.leads,
        "days": run.days,
        "events_per_lead": run.events_per_lead,
        "seed": run.seed,
        "end_date": run.end_date.isoformat(),
    }


def ensure_data(run: Run) -> Measurement | None:
    """Generate the raw data unless the work folder has it for the same arguments."""
    manifest_path = run.work / "data.json"
    have_data = manifest_path.exists() and (run.raw / "events").is_dir()
    if have_data and json.loads(manifest_path.read_text()) == _manifest(run):
        return None
    manifest_path.unlink(missing_ok=True)
    command = [PYTHON, "-m", "lead_scoring.generate", "--leads", str(run.leads), "--days", str(run.days)]
    command += ["--format", "parquet", "--events-per-lead", str(run.events_per_lead), "--seed", str(run.seed)]
    command += ["--end-date", run.end_date.isoformat(), "--out", str(run.raw)]
    measured = run_measured(
        command, env=run.env(run.work / "unused.duckdb"), cwd=REPO, log=run.logs / "generate.log"
    )
    manifest_path.write_text(json.dumps(_manifest(run), indent=2) + "\n")
    return measured


def default_end_date(work: Path, leads: int, days: int, events_per_lead: float, seed: int) -> dt.date:
    """The end date of data already generated in `work` with the same arguments, else two days ago
    (so that the extra day is in the past: events after the run's start + clock skew are rejected)."""
    manifest_path = work / "data.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        same = (manifest["leads"], manifest["days"], manifest["events_per_lead"], manifest["seed"])
        if same == (leads, days, events_per_lead, seed):
            return dt.date.fromisoformat(manifest["end_date"])
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)


def raw_event_count(raw: Path) -> int:
    with duckdb.connect(":memory:") as connection:
        glob = str(raw / "events" / "*.parquet").replace("'", "''")
        return int(connection.execute(f"select count(*) from read_parquet('{glob}')").fetchone()[0])


# ---------------------------------------------------------------------------------------------------
# Project results


def _scores(rows: Sequence[tuple[str, str, object]]) -> dict[agreement.Key, float]:
    return {(model, lead): (None if score is None else float(score)) for model, lead, score in rows}


def project_scores(database: Path) -> tuple[dict[agreement.Key, float], dict[agreement.Key, float] | None]:
    """(fct_lead_scores.behavioral_score, rounded; the unrounded live behavioral points per lead
    from the behavioral ledger when the warehouse has one, else None)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        rounded = _scores(
            connection.execute(
                "select scoring_model, lead_id, behavioral_score from marts.fct_lead_scores"
            ).fetchall()
        )
        try:
            exact = _scores(
                connection.execute(
                    "select scoring_model, lead_id, sum(points) from intermediate.int_leads_behavior_scored "
                    "where is_live group by all"
                ).fetchall()
            )
        except duckdb.Error:
            exact = None
    return rounded, exact


def excluded_customers(database: Path) -> set[agreement.Key]:
    """(scoring_model, lead_id) pairs the project leaves out of the live scores as customers (a
    scoring model whose customer_handling is `exclude`, a lead version valid at the live date that
    was a customer by then: the rule of int_scoring_population). The statement and pandas scorers
    know nothing of accounts, so their scores of these leads are not compared. Empty for a
    warehouse built before customers were handled."""
    with duckdb.connect(str(database), read_only=True) as connection:
        try:
            rows = connection.execute(
                """
                select models.scoring_model, customers.lead_id
                from intermediate.int_lead_customer_dates as customers
                cross join intermediate.int_scoring_dates as dates
                cross join seeds.scoring_models as models
                where dates.is_live and models.customer_handling = 'exclude'
                    and customers.customer_since_date <= dates.as_of_date
                    and customers.valid_from_date <= dates.as_of_date
                    and (customers.valid_to_date is null or dates.as_of_date < customers.valid_to_date)
                """
            ).fetchall()
        except duckdb.Error:
            return set()
    return {(model, lead) for model, lead in rows}


def candidate_scores(
    path: Path, column: str, excluded: set[agreement.Key] | None = None
) -> dict[agreement.Key, float]:
    with duckdb.connect(":memory:") as connection:
        target = str(path).replace("'", "''")
        scores = _scores(
            connection.execute(f"select scoring_model, lead_id, {column} from '{target}'").fetchall()
        )
    return {key: score for key, score in scores.items() if key not in (excluded or set())}


def check_against_project(database: Path, candidate: Path, name: str, when: str) -> list[agreement.Agreement]:
    """Both checks (rounded against the mart, exact against the ledger); raises on disagreement."""
    rounded, exact = project_scores(database)
    excluded = excluded_customers(database)
    results = [
        agreement.require(
            agreement.compare_scores(
                rounded,
                candidate_scores(candidate, "behavioral_score", excluded),
                tolerance=agreement.ROUNDED_TOLERANCE,
                reference_name=f"fct_lead_scores.behavioral_score ({when}, rounded to cents)",
                candidate_name=name,
            )
        )
    ]
    if exact is not None:
        results.append(
            agreement.require(
                agreement.compare_scores(
                    exact,
                    candidate_scores(candidate, "behavioral_points", excluded),
                    tolerance=agreement.EXACT_TOLERANCE,
                    reference_name=f"int_leads_behavior_scored live points ({when}, unrounded)",
                    candidate_name=name,
                )
            )
        )
    return results


def query_one(database: Path, sql: str) -> object:
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            return connection.execute(sql).fetchone()[0]
    except duckdb.Error as exc:
        return f"n/a ({str(exc).splitlines()[0]})"
