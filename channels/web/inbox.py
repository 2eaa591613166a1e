"""The inbox: a rep answers live chats from the dashboard, without Slack.

``/admin/inbox`` lists the chats a rep may answer (leads handed to sales, and any chat
whose widget is open now); ``/admin/inbox/<lead>`` is one chat, with Claim, Reply and
Release: the same takeover as from Slack (:mod:`agent.takeover`). Both pages follow the
database live over Server-Sent Events (``.../events``), so any worker serves them, and
work as plain forms without script.

There is one admin key and no user accounts: a rep gives the name the prospect sees once
per session. It is kept in a cookie signed for that session (an HMAC of the session's hash,
like the CSRF token), so it ends with the session and cannot be carried to another one;
``claimed_by`` records it as ``dashboard:<name>``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from agent.sql_store import InboxEntry, SQLStore
from agent.store import HandoffRecord, Message
from agent.takeover import NameOf, Takeover, dashboard_name, dashboard_user
from agent.team_words import TeamWords, english
from channels.web.dashboard import Session, safe_next
from channels.web.errors import ApiError
from channels.web.sessions import SESSION_COOKIE, csrf_ok, csrf_token, has_session
from channels.web.state import WebState

router = APIRouter(prefix="/admin/inbox", include_in_schema=False)

NAME_COOKIE = "qualify_rep"
MAX_NAME = 40
ONLINE_SECONDS = 60
"""A prospect whose widget reported within this long is "online now"."""
POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0
SESSION_CHECK_SECONDS = 15.0
SHOWN_ROLES = ("prospect", "assistant", "rep", "system")


def _csrf(state: WebState, request: Request) -> str:
    return csrf_token(state, request)


def _check_csrf(state: WebState, request: Request, token: str) -> None:
    if not csrf_ok(state, request, token):
        raise ApiError(403, "bad_csrf_token", "This form has expired. Reload the page and retry.")


# --- the rep's name, kept with the session ------------------------------------------------


def _name_mac(state: WebState, request: Request, name: str) -> str:
    session = hashlib.sha256(request.cookies.get(SESSION_COOKIE, "").encode()).hexdigest()
    key = hashlib.sha256(("qualify-rep-name:" + state.admin_key).encode()).digest()
    return hmac.new(key, f"{session}\n{name}".encode(), hashlib.sha256).hexdigest()


def rep_name(state: WebState, request: Request) -> str | None:
    """The name this session's rep gave, if any (and signed for this very session)."""
    value = request.cookies.get(NAME_COOKIE, "")
    mac, _, name = value.partition(".")
    if not name or not hmac.compare_digest(mac, _name_mac(state, request, name)):
        return None
    return name


