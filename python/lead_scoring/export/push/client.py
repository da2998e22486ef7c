"""What a CRM client answers, how its errors are told apart, the back-off, and keeping secrets out of
what the push prints or writes.

A client (hubspot.HubSpotClient, salesforce.SalesforceClient) writes a batch of records and returns
an ``Outcome`` per record (acknowledged, or refused with the CRM's code and message), or raises:

- ``RateLimited``: HTTP 429; nothing was applied; wait (Retry-After when given) and send again;
- ``OutcomeUnknown``: a timeout, a broken connection or a 5xx: the batch may have been applied, so the
  push reads the records back before sending again (never twice what the CRM took);
- ``BatchRejected``: the CRM refused the whole request (a 4xx other than 401, 403, 429), nothing applied:
  the push splits the batch to find the records it refuses;
- ``AccessRefused``: 401 / 403: wrong or expired credentials, missing scope, API limit: the push stops.
"""

from __future__ import annotations

import email.utils
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    ok: bool
    crm_assigned_id: str | None = None
    is_created: bool | None = None
    error_code: str | None = None
    error_message: str | None = None
    # a clear whose record the CRM no longer has (deleted, or merged into another id): nothing to clear
    is_gone: bool = False


class CrmError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(redact(message))
        self.message = redact(message)


class RateLimited(CrmError):
    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OutcomeUnknown(CrmError):
    pass


class BatchRejected(CrmError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class AccessRefused(CrmError):
    pass


class BudgetSpent(CrmError):
    pass


# ---- secrets ----------------------------------------------------------------------------------------------

_SECRETS: set[str] = set()


def register_secret(value: str | None) -> str | None:
    """Remember a credential so that redact() removes it from any text printed or written."""
    if value:
        _SECRETS.add(value)
    return value


def redact(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return text


def retry_after_seconds(value: str | None) -> float | None:
    """An HTTP Retry-After header: seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# ---- back-off -------------------------------------------------------------------------------------------


@dataclass
class Backoff:
    """Waits between tries of one batch: exponential from `first_seconds` (with jitter), at most
    `max_seconds` each, a Retry-After honoured; BudgetSpent once the batch has been tried for
    `budget_seconds`."""

    budget_seconds: float
    first_seconds: float = 1.0
    max_seconds: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    say: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True)

    def attempts(self, what: str) -> Attempts:
        return Attempts(self, what, self.clock() + self.budget_seconds)


@dataclass
class Attempts:
    backoff: Backoff
    what: str
    deadline: float
    tries: int = 0

    def wait(self, error: CrmError, retry_after: float | None = None) -> None:
        """Sleep before the next try, or raise BudgetSpent when the budget would be exceeded."""
        self.tries += 1
        backoff = self.backoff
        delay = min(backoff.max_seconds, backoff.first_seconds * 2 ** (self.tries - 1))
        delay *= random.uniform(0.5, 1.0)
        if retry_after is not None:
            delay = max(delay, retry_after)
        remaining = self.deadline - backoff.clock()
        if delay > remaining:
            raise BudgetSpent(
                f"{self.what}: gave up after {self.tries} tries within the {backoff.budget_seconds:.0f} s "
                f"retry budget (--retry-seconds); last answer: {error.message}"
            )
        backoff.say(f"{self.what}: {error.message}; trying again in {delay:.1f} s (try {self.tries + 1})")
        backoff.sleep(delay)
