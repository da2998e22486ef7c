"""A copy of the DuckDB warehouse under another name works (issue 26): its views name relations
without the catalog, which DuckDB takes from the file's name, so a restored backup, a BI tool's copy
or a renamed file opens, every view queries, and a build on it passes. Before, 22 of 25 views failed
with `Catalog "lead" does not exist` (macros/warehouses/ref.sql)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
from conftest import FIXTURES, REPO
from dbt_runner import dbt_executable


def _views(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str, str]]:
    return connection.execute(
        "select schema_name, view_name, sql from duckdb_views() where not internal and database_name = ?",
        [catalog],
    ).fetchall()


def _query_every_view(connection: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, str]:
    """The views of `catalog` that fail to query, with DuckDB's error."""
    failing = {}
    for schema, view, _ in _views(connection, catalog):
        try:
            connection.execute(f'select count(*) from "{catalog}"."{schema}"."{view}"').fetchall()
        except duckdb.Error as error:
            failing[f"{schema}.{view}"] = str(error).splitlines()[0]
    return failing


def test_a_renamed_copy_opens_attaches_and_builds(messy_warehouse: Path, tmp_path: Path):
    restored = tmp_path / "leads-restored 2026-07-01.duckdb"
    shutil.copyfile(messy_warehouse, restored)

    with duckdb.connect(str(restored), read_only=True) as connection:
        catalog = connection.execute("select current_database()").fetchone()[0]
        views = _views(connection, catalog)
        assert len(views) > 20
        assert not [name for _, name, sql in views if "messy." in sql], "a view names the original catalog"
        assert _query_every_view(connection, catalog) == {}
    with duckdb.connect() as connection:  # attached under an alias, as a BI tool or a notebook may
        connection.execute(f"attach '{restored}' as backup (read_only)")
        assert _query_every_view(connection, "backup") == {}

    # relations of the target's own file without a catalog; another database's keep theirs
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "LEAD_SCORING_TARGET": "duckdb",
        "LEAD_SCORING_DUCKDB_PATH": str(restored),
    }
    dbt_vars = json.dumps({"raw_data_path": str(FIXTURES / "messy"), "score_as_of": "2026-06-30"})
    compiled = subprocess.run(
        [
            dbt_executable(),
            "--quiet",
            "compile",
            "--inline",
            "{{ ref('dim_leads') }} | {{ source('crm', 'leads') }} | {{ portable_relation("
            "api.Relation.create(database='connector', schema='hubspot', identifier='contacts')) }}",
            "--vars",
            dbt_vars,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert compiled.returncode == 0, compiled.stdout[-3000:]
    assert (
        compiled.stdout.strip().splitlines()[-1]
        == '"marts"."dim_leads" | "raw"."leads" | "connector"."hubspot"."contacts"'
    )

    # a partial build reads the views it does not rebuild: it failed on a renamed file
    build = subprocess.run(
        [
            str(REPO / "scripts" / "build_duckdb_atomically.sh"),
            dbt_executable(),
            "--select",
            "dim_leads",
            "--exclude-resource-type",
            "unit_test",
            "--vars",
            dbt_vars,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr
    with duckdb.connect(str(restored), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.dim_leads").fetchone()[0] > 0
