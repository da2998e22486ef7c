{%- set writes_row = kept_models_selected('base_crm__lead_inputs', 'int_lead_models_computed') %}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_kept_model_rows(ref('base_crm__lead_inputs')) if kept_models_selected('base_crm__lead_inputs', 'int_lead_models_computed') else '' }}",
) }}
-- depends_on: {{ ref('base_crm__lead_versions') }}
-- depends_on: {{ ref('int_lead_versions_enriched') }}
-- depends_on: {{ ref('int_lead_accounts') }}
-- depends_on: {{ ref('int_leads_enriched') }}
-- One row: the inputs fingerprint (base_crm__lead_inputs) the lead models were last computed
-- from, which the next run's base_crm__lead_inputs compares with its own. Written after them
-- (hence the depends_on above, one per model that reads base_crm__lead_inputs), and only by a run
-- that built base_crm__lead_inputs and all of them (kept_models_selected). A lead model computed
-- again deletes the row first (delete_kept_model_rows): after a run that built some of them or
-- stopped halfway, the next run computes every lead model again.
{{ recorded_kept_inputs(ref('base_crm__lead_inputs'), writes_row) }}
