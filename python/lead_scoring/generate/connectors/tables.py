"""The connector tables written, per schema: every column and its DuckDB type, in order.

These are the tables and columns of the connector interface (issue 21, "The connector tables"): what
a Fivetran (Salesforce, HubSpot) or Segment / RudderStack DuckDB destination writes, and what the
dbt adapters in models/staging/<connector>/ read. Where the interface states a type, it is used; the
other columns get the type the connector writes (ids and free text VARCHAR, times TIMESTAMP in UTC).
The writer casts every column to its type here, so a table always has exactly these columns.
"""

from __future__ import annotations

Columns = tuple[tuple[str, str], ...]

TEXT = "VARCHAR"
TS = "TIMESTAMP"
BOOL = "BOOLEAN"
INT = "INTEGER"
BIGINT = "BIGINT"
DOUBLE = "DOUBLE"
DATE = "DATE"


def _cols(spec: str) -> Columns:
    """'id, is_deleted:BOOLEAN, ...' -> (('id', 'VARCHAR'), ('is_deleted', 'BOOLEAN'), ...)."""
    columns = []
    for item in spec.split(","):
        name, _, kind = item.strip().partition(":")
        columns.append((name, kind or TEXT))
    return tuple(columns)


_HISTORY = f"_fivetran_active:{BOOL}, _fivetran_start:{TS}, _fivetran_end:{TS}"

SALESFORCE: dict[str, Columns] = {
    "lead": _cols(
        f"id, is_deleted:{BOOL}, master_record_id, first_name, last_name, title, company, industry, "
        f"number_of_employees:{INT}, annual_revenue:{DOUBLE}, country, email, lead_source, status, "
        f"is_converted:{BOOL}, converted_date:{DATE}, converted_contact_id, converted_account_id, "
        f"converted_opportunity_id, created_date:{TS}, last_modified_date:{TS}, system_modstamp:{TS}, "
        f"_fivetran_synced:{TS}, {_HISTORY}"
    ),
    "contact": _cols(
        f"id, is_deleted:{BOOL}, master_record_id, account_id, first_name, last_name, title, email, "
        f"lead_source, mailing_country, created_date:{TS}, last_modified_date:{TS}, _fivetran_synced:{TS}, "
        f"{_HISTORY}"
    ),
    "account": _cols(
        f"id, is_deleted:{BOOL}, master_record_id, name, industry, number_of_employees:{INT}, "
        f"annual_revenue:{DOUBLE}, billing_country, website, created_date:{TS}, _fivetran_synced:{TS}"
    ),
    "opportunity": _cols(
        f"id, is_deleted:{BOOL}, account_id, contact_id, name, stage_name, amount:{DOUBLE}, "
        f"is_closed:{BOOL}, is_won:{BOOL}, close_date:{DATE}, created_date:{TS}, last_modified_date:{TS}, "
        f"_fivetran_synced:{TS}"
    ),
    "opportunity_contact_role": _cols(
        f"id, opportunity_id, contact_id, role, is_primary:{BOOL}, is_deleted:{BOOL}, created_date:{TS}"
    ),
    "task": _cols(
        f"id, who_id, what_id, subject, type, task_subtype, status, activity_date:{DATE}, "
        f"created_date:{TS}, is_deleted:{BOOL}, call_duration_in_seconds:{INT}"
    ),
    "event": _cols(
        f"id, who_id, what_id, subject, type, event_subtype, start_date_time:{TS}, "
        f"activity_date_time:{TS}, created_date:{TS}, duration_in_minutes:{INT}, is_deleted:{BOOL}"
    ),
    "campaign": _cols(f"id, name, type, is_deleted:{BOOL}"),
    "campaign_member": _cols(
        f"id, campaign_id, lead_id, contact_id, status, has_responded:{BOOL}, first_responded_date:{DATE}, "
        f"created_date:{TS}, is_deleted:{BOOL}"
    ),
}

HUBSPOT: dict[str, Columns] = {
    "contact": _cols(
        f"id:{BIGINT}, property_email, property_firstname, property_lastname, property_jobtitle, "
        "property_company, property_industry, property_numemployees, "
        f"property_annualrevenue:{DOUBLE}, property_country, property_hs_analytics_source, "
        f"property_createdate:{TS}, property_lastmodifieddate:{TS}, _fivetran_deleted:{BOOL}, "
        f"property_associatedcompanyid:{BIGINT}, _fivetran_synced:{TS}"
    ),
    "contact_merge_audit": _cols(
        f"contact_id:{BIGINT}, canonical_vid:{BIGINT}, vid_to_merge:{BIGINT}, timestamp:{TS}"
    ),
    "contact_property_history": _cols(f"contact_id:{BIGINT}, name, value, timestamp:{TS}"),
    "deal": _cols(
        f"deal_id:{BIGINT}, property_dealname, property_dealstage, property_amount:{DOUBLE}, "
        f"property_createdate:{TS}, property_closedate:{TS}, deal_pipeline_id, deal_pipeline_stage_id, "
        f"is_deleted:{BOOL}, _fivetran_deleted:{BOOL}"
    ),
    "deal_contact": _cols(f"deal_id:{BIGINT}, contact_id:{BIGINT}"),
    "deal_pipeline_stage": _cols(
        f"stage_id, pipeline_id, label, probability:{DOUBLE}, display_order:{INT}, is_active:{BOOL}, "
        f"closed_won:{BOOL}"
    ),
    "email_event": _cols(
        f"id, type, created:{TS}, recipient, email_campaign_id:{BIGINT}, _fivetran_synced:{TS}"
    ),
    "contact_form_submission": _cols(
        f"contact_id:{BIGINT}, conversion_id, form_id, page_url, timestamp:{TS}, title"
    ),
    "engagement": _cols(f"id:{BIGINT}, type, timestamp:{TS}, created_at:{TS}, active:{BOOL}"),
    "engagement_contact": _cols(f"engagement_id:{BIGINT}, contact_id:{BIGINT}"),
}

SEGMENT: dict[str, Columns] = {
    "identifies": _cols(f"id, anonymous_id, user_id, email, received_at:{TS}, sent_at:{TS}, timestamp:{TS}"),
    "pages": _cols(
        f"id, anonymous_id, user_id, received_at:{TS}, sent_at:{TS}, timestamp:{TS}, path, url, title, "
        f"referrer, duration_seconds:{DOUBLE}"
    ),
    "tracks": _cols(
        f"id, anonymous_id, user_id, event, event_text, received_at:{TS}, sent_at:{TS}, timestamp:{TS}, "
        "context_page_url"
    ),
}

# What the equality test needs to compare a connector shape with the files it came from.
TRUTH_SCHEMA = "lead_scoring_truth"
TRUTH: dict[str, Columns] = {
    # every lead_id of the leads file, and the person id the shape scores it under
    "person_ids": _cols("lead_id, person_id, person_record"),
    # every opportunity_id of the opportunities file, and its id in the shape
    "opportunity_ids": _cols("opportunity_id, connector_opportunity_id"),
    # the shape written, and the dbt vars that read it (JSON)
    "shape": _cols("shape, dbt_vars"),
}

SCHEMAS: dict[str, dict[str, Columns]] = {
    "salesforce": SALESFORCE,
    "hubspot": HUBSPOT,
    "segment": SEGMENT,
    TRUTH_SCHEMA: TRUTH,
}
