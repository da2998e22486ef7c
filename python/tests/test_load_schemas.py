"""lead_scoring.load --from-duckdb: connector schemas of a DuckDB file, typed, for other warehouses.

The copy into PostgreSQL runs for real in ``make test-warehouses`` (python/tests/
test_warehouses_connectors.py compares what the adapters stage from it); here the parts that need
no server: the types, the Parquet layout Spark reads and the errors.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from lead_scoring import load
from lead_scoring.load.schemas import SchemaCopyError, postgres_type, write_parquet


@pytest.fixture
def connector_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema salesforce; create schema segment; create schema other")
        connection.execute(
            """
            create table salesforce.lead as select
                '00Q1' as id, true as is_deleted, 250::integer as number_of_employees,
                3470000.0::double as annual_revenue, date '2026-06-01' as converted_date,
                timestamp '2026-06-01 09:30:00' as created_date, null::varchar as email
            """
        )
        connection.execute(
            "create table segment.pages as select 'p1' as id, 42.5::double as duration_seconds"
        )
        connection.execute("create table other.ignored as select 1 as x")
    return path


def test_every_generated_column_type_has_a_postgres_type() -> None:
    from lead_scoring.generate.connectors.tables import SCHEMAS

    kinds = {kind for tables in SCHEMAS.values() for columns in tables.values() for _, kind in columns}
    assert {kind: postgres_type(kind) for kind in kinds}
    assert postgres_type("DECIMAL(18,2)") == "numeric(18, 2)"
    with pytest.raises(SchemaCopyError, match="no PostgreSQL type for the DuckDB type BLOB"):
        postgres_type("BLOB")


def test_parquet_export_writes_a_folder_per_connector_table(connector_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    counts = write_parquet(connector_file, None, out)
    assert counts == {"salesforce.lead": 1, "segment.pages": 1}
    assert sorted(path.name for path in out.iterdir()) == ["salesforce.lead", "segment.pages"]
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        relation = connection.sql(f"select * from read_parquet('{out}/salesforce.lead/*.parquet')")
        types = dict(zip(relation.columns, (str(kind) for kind in relation.types), strict=True))
        row = relation.fetchone()
    # a zone-less timestamp becomes an instant (Spark's TIMESTAMP, not TIMESTAMP_NTZ); the rest as is
    assert types["created_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["is_deleted"] == "BOOLEAN" and types["converted_date"] == "DATE"
    assert row[5] == dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC)
    assert row[:5] == ("00Q1", True, 250, 3470000.0, dt.date(2026, 6, 1)) and row[6] is None
    # a second export replaces a table's files
    write_parquet(connector_file, ["segment"], out)
    assert len(list((out / "segment.pages").glob("*.parquet"))) == 1


def test_the_load_command_names_what_is_missing(connector_file: Path, tmp_path: Path, capsys) -> None:
    assert load.main(["--target", "spark", "--from-duckdb", str(connector_file)]) == 1
    assert "--target spark needs --parquet-dir" in capsys.readouterr().err
    assert load.main(["--target", "postgres", "--from-duckdb", str(tmp_path / "none.duckdb")]) == 1
    assert "none.duckdb does not exist" in capsys.readouterr().err
    args = ["--target", "spark", "--from-duckdb", str(connector_file), "--parquet-dir", str(tmp_path / "p")]
    assert load.main([*args, "--schemas", "hubspot"]) == 1
    assert "no tables in the schemas hubspot" in capsys.readouterr().err
    assert load.main(args) == 0
