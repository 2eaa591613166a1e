"""The leads dashboard: server-rendered pages at /admin behind the admin key.

A login form exchanges the key for a session (see :mod:`channels.web.sessions`); failed
sign-ins are throttled per address. Forms that change data also carry the session's CSRF
token. Pages use no
inline script or style, so the strict Content-Security-Policy holds.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent.models import FACT_LABELS
from agent.rescoring import rescore_all
from agent.store import LeadFilter
from channels.web.admin import (
    Filter,
    LeadSummary,
    detail_payload,
    lead_detail,
    requeue,
)
from channels.web.errors import ApiError
from channels.web.keys import same_secret
from channels.web.sessions import (
    csrf_ok,
    csrf_token,
    end_session,
    has_session,
    start_session,
)
from channels.web.state import WebState, get_state

router = APIRouter(prefix="/admin", include_in_schema=False)
State = Annotated[WebState, Depends(get_state)]
PAGE_SIZE = 50


class LoginRequired(Exception):
    """The dashboard was opened without a session."""


async def require_session(request: Request, state: State) -> WebState:
    if not await has_session(request, state):
        raise LoginRequired
    return state


Session = Annotated[WebState, Depends(require_session)]


def _csrf(state: WebState, request: Request) -> str:
    return csrf_token(state, request)


def _check_csrf(state: WebState, request: Request, token: str) -> None:
    if not csrf_ok(state, request, token):
        raise ApiError(403, "bad_csrf_token", "This form has expired. Reload the page and retry.")


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, state: State, failed: bool = False) -> Response:
    return state.templates.TemplateResponse(
        request, "admin_login.html", {"failed": failed}, status_code=401 if failed else 200
    )


@router.post("/login")
async def login(request: Request, state: State, key: Annotated[str, Form()]) -> Response:
    address = request.client.host if request.client else "unknown"
    wait = state.limits.login_wait(address)
    if wait:
        return state.templates.TemplateResponse(
            request,
            "admin_login.html",
            {"failed": True, "wait": wait},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    if not same_secret(key.strip(), state.admin_key):
        state.limits.login_failed(address)
        return RedirectResponse("/admin/login?failed=true", status_code=303)
    response = RedirectResponse("/admin", status_code=303)
    await start_session(state, request, response)
    return response


@router.post("/logout")
async def logout(request: Request, state: State) -> Response:
    response = RedirectResponse("/admin/login", status_code=303)
    await end_session(request, state, response)
    return response


def _sort_link(where: LeadFilter, column: str) -> str:
    descending = not (where.order_by == column and where.descending)
    params = {
        key: value
        for key, value in {
            "segment": where.segment,
            "min_score": where.min_score,
            "max_score": where.max_score,
            "order_by": column,
            "descending": str(descending).lower(),
        }.items()
        if value is not None
    }
    return "/admin?" + urlencode(params)


@router.get("", response_class=HTMLResponse)
async def leads_page(request: Request, state: Session, where: Filter, page: int = 1) -> Response:
    store = state.engine.store
    page = max(1, page)
    leads = await store.list_conversations(
        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, where=where
    )
    total = await store.count_conversations(where)
    context: dict[str, Any] = {
        "leads": [LeadSummary.of(c) for c in leads],
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "where": where,
        "segments": [band.name for band in state.engine.playbook.scoring.bands] + ["disqualified"],
        "sort_score": _sort_link(where, "score"),
        "sort_date": _sort_link(where, "updated_at"),
        "csrf": _csrf(state, request),
    }
    return state.templates.TemplateResponse(request, "admin_leads.html", context)


def _bars(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry for the score breakdown bar chart: one bar per rule, around a zero line."""
    width = 360
    scale = max([abs(int(item["points"])) for item in items] + [1])
    half = width / 2
    bars = []
    for index, item in enumerate(items):
        length = abs(int(item["points"])) / scale * (half - 10)
        x = half if item["points"] >= 0 else half - length
        bars.append({**item, "x": round(x, 1), "y": index * 28 + 4, "w": round(max(length, 1), 1)})
    return {"bars": bars, "width": width, "height": max(len(items), 1) * 28 + 8, "zero": half}


