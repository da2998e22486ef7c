"""The shapes the generator writes, and the dbt vars that make the project read each one."""

from __future__ import annotations

from typing import Any

SHAPES = ("files", "salesforce", "hubspot", "segment")

# Where each entity of a shape is read from (var lead_scoring_inputs; README "Bring your own data").
_INPUTS: dict[str, dict[str, Any]] = {
    "files": {"leads": "files", "events": ["files"], "opportunities": "files"},
    "salesforce": {"leads": "salesforce", "events": ["salesforce", "segment"], "opportunities": "salesforce"},
    "hubspot": {"leads": "hubspot", "events": ["hubspot", "segment"], "opportunities": "hubspot"},
    "segment": {"leads": "files", "events": ["segment"], "opportunities": "files"},
}


def shape_vars(shape: str) -> dict[str, Any]:
    """The dbt vars that read `shape`: ``{"lead_scoring_inputs": {...}}``.

    The connector schemas keep their default names (var <connector>_schema), so only the inputs
    differ; the leads and opportunities of the files and segment shapes are the files of
    raw_data_path (the generator's --out).
    """
    if shape not in _INPUTS:
        raise ValueError(f"unknown shape {shape!r}; choose one of: {', '.join(SHAPES)}")
    inputs = _INPUTS[shape]
    return {
        "lead_scoring_inputs": {
            "leads": inputs["leads"],
            "events": list(inputs["events"]),
            "opportunities": inputs["opportunities"],
        }
    }
