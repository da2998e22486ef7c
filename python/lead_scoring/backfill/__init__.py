"""The history backfill (``lead-scoring backfill``, ``make backfill``): the score history extended to
the last N days in as many dbt builds as it takes; everything is in ``cli``."""

from lead_scoring.backfill.cli import main

__all__ = ["main"]
