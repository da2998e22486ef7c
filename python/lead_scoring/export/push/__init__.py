"""Push scores into the CRMs' own records through their APIs (``lead-scoring export --push
hubspot|salesforce``), from the sync tables (marts.fct_crm_sync_records) of any warehouse dbt builds
here, with a journal (marts.fct_crm_push_log) that makes each change reach the CRM once.

Modules: ``cli`` (the options, the dry run, the summary), ``warehouse`` (DuckDB, PostgreSQL or Spark,
read from profiles.yml as dbt reads it), ``objects`` (the sync objects and their field mappings),
``journal`` (what is pending, in flight, and the journal's rows), ``push`` (the batches, the
read-back that keeps a resend from applying a change twice), ``client`` (answers, errors, back-off,
secrets), ``hubspot`` and ``salesforce`` (the CRMs through hubspot-api-client and simple-salesforce),
``payloads`` (values as each CRM takes them), ``progress`` (the bar and the summary).
"""
