"""Copy whole schemas of a DuckDB file (connector tables) into another warehouse, typed.

    lead-scoring load --target postgres --from-duckdb FILE --schemas salesforce segment
    lead-scoring load --target spark --from-duckdb FILE --schemas salesforce segment \\
        --parquet-dir DIR

The generator writes connector-shaped sample data (Fivetran's Salesforce and HubSpot tables,
Segment's) into a DuckDB file; a connector reads in place on DuckDB, but another warehouse needs
the tables in its own schemas, with the same typed columns (timestamps, booleans, numbers), as a
connector would have written them there:

- PostgreSQL: each schema is dropped and created again and every table is copied with COPY from a
  CSV file DuckDB writes, with the PostgreSQL type of each DuckDB column; all schemas in one
  transaction (a reader sees the old tables or the new). Connection settings as for the raw files
  (LEAD_SCORING_PG_*, see lead_scoring.load).
- Spark: every table is written as Parquet to ``DIR/<schema>.<table>/data.parquet`` (timestamps as
  UTC instants, Spark's TIMESTAMP); ``dbt run-operation register_parquet_relations --target spark
  --args '{path: DIR}'`` then creates ``<schema>.<table>`` over each folder.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# DuckDB column types and the PostgreSQL type each is copied as.
POSTGRES_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


# What --schemas defaults to: the connector schemas the generator writes, those in the file.
CONNECTOR_SCHEMAS = ("salesforce", "hubspot", "segment")


class SchemaCopyError(Exception):
    """A problem the user can fix (missing file or schema, a column type with no equivalent)."""


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def postgres_type(duckdb_type: str) -> str:
    if match := re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type):
        return f"numeric({match.group(1)}, {match.group(2)})"
    if duckdb_type not in POSTGRES_TYPES:
        raise SchemaCopyError(f"no PostgreSQL type for the DuckDB type {duckdb_type}")
    return POSTGRES_TYPES[duckdb_type]


def read_tables(con, schemas: list[str] | None) -> list[Table]:
    """The tables of `schemas` (None: the connector schemas there are) in the open DuckDB file,
    with their columns in order."""
    if schemas is None:
        present = {name for (name,) in con.execute("select schema_name from duckdb_schemas()").fetchall()}
        schemas = [name for name in CONNECTOR_SCHEMAS if name in present]
        if not schemas:
            raise SchemaCopyError(f"none of the schemas {', '.join(CONNECTOR_SCHEMAS)} is in the file")
    rows = con.execute(
        """
        select schema_name, table_name, column_name, data_type
        from duckdb_columns()
        where database_name = current_database() and schema_name in (select unnest($schemas))
        order by schema_name, table_name, column_index
        """,
        {"schemas": schemas},
    ).fetchall()
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, kind in rows:
        columns.setdefault((schema, table), []).append((column, kind))
    missing = sorted(set(schemas) - {schema for schema, _ in columns})
    if missing:
        raise SchemaCopyError(f"no tables in the schemas {', '.join(missing)}")
    return [Table(schema, name, tuple(cols)) for (schema, name), cols in columns.items()]


def _open(duckdb_path: Path):
    import duckdb

    if not duckdb_path.is_file():
        raise SchemaCopyError(f"DuckDB file {duckdb_path} does not exist")
    con = duckdb.connect(str(duckdb_path), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    return con


def copy_to_postgres(duckdb_path: Path, schemas: list[str] | None, connect) -> dict[str, int]:
    """Replaces `schemas` in PostgreSQL (connect(): a psycopg2 connection) by the DuckDB file's;
    returns the rows copied per table ("schema.table")."""
    from psycopg2 import sql

    con = _open(duckdb_path)
    try:
        tables = read_tables(con, schemas)
        for table in tables:  # every type checked before the database is touched
            for _, kind in table.columns:
                postgres_type(kind)
        counts: dict[str, int] = {}
        with tempfile.TemporaryDirectory(prefix="lead_scoring_schemas_") as tmp:
            conn = connect()
            try:
                with conn, conn.cursor() as cur:
                    for schema in dict.fromkeys(table.schema for table in tables):
                        name = sql.Identifier(schema)
                        cur.execute(sql.SQL("drop schema if exists {} cascade").format(name))
                        cur.execute(sql.SQL("create schema {}").format(name))
                    for table in tables:
                        counts[f"{table.schema}.{table.name}"] = _copy_table(con, cur, table, Path(tmp))
            finally:
                conn.close()
    finally:
        con.close()
    return counts


def _copy_table(con, cur, table: Table, tmp: Path) -> int:
    from psycopg2 import sql

    csv_path = tmp / f"{table.schema}.{table.name}.csv"
    # PostgreSQL's CSV: an unquoted empty field is NULL, a quoted one ("") an empty string, as
    # DuckDB writes them. Timestamps without an offset, as the columns are.
    con.execute(
        f"copy {_quote(table.schema)}.{_quote(table.name)} to {_sql_string(str(csv_path))} "
        "(format csv, header false, delimiter ',', quote '\"', escape '\"')"
    )
    target = sql.Identifier(table.schema, table.name)
    cur.execute(
        sql.SQL("create table {} ({})").format(
            target,
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(postgres_type(kind)))
                for name, kind in table.columns
            ),
        )
    )
    with open(csv_path, encoding="utf-8") as handle:
        cur.copy_expert(
            sql.SQL("copy {} from stdin with (format csv)").format(target).as_string(cur.connection), handle
        )
    rows = cur.rowcount
    cur.execute(sql.SQL("analyze {}").format(target))
    return rows


def write_parquet(duckdb_path: Path, schemas: list[str] | None, folder: Path) -> dict[str, int]:
    """Writes every table of `schemas` to folder/<schema>.<table>/data.parquet (each table's folder
    replaced); returns the rows written per table."""
    con = _open(duckdb_path)
    try:
        counts: dict[str, int] = {}
        for table in read_tables(con, schemas):
            out = folder / f"{table.schema}.{table.name}"
            out.mkdir(parents=True, exist_ok=True)
            for old in out.glob("*.parquet"):
                old.unlink()
            # a timestamp without an offset is UTC: written as an instant, Spark reads it as its
            # TIMESTAMP type (a zone-less Parquet timestamp would be TIMESTAMP_NTZ)
            select = ", ".join(
                f"cast({_quote(name)} as timestamptz) as {_quote(name)}"
                if kind == "TIMESTAMP"
                else _quote(name)
                for name, kind in table.columns
            )
            con.execute(
                f"copy (select {select} from {_quote(table.schema)}.{_quote(table.name)}) "
                f"to {_sql_string(str(out / 'data.parquet'))} (format parquet)"
            )
            (counts[f"{table.schema}.{table.name}"],) = con.execute(
                f"select count(*) from {_quote(table.schema)}.{_quote(table.name)}"
            ).fetchone()
    finally:
        con.close()
    return counts


def run(target: str, duckdb_path: Path, schemas: list[str] | None, parquet_dir: Path | None, connect) -> None:
    """The load job's --from-duckdb branch (lead_scoring.load.cli.main)."""
    started = time.monotonic()
    if target == "postgres":
        counts = copy_to_postgres(duckdb_path, schemas, connect)
        where = "PostgreSQL"
    elif target == "spark":
        if parquet_dir is None:
            raise SchemaCopyError("--target spark needs --parquet-dir (where the Parquet files go)")
        counts = write_parquet(duckdb_path, schemas, parquet_dir)
        where = f"{parquet_dir} (register them: dbt run-operation register_parquet_relations)"
    else:
        raise SchemaCopyError(f"--from-duckdb copies into postgres or spark, not {target}")
    copied = ", ".join(dict.fromkeys(name.split(".")[0] for name in counts))
    print(
        f"copied {len(counts)} tables ({sum(counts.values())} rows) of {copied} from "
        f"{duckdb_path} into {where} in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )
