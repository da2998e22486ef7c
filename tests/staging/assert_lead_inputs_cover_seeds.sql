-- Fails when a seed the lead models (base_crm__lead_versions and the models after it that read
-- base_crm__lead_inputs) read is not fingerprinted by base_crm__lead_inputs: a change in it would
-- leave them computed with the old values. A seed reaches them either through the input lead rows,
-- whose every column base_crm__lead_inputs fingerprints (base_inputs__leads: a connector's mapping
-- seeds show in its rows), or directly; each of the second kind must be a direct dependency of
-- base_crm__lead_inputs. The volume guard (audit_raw_source_volumes) only orders the build. One row
-- per missing seed.
{{ config(group='lead_scoring') }}
-- depends_on: {{ ref('base_crm__lead_inputs') }}
{%- set missing = seeds_not_covered(
    'int_lead_models_computed',
    ['base_inputs__leads', 'audit_raw_source_volumes'],
    ['base_crm__lead_inputs'],
) %}
{{ missing_seed_rows(missing, 'list it in lead_seeds of base_crm__lead_inputs') }}
