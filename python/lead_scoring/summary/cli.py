"""Short summary of a built warehouse, printed at the end of ``make build``.

Usage::

    lead-scoring summary --duckdb warehouse/lead_scoring.duckdb

Prints, per raw source, how many rows were staged, superseded or folded as duplicates, and
rejected (with the reasons), then the leads per tier of every scoring model and the backtest
headline (AUC, top-to-bottom tier conversion ratio) when the calibration reports exist.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

SOURCE_COUNTS = {
    "leads": """
        select
            count(*) as raw_rows,
            count(*) filter (where record_status = 'staged') as staged,
            count(*) filter (where record_status = 'superseded') as superseded_or_duplicate,
            count(*) filter (where record_status = 'rejected') as rejected,
            count(*) filter (where record_status in ('merged', 'deleted')) as merged_or_deleted
        from staging.stg_crm__lead_versions
    """,
    "events": """
        select
            (select count(*) from staging.stg_marketing__event_deliveries) as raw_rows,
            (select count(*) from staging.stg_marketing__events) as staged,
            (select coalesce(sum(delivery_count - 1), 0) from staging.stg_marketing__events)
                as superseded_or_duplicate,
            (select count(*) from staging.stg_marketing__event_rejects) as rejected,
            0 as merged_or_deleted
    """,
    "opportunities": """
        select
            count(*) as raw_rows,
            count(*) filter (where record_status = 'staged') as staged,
            count(*) filter (where record_status = 'superseded') as superseded_or_duplicate,
            count(*) filter (where record_status = 'rejected') as rejected,
            0 as merged_or_deleted
        from staging.stg_crm__opportunity_versions
    """,
}

REJECT_REASONS = """
    select 'leads' as source, reject_reason, count(*) as row_count
    from staging.stg_crm__lead_rejects group by all
    union all
    select 'events', reject_reason, count(*) from staging.stg_marketing__event_rejects group by all
    union all
    select 'opportunities', reject_reason, count(*) from staging.stg_crm__opportunity_rejects group by all
    order by source, row_count desc, reject_reason
"""

# Per input table: a connector table's event rows are partitioned by day (raw_file_path
# `segment.pages/2026-12-01`), files by path.
INPUT_TABLES = """
    with event_rows as (
        select
            case
                when raw_file_path like '%.csv' or raw_file_path like '%.parquet' then raw_file_path
                else split_part(raw_file_path, '/', 1)
            end as input_table,
            reject_reason is not null as is_rejected
        from staging.stg_marketing__event_deliveries
    )
    select 'leads' as source, input_table, count(*), count(*) filter (where record_status = 'rejected')
    from staging.stg_crm__lead_versions group by input_table
    union all
    select 'events', input_table, count(*), count(*) filter (where is_rejected)
    from event_rows group by input_table
    union all
    select 'opportunities', input_table, count(*), count(*) filter (where record_status = 'rejected')
    from staging.stg_crm__opportunity_versions group by input_table
    order by 1, 2
"""

TIERS = """
    select scoring_model, tier, count(*) as leads, round(avg(total_score), 1) as mean_score
    from marts.fct_lead_scores
    group by scoring_model, tier, tier_rank
    order by scoring_model, tier_rank
"""

UNKNOWN_EVENT_TYPES = """
    select event_type, count(*) as events, count(distinct lead_id) as leads
    from staging.stg_marketing__events
    where not is_known_event_type
    group by event_type
    order by events desc, event_type
"""

CUTOFF_CANDIDATES = """
    select cutoff_date, unusable_reason, first_data_date, outcomes_known_until
    from intermediate.int_backtest_cutoff_candidates
    order by cutoff_date
"""

HEADLINE = """
    select
        performance.scoring_model,
        performance.auc,
        performance.base_rate,
        performance.top_bin_lift,
        max(tiers.top_to_bottom_tier_conversion_ratio) as top_to_bottom_ratio
    from reports.rpt_model_performance as performance
    left join reports.rpt_conversion_by_tier as tiers
        on performance.scoring_model = tiers.scoring_model and tiers.is_overall
    where performance.is_overall
    group by all
    order by performance.scoring_model
