"""The export-shaped sample (lead_scoring.generate.snapshot_sample): deterministic, on the raw contract, and
shaped as documented: a high conversion rate, one activity day per lead, unknown event types."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from lead_scoring.common.contract import raw_contract
from lead_scoring.generate.snapshot_sample import write_snapshot_sample

END = dt.date(2026, 12, 3)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_sample_is_deterministic_and_follows_the_raw_contract(tmp_path: Path):
    first = write_snapshot_sample(tmp_path / "a", leads=2000, days=480, end_date=END, seed=3)
    second = write_snapshot_sample(tmp_path / "b", leads=2000, days=480, end_date=END, seed=3)
    assert first == second
    for name in ("leads", "events", "opportunities"):
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (tmp_path / "b" / f"{name}.csv").read_bytes()
        with (tmp_path / "a" / f"{name}.csv").open() as handle:
            assert tuple(handle.readline().strip().split(",")) == raw_contract()[name]


def test_export_sample_has_the_documented_shape(tmp_path: Path):
    counts = write_snapshot_sample(tmp_path, leads=3000, days=480, end_date=END, seed=5)
    leads = _rows(tmp_path / "leads.csv")
    events = _rows(tmp_path / "events.csv")
    assert len(leads) == counts["leads"] == 3000
    # about 38% of leads convert (the hidden truth); a few opportunities fall after the end date
    assert 0.34 <= counts["converted_leads"] / 3000 <= 0.42
    assert counts["opportunities"] <= counts["converted_leads"]
    # one activity snapshot: every event of a lead on the day it was created
    created = {row["lead_id"]: row["created_at"][:10] for row in leads}
    assert all(event["occurred_at"][:10] == created[event["lead_id"]] for event in events)
    # no firmographics, the occupation in job_title, event types the default seeds do not know
    assert {row["industry"] for row in leads} == {""}
    assert "Working Professional" in {row["job_title"] for row in leads}
    types = Counter(event["event_type"] for event in events)
    assert types["sms_sent"] > 0 and types["chat_started"] > 0
    durations = [
        int(event["duration_seconds"])
        for event in events
        if event["event_type"] == "page_view" and event["duration_seconds"]
    ]
    assert durations and min(durations) >= 0


def test_a_snapshot_export_dates_every_outcome_in_the_week_before_the_export(tmp_path: Path):
    counts = write_snapshot_sample(tmp_path, leads=2000, days=120, end_date=END, seed=5, snapshot=True)
    leads = {row["lead_id"]: row["created_at"] for row in _rows(tmp_path / "leads.csv")}
    opportunities = _rows(tmp_path / "opportunities.csv")
    # every converted lead is in the export (none is cut off at the end date), at most one each
    assert len(opportunities) == counts["converted_leads"] == len({row["lead_id"] for row in opportunities})
    opened = [dt.datetime.fromisoformat(row["created_at"].replace("Z", "+00:00")) for row in opportunities]
    week_before = dt.datetime.combine(END - dt.timedelta(days=7), dt.time(), dt.UTC)
    export_end = dt.datetime.combine(END + dt.timedelta(days=1), dt.time(), dt.UTC)
    assert all(week_before <= at < export_end for at in opened)
    # never before the lead it belongs to
    assert all(row["created_at"] > leads[row["lead_id"]] for row in opportunities)
    assert min(leads.values())[:10] == (END - dt.timedelta(days=119)).isoformat()
