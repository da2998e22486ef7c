{{ config(materialized='table') }}
-- One row per backtest cutoff with a fingerprint of everything its scores are computed from: the
-- signal and engagement days up to its as-of date, the lead versions known then (a version's end
-- counts only when it came before the as-of date) and the accounts they are linked to, the
-- opportunities opened by then (with their outcome when it was known by then), and the scoring
-- configuration (int_scoring_configuration: every seed and var the scores read). A cutoff whose
-- fingerprint is the one it was scored with (int_backtest_scored_cutoffs) is not scored again:
-- int_scoring_dates leaves it out, and its rows stay in the persisted backtest tables.
with

cutoffs as (

    select * from {{ ref('int_backtest_cutoffs') }}

),

scoring_configuration as (

    select * from {{ ref('int_scoring_configuration') }}

),

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

),

engagement_days as (

    select * from {{ ref('int_lead_engagement_days') }}

),

lead_versions as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

lead_accounts as (

    select * from {{ ref('int_lead_accounts') }}

),

-- units are rounded to 6 decimals before hashing: a sum of minutes in a double can differ in its
-- last bit between a full build and a per-lead recompute (the engine sums in parallel), which would
-- score every cutoff again for nothing
signal_days_by_date as (

    select
        activity_date,
        {{ fingerprint_sum([
            'scoring_model', 'component', 'signal_id', 'lead_id', 'activity_date', 'event_count',
            'cast(units as decimal(38, 6))', 'last_occurred_at',
        ]) }} as fingerprint
    from signal_days
    group by activity_date

),

engagement_days_by_date as (

    select
        activity_date,
        {{ fingerprint_sum(['lead_id', 'activity_date', 'engagement_event_count']) }} as fingerprint
    from engagement_days
    group by activity_date

),

event_inputs as (

    select
        cutoffs.as_of_date,
        sum(signal_days_by_date.fingerprint) as signal_days_fingerprint
    from cutoffs
    inner join signal_days_by_date
        on signal_days_by_date.activity_date <= cutoffs.as_of_date
    group by cutoffs.as_of_date

),

engagement_inputs as (

    select
        cutoffs.as_of_date,
        sum(engagement_days_by_date.fingerprint) as engagement_days_fingerprint
    from cutoffs
    inner join engagement_days_by_date
        on engagement_days_by_date.activity_date <= cutoffs.as_of_date
    group by cutoffs.as_of_date

),

{%- set version_columns = [] %}
{%- for column in (adapter.get_columns_in_relation(ref('int_lead_versions_enriched')) if execute else []) %}
    {%- if column.name != 'valid_to_date' %}{% do version_columns.append('lead_versions.' ~ column.name) %}{% endif %}
{%- endfor %}

-- a version's end date counts only when it is on or before the as-of date: a version written after
-- the cutoff changes nothing at it
version_inputs as (

    select
        cutoffs.as_of_date,
        {{ fingerprint_sum(version_columns + [
            'case when lead_versions.valid_to_date <= cutoffs.as_of_date then lead_versions.valid_to_date end'
        ]) }} as lead_versions_fingerprint
    from cutoffs
    inner join lead_versions
        on lead_versions.valid_from_date <= cutoffs.as_of_date
    group by cutoffs.as_of_date

),

-- the account each lead version known by then is linked to: the linking reads every version (a
-- domain account that appears later can take in an older version by its company name), and the
-- customer exclusion and the account scores follow the links
account_link_inputs as (

    select
        cutoffs.as_of_date,
        {{ fingerprint_sum(['lead_accounts.lead_id', 'lead_accounts.valid_from_date', 'lead_accounts.account_id']) }}
            as account_links_fingerprint
    from cutoffs
    inner join lead_accounts
        on lead_accounts.valid_from_date <= cutoffs.as_of_date
    group by cutoffs.as_of_date

),

opportunity_inputs as (

    select
        cutoffs.as_of_date,
        {{ fingerprint_sum([
            'opportunities.opportunity_id',
            'opportunities.lead_id',
            'opportunities.created_at',
            'case when cast(opportunities.closed_at as date) <= cutoffs.as_of_date then opportunities.is_won end',
            'case when cast(opportunities.closed_at as date) <= cutoffs.as_of_date then opportunities.closed_at end',
        ]) }} as opportunities_fingerprint
    from cutoffs
    inner join opportunities
        on cast(opportunities.created_at as date) <= cutoffs.as_of_date
    group by cutoffs.as_of_date

),

final as (

    select
        cutoffs.cutoff_date,
        cutoffs.as_of_date,
        {{ dbt.concat([
            "coalesce(cast(event_inputs.signal_days_fingerprint as " ~ dbt.type_string() ~ "), '-')",
            "'|'",
            "coalesce(cast(engagement_inputs.engagement_days_fingerprint as " ~ dbt.type_string() ~ "), '-')",
            "'|'",
            "coalesce(cast(version_inputs.lead_versions_fingerprint as " ~ dbt.type_string() ~ "), '-')",
            "'|'",
            "coalesce(cast(opportunity_inputs.opportunities_fingerprint as " ~ dbt.type_string() ~ "), '-')",
            "'|'",
            "coalesce(cast(account_link_inputs.account_links_fingerprint as " ~ dbt.type_string() ~ "), '-')",
            "'|'",
            'scoring_configuration.configuration_fingerprint',
        ]) }} as inputs_fingerprint
    from cutoffs
    cross join scoring_configuration
    left join event_inputs
        on cutoffs.as_of_date = event_inputs.as_of_date
    left join engagement_inputs
        on cutoffs.as_of_date = engagement_inputs.as_of_date
    left join version_inputs
        on cutoffs.as_of_date = version_inputs.as_of_date
    left join opportunity_inputs
        on cutoffs.as_of_date = opportunity_inputs.as_of_date
    left join account_link_inputs
        on cutoffs.as_of_date = account_link_inputs.as_of_date

)

select * from final
