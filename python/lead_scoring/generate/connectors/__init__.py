"""The files truth written again in the shapes of connectors: Salesforce, HubSpot, Segment.

``lead-scoring generate ... --shape salesforce|hubspot|segment --duckdb PATH`` writes the
files truth into --out as always (the reference), then converts it, with DuckDB SQL, into the tables
a Fivetran or Segment destination would write (``tables``) in the DuckDB file PATH: schemas
salesforce / hubspot / segment, and lead_scoring_truth with the person id each truth lead is scored
under. Every score computed from a shape must equal the one computed from the files: the shapes
plant the connectors' quirks (history-mode versions, conversions, merges, deleted records,
anonymous visits, email-keyed events, campaign members) so that each of them changes no score.

By concern (open the file of what you want to change):

- ``shapes``: the shapes and the dbt vars that read each (``shape_vars``);
- ``tables``: every connector table and column written, with its type;
- ``truth``: the files read back and parsed as staging parses them;
- ``people``: the persons and the quirks chosen for them (contact-only, merged, email-only, deleted);
- ``salesforce``, ``hubspot``, ``segment``: the tables of each connector;
- ``writer``: the conversion, and its schemas written into the DuckDB file in one transaction.
"""

from __future__ import annotations

from lead_scoring.generate.connectors.shapes import SHAPES, shape_vars
from lead_scoring.generate.connectors.tables import SCHEMAS, TRUTH_SCHEMA
from lead_scoring.generate.connectors.writer import write_connector_shape

__all__ = ["SCHEMAS", "SHAPES", "TRUTH_SCHEMA", "shape_vars", "write_connector_shape"]