@router.get("/leads/{lead_id}", response_class=HTMLResponse)
async def lead_page(lead_id: str, request: Request, state: Session) -> Response:
    conversation, messages = await lead_detail(state, lead_id)
    detail = detail_payload(state, conversation, messages)
    profile = conversation.profile
    fields = []
    for name, label in FACT_LABELS:
        fact = getattr(profile, name)
        if fact is not None:
            shown = _shown(fact.value)
            fields.append({"label": label, "value": shown, "quote": fact.evidence.quote})
    context = {
        "lead": detail.lead,
        "fields": fields,
        "score": detail.score,
        "segment": detail.segment,
        "chart": _bars(detail.score["items"]),
        "messages": messages,
        "history": profile.history,
        "open_questions": profile.open_questions,
        "handoff": await state.engine.store.get_handoff(lead_id),
        "events": await _timeline(state, lead_id),
        "csrf": _csrf(state, request),
    }
    return state.templates.TemplateResponse(request, "admin_lead.html", context)


async def _timeline(state: WebState, lead_id: str) -> list[dict[str, Any]]:
    """The lead's events, newest first, each with its deliveries."""
    store = state.engine.store
    deliveries: dict[str, list[Any]] = {}
    for delivery in await store.list_deliveries(conversation_id=lead_id, limit=1000):
        deliveries.setdefault(delivery.event_id, []).append(delivery)
    return [
        {"event": event, "deliveries": deliveries.get(event.id, [])}
        for event in reversed(await store.lead_events(lead_id))
    ]


@router.get("/deliveries", response_class=HTMLResponse)
async def deliveries_page(
    request: Request, state: Session, status: str | None = None, page: int = 1
) -> Response:
    store = state.engine.store
    page = max(1, page)
    chosen: Any = status if status in ("pending", "delivered", "dead") else None
    rows = await store.list_deliveries(
        status=chosen, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    context = {
        "deliveries": rows,
        "counts": await store.count_deliveries(),
        "status": chosen,
        "page": page,
        "more": len(rows) == PAGE_SIZE,
        "destinations": sorted(state.engine.subscriptions.names),
        "csrf": _csrf(state, request),
    }
    return state.templates.TemplateResponse(request, "admin_deliveries.html", context)


@router.post("/deliveries/{delivery_id}/retry")
async def retry_delivery(
    delivery_id: str, request: Request, state: Session, csrf: Annotated[str, Form()]
) -> Response:
    _check_csrf(state, request, csrf)
    await requeue(state, ids=[delivery_id])
    return RedirectResponse("/admin/deliveries?status=dead", status_code=303)


@router.post("/deliveries/retry")
async def retry_all(request: Request, state: Session, csrf: Annotated[str, Form()]) -> Response:
    _check_csrf(state, request, csrf)
    await requeue(state)
    return RedirectResponse("/admin/deliveries?status=dead", status_code=303)


def _shown(value: Any) -> str:
    """A fact's value as one line of text."""
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    if hasattr(value, "model_dump"):
        data = value.model_dump(exclude_none=True)
        return ", ".join(f"{key}: {item}" for key, item in data.items() if item not in ((), []))
    return str(value)


@router.post("/leads/{lead_id}/erase")
async def erase(
    lead_id: str, request: Request, state: Session, csrf: Annotated[str, Form()]
) -> Response:
    _check_csrf(state, request, csrf)
    await state.engine.erase(lead_id, actor="dashboard")
    return RedirectResponse("/admin", status_code=303)


@router.post("/rescore")
async def rescore(request: Request, state: Session, csrf: Annotated[str, Form()]) -> Response:
    _check_csrf(state, request, csrf)
    engine = state.engine
    await rescore_all(
        engine.store,
        engine.playbook,
        write=True,
        on=engine.clock().date(),
        subscriptions=engine.subscriptions,
        now=engine.clock(),
    )
    return RedirectResponse("/admin", status_code=303)
