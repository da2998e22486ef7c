"""The warehouse the push reads the sync tables from and writes its journal to: DuckDB, PostgreSQL or
Spark, chosen as dbt chooses it.

``target_from_profile`` renders `profiles.yml` with dbt's own profile renderer (``env_var()``,
filters, the profile's default target or ``--target``), so the push reads the warehouse `dbt build`
wrote. ``--duckdb PATH`` skips the profile (a DuckDB file, as ``make crm-export`` passes it).

Relations are named as macros/project/generate_schema_name.sql names them: a production build uses the
layer schemas as they are (``marts``, ``seeds``), any other build ``<target schema>_<layer>``;
production is LEAD_SCORING_ENV=prod, its default on DuckDB and Spark, and dev on PostgreSQL.

Each warehouse offers the same few operations (``Warehouse``): run a query and fetch its rows,
keep a query's result in a temporary relation, append rows to a table. Values are written into SQL
as literals (``literal``), quoted the warehouse's way; the push only writes its own ids and seed
names there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import yaml

from lead_scoring.atomic.lock import WarehouseBusy, connect_waiting, writer_lock

SUPPORTED_TYPES = ("duckdb", "postgres", "spark")
# PostgreSQL: one push at a time per database (pg_try_advisory_lock's key: "lead_scoring.push").
POSTGRES_PUSH_LOCK_KEY = 0x6C73_7075_7368
DEFAULT_PROFILE = "lead_scoring"


@dataclass(frozen=True)
class Target:
    """A dbt target as the push needs it. `settings` holds connection settings (a password
    included) and is never printed: repr shows the type, name and schema only."""

    type: str
    name: str
    schema: str
    duckdb_path: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict, repr=False)

    def describe(self) -> str:
        if self.type == "duckdb":
            return f"duckdb {self.duckdb_path}"
        if self.type == "postgres":
            host, port, database = (self.settings.get(key) for key in ("host", "port", "dbname"))
            return f"postgres {host}:{port}/{database}"
        return f"spark (schema {self.schema})"


def is_production(target_type: str) -> bool:
    """LEAD_SCORING_ENV as macros/project/generate_schema_name.sql reads it (default dev on PostgreSQL)."""
    default = "dev" if target_type == "postgres" else "prod"
    value = (os.environ.get("LEAD_SCORING_ENV") or default).strip().lower()
    if value not in ("prod", "dev"):
        raise SystemExit(f"LEAD_SCORING_ENV must be prod or dev, not {value!r}")
    return value == "prod"


def layer_schema(target: Target, layer: str) -> str:
    """The schema dbt builds a layer (`marts`, `seeds`) into for this target."""
    return layer if is_production(target.type) else f"{target.schema}_{layer}"


def duckdb_target(path: Path) -> Target:
    return Target("duckdb", "duckdb", "main", duckdb_path=path)


def default_profiles_dir(project_dir: Path) -> Path:
    """Where dbt looks: $DBT_PROFILES_DIR, else the project folder when it has a profiles.yml, else ~/.dbt."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    if (project_dir / "profiles.yml").is_file():
        return project_dir
    return Path.home() / ".dbt"


def target_from_profile(
    project_dir: Path, profiles_dir: Path | None = None, target_name: str | None = None
) -> Target:
    """The target dbt would use, rendered by dbt's profile renderer."""
    from argparse import Namespace

    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    project_file = project_dir / "dbt_project.yml"
    profile_name = DEFAULT_PROFILE
    if project_file.is_file():
        profile_name = (yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}).get(
            "profile", DEFAULT_PROFILE
        )
    folder = profiles_dir or default_profiles_dir(project_dir)
    set_from_args(Namespace(), None)
    set_invocation_context(os.environ)
    raw = read_profile(str(folder))
    if profile_name not in raw:
        raise SystemExit(f"profile {profile_name} is not in {folder / 'profiles.yml'}")
    profile = Profile.from_raw_profiles(raw, profile_name, ProfileRenderer({}), target_override=target_name)
    credentials = profile.credentials
    kind = credentials.type
    if kind not in SUPPORTED_TYPES:
        raise SystemExit(
            f"target {profile.target_name} is {kind}: the push reads {', '.join(SUPPORTED_TYPES)}"
        )
    if kind == "duckdb":
        path = Path(credentials.path)
        return Target(
            kind, profile.target_name, credentials.schema, path if path.is_absolute() else project_dir / path
        )
    if kind == "postgres":
        settings = {
            "host": credentials.host,
            "port": credentials.port,
            "user": credentials.user,
            "password": credentials.password,
            "dbname": credentials.database,
            "connect_timeout": credentials.connect_timeout,
            "sslmode": credentials.sslmode,
        }
        return Target(kind, profile.target_name, credentials.schema, settings=settings)
    if credentials.method != "session":
        raise SystemExit(
            f"target {profile.target_name} connects to Spark by {credentials.method}: the push reads "
            "a local Spark session (method: session)"
        )
    return Target(
        kind, profile.target_name, credentials.schema, settings=dict(credentials.server_side_parameters)
    )


# ---- the warehouses ------------------------------------------------------------------------------------


