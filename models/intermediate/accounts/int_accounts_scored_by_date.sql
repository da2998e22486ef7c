{{ config(materialized='table') }}
-- Materialized as a table: fct_account_scores and the account backtests read it.
-- One row per live or backtest as-of date, scoring model and account with at least one scored
-- contact: the lead scores of that date (int_leads_scored_by_date, never recomputed) aggregated to
-- the account each contact's version valid then is linked to, turned into the account components
-- of the scoring_account_components seed, the account score, its tier and the MQA flag.
with

lead_scores as (

    select * from {{ ref('int_leads_scored_by_date') }}
    where is_live or is_backtest

),

population as (

    select * from {{ ref('int_scoring_population') }}
    where is_live or is_backtest

),

fit_rows as (

    select * from {{ ref('int_leads_fit_scored') }}
    where is_live or is_backtest

),

attribute_rules as (

    select * from {{ ref('int_scoring_attribute_rules') }}

),

lead_accounts as (

    select * from {{ ref('int_lead_accounts') }}

),

lead_roles as (

    select * from {{ ref('int_lead_buying_roles') }}

),

fit_attributes as (

    select * from {{ ref('scoring_account_fit_attributes') }}

),

components as (

    select * from {{ ref('scoring_account_components') }}

),

required_roles as (

    select * from {{ ref('scoring_buying_group_roles') }}

),

bands as (

    select * from {{ ref('scoring_bands') }}

),

-- a scoring model gets account scores when it has rows in scoring_account_components
account_models as (

    select distinct scoring_model from components

),

-- every scored lead of the date with the account and buying role of its version valid then
contacts as (

    select
        lead_scores.as_of_date,
        lead_scores.is_live,
        lead_scores.is_backtest,
        lead_scores.scoring_model,
        lead_scores.lead_id,
        lead_accounts.account_id,
        lead_roles.buying_role,
        lead_scores.behavioral_score,
        lead_scores.last_engagement_date,
        lead_scores.days_since_last_engagement
    from lead_scores
    inner join account_models
        on lead_scores.scoring_model = account_models.scoring_model
    inner join population
        on lead_scores.as_of_date = population.as_of_date
        and lead_scores.scoring_model = population.scoring_model
        and lead_scores.lead_id = population.lead_id
    inner join lead_accounts
        on population.lead_id = lead_accounts.lead_id
        and population.version_valid_from_date = lead_accounts.valid_from_date
    inner join lead_roles
        on population.lead_id = lead_roles.lead_id
        and population.version_valid_from_date = lead_roles.valid_from_date
    where lead_accounts.account_id is not null

),

-- a firmographic fit rule counts once per account when any of its contacts matched it
account_fit_rules as (

    select
        contacts.as_of_date,
        contacts.scoring_model,
        contacts.account_id,
        fit_rows.rule_id,
        max(fit_rows.points) as rule_points
    from contacts
    inner join fit_rows
        on contacts.as_of_date = fit_rows.as_of_date
        and contacts.scoring_model = fit_rows.scoring_model
        and contacts.lead_id = fit_rows.lead_id
    inner join attribute_rules
        on fit_rows.scoring_model = attribute_rules.scoring_model
        and fit_rows.rule_id = attribute_rules.rule_id
        and attribute_rules.component = 'fit'
    inner join fit_attributes
        on attribute_rules.scoring_model = fit_attributes.scoring_model
        and attribute_rules.attribute = fit_attributes.attribute
    group by contacts.as_of_date, contacts.scoring_model, contacts.account_id, fit_rows.rule_id

),

account_fit as (

    select
        as_of_date,
        scoring_model,
        account_id,
        sum(rule_points) as fit_units
    from account_fit_rules
    group by as_of_date, scoring_model, account_id

),

engagement_settings as (

    select * from components
    where component = 'contact_engagement'

),

engaged_settings as (

    select * from components
    where component = 'engaged_contacts'

),

