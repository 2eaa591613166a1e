"""Sending one signed sample event to an endpoint now, and saying in words how it went.

The dashboard's "Send test event" and ``POST /api/admin/webhooks/{id}/test`` use it: the
same sample ``qualify webhooks test`` sends, signed with the endpoint's own secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import httpx

from agent.destinations import DeliveryFailed
from agent.event_types import EventType
from agent.events import sample_event
from agent.playbook import Playbook
from agent.webhooks import WebhookDestination, shown_url

TEST_EVENT: EventType = "lead.segment_changed"


@dataclass(frozen=True, slots=True)
class TrialOutcome:
    """What the receiver made of the sample: ``ok`` for a 2xx answer; ``status`` is the
    HTTP status when there was an answer; ``text`` says it in a sentence."""

    ok: bool
    status: int | None
    text: str
    event_id: str


async def send_sample(
    url: str, secret: str, playbook: Playbook, *, now: datetime, wait_seconds: float
) -> TrialOutcome:
    """POST a signed sample event to ``url`` and report the answer; never raises for a
    receiver's failure."""
    sample = sample_event(playbook, TEST_EVENT, now=now)
    destination = WebhookDestination("test", url, secret, timeout=wait_seconds)
    where = shown_url(url)
    try:
        note = await destination.deliver(sample)
    except DeliveryFailed as failed:
        return TrialOutcome(False, failed.status, _failure_text(where, failed), sample.id)
    finally:
        await destination.aclose()
    return TrialOutcome(True, _status(note), f"{where} answered {note}: delivered.", sample.id)


def _status(note: str) -> int | None:
    found = re.match(r"HTTP (\d{3})", note)
    return int(found.group(1)) if found else None


def _failure_text(where: str, failed: DeliveryFailed) -> str:
    if failed.status is not None:
        return f"{failed}: not delivered."
    cause = failed.__cause__
    if isinstance(cause, httpx.TimeoutException):
        return f"{failed}: not delivered."
    if isinstance(cause, httpx.ConnectError):
        return f"Could not connect to {where}: {_reason(cause)}. Nothing was delivered."
    if isinstance(cause, httpx.HTTPError):
        return f"The request to {where} failed: {_reason(cause)}. Nothing was delivered."
    return f"{failed}: not delivered."


def _reason(exc: BaseException) -> str:
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc).strip()) or type(exc).__name__
    return text[:1].lower() + text[1:200]
