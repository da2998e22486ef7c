"""HubSpot (Fivetran): contacts with their property history, deals, marketing emails, form
submissions and sales engagements; the other events go to Segment.

What is planted, besides the truth (which it must not change: every score stays the same):

- contact ids are numbers: the truth's lead ids in order get ``CONTACT_ID_BASE + 1, 2, ...``
  (lead_scoring_truth.person_ids has the mapping); deals keep the number of their opportunity id;
- versions: one contact row with the values of the lead's latest version that staging accepts, and
  contact_property_history rows for each property that changed, at each accepted version's time
  (a version that staging rejects, e.g. a garbled updated_at, has no time to be placed at and is
  left out). A lead no version of which is accepted is one contact row without createdate, so that
  staging rejects it as the files' rows are rejected. Numbers are written as plain text;
- email events (open, click, bounce, unsubscribe) are keyed by the recipient's email, so only
  persons whose email is valid and theirs alone have them here; the others' go to Segment;
- merged duplicates (people.py): a contact merged into its survivor (contact_merge_audit, and the
  merged-away contact row; one chain of two), some engagements, form submissions and deal links on
  the duplicate;
- deleted contacts that are not in the truth (_fivetran_deleted), with a call, an email and a form;
- NOTE engagements, which are no events (not mapped).
"""

from __future__ import annotations

from lead_scoring.generate.connectors.truth import Conversion
from lead_scoring.generate.sql import quote

CONTACT_ID_BASE = 100_000
# HubSpot company ids: one company per company name (case and spaces aside), the contact's primary
# associated company (property_associatedcompanyid)
COMPANY_ID_BASE = 500_000
NOTE_SHARE = 0.02
DEAL_ON_DUPLICATE_SHARE = 0.5

# (HubSpot property, column of the leads file, is a number)
PROPERTIES = (
    ("email", "email", False),
    ("firstname", "first_name", False),
    ("lastname", "last_name", False),
    ("jobtitle", "job_title", False),
    ("company", "company_name", False),
    ("industry", "industry", False),
    ("numemployees", "employee_count", True),
    ("annualrevenue", "annual_revenue", True),
    ("country", "country", False),
    ("hs_analytics_source", "lead_source", False),
)

# (stage id, label, probability, display order, closed won, project stage)
PIPELINE_STAGES = (
    ("appointmentscheduled", "Appointment Scheduled", 0.2, 0, False, "prospecting"),
    ("qualifiedtobuy", "Qualified To Buy", 0.4, 1, False, "qualification"),
    ("presentationscheduled", "Presentation Scheduled", 0.6, 2, False, "proposal"),
    ("decisionmakerboughtin", "Decision Maker Bought-In", 0.8, 3, False, "proposal"),
    ("contractsent", "Contract Sent", 0.9, 4, False, "negotiation"),
    ("closedwon", "Closed Won", 1.0, 5, True, "closed_won"),
    ("closedlost", "Closed Lost", 0.0, 6, False, "closed_lost"),
)

EMAIL_EVENT_TYPES = {
    "email_open": "OPEN",
    "email_click": "CLICK",
    "email_bounce": "BOUNCE",
    "email_unsubscribe": "STATUSCHANGE",
}
ENGAGEMENT_TYPES = {"sales_call": "CALL", "sales_email": "EMAIL", "meeting_booked": "MEETING"}


def _value(column: str, is_number: bool) -> str:
    """A property's value as HubSpot keeps it: the text as written, a number as plain text."""
    return f"plain_number(num(clean({column})))" if is_number else column


