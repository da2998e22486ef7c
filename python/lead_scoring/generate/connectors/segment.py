"""Segment (or RudderStack): the events a shape does not put in its CRM, as identifies, pages, tracks.

Reads the temp table ``segment_input`` that the shape fills (one row per event for Segment:
``line``, ``event_id``, ``lead_id`` of the truth person or null, ``user_key`` (the person's id in
the shape, or the raw lead id of an event of no truth person), ``is_person``, ``category``,
``event_type``, ``type_norm``, ``occurred_ts``, ``page_url``, ``duration_typed``, ``duration_bad``)
and writes ``seg_identifies``, ``seg_pages`` and ``seg_tracks``.

Identity, as a website sees it: every person gets an anonymous id; their identify call comes a few
hours (at most ``IDENTIFY_DELAY_HOURS``) after their first event, well inside the look-back of var
identity_lookback_days; their web events before it carry the anonymous id only, later ones the user
id too. The user id is the person's id in the shape. Persons chosen for an email-only identify
(people.EMAIL_ONLY_IDENTIFY_SHARE) identify with their email and no user id, and none of their
events carries a user id. An event of no truth person keeps the raw lead id as its user id, which
names nobody (rejected as in the files). One visitor is never identified: a few page views.

A page view is a page call; every other event a track call named as in the seed
connector_event_types (``SEGMENT_TRACK_NAMES``); an unknown type is sent with its own name (not
mapped, so rejected as in the files). A re-delivered event (the same event id twice in the files)
is the same message id twice. A track has no duration: an event that staging rejects for its
duration (a webinar with a negative one) is sent without its time, so it is rejected too.
"""

from __future__ import annotations

from lead_scoring.generate.connectors.truth import Conversion, end_ts_literal
from lead_scoring.generate.sql import quote
from lead_scoring.generate.vocabulary import SITE

IDENTIFY_DELAY_HOURS = 4
NEVER_IDENTIFIED_PAGES = ("/pricing", "/product", "/", "/blog/lead-scoring-101")

# Track names per event type (the seed connector_event_types maps their lower case back).
SEGMENT_TRACK_NAMES = {
    "form_submit": "Form Submitted",
    "content_download": "Content Downloaded",
    "webinar_attended": "Webinar Attended",
    "demo_request": "Demo Requested",
    "trial_signup": "Trial Signed Up",
    "email_open": "Email Opened",
    "email_click": "Email Link Clicked",
    "email_bounce": "Email Bounced",
    "email_unsubscribe": "Unsubscribed",
    "product_login": "Signed In",
    "feature_used": "Feature Used",
    "seat_invited": "Invite Sent",
    "trial_started": "Trial Started",
    "trial_converted": "Trial Converted",
    # only in the segment shape (every event in Segment); the seed needs rows for these
    "sales_call": "Call Logged",
    "sales_email": "Sales Email Sent",
    "meeting_booked": "Meeting Booked",
}

# the web events a visitor sends before being identified (product and email events carry a user id)
ANONYMOUS_CATEGORIES = ("page", "form", "web")

SEGMENT_INPUT_COLUMNS = (
    "line bigint, event_id varchar, lead_id varchar, user_key varchar, is_person boolean, "
    "category varchar, event_type varchar, type_norm varchar, occurred_ts timestamp, page_url varchar, "
    "duration_typed double, duration_bad boolean"
)


def create_input(run: Conversion) -> None:
    """The empty ``segment_input`` the shape fills."""
    run.sql(f"create temp table segment_input ({SEGMENT_INPUT_COLUMNS})")


