"""Deterministic generator of messy sample raw data (leads, events, opportunities).

Usage::

    python -m lead_scoring.generate --leads 20000 --days 365 --out data/raw [--seed 42]
        [--end-date YYYY-MM-DD] [--format csv|parquet] [--events-per-lead 35]

Everything is computed in DuckDB SQL. Randomness is never drawn from a stateful generator: every
random number is ``hash(key..., salt, seed)`` mapped to [0, 1), where the key is a lead number, an
event number, ... So the output depends only on the arguments (and the DuckDB version), not on
thread scheduling, and every output is written with an ``ORDER BY`` on unique keys: the same
arguments give byte-identical files.

Files are written into a temporary folder next to ``--out`` which is then renamed into place, so an
interrupted run never leaves half-written files in ``--out``.

The data has a hidden truth: each lead has a latent *fit* (seniority, target industry, company size,
business e-mail) and a latent *intent* (correlated with fit). Intent drives the number and kind of
events and a burst of high-intent activity; opportunities are created after that burst, with a
probability that rises steeply (logistically) with fit and intent. On top of that the raw data is
messy on purpose (spelling variants, junk values, duplicates, orphans, bad timestamps), see
``MESS`` below for the classes and their approximate shares. Sales follows up most leads with a
burst (``sales_call``, ``sales_email``, ``meeting_booked`` events, ids ``tch_...``), sooner for the
leads that convert (speed to lead); the touches are added after each lead's own events and leave
every other row as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from lead_scoring.contract import raw_contract

# The columns of each raw file, in order: the contract in the staging sources YAML.
COLUMNS = raw_contract()

STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")
EVENT_TYPES = (
    "email_open",
    "email_click",
    "page_view",
    "form_submit",
    "content_download",
    "webinar_attended",
    "demo_request",
    "trial_signup",
    "email_unsubscribe",
    "email_bounce",
    "sales_call",
    "sales_email",
    "meeting_booked",
)
UNKNOWN_EVENT_TYPES = ("chat_started", "video_played", "ad_impression", "social_share", "page_scroll")
LEAD_SOURCES = (
    "web",
    "webinar",
    "referral",
    "paid_search",
    "event",
    "partner",
    "outbound",
    "content_syndication",
)
FREE_MAIL_DOMAINS = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "aol.com",
    "icloud.com",
    "protonmail.com",
    "gmx.de",
    "web.de",
    "yahoo.co.uk",
    "live.com",
    "mail.com",
)
COMPETITOR_DOMAINS = ("rivalscore.com", "leadgenius.io", "pipelinepilot.ai")
SITE = "example-vendor.com"
TARGET_INDUSTRIES = ("Software", "Information Technology", "Financial Services")
# Sales follow-up of the leads with a burst of intent: the share touched at all and the median
# delay of the first touch, for the leads that convert (faster: speed to lead) and the others.
TOUCHED_SHARE_CONVERTERS = 0.95
TOUCHED_SHARE_OTHERS = 0.7
FIRST_TOUCH_MEDIAN_HOURS_CONVERTERS = 4.0
FIRST_TOUCH_MEDIAN_HOURS_OTHERS = 36.0

# Approximate share of each planted mess class (of the rows of the file named first).
MESS = {
    "leads: blank lead_id": 0.004,
    "leads: unparseable created_at": 0.003,
    "leads: unparseable updated_at": 0.003,
    "leads: malformed or blank email": 0.008,
    "leads: e-mail with mixed case": 0.05,
    "leads: e-mail with surrounding spaces": 0.03,
    "leads: free-mail domain": 0.25,
    "leads: competitor domain": 0.01,
    "leads: blank job_title": 0.06,
    "leads: blank industry": 0.05,
    "leads: blank employee_count": 0.06,
    "leads: junk employee_count": 0.006,
    "leads: employee_count with thousands separator (of counts >= 1000)": 0.18,
    "leads: employee_count padded with spaces": 0.04,
    "leads: blank annual_revenue": 0.12,
    "leads: junk annual_revenue": 0.006,
    "leads: blank country": 0.04,
    "leads: lead_source case variant": 0.03,
    "leads: lead with 2-3 versions": 0.10,
    "events: exact duplicate row (re-delivery)": 0.02,
    "events: blank event_id": 0.003,
    "events: orphan lead_id": 0.005,
    "events: unknown event_type": 0.005,
    "events: known event_type with odd case/whitespace": 0.008,
    "events: unparseable occurred_at": 0.001,
    "events: future-dated occurred_at": 0.001,
    "events: page_view without duration": 0.03,
    "events: negative duration_seconds (page_view/webinar)": 0.002,
    "events: junk duration_seconds (page_view/webinar)": 0.001,
    "opportunities: unknown lead_id": 0.01,
    "opportunities: junk amount": 0.02,
}

DEFAULT_EVENTS_PER_LEAD = 35.0
DEFAULT_SEED = 42
# Events are generated and sorted in chunks of about this many rows (bounded memory, several parquet files).
EVENTS_PER_CHUNK = 4_000_000

_SPILL_DIR = ".duckdb_spill"
_OWNED_ENTRIES = {
    "leads.csv",
    "events.csv",
    "opportunities.csv",
    "leads",
    "events",
    "opportunities",
}

# ---------------------------------------------------------------------------------------------------
# Reference lists: (value, weight, ...)

# (title, weight, seniority 0..1, job_seeker, freelance)
TITLES: tuple[tuple[str | None, float, float, bool, bool], ...] = (
    (None, 6, 0.35, False, False),
    ("CEO", 2, 1.0, False, False),
    ("Chief Technology Officer", 1, 1.0, False, False),
    ("CTO", 1.5, 1.0, False, False),
    ("Chief Marketing Officer", 1, 1.0, False, False),
    ("CMO", 0.8, 1.0, False, False),
    ("CFO", 0.8, 0.95, False, False),
    ("Founder", 1.5, 0.95, False, False),
    ("Co-Founder & CEO", 1, 1.0, False, False),
    ("Owner", 1, 0.8, False, False),
    ("VP Sales", 2.5, 0.9, False, False),
    ("vice-president of marketing", 1, 0.9, False, False),
    ("Vice President, Engineering", 1.5, 0.9, False, False),
    ("VP of Marketing", 2, 0.9, False, False),
    ("SVP Operations", 0.8, 0.9, False, False),
    ("VP, Revenue Operations", 1, 0.9, False, False),
    ("Dir. of IT", 1.5, 0.75, False, False),
    ("Director of Operations", 2, 0.75, False, False),
    ("Director, Marketing", 2, 0.75, False, False),
    ("Head of Growth", 1.5, 0.75, False, False),
    ("Head of Sales", 1.5, 0.75, False, False),
    ("IT Director", 1.5, 0.75, False, False),
    ("Director of Data Science", 1, 0.75, False, False),
    ("Manager, Marketing", 3, 0.55, False, False),
    ("Marketing Manager", 5, 0.55, False, False),
    ("Sales Manager", 4, 0.55, False, False),
    ("Engineering Manager", 3, 0.55, False, False),
    ("Product Manager", 4, 0.5, False, False),
    ("IT Manager", 3, 0.55, False, False),
    ("Ops Manager", 2, 0.5, False, False),
    ("Sr. Software Engineer", 4, 0.35, False, False),
    ("Senior Data Analyst", 2, 0.35, False, False),
    ("Software Engineer", 6, 0.25, False, False),
    ("Data Scientist", 3, 0.3, False, False),
    ("Marketing Specialist", 3, 0.25, False, False),
    ("Account Executive", 3, 0.3, False, False),
    ("SDR", 2, 0.15, False, False),
    ("Analyst", 4, 0.2, False, False),
    ("Business Analyst", 3, 0.2, False, False),
    ("Consultant", 3, 0.2, False, True),
    ("Independent Consultant", 1.5, 0.15, False, True),
    ("Freelancer", 1, 0.1, False, True),
    ("Coordinator", 2, 0.15, False, False),
    ("Student", 3, 0.0, True, False),
    ("Intern", 2, 0.0, True, False),
    ("Marketing Intern", 1, 0.0, True, False),
    ("Research Assistant", 1, 0.05, True, False),
    ("Retired", 0.5, 0.0, True, False),
)

# (canonical industry, weight, spelling variants; the first one is the most common)
INDUSTRIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("Software", 16, ("Software", "software ", "SaaS", "SOFTWARE", "Computer Software")),
    ("Information Technology", 10, ("Information Technology", "IT Services", "information technology", "IT")),
    ("Financial Services", 10, ("Financial Services", "Finance", "Banking", "financial services", "Fintech")),
    ("Healthcare", 9, ("Healthcare", "Health Care", "healthcare", "Hospital & Health Care")),
    ("Retail", 8, ("Retail", "retail", "E-commerce", "Retail & Consumer Goods")),
    ("Manufacturing", 10, ("Manufacturing", "manufacturing ", "Industrial Manufacturing")),
    ("Education", 7, ("Education", "Higher Education", "education", "E-Learning")),
    ("Government", 4, ("Government", "Public Sector", "government administration")),
    ("Consulting", 7, ("Consulting", "Management Consulting", "consulting", "Professional Services")),
    ("Media", 5, ("Media", "Marketing & Advertising", "Media & Entertainment")),
    ("Logistics", 5, ("Logistics", "Transportation", "Logistics & Supply Chain")),
    ("Telecommunications", 4, ("Telecommunications", "Telecom")),
    ("Energy", 3, ("Energy", "Oil & Energy", "Utilities")),
    ("Non-profit", 2, ("Non-profit", "Nonprofit", "NGO")),
)

# (ISO code, weight, top-level domain, spelling variants)
COUNTRIES: tuple[tuple[str, float, str, tuple[str, ...]], ...] = (
    ("US", 42, ".com", ("US", "USA", "United States", "united states ", "U.S.", "United States of America")),
    ("GB", 10, ".co.uk", ("UK", "United Kingdom", "GB", "Great Britain", "united kingdom")),
    ("DE", 9, ".de", ("DE", "Germany", "Deutschland", "germany")),
    ("FR", 5, ".fr", ("FR", "France", "france")),
    ("IN", 8, ".in", ("IN", "India", "india ")),
    ("CA", 5, ".ca", ("CA", "Canada")),
    ("NL", 3, ".nl", ("NL", "Netherlands", "The Netherlands")),
    ("AU", 4, ".com.au", ("AU", "Australia")),
    ("BR", 3, ".com.br", ("BR", "Brazil", "Brasil")),
    ("ES", 3, ".es", ("ES", "Spain")),
    ("JP", 2, ".co.jp", ("JP", "Japan")),
    ("SE", 2, ".se", ("SE", "Sweden")),
    ("SG", 2, ".sg", ("SG", "Singapore")),
    ("IE", 2, ".ie", ("IE", "Ireland")),
)

FIRST_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Daniel", "Karen",
    "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Emily", "Paul", "Laura", "Steven", "Anna", "Andrew",
    "Julia", "Priya", "Rahul", "Aarav", "Ananya", "Wei", "Mei", "Hiroshi", "Yuki", "Lukas", "Hannah",
    "Felix", "Lena", "Max", "Sophie", "Pierre", "Camille", "Lucas", "Chloé", "José", "María", "Zoë",
    "François", "Søren", "Björn", "Olivia", "Noah", "Emma", "Liam", "Ava", "Ethan", "Mia", "Omar",
    "Fatima", "Chen", "Ingrid", "Lars", "Sean", "Aoife",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Patel", "Kumar", "Sharma",
    "Singh", "Chen", "Wang", "Li", "Zhang", "Tanaka", "Sato", "Müller", "Schmidt", "Schneider", "Fischer",
    "Weber", "Dubois", "Martin", "Bernard", "Rossi", "Silva", "Santos", "García", "López", "O'Brien",
    "O'Connor", "van der Berg", "de Vries", "Jansen", "Nguyen", "Kim", "Park", "Andersson", "Johansson",
    "Murphy", "Kelly", "Novak", "Kowalski",
)  # fmt: skip
COMPANY_WORDS_1 = (
    "Apex", "Blue", "Bright", "Cedar", "Clear", "Cloud", "Core", "Crest", "Delta", "Echo", "Ever", "Falcon",
    "First", "Granite", "Green", "Harbor", "Iron", "Keystone", "Lumen", "Maple", "Meridian", "Nimbus",
    "North", "Nova", "Oak", "Orbit", "Peak", "Pine", "Pioneer", "Prime", "Quantum", "Red", "River", "Rock",
    "Sage", "Silver", "Sky", "Spark", "Star", "Stone", "Summit", "Sun", "Swift", "Terra", "True", "Union",
    "Vector", "Vertex", "Vista", "West", "Zen", "Atlas", "Beacon", "Bold", "Coastal", "Copper", "Elm",
    "Fusion", "Golden", "Horizon", "Indigo", "Juniper", "Kite", "Lake", "Mosaic", "Nexus", "Onyx", "Polar",
    "Radiant", "Sable", "Tidal", "Ultra", "Verde", "Willow", "Xenon", "Yield", "Zephyr", "Acme", "Globex",
    "Initech",
)  # fmt: skip
COMPANY_WORDS_2 = (
    "Analytics", "Systems", "Labs", "Software", "Logistics", "Health", "Capital", "Foods", "Robotics",
    "Energy", "Media", "Networks", "Works", "Dynamics", "Solutions", "Partners", "Retail", "Bank",
    "Learning", "Manufacturing", "Data", "Cloud", "Security", "Motors", "Pharma", "Consulting", "Studios",
    "Ventures", "Tech", "Insights", "Markets", "Finance", "Foundry", "Digital", "Logic", "Bio", "Freight",
    "Textiles", "Apparel", "Supply", "Metrics", "Devices", "Materials", "Telecom", "Insurance", "Payments",
    "Brands", "Mobility",
)  # fmt: skip
# Industry suggested by the second word of a company name (used for most, not all, companies).
NAME_INDUSTRY = {
    **dict.fromkeys(("Analytics", "Labs", "Software", "Data", "Cloud", "Logic", "Metrics"), "Software"),
    **dict.fromkeys(("Systems", "Solutions", "Security", "Tech"), "Information Technology"),
    **dict.fromkeys(("Capital", "Bank", "Markets", "Finance", "Insurance", "Payments"), "Financial Services"),
    **dict.fromkeys(("Health", "Pharma", "Bio"), "Healthcare"),
    **dict.fromkeys(("Foods", "Retail", "Apparel", "Brands"), "Retail"),
    **dict.fromkeys(
        ("Robotics", "Works", "Manufacturing", "Motors", "Foundry", "Textiles", "Devices", "Materials"),
        "Manufacturing",
    ),
    **dict.fromkeys(("Logistics", "Freight", "Supply", "Mobility"), "Logistics"),
    **dict.fromkeys(("Media", "Studios", "Digital"), "Media"),
    **dict.fromkeys(("Partners", "Consulting", "Insights"), "Consulting"),
    **dict.fromkeys(("Networks", "Telecom"), "Telecommunications"),
    "Learning": "Education",
    "Energy": "Energy",
}
COMPANY_WORDS_3 = (
    "Group", "Holdings", "International", "Global", "Industries", "Worldwide", "America", "Europe",
    "Collective", "Enterprises", "Technologies", "Services", "Company", "Associates", "Alliance", "Direct",
    "Hub", "One", "Plus", "Pro", "Works", "Co", "Labs", "Network", "Source", "Point", "Bridge", "Line",
    "Path", "Gate",
)  # fmt: skip
BLOG_SLUGS = (
    "lead-scoring-101", "what-is-an-mql", "b2b-funnel-benchmarks-2026", "intent-data-explained",
    "sales-marketing-alignment", "pipeline-velocity", "abm-playbook", "churn-signals", "product-led-growth",
    "webinar-recap-q1", "release-notes-march", "customer-story-northwind",
)  # fmt: skip
DOCS_SLUGS = (
    "getting-started", "api/authentication", "api/rate-limits", "integrations/salesforce",
    "integrations/hubspot", "sso-setup", "data-retention", "faq",
)  # fmt: skip
RESOURCE_SLUGS = (
    "ebook-state-of-b2b-marketing", "whitepaper-scoring-models", "roi-calculator", "buyers-guide",
    "checklist-data-quality", "analyst-report-2026",
)  # fmt: skip
CASE_STUDY_SLUGS = ("northwind", "contoso", "fabrikam", "globex", "initech", "umbrella")
WEBINAR_SLUGS = (
    "scoring-masterclass",
    "pipeline-review-live",
    "product-tour",
    "ask-me-anything",
    "roadmap-2026",
)
QUERY_STRINGS = (
    "utm_source=newsletter&utm_medium=email&utm_campaign=spring_launch",
    "utm_source=google&utm_medium=cpc&utm_campaign=brand",
    "utm_source=linkedin&utm_medium=social&utm_campaign=retargeting",
    "ref=g2",
    "gclid=Cj0KCQiA4example",
    "utm_source=partner&utm_medium=referral",
)
TZ_OFFSETS = (("+02:00", 120), ("+01:00", 60), ("-05:00", -300), ("-04:00", -240), ("+05:30", 330),
              ("-08:00", -480), ("+09:00", 540), ("+00:00", 0))  # fmt: skip
JUNK_TIMESTAMPS = (
    "31/02/{year}",
    "yesterday",
    "not a date",
    "{year}-13-45T25:61:00Z",
    "0000-00-00 00:00:00",
    "N/A",
)
JUNK_EMPLOYEES = ("n/a", "-5", "unknown", "10-50", "TBD")
JUNK_REVENUE = ("unknown", "$5M", "-1", "n/a", "TBD")
JUNK_AMOUNTS = ("n/a", "TBD", "-5000", "12k", "$15,000", "USD 20000")
JUNK_DURATIONS = ("NaN", "12.5s", "abc", "n/a", "??")


# ---------------------------------------------------------------------------------------------------
# SQL building helpers


def _q(value: str | None) -> str:
    """SQL literal for a string (or NULL)."""
    if value is None:
        return "NULL"
    return "'" + value.replace("'", "''") + "'"


def _num(value: float) -> str:
    return repr(float(value))


def _list(values: Sequence[str | None]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _pick_uniform(u: str, values: Sequence[str | None]) -> str:
    """Element of `values` chosen by the uniform `u` in [0, 1)."""
    return f"{_list(values)}[1 + floor(({u}) * {len(values)})::BIGINT]"


def _pick(u: str, options: Sequence[tuple[str, float]]) -> str:
    """CASE choosing one SQL expression per row, by weight, from the uniform `u` in [0, 1)."""
    total = sum(w for _, w in options)
    acc = 0.0
    parts = []
    for expr, weight in options[:-1]:
        acc += weight / total
        parts.append(f"WHEN {u} < {_num(acc)} THEN {expr}")
    return f"(CASE {' '.join(parts)} ELSE {options[-1][0]} END)"


def _pick_linear(u: str, heat: str, options: Sequence[tuple[str, float, float]]) -> str:
    """Like `_pick`, but the weight of each option is `a + b * heat` (`u`, `heat`: columns in [0, 1])."""
    total_a = sum(a for _, a, _ in options)
    total_b = sum(b for _, _, b in options)
    x = f"{u} * ({_num(total_a)} + {_num(total_b)} * {heat})"
    acc_a = acc_b = 0.0
    parts = []
    for expr, a, b in options[:-1]:
        acc_a += a
        acc_b += b
        parts.append(f"WHEN {x} < {_num(acc_a)} + {_num(acc_b)} * {heat} THEN {expr}")
    return f"(CASE {' '.join(parts)} ELSE {options[-1][0]} END)"


def _values_table(name: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def lit(v: object) -> str:
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return _num(v) if isinstance(v, float) else str(v)
        if isinstance(v, tuple | list):
            return _list(v)
        return _q(str(v))

    values = ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)
    return f"CREATE TEMP TABLE {name} AS SELECT * FROM (VALUES {values}) AS t({', '.join(columns)})"


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


# ---------------------------------------------------------------------------------------------------
# The generator


class _Gen:
    """Builds the SQL for one run. All randomness is a pure function of (seed, keys, salt)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        leads: int,
        days: int,
        seed: int,
        end_date: dt.date,
        events_per_lead: float,
    ) -> None:
        self.con = con
        self.leads = leads
        self.days = days
        self.seed = seed
        self.end_date = end_date
        self.events_per_lead = events_per_lead
        self.start_ts = _epoch(end_date - dt.timedelta(days=days - 1))
        self.end_ts = _epoch(end_date) + 86399
        self.year = end_date.year
        n1, n2, n3 = len(COMPANY_WORDS_1), len(COMPANY_WORDS_2), len(COMPANY_WORDS_3)
        self.cap2 = n1 * n2
        self.n_companies = max(1, min(leads // 4 + 1, self.cap2 * (1 + n3)))
        # Lead numbers go up to leads + 1,000,001 (unknown leads); lpad must never truncate.
        self.lead_digits = max(8, len(str(leads + 1_000_001)))

    def sql(self, statement: str) -> None:
        self.con.execute(statement)

    # -- setup ---------------------------------------------------------------------------------------
    def setup(self) -> None:
        seed = self.seed
        junk_ts = [s.format(year=self.year) for s in JUNK_TIMESTAMPS]
        offsets_str = _list([o for o, _ in TZ_OFFSETS])
        offsets_min = "[" + ", ".join(str(m) for _, m in TZ_OFFSETS) + "]"
        n_off = len(TZ_OFFSETS)
        macros = [
            # uniform in [0, 1) from a key and a salt (53 random bits)
            f"CREATE MACRO rnd(k, s) AS (hash(k, s, {seed}::BIGINT) >> 11)::DOUBLE / 9007199254740992.0",
            # standard normal (Box-Muller)
            "CREATE MACRO nrm(k, s) AS sqrt(-2.0 * ln(1.0 - rnd(k, s))) * cos(2.0 * pi() * rnd(k, s + 1000))",
            # three uniforms from one 64-bit hash
            "CREATE MACRO ua(h) AS (h >> 43)::DOUBLE / 2097152.0",
            "CREATE MACRO ub(h) AS ((h >> 22) & 2097151)::DOUBLE / 2097152.0",
            "CREATE MACRO uc(h) AS (h & 4194303)::DOUBLE / 4194304.0",
            "CREATE MACRO sigmoid(x) AS 1.0 / (1.0 + exp(-(x)))",
            # 'L00000042' (lpad is much faster than printf; the width always fits, see _Gen.__init__)
            f"CREATE MACRO lead_code(n) AS 'L' || lpad(n::VARCHAR, {self.lead_digits}, '0')",
            # time of day (seconds), mostly office hours
            "CREATE MACRO tod(u) AS (CASE WHEN u < 0.8 THEN 25200 + floor(u / 0.8 * 39600)"
            " ELSE floor((u - 0.8) / 0.2 * 86400) END)::BIGINT",
            # epoch seconds -> ISO text: mostly ...Z, some with an offset, some 'YYYY-MM-DD HH:MM:SS' (UTC)
            f"""CREATE MACRO fmt_ts(t, f, o) AS CASE
                WHEN f < 0.08 THEN strftime(epoch_ms((t + {offsets_min}[1 + floor(o * {n_off})::BIGINT] * 60)
                    * 1000), '%Y-%m-%dT%H:%M:%S') || {offsets_str}[1 + floor(o * {n_off})::BIGINT]
                WHEN f < 0.14 THEN strftime(epoch_ms(t * 1000), '%Y-%m-%d %H:%M:%S')
                ELSE strftime(epoch_ms(t * 1000), '%Y-%m-%dT%H:%M:%SZ') END""",
            f"CREATE MACRO junk_ts(u) AS {_pick_uniform('u', junk_ts)}",
            f"""CREATE MACRO fmt_count(n, u) AS CASE
                WHEN u < 0.06 THEN NULL
                WHEN u < 0.066 THEN {_pick_uniform("(u - 0.06) / 0.006", JUNK_EMPLOYEES)}
                WHEN u < 0.25 THEN CASE WHEN n >= 1000 THEN format('{{:,}}', n) ELSE n::VARCHAR END
                WHEN u < 0.29 THEN ' ' || n::VARCHAR || ' '
                ELSE n::VARCHAR END""",
            f"""CREATE MACRO fmt_revenue(n, u) AS CASE
                WHEN u < 0.12 THEN NULL
                WHEN u < 0.126 THEN {_pick_uniform("(u - 0.12) / 0.006", JUNK_REVENUE)}
                WHEN u < 0.35 THEN format('{{:,.2f}}', n::DOUBLE)
                WHEN u < 0.40 THEN n::VARCHAR || '.00'
                ELSE n::VARCHAR END""",
            """CREATE MACRO messy_title(t, u) AS CASE
                WHEN t IS NULL THEN NULL WHEN u < 0.06 THEN lower(t) WHEN u < 0.09 THEN upper(t)
                WHEN u < 0.13 THEN '  ' || t WHEN u < 0.16 THEN t || ' '
                WHEN u < 0.18 THEN replace(t, ' ', '  ')
                ELSE t END""",
            """CREATE MACRO messy_name(t, u) AS CASE
                WHEN u < 0.02 THEN lower(t) WHEN u < 0.03 THEN upper(t) WHEN u < 0.04 THEN t || ' '
                ELSE t END""",
            "CREATE MACRO ascii_word(t) AS regexp_replace(lower(strip_accents(t)), '[^a-z]', '', 'g')",
            "CREATE MACRO cap(t) AS upper(t[1]) || t[2:]",
            """CREATE MACRO local_part(fn, ln, u) AS CASE
                WHEN u < 0.45 THEN fn || '.' || ln WHEN u < 0.65 THEN fn[1] || ln WHEN u < 0.75 THEN fn
                WHEN u < 0.85 THEN fn || '_' || ln ELSE ln || '.' || fn END""",
            "CREATE MACRO variant(vs, u) AS CASE WHEN u < 0.65 OR len(vs) = 1 THEN vs[1]"
            " ELSE vs[2 + floor((u - 0.65) / 0.35 * (len(vs) - 1))::BIGINT] END",
        ]
        for m in macros:
            self.sql(m)
        self.sql(
            _values_table(
                "titles",
                ["title_idx", "title", "seniority", "job_seeker", "freelance"],
                [(i, t, float(s), js, fr) for i, (t, _, s, js, fr) in enumerate(TITLES)],
            )
        )
        self.sql(
            _values_table(
                "industries",
                ["industry_idx", "industry", "industry_variants", "target"],
                [
                    (i, name, variants, name in TARGET_INDUSTRIES)
                    for i, (name, _, variants) in enumerate(INDUSTRIES)
                ],
            )
        )
        self.sql(
            _values_table(
                "countries",
                ["country_idx", "country_code", "tld", "country_variants"],
                [(i, code, tld, variants) for i, (code, _, tld, variants) in enumerate(COUNTRIES)],
            )
        )

    # -- companies and leads -------------------------------------------------------------------------
    def build_leads(self) -> None:
        n1, n2, n3 = len(COMPANY_WORDS_1), len(COMPANY_WORDS_2), len(COMPANY_WORDS_3)
        cap2 = self.cap2
        industry_pick = _pick("rnd(range, 101)", [(str(i), w) for i, (_, w, _) in enumerate(INDUSTRIES)])
        industry_index = {name: i for i, (name, _, _) in enumerate(INDUSTRIES)}
        name_industry = (
            "(["
            + ", ".join(
                str(industry_index[NAME_INDUSTRY[w]]) if w in NAME_INDUSTRY else "NULL"
                for w in COMPANY_WORDS_2
            )
            + "]::INTEGER[])"
        )
        country_pick = _pick("rnd(range, 104)", [(str(i), w) for i, (_, w, _, _) in enumerate(COUNTRIES)])
        suffix = f"""CASE country_code
            WHEN 'US' THEN {_pick_uniform("u_suffix", ["", "", " Inc.", ", Inc.", " LLC", " Corp."])}
            WHEN 'DE' THEN {_pick_uniform("u_suffix", ["", " GmbH", " GmbH", " AG"])}
            WHEN 'GB' THEN {_pick_uniform("u_suffix", ["", " Ltd", " Ltd.", " plc"])}
            WHEN 'FR' THEN {_pick_uniform("u_suffix", ["", " SA", " SAS"])}
            ELSE {_pick_uniform("u_suffix", ["", "", " Ltd", " Inc."])} END"""
        self.sql(f"""
            CREATE TEMP TABLE companies AS
            WITH c0 AS (
                SELECT range AS company_num,
                    {industry_pick} AS random_industry_idx, rnd(range, 109) AS u_industry,
                    {country_pick} AS country_idx,
                    greatest(1, least(250000, round(exp(4.3 + 1.8 * nrm(range, 102)))))::BIGINT AS employees,
                    CASE WHEN range < {cap2} THEN (range * 7919) % {cap2}
                         ELSE (((range - {cap2}) * 7919) % {cap2 * n3}) // {n3} END AS k12,
                    CASE WHEN range >= {cap2} THEN ((range - {cap2}) * 7919) % {n3} END AS k3,
                    rnd(range, 105) AS u_rev, rnd(range, 106) AS u_suffix, rnd(range, 107) AS u_tld
                FROM range({self.n_companies})
            ), c0b AS (
                -- the industry usually matches the name ("... Pharma" -> Healthcare)
                SELECT *,
                    coalesce(CASE WHEN u_industry < 0.75 THEN {name_industry}[1 + (k12 // {n1}) % {n2}] END,
                             random_industry_idx) AS industry_idx
                FROM c0
            ), c1 AS (
                SELECT c0b.*, i.industry, i.industry_variants, i.target,
                    k.country_code, k.tld, k.country_variants,
                    {_list(COMPANY_WORDS_1)}[1 + k12 % {n1}] AS w1,
                    {_list(COMPANY_WORDS_2)}[1 + (k12 // {n1}) % {n2}] AS w2,
                    {_list(COMPANY_WORDS_3)}[1 + k3] AS w3
                FROM c0b JOIN industries i USING (industry_idx) JOIN countries k USING (country_idx)
            )
            SELECT company_num, industry, industry_variants, target, country_code, country_variants,
                employees,
                (round(employees * exp(ln(60000) + 1.8 * u_rev) / 1000) * 1000)::BIGINT AS revenue,
                w1 || ' ' || w2 || coalesce(' ' || w3, '') AS base_name,
                w1 || ' ' || w2 || coalesce(' ' || w3, '') || {suffix} AS company_name,
                lower(w1 || w2 || coalesce(w3, '')) || CASE WHEN tld = '.com'
                    AND industry IN ('Software', 'Information Technology') AND u_tld < 0.3 THEN '.io'
                    WHEN tld = '.in' AND u_tld < 0.5 THEN '.com' ELSE tld END AS domain
            FROM c1
        """)

        title_pick = _pick("rnd(range, 2)", [(str(i), t[1]) for i, t in enumerate(TITLES)])
        new_title_pick = _pick(
            "rnd(range, 3)", [(str(i), t[1] * (0.3 + t[2])) for i, t in enumerate(TITLES) if t[0]]
        )
        free_pick = _pick(
            "rnd(lead_num, 11)",
            [
                (_q(d), w)
                for d, w in zip(FREE_MAIL_DOMAINS, (45, 12, 10, 10, 3, 5, 3, 4, 3, 2, 2, 1), strict=True)
            ],
        )
        source_weights = (30, 10, 8, 15, 8, 6, 15, 8)
        source_pick = _pick(
            "rnd(range, 25)", [(_q(s), w) for s, w in zip(LEAD_SOURCES, source_weights, strict=True)]
        )
        source_titled = (
            "CASE src "
            + " ".join(f"WHEN {_q(s)} THEN {_q(s.replace('_', ' ').title())}" for s in LEAD_SOURCES)
            + " END"
        )
        d = 86400
        self.sql(f"""
            CREATE TEMP TABLE leads_pre AS
            WITH l0 AS (
                SELECT range AS lead_num,
                    lead_code(range + 1) AS lead_id,
                    least({self.n_companies - 1}, floor({self.n_companies} * pow(rnd(range, 1), 1.4)))::BIGINT
                        AS company_num,
                    {title_pick} AS title_idx0,
                    {new_title_pick} AS title_idx_new,
                    {_pick_uniform("rnd(range, 8)", FIRST_NAMES)} AS first_name,
                    {_pick_uniform("rnd(range, 9)", LAST_NAMES)} AS last_name,
                    {self.start_ts} + floor(pow(rnd(range, 6), 0.8) * {self.days})::BIGINT * {d}
                        + tod(rnd(range, 7)) AS created_ts,
                    rnd(range, 4) AS u_ver, rnd(range, 5) AS u_change,
                    {source_pick} AS src, rnd(range, 26) AS u_src
                FROM range({self.leads})
            ), l1 AS (
                SELECT l0.*,
                    CASE WHEN u_ver < 0.90 OR created_ts > {self.end_ts - 3 * d} THEN 1
                         WHEN u_ver < 0.97 THEN 2 ELSE 3 END AS n_versions
                FROM l0
            ), l2 AS (
                SELECT l1.*, c.*  EXCLUDE (company_num),
                    CASE WHEN n_versions = 1 THEN 99 WHEN u_change < 0.45 THEN 1
                         WHEN u_change < 0.8 THEN CASE WHEN n_versions = 3 THEN 2 ELSE 99 END ELSE 1 END
                        AS title_change_v,
                    CASE WHEN n_versions = 1 THEN 99
                         WHEN u_change < 0.45 THEN CASE WHEN n_versions = 3 THEN 2 ELSE 99 END ELSE 1 END
                        AS emp_change_v,
                    round(c.employees * (1.1 + 0.5 * rnd(lead_num, 12)))::BIGINT AS employees_new
                FROM l1 JOIN companies c USING (company_num)
            ), l3 AS (
                SELECT l2.*,
                    CASE WHEN title_change_v < n_versions THEN title_idx_new ELSE title_idx0 END
                        AS final_title_idx,
                    CASE WHEN emp_change_v < n_versions THEN employees_new ELSE employees END
                        AS final_employees
                FROM l2
            ), l4 AS (
                SELECT l3.*, t.seniority, t.job_seeker, t.freelance,
                    t0.title AS title0, tn.title AS title_new,
                    rnd(lead_num, 10) AS u_mail,
                    CASE WHEN t.job_seeker OR t.freelance THEN 0.7 WHEN final_employees < 10 THEN 0.45
                         ELSE 0.2 END AS p_free
                FROM l3
                JOIN titles t ON t.title_idx = l3.final_title_idx
                JOIN titles t0 ON t0.title_idx = l3.title_idx0
                JOIN titles tn ON tn.title_idx = l3.title_idx_new
            ), l5 AS (
                SELECT l4.*,
                    CASE WHEN u_mail < 0.01 THEN 'competitor' WHEN u_mail < 0.01 + p_free THEN 'free'
                         ELSE 'business' END AS email_kind,
                    rnd(lead_num, 15) < 0.05 AS mixed_case,
                    ascii_word(first_name) AS fn, ascii_word(last_name) AS ln
                FROM l4
            ), l6 AS (
                SELECT l5.*,
                    CASE email_kind
                        WHEN 'competitor' THEN {_pick_uniform("rnd(lead_num, 11)", COMPETITOR_DOMAINS)}
                        WHEN 'free' THEN {free_pick}
                        ELSE domain END AS email_domain,
                    local_part(CASE WHEN mixed_case THEN cap(fn) ELSE fn END,
                               CASE WHEN mixed_case THEN cap(ln) ELSE ln END, rnd(lead_num, 13))
                        || CASE WHEN email_kind = 'free' AND rnd(lead_num, 14) < 0.4
                                THEN (10 + floor(rnd(lead_num, 16) * 89))::BIGINT::VARCHAR
                                ELSE '' END AS local,
                    rnd(lead_num, 17) AS u_email_bad
                FROM l5
            ), l7 AS (
                SELECT l6.*,
                    CASE WHEN mixed_case AND rnd(lead_num, 18) < 0.5 THEN cap(email_domain)
                         ELSE email_domain END
                        AS domain_text,
                    u_email_bad < 0.008 AS email_malformed
                FROM l6
            )
            SELECT lead_num, lead_id, n_versions, created_ts, src, job_seeker, title_change_v, emp_change_v,
                employees, employees_new, final_employees, email_malformed,
                CASE WHEN u_email_bad < 0.002 THEN NULL
                     WHEN u_email_bad < 0.004 THEN local || '@'
                     WHEN u_email_bad < 0.006 THEN local || '.' || domain_text
                     WHEN u_email_bad < 0.008 THEN local || '@@' || domain_text
                     ELSE (CASE WHEN rnd(lead_num, 19) < 0.02 THEN ' ' ELSE '' END)
                          || local || '@' || domain_text
                          || (CASE WHEN rnd(lead_num, 19) < 0.03 THEN ' ' ELSE '' END) END AS email,
                messy_name(first_name, rnd(lead_num, 20)) AS first_name_text,
                messy_name(last_name, rnd(lead_num, 21)) AS last_name_text,
                messy_title(title0, rnd(lead_num, 22)) AS title_text0,
                messy_title(title_new, rnd(lead_num, 22)) AS title_text_new,
                CASE WHEN rnd(lead_num, 23) < 0.01 THEN NULL
                     WHEN rnd(lead_num, 23) < 0.04 THEN upper(company_name)
                     WHEN rnd(lead_num, 23) < 0.07 THEN company_name || ' '
                     WHEN rnd(lead_num, 23) < 0.11 THEN base_name
                     ELSE company_name END AS company_text,
                CASE WHEN rnd(lead_num, 24) < 0.05 THEN NULL
                     ELSE variant(industry_variants, rnd(lead_num, 27)) END AS industry_text,
                CASE WHEN rnd(lead_num, 28) < 0.04 THEN NULL
                     ELSE variant(country_variants, rnd(lead_num, 29)) END AS country_text,
                CASE WHEN u_src < 0.015 THEN upper(src) WHEN u_src < 0.025 THEN {source_titled}
                     WHEN u_src < 0.03 THEN src || ' ' ELSE src END AS lead_source_text,
                rnd(lead_num, 31) AS u_emp, fmt_revenue(revenue, rnd(lead_num, 32)) AS revenue_text,
                1.8 * seniority + 0.9 * target::INTEGER + 0.8 * (final_employees BETWEEN 50 AND 1000)::INTEGER
                    + 0.7 * (email_kind = 'business')::INTEGER - 2.0 * (email_kind = 'competitor')::INTEGER
                    + 0.5 * nrm(lead_num, 33) AS fit_raw
            FROM l7
        """)

        # Standardise fit with exact integer sums (float sums in parallel are not reproducible).
        s1, s2, n = self.con.execute(
            "SELECT sum(round(fit_raw * 1e6)::BIGINT)::HUGEINT, "
            "sum((round(fit_raw * 1e3)::BIGINT)::HUGEINT * (round(fit_raw * 1e3)::BIGINT)::HUGEINT), "
            "count(*) "
            "FROM leads_pre"
        ).fetchone()
        mu = int(s1) / 1e6 / n
        var = int(s2) / 1e6 / n - mu * mu
        sd = max(var, 1e-9) ** 0.5
        end_ts = self.end_ts
        self.sql(f"""
            CREATE TEMP TABLE leads_act AS
            WITH a0 AS (
                SELECT *,
                    (fit_raw - {_num(mu)}) / {_num(sd)} AS fit_z
                FROM leads_pre
            ), a1 AS (
                SELECT *,
                    0.55 * fit_z + 0.835 * nrm(lead_num, 40)
                        + CASE WHEN src IN ('referral', 'webinar', 'event') THEN 0.3
                               WHEN src = 'content_syndication' THEN -0.2 ELSE 0 END AS intent_z
                FROM a0
            ), a2 AS (
                SELECT *,
                    sigmoid(1.3 * intent_z) AS intent01,
                    rnd(lead_num, 41) < sigmoid(-3.3 + 1.0 * fit_z + 1.5 * intent_z) AS converter,
                    created_ts AS c
                FROM a1
            ), a3 AS (
                SELECT *,
                    NOT converter AND rnd(lead_num, 42) < 0.05 - 0.04 * intent01 AS unsub,
                    email_malformed OR email IS NULL OR rnd(lead_num, 43) < 0.02 AS bouncer,
                    converter OR rnd(lead_num, 44) < 0.1 + 0.45 * intent01 AS has_burst
                FROM a2
            ), a4 AS (
                SELECT *,
                    CASE WHEN unsub OR (NOT converter AND rnd(lead_num, 45) < 0.25 - 0.2 * intent01)
                         THEN least({end_ts}, c + floor((2 + 75 * rnd(lead_num, 46)) * 86400)::BIGINT)
                         ELSE {end_ts} END AS a
                FROM a3
            ), a5 AS (
                SELECT *,
                    CASE WHEN converter
                         THEN c + floor(least(({end_ts} - c) * rnd(lead_num, 47),
                                             (3 + 100 * rnd(lead_num, 48)) * 86400))::BIGINT
                         ELSE c + floor((a - c) * rnd(lead_num, 47))::BIGINT END AS b,
                    floor((2 + 10 * rnd(lead_num, 49)) * 86400)::BIGINT AS lb,
                    CASE WHEN converter THEN 0.35 + 0.3 * intent01
                         WHEN has_burst THEN 0.15 + 0.3 * intent01 ELSE 0.0 END AS s
                FROM a4
            )
            SELECT *,
                CASE WHEN converter THEN b + floor((1 + 13 * rnd(lead_num, 50)) * 86400)::BIGINT END
                    AS opp_ts,
                CASE WHEN NOT converter AND rnd(lead_num, 54) < 0.15 * (1 - intent01)
                     THEN 0.0  -- never engages
                     ELSE (0.2 + 2.2 * intent01) * pow((a - c) / 86400.0 + 2, 0.7)
                          * exp(0.45 * nrm(lead_num, 51))
                END AS w
            FROM a5
        """)
        (sw,) = self.con.execute("SELECT sum(round(w * 1e6)::BIGINT)::HUGEINT FROM leads_act").fetchone()
        mean_w = max(int(sw) / 1e6 / self.leads, 1e-9)
        min_events = 1 if self.events_per_lead > 0 else 0  # the unsubscribe / bounce event
        self.sql(f"""
            CREATE TEMP TABLE leads_base AS
            WITH b0 AS (
                SELECT *,
                    greatest(floor({_num(self.events_per_lead)} * w / {_num(mean_w)}
                                   + rnd(lead_num, 52))::BIGINT,
                             CASE WHEN unsub OR bouncer THEN {min_events} ELSE 0 END)
                        AS n_ev
                FROM leads_act
            ), b1 AS (
                SELECT *, floor(n_ev * 0.02 + rnd(lead_num, 53))::BIGINT AS n_dup FROM b0
            )
            SELECT *,
                (sum(n_ev) OVER (ORDER BY lead_num) - n_ev)::BIGINT AS ev_offset,
                (sum(n_ev + n_dup) OVER (ORDER BY lead_num) - n_ev - n_dup)::BIGINT AS row_offset
            FROM b1
        """)
        self.sql("DROP TABLE leads_pre")
        self.sql("DROP TABLE leads_act")

    # -- outputs -------------------------------------------------------------------------------------
    def leads_sql(self) -> str:
        k = "(lead_num * 4 + v)"
        return f"""
            WITH v0 AS (
                SELECT *, unnest(range(n_versions)) AS v,
                    least({self.end_ts}, created_ts + floor(rnd(lead_num, 60) * 2 * 86400)::BIGINT) AS upd0
                FROM leads_base
            ), v1 AS (
                SELECT *,
                    CASE WHEN v = 0 THEN upd0
                         ELSE upd0 + 1 + floor(({self.end_ts} - upd0 - 1) * (v - 1 + rnd({k}, 61))
                                               / (n_versions - 1))::BIGINT END AS upd_ts
                FROM v0
            )
            SELECT
                CASE WHEN rnd({k}, 62) < 0.004 THEN NULL ELSE lead_id END::VARCHAR AS lead_id,
                email::VARCHAR AS email,
                first_name_text::VARCHAR AS first_name,
                last_name_text::VARCHAR AS last_name,
                CASE WHEN v >= title_change_v THEN title_text_new ELSE title_text0 END::VARCHAR AS job_title,
                company_text::VARCHAR AS company_name,
                industry_text::VARCHAR AS industry,
                fmt_count(CASE WHEN v >= emp_change_v THEN employees_new ELSE employees END, u_emp)::VARCHAR
                    AS employee_count,
                revenue_text::VARCHAR AS annual_revenue,
                country_text::VARCHAR AS country,
                lead_source_text::VARCHAR AS lead_source,
                CASE WHEN rnd({k}, 63) < 0.003 THEN junk_ts(rnd({k}, 63) / 0.003)
                     ELSE fmt_ts(created_ts, rnd({k}, 64), rnd({k}, 65)) END::VARCHAR AS created_at,
                CASE WHEN rnd({k}, 66) < 0.003 THEN junk_ts(rnd({k}, 66) / 0.003)
                     ELSE fmt_ts(upd_ts, rnd({k}, 67), rnd({k}, 68)) END::VARCHAR AS updated_at
            FROM v1
            ORDER BY lead_num, v
        """

    def opportunities_sql(self) -> str:
        (n_opps,) = self.con.execute(
            f"SELECT count(*) FROM leads_base WHERE converter AND opp_ts <= {self.end_ts}"
        ).fetchone()
        n_orphans = max(1, round(n_opps * 0.01))
        opp_digits = max(6, len(str(n_opps + n_orphans)))
        span = self.end_ts - self.start_ts
        open_stage = """CASE WHEN progress < 0.2 THEN 'prospecting' WHEN progress < 0.45 THEN 'qualification'
                             WHEN progress < 0.7 THEN 'proposal' ELSE 'negotiation' END"""
        return f"""
            WITH o0 AS (
                SELECT 0 AS src, lead_num AS key, lead_id, opp_ts, fit_z, intent_z, final_employees AS emp
                FROM leads_base WHERE converter AND opp_ts <= {self.end_ts}
                UNION ALL
                SELECT 1, range, lead_code({self.leads} + 1 + floor(rnd(range, 70) * 1000000)::BIGINT),
                    {self.start_ts} + floor(rnd(range, 71) * {span})::BIGINT, nrm(range, 72), 0.0,
                    floor(exp(2 + 6 * rnd(range, 73)))::BIGINT
                FROM range({n_orphans})
            ), o1 AS (
                SELECT *, key * 2 + src AS okey,
                    row_number() OVER (ORDER BY opp_ts, src, key) AS opp_num
                FROM o0
            ), o2 AS (
                SELECT *, rnd(okey, 74) < sigmoid(-1.8 + 0.8 * fit_z + 0.3 * intent_z) AS won
                FROM o1
            ), o3 AS (
                SELECT *,
                    (CASE WHEN won THEN 20 + 100 * rnd(okey, 75) ELSE 7 + 90 * rnd(okey, 75) END) * 86400
                        AS cycle_s,
                    round(exp(ln(5000) + 0.33 * ln(emp + 1) + 0.6 * nrm(okey, 76)) / 10) * 10 AS amount
                FROM o2
            ), o4 AS (
                SELECT *, opp_ts + floor(cycle_s)::BIGINT AS close_ts,
                    ({self.end_ts} - opp_ts) / cycle_s AS progress
                FROM o3
            ), o5 AS (
                SELECT *, close_ts <= {self.end_ts} AS closed,
                    CASE WHEN close_ts <= {self.end_ts}
                         THEN CASE WHEN won THEN 'closed_won' ELSE 'closed_lost' END
                         ELSE {open_stage} END AS stage
                FROM o4
            )
            SELECT
                'OPP-' || lpad(opp_num::VARCHAR, {opp_digits}, '0') AS opportunity_id,
                lead_id::VARCHAR AS lead_id,
                fmt_ts(opp_ts, rnd(okey, 77), rnd(okey, 78))::VARCHAR AS created_at,
                stage::VARCHAR AS stage,
                CASE WHEN rnd(okey, 79) < 0.02 THEN {_pick_uniform("rnd(okey, 79) / 0.02", JUNK_AMOUNTS)}
                     WHEN stage = 'prospecting' AND rnd(okey, 80) < 0.4 THEN NULL
                     WHEN rnd(okey, 80) < 0.7 THEN printf('%.2f', amount)
                     ELSE amount::BIGINT::VARCHAR END::VARCHAR AS amount,
                CASE WHEN closed THEN fmt_ts(close_ts, rnd(okey, 81), rnd(okey, 82)) END::VARCHAR AS closed_at
            FROM o5
            ORDER BY opp_num
        """

    def event_chunks(self) -> list[tuple[int, int]]:
        rows = self.con.execute(
            f"SELECT min(lead_num), max(lead_num) FROM leads_base WHERE n_ev > 0 "
            f"GROUP BY row_offset // {EVENTS_PER_CHUNK} ORDER BY 1"
        ).fetchall()
        (total,) = self.con.execute("SELECT sum(n_ev) FROM leads_base").fetchone()
        self.event_digits = max(10, len(str(int(total or 0))))
        return [(int(lo), int(hi)) for lo, hi in rows]

    def prepare_events(self, lo: int, hi: int) -> None:
        """Materialise one row per event of leads lo..hi: later steps then run in parallel (by row group)."""
        self.sql(f"""
            CREATE OR REPLACE TEMP TABLE ev_skel AS
            SELECT lead_num, lead_id, c, a, b, lb, s, intent01, has_burst, bouncer, unsub, job_seeker, n_ev,
                ev_offset, unnest(range(n_ev + n_dup)) AS k
            FROM leads_base
            WHERE lead_num BETWEEN {lo} AND {hi} AND n_ev > 0
        """)
        # Sales follows up the leads that show intent (a burst): most of them, converters almost
        # always, with 1-3 touches (calls, one-to-one emails, for some a booked meeting).
        self.sql(f"""
            CREATE OR REPLACE TEMP TABLE touch_skel AS
            WITH t0 AS (
                SELECT lead_num, lead_id, c, b, lb, converter, opp_ts, n_ev, n_dup,
                    CASE WHEN has_burst AND rnd(lead_num, 120) < CASE WHEN converter
                             THEN {_num(TOUCHED_SHARE_CONVERTERS)} ELSE {_num(TOUCHED_SHARE_OTHERS)} END
                         THEN 1 + floor(3 * rnd(lead_num, 121))::BIGINT ELSE 0 END AS n_touch
                FROM leads_base
                WHERE lead_num BETWEEN {lo} AND {hi} AND n_ev > 0
            )
            SELECT *, unnest(range(n_touch)) AS i FROM t0 WHERE n_touch > 0
        """)

    def events_sql(self) -> str:
        """The events of the leads chosen by `prepare_events`, in a deterministic order."""
        seed = self.seed
        end_ts = self.end_ts
        blog = _pick_uniform("u_url2", BLOG_SLUGS)
        docs = _pick_uniform("u_url2", DOCS_SLUGS)
        res = _pick_uniform("u_url2", RESOURCE_SLUGS)
        webinar = _pick_uniform("u_url2", WEBINAR_SLUGS)
        case_study = _pick_uniform("u_url2", CASE_STUDY_SLUGS)
        careers = (
            "CASE WHEN u_url2 < 0.4 THEN '/careers' "
            "ELSE '/careers/jobs/' || (100 + floor(u_url2 * 400))::BIGINT END"
        )
        page_path = _pick_linear(
            "u_url",
            "heat",
            [
                ("'/pricing'", 0.006, 0.16),
                ("'/pricing/enterprise'", 0.001, 0.05),
                ("'/product'", 0.06, 0.06),
                ("'/product/integrations'", 0.02, 0.03),
                ("'/customers'", 0.02, 0.04),
                (f"'/customers/case-studies/' || {case_study}", 0.01, 0.03),
                ("'/contact'", 0.005, 0.03),
                ("'/'", 0.10, 0.0),
                ("'/about'", 0.03, 0.0),
                ("'/webinars'", 0.02, 0.0),
                (f"'/blog/' || {blog}", 0.30, -0.15),
                (f"'/docs/' || {docs}", 0.12, -0.04),
                (careers, 0.04, -0.03),
                ("'/legal/privacy'", 0.01, -0.005),
            ],
        )
        event_type = _pick_linear(
            "u_type",
            "heat",
            [
                ("'email_open'", 0.52, -0.32),
                ("'email_click'", 0.12, -0.02),
                ("'page_view'", 0.26, 0.12),
                ("'content_download'", 0.035, 0.03),
                ("'form_submit'", 0.02, 0.03),
                ("'webinar_attended'", 0.008, 0.03),
                ("'demo_request'", 0.0003, 0.02),
                ("'trial_signup'", 0.0003, 0.015),
            ],
        )
        titled = (
            "CASE type_clean "
            + " ".join(f"WHEN {_q(t)} THEN {_q(t.replace('_', ' ').title())}" for t in EVENT_TYPES)
            + " END"
        )
        type_variant = f"""CASE WHEN vu < 0.3 THEN upper(type_clean) WHEN vu < 0.5 THEN type_clean || ' '
                               WHEN vu < 0.65 THEN ' ' || type_clean WHEN vu < 0.85 THEN {titled} || ' '
                               ELSE {titled} END"""
        form_path = _pick(
            "u_url",
            [("'/contact'", 3), ("'/demo'", 2), (f"'/resources/' || {res}", 3), ("'/webinars/register'", 2)],
        )
        junk_dur = _pick_uniform("(u_m3 - 0.033) / 0.0015", JUNK_DURATIONS)
        return f"""
            WITH e0 AS (
                SELECT * FROM ev_skel
            ), e1 AS (
                SELECT *,
                    CASE WHEN k < n_ev THEN k ELSE (hash(lead_num, k, 90, {seed}::BIGINT) % n_ev)::BIGINT END
                        AS j
                FROM e0
            ), e2 AS (
                SELECT *,
                    hash(lead_num, j, 91, {seed}::BIGINT) AS h1, hash(lead_num, j, 92, {seed}::BIGINT) AS h2,
                    hash(lead_num, j, 93, {seed}::BIGINT) AS h3, hash(lead_num, j, 94, {seed}::BIGINT) AS h4,
                    hash(lead_num, j, 95, {seed}::BIGINT) AS h5
                FROM e1
            ), e3 AS (
                SELECT lead_num, k, j, lead_id, c, a, b, lb, intent01, bouncer, job_seeker, ev_offset,
                    has_burst AND ua(h1) < s AS in_burst, ub(h1) AS u_time, uc(h1) AS u_tod,
                    ua(h2) AS u_type, ub(h2) AS u_url, uc(h2) AS u_url2,
                    ua(h3) AS u_dur, ub(h3) AS u_m1, uc(h3) AS u_m2,
                    ua(h4) AS u_fmt, ub(h4) AS u_off, uc(h4) AS u_deco,
                    ua(h5) AS u_m3, ub(h5) AS u_host, uc(h5) AS u_query,
                    j = 0 AND bouncer AS is_bounce0, j = 0 AND unsub AND NOT bouncer AS is_unsub0
                FROM e2
            ), e4 AS (
                SELECT *,
                    CASE WHEN in_burst THEN 0.55 + 0.45 * intent01 ELSE 0.5 * intent01 * intent01 END AS heat,
                    CASE WHEN is_unsub0 THEN a
                         WHEN is_bounce0 THEN least({end_ts}, c + 600 + floor(u_time * 86400)::BIGINT)
                         ELSE least({end_ts}, greatest(c + 60,
                              (CASE WHEN in_burst THEN b - floor(u_time * lb)::BIGINT
                                    ELSE c + floor(u_time * (a - c))::BIGINT END) // 86400 * 86400
                              + tod(u_tod)))
                    END AS t
                FROM e3
            ), e5 AS (
                SELECT *,
                    CASE WHEN is_unsub0 THEN 'email_unsubscribe' WHEN is_bounce0 THEN 'email_bounce'
                         ELSE {event_type} END AS type0
                FROM e4
            ), e6 AS (
                SELECT *,
                    CASE WHEN bouncer AND type0 IN ('email_open', 'email_click') THEN 'email_bounce'
                         ELSE type0 END
                        AS type_clean
                FROM e5
            ), e7 AS (
                SELECT *,
                    CASE type_clean
                        WHEN 'page_view' THEN CASE WHEN job_seeker AND u_url < 0.5 THEN {careers}
                                              ELSE {page_path} END
                        WHEN 'email_click' THEN CASE WHEN u_url < 0.5 THEN NULL
                            ELSE (CASE WHEN u_url2 < heat * 0.6 THEN '/pricing' ELSE '/blog/' || {blog} END)
                                 || '?utm_source=newsletter&utm_medium=email' END
                        WHEN 'form_submit' THEN {form_path}
                        WHEN 'content_download' THEN '/resources/' || {res}
                        WHEN 'webinar_attended' THEN CASE WHEN u_url < 0.7 THEN '/webinars/' || {webinar} END
                        WHEN 'demo_request' THEN CASE WHEN u_url < 0.7 THEN '/demo'
                                                 ELSE '/contact?topic=demo' END
                        WHEN 'trial_signup' THEN CASE WHEN u_url < 0.6 THEN '/signup' WHEN u_url < 0.8
                            THEN '/signup?plan=pro' ELSE '/signup?plan=enterprise' END
                        WHEN 'email_unsubscribe' THEN CASE WHEN u_url < 0.5 THEN '/email/unsubscribe' END
                    END AS path
                FROM e6
            ), e8 AS (
                SELECT *,
                    CASE type_clean
                        WHEN 'page_view' THEN floor(4 * exp(u_dur * 3.6 + heat * 1.3
                            + CASE WHEN starts_with(path, '/pricing') THEN 0.5 ELSE 0 END))::BIGINT
                        WHEN 'webinar_attended' THEN floor(600 + u_dur * (1200 + 2400 * heat))::BIGINT
                    END AS dur,
                    u_m1 / 0.005 AS uu, (u_m1 - 0.005) / 0.008 AS vu
                FROM e7
            ), events_out AS (
            SELECT
                CASE WHEN u_m2 < 0.003 THEN NULL
                     ELSE 'evt_' || lpad((ev_offset + j + 1)::VARCHAR, {self.event_digits}, '0') END::VARCHAR
                    AS event_id,
                CASE WHEN u_m2 >= 0.003 AND u_m2 < 0.008
                     THEN lead_code({self.leads} + 1 + floor((u_m2 - 0.003) / 0.005 * 1000000)::BIGINT)
                     ELSE lead_id END::VARCHAR AS lead_id,
                CASE WHEN u_m1 < 0.005 THEN {_pick_uniform("uu", UNKNOWN_EVENT_TYPES)}
                     WHEN u_m1 < 0.013 THEN {type_variant}
                     ELSE type_clean END::VARCHAR AS event_type,
                CASE WHEN u_fmt < 0.001 THEN junk_ts(u_fmt / 0.001)
                     WHEN u_fmt < 0.002  -- future-dated: 1 to 30 days after the end date
                     THEN fmt_ts({end_ts} - 86399
                                 + (1 + floor((u_fmt - 0.001) / 0.001 * 30))::BIGINT * 86400 + tod(u_tod),
                                 0.5, 0.0)
                     ELSE fmt_ts(t, u_fmt, u_off) END::VARCHAR AS occurred_at,
                CASE WHEN path IS NULL THEN NULL
                     ELSE (CASE WHEN u_host < 0.15 THEN 'https://www.{SITE}' WHEN u_host < 0.17 THEN 'http://{SITE}'
                                ELSE '' END)
                       || (CASE WHEN u_deco < 0.12
                                THEN path || (CASE WHEN contains(path, '?') THEN '&' ELSE '?' END)
                                     || {_pick_uniform("u_query", QUERY_STRINGS)}
                                WHEN u_deco < 0.14 AND path <> '/' AND NOT contains(path, '?')
                                THEN path || '/'
                                WHEN u_deco < 0.15 AND path <> '/' THEN '/' || upper(path[2]) || path[3:]
                                ELSE path END)
                END::VARCHAR AS page_url,
                CASE WHEN dur IS NULL THEN NULL
                     WHEN type_clean = 'page_view' AND u_m3 < 0.03 THEN NULL
                     WHEN u_m3 >= 0.03 AND u_m3 < 0.033 THEN '-' || dur::VARCHAR
                     WHEN u_m3 >= 0.033 AND u_m3 < 0.0345 THEN {junk_dur}
                     ELSE dur::VARCHAR END::VARCHAR AS duration_seconds
                , lead_num, k
            FROM e8
            ), touches AS (
                {self._touches_sql()}
            )
            SELECT event_id, lead_id, event_type, occurred_at, page_url, duration_seconds
            FROM (SELECT * FROM events_out UNION ALL SELECT * FROM touches)
            ORDER BY lead_num, k
        """

    def _touches_sql(self) -> str:
        """The sales touches of the chunk's leads (after their own events in the file's order).

        Speed to lead: the first touch comes a lognormal delay after the middle of the lead's
        burst of intent (median FIRST_TOUCH_MEDIAN_HOURS_CONVERTERS hours for the leads that will
        convert, before their opportunity; FIRST_TOUCH_MEDIAN_HOURS_OTHERS for the others), later
        touches 1-3 days apart; none after the end of the period.
        """
        key = "(lead_num * 4 + i)"
        end_ts = self.end_ts
        return f"""
            WITH t0 AS (
                SELECT *,
                    greatest(c + 3600, b - lb // 2) AS anchor,
                    exp(ln(CASE WHEN converter THEN {_num(FIRST_TOUCH_MEDIAN_HOURS_CONVERTERS)}
                                ELSE {_num(FIRST_TOUCH_MEDIAN_HOURS_OTHERS)} END)
                        + 1.2 * nrm(lead_num, 122)) * 3600 AS first_delay_s
                FROM touch_skel
            ), t1 AS (
                SELECT *,
                    anchor + floor(CASE WHEN converter
                                        THEN least(first_delay_s, greatest(opp_ts - anchor - 3600, 60))
                                        ELSE first_delay_s END)::BIGINT
                        + floor(i * 86400 * (1 + 2 * rnd({key}, 123)))::BIGINT AS t
                FROM t0
            )
            SELECT
                'tch_' || lpad(({key} + 1)::VARCHAR, {self.event_digits}, '0') AS event_id,
                lead_id::VARCHAR AS lead_id,
                CASE WHEN i > 0 AND i = n_touch - 1
                          AND rnd(lead_num, 124) < CASE WHEN converter THEN 0.6 ELSE 0.15 END
                     THEN 'meeting_booked'
                     WHEN rnd({key}, 125) < 0.5 THEN 'sales_email' ELSE 'sales_call' END::VARCHAR
                    AS event_type,
                fmt_ts(t, rnd({key}, 126), rnd({key}, 127))::VARCHAR AS occurred_at,
                NULL::VARCHAR AS page_url,
                NULL::VARCHAR AS duration_seconds,
                lead_num,
                n_ev + n_dup + i AS k
            FROM t1
            WHERE t <= {end_ts}
        """


# ---------------------------------------------------------------------------------------------------
# Writing


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path, fmt: str, header: bool = True) -> int:
    if fmt == "parquet":
        options = "FORMAT parquet, COMPRESSION zstd"
    else:
        options = f"FORMAT csv, HEADER {'true' if header else 'false'}, DELIMITER ','"
    target = str(path).replace("'", "''")
    (count,) = con.execute(f"COPY ({query}) TO '{target}' ({options})").fetchone()
    return int(count)


def _concat(parts: Sequence[Path], target: Path) -> None:
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, length=16 * 1024 * 1024)
            part.unlink()


