-- Every input lead row with its verdict (staged, superseded, rejected, merged, deleted): the leads'
-- version history that intermediate dates (int_lead_versions_enriched) and the raw-row
-- reconciliation counts. The rows are parsed, checked and ranked in base_crm__lead_versions.
with

lead_versions as (

    select * from {{ ref('base_crm__lead_versions') }}

)

select * from lead_versions
