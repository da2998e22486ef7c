"""HubSpot through hubspot-api-client: CRM v3 batch endpoints of contacts and companies.

- update by record id: ``POST /crm/v3/objects/<type>/batch/update`` (``{"inputs": [{"id", "properties"}]}``);
  200 when every record was updated, 207 with ``errors`` (each naming its records in
  ``context.ids``) when some were not;
- upsert on a unique property, for people known by no CRM id: ``POST .../batch/upsert`` (inputs with
  ``idProperty``; each result says whether it was ``new``);
- read back: ``POST .../batch/read`` (by id, or by ``idProperty``).

Credentials: LEAD_SCORING_HUBSPOT_TOKEN (a private app's access token, scopes
crm.objects.contacts.read/write and crm.objects.companies.read/write). LEAD_SCORING_HUBSPOT_BASE_URL
changes the API's address (default https://api.hubapi.com; the tests' fake CRM). A CA bundle in
REQUESTS_CA_BUNDLE or SSL_CERT_FILE is trusted as requests would.
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

import urllib3

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

TOKEN_VARIABLE = "LEAD_SCORING_HUBSPOT_TOKEN"
BASE_URL_VARIABLE = "LEAD_SCORING_HUBSPOT_BASE_URL"
DEFAULT_BASE_URL = "https://api.hubapi.com"


def _error_text(body: Any) -> tuple[str, str]:
    """(code, message) of a HubSpot error body."""
    try:
        data = json.loads(body) if isinstance(body, bytes | str) else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    code = str(data.get("category") or data.get("errorType") or "")
    message = str(
        data.get("message") or (body.decode("utf-8", "replace") if isinstance(body, bytes) else body)
    )
    return code, message


class HubSpotClient:
    crm = "hubspot"

    def __init__(self, token: str, base_url: str = DEFAULT_BASE_URL, timeout_seconds: float = 60.0) -> None:
        from hubspot import HubSpot

        register_secret(token)
        ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or None
        options: dict[str, Any] = {"access_token": token, "host": base_url.rstrip("/")}
        if ca_bundle:
            options["ssl_ca_cert"] = ca_bundle
        # no retries inside the client: the push retries, reading back what may have been applied
        self._client = HubSpot(retry=urllib3.Retry(total=0, redirect=0, raise_on_status=False), **options)
        self._timeout = timeout_seconds
        self._apis: dict[str, Any] = {}

    @classmethod
    def from_environment(cls, timeout_seconds: float) -> HubSpotClient:
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
        if not token:
            raise SystemExit(
                f"{TOKEN_VARIABLE} is not set: the push to HubSpot needs a private app's access token"
            )
        return cls(token, os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL, timeout_seconds)

    # ---- calls ----------------------------------------------------------------------------------------

    def _api(self, object_type: str, name: str) -> Any:
        key = f"{object_type}.{name}"
        if key not in self._apis:
            self._apis[key] = getattr(getattr(self._client.crm, object_type), name)
        return self._apis[key]

    def _call(self, object_type: str, what: str, call: Any) -> tuple[int, dict[str, Any]]:
        """Run a client call (raw response) and classify what went wrong; (status, JSON body)."""
        exceptions = importlib.import_module(f"hubspot.crm.{object_type}.exceptions")
        try:
            response = call()
        except exceptions.ApiException as error:
            status = int(error.status or 0)
            code, message = _error_text(error.body)
            text = redact(f"HubSpot {what}: HTTP {status} {code} {message}".strip())
            if status == 0:
                raise OutcomeUnknown(redact(f"HubSpot {what}: {error.reason}")) from None
            if status == 429:
                headers = error.headers or {}
                raise RateLimited(text, retry_after_seconds(headers.get("Retry-After"))) from None
            if status >= 500:
                raise OutcomeUnknown(text) from None
            if status in (401, 403):
                raise AccessRefused(text) from None
            raise BatchRejected(text, code or str(status)) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise OutcomeUnknown(redact(f"HubSpot {what}: {type(error).__name__}: {error}")) from None
        body = response.data
        return response.status, (json.loads(body) if body else {})

    def check_access(self, sync_object: SyncObject) -> None:
        """One authenticated read (GET /crm/v3/objects/<type>?limit=1): credentials and scope."""
        api = self._api(sync_object.crm_object, "basic_api")
        self._call(
            sync_object.crm_object,
            f"reading {sync_object.crm_object}",
            lambda: api.get_page(limit=1, _preload_content=False, _request_timeout=self._timeout),
        )

    def write(
        self, sync_object: SyncObject, records: list[dict[str, Any]], match_by: str
    ) -> dict[str, Outcome]:
        models = importlib.import_module(f"hubspot.crm.{sync_object.crm_object}.models")
        api = self._api(sync_object.crm_object, "batch_api")
        if match_by == "crm_id":
            body = models.BatchInputSimplePublicObjectBatchInput(
                inputs=[
                    models.SimplePublicObjectBatchInput(
                        id=record["crm_record_id"],
                        properties=payloads.hubspot_properties(sync_object, record),
                    )
                    for record in records
                ]
            )
            _, answer = self._call(
                sync_object.crm_object,
                f"updating {len(records)} {sync_object.crm_object}",
                lambda: api.update(body, _preload_content=False, _request_timeout=self._timeout),
            )
            return self._outcomes(records, answer, key=lambda result: str(result.get("id")))
        id_property = sync_object.external_id_field
        assert id_property is not None
        body = models.BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                models.SimplePublicObjectBatchInputUpsert(
                    id=record["crm_record_id"],
                    id_property=id_property,
                    properties={
                        **payloads.hubspot_properties(sync_object, record),
                        id_property: record["crm_record_id"],
                    },
                )
                for record in records
            ]
        )
        _, answer = self._call(
            sync_object.crm_object,
            f"upserting {len(records)} {sync_object.crm_object}",
            lambda: api.upsert(body, _preload_content=False, _request_timeout=self._timeout),
        )
        return self._outcomes(
            records, answer, key=lambda result: str((result.get("properties") or {}).get(id_property))
        )

    @staticmethod
    def _outcomes(records: list[dict[str, Any]], answer: dict[str, Any], key: Any) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        for result in answer.get("results") or []:
            outcomes[key(result)] = Outcome(True, str(result.get("id")), bool(result.get("new", False)))
        for error in answer.get("errors") or []:
            code = str(error.get("category") or error.get("status") or "error")
            message = redact(str(error.get("message") or ""))
            for record_id in (error.get("context") or {}).get("ids") or []:
                outcomes.setdefault(str(record_id), Outcome(False, error_code=code, error_message=message))
        missing = Outcome(
            False, error_code="NO_RESULT", error_message="HubSpot returned no result for this record"
        )
        return {record["crm_record_id"]: outcomes.get(record["crm_record_id"], missing) for record in records}

    def read(
        self, sync_object: SyncObject, records: list[dict[str, Any]], match_by: str
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        """The CRM's values of the records it has: crm_record_id -> (CRM id, values by CRM field)."""
        models = importlib.import_module(f"hubspot.crm.{sync_object.crm_object}.models")
        api = self._api(sync_object.crm_object, "batch_api")
        id_property = sync_object.external_id_field if match_by == "external_id" else None
        properties = [crm_field for _, crm_field in sync_object.fields] + (
            [id_property] if id_property else []
        )
        body = models.BatchReadInputSimplePublicObjectId(
            properties=properties,
            id_property=id_property,
            inputs=[models.SimplePublicObjectId(id=record["crm_record_id"]) for record in records],
        )
        _, answer = self._call(
            sync_object.crm_object,
            f"reading back {len(records)} {sync_object.crm_object}",
            lambda: api.read(body, archived=False, _preload_content=False, _request_timeout=self._timeout),
        )
        found = {}
        for result in answer.get("results") or []:
            values = result.get("properties") or {}
            key = str(values.get(id_property)) if id_property else str(result.get("id"))
            found[key] = (str(result.get("id")), values)
        return found
