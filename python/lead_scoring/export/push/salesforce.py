"""Salesforce through simple-salesforce: the REST API's sObject Collections, up to 200 records a call.

- update by Id: ``PATCH /services/data/vXX.X/composite/sobjects`` (``allOrNone`` false: each record
  succeeds or fails on its own; one SaveResult per record, in order, with ``statusCode`` and
  ``message`` when it failed, e.g. ``CANNOT_UPDATE_CONVERTED_LEAD``, ``ENTITY_IS_DELETED``);
- upsert on an external id field, for people known by no CRM id: ``PATCH
  .../composite/sobjects/<object>/<external id field>`` (each result says whether it was ``created``);
- read back: a SOQL query (``GET .../query``) on the records' Ids or external ids.

sObject Collections rather than Bulk API 2.0: a call answers at once, record by record, so the
journal knows after each batch what was taken; the daily change set is small (scores are rounded).
For a first sync of millions of records the file export writes a Bulk API 2.0 job instead.

Credentials: LEAD_SCORING_SALESFORCE_INSTANCE_URL (https://<my domain>.my.salesforce.com) with
LEAD_SCORING_SALESFORCE_TOKEN (an OAuth access token / session id), or
LEAD_SCORING_SALESFORCE_USERNAME, _PASSWORD and _SECURITY_TOKEN (simple-salesforce logs in; domain
LEAD_SCORING_SALESFORCE_DOMAIN, default login). LEAD_SCORING_SALESFORCE_API_VERSION (default 62.0).
A CA bundle in REQUESTS_CA_BUNDLE is trusted (requests reads it).
"""

from __future__ import annotations

import os
from typing import Any

import requests

from lead_scoring.export.push import payloads
from lead_scoring.export.push.client import (
    AccessRefused,
    BatchRejected,
    Outcome,
    OutcomeUnknown,
    RateLimited,
    redact,
    register_secret,
    retry_after_seconds,
)
from lead_scoring.export.push.objects import SyncObject

PREFIX = "LEAD_SCORING_SALESFORCE_"
DEFAULT_API_VERSION = "62.0"


def soql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _error_text(content: Any) -> tuple[str, str]:
    """(code, message) of a Salesforce error body: a list of {errorCode, message}."""
    first = content[0] if isinstance(content, list) and content else content
    if isinstance(first, dict):
        return str(first.get("errorCode") or ""), str(first.get("message") or "")
    return "", str(content)


