"""A fake CRM for the push's tests: one HTTPS server on 127.0.0.1 (a random port, a certificate made
here) answering like the documented APIs the push calls, HubSpot's and Salesforce's side by side.

HubSpot CRM v3 (objects ``contacts`` and ``companies``):
- ``GET /crm/v3/objects/<type>?limit=1``;
- ``POST /crm/v3/objects/<type>/batch/update``: 200, or 207 with ``errors`` (``OBJECT_NOT_FOUND`` for a
  record it does not have, ``VALIDATION_ERROR`` for one refused) naming their records in ``context.ids``;
  a property it does not know fails the whole request (400 ``VALIDATION_ERROR``);
- ``POST .../batch/upsert`` on an ``idProperty``: updates the record holding the value, else creates one
  (``new``);
- ``POST .../batch/read`` by id or ``idProperty``: 207 with errors for the ids it does not have.
- a contact merged into another (``hubspot_merged``): its old id reads back as the survivor (with the
  survivor's id) and an update by the old id writes to the survivor, as HubSpot does.

Salesforce REST (``/services/data/v<version>/``; objects ``Lead``, ``Contact``, ``Account``):
- ``GET /services/data/v<version>/`` (the API's resources);
- ``PATCH composite/sobjects`` (sObject Collections update): one SaveResult per record, in order;
  ``CANNOT_UPDATE_CONVERTED_LEAD`` for a converted lead, ``ENTITY_IS_DELETED`` for a record it does not
  have, ``FIELD_CUSTOM_VALIDATION_EXCEPTION`` for one refused; an unknown field fails the request (400
  ``INVALID_FIELD``);
- ``PATCH composite/sobjects/<object>/<external id field>`` (upsert; ``created``);
- ``GET query?q=SELECT ... FROM <object> WHERE <field> IN (...)``.

Both refuse a wrong bearer token (401 as each documents it). Faults are queued with ``fail``: a 429
with Retry-After, a 5xx before or after the write was applied, a late answer (after applying: the
real answer, or a 5xx, after the client stopped waiting or was killed). ``writes`` lists every record
write applied, in order, for the exactly-once checks; ``requests`` every request (method, path,
status), never its headers.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import json
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

HUBSPOT_OBJECTS = ("contacts", "companies")
SALESFORCE_OBJECTS = ("Lead", "Contact", "Account")
SALESFORCE_ID_PREFIXES = {"Lead": "00Q", "Contact": "003", "Account": "001"}
WRITE_PATHS = re.compile(r"(/batch/(update|upsert)$)|(/composite/sobjects(/[^/]+/[^/]+)?$)")


@dataclass
class Fault:
    """An answer given instead of (or after) the real one, to the next `times` matching requests; with
    status None, the real answer, late."""

    status: int | None
    times: int = 1
    retry_after: str | None = None
    after_apply: bool = False  # apply the request, then answer with the fault (the answer is lost)
    delay_seconds: float = 0.0  # answer this late (after applying): longer than the client waits
    writes_only: bool = True


@dataclass(frozen=True)
class Write:
    crm: str
    object: str
    record_id: str
    values: dict[str, Any]
    created: bool


@dataclass
class FakeCrm:
    folder: Path
    token: str
    api_version: str = "62.0"
    delay_seconds: float = 0.0  # every request, to give a kill time to land mid-push
    hubspot: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    salesforce: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    hubspot_properties: dict[str, set[str]] | None = None  # None: any property exists
    salesforce_fields: dict[str, set[str]] | None = None
    converted_leads: set[str] = field(default_factory=set)
    # HubSpot contacts merged into another: the old id reads back as, and writes to, the survivor
    hubspot_merged: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # record id -> the CRM's validation message
    faults: list[Fault] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    in_flight: int = 0

    def __post_init__(self) -> None:
        for name in HUBSPOT_OBJECTS:
            self.hubspot.setdefault(name, {})
        for name in SALESFORCE_OBJECTS:
            self.salesforce.setdefault(name, {})
        self.lock = threading.RLock()
        self._ids = itertools.count(900001)
        self.ca_file = self.folder / "fake_crm_cert.pem"
        key_file = self.folder / "fake_crm_key.pem"
        _write_certificate(self.ca_file, key_file)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file, key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Until no request is being answered (a killed client's last request included)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.in_flight == 0:
                    return
            time.sleep(0.02)
        raise AssertionError("the fake CRM is still answering a request")

    def environment(self) -> dict[str, str]:
        """The variables that point the push at this server, with its token."""
        return {
            "LEAD_SCORING_HUBSPOT_TOKEN": self.token,
            "LEAD_SCORING_HUBSPOT_BASE_URL": self.url,
            "LEAD_SCORING_SALESFORCE_INSTANCE_URL": self.url,
            "LEAD_SCORING_SALESFORCE_TOKEN": self.token,
            "LEAD_SCORING_SALESFORCE_API_VERSION": self.api_version,
            "REQUESTS_CA_BUNDLE": str(self.ca_file),
        }

    def new_id(self, prefix: str = "") -> str:
        return f"{prefix}{next(self._ids)}"

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and (not fault.writes_only or WRITE_PATHS.search(path)):
                    fault.times -= 1
                    return fault
        return None


# ---- HubSpot ----------------------------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _hubspot_error(category: str, message: str, ids: list[str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {
        "status": "error",
        "category": category,
        "message": message,
        "errors": [],
        "links": {},
    }
    error["context"] = {"ids": ids} if ids else {}
    return error


def _hubspot_batch(results: list[dict], errors: list[dict], started: str) -> tuple[int, dict]:
    body: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": _now(),
    }
    if errors:
        body.update(errors=errors, numErrors=len(errors))
    return (207 if errors else 200), body


def _hubspot_record(record_id: str, properties: dict[str, Any], wanted: list[str] | None = None) -> dict:
    shown = properties if wanted is None else {name: properties.get(name) for name in wanted}
    return {
        "id": record_id,
        "properties": {**shown, "hs_object_id": record_id},
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": _now(),
        "archived": False,
    }


def hubspot_answer(crm: FakeCrm, method: str, path: str, body: Any) -> tuple[int, Any]:
    match = re.fullmatch(r"/crm/v3/objects/(\w+)(/batch/(update|upsert|read))?", path)
    if match is None or match.group(1) not in HUBSPOT_OBJECTS:
        return 404, _hubspot_error("OBJECT_NOT_FOUND", f"no such endpoint {path}")
    object_type, action = match.group(1), match.group(3)
    records = crm.hubspot[object_type]
    started = _now()
    if action is None and method == "GET":
        first = [_hubspot_record(rid, values) for rid, values in itertools.islice(records.items(), 1)]
        return 200, {"results": first}
    inputs = (body or {}).get("inputs") or []
    if len(inputs) > 100:
        return 400, _hubspot_error("VALIDATION_ERROR", "Batch input limit is 100")
    if action in ("update", "upsert"):
        known = (crm.hubspot_properties or {}).get(object_type)
        for item in inputs:
            unknown = sorted(set(item.get("properties") or {}) - known) if known is not None else []
            if unknown:
                return 400, _hubspot_error(
                    "VALIDATION_ERROR",
                    "Property values were not valid: "
                    + json.dumps(
                        [
                            {
                                "isValid": False,
                                "message": f'Property "{unknown[0]}" does not exist',
                                "error": "PROPERTY_DOESNT_EXIST",
                                "name": unknown[0],
                            }
                        ]
                    ),
                )
    results, errors = [], []
    with crm.lock:
        if action == "update":
            for item in inputs:
                record_id = crm.hubspot_merged.get(str(item["id"]), str(item["id"]))
                if record_id not in records:
                    errors.append(
                        _hubspot_error(
                            "OBJECT_NOT_FOUND",
                            f"Could not get some {object_type.upper()} objects, they may be deleted or "
                            "not exist. Check that ids are valid.",
                            [record_id],
                        )
                    )
                elif record_id in crm.refused:
                    errors.append(_hubspot_error("VALIDATION_ERROR", crm.refused[record_id], [record_id]))
                else:
                    records[record_id].update(item.get("properties") or {})
                    crm.writes.append(
                        Write("hubspot", object_type, record_id, dict(item["properties"]), False)
                    )
                    results.append(_hubspot_record(record_id, records[record_id]))
            return _hubspot_batch(results, errors, started)
        if action == "upsert":
            for item in inputs:
                id_property, value = item["idProperty"], str(item["id"])
                found = [rid for rid, values in records.items() if str(values.get(id_property)) == value]
                created = not found
                record_id = found[0] if found else crm.new_id()
                if created:
                    records[record_id] = {}
                records[record_id].update({**(item.get("properties") or {}), id_property: value})
                crm.writes.append(Write("hubspot", object_type, record_id, dict(item["properties"]), created))
                results.append({**_hubspot_record(record_id, records[record_id]), "new": created})
            return _hubspot_batch(results, errors, started)
        wanted = list((body or {}).get("properties") or [])
        id_property = (body or {}).get("idProperty")
        for item in inputs:
            value = str(item["id"])
            if id_property:
                found = [rid for rid, values in records.items() if str(values.get(id_property)) == value]
            else:
                value = crm.hubspot_merged.get(value, value)
                found = [value] if value in records else []
            if found:
                results.append(_hubspot_record(found[0], records[found[0]], wanted))
            else:
                errors.append(_hubspot_error("OBJECT_NOT_FOUND", "Could not get some objects", [value]))
        return _hubspot_batch(results, errors, started)


# ---- Salesforce -------------------------------------------------------------------------------------------


def _save_error(code: str, message: str) -> dict[str, Any]:
    return {"success": False, "errors": [{"statusCode": code, "message": message, "fields": []}]}


def salesforce_answer(crm: FakeCrm, method: str, path: str, query: dict, body: Any) -> tuple[int, Any]:
    prefix = f"/services/data/v{crm.api_version}/"
    if not path.startswith(prefix):
        return 404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
    resource = path[len(prefix) :].rstrip("/")
    if resource == "" and method == "GET":
        return 200, {
            "sobjects": f"{prefix}sobjects",
            "query": f"{prefix}query",
            "composite": f"{prefix}composite",
        }
    if resource == "query" and method == "GET":
        return _soql(crm, query.get("q", [""])[0])
    match = re.fullmatch(r"composite/sobjects(?:/(\w+)/(\w+))?", resource)
    if match is None or method != "PATCH":
        return 404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
    upsert_object, external_field = match.groups()
    items = (body or {}).get("records") or []
    if len(items) > 200:
        return 400, [
            {
                "errorCode": "EXCEEDED_ID_LIMIT",
                "message": "record limit reached. cannot submit more than 200 records into this call",
            }
        ]
    for item in items:
        object_name = item.get("attributes", {}).get("type")
        known = (crm.salesforce_fields or {}).get(object_name)
        fields = {name for name in item if name not in ("attributes", "id")}
        unknown = sorted(fields - known - {external_field}) if known is not None else []
        if object_name not in SALESFORCE_OBJECTS or unknown:
            return 400, [
                {
                    "errorCode": "INVALID_FIELD",
                    "message": f"No such column '{(unknown or ['?'])[0]}' on sobject of type {object_name}",
                }
            ]
    results = []
    with crm.lock:
        for item in items:
            object_name = item["attributes"]["type"]
            records = crm.salesforce[object_name]
            values = {name: value for name, value in item.items() if name not in ("attributes", "id")}
            if upsert_object is None:
                record_id = str(item.get("id"))
                if record_id not in records:
                    results.append(_save_error("ENTITY_IS_DELETED", "entity is deleted"))
                elif record_id in crm.converted_leads:
                    results.append(
                        _save_error("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
                    )
                elif record_id in crm.refused:
                    results.append(_save_error("FIELD_CUSTOM_VALIDATION_EXCEPTION", crm.refused[record_id]))
                else:
                    records[record_id].update(values)
                    crm.writes.append(Write("salesforce", object_name, record_id, values, False))
                    results.append({"id": record_id, "success": True, "errors": []})
                continue
            key = str(item.get(external_field))
            found = [rid for rid, stored in records.items() if str(stored.get(external_field)) == key]
            created = not found
            record_id = found[0] if found else crm.new_id(SALESFORCE_ID_PREFIXES[object_name])
            records.setdefault(record_id, {}).update(values)
            crm.writes.append(Write("salesforce", object_name, record_id, values, created))
            results.append({"id": record_id, "success": True, "errors": [], "created": created})
    return 200, results


def _soql(crm: FakeCrm, soql: str) -> tuple[int, Any]:
    match = re.fullmatch(
        r"SELECT (?P<fields>.+?) FROM (?P<object>\w+) WHERE (?P<key>\w+) IN \((?P<values>.*)\)", soql
    )
    if match is None or match["object"] not in SALESFORCE_OBJECTS:
        return 400, [{"errorCode": "MALFORMED_QUERY", "message": f"unexpected query: {soql[:80]}"}]
    fields = [name.strip() for name in match["fields"].split(",")]
    known = (crm.salesforce_fields or {}).get(match["object"])
    unknown = [name for name in fields if known is not None and name != "Id" and name not in known]
    if unknown:
        return 400, [
            {
                "errorCode": "INVALID_FIELD",
                "message": f"No such column '{unknown[0]}' on entity '{match['object']}'",
            }
        ]
    keys = {
        value.replace("\\'", "'").replace("\\\\", "\\")
        for value in re.findall(r"'((?:[^'\\]|\\.)*)'", match["values"])
    }
    rows = []
    with crm.lock:
        for record_id, stored in crm.salesforce[match["object"]].items():
            value = record_id if match["key"] == "Id" else stored.get(match["key"])
            if value is not None and str(value) in keys:
                row = {
                    "attributes": {"type": match["object"], "url": f"/sobjects/{match['object']}/{record_id}"}
                }
                row.update({name: (record_id if name == "Id" else stored.get(name)) for name in fields})
                rows.append(row)
    return 200, {"totalSize": len(rows), "done": True, "records": rows}


# ---- the server -------------------------------------------------------------------------------------------


def _handler(crm: FakeCrm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def _answer(self) -> None:
            with crm.lock:
                crm.in_flight += 1
            try:
                self._answer_counted()
            finally:
                with crm.lock:
                    crm.in_flight -= 1

        def _answer_counted(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if crm.delay_seconds:
                time.sleep(crm.delay_seconds)
            is_hubspot = url.path.startswith("/crm/")
            if self.headers.get("Authorization") != f"Bearer {crm.token}":
                if is_hubspot:
                    body: Any = _hubspot_error(
                        "INVALID_AUTHENTICATION",
                        "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
                    )
                else:
                    body = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
                self._send(401, body)
                return
            fault = crm.take_fault(self.command, url.path)
            if fault is not None and not fault.after_apply:
                self._send_fault(fault)
                return
            payload = json.loads(raw) if raw else None
            if is_hubspot:
                status, body = hubspot_answer(crm, self.command, url.path, payload)
            else:
                status, body = salesforce_answer(crm, self.command, url.path, parse_qs(url.query), payload)
            if fault is not None:
                time.sleep(fault.delay_seconds)
                if fault.status is not None:
                    self._send_fault(fault)
                    return
            self._send(status, body)

        def _send_fault(self, fault: Fault) -> None:
            assert fault.status is not None
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            if fault.status == 429:
                body: Any = {
                    "status": "error",
                    "message": "You have reached your secondly limit.",
                    "errorType": "RATE_LIMIT",
                }
            else:
                body = {"status": "error", "message": "Internal error", "category": "INTERNAL_ERROR"}
            self._send(fault.status, body, headers)

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            with crm.lock:
                crm.requests.append((self.command, urlparse(self.path).path, status))
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client has gone (it timed out, or was killed)

        do_GET = do_POST = do_PATCH = _answer

    return Handler


def _write_certificate(cert_file: Path, key_file: Path) -> None:
    """A self-signed certificate for 127.0.0.1 (the clients trust it through REQUESTS_CA_BUNDLE)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake CRM 127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
