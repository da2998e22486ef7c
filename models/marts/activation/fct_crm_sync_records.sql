-- The sync tables: one row per sync object (seed crm_sync_objects) and CRM record, keyed by the id
-- the CRM itself gives the record, with the values to write there. Read by reverse-ETL tools
-- (Census, Hightouch) and by `lead-scoring export --push`. A lead dropped from the input
-- while its CRM records stay (fct_lead_deletions without a crm_disposition) keeps a row per record
-- the push last sent values to, with null values and is_removal: the push clears the record (an
-- update, never a create) and, once that is journaled, the row is gone.
with

sync_objects as (

    select * from {{ ref('crm_sync_objects') }}

),

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

leads as (

    select * from {{ ref('dim_leads') }}

),

account_scores as (

    select * from {{ ref('fct_account_scores') }}

),

deletions as (

    select * from {{ ref('fct_lead_deletions') }}

),

push_log as (

    select * from {{ ref('fct_crm_push_log') }}

),

-- the objects a person known by no CRM id is matched in by our own id (upsert on an external id)
external_id_objects as (

    select
        'salesforce' as crm,
        'Lead' as crm_object

    union all

    select
        'hubspot' as crm,
        'contacts' as crm_object

),

-- the CRM records a person's score goes to: Salesforce refuses updates to a converted lead, so a
-- person with a contact (a converted lead, or a contact that never was a lead) goes to the contact
-- and only an unconverted lead to the lead; a person known by no CRM id (leads from files) goes by
-- our own id, which the CRM matches on the field mapped to crm_external_id
person_record_ids as (

    select
        lead_id,
        'salesforce' as crm,
        'Contact' as crm_object,
        salesforce_contact_id as crm_record_id,
        'crm_id' as match_by
    from leads
    where salesforce_contact_id is not null

    union all

    select
        lead_id,
        'salesforce' as crm,
        'Lead' as crm_object,
        salesforce_lead_id as crm_record_id,
        'crm_id' as match_by
    from leads
    where salesforce_lead_id is not null
        and salesforce_contact_id is null

    union all

    select
        lead_id,
        'hubspot' as crm,
        'contacts' as crm_object,
        hubspot_contact_id as crm_record_id,
        'crm_id' as match_by
    from leads
    where hubspot_contact_id is not null

    union all

    select
        leads.lead_id,
        crm_objects.crm,
        crm_objects.crm_object,
        cast(leads.{{ var('crm_external_id_column') }} as {{ type_varchar() }}) as crm_record_id,
        'external_id' as match_by
    from leads
    cross join external_id_objects as crm_objects
    where leads.salesforce_lead_id is null
        and leads.salesforce_contact_id is null
        and leads.hubspot_contact_id is null

),