def clean_name(value: str) -> str | None:
    """A display name: printable, one line, 1 to 40 characters; None if not."""
    name = " ".join(value.split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        return None
    return name


# --- what the pages show ------------------------------------------------------------------


def _online(seen: datetime | None, now: datetime) -> bool:
    return seen is not None and now - seen <= timedelta(seconds=ONLINE_SECONDS)


def who(user: str | None, team: TeamWords | None = None) -> str | None:
    """A rep as the inbox shows them: a dashboard rep's name, else "<id> (Slack)"."""
    if user is None:
        return None
    name = dashboard_name(user)
    return name if name is not None else (team or english()).text("inbox.from_slack", user=user)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else None


def entry_view(entry: InboxEntry, now: datetime, team: TeamWords | None = None) -> dict[str, Any]:
    """One chat of the inbox list, in the ``team``'s words (English by default)."""
    team = team or english()
    conversation = entry.conversation
    profile = conversation.profile
    label = None
    for fact in (profile.contact_name, profile.email, profile.company_name):
        if fact is not None:
            label = str(fact.value)
            break
    online = _online(entry.last_seen_at, now)
    return {
        "id": conversation.id,
        "label": label or team.text("inbox.lead_label", id=conversation.id[:8]),
        "reason": team.reason(entry.reason) if entry.reason else team.text("inbox.live_chat"),
        "claimed_by": who(entry.claimed_by, team) if entry.takeover else None,
        "last_message": _iso(conversation.last_message_at or conversation.updated_at),
        "online": online,
        "online_text": team.text("inbox.online") if online else "",
    }


def message_view(key: int, message: Message) -> dict[str, Any]:
    return {
        "id": key,
        "role": message.role,
        "author": message.author,
        "text": message.text,
        "at": _iso(message.created_at),
    }


async def _state_view(
    store: SQLStore, lead_id: str, now: datetime, team: TeamWords | None = None
) -> dict[str, Any]:
    handoff = await store.get_handoff(lead_id)
    live = handoff is not None and handoff.takeover
    return {
        "claimed_by": who(handoff.claimed_by, team) if live and handoff else None,
        "online": _online(await store.last_seen(lead_id), now),
    }


def _store(state: WebState) -> SQLStore:
    store = state.engine.store
    assert isinstance(store, SQLStore)
    return store


def _takeover(state: WebState) -> Takeover:
    return Takeover(state.engine)


# --- pages --------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def inbox_page(request: Request, state: Session) -> Response:
    now = datetime.now(UTC)
    entries = await _store(state).inbox(now - timedelta(seconds=ONLINE_SECONDS))
    return state.templates.TemplateResponse(
        request,
        "admin_inbox.html",
        {
            "entries": [entry_view(entry, now, state.reps) for entry in entries],
            "rep": rep_name(state, request),
            "csrf": _csrf(state, request),
            "lead": None,
        },
    )


@router.post("/name")
async def set_name(
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    name: Annotated[str, Form()],
    back: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(state, request, csrf)
    cleaned = clean_name(name)
    if cleaned is None:
        raise ApiError(400, "bad_name", state.reps.text("inbox.bad_name", max=MAX_NAME))
    going = back if back.startswith("/admin/inbox/") and safe_next(back) else "/admin/inbox"
    response = RedirectResponse(going, status_code=303)
    response.set_cookie(
        NAME_COOKIE,
        f"{_name_mac(state, request, cleaned)}.{cleaned}",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/admin",
    )
    return response


@router.get("/events")
async def inbox_events(request: Request, state: Session) -> StreamingResponse:
    """The inbox list as ``event: inbox`` whenever it changes (new leads, new messages,
    claims, prospects coming online or leaving)."""
    store = _store(state)

    async def rows() -> list[dict[str, Any]]:
        now = datetime.now(UTC)
        entries = await store.inbox(now - timedelta(seconds=ONLINE_SECONDS))
        return [entry_view(entry, now, state.reps) for entry in entries]

    async def stream() -> AsyncIterator[str]:
        last = ""
        async for _ in _ticks(request, state):
            data = json.dumps(await rows(), ensure_ascii=False)
            if data != last:
                last = data
                yield f"event: inbox\ndata: {data}\n\n"
            else:
                yield ""

    return _events(stream())


@router.get("/{lead_id}", response_class=HTMLResponse)
async def lead_page(lead_id: str, request: Request, state: Session) -> Response:
    return await _chat_page(lead_id, request, state)


async def _chat_page(
    lead_id: str, request: Request, state: WebState, error: str | None = None, status: int = 200
) -> Response:
    store = _store(state)
    conversation = await store.get_conversation(lead_id)
    if conversation is None:
        raise ApiError(404, "not_found", "No lead with that id.")
    now = datetime.now(UTC)
    stored = await store.messages_after(lead_id, 0)
    shown = [message_view(key, message) for key, message in stored if message.role in SHOWN_ROLES]
    handoff = await store.get_handoff(lead_id)
    rep = rep_name(state, request)
    mine = (
        handoff is not None
        and handoff.takeover
        and rep is not None
        and handoff.claimed_by == dashboard_user(rep)
    )
    return state.templates.TemplateResponse(
        request,
        "admin_inbox.html",
        {
            "lead": {
                "id": lead_id,
                "messages": shown,
                "last_key": stored[-1][0] if stored else 0,  # the stream goes on from here
                "handoff": handoff,
                "mine": mine,
                **await _state_view(store, lead_id, now, state.reps),
            },
            "rep": rep,
            "csrf": _csrf(state, request),
            "error": error,
        },
        status_code=status,
    )


def _not_claimed(handoff: HandoffRecord | None, team: TeamWords) -> str:
    if handoff is None:
        return team.text("inbox.nothing_to_claim")
    if handoff.claimed_by:
        return team.text("inbox.already_claimed", rep=who(handoff.claimed_by, team))
    return team.text("inbox.withdrawn")


@router.post("/{lead_id}/claim")
async def claim(
    lead_id: str, request: Request, state: Session, csrf: Annotated[str, Form()]
) -> Response:
    _check_csrf(state, request, csrf)
    rep = rep_name(state, request)
    if rep is None:
        return await _refused(request, state, lead_id, state.reps.text("inbox.name_needed"))
    won, handoff = await _takeover(state).claim(lead_id, dashboard_user(rep), _named(rep))
    if not won:
        return await _refused(request, state, lead_id, _not_claimed(handoff, state.reps))
    return RedirectResponse(f"/admin/inbox/{lead_id}", status_code=303)


@router.post("/{lead_id}/reply")
async def reply(
    lead_id: str,
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    text: Annotated[str, Form()],
) -> Response:
    _check_csrf(state, request, csrf)
    rep = rep_name(state, request)
    said = text.strip()
    if rep is None:
        return await _refused(request, state, lead_id, state.reps.text("inbox.name_needed"))
    if not said or len(said) > state.settings.max_message_chars:
        return await _refused(request, state, lead_id, state.reps.text("inbox.empty_reply"))
    sent = await _takeover(state).reply(lead_id, dashboard_user(rep), rep, said)
    if sent is None:
        team = state.reps
        handoff = await _store(state).get_handoff(lead_id)
        holder = who(handoff.claimed_by, team) if handoff and handoff.takeover else None
        why = team.text("inbox.holder", rep=holder) if holder else team.text("inbox.nobody")
        return await _refused(request, state, lead_id, team.text("inbox.not_sent", why=why))
    return RedirectResponse(f"/admin/inbox/{lead_id}", status_code=303)


@router.post("/{lead_id}/release")
async def release(
    lead_id: str, request: Request, state: Session, csrf: Annotated[str, Form()]
) -> Response:
    _check_csrf(state, request, csrf)
    rep = rep_name(state, request)
    handoff = await _store(state).get_handoff(lead_id)
    if handoff is None or handoff.claimed_by is None:
        return await _refused(request, state, lead_id, state.reps.text("inbox.nobody_has_it"))
    if rep is None or handoff.claimed_by != dashboard_user(rep):
        holder = who(handoff.claimed_by, state.reps)
        return await _refused(
            request, state, lead_id, state.reps.text("inbox.only_they", rep=holder)
        )
    await _takeover(state).release(lead_id, _named(rep))
    return RedirectResponse(f"/admin/inbox/{lead_id}", status_code=303)


@router.get("/{lead_id}/events")
async def lead_events(lead_id: str, request: Request, state: Session) -> StreamingResponse:
    """One chat live: ``event: message`` for each message stored after ``Last-Event-ID``
    (or the newest when the stream opens), ``event: state`` when the claim or the
    prospect's presence changes."""
    store = _store(state)
    if await store.get_conversation(lead_id) is None:
        raise ApiError(404, "not_found", "No lead with that id.")
    last = request.headers.get("last-event-id", "").strip() or request.query_params.get("after", "")
    if last and not (last.isdigit() and len(last) <= 18):
        raise ApiError(400, "bad_last_event_id", "Last-Event-ID must be an id this stream sent.")
    start = int(last) if last else await store.last_message_key(lead_id)

    async def stream() -> AsyncIterator[str]:
        key = start
        shown = ""
        async for _ in _ticks(request, state):
            out = []
            for pk, message in await store.messages_after(lead_id, key):
                key = pk
                if message.role in SHOWN_ROLES:
                    data = json.dumps(message_view(pk, message), ensure_ascii=False)
                    out.append(f"id: {pk}\nevent: message\ndata: {data}\n\n")
            now_state = json.dumps(
                await _state_view(store, lead_id, datetime.now(UTC), state.reps),
                ensure_ascii=False,
            )
            if now_state != shown:
                shown = now_state
                out.append(f"event: state\ndata: {now_state}\n\n")
            yield "".join(out)

    return _events(stream())


# --- helpers ------------------------------------------------------------------------------


def _named(name: str) -> NameOf:
    """The rep's name whoever they are (their dashboard id carries the same name)."""

    async def name_of(user: str) -> str:
        return name

    return name_of


async def _refused(request: Request, state: WebState, lead_id: str, why: str) -> Response:
    """The chat's page again, saying why the action was refused (409)."""
    return await _chat_page(lead_id, request, state, error=why, status=409)


async def _ticks(request: Request, state: WebState) -> AsyncIterator[None]:
    """A beat every poll while the client is connected and its session still holds."""
    since_check = 0.0
    while not await request.is_disconnected():
        if since_check >= SESSION_CHECK_SECONDS:
            since_check = 0.0
            if not await has_session(request, state):
                return
        yield None
        await asyncio.sleep(POLL_SECONDS)
        since_check += POLL_SECONDS


def _events(body: AsyncIterator[str]) -> StreamingResponse:
    async def with_keepalive() -> AsyncIterator[str]:
        yield "retry: 2000\n: connected\n\n"
        idle = 0.0
        async for chunk in body:
            if chunk:
                idle = 0.0
                yield chunk
            else:
                idle += POLL_SECONDS
                if idle >= KEEPALIVE_SECONDS:
                    idle = 0.0
                    yield ": keepalive\n\n"

    return StreamingResponse(
        with_keepalive(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