def _write_all(
    con: duckdb.DuckDBPyConnection, gen: _Gen, folder: Path, fmt: str, spill: Path
) -> dict[str, int]:
    counts: dict[str, int] = {}
    gen.setup()
    gen.build_leads()

    def target(name: str) -> Path:
        if fmt == "parquet":
            (folder / name).mkdir()
            return folder / name / "part-0.parquet"
        return folder / f"{name}.csv"

    counts["leads"] = _copy(con, gen.leads_sql(), target("leads"), fmt)
    counts["opportunities"] = _copy(con, gen.opportunities_sql(), target("opportunities"), fmt)

    chunks = gen.event_chunks() or [(0, -1)]  # no events at all: still write the header/schema
    total = 0
    if fmt == "parquet":
        (folder / "events").mkdir()
        for i, (lo, hi) in enumerate(chunks):
            gen.prepare_events(lo, hi)
            total += _copy(con, gen.events_sql(), folder / "events" / f"part-{i:05d}.parquet", fmt)
    elif len(chunks) == 1:
        gen.prepare_events(*chunks[0])
        total += _copy(con, gen.events_sql(), folder / "events.csv", fmt)
    else:
        parts = []
        for i, (lo, hi) in enumerate(chunks):
            part = spill / f"events-{i:05d}.csv"
            gen.prepare_events(lo, hi)
            total += _copy(con, gen.events_sql(), part, fmt, header=(i == 0))
            parts.append(part)
        _concat(parts, folder / "events.csv")
    counts["events"] = total
    return counts


