"""Writing a connector shape into a DuckDB file: its schemas replaced in one transaction.

The conversion runs in an in-memory DuckDB (temp tables); the target file is attached and the
shape's schemas (and lead_scoring_truth) are dropped and created again inside one transaction, so
a reader sees the old tables or the new ones, never half of them, and every other schema in the
file is left as it was. Each table gets exactly the columns and types of ``tables.SCHEMAS``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb

from lead_scoring.common.progress import Progress
from lead_scoring.generate.connectors import hubspot, people, salesforce, segment, truth
from lead_scoring.generate.connectors.shapes import SHAPES, shape_vars
from lead_scoring.generate.connectors.tables import SCHEMAS, TRUTH_SCHEMA

DEST = "connector_target"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copy_schemas(
    con: duckdb.DuckDBPyConnection, database: Path, tables: Mapping[str, Mapping[str, str]]
) -> dict[str, int]:
    """Replace the schemas of `tables` (schema -> table -> temp table) in `database`; rows per table."""
    path = str(database).replace("'", "''")
    con.execute(f"attach '{path}' as {DEST}")
    counts: dict[str, int] = {}
    try:
        con.execute("begin transaction")
        try:
            for schema, schema_tables in tables.items():
                target = f"{DEST}.{_quote_ident(schema)}"
                con.execute(f"drop schema if exists {target} cascade")
                con.execute(f"create schema {target}")
                for table, temp_table in schema_tables.items():
                    columns = ", ".join(
                        f"cast({_quote_ident(name)} as {kind}) as {_quote_ident(name)}"
                        for name, kind in SCHEMAS[schema][table]
                    )
                    con.execute(
                        f"create table {target}.{_quote_ident(table)} as select {columns} from {temp_table}"
                    )
                    (rows,) = con.execute(f"select count(*) from {target}.{_quote_ident(table)}").fetchone()
                    counts[f"{schema}.{table}"] = int(rows)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.execute(f"detach {DEST}")
    return counts


def write_connector_shape(
    truth_dir: Path | str,
    database: Path | str,
    shape: str,
    seed: int,
    end_date: dt.date,
    fmt: str = "csv",
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Convert the truth files in `truth_dir` into the connector tables of `shape` in `database`.

    `shape` is one of salesforce, hubspot, segment. Writes the connector schemas the shape uses
    (salesforce + segment, hubspot + segment, segment) and lead_scoring_truth, replacing them if
    they exist; returns the rows of each table written ("schema.table" -> rows).
    """
    connector_shapes = [s for s in SHAPES if s != "files"]
    if shape not in connector_shapes:
        raise ValueError(f"shape must be one of {', '.join(connector_shapes)}, not {shape!r}")
    steps = Progress(progress)
    truth_dir = Path(truth_dir)
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    try:
        con.execute("set preserve_insertion_order = true")
        con.execute("set enable_progress_bar = false")
        con.execute("set TimeZone = 'UTC'")
        if threads:
            con.execute(f"set threads = {int(threads)}")
        run = truth.Conversion(con, shape, seed, end_date, truth.project_limits())
        with steps.step(f"{shape}: read the truth files") as step:
            truth.create_macros(run)
            truth.load_truth(run, truth_dir, fmt)
            people.build_persons(run)
            step["note"] = people.describe(run)
        segment.create_input(run)
        tables: dict[str, dict[str, str]] = {}
        with steps.step(f"{shape}: convert") as step:
            if shape == "salesforce":
                tables["salesforce"] = salesforce.build(run)
            elif shape == "hubspot":
                tables["hubspot"] = hubspot.build(run)
            else:
                segment.build_shape(run)
            segment.build_tables(run)
            tables["segment"] = dict(segment.SEGMENT_TABLES)
            _shape_table(run)
            tables[TRUTH_SCHEMA] = {
                "person_ids": "truth_person_ids",
                "opportunity_ids": "truth_opportunity_ids",
                "shape": "truth_shape",
            }
        with steps.step(f"{shape}: write {database.name}") as step:
            started = time.perf_counter()
            counts = copy_schemas(con, database, tables)
            step["rows"] = sum(counts.values())
            step["note"] = f"{len(counts)} tables, {time.perf_counter() - started:.1f}s"
    finally:
        con.close()
    return counts


def _shape_table(run: truth.Conversion) -> None:
    dbt_vars = json.dumps(shape_vars(run.shape), sort_keys=True).replace("'", "''")
    run.sql(f"create temp table truth_shape as select '{run.shape}' as shape, '{dbt_vars}' as dbt_vars")
