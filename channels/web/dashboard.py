"""The leads dashboard: server-rendered pages at /admin behind the admin key.

A login form exchanges the key for a session (see :mod:`channels.web.sessions`); failed
sign-ins are throttled per address, and a signed-out visitor comes back to the page they
asked for (``next``, only ever a path under /admin). Forms that change data also carry the
session's CSRF token. Pages use no inline script or style, so the strict
Content-Security-Policy holds.

``/admin/transcript/<lead id>`` is one lead's page, read-only, for a sales rep holding a
transcript grant (see :mod:`channels.web.grants`) instead of the admin key.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote, unquote, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent.models import FACT_LABELS
from agent.rescoring import rescore_all
from agent.store import AuditEntry, Conversation, LeadFilter, Message
from channels.web.admin import (
    Filter,
    LeadSummary,
    detail_payload,
    lead_detail,
    requeue,
)
from channels.web.errors import ApiError
from channels.web.grants import GrantRefused, transcript_path, verify_transcript_grant
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


def safe_next(value: str | None) -> str | None:
    """``value`` if it is a dashboard page to return to after sign-in: a relative path
    under /admin on this site, nothing that a browser could read as another host
    (``//evil``, ``/\\evil``, ``https://...``), no dot segments, no sign-in or sign-out."""
    if not value or len(value) > 2000 or not value.isascii():
        return None
    for text in (value, unquote(value)):
        if "\\" in text or "//" in text or any(ord(ch) < 0x21 or ch == "\x7f" for ch in text):
            return None
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return None
        path = parts.path
        if path != "/admin" and not path.startswith("/admin/"):
            return None
        if any(segment in (".", "..") for segment in path.split("/")):
            return None
        if path.startswith(("/admin/login", "/admin/logout")):
            return None
    return value


def login_location(request: Request) -> str:
    """Where a signed-out visitor is sent: the sign-in page, remembering the page they
    asked for (a GET under /admin other than the leads list)."""
    url = request.url
    target = url.path + (f"?{url.query}" if url.query else "")
    if request.method not in ("GET", "HEAD") or target == "/admin" or not safe_next(target):
        return "/admin/login"
    return "/admin/login?" + urlencode({"next": target})


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request, state: State, failed: bool = False, next: str | None = None
) -> Response:
    return state.templates.TemplateResponse(
        request,
        "admin_login.html",
        {"failed": failed, "next": safe_next(next)},
        status_code=401 if failed else 200,
    )


@router.post("/login")
async def login(
    request: Request,
    state: State,
    key: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    address = request.client.host if request.client else "unknown"
    going = safe_next(next)
    wait = state.limits.login_wait(address)
    if wait:
        return state.templates.TemplateResponse(
            request,
            "admin_login.html",
            {"failed": True, "wait": wait, "next": going},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    if not same_secret(key.strip(), state.admin_key):
        state.limits.login_failed(address)
        again = {"failed": "true", **({"next": going} if going else {})}
        return RedirectResponse("/admin/login?" + urlencode(again), status_code=303)
    response = RedirectResponse(going or "/admin", status_code=303)
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
    context = await _lead_context(state, conversation, messages)
    context["events"] = await _timeline(state, lead_id)
    context["csrf"] = _csrf(state, request)
    return state.templates.TemplateResponse(request, "admin_lead.html", context)


async def _lead_context(
    state: WebState, conversation: Conversation, messages: list[Message]
) -> dict[str, Any]:
    """What a lead's page shows: score, segment, facts with their quotes, transcript."""
    detail = detail_payload(state, conversation, messages)
    profile = conversation.profile
    fields = []
    for name, label in FACT_LABELS:
        fact = getattr(profile, name)
        if fact is not None:
            shown = _shown(fact.value)
            fields.append({"label": label, "value": shown, "quote": fact.evidence.quote})
    return {
        "lead": detail.lead,
        "context_lines": detail.context_lines,
        "fields": fields,
        "score": detail.score,
        "segment": detail.segment,
        "chart": _bars(detail.score["items"]),
        "messages": messages,
        "history": profile.history,
        "open_questions": profile.open_questions,
        "handoff": await state.engine.store.get_handoff(conversation.id),
    }


GRANT_COOKIE = "qualify_transcript"
GRANT_COOKIE_SECONDS = 3600
"""The cookie a grant is exchanged for lasts an hour at most (never past the grant): the
link from Slack gives a fresh one."""

Refusal = Literal["invalid", "expired", "missing", "gone"]


@router.get("/transcript/{lead_id}", response_class=HTMLResponse)
async def transcript_page(
    lead_id: str, request: Request, state: State, grant: str | None = None
) -> Response:
    """One lead's page, read-only, for the rep a transcript grant names.

    The link from Slack carries the grant in its query; it is exchanged for an HttpOnly
    cookie scoped to this lead's path, and the browser is sent to the same page without
    it, so the token does not stay in the address bar, the history or a shared screen.
    Every view is written to the audit log."""
    now = state.engine.clock()
    path = transcript_path(lead_id)
    if grant is not None:
        try:
            granted = verify_transcript_grant(state.settings, grant, lead_id, now)
        except GrantRefused as refused:
            return _refused(request, state, refused.reason, lead_id)
        response = RedirectResponse(path, status_code=303)
        left = int((granted.expires_at - now).total_seconds())
        response.set_cookie(
            GRANT_COOKIE,
            grant,
            max_age=max(1, min(GRANT_COOKIE_SECONDS, left)),
            path=path,
            httponly=True,
            samesite="lax",  # the link is opened from Slack, another site
            secure=request.url.scheme == "https",
        )
        return response
    token = request.cookies.get(GRANT_COOKIE)
    if token is None:
        if await has_session(request, state):
            return RedirectResponse(f"/admin/leads/{quote(lead_id, safe='')}", status_code=303)
        return _refused(request, state, "missing", lead_id)
    try:
        granted = verify_transcript_grant(state.settings, token, lead_id, now)
    except GrantRefused as refused:
        return _refused(request, state, refused.reason, lead_id)
    store = state.engine.store
    conversation = await store.get_conversation(lead_id)
    if conversation is None:
        return _refused(request, state, "gone", lead_id)
    messages = await store.messages(lead_id)
    context = await _lead_context(state, conversation, messages)
    await store.record_audit(
        AuditEntry(at=now, actor=granted.actor, action="view_transcript", subject=lead_id)
    )
    return state.templates.TemplateResponse(request, "transcript.html", context)


def _refused(request: Request, state: WebState, reason: Refusal, lead_id: str) -> Response:
    """A page saying why the transcript does not open (never the lead's data)."""
    status = 410 if reason in ("expired", "gone") else 403
    response = state.templates.TemplateResponse(
        request, "transcript_refused.html", {"reason": reason}, status_code=status
    )
    if request.cookies.get(GRANT_COOKIE) is not None:
        response.delete_cookie(GRANT_COOKIE, path=transcript_path(lead_id))
    return response


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
