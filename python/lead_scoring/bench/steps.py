"""The measured steps of one benchmark run (see lead_scoring.bench.cli for the list)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import yaml

from lead_scoring.bench import agreement, report
from lead_scoring.bench.extra_day import extra_day_name, extra_hour_name, write_extra_day
from lead_scoring.bench.measure import dbt_model_seconds, dbt_seconds, run_measured
from lead_scoring.bench.project import (
    DBT,
    PYTHON,
    REPO,
    Run,
    check_against_project,
    ensure_data,
    query_one,
)

# The models whose only purpose is the backtests and the calibration reports built on them.
BACKTEST_MODEL_PREFIXES = ("int_backtest_", "int_score_probability_bins", "rpt_")
# What the backfill command prints when the history reaches its days (lead_scoring.backfill).
BACKFILL_BUILDS = re.compile(r"after (\d+) history builds")


class Bench:
    def __init__(self, run: Run) -> None:
        self.run = run
        self.steps: dict[str, report.Step] = {}
        self.agreements: list[agreement.Agreement] = []
        self.main_models: dict[str, float] = {}
        self.model_times: dict[str, dict[str, float]] = {}
        self.test_times: dict[str, dict[str, float]] = {}
        self.facts: dict[str, object] = {}
        self.main_db = run.work / "bench.duckdb"  # (a file named main.duckdb clashes with the main schema)
        self.live_db = run.work / "live_path.duckdb"

    def say(self, text: str) -> None:
        print(f"[bench {dt.datetime.now().strftime('%H:%M:%S')}] {text}", flush=True)

    def measure(
        self,
        name: str,
        label: str,
        command: list[str],
        *,
        database: Path,
        dbt: bool,
        notes: str = "",
        target: str = "duckdb",
    ) -> report.Step:
        self.say(f"{label}: {' '.join(command[:6])}{' ...' if len(command) > 6 else ''}")
        measured = run_measured(
            command, env=self.run.env(database, target), cwd=REPO, log=self.run.logs / f"{name}.log"
        )
        step = report.Step(
            name, label, measured.wall_s, measured.peak_mb, command=" ".join(command), notes=notes
        )
        if dbt and self.run.run_results.exists():
            step.model_s, per_model = dbt_model_seconds(self.run.run_results)
            self.model_times[name] = per_model
            step.test_s, per_test = dbt_seconds(self.run.run_results, "test")
            if per_test:
                self.test_times[name] = per_test
            shutil.copy(self.run.run_results, self.run.logs / f"{name}.run_results.json")
        self.steps[name] = step
        self.say(
            f"  {measured.wall_s:,.1f} s wall, {measured.peak_mb:,.0f} MB peak"
            + (f", {step.model_s:,.1f} s model time" if step.model_s is not None else "")
        )
        return step

    def dbt(self, *arguments: str) -> list[str]:
        return [DBT, *arguments]

    def fresh_seeded(self, database: Path) -> None:
        database.unlink(missing_ok=True)
        run_measured(
            self.dbt("seed", "--vars", self.run.dbt_vars(self.run.end_date)),
            env=self.run.env(database),
            cwd=REPO,
            log=self.run.logs / "seed.log",
        )

    def main_job(self) -> None:
        self.main_db.unlink(missing_ok=True)
        self.run.run_results.unlink(missing_ok=True)
        command = self.dbt(
            "build", "--exclude-resource-type", "unit_test", "--vars", self.run.dbt_vars(self.run.end_date)
        )
        self.measure(
            "main",
            "main job: dbt build, models + data tests, fresh DuckDB",
            command,
            database=self.main_db,
            dbt=True,
        )
        self.main_models = self.model_times["main"]

    def reference(
        self, name: str, label: str, module: str, as_of: dt.date, when: str, *, timed: bool = True
    ) -> None:
        out = self.run.work / f"{name}.parquet"
        command = [
            PYTHON,
            "-m",
            module,
            "--raw",
            str(self.run.raw),
            "--as-of",
            as_of.isoformat(),
            "--out",
            str(out),
        ]
        if module.endswith("statement"):
            command += ["--memory-limit", self.run.memory_limit, "--threads", str(self.run.threads)]
        step = self.measure(name, label, command, database=self.main_db, dbt=False)
        checks = check_against_project(self.main_db, out, label, when)
        self.agreements.extend(checks)
        for check in checks:
            self.say("  " + check.summary())
        step.notes = "agrees with the project" if timed else "check only"

    def live_path(self, name: str, label: str, **more: object) -> None:
        self.fresh_seeded(self.live_db)
        self.run.run_results.unlink(missing_ok=True)
        command = self.dbt(
            "run", "--select", "+fct_lead_scores", "--vars", self.run.dbt_vars(self.run.end_date, **more)
        )
        self.measure(
            name,
            label,
            command,
            database=self.live_db,
            dbt=True,
            notes="fresh DuckDB, seeds loaded first (not timed)",
        )

    def overhead(self) -> None:
        self.measure(
            "parse",
            "dbt parse (no partial parse)",
            self.dbt("parse", "--no-partial-parse", "--vars", self.run.dbt_vars(self.run.end_date)),
            database=self.main_db,
            dbt=False,
        )
        self.run.run_results.unlink(missing_ok=True)
        command = self.dbt("run", "--select", "none_such", "--vars", self.run.dbt_vars(self.run.end_date))
        self.measure(
            "noop", "dbt run selecting nothing (fixed overhead)", command, database=self.main_db, dbt=False
        )

    def incremental(self) -> None:
        next_day = self.run.end_date + dt.timedelta(days=1)
        staged = self.run.work / "extra" / extra_day_name(next_day)
        if not staged.exists():
            counts = write_extra_day(self.run.raw / "events", next_day, staged, days=self.run.days)
            (staged.parent / f"{staged.stem}.json").write_text(json.dumps(counts) + "\n")
        counts_file = staged.parent / f"{staged.stem}.json"
        self.facts["extra_day"] = {"date": next_day.isoformat(), **json.loads(counts_file.read_text())}
        shutil.copy(staged, self.run.raw / "events" / staged.name)
        self.run.run_results.unlink(missing_ok=True)
        command = self.dbt(
            "build", "--exclude-resource-type", "unit_test", "--vars", self.run.dbt_vars(next_day)
        )
        extra = self.facts["extra_day"]
        self.measure(
            "incremental",
            "incremental: dbt build after one more day of events",
            command,
            database=self.main_db,
            dbt=True,
            notes=f"{extra['rows']:,} new raw rows, score_as_of + 1 day",
        )
        self.reference(
            "statement_next_day",
            "statement at the next day (check of the incremental run)",
            "lead_scoring.bench.statement",
            next_day,
            "after the incremental run",
            timed=False,
        )

    def hourly(self) -> None:
        """An intra-day refresh after the incremental day: one hour's share of a day's events (with
        its re-deliveries and late events) lands as one more file, and `dbt build` runs with the same
        score_as_of. Checked against the statement at that day."""
        day = self.run.end_date + dt.timedelta(days=1)
        staged = self.run.work / "extra" / extra_hour_name(day)
        if not staged.exists():
            counts = write_extra_day(
                self.run.raw / "events",
                day,
                staged,
                days=self.run.days,
                seed=11,
                share=1 / 24,
                id_prefix="evt_h",
            )
            (staged.parent / f"{staged.stem}.json").write_text(json.dumps(counts) + "\n")
        counts = json.loads((staged.parent / f"{staged.stem}.json").read_text())
        self.facts["extra_hour"] = {"date": day.isoformat(), **counts}
        shutil.copy(staged, self.run.raw / "events" / staged.name)
        self.run.run_results.unlink(missing_ok=True)
        command = self.dbt("build", "--exclude-resource-type", "unit_test", "--vars", self.run.dbt_vars(day))
        self.measure(
            "hourly",
            "hourly: dbt build after one more hour of events, same score_as_of",
            command,
            database=self.main_db,
            dbt=True,
            notes=f"{counts['rows']:,} new raw rows",
        )
        self.reference(
            "statement_after_hour",
            "statement at the same day (check of the hourly run)",
            "lead_scoring.bench.statement",
            day,
            "after the hourly run",
            timed=False,
        )

    def floor(self, as_of: dt.date, when: str) -> None:
        """Every lead rescored from the kept states in one query (lead_scoring.bench.floor), timed on
        the warehouse the last run left, and checked against it."""
        out = self.run.work / "floor.parquet"
        command = [
            PYTHON,
            "-m",
            "lead_scoring.bench.floor",
            "--database",
            str(self.main_db),
            "--as-of",
            as_of.isoformat(),
            "--out",
            str(out),
            "--memory-limit",
            self.run.memory_limit,
            "--threads",
            str(self.run.threads),
        ]
        label = "floor: every lead rescored from the kept states, one query"
        step = self.measure("floor", label, command, database=self.main_db, dbt=False)
        checks = check_against_project(self.main_db, out, "floor", when)
        self.agreements.extend(checks)
        for check in checks:
            self.say("  " + check.summary())
        step.notes = f"agrees with the project {when}"

    def backfill(self, days: int) -> None:
        """The documented backfill command on top of the incremental day's warehouse: as many dbt
        builds of the history path as it takes (at most history_backfill_days_per_run older days
        each), then one build of everything after the scoring dates; wall time over all of them."""
        next_day = self.run.end_date + dt.timedelta(days=1)
        command = [
            PYTHON,
            "-m",
            "lead_scoring.backfill",
            "--days",
            str(days),
            "--vars",
            self.run.dbt_vars(next_day),
        ]
        step = self.measure(
            "backfill",
            f"{days}-day history backfill (lead-scoring backfill --days {days})",
            command,
            database=self.main_db,
            dbt=False,
        )
        history_days = query_one(
            self.main_db, "select count(distinct score_date) from marts.fct_lead_score_history"
        )
        log = (self.run.logs / "backfill.log").read_text()
        builds = BACKFILL_BUILDS.search(log)
        step.notes = f"history now has {history_days} days" + (
            f"; {builds.group(1)} history builds, then one build after the scoring dates" if builds else ""
        )
        self.facts["history_days_after_backfill"] = history_days

    def postgres(self, leads: int) -> None:
        """The main job on PostgreSQL beside DuckDB at `leads` leads (its own data folder)."""
        pg_run = Run(
            leads,
            self.run.days,
            self.run.events_per_lead,
            self.run.seed,
            self.run.end_date,
            self.run.work / f"postgres-{leads}",
            self.run.memory_limit,
            self.run.threads,
        )
        pg_run.work.mkdir(parents=True, exist_ok=True)
        ensure_data(pg_run)
        pg = Bench(pg_run)
        pg.main_job()
        env_file = pg_run.work / "postgres.env"
        pg_env = {**pg_run.env(pg.main_db, "postgres"), "LEAD_SCORING_PG_ENV_FILE": str(env_file)}
        run_measured(
            ["bash", str(REPO / "scripts" / "postgres.sh"), "start"],
            env=pg_env,
            cwd=REPO,
            log=pg_run.logs / "pg-start.log",
        )
        try:
            for line in env_file.read_text().splitlines():
                if line.startswith("export "):
                    key, _, value = line[len("export ") :].partition("=")
                    pg_env[key] = value.strip().strip("'\"")
            load = run_measured(
                [
                    PYTHON,
                    "-m",
                    "lead_scoring.load",
                    "--target",
                    "postgres",
                    "--raw-data-path",
                    str(pg_run.raw),
                ],
                env=pg_env,
                cwd=REPO,
                log=pg_run.logs / "pg-load.log",
            )
            pg_run.run_results.unlink(missing_ok=True)
            build = run_measured(
                self.dbt(
                    "build",
                    "--target",
                    "postgres",
                    "--exclude-resource-type",
                    "unit_test",
                    "--vars",
                    pg_run.dbt_vars(pg_run.end_date),
                ),
                env=pg_env,
                cwd=REPO,
                log=pg_run.logs / "pg-build.log",
            )
            model_s, per_model = dbt_model_seconds(pg_run.run_results)
        finally:
            run_measured(
                ["bash", str(REPO / "scripts" / "postgres.sh"), "stop"],
                env=pg_env,
                cwd=REPO,
                log=pg_run.logs / "pg-stop.log",
                check=False,
            )
        duck = pg.steps["main"]
        self.steps["pg_duckdb_main"] = report.Step(
            "pg_duckdb_main",
            f"DuckDB main job at {leads:,} leads",
            duck.wall_s,
            duck.peak_mb,
            duck.model_s,
            duck.command,
        )
        self.steps["pg_load"] = report.Step(
            "pg_load",
            f"PostgreSQL load of the raw files at {leads:,} leads",
            load.wall_s,
            load.peak_mb,
            command=" ".join(load.command),
        )
        self.steps["pg_main"] = report.Step(
            "pg_main",
            f"PostgreSQL main job at {leads:,} leads",
            build.wall_s,
            build.peak_mb,
            model_s,
            " ".join(build.command),
            notes="peak = dbt client only, not the server",
        )
        self.model_times["pg_main"] = per_model

    def cutoff_cost(self) -> tuple[float | None, float | None]:
        """(model seconds the backtest cutoffs add to the live path, model seconds of the live path
        with one cutoff), from the two live-path runs; None when the second was not run."""
        live, one = self.steps.get("live"), self.steps.get("live_one_cutoff")
        # the cutoffs the main job scored (int_backtest_cutoffs): the var asks for
        # backtest_cutoff_count, but only cutoffs the data covers with their outcome window are kept
        counted = self.facts.get("backtest_cutoffs")
        cutoffs = (
            int(counted)
            if counted is not None
            else int(yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]["backtest_cutoff_count"])
        )
        if not live or not one or live.model_s is None or one.model_s is None or cutoffs < 2:
            return None, None
        return (live.model_s - one.model_s) * cutoffs / (cutoffs - 1), one.model_s
