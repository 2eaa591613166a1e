"""Where lead events go, from settings and the playbook: webhooks and CRM connectors.

:func:`build_destinations` gives the destinations (each knows how to deliver), and
:func:`build_subscriptions` which event types each one wants; the engine writes events
with their deliveries, and :class:`~agent.outbox.OutboxWorker` delivers them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from agent.config import Settings
from agent.crm.hubspot import build_hubspot
from agent.dashboard_destinations import DashboardDestinations
from agent.destinations import Destination
from agent.errors import ConfigError
from agent.events import Subscriptions
from agent.outbox import OutboxWorker, RetryPolicy
from agent.playbook import Playbook
from agent.store import OutboxStore
from agent.webhooks import WebhookDestination, shown_url

SLACK_ERASURE = "slack"
"""The destination that redacts an erased lead's Slack handoff (built in channels.slack)."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A configured webhook: where, with which secret, for which events."""

    name: str
    url: str
    secret: str
    events: tuple[str, ...]
    previous_secret: str | None = None


def default_name(url: str) -> str:
    """A stable name for an unnamed endpoint: its host and a short hash of the URL."""
    host = (urlsplit(url).hostname or "webhook").replace(".", "-")[:40]
    return f"{host}-{hashlib.sha256(url.encode()).hexdigest()[:6]}"


def webhook_endpoints(settings: Settings, playbook: Playbook) -> list[Endpoint]:
    """The endpoints from settings and from the playbook; ConfigError for one without a
    secret or two with the same name."""
    found: list[Endpoint] = []
    for hook in settings.webhooks:
        name = hook.name or default_name(hook.url)
        if hook.secret is None or not hook.secret.get_secret_value():
            raise ConfigError(
                f"webhook {name!r} ({shown_url(hook.url)}) has no secret: every request is "
                'signed, so give it one in QUALIFY_WEBHOOKS ("secret": "...")'
            )
        previous = hook.previous_secret.get_secret_value() if hook.previous_secret else None
        found.append(
            Endpoint(
                name,
                hook.url,
                hook.secret.get_secret_value(),
                tuple(hook.events),
                previous or None,
            )
        )
    for item in playbook.webhooks:
        variable = item.secret_env
        secret = os.environ.get(variable, "") if variable else ""
        if not secret:
            where = f"environment variable {variable}" if variable else "secret_env"
            raise ConfigError(
                f"playbook webhook {item.name!r} has no secret: set {where} "
                "(the playbook names the variable; the secret never goes in the file)"
            )
        previous = os.environ.get(item.previous_secret_env or "", "") or None
        found.append(Endpoint(item.name, item.url, secret, item.events, previous))
    names = [endpoint.name for endpoint in found]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ConfigError(f"webhook name(s) used twice: {', '.join(twice)}")
    return found


def build_subscriptions(settings: Settings, playbook: Playbook) -> Subscriptions:
    wanted: dict[str, tuple[str, ...]] = {
        endpoint.name: endpoint.events for endpoint in webhook_endpoints(settings, playbook)
    }
    if build_hubspot(settings) is not None:
        wanted["hubspot"] = tuple(settings.hubspot_events)
    if settings.slack_bot_token is not None:
        wanted[SLACK_ERASURE] = ("lead.erased",)  # its handoff message is redacted
    if wanted and not settings.lead_events:
        raise ConfigError(
            f"lead events are off (QUALIFY_LEAD_EVENTS=false) but {', '.join(wanted)} "
            "would receive them: turn them on or remove the destinations"
        )
    return Subscriptions(wanted)


def build_destinations(settings: Settings, playbook: Playbook) -> list[Destination]:
    destinations: list[Destination] = [
        WebhookDestination(
            endpoint.name,
            endpoint.url,
            endpoint.secret,
            timeout=settings.webhook_timeout,
            previous_secret=endpoint.previous_secret,
        )
        for endpoint in webhook_endpoints(settings, playbook)
    ]
    hubspot = build_hubspot(settings)
    if hubspot is not None:
        destinations.append(hubspot)
    return destinations


def build_worker(
    settings: Settings,
    playbook: Playbook,
    store: OutboxStore,
    extra: Sequence[Destination] = (),
) -> OutboxWorker | None:
    """The worker delivering events to the configured destinations, ``extra`` ones (built
    by the channels, such as Slack's erasure) and the endpoints added from the dashboard;
    None when lead events are off and nothing is configured."""
    destinations = [*build_destinations(settings, playbook), *extra]
    if not destinations and not settings.lead_events:
        return None
    dashboard = (
        DashboardDestinations(
            store, timeout=settings.webhook_timeout, refresh_seconds=settings.outbox_poll_seconds
        )
        if settings.lead_events
        else None
    )
    return OutboxWorker(
        store,
        destinations,
        retry=RetryPolicy(
            max_attempts=settings.webhook_max_attempts,
            base=settings.webhook_backoff_seconds,
            cap=settings.webhook_backoff_max_seconds,
        ),
        poll_seconds=settings.outbox_poll_seconds,
        lease_seconds=settings.outbox_lease_seconds,
        concurrency=settings.outbox_concurrency,
        dashboard=dashboard,
    )
