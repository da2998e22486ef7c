{{ config(materialized='table') }}
-- Materialized as a table: every component and the scores join to it.
-- Who is scored at each as-of date and with which attributes: a lead counts from the day it was
-- created, with the version of its attributes valid at the end of that date and its last
-- engagement by then. A lead that is a customer by the end of the date (int_lead_customer_dates)
-- is left out for the scoring models whose customer_handling is `exclude`. A day listed to repair
-- the history (int_scoring_dates.is_history_repair, and its context day) is a history day only of
-- the leads whose inputs changed (int_score_history_changed_leads), and scores no other lead
-- unless another role lists it.
with

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

engagement_states as (

    select * from {{ ref('int_lead_engagement_states') }}

),

customer_dates as (

    select * from {{ ref('int_lead_customer_dates') }}

),

changed_leads as (

    select * from {{ ref('int_score_history_changed_leads') }}
    where lead_id is not null

),

-- the attribute version valid at each date: of every lead at a date that scores every lead, of the
-- leads it repairs at a day listed only to repair the history
dated_versions as (

    {{ periods_at_scoring_dates(
        'lead_versions', 'scoring_dates', 'changed_leads', ['lead_id', 'created_date', 'valid_from_date'],
        conditions=['lead_versions.created_date <= scoring_dates.as_of_date'],
    ) }}

),

leads_by_date as (

    select
        scoring_dates.as_of_date,
        scoring_dates.is_live,
        scoring_dates.is_history
        or (scoring_dates.is_history_repair and changed_leads.lead_id is not null) as is_history,
        scoring_dates.is_history_context
        or (scoring_dates.is_history_repair_context and changed_leads.lead_id is not null) as is_history_context,
        scoring_dates.is_comparison,
        scoring_dates.is_backtest,
        scoring_models.scoring_model,
        dated_versions.lead_id,
        dated_versions.created_date,
        dated_versions.valid_from_date as version_valid_from_date,
        coalesce(customer_dates.customer_since_date <= scoring_dates.as_of_date, false) as is_customer,
        scoring_models.customer_handling
    from dated_versions
    inner join scoring_dates
        on dated_versions.as_of_date = scoring_dates.as_of_date
    cross join scoring_models
    left join customer_dates
        on dated_versions.lead_id = customer_dates.lead_id
        and dated_versions.valid_from_date = customer_dates.valid_from_date
    left join changed_leads
        on dated_versions.lead_id = changed_leads.lead_id

),

-- the engagement state period that holds each as-of date (of the repaired leads alone at a day
-- listed only to repair the history)
engagement_by_date as (

    {{ periods_at_scoring_dates(
        'engagement_states', 'scoring_dates', 'changed_leads', ['lead_id', 'last_engagement_date'],
    ) }}

),

final as (

    select
        leads_by_date.*,
        engagement_by_date.last_engagement_date,
        {{ dbt.datediff(
            'coalesce(engagement_by_date.last_engagement_date, leads_by_date.created_date)',
            'leads_by_date.as_of_date',
            'day'
        ) }} as days_since_last_engagement
    from leads_by_date
    left join engagement_by_date
        on leads_by_date.as_of_date = engagement_by_date.as_of_date
        and leads_by_date.lead_id = engagement_by_date.lead_id
    where not (leads_by_date.is_customer and leads_by_date.customer_handling = 'exclude')
        and (
            leads_by_date.is_live
            or leads_by_date.is_history
            or leads_by_date.is_history_context
            or leads_by_date.is_comparison
            or leads_by_date.is_backtest
        )

)

select * from final
