-- Every input opportunity row with its verdict (staged, superseded, rejected): what the raw-row
-- reconciliation and the run summary count. The rows are parsed, checked and ranked in
-- base_crm__opportunity_versions.
with

opportunity_versions as (

    select * from {{ ref('base_crm__opportunity_versions') }}

)

select * from opportunity_versions