def build(run: Conversion) -> dict[str, str]:
    """Every HubSpot table as a temp table; fills segment_input. Returns table -> temp table."""
    n_persons = run.scalar("select count(*) from persons")
    n_dups = run.scalar("select count(*) from duplicates")
    sync = run.sync_ts
    run.sql(f"create macro hs_contact_id(n) as {CONTACT_ID_BASE} + n")
    run.sql(f"create macro hs_dup_id(s) as {CONTACT_ID_BASE + n_persons} + s")
    run.sql(f"create macro hs_deleted_id(n) as {CONTACT_ID_BASE + n_persons + n_dups} + n")
    # the contact a person's event is logged on: the person's, or one of its merged duplicates
    run.sql("""
        create temp table hs_event_contacts as
        select truth_events.line, hs_contact_id(persons.person_num) as person_contact_id,
            coalesce(hs_dup_id(duplicates.dup_seq), hs_contact_id(persons.person_num)) as contact_id
        from truth_events
        inner join persons using (lead_id)
        left join event_duplicates using (line)
        left join duplicates
            on event_duplicates.lead_id = duplicates.lead_id and event_duplicates.dup_num = duplicates.dup_num
    """)
    run.sql(f"""
        create temp table hs_companies as
        select company_key, {COMPANY_ID_BASE} + row_number() over (order by company_key) as company_id
        from (
            select distinct lower(trim(row.company_name)) as company_key
            from truth_lead_rows as row
            where nullif(trim(row.company_name), '') is not null
        )
    """)
    run.sql("""
        create macro hs_company_id(name) as (
            select company_id from hs_companies where company_key = lower(trim(name))
        )
    """)
    run.sql(f"""
        create temp table hs_contact as
        with persons_rows as (
            select persons.person_num, persons.n_valid, persons.created_ts as person_created_ts, row.*
            from persons
            inner join truth_lead_rows as row on persons.chosen_line = row.line
        ), accepted as (
            select
                hs_contact_id(person_num) as id,
                email as property_email,
                first_name as property_firstname,
                last_name as property_lastname,
                job_title as property_jobtitle,
                company_name as property_company,
                industry as property_industry,
                plain_number(employee_value) as property_numemployees,
                revenue_value as property_annualrevenue,
                country as property_country,
                lead_source as property_hs_analytics_source,
                person_created_ts as property_createdate,
                coalesce(updated_ts, created_ts) as property_lastmodifieddate,
                false as _fivetran_deleted,
                hs_company_id(company_name) as property_associatedcompanyid
            from persons_rows
            where n_valid > 0
        ), rejected as (
            -- no version staging accepts: the last one as written, without createdate
            select
                hs_contact_id(person_num), email, first_name, last_name, job_title, company_name,
                industry, employee_count, typed_number(annual_revenue), country, lead_source,
                null::timestamp, updated_ts, false, hs_company_id(company_name)
            from persons_rows
            where n_valid = 0
        ), duplicate_contacts as (
            select
                hs_dup_id(duplicates.dup_seq),
                email_variant(row.email_key, 'dup' || duplicates.dup_num),
                row.first_name, row.last_name, row.job_title, row.company_name, row.industry,
                plain_number(num(clean(row.employee_count))), num(clean(row.annual_revenue)),
                row.country, row.lead_source,
                duplicates.dup_created_ts, duplicates.merged_ts, false, hs_company_id(row.company_name)
            from duplicates
            inner join truth_lead_rows as row on duplicates.chosen_line = row.line
        ), deleted_contacts as (
            select hs_deleted_id(deleted_num), email, 'Test', 'Test ' || deleted_num, null, 'Test', null,
                null, null, null, 'OFFLINE', created_ts, created_ts + interval 1 day, true, null::bigint
            from deleted_records
        )
        select *, {sync} as _fivetran_synced
        from (select * from accepted union all select * from rejected
              union all select * from duplicate_contacts union all select * from deleted_contacts)
        order by id
    """)
    props = "\n            union all\n".join(
        f"            select contact_id, line, valid_num, changed_ts, {order} as property_order, "
        f"{quote(name)} as name, ({_value(column, is_number)})::varchar as value from valid_rows"
        for order, (name, column, is_number) in enumerate(PROPERTIES)
    )
    run.sql(f"""
        create temp table hs_contact_property_history as
        with valid_rows as (
            select row.*, hs_contact_id(persons.person_num) as contact_id,
                coalesce(row.updated_ts, row.created_ts) as changed_ts,
                row_number() over (partition by row.lead_id order by row.line) as valid_num
            from truth_lead_rows as row
            inner join persons using (lead_id)
            where row.row_valid
        ), property_values as (
{props}
        ), changes as (
            select *,
                lag(value) over (partition by contact_id, name order by line) as previous_value
            from property_values
        )
        select contact_id, name, value, changed_ts as timestamp
        from changes
        where (valid_num = 1 and value is not null)
            or (valid_num > 1 and value is distinct from previous_value)
        order by contact_id, changed_ts, property_order
    """)
    run.sql("""
        create temp table hs_contact_merge_audit as
        select
            case when merged_into_dup = 0 then hs_contact_id(person_num)
                 else hs_dup_id(dup_seq - dup_num + merged_into_dup) end as contact_id,
            case when merged_into_dup = 0 then hs_contact_id(person_num)
                 else hs_dup_id(dup_seq - dup_num + merged_into_dup) end as canonical_vid,
            hs_dup_id(dup_seq) as vid_to_merge,
            merged_ts as timestamp
        from duplicates
        order by merged_ts, dup_seq
    """)
    stage_values = ", ".join(
        f"({quote(sid)}, 'default', {quote(label)}, {prob}, {order}, true, {str(won).lower()}, "
        f"{quote(stage)})"
        for sid, label, prob, order, won, stage in PIPELINE_STAGES
    )
    run.sql(f"""
        create temp table hs_stages as
        select * from (values {stage_values})
            as stages(stage_id, pipeline_id, label, probability, display_order, is_active, closed_won,
                      project_stage)
    """)
    first_stage: dict[str, str] = {}
    for sid, _, _, _, _, stage in PIPELINE_STAGES:
        first_stage.setdefault(stage, sid)
    stage_ids = " ".join(f"when {quote(stage)} then {quote(sid)}" for stage, sid in first_stage.items())
    run.sql(f"""
        create temp table hs_deal as
        with deals as (
            select truth_opportunities.*,
                coalesce(opportunity_num, 900000000 + line) as deal_id,
                case stage
                    when 'proposal' then case when crnd(line, 251) < 0.5 then 'presentationscheduled'
                                              else 'decisionmakerboughtin' end
                    {stage_ids}
                end as stage_id
            from truth_opportunities
        )
        select
            deals.deal_id,
            coalesce(trim(chosen.company_name), 'Unknown company') || ' - New deal' as property_dealname,
            coalesce(deals.stage_id, deals.stage) as property_dealstage,
            deals.amount_typed as property_amount,
            deals.created_ts as property_createdate,
            -- an open deal's close date is the expected one
            coalesce(deals.closed_ts, deals.created_ts + interval 45 days) as property_closedate,
            'default' as deal_pipeline_id,
            coalesce(deals.stage_id, deals.stage) as deal_pipeline_stage_id,
            false as is_deleted,
            false as _fivetran_deleted,
            deals.opportunity_id,
            deals.lead_id,
            deals.line
        from deals
        left join persons using (lead_id)
        left join truth_lead_rows as chosen on persons.chosen_line = chosen.line
        order by deals.line
    """)
    run.sql(f"""
        create temp table hs_deal_contact as
        select hs_deal.deal_id,
            case when duplicates.dup_seq is not null and crnd(hs_deal.line, 252) < {DEAL_ON_DUPLICATE_SHARE}
                 then hs_dup_id(duplicates.dup_seq) else hs_contact_id(persons.person_num) end as contact_id
        from hs_deal
        inner join persons using (lead_id)
        left join duplicates on persons.lead_id = duplicates.lead_id and duplicates.dup_num = 1
        order by hs_deal.line
    """)
    engagement_types = " ".join(f"when {quote(t)} then {quote(n)}" for t, n in ENGAGEMENT_TYPES.items())
    run.sql(f"""
        create temp table hs_engagement_rows as
        with touches as (
            select truth_events.line,
                coalesce(try_cast(regexp_extract(truth_events.event_id, '[0-9]+$') as bigint),
                         800000000000 + truth_events.line) as id,
                case truth_events.event_type {engagement_types} end as type,
                truth_events.occurred_ts as timestamp,
                hs_event_contacts.contact_id
            from truth_events
            inner join hs_event_contacts using (line)
            where truth_events.category = 'touch'
        ), notes as (
            select 3e15::bigint + person_num, 700000000000 + person_num, 'NOTE',
                coalesce(created_ts, {run.sync_ts} - interval 30 days) + interval 1 day,
                hs_contact_id(person_num)
            from (select *, row_number() over (order by crnd(lead_id, 253), lead_id) as note_rank,
                      count(*) over () as n from persons)
            where note_rank <= greatest(1, round({NOTE_SHARE} * n))
        ), deleted_calls as (
            select 4e15::bigint + deleted_num, 600000000000 + deleted_num, 'CALL',
                created_ts + interval 1 hour, hs_deleted_id(deleted_num)
            from deleted_records
        )
        select * from (select * from touches union all select * from notes
                       union all select * from deleted_calls)
        order by line
    """)
    run.sql("""
        create temp table hs_engagement as
        select id, type, timestamp, timestamp + interval 5 minutes as created_at, true as active
        from hs_engagement_rows order by line
    """)
    run.sql("""
        create temp table hs_engagement_contact as
        select id as engagement_id, contact_id from hs_engagement_rows order by line
    """)
    email_types = " ".join(f"when {quote(t)} then {quote(n)}" for t, n in EMAIL_EVENT_TYPES.items())
    run.sql(f"""
        create temp table hs_email_event as
        with emails as (
            select truth_events.line, truth_events.event_id as id,
                case truth_events.event_type {email_types} end as type,
                truth_events.occurred_ts as created,
                trim(chosen.email) as recipient
            from truth_events
            inner join persons using (lead_id)
            inner join truth_lead_rows as chosen on persons.chosen_line = chosen.line
            where truth_events.category = 'email' and persons.has_unique_email
            union all
            select 4e15::bigint + deleted_num, 'eml_del_' || lpad(deleted_num::varchar, 4, '0'), 'OPEN',
                created_ts + interval 3 hours, email
            from deleted_records
        )
        select id, type, created, recipient,
            1000 + floor(crnd(coalesce(id, line::varchar), 254) * 20)::bigint as email_campaign_id,
            {sync} as _fivetran_synced
        from emails
        order by line
    """)
    run.sql("""
        create temp table hs_contact_form_submission as
        with forms as (
            select truth_events.line, hs_event_contacts.contact_id, truth_events.event_id,
                truth_events.page_url, truth_events.occurred_ts
            from truth_events
            inner join hs_event_contacts using (line)
            where truth_events.category = 'form'
            union all
            select 4e15::bigint + deleted_num, hs_deleted_id(deleted_num),
                'frm_del_' || lpad(deleted_num::varchar, 4, '0'), '/contact', created_ts + interval 4 hours
            from deleted_records
        ), with_path as (
            select *,
                coalesce(nullif(regexp_replace(regexp_replace(lower(clean(page_url)), '^[a-z]+://[^/]+', ''),
                                               '[?#].*$', ''), ''), '/') as path
            from forms
        )
        select contact_id, event_id as conversion_id, uuid_of('form:' || path) as form_id, page_url,
            occurred_ts as timestamp,
            case when starts_with(path, '/demo') then 'Request a demo'
                 when starts_with(path, '/resources') then 'Download the resource'
                 when starts_with(path, '/webinars') then 'Webinar registration'
                 else 'Contact us' end as title
        from with_path
        order by line
    """)
    run.sql("""
        insert into segment_input
        select truth_events.line, truth_events.event_id, persons.lead_id,
            coalesce(hs_contact_id(persons.person_num)::varchar, truth_events.lead_id),
            persons.lead_id is not null,
            truth_events.category, truth_events.event_type, truth_events.type_norm,
            truth_events.occurred_ts, truth_events.page_url, truth_events.duration_typed,
            truth_events.duration_bad
        from truth_events
        left join persons using (lead_id)
        where persons.lead_id is null
            or not (truth_events.category in ('touch', 'form')
                    or (truth_events.category = 'email' and persons.has_unique_email))
    """)
    run.sql("""
        create temp table truth_person_ids as
        select lead_id, hs_contact_id(person_num)::varchar as person_id, 'hubspot.contact' as person_record
        from persons order by lead_id
    """)
    run.sql("""
        create temp table truth_opportunity_ids as
        select opportunity_id, deal_id::varchar as connector_opportunity_id from hs_deal order by line
    """)
    return {
        "contact": "hs_contact",
        "contact_merge_audit": "hs_contact_merge_audit",
        "contact_property_history": "hs_contact_property_history",
        "deal": "hs_deal",
        "deal_contact": "hs_deal_contact",
        "deal_pipeline_stage": "hs_stages",
        "email_event": "hs_email_event",
        "contact_form_submission": "hs_contact_form_submission",
        "engagement": "hs_engagement",
        "engagement_contact": "hs_engagement_contact",
    }