def build_tables(run: Conversion) -> None:
    """``seg_identifies``, ``seg_pages`` and ``seg_tracks`` from ``segment_input`` (module docstring)."""
    end_ts = end_ts_literal(run.end_date)
    names = " ".join(f"when {quote(t)} then {quote(n)}" for t, n in SEGMENT_TRACK_NAMES.items())
    anonymous = ", ".join(quote(c) for c in ANONYMOUS_CATEGORIES)
    run.sql(f"""
        create temp table seg_visitors as
        select segment_input.lead_id, any_value(segment_input.user_key) as user_key,
            min(segment_input.occurred_ts) as first_ts,
            any_value(persons.person_num) as person_num,
            any_value(persons.is_email_only) as is_email_only,
            any_value(case when persons.has_unique_email then persons.email_key end) as email,
            uuid_of('visitor:' || segment_input.lead_id) as anonymous_id,
            min(segment_input.occurred_ts)
                + floor(crnd(segment_input.lead_id, 211) * {IDENTIFY_DELAY_HOURS * 3600})::bigint
                  * interval 1 second as identify_ts
        from segment_input
        inner join persons using (lead_id)
        where segment_input.is_person
        group by segment_input.lead_id
    """)
    run.sql(f"""
        create temp table seg_calls as
        select segment_input.*,
            case when segment_input.is_person then seg_visitors.anonymous_id end as anonymous_id,
            case when not segment_input.is_person then segment_input.user_key
                 when seg_visitors.is_email_only then null
                 when segment_input.category in ({anonymous})
                      and segment_input.occurred_ts < seg_visitors.identify_ts then null
                 else segment_input.user_key end as user_id,
            coalesce(segment_input.occurred_ts
                     + (1 + floor(crnd(segment_input.line, 212) * 5))::bigint * interval 1 second,
                     {run.sync_ts}) as received_at,
            clean(segment_input.page_url) as page_url_clean
        from segment_input
        left join seg_visitors using (lead_id)
    """)
    site = quote(f"https://www.{SITE}")
    run.sql(f"""
        create temp table seg_pages as
        with pages as (
            select *,
                case when starts_with(page_url_clean, '/') then {site} || page_url_clean
                     else page_url_clean end as url
            from seg_calls
            where category = 'page'
            union all
            select 1e15::bigint + range, 'pg_anon_' || lpad((range + 1)::varchar, 4, '0'), null, null,
                false, 'page', 'page_view', 'page_view',
                {end_ts} - (range + 1) * interval 3 days - interval 10 hours,
                null, null, false,
                uuid_of('never identified'), null,
                {end_ts} - (range + 1) * interval 3 days - interval 10 hours + interval 2 seconds,
                list_extract({list(NEVER_IDENTIFIED_PAGES)}, range + 1),
                {site} || list_extract({list(NEVER_IDENTIFIED_PAGES)}, range + 1)
            from range({len(NEVER_IDENTIFIED_PAGES)})
        ), with_path as (
            select *,
                coalesce(nullif(regexp_replace(regexp_replace(url, '^[a-zA-Z]+://[^/]+', ''),
                                               '[?#].*$', ''), ''), '/') as path
            from pages
        )
        select
            event_id as id,
            anonymous_id,
            user_id,
            received_at,
            occurred_ts as sent_at,
            occurred_ts as timestamp,
            path,
            url,
            case when path = '/' then 'Example Vendor'
                 else replace(regexp_extract(path, '([^/]+)/?$', 1), '-', ' ') || ' | Example Vendor'
                 end as title,
            case when crnd(line, 213) < 0.3 then 'https://www.google.com/'
                 when crnd(line, 213) < 0.4 then 'https://www.linkedin.com/' end as referrer,
            duration_typed as duration_seconds
        from with_path
        order by line
    """)
    run.sql(f"""
        create temp table seg_tracks as
        with named as (
            select *,
                case event_type {names}
                    else array_to_string(list_transform(string_split(type_norm, '_'),
                                                        w -> upper(w[1]) || w[2:]), ' ') end as event_text
            from seg_calls
            where category <> 'page'
        )
        select
            event_id as id,
            anonymous_id,
            user_id,
            lower(replace(event_text, ' ', '_')) as event,
            event_text,
            received_at,
            case when not duration_bad then occurred_ts end as sent_at,
            case when not duration_bad then occurred_ts end as timestamp,
            page_url_clean as context_page_url
        from named
        order by line
    """)
    run.sql("""
        create temp table seg_identifies as
        select
            'idf_' || lpad(person_num::varchar, 8, '0') as id,
            anonymous_id,
            case when not is_email_only then user_key end as user_id,
            email,
            identify_ts + interval 1 second as received_at,
            identify_ts as sent_at,
            identify_ts as timestamp
        from seg_visitors
        where identify_ts is not null
        order by person_num
    """)


def build_shape(run: Conversion) -> None:
    """The segment shape: leads and opportunities stay files; every event goes to Segment."""
    run.sql("""
        insert into segment_input
        select truth_events.line, truth_events.event_id, persons.lead_id,
            coalesce(persons.lead_id, truth_events.lead_id), persons.lead_id is not null,
            truth_events.category, truth_events.event_type, truth_events.type_norm,
            truth_events.occurred_ts, truth_events.page_url, truth_events.duration_typed,
            truth_events.duration_bad
        from truth_events
        left join persons using (lead_id)
    """)
    run.sql("""
        create temp table truth_person_ids as
        select lead_id, lead_id as person_id, 'files.leads' as person_record from persons order by lead_id
    """)
    run.sql("""
        create temp table truth_opportunity_ids as
        select opportunity_id, opportunity_id as connector_opportunity_id
        from truth_opportunities order by line
    """)


SEGMENT_TABLES = {"identifies": "seg_identifies", "pages": "seg_pages", "tracks": "seg_tracks"}