account_contacts as (

    select
        contacts.as_of_date,
        contacts.is_live,
        contacts.is_backtest,
        contacts.scoring_model,
        contacts.account_id,
        count(*) as contacts,
        sum(
            case
                when engagement_settings.per_contact_cap_units is not null
                    and contacts.behavioral_score > engagement_settings.per_contact_cap_units
                    then engagement_settings.per_contact_cap_units
                else contacts.behavioral_score
            end
        ) as engagement_units,
        sum(
            case
                when contacts.last_engagement_date is not null
                    and contacts.days_since_last_engagement < engaged_settings.window_days
                    then 1
                else 0
            end
        ) as engaged_contacts
    from contacts
    left join engagement_settings
        on contacts.scoring_model = engagement_settings.scoring_model
    left join engaged_settings
        on contacts.scoring_model = engaged_settings.scoring_model
    group by contacts.as_of_date, contacts.is_live, contacts.is_backtest, contacts.scoring_model, contacts.account_id

),

account_roles as (

    select distinct
        as_of_date,
        scoring_model,
        account_id,
        buying_role
    from contacts

),

role_coverage as (

    select
        account_contacts.as_of_date,
        account_contacts.scoring_model,
        account_contacts.account_id,
        required_roles.buying_role,
        account_roles.buying_role is not null as is_covered
    from account_contacts
    inner join required_roles
        on account_contacts.scoring_model = required_roles.scoring_model
    left join account_roles
        on account_contacts.as_of_date = account_roles.as_of_date
        and account_contacts.scoring_model = account_roles.scoring_model
        and account_contacts.account_id = account_roles.account_id
        and required_roles.buying_role = account_roles.buying_role

),

coverage as (

    select
        as_of_date,
        scoring_model,
        account_id,
        count(*) as required_roles,
        sum(case when is_covered then 1 else 0 end) as covered_roles,
        {{ ordered_string_agg('case when is_covered then buying_role end', "', '", 'buying_role') }}
            as covered_role_list,
        {{ ordered_string_agg('case when not is_covered then buying_role end', "', '", 'buying_role') }}
            as missing_role_list
    from role_coverage
    group by as_of_date, scoring_model, account_id

),

measured as (

    select
        account_contacts.as_of_date,
        account_contacts.is_live,
        account_contacts.is_backtest,
        account_contacts.scoring_model,
        account_contacts.account_id,
        account_contacts.contacts,
        account_contacts.engaged_contacts,
        coalesce(account_fit.fit_units, 0) as fit_units,
        account_contacts.engagement_units,
        coalesce(coverage.required_roles, 0) as required_roles,
        coalesce(coverage.covered_roles, 0) as covered_roles,
        cast(coverage.covered_roles as {{ type_double() }}) / coverage.required_roles as buying_group_coverage,
        coverage.covered_role_list,
        coverage.missing_role_list
    from account_contacts
    left join account_fit
        on account_contacts.as_of_date = account_fit.as_of_date
        and account_contacts.scoring_model = account_fit.scoring_model
        and account_contacts.account_id = account_fit.account_id
    left join coverage
        on account_contacts.as_of_date = coverage.as_of_date
        and account_contacts.scoring_model = coverage.scoring_model
        and account_contacts.account_id = coverage.account_id

),

-- one row per account and component of the seed: its units, points per unit and cap
component_rows as (

    select
        measured.as_of_date,
        measured.scoring_model,
        measured.account_id,
        components.component,
        components.reason_label,
        components.cap_points,
        components.points_per_unit * case components.component
            when 'firmographic_fit' then measured.fit_units
            when 'contact_engagement' then measured.engagement_units
            when 'engaged_contacts' then measured.engaged_contacts
            when 'buying_group_coverage' then coalesce(measured.buying_group_coverage, 0)
        end as uncapped_points
    from measured
    inner join components
        on measured.scoring_model = components.scoring_model

),

component_points as (

    select
        as_of_date,
        scoring_model,
        account_id,
        component,
        reason_label,
        {{ round_points(
            'case when cap_points is not null and uncapped_points > cap_points then cap_points else uncapped_points end'
        ) }} as points
    from component_rows

),

