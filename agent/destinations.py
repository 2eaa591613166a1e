"""Where lead events go: the interface every receiver (webhook, CRM) implements.

A destination has a unique ``name`` (it keys deliveries in the outbox) and delivers one
event at a time. It returns a short note on what happened ("HTTP 200", "contact 42
updated", "skipped: no email yet") or raises :class:`DeliveryFailed`, saying whether trying
again later can help. A new CRM is one new module with one class like this.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from agent.errors import QualifyError
from agent.events import LeadEvent


class DeliveryFailed(QualifyError):
    """A delivery did not land.

    ``retryable``: a later attempt may succeed (timeouts, 408, 429, 5xx, refused
    connections); otherwise the event goes straight to the dead letters (a 4xx the
    receiver will keep answering). ``retry_after`` is the receiver's own hint, in seconds.
    The message must never contain secrets: it is stored and shown in the dashboard.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = True,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


class Destination(Protocol):
    """A receiver of lead events."""

    @property
    def name(self) -> str: ...

    async def deliver(self, event: LeadEvent) -> str:
        """Deliver one event; a short note on the outcome, or raise DeliveryFailed."""

    async def aclose(self) -> None:
        """Release connections."""


def retryable_status(status: int) -> bool:
    """Whether an HTTP answer may change on a later attempt: 408, 429 and 5xx."""
    return status in (408, 429) or status >= 500


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header's delay in seconds (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
