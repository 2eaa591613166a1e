"""Webhook endpoints added from the dashboard (beside the ones from settings).

Each gets a signing secret made here (shown once when it is added; afterwards only its
last characters, :func:`secret_hint`), the event types it wants (all by default) and a
destination name its deliveries carry. They are signed, retried, backed off and dead-
lettered exactly like endpoints from settings: the outbox worker builds the same
:class:`~agent.webhooks.WebhookDestination` for them.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from agent.event_types import EVENT_TYPES
from agent.store import new_id

URL_MAX = 2000
DESCRIPTION_MAX = 200
ALL_EVENTS = ("*",)


class WebhookEndpoint(BaseModel):
    """An endpoint added from the dashboard or the admin API."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_id)
    name: str
    """The destination name its deliveries carry (unique among all destinations)."""
    url: str
    secret: str = Field(repr=False)
    events: tuple[str, ...] = ALL_EVENTS
    description: str | None = None
    created_by: str
    created_at: datetime

    @property
    def secret_hint(self) -> str:
        return secret_hint(self.secret)


class DuplicateEndpoint(Exception):
    """Another endpoint has this URL."""


def new_secret() -> str:
    """A signing secret: 32 random bytes, URL-safe, with a recognisable prefix."""
    return "whsec_" + secrets.token_urlsafe(32)


def secret_hint(secret: str) -> str:
    """What is shown of a secret after it was first shown: its last four characters."""
    return "…" + secret[-4:]


def destination_name(url: str, endpoint_id: str) -> str:
    """A readable, unique destination name: the host and the endpoint id's start."""
    host = (urlsplit(url).hostname or "webhook").replace(".", "-")[:40]
    short = hashlib.sha256(endpoint_id.encode()).hexdigest()[:8]
    return f"{host}-{short}"


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot receive webhooks; None when it can (http or https, with a host)."""
    if not url:
        return "Enter the endpoint's URL."
    if any(ch.isspace() for ch in url):
        return "The URL cannot contain spaces."
    if len(url.encode()) > URL_MAX:
        return f"The URL can be at most {URL_MAX} characters long."
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f" (this one starts with “{parts.scheme[:20]}:”)" if parts.scheme else ""
        return f"The URL must start with http:// or https://{scheme}."
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "The URL's port must be a number from 0 to 65535."
    if not host:
        return "The URL needs a host name, such as https://hooks.example.com/qualify."
    return None


def events_problem(events: list[str]) -> str | None:
    """Why these event types cannot be subscribed to; None when they can."""
    unknown = [name for name in events if name not in EVENT_TYPES and name not in ("*", "lead.*")]
    if unknown:
        return f"Unknown event type(s): {', '.join(unknown)}; use {', '.join(EVENT_TYPES)}."
    return None


def normal_events(events: list[str]) -> tuple[str, ...]:
    """The subscription as stored: every type (``*``) when none or all are chosen."""
    chosen = [name for name in EVENT_TYPES if name in events]
    if not events or "*" in events or "lead.*" in events or len(chosen) == len(EVENT_TYPES):
        return ALL_EVENTS
    return tuple(chosen)
