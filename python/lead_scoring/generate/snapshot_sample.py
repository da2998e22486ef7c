"""A second, differently shaped sample: a lead export with one activity snapshot per lead.

Usage::

    lead-scoring generate --shape export --leads 9000 --days 480 --out data/export [--end-date D] [--seed N]
    lead-scoring generate --shape export --leads 9000 --days 120 --snapshot --out data/export

Shaped like a public lead export of an online-course seller (the kind a new user tries first): about
9,000 leads, a high conversion rate (about 38% of leads), no firmographics (no industry, company size
or revenue), the occupation in ``job_title`` (Unemployed, Working Professional, Student, ...), a lead
source, and one activity snapshot per lead: the visits of its first day (page views with their
durations) and its "last activity" (an email open, a bounce, an SMS or chat: some of these are event
types the default seeds do not know). Most of the signal is in the time on site, the lead source and
the occupation. Each lead's events fall on the day it was created; converted leads get an opportunity
3 to 80 days later (none after the end date).

``--snapshot`` shapes it as one export taken on the end date, the way a user turns a CRM export with
a converted flag (and no conversion dates) into the raw contract: every converted lead's opportunity
is dated in the last ``SNAPSHOT_OUTCOME_DAYS`` days before the export (never before the lead), so
all outcomes fall within days of the export. The default outcome window (90 days) then leaves no
backtest cutoff; ``make weights`` names the window that leaves one (README, "Changing the weights").

The hidden truth (``TRUTH``) gives the log-odds of converting; the intercept is solved so the
expected conversion rate is ``CONVERSION_RATE``. Deterministic for a given seed; files follow the raw
contract (``lead_scoring.common.contract``). Build it with ``backtest_max_lead_age_days: 30`` so each lead is
judged at the first cutoff after it arrived, as in the export (README, "Calibration").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lead_scoring.common.contract import raw_contract

# the command line's defaults for this shape (--shape export)
DEFAULT_LEADS, DEFAULT_DAYS, DEFAULT_SEED = 9000, 480, 7
CONVERSION_RATE = 0.38
# (value, share of leads, effect on the log-odds of converting)
LEAD_SOURCES = (
    ("Google", 0.31, 0.0),
    ("Direct Traffic", 0.28, -0.4),
    ("Olark Chat", 0.19, -0.3),
    ("Organic Search", 0.12, -0.2),
    ("Reference", 0.06, 3.0),
    ("Welingak Website", 0.015, 3.5),
    ("Referral Sites", 0.015, -0.3),
    ("Facebook", 0.01, -0.5),
)
OCCUPATIONS = (
    ("Unemployed", 0.60, 0.0),
    ("Working Professional", 0.08, 2.5),
    ("Student", 0.02, -0.3),
    ("", 0.27, -0.5),
    ("Businessman", 0.01, 0.5),
    ("Housewife", 0.02, 2.0),
)
# the lead's last activity: event type (some unknown to the default seeds) and its effect
LAST_ACTIVITIES = (
    ("email_open", 0.37, 0.0),
    ("sms_sent", 0.30, 1.2),
    ("chat_started", 0.10, -0.8),
    ("form_submit", 0.05, 0.3),
    ("converted_to_lead", 0.075, -1.0),
    ("email_bounce", 0.035, -1.5),
    ("email_click", 0.03, 0.3),
    ("email_unsubscribe", 0.01, -1.0),
    ("page_view", 0.03, 0.0),
)
# log-odds per minute on the site, up to a saturation (30 minutes are worth more than 2)
MINUTE_EFFECT = 0.08
MINUTES_SATURATION = 30.0
STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")
FIRST_NAMES = ("Asha", "Ravi", "Meera", "Arjun", "Priya", "Kiran", "Neha", "Vikram", "Sara", "Dev")
LAST_NAMES = ("Sharma", "Iyer", "Patel", "Reddy", "Gupta", "Nair", "Khan", "Das", "Rao", "Singh")
SITE = "https://learn.example-edu.com"
PAGES = ("/courses/data-science", "/courses/marketing", "/pricing", "/blog/careers", "/faq", "/apply")
OPPORTUNITY_DAYS = (3, 80)
# --snapshot: converted leads' opportunities fall within this many days before the export
SNAPSHOT_OUTCOME_DAYS = 7


def _choose(rng: np.random.Generator, options: Sequence[tuple[str, float, float]], count: int) -> np.ndarray:
    shares = np.array([share for _, share, _ in options])
    return rng.choice(len(options), size=count, p=shares / shares.sum())


def _intercept(log_odds: np.ndarray, rate: float) -> float:
    """The intercept that makes the mean probability ``rate`` (bisection)."""
    low, high = -20.0, 20.0
    for _ in range(100):
        middle = (low + high) / 2
        if np.mean(1 / (1 + np.exp(-(middle + log_odds)))) < rate:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _stamp(seconds: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s").astype(object) + "Z"


def _emails(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    local = (first + "." + last + np.arange(len(first)).astype(str)).astype(str)
    return np.char.lower(local).astype(object) + "@gmail.com"


def _write(path: Path, columns: tuple[str, ...], values: dict[str, np.ndarray]) -> int:
    table = np.column_stack([np.asarray(values[name], dtype=object).astype(str) for name in columns])
    np.savetxt(path, table, fmt="%s", delimiter=",", header=",".join(columns), comments="")
    return len(table)


def write_snapshot_sample(
    out_dir: Path, leads: int, days: int, end_date: dt.date, seed: int = DEFAULT_SEED, snapshot: bool = False
) -> dict[str, int]:
    """Write leads.csv, events.csv and opportunities.csv into ``out_dir``; return the row counts.
    ``snapshot``: outcomes dated at the export (see the module docstring)."""
    rng = np.random.default_rng(seed)
    contract = raw_contract()
    source = _choose(rng, LEAD_SOURCES, leads)
    occupation = _choose(rng, OCCUPATIONS, leads)
    activity = _choose(rng, LAST_ACTIVITIES, leads)
    # chat leads mostly never reach the site; others visit a few times
    visits = np.where(
        (np.array([name for name, _, _ in LEAD_SOURCES])[source] == "Olark Chat") & (rng.random(leads) < 0.8),
        0,
        rng.poisson(2.5, leads) + (rng.random(leads) < 0.8),
    )
    engagement = rng.normal(0, 1, leads)
    visit_lead = np.repeat(np.arange(leads), visits)
    visit_minutes = rng.lognormal(0.6 + 0.7 * engagement[visit_lead], 0.8)
    minutes = np.bincount(visit_lead, weights=visit_minutes, minlength=leads)

    log_odds = (
        np.array([effect for _, _, effect in LEAD_SOURCES])[source]
        + np.array([effect for _, _, effect in OCCUPATIONS])[occupation]
        + np.array([effect for _, _, effect in LAST_ACTIVITIES])[activity]
        + MINUTE_EFFECT * np.minimum(minutes, MINUTES_SATURATION)
    )
    log_odds = log_odds + _intercept(log_odds, CONVERSION_RATE)
    converted = rng.random(leads) < 1 / (1 + np.exp(-log_odds))

    start = np.datetime64(end_date - dt.timedelta(days=days - 1), "s")
    # created before 20:00 so that the whole snapshot (at most a few hours of visits) stays on that day
    day = rng.integers(0, days, leads) * 86400
    created = start + (day + rng.integers(0, 20 * 3600, leads)).astype("timedelta64[s]")
    ids = np.array([f"X{i:06d}" for i in range(1, leads + 1)], dtype=object)
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), leads)]
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), leads)]
    blank = np.full(leads, "", dtype=object)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {
        "leads": _write(
            out_dir / "leads.csv",
            contract["leads"],
            {
                "lead_id": ids,
                "email": _emails(first, last),
                "first_name": first,
                "last_name": last,
                "job_title": np.array([name for name, _, _ in OCCUPATIONS], dtype=object)[occupation],
                "company_name": blank,
                "industry": blank,
                "employee_count": blank,
                "annual_revenue": blank,
                "country": np.full(leads, "India", dtype=object),
                "lead_source": np.array([name for name, _, _ in LEAD_SOURCES], dtype=object)[source],
                "created_at": _stamp(created),
                "updated_at": _stamp(created),
            },
        )
    }

    # the snapshot: every visit, then the last activity, on the lead's first day
    visit_index = np.arange(len(visit_lead)) - np.repeat(np.cumsum(visits) - visits, visits)
    visit_at = created[visit_lead] + (60 + visit_index * 600).astype("timedelta64[s]")
    activity_at = created + (60 + visits * 600 + 60).astype("timedelta64[s]")
    event_lead = np.concatenate([visit_lead, np.arange(leads)])
    event_type = np.concatenate(
        [
            np.full(len(visit_lead), "page_view", dtype=object),
            np.array([name for name, _, _ in LAST_ACTIVITIES], dtype=object)[activity],
        ]
    )
    is_visit = np.arange(len(event_lead)) < len(visit_lead)
    page = np.array(PAGES, dtype=object)[rng.integers(0, len(PAGES), len(event_lead))]
    duration = np.concatenate([np.round(visit_minutes * 60).astype(int).astype(str), np.full(leads, "")])
    counts["events"] = _write(
        out_dir / "events.csv",
        contract["events"],
        {
            "event_id": np.array([f"XE{i:07d}" for i in range(1, len(event_lead) + 1)], dtype=object),
            "lead_id": ids[event_lead],
            "event_type": event_type,
            "occurred_at": _stamp(np.concatenate([visit_at, activity_at])),
            "page_url": np.where(is_visit | (event_type == "page_view"), SITE + page, ""),
            "duration_seconds": duration.astype(object),
        },
    )

    delay = rng.integers(OPPORTUNITY_DAYS[0], OPPORTUNITY_DAYS[1] + 1, leads).astype("timedelta64[D]")
    opened = created + delay.astype("timedelta64[s]")
    if snapshot:
        export_day = np.datetime64(end_date, "s")
        before_export = rng.integers(0, SNAPSHOT_OUTCOME_DAYS * 86400, leads).astype("timedelta64[s]")
        opened = np.maximum(
            export_day + np.timedelta64(86399, "s") - before_export, created + np.timedelta64(3600, "s")
        )
    keep = converted & (opened < np.datetime64(end_date + dt.timedelta(days=1), "s"))
    counts["opportunities"] = _write(
        out_dir / "opportunities.csv",
        contract["opportunities"],
        {
            "opportunity_id": np.array([f"XO{i:06d}" for i in range(1, int(keep.sum()) + 1)], dtype=object),
            "lead_id": ids[keep],
            "created_at": _stamp(opened[keep]),
            "stage": np.array(STAGES, dtype=object)[rng.integers(0, len(STAGES), int(keep.sum()))],
            "amount": rng.integers(500, 5000, int(keep.sum())).astype(str).astype(object),
            "closed_at": np.full(int(keep.sum()), "", dtype=object),
        },
    )
    counts["converted_leads"] = int(converted.sum())
    return counts
