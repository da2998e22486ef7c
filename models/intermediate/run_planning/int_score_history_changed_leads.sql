{{ config(materialized='table') }}
-- Reads two tables an earlier run left, through macros rather than ref(): both are built
-- downstream of this model, so a ref would be a cycle (the YAML lists them in
-- meta.reads_previous_run_of): fct_lead_score_history, for the days the history already has
-- (score_history_bounds), and int_score_history_inputs, for the inputs the history was scored
-- from (previous_run_relation).
{%- set history = score_history_bounds() %}
{%- set kept_through = history_kept_through(history) %}
{%- set stored = previous_run_relation('int_score_history_inputs') %}
{%- set configuration = ref('int_scoring_configuration') %}
{#- why the whole history is scored again, if it is: read from the kept fingerprints -#}
{%- set rebuild = {'reason': none} %}
{%- if execute and history.last is not none %}
    {%- set row = none if stored is none else run_query(
        'select count(*), cast(max(case when is_rolled_up then input_date end) as ' ~ dbt.type_string()
        ~ '), case when max(configuration_hash) = (select max(configuration_hash) from '
        ~ configuration ~ ') then 1 else 0 end from ' ~ stored
    ).rows[0] %}
    {%- if row is none or row[0] | int == 0 %}
        {%- do rebuild.update({'reason': 'the inputs the history was scored from are not recorded (int_score_history_inputs)'}) %}
    {%- elif row[2] | int == 0 %}
        {%- do rebuild.update({'reason': 'the scoring configuration changed (a scoring seed or var: int_scoring_configuration)'}) %}
    {%- elif row[1] is not none and row[1][:10] > kept_through %}
        {%- do rebuild.update({'reason': 'the kept fingerprints start after the days kept (history_recompute_days grew)'}) %}
    {%- endif %}
{%- endif %}
-- The leads whose score history this run scores again on the days it keeps (the days up to
-- history_kept_through; the later ones are scored again for every lead anyway): those whose inputs
-- dated up to then (int_lead_score_inputs) differ from the ones the history was scored from (the
-- previous run's int_score_history_inputs), a lead that left the inputs or arrived with a past
-- included; has_left_lead_input marks a lead of the lead input last run that is not in it now
-- (fct_lead_deletions). One row per lead, with the reason; or a single row without a lead when the whole
-- history is scored again (the scoring configuration changed, or the kept fingerprints cannot
-- tell). Empty on a first build or a full refresh, which score the whole window anyway.
-- A lead that left is told apart by how it left (crm_disposition): merged into another record or
-- deleted in the CRM (a connector's dispositions, base_inputs__leads: read before the lead rows are
-- cleaned, so no seed reaches this model that way), else dropped from the
-- input while its CRM record stays, the one kind whose CRM score fct_crm_sync_changes clears.
-- Departures are listed on a rebuild too, beside the row without a lead.
-- depends_on: {{ ref('int_lead_score_inputs') }}
-- depends_on: {{ ref('base_inputs__leads') }}
{%- set sees_departures = stored is not none %}
{%- set compares_inputs = sees_departures and rebuild.reason is none and history.last is not none %}
with

-- the row without a lead that says the whole history is scored again, and why
rebuild_rows as (

    select
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast('{{ rebuild.reason }}' as {{ dbt.type_string() }}) as change_reason,
        false as has_left_lead_input,
        cast(null as {{ dbt.type_string() }}) as crm_disposition
    where {{ '1 = 1' if rebuild.reason else '1 = 0' }}

),
{%- if sees_departures %}

current_inputs as (

    select * from {{ ref('int_lead_score_inputs') }}

),

stored_inputs as (

    select * from {{ stored }}

),

input_leads as (

    select * from {{ ref('base_inputs__leads') }}

),
{%- if compares_inputs %}

current_by_lead as (

    select
        lead_id,
        sum(input_fingerprint) as input_fingerprint
    from current_inputs
    where input_date <= cast('{{ kept_through }}' as date)
    group by lead_id

),

stored_by_lead as (

    select
        lead_id,
        sum(input_fingerprint) as input_fingerprint
    from stored_inputs
    where input_date <= cast('{{ kept_through }}' as date)
    group by lead_id

),

changed_inputs as (

    select
        coalesce(current_by_lead.lead_id, stored_by_lead.lead_id) as lead_id,
        case
            when current_by_lead.lead_id is null then 'inputs of days already scored were taken away'
            when stored_by_lead.lead_id is null then 'inputs arrived for days already scored'
            else 'inputs of days already scored changed'
        end as change_reason
    from current_by_lead
    full outer join stored_by_lead
        on current_by_lead.lead_id = stored_by_lead.lead_id
    where current_by_lead.lead_id is null
        or stored_by_lead.lead_id is null
        or current_by_lead.input_fingerprint <> stored_by_lead.input_fingerprint

),
{%- endif %}

-- a lead of the lead input last run that is not in it now, whatever the dates of its inputs
left_leads as (

    select distinct stored_inputs.lead_id
    from stored_inputs
    where stored_inputs.has_lead_record
        and not exists (
            select 1 as is_in_input from current_inputs
            where current_inputs.lead_id = stored_inputs.lead_id
                and current_inputs.has_lead_record
        )

),

-- the records a connector marked merged or deleted, by their own id (a person's id is the id of
-- its first record): a merge wins over a deletion of another version of the record
crm_dispositions as (

    select
        input_record_id as lead_id,
        case
            when max(case when input_disposition = 'merged' then 1 else 0 end) = 1 then 'merged'
            else 'deleted'
        end as crm_disposition,
        coalesce(
            min(case when input_disposition = 'merged' then input_disposition_reason end),
            min(input_disposition_reason)
        ) as disposition_reason
    from input_leads
    where input_disposition in ('merged', 'deleted')
    group by input_record_id

),

departures as (

    select
        left_leads.lead_id,
        case
            when crm_dispositions.lead_id is null then 'the lead left the lead input'
            else 'the lead left the lead input: ' || crm_dispositions.disposition_reason
        end as change_reason,
        true as has_left_lead_input,
        crm_dispositions.crm_disposition
    from left_leads
    left join crm_dispositions
        on left_leads.lead_id = crm_dispositions.lead_id

),

{%- if compares_inputs %}

lead_changes as (

    select
        coalesce(departures.lead_id, changed_inputs.lead_id) as lead_id,
        coalesce(departures.change_reason, changed_inputs.change_reason) as change_reason,
        coalesce(departures.has_left_lead_input, false) as has_left_lead_input,
        departures.crm_disposition
    from changed_inputs
    full outer join departures
        on changed_inputs.lead_id = departures.lead_id

),
{%- else %}

lead_changes as (

    select * from departures

),
{%- endif %}
{%- else %}

lead_changes as (

    select * from rebuild_rows
    where 1 = 0

),
{%- endif %}

final as (

    select * from rebuild_rows

    union all

    select * from lead_changes

)

select * from final
