"""The dashboard's Webhooks page: every endpoint (those from settings read-only), a form to
add one (its secret shown once), "Send test event", and removal after a confirmation that
says what happens to its pending deliveries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent.event_types import EVENT_TYPES
from agent.webhook_endpoints import DESCRIPTION_MAX
from agent.webhooks import shown_url
from channels.web.dashboard import Session, _check_csrf, _csrf
from channels.web.errors import ApiError
from channels.web.state import WebState
from channels.web.webhooks_admin import (
    add_endpoint,
    all_endpoints,
    find_endpoint,
    remove_endpoint,
    send_test_event,
)

router = APIRouter(prefix="/admin/webhooks", include_in_schema=False)
COUNT_LIMIT = 10_000


async def _page(
    request: Request, state: WebState, *, status_code: int = 200, **shown: Any
) -> Response:
    """The page; ``shown`` adds what one action came to (``created``, ``outcome``,
    ``problem`` with ``entered``, ``removed``)."""
    context: dict[str, Any] = {
        "endpoints": await all_endpoints(state),
        "event_types": EVENT_TYPES,
        "description_max": DESCRIPTION_MAX,
        "lead_events": state.settings.lead_events,
        "csrf": _csrf(state, request),
        "entered": {},
        **shown,
    }
    return state.templates.TemplateResponse(
        request, "admin_webhooks.html", context, status_code=status_code
    )


@router.get("", response_class=HTMLResponse)
async def webhooks_page(request: Request, state: Session, removed: str | None = None) -> Response:
    cancelled = int(removed) if removed is not None and removed.isdigit() else None
    return await _page(request, state, removed=cancelled)


@router.post("")
async def add_from_page(
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    url: Annotated[str, Form()] = "",
    events: Annotated[list[str] | None, Form()] = None,
    description: Annotated[str, Form()] = "",
) -> Response:
    """Add an endpoint; the page then shows its secret, this once. A refused one shows the
    form again with why and what was typed."""
    _check_csrf(state, request, csrf)
    chosen = events or []
    try:
        endpoint = await add_endpoint(state, url, chosen, description, "dashboard")
    except ApiError as refused:
        entered = {"url": url, "events": chosen, "description": description}
        return await _page(
            request, state, status_code=422, problem=refused.message, entered=entered
        )
    created = {"name": endpoint.name, "url": shown_url(endpoint.url), "secret": endpoint.secret}
    return await _page(request, state, created=created)


@router.post("/{endpoint_id}/test")
async def test_from_page(
    endpoint_id: str, request: Request, state: Session, csrf: Annotated[str, Form()]
) -> Response:
    """Send the endpoint a signed sample event now and show what it answered."""
    _check_csrf(state, request, csrf)
    try:
        outcome = await send_test_event(state, endpoint_id, "dashboard")
    except ApiError as missing:
        return await _page(request, state, status_code=404, problem=missing.message)
    return await _page(request, state, outcome={"ok": outcome.ok, "text": outcome.text})


async def _confirm(
    request: Request, state: WebState, endpoint_id: str, *, unconfirmed: bool = False
) -> Response:
    try:
        endpoint = await find_endpoint(state, endpoint_id)
    except ApiError as missing:
        return await _page(request, state, status_code=404, problem=missing.message)
    pending = await state.engine.store.list_deliveries(
        status="pending", destination=endpoint.name, limit=COUNT_LIMIT
    )
    context = {
        "endpoint": endpoint,
        "shown_url": shown_url(endpoint.url),
        "pending": len(pending),
        "many": len(pending) >= COUNT_LIMIT,
        "csrf": _csrf(state, request),
        "unconfirmed": unconfirmed,
    }
    return state.templates.TemplateResponse(
        request, "admin_webhook_remove.html", context, status_code=400 if unconfirmed else 200
    )


@router.get("/{endpoint_id}/remove", response_class=HTMLResponse)
async def remove_page(endpoint_id: str, request: Request, state: Session) -> Response:
    """The confirmation step: says how many pending deliveries are cancelled."""
    return await _confirm(request, state, endpoint_id)


@router.post("/{endpoint_id}/remove")
async def remove_from_page(
    endpoint_id: str,
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    confirm: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(state, request, csrf)
    if confirm != "yes":
        return await _confirm(request, state, endpoint_id, unconfirmed=True)
    try:
        cancelled = await remove_endpoint(state, endpoint_id, "dashboard")
    except ApiError as missing:
        return await _page(request, state, status_code=404, problem=missing.message)
    return RedirectResponse(f"/admin/webhooks?removed={cancelled}", status_code=303)
