"""A local stand-in for the Slack Web API: real HTTP on 127.0.0.1, Slack's wire format.

Our unmodified slack-sdk client talks to it (``base_url=<url>/api/``). It records every
call (method, parameters, token) and answers the methods we use; tests can script failures
(``fail("chat.postMessage", status=429, retry_after=0)``) that are used up one per call.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.servers import ThreadedServer

BOT_USER = "UBOT000001"
BOT_ID = "BBOT000001"
TEAM = "TTEAM00001"


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    token: str | None


@dataclass
class Failure:
    status: int = 500
    retry_after: int | None = None
    error: str | None = None


@dataclass
class FakeSlack:
    """The fake's state: recorded calls, scripted failures, channels, users."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """What is in the channels now, by (channel id, ts): posted, updated, not deleted."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    url: str = ""

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: int | None = None,
        error: str | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` fail: an HTTP status, or with ``error`` a
        200 answer ``{"ok": false, "error": error}``."""
        with self._lock:
            self.failures.setdefault(method, []).extend(
                Failure(status, retry_after, error) for _ in range(times)
            )

    def heal(self) -> None:
        with self._lock:
            self.failures.clear()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1) -> list[Call]:
        """Poll until ``count`` calls of ``method`` arrived (listeners run after the ack);
        gives up after 20 s and returns what came."""
        deadline = time.monotonic() + 20
        while True:
            calls = self.calls_to(method)
            if len(calls) >= count or time.monotonic() > deadline:
                return calls
            await asyncio.sleep(0.02)

    async def wait_until(
        self, method: str, wanted: Callable[[Call], bool], count: int = 1
    ) -> list[Call]:
        """Poll until ``count`` calls of ``method`` for which ``wanted`` holds arrived (work
        done in the background, such as a card update); gives up after 20 s and returns
        the matching calls that came."""
        deadline = time.monotonic() + 20
        while True:
            calls = [call for call in self.calls_to(method) if wanted(call)]
            if len(calls) >= count or time.monotonic() > deadline:
                return calls
            await asyncio.sleep(0.02)

    def add_user_message(self, channel: str, thread_ts: str, user: str, text: str) -> str:
        """A message a person wrote in a thread (not the app)."""
        with self._lock:
            ts = self._next_ts()
            self.messages[(channel, ts)] = {
                "type": "message",
                "ts": ts,
                "text": text,
                "user": user,
                "thread_ts": thread_ts,
            }
        return ts

    def channel_id(self, name: str) -> str:
        if not name.startswith("#"):
            return name
        with self._lock:
            return self.channels.setdefault(name, f"C{len(self.channels) + 1:09d}")

    def _next_ts(self) -> str:
        return f"1764000000.{next(self._ts):06d}"

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": BOT_ID, "team_id": TEAM}
        if method == "chat.postMessage":
            channel = self.channel_id(str(params.get("channel", "")))
            ts = self._next_ts()
            message = {
                "type": "message",
                "ts": ts,
                "text": params.get("text", ""),
                "bot_id": BOT_ID,
            }
            self.messages[(channel, ts)] = {**message, "thread_ts": params.get("thread_ts")}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            key = (str(params.get("channel")), str(params.get("ts")))
            if key in self.messages:
                self.messages[key]["text"] = params.get("text", "")
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "chat.delete":
            key = (str(params.get("channel")), str(params.get("ts")))
            if self.messages.pop(key, None) is None:
                return {"ok": False, "error": "message_not_found"}
            return {"ok": True, "channel": key[0], "ts": key[1]}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "users.info":
            user = str(params.get("user", ""))
            profile = self.users.get(user, {"real_name": user, "display_name": user})
            return {"ok": True, "user": {"id": user, "name": user, "profile": profile}}
        if method == "conversations.replies":
            channel, ts = str(params.get("channel")), str(params.get("ts"))
            thread = [
                {k: v for k, v in message.items() if v is not None}
                for (where, at), message in sorted(self.messages.items())
                if where == channel and (at == ts or message.get("thread_ts") == ts)
            ]
            return {"ok": True, "messages": thread, "has_more": False}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V0000001"}}
        return {"ok": True}


def _params(body: bytes, content_type: str, query: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = dict(query)
    if not body:
        return params
    if content_type.startswith("application/json"):
        params.update(json.loads(body))
        return params
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        if key in ("blocks", "attachments", "view") and value.startswith(("[", "{")):
            params[key] = json.loads(value)
        else:
            params[key] = value
    return params


def build_app(fake: FakeSlack) -> FastAPI:
    app = FastAPI()

    @app.api_route("/api/{method}", methods=["GET", "POST"])
    async def api(method: str, request: Request) -> JSONResponse:
        params = _params(
            await request.body(),
            request.headers.get("content-type", ""),
            dict(request.query_params),
        )
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else params.get("token")
        with fake._lock:
            fake.calls.append(Call(method, params, token))
            queue = fake.failures.get(method)
            failure = queue.pop(0) if queue else None
        if failure is not None:
            if failure.error is not None:
                return JSONResponse({"ok": False, "error": failure.error})
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return JSONResponse(
                {"ok": False, "error": "ratelimited" if failure.status == 429 else "fatal_error"},
                status_code=failure.status,
                headers=headers,
            )
        return JSONResponse(fake.answer(method, params))

    return app


@contextlib.contextmanager
def running_fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack served on a free port for the duration of the block."""
    fake = FakeSlack()
    with ThreadedServer(build_app(fake)) as server:
        fake.url = server.url
        yield fake
