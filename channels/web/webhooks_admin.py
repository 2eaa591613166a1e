"""Webhook endpoints in the admin API (``/api/admin/webhooks``), and what the dashboard's
Webhooks page does with them: list every endpoint (those from settings and the playbook,
read-only, and those added here), add one (its signing secret is made here and shown once),
send it a signed test event now, remove it (its pending deliveries are cancelled)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from agent.store import AuditEntry, new_id
from agent.triggers import webhook_endpoints
from agent.webhook_endpoints import (
    DESCRIPTION_MAX,
    DuplicateEndpoint,
    WebhookEndpoint,
    destination_name,
    events_problem,
    new_secret,
    normal_events,
    secret_hint,
    url_problem,
)
from agent.webhook_trial import TrialOutcome, send_sample
from agent.webhooks import shown_url
from channels.web.admin import Admin
from channels.web.errors import ApiError
from channels.web.state import WebState

Source = Literal["settings", "playbook", "dashboard"]

router = APIRouter(prefix="/api/admin/webhooks", tags=["events"])


class EndpointOut(BaseModel):
    """An endpoint as listed: the URL without credentials or query, the secret as a hint."""

    id: str | None
    """Set for endpoints added from the dashboard or the API (the ones that can be removed)."""
    name: str
    """The destination name its deliveries carry."""
    url: str
    events: list[str]
    description: str | None = None
    source: Source
    secret_hint: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None


class EndpointCreated(EndpointOut):
    secret: str
    """The signing secret, shown this once: set it on the receiver to check signatures."""


class EndpointIn(BaseModel):
    url: str
    events: list[str] = Field(default_factory=list)
    """Event types to send (all when empty)."""
    description: str | None = None


class Removed(BaseModel):
    removed: str
    cancelled: int
    """Its deliveries that were still pending: cancelled (listed as such), not sent."""


class SampleSent(BaseModel):
    ok: bool
    status: int | None
    """The receiver's HTTP status; None when there was no answer."""
    outcome: str
    event_id: str


def _listed(endpoint: WebhookEndpoint) -> EndpointOut:
    return EndpointOut(
        id=endpoint.id,
        name=endpoint.name,
        url=shown_url(endpoint.url),
        events=list(endpoint.events),
        description=endpoint.description,
        source="dashboard",
        secret_hint=endpoint.secret_hint,
        created_by=endpoint.created_by,
        created_at=endpoint.created_at,
    )


def configured(state: WebState) -> list[EndpointOut]:
    """The endpoints from settings (``QUALIFY_WEBHOOKS``) and the playbook: read-only here."""
    playbook = state.engine.playbook
    from_playbook = {hook.name for hook in playbook.webhooks}
    return [
        EndpointOut(
            id=None,
            name=endpoint.name,
            url=shown_url(endpoint.url),
            events=list(endpoint.events),
            source="playbook" if endpoint.name in from_playbook else "settings",
            secret_hint=secret_hint(endpoint.secret),
        )
        for endpoint in webhook_endpoints(state.settings, playbook)
    ]


async def all_endpoints(state: WebState) -> list[EndpointOut]:
    added = await state.engine.store.webhook_endpoints()
    return configured(state) + [_listed(endpoint) for endpoint in added]


async def add_endpoint(
    state: WebState, url: str, events: list[str], description: str | None, actor: str
) -> WebhookEndpoint:
    """Add an endpoint; ApiError with a sentence when it cannot be (nothing is stored)."""
    url = url.strip()
    description = (description or "").strip() or None
    problem = url_problem(url) or events_problem(events)
    if problem is None and description is not None and len(description) > DESCRIPTION_MAX:
        problem = f"The description can be at most {DESCRIPTION_MAX} characters long."
    if problem is not None:
        raise ApiError(422, "invalid_endpoint", problem)
    if not state.settings.lead_events:
        raise ApiError(
            409,
            "lead_events_off",
            "Lead events are off (QUALIFY_LEAD_EVENTS=false), so a webhook would receive "
            "nothing: turn them on first.",
        )
    engine = state.engine
    settings_urls = {e.url: e.name for e in webhook_endpoints(state.settings, engine.playbook)}
    if url in settings_urls:
        raise ApiError(
            409,
            "duplicate_url",
            f"This URL already receives events (“{settings_urls[url]}”, from settings).",
        )
    taken = set(settings_urls.values())
    endpoint_id = new_id()
    while destination_name(url, endpoint_id) in taken:  # a settings endpoint's name
        endpoint_id = new_id()
    endpoint = WebhookEndpoint(
        id=endpoint_id,
        name=destination_name(url, endpoint_id),
        url=url,
        secret=new_secret(),
        events=normal_events(events),
        description=description,
        created_by=actor,
        created_at=engine.clock(),
    )
    audit = AuditEntry(
        at=endpoint.created_at, actor=actor, action="add_webhook", subject=endpoint.id
    )
    try:
        await engine.store.add_webhook_endpoint(endpoint, audit)
    except DuplicateEndpoint:
        raise ApiError(409, "duplicate_url", "This URL already receives events.") from None
    return endpoint


