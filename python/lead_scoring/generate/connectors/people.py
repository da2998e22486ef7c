"""The persons of the truth and the record quirks every connector shape plants around them.

One person per lead_id of the leads file. The quirks are chosen here once, with deterministic random
numbers keyed by lead id, so Salesforce and HubSpot plant them on the same persons:

- contact-only persons (Salesforce: a contact that never was a lead), about ``CONTACT_ONLY_SHARE`` of
  the persons, chosen among those with one version whose times parse (a contact's company fields
  come from its account, which has no history);
- merged duplicates: ``MERGED_SHARE`` of the persons that sales touched get a duplicate record merged
  into them, one of them a chain of two duplicates (A into B into the survivor); some of their
  touches (and HubSpot form submissions) are logged on a duplicate;
- email-only identifies (Segment): ``EMAIL_ONLY_IDENTIFY_SHARE`` of the persons whose email is valid
  and theirs alone identify by email, without a user id;
- deleted records: ``DELETED_SHARE`` of the persons' count (at least ``MIN_DELETED``) of records
  that are not in the truth, deleted in the connector, with a few events.

Temp tables: ``persons``, ``duplicates``, ``event_duplicates`` and ``deleted_records``.
"""

from __future__ import annotations

from lead_scoring.generate.connectors.truth import Conversion, end_ts_literal

CONTACT_ONLY_SHARE = 0.055  # of the single-version persons (~90% of all): ~5% of the persons
MERGED_SHARE = 0.02
MIN_MERGED = 3
EMAIL_ONLY_IDENTIFY_SHARE = 0.1
DELETED_SHARE = 0.005
MIN_DELETED = 3
# events of a merged person logged on one of its duplicates (besides its first one or two)
MOVED_TO_DUPLICATE_SHARE = 0.4


def build_persons(run: Conversion) -> None:
    """``persons``: one row per truth lead_id, its facts and the quirks chosen for it."""
    run.sql(f"""
        create temp table persons as
        with lead_rows as (
            select * from truth_lead_rows where lead_id is not null
        ), per_lead as (
            select
                lead_id,
                count(*) as n_rows,
                count(*) filter (where row_valid) as n_valid,
                min(created_ts) as created_ts,
                max(line) as last_line,
                max(line) filter (where row_valid) as latest_valid_line,
                arg_max(email_key, line) as email_key,
                bool_and(not created_bad and not updated_bad) as times_parse
            from lead_rows
            group by lead_id
        ), email_counts as (
            select email_key, count(*) as persons_with_email
            from per_lead where email_key is not null group by email_key
        ), touch_counts as (
            select lead_id, count(*) as n_touch
            from truth_events where category = 'touch' group by lead_id
        ), facts as (
            select
                per_lead.*,
                row_number() over (order by per_lead.lead_id) as person_num,
                coalesce(per_lead.latest_valid_line, per_lead.last_line) as chosen_line,
                email_ok(per_lead.email_key) and email_counts.persons_with_email = 1 as has_unique_email,
                coalesce(touch_counts.n_touch, 0) as n_touch,
                per_lead.n_rows = 1 and per_lead.times_parse
                    and crnd(per_lead.lead_id, 201) < {CONTACT_ONLY_SHARE} as is_contact_only
            from per_lead
            left join email_counts using (email_key)
            left join touch_counts using (lead_id)
        ), merge_ranked as (
            select *,
                case when n_touch > 0 and not is_contact_only
                     then row_number() over (
                         partition by n_touch > 0 and not is_contact_only
                         order by crnd(lead_id, 202), lead_id) end as merge_rank
            from facts
        )
        select * exclude (merge_rank),
            case when merge_rank <= greatest({MIN_MERGED}, round({MERGED_SHARE} * count(*) over ()))
                 then merge_rank end as merge_rank,
            has_unique_email and crnd(lead_id, 203) < {EMAIL_ONLY_IDENTIFY_SHARE} as is_email_only
        from merge_ranked
        order by person_num
    """)
    end_ts = end_ts_literal(run.end_date)
    # the first merged person has a chain: duplicate 1 merged into duplicate 2, 2 into the survivor
    run.sql(f"""
        create temp table duplicates as
        with merged as (
            select lead_id, person_num, created_ts, chosen_line, merge_rank,
                case when merge_rank = 1 then 2 else 1 end as n_dups
            from persons where merge_rank is not null
        ), dups as (
            select merged.*, unnest(range(1, n_dups + 1)) as dup_num from merged
        )
        select *,
            row_number() over (order by person_num, dup_num) as dup_seq,
            least({end_ts}, coalesce(created_ts, {end_ts} - interval 10 days)
                            + dup_num * interval 2 hours) as dup_created_ts,
            least({end_ts}, coalesce(created_ts, {end_ts} - interval 10 days)
                            + dup_num * interval 2 hours + dup_num * interval 1 day) as merged_ts,
            -- the duplicate it was merged into; 0 = the survivor
            case when dup_num < n_dups then dup_num + 1 else 0 end as merged_into_dup
        from dups
        order by person_num, dup_num
    """)
    # which events of a merged person were logged on a duplicate: its first one (on the first
    # duplicate), its second (on the last), and a share of the others
    run.sql(f"""
        create temp table event_duplicates as
        with candidates as (
            select truth_events.line, truth_events.lead_id, persons.merge_rank,
                case when persons.merge_rank = 1 then 2 else 1 end as n_dups,
                row_number() over (
                    partition by truth_events.lead_id
                    order by truth_events.occurred_ts nulls last, truth_events.line) as event_rank
            from truth_events
            inner join persons using (lead_id)
            where persons.merge_rank is not null and truth_events.category in ('touch', 'form')
        )
        select line, lead_id,
            case when event_rank = 1 then 1
                 when event_rank = 2 then n_dups
                 when crnd(line, 204) < {MOVED_TO_DUPLICATE_SHARE}
                 then 1 + floor(crnd(line, 205) * n_dups)::bigint end as dup_num
        from candidates
        where event_rank <= 2 or crnd(line, 204) < {MOVED_TO_DUPLICATE_SHARE}
        order by line
    """)
    run.sql(f"""
        create temp table deleted_records as
        with counted as (
            select greatest({MIN_DELETED}, round({DELETED_SHARE} * count(*)))::bigint as n from persons
        )
        select range + 1 as deleted_num,
            {end_ts} - interval 20 days + range * interval 1 day + interval 9 hours as created_ts,
            'test' || (range + 1) || '@mailinator.com' as email
        from counted, range(n)
        order by deleted_num
    """)


def describe(run: Conversion) -> str:
    row = run.con.execute("""
        select count(*), count(*) filter (where is_contact_only), count(merge_rank),
            count(*) filter (where is_email_only), (select count(*) from deleted_records)
        from persons
    """).fetchone()
    persons, contact_only, merged, email_only, deleted = row if row else (0, 0, 0, 0, 0)
    return (
        f"{persons:,} persons: {contact_only} contact-only, {merged} merged, "
        f"{email_only} email-only identifies, {deleted} deleted records"
    )
