"""Dashboard sessions: random tokens kept on the server, revocable, with an absolute timeout.

The browser holds only the token (an HttpOnly, SameSite=Strict cookie); the database keeps
its SHA-256 and the admin key it began under, so signing out ends it at once and rotating the
admin key ends every session. The CSRF token of a session is an HMAC of the session's hash
under a key of its own: it proves the session without revealing it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from fastapi import Request, Response

from channels.web.keys import same_secret
from channels.web.state import WebState

SESSION_COOKIE = "qualify_admin"
SESSION_HOURS = 12
"""A session ends this long after sign-in, however active."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def key_id(admin_key: str) -> str:
    """Names the admin key without revealing it."""
    return hashlib.sha256(("qualify-admin-key:" + admin_key).encode()).hexdigest()


async def start_session(state: WebState, request: Request, response: Response) -> None:
    """A new session for a sign-in, as a cookie on ``response``."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    until = now + timedelta(hours=SESSION_HOURS)
    await state.engine.store.create_admin_session(_hash(token), key_id(state.admin_key), now, until)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=SESSION_HOURS * 3600,
        path="/",
    )


async def has_session(request: Request, state: WebState) -> bool:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        return False
    store = state.engine.store
    return await store.admin_session_active(
        _hash(token), key_id(state.admin_key), datetime.now(UTC)
    )


async def end_session(request: Request, state: WebState, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await state.engine.store.end_admin_session(_hash(token))
    response.delete_cookie(SESSION_COOKIE, path="/")


def csrf_token(state: WebState, request: Request) -> str:
    """The session's CSRF token: an HMAC of the session's hash, not the session itself."""
    token = request.cookies.get(SESSION_COOKIE, "")
    key = hashlib.sha256(("qualify-csrf:" + state.admin_key).encode()).digest()
    return hmac.new(key, _hash(token).encode(), hashlib.sha256).hexdigest()


def csrf_ok(state: WebState, request: Request, given: str) -> bool:
    return bool(request.cookies.get(SESSION_COOKIE)) and same_secret(
        given, csrf_token(state, request)
    )
