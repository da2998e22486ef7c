"""The live behavioral score in plain pandas, on the same raw Parquet files (the same rules as the
single DuckDB statement, see lead_scoring.bench.statement; only the file reading is pyarrow's).

    python -m lead_scoring.bench.pandas_score --raw RAW --as-of YYYY-MM-DD --out scores.parquet
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lead_scoring.bench.statement import EMAIL, ISO_TIMESTAMP, NUMBER, REPO, Settings


def _read(raw: Path, name: str) -> pd.DataFrame:
    files = sorted((raw / name).glob("*.parquet"))
    frames = [pd.read_parquet(path) for path in files]
    return pd.concat(frames, ignore_index=True).astype("object")


def clean(values: pd.Series, markers: set[str]) -> pd.Series:
    """Trimmed text (spaces only, like SQL trim), or None when blank or a null marker."""
    stripped = values.where(values.isna(), values.astype("string").str.strip(" ")).astype("object")
    blank = stripped.isna() | stripped.astype("string").str.lower().isin(markers).fillna(False)
    return stripped.where(~blank, None)


def parse_timestamps(text: pd.Series) -> pd.Series:
    """ISO-8601 text to naive UTC timestamps; anything else NaT."""
    as_text = text.astype("string")
    ok = (
        as_text.str.fullmatch(ISO_TIMESTAMP).fillna(False) & (as_text.str[:4] != "0000").fillna(False)
    ).astype(bool)
    parsed = pd.to_datetime(as_text.where(ok), format="ISO8601", utc=True, errors="coerce")
    return parsed.dt.tz_localize(None)


def parse_numbers(text: pd.Series) -> pd.Series:
    as_text = text.astype("string")
    ok = as_text.str.fullmatch(NUMBER).fillna(False).astype(bool) & (
        as_text.str.replace(",", "").str.len() <= 300
    ).fillna(False)
    return pd.to_numeric(as_text.where(ok).str.replace(",", ""), errors="coerce").astype("float64")


def case_variants(ids: pd.Series) -> pd.Series:
    """True where another id differs from this one only in letter case (both are ambiguous)."""
    lower = ids.str.lower()
    spellings = pd.DataFrame({"id": ids, "lower": lower}).dropna().drop_duplicates()
    ambiguous = spellings.loc[spellings["lower"].duplicated(), "lower"].unique()
    return lower.isin(ambiguous).fillna(False).astype(bool)


def like_to_regex(pattern: str) -> str:
    """A SQL LIKE pattern as a regular expression for a full match."""
    return "".join(".*" if char == "%" else "." if char == "_" else re.escape(char) for char in pattern)


def staged_leads(raw: Path, settings: Settings, latest_plausible: pd.Timestamp) -> pd.DataFrame:
    """The latest valid version of each lead: lead_id and created_date."""
    markers = {"", *settings.null_markers}
    rows = _read(raw, "leads")
    leads = pd.DataFrame(
        {
            "lead_id": clean(rows["lead_id"], markers),
            "email": clean(rows["email"], markers).str.lower(),
            "job_title": clean(rows["job_title"], markers).str.replace(" +", " ", regex=True),
            "company_name": clean(rows["company_name"], markers),
            "employee_count_text": clean(rows["employee_count"], markers),
            "annual_revenue_text": clean(rows["annual_revenue"], markers),
            "created_at_text": clean(rows["created_at"], markers),
            "updated_at_text": clean(rows["updated_at"], markers),
        }
    )
    leads["created_at"] = parse_timestamps(leads["created_at_text"])
    updated = parse_timestamps(leads["updated_at_text"])
    leads["updated_at"] = updated.where(
        updated.notna() | leads["updated_at_text"].notna(), leads["created_at"]
    )
    employees = parse_numbers(leads["employee_count_text"])
    revenue = parse_numbers(leads["annual_revenue_text"])
    case_variant = case_variants(leads["lead_id"])
    email_ok = leads["email"].isna() | leads["email"].astype("string").str.fullmatch(EMAIL).fillna(
        False
    ).astype(bool)
    valid = (
        leads["lead_id"].notna()
        & ~case_variant
        & leads["created_at"].notna()
        & (leads["created_at"] <= latest_plausible)
        & (
            leads["updated_at_text"].isna()
            | (leads["updated_at"].notna() & (leads["updated_at"] <= latest_plausible))
        )
        & email_ok
        & (leads["employee_count_text"].isna() | (employees >= 0))
        & ~(employees > settings.max_employee_count)
        & (leads["annual_revenue_text"].isna() | (revenue >= 0))
        & ~(revenue > settings.max_annual_revenue_usd)
    )
    ordered = leads[valid].sort_values(
        [
            "lead_id",
            "updated_at",
            "email",
            "job_title",
            "company_name",
            "employee_count_text",
            "created_at_text",
        ],
        ascending=[True, False, True, True, True, True, True],
        na_position="last",
        kind="stable",
    )
    latest = ordered.drop_duplicates("lead_id", keep="first")
    return pd.DataFrame({"lead_id": latest["lead_id"], "created_date": latest["created_at"].dt.normalize()})


def folded_events(
    raw: Path, settings: Settings, latest_plausible: pd.Timestamp, known_leads: pd.Index
) -> pd.DataFrame:
    """One row per event: valid deliveries folded by event_id, conflicting ones dropped."""
    markers = {"", *settings.null_markers}
    rows = _read(raw, "events")
    events = pd.DataFrame(
        {
            "event_id": clean(rows["event_id"], markers),
            "lead_id": clean(rows["lead_id"], markers),
            "event_type": clean(rows["event_type"], markers)
            .str.lower()
            .str.replace("[^a-z0-9]+", "_", regex=True),
            "occurred_at_text": clean(rows["occurred_at"], markers),
            "page_url": clean(rows["page_url"], markers),
            "duration_text": clean(rows["duration_seconds"], markers),
        }
    )
    del rows
    events = events[events["event_id"].notna()]
    events["occurred_at"] = parse_timestamps(events["occurred_at_text"])
    events["duration_seconds"] = parse_numbers(events["duration_text"])
    valid = (
        events["lead_id"].isin(known_leads)
        & events["event_type"].notna()
        & events["occurred_at"].notna()
        & (events["occurred_at"] <= latest_plausible)
        & (events["duration_text"].isna() | (events["duration_seconds"] >= 0))
        & ~(events["duration_seconds"] > settings.max_duration_seconds)
    )
    events = events[valid & ~case_variants(events["event_id"])]
    # deliveries of one event agree when their content (a missing value counted as a value) hashes the same
    content = pd.util.hash_pandas_object(
        events[["lead_id", "event_type", "occurred_at", "page_url", "duration_seconds"]], index=False
    )
    content_range = content.groupby(events["event_id"]).agg(["min", "max"])
    consistent = content_range["min"] == content_range["max"]
    events = events[events["event_id"].isin(consistent.index[consistent])].drop_duplicates("event_id")
    path = events["page_url"].astype("string").str.lower()
    path = path.str.replace("^[a-z]+://[^/]+", "", regex=True).str.replace("[?#].*$", "", regex=True)
    return pd.DataFrame(
        {
            "lead_id": events["lead_id"],
            "event_type": events["event_type"],
            "occurred_date": events["occurred_at"].dt.normalize(),
            "page_path": path,
            "duration_seconds": events["duration_seconds"],
        }
    )


def behavioral_scores(
    raw: Path, as_of: dt.date, now: dt.datetime | None = None, seeds: Path = REPO / "seeds"
) -> pd.DataFrame:
    """scoring_model, lead_id, behavioral_points, behavioral_score (unrounded) as of `as_of`."""
    settings = Settings.from_project()
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    latest_plausible = pd.Timestamp(now + dt.timedelta(hours=settings.max_clock_skew_hours))
    as_of_ts = pd.Timestamp(as_of)
    leads = staged_leads(raw, settings, latest_plausible)
    events = folded_events(raw, settings, latest_plausible, pd.Index(leads["lead_id"]))
    events = events.merge(leads, on="lead_id")
    events = events[(events["occurred_date"] <= as_of_ts) & (events["created_date"] <= as_of_ts)]

    signals = pd.read_csv(
        seeds / "scoring" / "scoring_behavioral_signals.csv", dtype=str, keep_default_na=False
    )
    matched = []
    for signal in signals.itertuples(index=False):
        hit = events["event_type"] == signal.event_type
        if signal.page_path_pattern:
            pattern = like_to_regex(signal.page_path_pattern)
            hit &= events["page_path"].str.fullmatch(pattern, flags=re.DOTALL).fillna(False).astype(bool)
        rows = events[hit]
        if signal.measure == "occurrence":
            units = pd.Series(1.0, index=rows.index)
        else:
            units = rows["duration_seconds"].fillna(0) / 60.0
        daily = units.groupby([rows["lead_id"], rows["occurred_date"]]).sum().rename("units").reset_index()
        if signal.daily_unit_limit:
            daily["units"] = daily["units"].clip(upper=float(signal.daily_unit_limit))
        rate = 1 / float(signal.half_life_days) if signal.half_life_days else 0.0
        age_days = (as_of_ts - daily["occurred_date"]).dt.days.to_numpy()
        daily["decayed"] = daily["units"] * np.power(0.5, age_days * rate)
        per_lead = daily.groupby("lead_id")[["units", "decayed"]].sum()
        points = np.minimum(per_lead["decayed"], per_lead["units"]) * float(signal.points_per_unit)
        if signal.cap_points:
            points = points.clip(upper=float(signal.cap_points))
        matched.append(
            pd.DataFrame(
                {
                    "scoring_model": signal.scoring_model,
                    "lead_id": per_lead.index,
                    "points": points.to_numpy(),
                }
            )
        )
    scores = pd.concat(matched).groupby(["scoring_model", "lead_id"], as_index=False)["points"].sum()
    scores = scores.rename(columns={"points": "behavioral_points"})
    models = pd.read_csv(seeds / "scoring" / "scoring_models.csv", dtype=str, keep_default_na=False)
    caps = {
        row.scoring_model: float(row.behavioral_cap_points)
        for row in models.itertuples()
        if row.behavioral_cap_points
    }
    cap = scores["scoring_model"].map(caps).astype("float64")
    scores["behavioral_score"] = scores["behavioral_points"].where(
        cap.isna(), np.minimum(scores["behavioral_points"], cap)
    )
    return scores[scores["scoring_model"].isin(set(models["scoring_model"]))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lead_scoring.bench.pandas_score", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    scores = behavioral_scores(args.raw, args.as_of)
    scores.to_parquet(args.out, index=False)
    print(f"{len(scores)} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
