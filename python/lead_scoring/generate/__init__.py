"""Deterministic generator of messy sample raw data (leads, events, opportunities).

Usage::

    lead-scoring generate --leads 20000 --days 365 --out data/raw [--seed 42]
        [--end-date YYYY-MM-DD] [--format csv|parquet] [--events-per-lead 35]
        [--product-led-share 0.3] [--shape files|salesforce|hubspot|segment --duckdb PATH]
        [--threads N] [--quiet]
    lead-scoring generate --shape export [--leads 9000] [--days 480] [--snapshot] --out data/export

(``lead-scoring generate`` takes the same arguments.) ``--shape export`` is the other
sample, a lead export with one activity snapshot per lead (``snapshot_sample``).

``--shape`` other than ``files`` (the default) also writes the same truth as a connector's tables
into the DuckDB file ``--duckdb`` (``connectors``: Salesforce, HubSpot, Segment), and prints the
dbt vars that read them; the files in ``--out`` stay the reference every shape must score alike.

Everything is computed in DuckDB SQL. Randomness is never drawn from a stateful generator: every
random number is ``hash(key..., salt, seed)`` mapped to [0, 1), where the key is a lead number, an
event number, ... So the output depends only on the arguments (and the DuckDB version), not on
thread scheduling, and every output is written with an ``order by`` on unique keys: the same
arguments give byte-identical files.

The package, by entity (open the file of what you want to change):

- ``vocabulary``: reference lists and weights (titles, industries, countries, names, pages, mess
  shares, product features) and constants;
- ``sql``: helpers that build SQL text (literals, weighted random picks);
- ``context``: one run's settings and connection, and the SQL macros and reference tables;
- ``leads``: companies, leads (clean and messy) and the hidden truth behind their behaviour;
- ``opportunities``: the outcome, after a lead's burst of intent;
- ``events``: marketing events and sales touches, chunk by chunk of leads;
- ``product``: product usage of the product-led segment (trials, logins, features, invites);
- ``writer``: the files (CSV or Parquet), written into a temporary folder renamed into place;
- ``connectors``: the files converted into connector tables (a package of its own);
- ``snapshot_sample``: the other sample, a lead export with one activity snapshot per lead;
- ``cli``: the command line.

The data has a hidden truth: each lead has a latent *fit* (seniority, target industry, company size,
business e-mail) and a latent *intent* (correlated with fit). Intent drives the number and kind of
events and a burst of high-intent activity; opportunities are created after that burst, with a
probability that rises steeply (logistically) with fit and intent. On top of that the raw data is
messy on purpose (spelling variants, junk values, duplicates, orphans, bad timestamps), see
``vocabulary.MESS`` for the classes and their approximate shares. Sales follows up most leads with a
burst (``sales_call``, ``sales_email``, ``meeting_booked`` events, ids ``tch_...``), sooner for the
leads that convert (speed to lead); the touches are added after each lead's own events and leave
every other row as it was. A share of the leads is product-led (``--product-led-share``): they
start a trial and use the product, far more when they will convert (``product``, ids ``prd_...``).
"""

from __future__ import annotations

from lead_scoring.common.contract import raw_contract
from lead_scoring.generate.cli import main
from lead_scoring.generate.vocabulary import (
    DEFAULT_EVENTS_PER_LEAD,
    DEFAULT_PRODUCT_LED_SHARE,
    DEFAULT_SEED,
    EVENT_TYPES,
    MESS,
    STAGES,
)
from lead_scoring.generate.writer import generate

# The columns of each raw file, in order: the contract in the staging sources YAML.
COLUMNS = raw_contract()

__all__ = [
    "COLUMNS",
    "DEFAULT_EVENTS_PER_LEAD",
    "DEFAULT_PRODUCT_LED_SHARE",
    "DEFAULT_SEED",
    "EVENT_TYPES",
    "MESS",
    "STAGES",
    "generate",
    "main",
]
