"""Salesforce (Fivetran, lead and contact in history mode): leads, contacts, accounts, opportunities,
sales activity and campaigns; the other events go to Segment.

What is planted, besides the truth (which it must not change: every score stays the same):

- versions: each line of the leads file is a history-mode row of its lead (``_fivetran_start`` = its
  updated_at, ``_fivetran_active`` on the last one, ``_fivetran_end`` 1 ms before the next start);
- conversion: a lead with an opportunity is converted when the opportunity is created (a new
  contact with the lead's data, an account from its company); most opportunities are linked by
  ``converted_opportunity_id``, some only by a primary opportunity_contact_role, some by both, some
  also by ``opportunity.contact_id`` or an extra non-primary role on another person; the sales
  touches after the conversion are logged on the contact;
- contact-only persons (people.py): a contact and an account, no lead; the person id is the contact id;
- merged duplicates (people.py): a lead deleted with ``master_record_id`` (one chain of two), some
  touches logged on it;
- deleted leads that are not in the truth, with a call and a page view each;
- campaign members that are no events: non-responded webinar members, responded members of a
  conference and of an email campaign (not mapped);
- ids: a truth lead keeps its lead_id, an opportunity its opportunity_id, a touch its event_id.

Rows the files have that staging rejects are rejected here too: a blank lead_id is a lead row
without id; junk numbers are -1 (rejected as invalid, like the text); a version whose created_at or
updated_at does not parse cannot carry the text in a TIMESTAMP: its time is null and its
number_of_employees -1, so staging rejects it all the same (with another reason).
"""

from __future__ import annotations

from lead_scoring.generate.connectors.truth import Conversion, end_ts_literal

LINK_ROLE_ONLY_SHARE = 0.12
LINK_BOTH_SHARE = 0.08
OPPORTUNITY_CONTACT_SHARE = 0.3
INFLUENCER_ROLE_SHARE = 0.15
TASK_SUBTYPE_MISSING_SHARE = 0.2
CAMPAIGN_MEMBER_SHARES = {"webinar_registered": 0.03, "conference": 0.02, "newsletter": 0.02}

ACTIVE_END = "timestamp '9999-12-31 23:59:59'"


def _ids(run: Conversion) -> None:
    """Record ids, as macros: contact and account of a person, its duplicates, deleted leads."""
    for macro in (
        "create macro sf_contact_id(n) as '003C' || lpad(n::varchar, 14, '0')",
        "create macro sf_account_id(n) as '001A' || lpad(n::varchar, 14, '0')",
        "create macro sf_dup_id(n, d) as '00QM' || lpad((n * 10 + d)::varchar, 14, '0')",
        "create macro sf_deleted_id(n) as '00QD' || lpad(n::varchar, 14, '0')",
    ):
        run.sql(macro)


