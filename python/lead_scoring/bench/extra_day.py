"""One more day of raw events, as one new Parquet file in the events folder (the generator is not
touched): what a daily load delivers the day after the generated period.

The day's events are copies of a deterministic sample of the events of the last 28 days of the
period (same leads, event types, page URLs and durations, so the same share of them match signals),
moved to the new day at their time of day with new event ids, plus what a real daily delivery
carries on top:

- exact re-deliveries of some of the new events in the same file (folded by event_id);
- exact re-deliveries of events loaded before (must not be counted twice);
- late events, dated one or two days before the new day (inside the look-back window).

The file has the raw contract's columns, all text, like the generator's files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from lead_scoring.common.contract import raw_contract

PREFIX = "part-extra-"
HOUR_PREFIX = "part-extra-hour-"
# Shares of the day's new events.
REDELIVERED_SAME_DAY = 0.02
REDELIVERED_OLD = 0.01
LATE = 0.02
TEMPLATE_DAYS = 28


def extra_day_name(day: dt.date) -> str:
    return f"{PREFIX}{day.isoformat()}.parquet"


def extra_hour_name(day: dt.date) -> str:
    return f"{HOUR_PREFIX}{day.isoformat()}.parquet"


def remove_extra_days(events_folder: Path) -> list[Path]:
    """Delete the extra-day files a previous benchmark run left in the events folder."""
    removed = sorted(events_folder.glob(f"{PREFIX}*.parquet"))
    for path in removed:
        path.unlink()
    return removed


def _literal(text: object) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def write_extra_day(
    events_folder: Path,
    day: dt.date,
    out: Path,
    *,
    days: int,
    seed: int = 7,
    share: float = 1.0,
    id_prefix: str = "evt_x",
) -> dict[str, int]:
    """Write the events of `day` to `out` (outside the events folder, so that it can be copied in
    at the right step). `days` is the length of the generated period: the new day gets the
    average number of events per day, times `share` (1/24 for one hour's delivery of the day, with
    its own `id_prefix` and `seed`). Returns the row counts by kind."""
    columns = raw_contract()["events"]
    source = f"read_parquet({_literal(events_folder / 'part-0*.parquet')}, union_by_name = true)"
    first_template_day = day - dt.timedelta(days=TEMPLATE_DAYS)
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("set enable_progress_bar = false")
        (total,) = connection.execute(f"select count(*) from {source}").fetchone()
        new_count = max(1, round(total / days * share))
        connection.execute(f"""
            create temp table template as
            select *, row_number() over (order by hash(event_id, lead_id, occurred_at, {seed})) as n
            from {source}
            where event_id is not null
                and occurred_at like '____-__-__T__:__:__Z'
                and try_cast(substr(occurred_at, 1, 10) as date)
                    between date '{first_template_day}' and date '{day}' - 1
            order by n
            limit {new_count}
        """)
        late_every = round(1 / LATE)
        new_events = f"""
            select
                {_literal(id_prefix)} || strftime(date '{day}', '%Y%m%d') || '_'
                    || lpad(n::varchar, 9, '0') as event_id,
                lead_id,
                event_type,
                strftime(date '{day}' - cast(case when n % {late_every} = 0
                                                  then 1 + n // {late_every} % 2 else 0 end as integer),
                         '%Y-%m-%d')
                || 'T' || substr(occurred_at, 12, 8) || 'Z' as occurred_at,
                page_url,
                duration_seconds,
                n
            from template
        """
        same_day_every = round(1 / REDELIVERED_SAME_DAY)
        old_count = max(1, round(new_count * REDELIVERED_OLD))
        select_list = ", ".join(columns)
        query = f"""
            with new_events as ({new_events}),
            redelivered_same_day as (select * from new_events where n % {same_day_every} = 1),
            redelivered_old as (
                select {select_list}
                from {source}
                where event_id is not null
                order by hash(event_id, {seed} + 1)
                limit {old_count}
            )
            select {select_list}, 'new' as kind from new_events
            union all
            select {select_list}, 'redelivered_same_day' from redelivered_same_day
            union all
            select {select_list}, 'redelivered_old' from redelivered_old
        """
        connection.execute(f"create temp table day_rows as {query}")
        counts = dict(connection.execute("select kind, count(*) from day_rows group by kind").fetchall())
        counts["late"] = connection.execute(
            f"select count(*) from day_rows where kind = 'new' and occurred_at < '{day}'"
        ).fetchone()[0]
        out.parent.mkdir(parents=True, exist_ok=True)
        connection.execute(
            f"copy (select {select_list} from day_rows order by event_id, kind) to {_literal(out)} "
            "(format parquet, compression zstd)"
        )
    finally:
        connection.close()
    counts["rows"] = sum(v for k, v in counts.items() if k != "late")
    return counts