person_records as (

    select
        sync_objects.sync_object,
        sync_objects.crm,
        sync_objects.crm_object,
        person_record_ids.crm_record_id,
        person_record_ids.match_by,
        scores.scoring_model,
        scores.lead_id,
        leads.account_id,
        cast(round(scores.total_score, {{ var('crm_sync_score_decimals') }}) as decimal(18, 2)) as total_score,
        cast(round(scores.fit_score, {{ var('crm_sync_score_decimals') }}) as decimal(18, 2)) as fit_score,
        cast(
            round(scores.behavioral_score, {{ var('crm_sync_score_decimals') }}) as decimal(18, 2)
        ) as engagement_score,
        scores.fit_grade,
        scores.engagement_level,
        scores.tier,
        scores.is_mql,
        scores.priority,
        -- round() of a double is not portable: rounded as a decimal
        cast(
            round(
                cast(scores.conversion_probability as {{ dbt.type_numeric() }}),
                {{ var('crm_sync_probability_decimals') }}
            ) as {{ type_double() }}
        ) as conversion_probability,
        -- the reason labels without their points, which move with decay every day
        nullif(
            trim({{ regexp_replace_all('scores.top_reasons', "' [(][-+]?[0-9.]+[)]'", "''") }}), ''
        ) as top_reasons,
        {{ crm_sync_null_values('account') }},
        scores.score_as_of,
        cast(null as bigint) as account_leads_naming_record,
        cast(null as bigint) as account_records_named,
        -- one person per record (the CRM's ids name one person each; this only guards the grain)
        row_number() over (
            partition by sync_objects.sync_object, person_record_ids.crm_record_id
            order by scores.total_score desc, scores.lead_id asc
        ) as record_rank
    from sync_objects
    inner join person_record_ids
        on sync_objects.crm = person_record_ids.crm
        and sync_objects.crm_object = person_record_ids.crm_object
    inner join scores
        on sync_objects.scoring_model = scores.scoring_model
        and person_record_ids.lead_id = scores.lead_id
    inner join leads
        on person_record_ids.lead_id = leads.lead_id
    where sync_objects.record_kind = 'person'

),

-- the CRM accounts the leads of each project account name (accounts here are keyed by domain or
-- company name; a CRM keys them by its own id)
account_record_ids as (

    select
        account_id,
        'salesforce' as crm,
        'Account' as crm_object,
        salesforce_account_id as crm_record_id
    from leads
    where account_id is not null
        and salesforce_account_id is not null

    union all

    select
        account_id,
        'hubspot' as crm,
        'companies' as crm_object,
        hubspot_company_id as crm_record_id
    from leads
    where account_id is not null
        and hubspot_company_id is not null

),

account_record_leads as (

    select
        account_id,
        crm,
        crm_object,
        crm_record_id,
        count(*) as leads_naming_record
    from account_record_ids
    group by account_id, crm, crm_object, crm_record_id

),

-- a project account goes to the CRM account most of its leads name (ties: the smallest id)
account_choices as (

    select
        account_record_leads.*,
        count(*) over (
            partition by account_record_leads.account_id, account_record_leads.crm, account_record_leads.crm_object
        ) as records_named,
        row_number() over (
            partition by account_record_leads.account_id, account_record_leads.crm, account_record_leads.crm_object
            order by account_record_leads.leads_naming_record desc, account_record_leads.crm_record_id asc
        ) as choice_rank
    from account_record_leads

),

account_records as (

    select
        sync_objects.sync_object,
        sync_objects.crm,
        sync_objects.crm_object,
        account_choices.crm_record_id,
        'crm_id' as match_by,
        account_scores.scoring_model,
        cast(null as {{ type_varchar() }}) as lead_id,
        account_scores.account_id,
        {{ crm_sync_null_values('person') }},
        cast(
            round(account_scores.account_score, {{ var('crm_sync_score_decimals') }}) as decimal(18, 2)
        ) as account_score,
        account_scores.account_tier,
        account_scores.is_mqa,
        account_scores.score_as_of,
        account_choices.leads_naming_record as account_leads_naming_record,
        account_choices.records_named as account_records_named,
        -- a CRM account named most by two project accounts takes the one more of its leads name
        row_number() over (
            partition by sync_objects.sync_object, account_choices.crm_record_id
            order by account_choices.leads_naming_record desc, account_scores.account_id asc
        ) as record_rank
    from sync_objects
    inner join account_choices
        on sync_objects.crm = account_choices.crm
        and sync_objects.crm_object = account_choices.crm_object
        and account_choices.choice_rank = 1
    inner join account_scores
        on sync_objects.scoring_model = account_scores.scoring_model
        and account_choices.account_id = account_scores.account_id
    where sync_objects.record_kind = 'account'

),

-- what the push last wrote to each record of a lead dropped from the input whose CRM records stay
-- (merged or deleted ones have no record of their own left to clear)
cleared_leads as (

    select distinct lead_id
    from deletions
    where crm_disposition is null

),

last_pushed as (

    select
        push_log.*,
        row_number() over (
            partition by push_log.sync_object, push_log.crm_record_id
            order by push_log.logged_at desc
        ) as push_rank
    from push_log
    where push_log.push_status in ('sent', 'gone')

),

person_removals as (

    select
        sync_objects.sync_object,
        sync_objects.crm,
        sync_objects.crm_object,
        last_pushed.crm_record_id,
        last_pushed.match_by,
        last_pushed.scoring_model,
        last_pushed.lead_id,
        last_pushed.account_id,
        {{ crm_sync_null_values() }},
        {{ score_as_of_date() }} as score_as_of,
        cast(null as bigint) as account_leads_naming_record,
        cast(null as bigint) as account_records_named,
        1 as record_rank
    from last_pushed
    inner join sync_objects
        on last_pushed.sync_object = sync_objects.sync_object
    inner join cleared_leads
        on last_pushed.lead_id = cleared_leads.lead_id
    where last_pushed.push_rank = 1
        and sync_objects.record_kind = 'person'
        and (
            {%- for column in ['total_score', 'fit_score', 'engagement_score', 'fit_grade', 'engagement_level',
                'tier', 'is_mql', 'priority', 'conversion_probability', 'top_reasons'] %}
            last_pushed.{{ column }} is not null{{ ' or' if not loop.last }}
            {%- endfor %}
        )
        and not exists (
            select 1 as is_current from person_records
            where person_records.sync_object = last_pushed.sync_object
                and (
                    person_records.crm_record_id = last_pushed.crm_record_id
                    or person_records.lead_id = last_pushed.lead_id
                )
        )

),

records as (

    select
        *,
        false as is_removal
    from person_records

    union all

    select
        *,
        false as is_removal
    from account_records

    union all

    select
        *,
        true as is_removal
    from person_removals

),

final as (

    select
        sync_object,
        crm,
        crm_object,
        crm_record_id,
        match_by,
        scoring_model,
        lead_id,
        account_id,
        total_score,
        fit_score,
        engagement_score,
        fit_grade,
        engagement_level,
        tier,
        is_mql,
        priority,
        conversion_probability,
        top_reasons,
        account_score,
        account_tier,
        is_mqa,
        score_as_of,
        account_leads_naming_record,
        account_records_named,
        is_removal
    from records
    where record_rank = 1

)

select * from final
