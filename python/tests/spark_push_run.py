"""The push on a local Spark session, for test_crm_push.py (one process: a local session's Derby
metastore admits one, and one JVM start is the cost of the test).

    python spark_push_run.py SETUP_JSON

SETUP_JSON names the tables' (column, type) as dbt builds them and the sync records. The session is
the one the profile's `spark` target describes (LEAD_SCORING_SPARK_DIR, LEAD_SCORING_ENV=prod set by
the test); the sync seeds and tables are created in it, then the push runs twice through
``python -m lead_scoring.export``'s main with ``--dbt-target spark`` for the HubSpot contacts (the
second has nothing to send). Prints one JSON line: the exit codes and the journal's statuses.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

from lead_scoring.export import cli
from lead_scoring.export.push.warehouse import open_warehouse, target_from_profile

REPO = Path(__file__).resolve().parents[2]
SPARK_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "BOOLEAN": "boolean",
    "DOUBLE": "double",
}


def value(kind: str, text: object) -> object:
    if text is None:
        return None
    if kind.startswith("DECIMAL"):
        return Decimal(str(text))
    if kind == "DATE":
        return dt.date.fromisoformat(str(text))
    return text


def main(setup_file: str) -> int:
    setup = json.loads(Path(setup_file).read_text(encoding="utf-8"))
    target = target_from_profile(REPO, REPO, "spark")
    with open_warehouse(target, "setup", write=False) as warehouse:
        session = warehouse.session  # type: ignore[attr-defined]
        # a dozen rows: one shuffle partition instead of 200 makes each query a few times faster
        session.conf.set("spark.sql.shuffle.partitions", "1")
        session.sql("create database if not exists seeds")
        session.sql("create database if not exists marts")
        for seed in ("crm_sync_objects", "crm_sync_object_fields"):
            path = REPO / "seeds" / "activation" / f"{seed}.csv"
            session.sql(f"create table seeds.{seed} using csv options (path '{path}', header 'true')")
        for table, columns in setup["columns"].items():
            definition = ", ".join(f"{name} {SPARK_TYPES.get(kind, kind.lower())}" for name, kind in columns)
            session.sql(f"create table {table} ({definition}) using parquet")
        records_table = "marts.fct_crm_sync_records"
        kinds = dict(setup["columns"][records_table])
        data = [tuple(value(kinds[name], record.get(name)) for name in kinds) for record in setup["records"]]
        session.createDataFrame(data, schema=session.table(records_table).schema).write.insertInto(
            records_table
        )
        arguments = ["--push", "hubspot", "--object", "hubspot_contact", "--dbt-target", "spark"]
        arguments += ["--project-dir", str(REPO)]
        codes = [
            cli.main([*arguments, "--profiles-dir", str(REPO), "--retry-seconds", "20"]) for _ in range(2)
        ]
        statuses = session.sql(
            "select push_status, count(*) as n from marts.fct_crm_push_log group by push_status"
        ).collect()
    print(json.dumps({"codes": codes, "statuses": {row["push_status"]: row["n"] for row in statuses}}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
