"""A development build on the production warehouse never touches production's schemas (issue 9).

generate_schema_name keeps the layer schemas (raw, seeds, staging, ...) for production builds and
prefixes them with the target schema for every other build (LEAD_SCORING_ENV=dev; the default on
PostgreSQL). Here both run on one DuckDB file: the dev build reads other raw files, and afterwards
every production relation holds exactly the rows it held before. On PostgreSQL, the schemas dbt
resolves (`dbt ls`, no server needed) prove that a build is a development build unless
LEAD_SCORING_ENV=prod is set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
from conftest import FIXTURES, REPO
from dbt_runner import dbt_executable, run_dbt

STAGING = [
    "build",
    "--select",
    "resource_type:seed",
    "path:models/staging",
    "path:tests/staging",
    "--indirect-selection",
    "cautious",
]
PRODUCTION_SCHEMAS = ("raw", "seeds", "staging")


def _relations(database: Path, schemas: tuple[str, ...]) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) order by 1",
            list(schemas),
        ).fetchall()
        return {
            name: sorted(connection.sql(f"select * from {name}").fetchall(), key=repr)
            for (name,) in names
            if not name.endswith("__records")
        }


def _build(tmp_path: Path, database: Path, raw: Path, env: str):
    scratch = {
        "DBT_TARGET_PATH": str(tmp_path / f"target_{env}"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "LEAD_SCORING_ENV": env,
    }
    dbt_vars = {"raw_data_path": str(raw), "score_as_of": "2026-06-30"}
    return run_dbt(STAGING, REPO, database, dbt_vars, extra_env=scratch)


def test_a_dev_build_on_the_production_file_leaves_production_untouched(tmp_path: Path):
    database = tmp_path / "shared.duckdb"
    _build(tmp_path, database, FIXTURES / "messy", "prod")
    production = _relations(database, PRODUCTION_SCHEMAS)
    assert "staging.stg_crm__leads" in production and "raw.leads" in production
    prod_leads = len(production["staging.stg_crm__leads"])

    # the developer's raw files: fewer leads
    dev_raw = tmp_path / "dev_raw"
    shutil.copytree(FIXTURES / "messy", dev_raw)
    lines = (dev_raw / "leads.csv").read_text().splitlines(keepends=True)
    (dev_raw / "leads.csv").write_text("".join(lines[:4]))
    _build(tmp_path, database, dev_raw, "dev")

    assert _relations(database, PRODUCTION_SCHEMAS) == production
    development = _relations(database, tuple(f"main_{schema}" for schema in PRODUCTION_SCHEMAS))
    assert "main_staging.stg_crm__leads" in development and "main_raw.leads" in development
    assert len(development["main_raw.leads"]) == 3
    assert len(development["main_staging.stg_crm__leads"]) < prod_leads
    with duckdb.connect(str(database), read_only=True) as connection:
        schemas = {
            row[0] for row in connection.sql("select schema_name from information_schema.schemata").fetchall()
        }
    assert {"main_raw", "main_seeds", "main_staging"} <= schemas


def _model_schemas(tmp_path: Path, extra_env: dict[str, str]) -> dict[str, str]:
    """Model name -> schema as `dbt ls --target postgres` resolves them (no server needed)."""
    env = {key: value for key, value in os.environ.items() if key != "LEAD_SCORING_ENV"}
    env.update(
        {
            "DO_NOT_TRACK": "1",
            "DBT_PROFILES_DIR": str(REPO),
            "DBT_TARGET_PATH": str(tmp_path / "target_ls"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
            **extra_env,
        }
    )
    command = [dbt_executable(), "ls", "--target", "postgres", "--resource-type", "model"]
    command += ["--output", "json", "--output-keys", "name schema", "-q"]
    listed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    return {row["name"]: row["schema"] for row in rows}


def test_postgres_builds_are_development_unless_production_is_asked_for(tmp_path: Path):
    """On a shared PostgreSQL server a build without LEAD_SCORING_ENV writes only into its own
    `<target schema>_<layer>` schemas; LEAD_SCORING_ENV=prod gives the layer schemas BI reads."""
    development = _model_schemas(tmp_path, {"LEAD_SCORING_PG_SCHEMA": "dbt_alice"})
    production = _model_schemas(tmp_path, {"LEAD_SCORING_ENV": "prod"})
    assert development.keys() == production.keys() and len(production) > 40
    assert production["fct_lead_scores"] == "marts" and production["stg_crm__leads"] == "staging"
    assert {name: f"dbt_alice_{schema}" for name, schema in production.items()} == development