def build(run: Conversion) -> dict[str, str]:
    """Every Salesforce table as a temp table; fills segment_input. Returns table -> temp table."""
    _ids(run)
    end_ts = end_ts_literal(run.end_date)
    sync = run.sync_ts
    # a lead with an opportunity is converted when its first one is created
    run.sql("""
        create temp table sf_conversions as
        with ranked as (
            select truth_opportunities.*,
                row_number() over (partition by lead_id order by created_ts, line) as opportunity_rank
            from truth_opportunities
            where created_ts is not null
        )
        select persons.lead_id, persons.person_num, ranked.opportunity_id, ranked.created_ts as converted_ts,
            sf_contact_id(persons.person_num) as contact_id,
            sf_account_id(persons.person_num) as account_id
        from persons
        inner join ranked using (lead_id)
        where ranked.opportunity_rank = 1 and not persons.is_contact_only
        order by persons.person_num
    """)
    # how each opportunity reaches its person
    run.sql(f"""
        create temp table sf_links as
        with opportunities as (
            select truth_opportunities.line, truth_opportunities.opportunity_id,
                truth_opportunities.lead_id, truth_opportunities.created_ts,
                persons.lead_id is not null as is_person,
                persons.person_num,
                coalesce(persons.is_contact_only, false) as is_contact_only,
                sf_conversions.contact_id as converted_contact_id,
                sf_conversions.account_id as converted_account_id,
                sf_conversions.converted_ts,
                case when sf_conversions.opportunity_id is not null
                     then row_number() over (
                         partition by sf_conversions.opportunity_id is not null
                         order by crnd(truth_opportunities.opportunity_id, 221),
                                  truth_opportunities.opportunity_id) end as conversion_rank
            from truth_opportunities
            left join persons using (lead_id)
            left join sf_conversions
                on truth_opportunities.opportunity_id = sf_conversions.opportunity_id
        ), moded as (
            select *,
                case when conversion_rank = 1 then 'both'
                     when conversion_rank = 2 then 'role'
                     when conversion_rank is not null
                     then case when crnd(opportunity_id, 223) < {LINK_ROLE_ONLY_SHARE} then 'role'
                               when crnd(opportunity_id, 223) < {LINK_ROLE_ONLY_SHARE + LINK_BOTH_SHARE}
                               then 'both' else 'converted' end
                     -- a contact-only person's, a second one of a converted lead, one of no person
                     -- (a role on a contact that is not there)
                     else 'role' end as link_mode
            from opportunities
        )
        select *,
            case when converted_contact_id is not null then converted_contact_id
                 when is_contact_only then lead_id
                 -- an opportunity of no contact: its role names the lead id it has in the files
                 else lead_id end as role_contact_id,
            case when converted_contact_id is not null
                      and crnd(opportunity_id, 222) < {OPPORTUNITY_CONTACT_SHARE} then converted_contact_id
                 when is_contact_only and crnd(opportunity_id, 222) < 0.5 then lead_id end
                as opportunity_contact_id,
            coalesce(converted_account_id,
                     case when is_contact_only then sf_account_id(person_num) end) as account_id
        from moded
        order by line
    """)
    # the leads: every line of the leads file but the contact-only persons', duplicates, deleted leads
    run.sql(f"""
        create temp table sf_lead as
        with rows as (
            select truth_lead_rows.*,
                persons.person_num,
                persons.created_ts as person_created_ts,
                sf_conversions.lead_id is not null and truth_lead_rows.is_last_row as is_converted,
                sf_conversions.converted_ts, sf_conversions.contact_id, sf_conversions.account_id,
                case when sf_links.link_mode in ('converted', 'both') then sf_links.opportunity_id end
                    as converted_opportunity_id,
                truth_lead_rows.lead_id is not null
                    and (truth_lead_rows.updated_bad
                         or (truth_lead_rows.created_bad and persons.created_ts is not null)) as is_marked,
                lead(truth_lead_rows.updated_ts ignore nulls) over (
                    partition by truth_lead_rows.lead_id order by truth_lead_rows.line) as next_start
            from truth_lead_rows
            left join persons using (lead_id)
            left join sf_conversions using (lead_id)
            left join sf_links on sf_conversions.opportunity_id = sf_links.opportunity_id
            where not coalesce(persons.is_contact_only, false)
        ), truth_leads as (
            select
                line as sort_key,
                lead_id as id,
                false as is_deleted,
                null::varchar as master_record_id,
                first_name, last_name, job_title as title, company_name as company, industry,
                case when is_marked then -1 else typed_int(employee_count) end as number_of_employees,
                typed_number(annual_revenue) as annual_revenue,
                country, email, lead_source,
                case when is_converted then 'Closed - Converted'
                     when version_num = 1 then 'Open - Not Contacted'
                     else 'Working - Contacted' end as status,
                is_converted,
                case when is_converted then converted_ts::date end as converted_date,
                case when is_converted then contact_id end as converted_contact_id,
                case when is_converted then account_id end as converted_account_id,
                case when is_converted then converted_opportunity_id end as converted_opportunity_id,
                -- a record has one creation time: the lead's, on each of its versions
                coalesce(person_created_ts, created_ts) as created_date,
                updated_ts as last_modified_date,
                updated_ts as system_modstamp,
                {sync} as _fivetran_synced,
                lead_id is null or is_last_row as _fivetran_active,
                updated_ts as _fivetran_start,
                case when lead_id is null or is_last_row then {ACTIVE_END}
                     when updated_ts is not null then next_start - interval 1 millisecond end
                    as _fivetran_end
            from rows
        ), duplicate_leads as (
            select
                1e15::bigint + duplicates.dup_seq as sort_key,
                sf_dup_id(duplicates.person_num, duplicates.dup_num) as id,
                true as is_deleted,
                case when duplicates.merged_into_dup = 0 then duplicates.lead_id
                     else sf_dup_id(duplicates.person_num, duplicates.merged_into_dup) end
                    as master_record_id,
                chosen.first_name, chosen.last_name, chosen.job_title, chosen.company_name, chosen.industry,
                typed_int(chosen.employee_count), typed_number(chosen.annual_revenue),
                chosen.country,
                email_variant(chosen.email_key, 'dup' || duplicates.dup_num),
                chosen.lead_source,
                'Open - Not Contacted', false, null::date, null::varchar, null::varchar, null::varchar,
                duplicates.dup_created_ts, duplicates.merged_ts, duplicates.merged_ts, {sync},
                true, duplicates.merged_ts, {ACTIVE_END}
            from duplicates
            inner join truth_lead_rows as chosen on duplicates.chosen_line = chosen.line
        ), deleted_leads as (
            select
                2e15::bigint + deleted_num,
                sf_deleted_id(deleted_num), true, null,
                'Test', 'Test ' || deleted_num, null, 'Test', null, null, null, null, email, 'web',
                'Open - Not Contacted', false, null, null, null, null,
                created_ts, created_ts + interval 1 day, created_ts + interval 1 day, {sync},
                true, created_ts + interval 1 day, {ACTIVE_END}
            from deleted_records
        )
        select * exclude (sort_key)
        from (select * from truth_leads union all select * from duplicate_leads
              union all select * from deleted_leads)
        order by sort_key
    """)
    run.sql(f"""
        create temp table sf_contact as
        with converted as (
            select 0 as kind, sf_conversions.person_num,
                sf_conversions.contact_id as id, sf_conversions.account_id,
                chosen.first_name, chosen.last_name, chosen.job_title, chosen.email, chosen.lead_source,
                chosen.country, sf_conversions.converted_ts as created_date,
                sf_conversions.converted_ts as last_modified_date
            from sf_conversions
            inner join persons using (lead_id)
            inner join truth_lead_rows as chosen on persons.chosen_line = chosen.line
        ), contact_only as (
            select 1, persons.person_num, persons.lead_id, sf_account_id(persons.person_num),
                row.first_name, row.last_name, row.job_title, row.email, row.lead_source, row.country,
                row.created_ts, row.updated_ts
            from persons
            inner join truth_lead_rows as row on persons.last_line = row.line
            where persons.is_contact_only
        )
        select
            id, false as is_deleted, null::varchar as master_record_id, account_id, first_name, last_name,
            job_title as title, email, lead_source, country as mailing_country, created_date,
            last_modified_date, {sync} as _fivetran_synced,
            true as _fivetran_active, last_modified_date as _fivetran_start, {ACTIVE_END} as _fivetran_end
        from (select * from converted union all select * from contact_only)
        order by person_num, kind
    """)
    # an account per contact: for a contact-only person it carries the person's company fields
    run.sql(f"""
        create temp table sf_account as
        select
            sf_contact.account_id as id, false as is_deleted, null::varchar as master_record_id,
            row.company_name as name, row.industry,
            typed_int(row.employee_count) as number_of_employees,
            typed_number(row.annual_revenue) as annual_revenue,
            row.country as billing_country,
            case when email_ok(row.email_key) then 'www.' || split_part(row.email_key, '@', 2) end
                as website,
            sf_contact.created_date, {sync} as _fivetran_synced
        from sf_contact
        inner join persons on sf_contact.account_id = sf_account_id(persons.person_num)
        inner join truth_lead_rows as row on persons.chosen_line = row.line
        order by persons.person_num
    """)
    run.sql(f"""
        create temp table sf_opportunity as
        select
            truth_opportunities.opportunity_id as id,
            false as is_deleted,
            sf_links.account_id,
            sf_links.opportunity_contact_id as contact_id,
            coalesce(trim(chosen.company_name), 'Unknown company') || ' - New Business' as name,
            case truth_opportunities.stage
                when 'prospecting' then 'Prospecting'
                when 'qualification' then list_extract(['Qualification', 'Needs Analysis',
                    'Id. Decision Makers'], 1 + floor(crnd(truth_opportunities.line, 225) * 3)::bigint)
                when 'proposal' then list_extract(['Value Proposition', 'Perception Analysis',
                    'Proposal/Price Quote'], 1 + floor(crnd(truth_opportunities.line, 225) * 3)::bigint)
                when 'negotiation' then 'Negotiation/Review'
                when 'closed_won' then 'Closed Won'
                when 'closed_lost' then 'Closed Lost'
                else truth_opportunities.stage end as stage_name,
            truth_opportunities.amount_typed as amount,
            truth_opportunities.stage in ('closed_won', 'closed_lost') as is_closed,
            truth_opportunities.stage = 'closed_won' as is_won,
            -- an open opportunity's close date is the expected one
            coalesce(truth_opportunities.closed_ts,
                     truth_opportunities.created_ts + interval 45 days)::date as close_date,
            truth_opportunities.created_ts as created_date,
            coalesce(truth_opportunities.closed_ts, truth_opportunities.created_ts) as last_modified_date,
            {sync} as _fivetran_synced
        from truth_opportunities
        inner join sf_links using (line)
        left join persons on truth_opportunities.lead_id = persons.lead_id
        left join truth_lead_rows as chosen on persons.chosen_line = chosen.line
        order by truth_opportunities.line
    """)
    run.sql(f"""
        create temp table sf_opportunity_contact_role as
        with converted_contacts as (
            select contact_id,
                lead(contact_id) over (order by person_num) as next_contact_id,
                first_value(contact_id) over (order by person_num) as first_contact_id
            from sf_conversions
        ), roles as (
            select sf_links.line, 0 as kind, sf_links.opportunity_id, sf_links.role_contact_id as contact_id,
                'Decision Maker' as role, true as is_primary,
                coalesce(sf_links.converted_ts, sf_links.created_ts) as created_date
            from sf_links
            where sf_links.link_mode in ('role', 'both') and sf_links.role_contact_id is not null
            union all
            -- someone else's contact in a non-primary role: the opportunity stays its lead's
            select sf_links.line, 1, sf_links.opportunity_id,
                coalesce(converted_contacts.next_contact_id, converted_contacts.first_contact_id),
                'Influencer', false, sf_links.converted_ts + interval 1 day
            from sf_links
            inner join converted_contacts on sf_links.converted_contact_id = converted_contacts.contact_id
            where sf_links.link_mode in ('converted', 'both')
                and crnd(sf_links.opportunity_id, 224) < {INFLUENCER_ROLE_SHARE}
                and coalesce(converted_contacts.next_contact_id, converted_contacts.first_contact_id)
                    <> sf_links.converted_contact_id
        )
        select '00K' || lpad(row_number() over (order by line, kind)::varchar, 15, '0') as id,
            opportunity_id, contact_id, role, is_primary, false as is_deleted, created_date
        from roles
        order by line, kind
    """)
    # sales touches of truth persons: calls and emails are tasks, meetings events
    run.sql("""
        create temp table sf_touches as
        select truth_events.*,
            case when persons.is_contact_only then persons.lead_id
                 when truth_events.occurred_ts >= sf_conversions.converted_ts then sf_conversions.contact_id
                 when event_duplicates.dup_num is not null
                 then sf_dup_id(persons.person_num, event_duplicates.dup_num)
                 else persons.lead_id end as who_id,
            case when truth_events.occurred_ts >= sf_conversions.converted_ts
                 then sf_conversions.opportunity_id end as what_id
        from truth_events
        inner join persons using (lead_id)
        left join sf_conversions using (lead_id)
        left join event_duplicates using (line)
        where truth_events.category = 'touch'
        order by truth_events.line
    """)
    run.sql(f"""
        create temp table sf_task as
        with tasks as (
            select line, event_id, who_id, what_id, event_type, occurred_ts from sf_touches
            where event_type in ('sales_call', 'sales_email')
            union all
            select 2e15::bigint + deleted_num, 'tch_del_' || lpad(deleted_num::varchar, 4, '0'),
                sf_deleted_id(deleted_num), null, 'sales_call', created_ts + interval 1 hour
            from deleted_records
        )
        select
            event_id as id, who_id, what_id,
            case when event_type = 'sales_call' then 'Call' else 'Email: Following up' end as subject,
            case when event_type = 'sales_call' then 'Call' else 'Email' end as type,
            case when crnd(line, 231) < {TASK_SUBTYPE_MISSING_SHARE} then null
                 when event_type = 'sales_call' then 'Call' else 'Email' end as task_subtype,
            'Completed' as status,
            occurred_ts::date as activity_date,
            occurred_ts as created_date,
            false as is_deleted,
            case when event_type = 'sales_call' then 30 + floor(crnd(line, 232) * 900)::integer end
                as call_duration_in_seconds
        from tasks
        order by line
    """)
    run.sql("""
        create temp table sf_event as
        select
            event_id as id, who_id, what_id,
            'Meeting' as subject, 'Meeting' as type, 'Event' as event_subtype,
            occurred_ts as start_date_time,
            occurred_ts as activity_date_time,
            occurred_ts - (1 + floor(crnd(line, 233) * 47))::bigint * interval 1 hour as created_date,
            30 as duration_in_minutes,
            false as is_deleted
        from sf_touches
        where event_type = 'meeting_booked'
        order by line
    """)
    run.sql("""
        create temp table sf_campaign as
        select * from (values
            ('701000000000000001', 'Webinar: Scoring Masterclass', 'Webinar', false),
            ('701000000000000002', 'Spring Conference', 'Conference', false),
            ('701000000000000003', 'Monthly Newsletter', 'Email', false)
        ) as campaigns(id, name, type, is_deleted)
    """)
    shares = CAMPAIGN_MEMBER_SHARES
    run.sql(f"""
        create temp table sf_campaign_member as
        with ranked as (
            select persons.*, sf_conversions.contact_id as converted_contact_id,
                row_number() over (order by crnd(persons.lead_id, 241), persons.lead_id) as rank_webinar,
                row_number() over (order by crnd(persons.lead_id, 242), persons.lead_id) as rank_conference,
                row_number() over (order by crnd(persons.lead_id, 243), persons.lead_id) as rank_newsletter,
                count(*) over () as n_persons
            from persons
            left join sf_conversions using (lead_id)
        ), members as (
            select person_num, lead_id, is_contact_only, converted_contact_id, created_ts,
                1 as campaign_num, 'Registered' as status, false as has_responded,
                null::date as first_responded_date
            from ranked
            where rank_webinar <= greatest(1, round({shares["webinar_registered"]} * n_persons))
            union all
            select person_num, lead_id, is_contact_only, converted_contact_id, created_ts,
                2, 'Attended', true,
                (coalesce(created_ts, {end_ts} - interval 30 days) + interval 5 days)::date
            from ranked
            where rank_conference <= greatest(1, round({shares["conference"]} * n_persons))
            union all
            select person_num, lead_id, is_contact_only, converted_contact_id, created_ts,
                3, 'Opened', true,
                (coalesce(created_ts, {end_ts} - interval 30 days) + interval 2 days)::date
            from ranked
            where rank_newsletter <= greatest(1, round({shares["newsletter"]} * n_persons))
        )
        select
            '00v' || lpad(row_number() over (order by campaign_num, person_num)::varchar, 15, '0') as id,
            '70100000000000000' || campaign_num as campaign_id,
            case when not is_contact_only then lead_id end as lead_id,
            case when is_contact_only then lead_id else converted_contact_id end as contact_id,
            status, has_responded, first_responded_date,
            coalesce(created_ts, {end_ts} - interval 30 days) + interval 1 day as created_date,
            false as is_deleted
        from members
        order by campaign_num, person_num
    """)
    # every other event goes to Segment: its user id is the person id (the lead or contact id)
    run.sql("""
        insert into segment_input
        select truth_events.line, truth_events.event_id, persons.lead_id,
            coalesce(persons.lead_id, truth_events.lead_id), persons.lead_id is not null,
            truth_events.category, truth_events.event_type, truth_events.type_norm,
            truth_events.occurred_ts, truth_events.page_url, truth_events.duration_typed,
            truth_events.duration_bad
        from truth_events
        left join persons using (lead_id)
        where not (truth_events.category = 'touch' and persons.lead_id is not null)
        union all
        select 2e15::bigint + deleted_num, 'pg_del_' || lpad(deleted_num::varchar, 4, '0'), null,
            sf_deleted_id(deleted_num), false, 'page', 'page_view', 'page_view',
            created_ts + interval 2 hours, '/pricing', null, false
        from deleted_records
    """)
    run.sql("""
        create temp table truth_person_ids as
        select lead_id, lead_id as person_id,
            case when is_contact_only then 'salesforce.contact' else 'salesforce.lead' end as person_record
        from persons order by lead_id
    """)
    run.sql("""
        create temp table truth_opportunity_ids as
        select opportunity_id, opportunity_id as connector_opportunity_id
        from truth_opportunities order by line
    """)
    return {
        "lead": "sf_lead",
        "contact": "sf_contact",
        "account": "sf_account",
        "opportunity": "sf_opportunity",
        "opportunity_contact_role": "sf_opportunity_contact_role",
        "task": "sf_task",
        "event": "sf_event",
        "campaign": "sf_campaign",
        "campaign_member": "sf_campaign_member",
    }