"""


def _table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def render(connection: duckdb.DuckDBPyConnection) -> str:
    """The summary text of the warehouse behind ``connection``."""
    lines = ["", "Raw rows by source", "-" * 78]
    header = ("source", "raw rows", "staged", "superseded/dup", "rejected", "merged/deleted")
    lines.append(
        f"{header[0]:<15}{header[1]:>12}{header[2]:>12}{header[3]:>16}{header[4]:>12}{header[5]:>16}"
    )
    for source, query in SOURCE_COUNTS.items():
        raw_rows, staged, superseded, rejected, merged = connection.execute(query).fetchone()
        lines.append(f"{source:<15}{raw_rows:>12,}{staged:>12,}{superseded:>16,}{rejected:>12,}{merged:>16,}")

    tables = connection.execute(INPUT_TABLES).fetchall()
    if any(not table.endswith((".csv", ".parquet")) for _, table, _, _ in tables):
        lines += ["", "Input rows by table (connectors read in place)", "-" * 78]
        lines += [
            f"{source:<15}{table:<36}{rows:>12,} rows{rejected:>10,} rejected"
            for source, table, rows, rejected in tables
        ]

    reasons = connection.execute(REJECT_REASONS).fetchall()
    if reasons:
        lines += ["", "Rejected rows by reason", "-" * 78]
        lines += [f"{source:<15}{count:>10,}  {reason}" for source, reason, count in reasons]

    unknown = connection.execute(UNKNOWN_EVENT_TYPES).fetchall()
    if unknown:
        lines += [
            "",
            "Unknown event types (kept, scored by no signal; README, Changing the weights)",
            "-" * 78,
        ]
        lines += [
            f"{event_type:<28}{events:>10,} events {leads:>8,} leads" for event_type, events, leads in unknown
        ]

    if _table_exists(connection, "marts", "fct_lead_scores"):
        lines += ["", "Leads per tier", "-" * 78]
        for model, tier, leads, mean_score in connection.execute(TIERS).fetchall():
            lines.append(f"{model:<15}{tier:<15}{leads:>10,} leads   mean score {mean_score}")

    if _table_exists(connection, "reports", "rpt_model_performance"):
        lines += ["", "Backtest (all cutoffs pooled)", "-" * 78]
        rows = connection.execute(HEADLINE).fetchall()
        if not rows:
            lines += no_backtest_lines(connection)
        for model, auc, base_rate, top_bin_lift, ratio in rows:
            lines.append(
                f"{model:<15}AUC {_fmt(auc, 3)}   base rate {_fmt(base_rate, 3)}   "
                f"top-bin lift {_fmt(top_bin_lift, 2)}   top/bottom tier conversion {_fmt(ratio, 2)}x"
            )
    return "\n".join(lines) + "\n"


def no_backtest_lines(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Why no backtest cutoff could be used, and what to set."""
    if not _table_exists(connection, "intermediate", "int_backtest_cutoff_candidates"):
        return ["no backtest cutoff could be used: see README, Calibration"]
    candidates = connection.execute(CUTOFF_CANDIDATES).fetchall()
    lines = ["no backtest cutoff could be used, so no report has rows:"]
    lines += [f"  cutoff {cutoff}: {reason}" for cutoff, reason, _, _ in candidates]
    if candidates:
        first, known = candidates[0][2], candidates[0][3]
        lines.append(
            f"  the data runs from {first} and outcomes are known until {known}: set backtest_first_cutoff "
            "to a date with backtest_min_history_days of data before it and outcome_window_days before "
            f"{known}, or lower those vars (dbt_project.yml; README, Calibration)"
        )
    return lines


def _fmt(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lead-scoring summary", description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="path of the built DuckDB file")
    args = parser.parse_args(argv)
    if not args.duckdb.exists():
        print(f"error: {args.duckdb} does not exist: run `make build` first", file=sys.stderr)
        return 2
    with duckdb.connect(str(args.duckdb), read_only=True) as connection:
        if not _table_exists(connection, "staging", "stg_crm__lead_versions"):
            print(f"error: {args.duckdb} has no staging tables: run `make build` first", file=sys.stderr)
            return 2
        print(render(connection), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