ranked_reasons as (

    select
        as_of_date,
        scoring_model,
        account_id,
        concat(reason_label, ' (', {{ format_points('points') }}, ')') as reason,
        row_number() over (
            partition by as_of_date, scoring_model, account_id
            order by abs(points) desc, component asc
        ) as reason_rank
    from component_points
    where points <> 0

),

reasons as (

    select
        as_of_date,
        scoring_model,
        account_id,
        {{ ordered_string_agg('reason', "'; '", 'reason_rank') }} as top_reasons
    from ranked_reasons
    where reason_rank <= 3
    group by as_of_date, scoring_model, account_id

),

pivoted as (

    select
        as_of_date,
        scoring_model,
        account_id,
        {%- for component in ['firmographic_fit', 'contact_engagement', 'engaged_contacts', 'buying_group_coverage'] %}
        cast(sum(case when component = '{{ component }}' then points else 0 end) as decimal(18, 2))
            as {{ component }}_score,
        {%- endfor %}
        cast(sum(points) as decimal(18, 2)) as account_score
    from component_points
    group by as_of_date, scoring_model, account_id

),

final as (

    select
        measured.as_of_date,
        measured.is_live,
        measured.is_backtest,
        measured.scoring_model,
        measured.account_id,
        cast(measured.contacts as {{ dbt.type_bigint() }}) as contacts,
        cast(measured.engaged_contacts as {{ dbt.type_bigint() }}) as engaged_contacts,
        cast(measured.fit_units as {{ type_double() }}) as account_fit_points,
        cast(measured.engagement_units as {{ type_double() }}) as contact_engagement_points,
        cast(measured.required_roles as {{ dbt.type_bigint() }}) as required_roles,
        cast(measured.covered_roles as {{ dbt.type_bigint() }}) as covered_roles,
        measured.buying_group_coverage,
        measured.covered_role_list,
        measured.missing_role_list,
        coverage_bands.band as coverage_band,
        coverage_bands.band_rank as coverage_band_rank,
        cast(coalesce(pivoted.firmographic_fit_score, 0) as decimal(18, 2)) as firmographic_fit_score,
        cast(coalesce(pivoted.contact_engagement_score, 0) as decimal(18, 2)) as contact_engagement_score,
        cast(coalesce(pivoted.engaged_contacts_score, 0) as decimal(18, 2)) as engaged_contacts_score,
        cast(coalesce(pivoted.buying_group_coverage_score, 0) as decimal(18, 2)) as buying_group_coverage_score,
        cast(coalesce(pivoted.account_score, 0) as decimal(18, 2)) as account_score,
        tier_bands.band as account_tier,
        tier_bands.band_rank as account_tier_rank,
        coalesce(tier_bands.is_mql, false) as is_mqa,
        reasons.top_reasons
    from measured
    left join pivoted
        on measured.as_of_date = pivoted.as_of_date
        and measured.scoring_model = pivoted.scoring_model
        and measured.account_id = pivoted.account_id
    left join reasons
        on measured.as_of_date = reasons.as_of_date
        and measured.scoring_model = reasons.scoring_model
        and measured.account_id = reasons.account_id
    left join bands as tier_bands
        on measured.scoring_model = tier_bands.scoring_model
        and tier_bands.band_type = 'account_tier'
        and (tier_bands.lower_bound is null or coalesce(pivoted.account_score, 0) >= tier_bands.lower_bound)
        and (tier_bands.upper_bound is null or coalesce(pivoted.account_score, 0) < tier_bands.upper_bound)
    left join bands as coverage_bands
        on measured.scoring_model = coverage_bands.scoring_model
        and coverage_bands.band_type = 'coverage_band'
        and (coverage_bands.lower_bound is null or measured.buying_group_coverage >= coverage_bands.lower_bound)
        and (coverage_bands.upper_bound is null or measured.buying_group_coverage < coverage_bands.upper_bound)

)

select * from final
