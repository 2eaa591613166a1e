"""A webhook receiver for tests: real HTTP on 127.0.0.1, written the way a customer would.

It checks each request's signature with its own HMAC code (not ours), records what it got,
processes each event id once (the idempotency key), and answers as scripted:
``answer(500, times=2)``, ``answer(429, retry_after="7")``, ``answer(200, delay=3.0)``;
``answer(500, lead="lead-a")`` answers the next request about that lead, whichever request
comes first.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.servers import ThreadedServer


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool
    status: int

    @property
    def event(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Answer:
    status: int = 200
    delay: float = 0.0
    retry_after: str | None = None
    lead: str | None = None
    """Only for a request about this lead (the event's ``lead.id``); None for any."""


@dataclass
class Receiver:
    secret: str
    received: list[Received] = field(default_factory=list)
    processed: dict[str, dict[str, Any]] = field(default_factory=dict)
    script: list[Answer] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self,
        status: int,
        *,
        times: int = 1,
        delay: float = 0.0,
        retry_after: str | None = None,
        lead: str | None = None,
    ) -> None:
        with self._lock:
            self.script.extend(Answer(status, delay, retry_after, lead) for _ in range(times))

    def next_answer(self, body: bytes) -> Answer:
        """The first scripted answer for this request (under the lock), or 200."""
        try:
            lead = json.loads(body).get("lead", {}).get("id")
        except (ValueError, AttributeError):
            lead = None
        for index, answer in enumerate(self.script):
            if answer.lead is None or answer.lead == lead:
                return self.script.pop(index)
        return Answer()

    def check(self, headers: dict[str, str], body: bytes) -> bool:
        """Signature check as the README tells receivers to do it."""
        timestamp = headers.get("x-qualify-timestamp", "")
        given = headers.get("x-qualify-signature", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return False
        digest = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        expected = f"v1={digest}"
        return any(hmac.compare_digest(part.strip(), expected) for part in given.split(","))

    def types(self) -> list[str]:
        return [item["type"] for item in self.processed.values()]


def receiver_app(receiver: Receiver) -> FastAPI:
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        body = await request.body()
        headers = {key.lower(): value for key, value in request.headers.items()}
        with receiver._lock:
            answer = receiver.next_answer(body)
        if answer.delay:
            await asyncio.sleep(answer.delay)
        ok = receiver.check(headers, body)
        status = answer.status if ok else 401
        with receiver._lock:
            receiver.received.append(Received(headers, body, ok, status))
            if ok and 200 <= status < 300:
                key = headers.get("idempotency-key", "")
                receiver.processed.setdefault(key, json.loads(body))
        extra = {"Retry-After": answer.retry_after} if answer.retry_after else {}
        if 200 <= status < 300:
            return JSONResponse({"ok": True}, status_code=status)
        return JSONResponse({"error": "scripted"}, status_code=status, headers=extra)

    return app


@contextmanager
def running_receiver(secret: str = "whsec-test-secret") -> Iterator[Receiver]:
    receiver = Receiver(secret)
    with ThreadedServer(receiver_app(receiver)) as server:
        receiver.url = f"{server.url}/hook"
        yield receiver
