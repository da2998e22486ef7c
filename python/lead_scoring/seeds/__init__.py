"""Seed files from an earlier version (``lead-scoring seeds check|upgrade``, ``make seeds-check``).

- ``headers``: what each seed file's header must hold, the check and the upgrade
- ``cli``: the command line
"""

from lead_scoring.seeds.cli import main
from lead_scoring.seeds.headers import (
    EXIT_MISSING,
    MissingColumn,
    SeedSpec,
    check,
    expected_seeds,
    report,
    upgrade,
)

__all__ = [
    "EXIT_MISSING",
    "MissingColumn",
    "SeedSpec",
    "check",
    "expected_seeds",
    "main",
    "report",
    "upgrade",
]
