"""Load the raw files into a warehouse that cannot read them in place (PostgreSQL).

    python -m lead_scoring.load --target postgres --raw-data-path data/raw

DuckDB and Spark read the raw files where they lie (dbt's on-run-start hook registers them); a
PostgreSQL server cannot see the files of the machine dbt runs on, so they are copied into it first.

For each raw source (leads, events, opportunities) the file ``<raw-data-path>/<name>.csv`` (with a
header row) or the folder ``<raw-data-path>/<name>/*.parquet`` is read with DuckDB, every column as
text, exactly as the DuckDB warehouse reads it, and copied into ``raw.<name>`` (all columns ``text``)
with COPY. Each table is replaced atomically: it is loaded into ``raw.<name>__loading`` and swapped in
with a rename in the same transaction, so a reader sees the old rows or the new ones, never a half
load. Views on the old table (dbt's staging views) are dropped with it, as dbt's own table
rebuilds do; the next ``dbt build`` creates them again.

Connection settings come from the same environment variables as the dbt profile:
LEAD_SCORING_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE (scripts/postgres.sh writes them to
warehouse/postgres.env).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# The raw sources and the columns each must have (the sources YAML in models/staging documents
# them). Extra columns in a file are loaded too.
RAW_SOURCES: dict[str, tuple[str, ...]] = {
    "leads": (
        "lead_id",
        "email",
        "first_name",
        "last_name",
        "job_title",
        "company_name",
        "industry",
        "employee_count",
        "annual_revenue",
        "country",
        "lead_source",
        "created_at",
        "updated_at",
    ),
    "events": (
        "event_id",
        "lead_id",
        "event_type",
        "occurred_at",
        "page_url",
        "duration_seconds",
    ),
    "opportunities": (
        "opportunity_id",
        "lead_id",
        "created_at",
        "stage",
        "amount",
        "closed_at",
    ),
}


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
        reader = (
            f"read_csv({_sql_string(str(csv_path))}, header = true, all_varchar = true, "
            "auto_detect = true, null_padding = true)"
        )
        return RawFile(name, csv_path, reader)
    if parquet_dir.is_dir() and any(parquet_dir.glob("*.parquet")):
        glob = str(parquet_dir / "*.parquet")
        return RawFile(name, parquet_dir, f"read_parquet({_sql_string(glob)}, union_by_name = true)")
    raise LoadError(
        f"Raw source '{name}' not found: expected {csv_path} (CSV with a header row) or "
        f"{parquet_dir}/*.parquet, with the columns: {', '.join(RAW_SOURCES[name])}."
    )


def export_csv(raw: RawFile, expected: tuple[str, ...], out_path: Path) -> list[str]:
    """Writes the raw file as header-less CSV of text columns to out_path; returns the column names."""
    import duckdb

    con = duckdb.connect()
    try:
        described = con.execute(f"describe select * from {raw.reader}").fetchall()
        columns = [row[0] for row in described]
        lowered = [column.lower() for column in columns]
        missing = [column for column in expected if column.lower() not in lowered]
        if missing:
            raise LoadError(
                f"Raw source '{raw.name}' ({raw.path}) is missing the columns: {', '.join(missing)}. "
                f"Expected columns: {', '.join(expected)}. Found: {', '.join(columns)}."
            )
        if len(set(lowered)) != len(lowered):
            raise LoadError(f"Raw source '{raw.name}' ({raw.path}) has duplicate column names: {columns}")
        select_list = ", ".join(
            f'cast("{column.replace(chr(34), chr(34) * 2)}" as varchar)' for column in columns
        )
        # Postgres CSV: an unquoted empty field is NULL, a quoted one ("") is an empty string, which
        # is what DuckDB writes for NULL and '' respectively.
        con.execute(
            f"copy (select {select_list} from {raw.reader}) to {_sql_string(str(out_path))} "
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


def load_postgres_table(conn, schema: str, name: str, columns: list[str], csv_path: Path) -> int:
    """Replaces schema.name by the CSV at csv_path in one transaction; returns the row count."""
    from psycopg2 import sql

    loading = f"{name}__loading"
    table = sql.Identifier(schema, name)
    loading_table = sql.Identifier(schema, loading)
    column_defs = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(column)) for column in columns)
    column_list = sql.SQL(", ").join(sql.Identifier(column) for column in columns)
    # `with conn`: one transaction, committed on success and rolled back on any error.
    with conn, conn.cursor() as cur:
        cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        cur.execute(sql.SQL("drop table if exists {}").format(loading_table))
        cur.execute(sql.SQL("create table {} ({})").format(loading_table, column_defs))
        with open(csv_path, encoding="utf-8") as handle:
            cur.copy_expert(
                sql.SQL("copy {} ({}) from stdin with (format csv)")
                .format(loading_table, column_list)
                .as_string(conn),
                handle,
                size=1 << 20,
            )
        rows = cur.rowcount
        cur.execute(sql.SQL("analyze {}").format(loading_table))
        # Views on the old table (dbt staging views) go with it; dbt build recreates them.
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
        cur.execute(sql.SQL("drop table if exists {} cascade").format(table))
        cur.execute(sql.SQL("alter table {} rename to {}").format(loading_table, sql.Identifier(name)))
    if dropped_views:
        print(
            f"  dropped views on the old {schema}.{name} (dbt build recreates them): "
            + ", ".join(dropped_views),
            file=sys.stderr,
        )
    return rows


def load_postgres(raw_data_path: Path, schema: str, tables: list[str]) -> None:
    if not raw_data_path.is_dir():
        raise LoadError(
            f"raw data folder {raw_data_path} does not exist (make data generates sample data there)"
        )
    raw_files = [find_raw_file(raw_data_path, name) for name in tables]  # fail before connecting
    conn = pg_connect()
    try:
        with tempfile.TemporaryDirectory(prefix="lead_scoring_load_") as tmp:
            for raw in raw_files:
                started = time.monotonic()
                csv_path = Path(tmp) / f"{raw.name}.csv"
                columns = export_csv(raw, RAW_SOURCES[raw.name], csv_path)
                rows = load_postgres_table(conn, schema, raw.name, columns, csv_path)
                csv_path.unlink()
                print(
                    f"loaded {rows} rows from {raw.path} into {schema}.{raw.name} "
                    f"({time.monotonic() - started:.1f}s)",
                    file=sys.stderr,
                )
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lead_scoring.load",
        description="Copy the raw files into a warehouse that cannot read them in place.",
    )
    parser.add_argument(
        "--target",
        default=os.environ.get("LEAD_SCORING_TARGET", "postgres"),
        help="dbt target: postgres loads; duckdb and spark read the files in place (nothing to do)",
    )
    parser.add_argument("--raw-data-path", default="data/raw", type=Path, help="folder of the raw files")
    parser.add_argument("--schema", default="raw", help="schema of the raw tables (dbt var raw_schema)")
    parser.add_argument(
        "--tables",
        nargs="+",
        choices=sorted(RAW_SOURCES),
        default=list(RAW_SOURCES),
        help="raw sources to load (default: all)",
    )
    args = parser.parse_args(argv)

    try:
        if args.target == "postgres":
            load_postgres(args.raw_data_path, args.schema, args.tables)
        elif args.target in ("duckdb", "spark"):
            print(
                f"target {args.target} reads the raw files in place (dbt registers them at run start): "
                "nothing to load",
                file=sys.stderr,
            )
        else:
            parser.error(f"unknown target {args.target!r} (postgres, duckdb or spark)")
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
