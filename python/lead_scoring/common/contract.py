"""The raw-data contract, read from where it is written down: the staging sources YAML.

Every raw source table whose ``meta`` has ``raw_file`` is a file the project reads
(``<raw_file>.csv`` or ``<raw_file>/*.parquet``); its ``columns`` are the expected columns, in order.
The generator, the Postgres loader and the tests all use this, so the contract has one home.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
SOURCES_GLOB = "models/staging/*/_*__sources.yml"


@cache
def raw_contract(repo: Path = REPO) -> dict[str, tuple[str, ...]]:
    """Raw file name -> expected column names, in order (e.g. ``{"leads": ("lead_id", ...)}``)."""
    contract: dict[str, tuple[str, ...]] = {}
    for path in sorted(repo.glob(SOURCES_GLOB)):
        text = path.read_text()
        # only the files' sources: a connector's sources YAML (models/staging/<connector>/) has no
        # raw_file and is not parsed here
        if "raw_file" not in text:
            continue
        for source in yaml.safe_load(text).get("sources", []):
            for table in source.get("tables", []):
                raw_file = (table.get("meta") or {}).get("raw_file")
                if raw_file:
                    contract[raw_file] = tuple(column["name"] for column in table.get("columns", []))
    if not contract:
        raise FileNotFoundError(f"no raw sources (tables with meta.raw_file) found in {repo / SOURCES_GLOB}")
    return contract
