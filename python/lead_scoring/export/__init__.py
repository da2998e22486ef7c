"""Reverse ETL as files: the CRM change set (marts.fct_crm_sync_changes) written in the import
shapes of HubSpot and Salesforce, and the mark-as-sent step that records a batch in the sync state
(marts.fct_crm_sync_log). Nothing here talks to a network.

Usage::

    lead-scoring export --duckdb warehouse/lead_scoring.duckdb --out exports/crm [--dry-run]
    lead-scoring export --duckdb warehouse/lead_scoring.duckdb --mark-sent exports/crm/<batch_id>

Modules: ``changes`` (what to send: the change set less what the log already holds), ``hubspot``
(contacts batch upsert JSON), ``salesforce`` (Bulk API 2.0 upsert CSV and job settings),
``batch`` (a batch folder and its manifest), ``state`` (mark as sent), ``cli`` (the command line).
``push`` (a subpackage) is ``--push hubspot|salesforce``: the sync tables (marts.fct_crm_sync_records)
written into the CRMs' own records through their APIs, from any warehouse (docs/crm_sync.md).
Exports and marks take the warehouse's writer lock (lead_scoring.atomic.lock), as builds and
backfills do: one at a time, a second one waits or is refused with one line naming the holder.
"""