class Warehouse:
    """What the push does with a warehouse; one subclass per warehouse type."""

    dialect = ""

    def __init__(self, target: Target) -> None:
        self.target = target

    def relation(self, layer: str, name: str) -> str:
        return f"{layer_schema(self.target, layer)}.{name}"

    def literal(self, value: object) -> str:
        """A SQL literal for a text, number, boolean, date or timestamp value (None: null)."""
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | Decimal):
            return str(value)
        if isinstance(value, dt.datetime):
            return f"cast('{value.isoformat(sep=' ')}' as timestamp)"
        if isinstance(value, dt.date):
            return f"cast('{value.isoformat()}' as date)"
        return self.string_literal(str(value))

    def string_literal(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def differ(self, left: str, right: str) -> str:
        """SQL that is true when two values differ, nulls compared as values."""
        return f"{left} is distinct from {right}"

    def rows(self, sql: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def keep(self, name: str, sql: str) -> str:
        """Keep the result of `sql` in a temporary relation for this session; its name."""
        raise NotImplementedError

    def append(self, relation: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class DuckDbWarehouse(Warehouse):
    dialect = "duckdb"

    def __init__(self, target: Target, connection: duckdb.DuckDBPyConnection) -> None:
        super().__init__(target)
        self.connection = connection

    def rows(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def keep(self, name: str, sql: str) -> str:
        self.connection.execute(f"create or replace temp table {name} as {sql}")
        return name

    def append(self, relation: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        placeholders = ", ".join("?" for _ in columns)
        # one transaction: a batch's rows are in the journal all together or not at all
        self.connection.execute("begin transaction")
        try:
            self.connection.executemany(
                f"insert into {relation} ({', '.join(columns)}) values ({placeholders})",
                [list(row) for row in rows],
            )
            self.connection.execute("commit")
        except BaseException:
            self.connection.execute("rollback")
            raise

    def close(self) -> None:
        self.connection.close()


class PostgresWarehouse(Warehouse):
    dialect = "postgres"

    def __init__(self, target: Target, connection: Any) -> None:
        super().__init__(target)
        self.connection = connection

    def rows(self, sql: str) -> list[dict[str, Any]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [column.name for column in cursor.description]
            result = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        self.connection.commit()
        return result

    def keep(self, name: str, sql: str) -> str:
        with self.connection.cursor() as cursor:
            cursor.execute(f"drop table if exists pg_temp.{name}")
            cursor.execute(f"create temporary table {name} as {sql}")
        self.connection.commit()
        return name

    def append(self, relation: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        from psycopg2.extras import execute_values

        if rows:
            with self.connection.cursor() as cursor:
                execute_values(cursor, f"insert into {relation} ({', '.join(columns)}) values %s", rows)
            self.connection.commit()

    def close(self) -> None:
        self.connection.close()


class SparkWarehouse(Warehouse):
    dialect = "spark"

    def __init__(self, target: Target, session: Any) -> None:
        super().__init__(target)
        self.session = session

    def string_literal(self, text: str) -> str:
        # Spark SQL string literals take backslash escapes (and '' is two adjacent literals)
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def differ(self, left: str, right: str) -> str:
        return f"not ({left} <=> {right})"

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.session.sql(sql).collect()]

    def keep(self, name: str, sql: str) -> str:
        # computed once: later appends to the journal must not change what it holds
        self.session.sql(sql).localCheckpoint(eager=True).createOrReplaceTempView(name)
        return name

    def append(self, relation: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            schema = self.session.table(relation).schema
            ordered = [field.name for field in schema.fields]
            index = {name: position for position, name in enumerate(columns)}
            data = [tuple(row[index[name]] for name in ordered) for row in rows]
            self.session.createDataFrame(data, schema=schema).write.insertInto(relation)


@contextlib.contextmanager
def open_warehouse(target: Target, job: str, write: bool) -> Iterator[Warehouse]:
    """The warehouse, for reading only or, with `write`, for the push's journal: on DuckDB under the
    writer lock every writer takes (lead_scoring.atomic.lock), on PostgreSQL under an advisory lock
    (one push at a time per database)."""
    if target.type == "duckdb":
        path = target.duckdb_path
        assert path is not None
        if not path.is_file():
            raise SystemExit(f"{path} does not exist: run `make build` first")
        lock = writer_lock(path, job) if write else contextlib.nullcontext()
        with lock:
            connection = connect_waiting(path, job, read_only=not write)
            connection.execute("set TimeZone = 'UTC'")
            warehouse = DuckDbWarehouse(target, connection)
            try:
                yield warehouse
            finally:
                warehouse.close()
        return
    if target.type == "postgres":
        import psycopg2

        settings = {key: value for key, value in target.settings.items() if value not in (None, "")}
        connection = psycopg2.connect(application_name=f"lead_scoring.{job}", **settings)
        warehouse = PostgresWarehouse(target, connection)
        try:
            if write:
                (locked,) = warehouse.rows(
                    f"select pg_try_advisory_lock({POSTGRES_PUSH_LOCK_KEY}) as locked"
                )[0].values()
                if not locked:
                    raise WarehouseBusy(
                        f"{job}: another push holds the PostgreSQL advisory lock {POSTGRES_PUSH_LOCK_KEY} on "
                        f"{target.describe()}; run it again when that one has ended. Nothing was sent."
                    )
            yield warehouse
        finally:
            warehouse.close()
        return
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in target.settings.items():
        builder = builder.config(key, value)
    yield SparkWarehouse(target, builder.getOrCreate())