def _remove_stale_temp_folders(out_dir: Path) -> None:
    """Remove temp folders left next to out_dir by killed runs (whose process no longer exists)."""
    prefix = f".{out_dir.name}.tmp-"
    for path in out_dir.parent.glob(f"{glob.escape(prefix)}*"):
        pid = path.name[len(prefix) :].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # alive, or not ours to probe
            continue


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace out_dir by tmp (two renames on the same file system)."""
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    if not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} exists and is not a folder")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in _OWNED_ENTRIES)
    if foreign:
        raise FileExistsError(
            f"{out_dir} holds files this generator did not write ({', '.join(foreign[:5])}); "
            "refusing to replace it. Choose another --out or remove the folder."
        )
    old = tmp.with_name(tmp.name + ".old")
    os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def generate(
    out_dir: Path | str,
    leads: int,
    days: int,
    seed: int = DEFAULT_SEED,
    end_date: dt.date | None = None,
    fmt: str = "csv",
    events_per_lead: float = DEFAULT_EVENTS_PER_LEAD,
    threads: int | None = None,
) -> dict[str, int]:
    """Write leads, events and opportunities into `out_dir`; return the row count of each.

    `fmt` is "csv" (leads.csv, events.csv, opportunities.csv) or "parquet" (leads/, events/,
    opportunities/ folders of .parquet files, all columns VARCHAR). `end_date` defaults to today in
    UTC; all regular timestamps fall in the `days` days ending at `end_date`.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if leads < 1 or days < 1:
        raise ValueError("leads and days must be at least 1")
    if events_per_lead < 0:
        raise ValueError("events_per_lead must not be negative")
    if not -(2**63) <= seed < 2**63:
        raise ValueError("seed must fit in a signed 64-bit integer")
    end_date = end_date or dt.datetime.now(dt.UTC).date()
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_folders(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-{os.getpid()}-", dir=out_dir.parent))
    spill = tmp / ".spill"
    try:
        spill.mkdir()
        con = duckdb.connect(":memory:")
        try:
            con.execute("SET preserve_insertion_order = true")
            con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            gen = _Gen(con, leads, days, seed, end_date, float(events_per_lead))
            counts = _write_all(con, gen, tmp, fmt, spill)
        finally:
            con.close()
        shutil.rmtree(spill)
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return counts


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lead_scoring.generate",
        description="Write deterministic, realistically messy sample raw data "
        "(leads, events, opportunities).",
    )
    parser.add_argument("--leads", type=int, required=True, help="number of distinct leads")
    parser.add_argument("--days", type=int, required=True, help="length of the period, in days")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced atomically)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument(
        "--end-date", type=_date, default=None, help="last day of the period (default: today, UTC)"
    )
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)"
    )
    parser.add_argument(
        "--events-per-lead",
        type=float,
        default=DEFAULT_EVENTS_PER_LEAD,
        help="average number of events per lead, before re-delivered duplicates (default %(default)s)",
    )
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    args = parser.parse_args(argv)
    if args.leads < 1 or args.days < 1:
        parser.error("--leads and --days must be at least 1")
    started = time.perf_counter()
    counts = generate(
        args.out,
        leads=args.leads,
        days=args.days,
        seed=args.seed,
        end_date=args.end_date,
        fmt=args.format,
        events_per_lead=args.events_per_lead,
        threads=args.threads,
    )
    seconds = time.perf_counter() - started
    for name in ("leads", "events", "opportunities"):
        print(f"{name:<14} {counts[name]:>12,} rows")
    print(f"wrote {args.format} files to {args.out} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
