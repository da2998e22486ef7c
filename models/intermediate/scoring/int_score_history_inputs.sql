{%- set live = score_as_of_iso() %}
{%- set rolled_through = shift_iso_date(live, -(var('history_recompute_days') | int)) %}
{{ config(
    materialized='incremental',
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'append'),
    on_schema_change='fail',
    pre_hook="{{ '' if target.type == 'spark' or not is_incremental() else 'delete from ' ~ this }}",
) }}
-- depends_on: {{ ref('int_leads_scored_by_date') }}
-- The fingerprints of every lead's inputs (int_lead_score_inputs) the score history is scored from
-- in this run, kept for the next run's int_score_history_changed_leads: one row per lead and day
-- after the last day the next daily run keeps (history_recompute_days before this run's live
-- date), and one row per lead rolling up the days up to it; with whether the lead was in the lead
-- input and the scoring configuration's hash.
-- Replaced whole every run, after the scores it describes are computed (int_leads_scored_by_date).
with

lead_inputs as (

    select * from {{ ref('int_lead_score_inputs') }}

),

scoring_configuration as (

    select * from {{ ref('int_scoring_configuration') }}

),

rolled as (

    select
        lead_id,
        case
            when input_date <= cast('{{ rolled_through }}' as date) then cast('{{ rolled_through }}' as date)
            else input_date
        end as input_date,
        input_date <= cast('{{ rolled_through }}' as date) as is_rolled_up,
        input_fingerprint,
        has_lead_record
    from lead_inputs

),

final as (

    select
        rolled.lead_id,
        rolled.input_date,
        rolled.is_rolled_up,
        sum(rolled.input_fingerprint) as input_fingerprint,
        rolled.has_lead_record,
        scoring_configuration.configuration_hash,
        cast('{{ live }}' as date) as scored_as_of_date
    from rolled
    cross join scoring_configuration
    group by
        rolled.lead_id,
        rolled.input_date,
        rolled.is_rolled_up,
        rolled.has_lead_record,
        scoring_configuration.configuration_hash

)

select * from final