async def find_endpoint(state: WebState, endpoint_id: str) -> WebhookEndpoint:
    for endpoint in await state.engine.store.webhook_endpoints():
        if endpoint.id == endpoint_id:
            return endpoint
    raise ApiError(
        404, "webhook_not_found", "No webhook endpoint with this id (it may have been removed)."
    )


async def remove_endpoint(state: WebState, endpoint_id: str, actor: str) -> int:
    """Remove an endpoint and cancel its pending deliveries: how many were cancelled."""
    engine = state.engine
    now = engine.clock()
    audit = AuditEntry(at=now, actor=actor, action="remove_webhook", subject=endpoint_id)
    cancelled = await engine.store.remove_webhook_endpoint(endpoint_id, now, audit)
    if cancelled is None:
        raise ApiError(
            404, "webhook_not_found", "No webhook endpoint with this id (it may have been removed)."
        )
    return cancelled


async def send_test_event(state: WebState, endpoint_id: str, actor: str) -> TrialOutcome:
    """Send the endpoint a signed sample event now; what came of it."""
    endpoint = await find_endpoint(state, endpoint_id)
    engine = state.engine
    now = engine.clock()
    outcome = await send_sample(
        endpoint.url,
        endpoint.secret,
        engine.playbook,
        now=now,
        wait_seconds=state.settings.webhook_timeout,
    )
    audit = AuditEntry(at=now, actor=actor, action="test_webhook", subject=endpoint.id)
    await engine.store.record_audit(audit)
    return outcome


# --- admin API -----------------------------------------------------------------------


@router.get("", response_model=list[EndpointOut])
async def list_webhooks(state: Admin) -> list[EndpointOut]:
    """Every webhook endpoint: from settings and the playbook (read-only, ``id`` null) and
    added here (``source`` "dashboard")."""
    return await all_endpoints(state)


@router.post("", response_model=EndpointCreated, status_code=201)
async def create_webhook(body: EndpointIn, state: Admin) -> EndpointCreated:
    """Add an endpoint (http or https): events written from now on are signed with the
    secret in the answer (shown this once) and delivered with retries like any webhook.
    422 for a bad URL or event type, 409 for a URL that already receives events."""
    endpoint = await add_endpoint(state, body.url, body.events, body.description, "admin-api")
    return EndpointCreated(**_listed(endpoint).model_dump(), secret=endpoint.secret)


@router.delete("/{endpoint_id}", response_model=Removed)
async def delete_webhook(endpoint_id: str, state: Admin) -> Removed:
    """Remove an endpoint added here: nothing more is sent to it, and its pending
    deliveries are cancelled (listed as cancelled). Endpoints from settings cannot be."""
    cancelled = await remove_endpoint(state, endpoint_id, "admin-api")
    return Removed(removed=endpoint_id, cancelled=cancelled)


@router.post("/{endpoint_id}/test", response_model=SampleSent)
async def send_test_webhook(endpoint_id: str, state: Admin) -> SampleSent:
    """Send the endpoint a signed sample ``lead.segment_changed`` event now (``data.test``
    is true) and say what it answered."""
    outcome = await send_test_event(state, endpoint_id, "admin-api")
    return SampleSent(
        ok=outcome.ok, status=outcome.status, outcome=outcome.text, event_id=outcome.event_id
    )