class SalesforceClient:
    crm = "salesforce"

    def __init__(
        self, login: dict[str, str], version: str = DEFAULT_API_VERSION, timeout_seconds: float = 60.0
    ):
        from simple_salesforce import Salesforce

        for key in ("session_id", "password", "security_token"):
            register_secret(login.get(key))
        self._session = requests.Session()
        self._last_response: requests.Response | None = None

        def remember(response: requests.Response, *args: Any, **kwargs: Any) -> None:
            self._last_response = response

        self._session.hooks["response"].append(remember)
        try:
            self._sf = Salesforce(version=version, session=self._session, **login)
        except Exception as error:  # a failed login (simple-salesforce's SalesforceAuthenticationFailed)
            raise AccessRefused(f"Salesforce login failed: {error}") from None
        self._timeout = timeout_seconds

    @classmethod
    def from_environment(cls, timeout_seconds: float) -> SalesforceClient:
        env = {
            key[len(PREFIX) :].lower(): value for key, value in os.environ.items() if key.startswith(PREFIX)
        }
        version = env.get("api_version") or DEFAULT_API_VERSION
        if env.get("token") and env.get("instance_url"):
            login = {"instance_url": env["instance_url"], "session_id": env["token"]}
        elif env.get("username") and env.get("password") and env.get("security_token"):
            login = {key: env[key] for key in ("username", "password", "security_token")}
            login["domain"] = env.get("domain") or "login"
        else:
            raise SystemExit(
                f"Salesforce credentials are not set: {PREFIX}INSTANCE_URL and {PREFIX}TOKEN, or "
                f"{PREFIX}USERNAME, {PREFIX}PASSWORD and {PREFIX}SECURITY_TOKEN"
            )
        return cls(login, version, timeout_seconds)

    # ---- calls ----------------------------------------------------------------------------------------

    def _call(self, what: str, call: Any) -> Any:
        from simple_salesforce.exceptions import SalesforceError

        self._last_response = None
        try:
            return call()
        except SalesforceError as error:
            status = int(error.status or 0)
            code, message = _error_text(error.content)
            text = redact(f"Salesforce {what}: HTTP {status} {code} {message}".strip())
            if status == 429:
                header = (
                    self._last_response.headers.get("Retry-After")
                    if self._last_response is not None
                    else None
                )
                raise RateLimited(text, retry_after_seconds(header)) from None
            if status >= 500:
                raise OutcomeUnknown(text) from None
            if status in (401, 403):
                raise AccessRefused(text) from None
            raise BatchRejected(text, code or str(status)) from None
        except (requests.RequestException, OSError) as error:
            raise OutcomeUnknown(redact(f"Salesforce {what}: {type(error).__name__}: {error}")) from None

    def check_access(self, sync_object: SyncObject) -> None:
        """One authenticated read (GET /services/data/vXX.X/, the API's resources): the credentials."""
        self._call("reading the API's resources", lambda: self._sf.restful("", timeout=self._timeout))

    def write(
        self, sync_object: SyncObject, records: list[dict[str, Any]], match_by: str
    ) -> dict[str, Outcome]:
        attributes = {"type": sync_object.crm_object}
        if match_by == "crm_id":
            path = "composite/sobjects"
            body = [
                {
                    "attributes": attributes,
                    "id": record["crm_record_id"],
                    **payloads.salesforce_fields(sync_object, record),
                }
                for record in records
            ]
            what = f"updating {len(records)} {sync_object.crm_object}"
        else:
            field = sync_object.external_id_field
            assert field is not None
            path = f"composite/sobjects/{sync_object.crm_object}/{field}"
            body = [
                {
                    "attributes": attributes,
                    field: record["crm_record_id"],
                    **payloads.salesforce_fields(sync_object, record),
                }
                for record in records
            ]
            what = f"upserting {len(records)} {sync_object.crm_object}"
        results = self._call(
            what,
            lambda: self._sf.restful(
                path, method="PATCH", json={"allOrNone": False, "records": body}, timeout=self._timeout
            ),
        )
        if not isinstance(results, list) or len(results) != len(records):
            raise OutcomeUnknown(f"Salesforce {what}: expected {len(records)} results, got {results!r:.200}")
        outcomes = {}
        for record, result in zip(records, results, strict=True):
            if result.get("success"):
                outcomes[record["crm_record_id"]] = Outcome(
                    True, result.get("id"), bool(result.get("created", False))
                )
                continue
            errors = result.get("errors") or [{}]
            outcomes[record["crm_record_id"]] = Outcome(
                False,
                error_code=str(errors[0].get("statusCode") or "error"),
                error_message=redact("; ".join(str(e.get("message") or "") for e in errors)),
            )
        return outcomes

    def read(
        self, sync_object: SyncObject, records: list[dict[str, Any]], match_by: str
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        """The CRM's values of the records it has: crm_record_id -> (Salesforce Id, values by field)."""
        key_field = "Id" if match_by == "crm_id" else sync_object.external_id_field
        assert key_field is not None
        fields = ["Id", *(crm_field for _, crm_field in sync_object.fields)]
        if key_field not in fields:
            fields.append(key_field)
        keys = ", ".join(soql_string(record["crm_record_id"]) for record in records)
        query = f"SELECT {', '.join(fields)} FROM {sync_object.crm_object} WHERE {key_field} IN ({keys})"
        answer = self._call(
            f"reading back {len(records)} {sync_object.crm_object}",
            lambda: self._sf.query_all(query, timeout=self._timeout),
        )
        return {
            str(row.get(key_field)): (str(row.get("Id")), dict(row)) for row in answer.get("records") or []
        }
