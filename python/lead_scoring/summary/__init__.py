"""The summary of a built warehouse printed at the end of ``make build`` (``lead-scoring summary``);
everything is in ``cli``."""

from lead_scoring.summary.cli import main, render

__all__ = ["main", "render"]
