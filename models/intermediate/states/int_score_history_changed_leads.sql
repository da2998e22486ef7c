{{ config(materialized='table') }}
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
-- depends_on: {{ ref('int_lead_score_inputs') }}
{%- if rebuild.reason is none and stored is not none and history.last is not none %}
with

current_inputs as (

    select * from {{ ref('int_lead_score_inputs') }}

),

stored_inputs as (

    select * from {{ stored }}

),

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

-- a lead of the lead input last run that is not in it now, whatever the dates of its inputs
left_leads as (

    select distinct stored_inputs.lead_id
    from stored_inputs
    where stored_inputs.has_lead_record
        and not exists (
            select 1 from current_inputs
            where current_inputs.lead_id = stored_inputs.lead_id
                and current_inputs.has_lead_record
        )

),

final as (

    select
        coalesce(left_leads.lead_id, changed_inputs.lead_id) as lead_id,
        case
            when left_leads.lead_id is not null then 'the lead left the lead input'
            else changed_inputs.change_reason
        end as change_reason,
        left_leads.lead_id is not null as has_left_lead_input
    from changed_inputs
    full outer join left_leads
        on changed_inputs.lead_id = left_leads.lead_id

)
{%- else %}
with

final as (

    select
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast('{{ rebuild.reason }}' as {{ dbt.type_string() }}) as change_reason,
        false as has_left_lead_input
    where {{ '1 = 1' if rebuild.reason else '1 = 0' }}

)
{%- endif %}

select * from final
