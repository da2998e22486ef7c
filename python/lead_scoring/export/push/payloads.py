"""Values as each CRM takes them, and whether a record read back from a CRM holds the values sent.

HubSpot takes every property value as a string: numbers without trailing zeros (``"61"``,
``"0.123"``), booleans ``"true"`` / ``"false"``, dates ``YYYY-MM-DD``, and ``""`` to clear a value.
Salesforce takes JSON values: numbers, booleans, dates ``YYYY-MM-DD``, and null to clear a value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from lead_scoring.export.push.objects import SyncObject


def number_text(value: Decimal | int | float) -> str:
    """A number without trailing zeros or exponent: 61.00 -> 61, 61.50 -> 61.5, 0.1230 -> 0.123."""
    number = (
        value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    )
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def canonical(value: Any) -> str | None:
    """The text a value is compared by (None for null or empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def hubspot_value(value: Any) -> str:
    text = canonical(value)
    return "" if text is None else text


def salesforce_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(number_text(value))
        return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(value, dt.date):
        return canonical(value)
    return str(value)


def hubspot_properties(sync_object: SyncObject, record: dict[str, Any]) -> dict[str, str]:
    return {crm_field: hubspot_value(record[source]) for source, crm_field in sync_object.fields}


def salesforce_fields(sync_object: SyncObject, record: dict[str, Any]) -> dict[str, Any]:
    return {crm_field: salesforce_value(record[source]) for source, crm_field in sync_object.fields}


def _read_as(sent: Any, read: Any) -> str | None:
    """What the CRM holds, read the way the value sent is compared."""
    if read is None or read == "":
        return None
    if isinstance(sent, bool):
        return str(read).strip().lower()
    if isinstance(sent, int | float | Decimal):
        try:
            return number_text(Decimal(str(read)))
        except InvalidOperation:
            return str(read)
    if isinstance(sent, dt.date):
        return str(read)[:10]
    return str(read)


def holds(sync_object: SyncObject, record: dict[str, Any], crm_values: dict[str, Any]) -> bool:
    """Whether the CRM's values of a record (by CRM field) are the record's values, field by field."""
    return all(
        canonical(record[source]) == _read_as(record[source], crm_values.get(crm_field))
        for source, crm_field in sync_object.fields
    )
