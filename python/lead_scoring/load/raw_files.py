"""Load the raw files into a warehouse that cannot read them in place (PostgreSQL).

    lead-scoring load --target postgres --raw-data-path data/raw

(With ``--from-duckdb FILE --schemas ...`` it copies connector tables from a DuckDB file instead:
lead_scoring.load.schemas.)

DuckDB and Spark read the raw files where they lie (dbt's on-run-start hook registers them); a
PostgreSQL server cannot see the files of the machine dbt runs on, so they are copied into it first.

For each raw source (leads, events, opportunities) the file ``<raw-data-path>/<name>.csv`` (with a
header row) or the folder ``<raw-data-path>/<name>/*.parquet`` is read with DuckDB, every column as
text, exactly as the DuckDB warehouse reads it: a CSV file with the strict reader of
``macros/raw/strict_csv.sql`` (lead_scoring.load.strict_csv), so PostgreSQL gets the same rows, line numbers
and read errors (``raw_line_number``, ``raw_read_error``) and a file that cannot be read stops the load
with one line naming the file and the line. The rows are copied into ``raw.<name>`` (all columns
``text``) with COPY. Every file is read and checked before the database is touched; then, in one transaction,
each table is loaded into ``raw.<name>__loading`` and renamed over ``raw.<name>``, so a reader sees
the old raw data or the new, never a half load or a mix. Views on the old tables (dbt's staging
views) are dropped with them, as dbt's own table rebuilds do; the next ``dbt build`` creates them
again.

Connection settings come from the same environment variables as the dbt profile:
LEAD_SCORING_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE (scripts/postgres.sh writes them to
warehouse/postgres.env).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lead_scoring.common.contract import raw_contract
from lead_scoring.load import strict_csv

# The raw sources and the columns each must have (from the sources YAML in models/staging). Extra
# columns in a file are loaded too.
RAW_SOURCES: dict[str, tuple[str, ...]] = raw_contract()


class LoadError(Exception):
    """A problem the user can fix (missing file, missing column, no server)."""


@dataclass(frozen=True)
class RawFile:
    name: str
    path: Path
    reader: str  # a DuckDB table function call reading the file(s)


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def find_raw_file(raw_data_path: Path, name: str) -> RawFile:
    """The CSV file or Parquet folder of one raw source (the CSV wins when both exist)."""
    csv_path = raw_data_path / f"{name}.csv"
    parquet_dir = raw_data_path / name
    if csv_path.is_file():
        return RawFile(name, csv_path, "strict_csv")
    if parquet_dir.is_dir() and any(parquet_dir.glob("*.parquet")):
        glob = str(parquet_dir / "*.parquet")
        reader = f"read_parquet({_sql_string(glob)}, union_by_name = true, filename = true)"
        return RawFile(name, parquet_dir, reader)
    raise LoadError(
        f"Raw source '{name}' not found: expected {csv_path} (CSV with a header row) or "
        f"{parquet_dir}/*.parquet, with the columns: {', '.join(RAW_SOURCES[name])}."
    )


def write_copy_csv(raw: RawFile, expected: tuple[str, ...], out_path: Path) -> list[str]:
    """Writes the raw file as header-less CSV of text columns to out_path; returns the column names:
    the expected ones, then raw_line_number, raw_read_error and raw_file_path (the file each row
    came from)."""
    import duckdb

    con = duckdb.connect()
    try:
        if raw.reader == "strict_csv":
            try:
                columns = strict_csv.read_into(con, raw.path, raw.name, expected, "raw_rows")
            except ValueError as exc:
                raise LoadError(str(exc)) from exc
            except strict_csv.StrictCsvError as exc:
                raise LoadError(str(exc)) from exc
            path = _sql_string(str(raw.path))
            con.execute(f"alter table raw_rows add column raw_file_path varchar default {path}")
            columns = [*columns, "raw_file_path"]
            relation = "raw_rows"
        else:
            described = con.execute(f"describe select * from {raw.reader}").fetchall()
            present = [row[0].lower() for row in described]
            missing = [column for column in expected if column.lower() not in present]
            if missing:
                raise LoadError(
                    f"Raw source '{raw.name}' ({raw.path}) is missing the columns: {', '.join(missing)}. "
                    f"Expected columns: {', '.join(expected)}. Found: {', '.join(present)}."
                )
            select_list = ", ".join(f'cast("{column}" as varchar) as "{column}"' for column in expected)
            con.execute(
                f"create temp table raw_rows as select {select_list}, "
                "cast(null as integer) as raw_line_number, cast(null as varchar) as raw_read_error, "
                f"filename as raw_file_path from {raw.reader}"
            )
            columns = [*expected, "raw_line_number", "raw_read_error", "raw_file_path"]
            relation = "raw_rows"
        select_list = ", ".join(f'cast("{column}" as varchar)' for column in columns)
        # Postgres CSV: an unquoted empty field is NULL, a quoted one ("") is an empty string, which
        # is what DuckDB writes for NULL and '' respectively.
        con.execute(
            f"copy (select {select_list} from {relation} order by raw_line_number) "
            f"to {_sql_string(str(out_path))} "
            "(format csv, header false, delimiter ',', quote '\"', escape '\"')"
        )
        return [column.lower() for column in columns]
    finally:
        con.close()


def pg_connect():
    try:
        import psycopg2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise LoadError(
            "psycopg2 is not installed: pip install psycopg2-binary (it comes with dbt-postgres)"
        ) from exc
    settings = {
        "host": os.environ.get("LEAD_SCORING_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("LEAD_SCORING_PG_PORT", "5432")),
        "user": os.environ.get("LEAD_SCORING_PG_USER", "lead_scoring"),
        "password": os.environ.get("LEAD_SCORING_PG_PASSWORD", ""),
        "dbname": os.environ.get("LEAD_SCORING_PG_DATABASE", "lead_scoring"),
    }
    try:
        return psycopg2.connect(connect_timeout=10, application_name="lead_scoring.load", **settings)
    except psycopg2.OperationalError as exc:
        raise LoadError(
            f"cannot connect to PostgreSQL at {settings['host']}:{settings['port']} "
            f"(database {settings['dbname']}, user {settings['user']}): {str(exc).strip()}. "
            "Start a local server with scripts/postgres.sh start and source warehouse/postgres.env, "
            "or set the LEAD_SCORING_PG_* variables."
        ) from exc


def _copy_into_loading_table(cur, schema: str, name: str, columns: list[str], csv_path: Path) -> int:
    """Creates schema.<name>__loading with text columns and COPYs the CSV into it; returns the row count."""
    from psycopg2 import sql

    loading_table = sql.Identifier(schema, f"{name}__loading")
    column_defs = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(column)) for column in columns)
    column_list = sql.SQL(", ").join(sql.Identifier(column) for column in columns)
    cur.execute(sql.SQL("drop table if exists {}").format(loading_table))
    cur.execute(sql.SQL("create table {} ({})").format(loading_table, column_defs))
    with open(csv_path, encoding="utf-8") as handle:
        cur.copy_expert(
            sql.SQL("copy {} ({}) from stdin with (format csv)")
            .format(loading_table, column_list)
            .as_string(cur.connection),
            handle,
            size=1 << 20,
        )
    rows = cur.rowcount
    cur.execute(sql.SQL("analyze {}").format(loading_table))
    return rows


def _swap_in_loading_table(cur, schema: str, name: str) -> list[str]:
    """Replaces schema.name by schema.<name>__loading; returns the views dropped with the old table."""
    from psycopg2 import sql

    # Views on the old table (dbt's staging views) go with it, as in dbt's own table rebuilds;
    # the next dbt build creates them again.
    cur.execute(
        """
        select distinct dependent_ns.nspname || '.' || dependent.relname
        from pg_depend d
        join pg_rewrite r on r.oid = d.objid
        join pg_class dependent on dependent.oid = r.ev_class
        join pg_namespace dependent_ns on dependent_ns.oid = dependent.relnamespace
        where d.refobjid = to_regclass(%s) and dependent.oid <> d.refobjid
        """,
        (f'"{schema}"."{name}"',),
    )
    dropped_views = sorted(row[0] for row in cur.fetchall())
    cur.execute(sql.SQL("drop table if exists {} cascade").format(sql.Identifier(schema, name)))
    cur.execute(
        sql.SQL("alter table {} rename to {}").format(
            sql.Identifier(schema, f"{name}__loading"), sql.Identifier(name)
        )
    )
    return dropped_views


def load_postgres(raw_data_path: Path, schema: str, tables: list[str]) -> None:
    """Loads the raw files of `tables` into schema.<table>, all of them or none."""
    if not raw_data_path.is_dir():
        raise LoadError(
            f"raw data folder {raw_data_path} does not exist (make data generates sample data there)"
        )
    raw_files = [find_raw_file(raw_data_path, name) for name in tables]  # fail before any work
    conn = pg_connect()
    try:
        with tempfile.TemporaryDirectory(prefix="lead_scoring_load_") as tmp:
            # Read and check every file before changing anything in the database.
            exported = []
            for raw in raw_files:
                started = time.monotonic()
                csv_path = Path(tmp) / f"{raw.name}.csv"
                columns = write_copy_csv(raw, RAW_SOURCES[raw.name], csv_path)
                exported.append((raw, columns, csv_path, time.monotonic() - started))
            _load_exported(conn, schema, exported)
    finally:
        conn.close()


def _load_exported(conn, schema: str, exported: list[tuple[RawFile, list[str], Path, float]]) -> None:
    """One transaction for all tables: readers see the old raw data or the new, never a mix."""
    from psycopg2 import sql

    counts = {}
    dropped = []
    with conn, conn.cursor() as cur:
        cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        for raw, columns, csv_path, read_seconds in exported:
            started = time.monotonic()
            counts[raw.name] = _copy_into_loading_table(cur, schema, raw.name, columns, csv_path)
            print(
                f"copied {counts[raw.name]} rows from {raw.path} into {schema}.{raw.name}__loading "
                f"(read {read_seconds:.1f}s, copy {time.monotonic() - started:.1f}s)",
                file=sys.stderr,
            )
        for raw, *_ in exported:
            dropped += _swap_in_loading_table(cur, schema, raw.name)
    if dropped:
        print(
            "dropped views on the old raw tables (the next dbt build recreates them): " + ", ".join(dropped),
            file=sys.stderr,
        )
    summary = ", ".join(f"{schema}.{name} ({rows} rows)" for name, rows in counts.items())
    print(f"loaded {summary}", file=sys.stderr)
