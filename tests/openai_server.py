"""A local stand-in for the OpenAI chat-completions API, for tests of the real client.

``FakeOpenAIServer`` is a FastAPI app served by uvicorn on 127.0.0.1 in a background
thread. Tests script what it answers with a queue, one entry per HTTP call::

    openai_server.reply_tool_call("update_lead", {"budget": {"amount_min": 50000}}, "Thanks!")
    openai_server.fail(status=429, retry_after_ms=1)
    openai_server.reply_text("Hello")

and then point ``ChatOpenAI(base_url=openai_server.base_url)`` at it. Every request is
recorded (method, path, headers, parsed JSON body) for assertions.

Replies follow the real wire format: ``chat.completion`` objects with ``usage``, or, for
``"stream": true``, ``chat.completion.chunk`` server-sent events (role first, tool-call
deltas with ``index``, id/type/name in the first delta of each call and the arguments
split over later ones, a ``finish_reason`` chunk, a ``usage`` chunk when
``stream_options.include_usage`` is set, then ``data: [DONE]``).

When the script runs out the server answers 500 with ``x-should-retry: false`` (so the
client does not retry it) and a message saying so, and the fixture fails the test at
teardown, unless ``strict`` is turned off or a default reply is set with
:meth:`FakeOpenAIServer.set_default_text`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

__all__ = [
    "FakeOpenAIServer",
    "RecordedRequest",
    "ScriptedResponse",
    "ToolCallSpec",
    "openai_server",
]

CHAT_COMPLETIONS = "/v1/chat/completions"
SYSTEM_FINGERPRINT = "fp_fake0openai"
ARGUMENT_PIECE_CHARS = 7
"""Streamed tool-call arguments are cut into pieces this long (mid-token, like the real API)."""

_ERROR_TYPES = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    408: ("timeout", None),
    409: ("conflict", None),
    429: ("requests", "rate_limit_exceeded"),
}

# Ports handed out in this process. langchain-openai caches its httpx clients by base URL;
# a port reused by a later server would hand a later test a client whose pooled
# connections belong to an earlier test's (closed) event loop.
_used_ports: set[int] = set()
_used_ports_lock = threading.Lock()


@dataclass(frozen=True)
class ToolCallSpec:
    """One tool call in a scripted reply; ``arguments`` is sent verbatim (may be bad JSON)."""

    name: str
    arguments: str
    id: str


@dataclass(frozen=True)
class ScriptedResponse:
    """What the server answers to one call."""

    status: int = 200
    content: str | None = None
    tool_calls: tuple[ToolCallSpec, ...] = ()
    finish_reason: str | None = None
    usage: tuple[int, int] | None = None
    delay: float = 0.0
    headers: Mapping[str, str] = field(default_factory=dict)
    error_message: str | None = None

    @property
    def is_error(self) -> bool:
        return self.status >= 400


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the server received."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any

    @property
    def json(self) -> dict[str, Any]:
        if not isinstance(self.body, dict):
            raise AssertionError(f"request body is not a JSON object: {self.body!r}")
        return self.body

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.json.get("messages", []))

    @property
    def tools(self) -> list[dict[str, Any]]:
        return list(self.json.get("tools", []))

    @property
    def tool_names(self) -> list[str]:
        return [tool["function"]["name"] for tool in self.tools]

    @property
    def stream(self) -> bool:
        return bool(self.json.get("stream", False))

    def messages_with_role(self, role: str) -> list[dict[str, Any]]:
        return [message for message in self.messages if message.get("role") == role]


class FakeOpenAIServer:
    """A scripted OpenAI chat-completions server on 127.0.0.1."""

    def __init__(self) -> None:
        self.strict = True
        """Fail the test at teardown if a call found the script empty (see :meth:`check`)."""
        self._lock = threading.Lock()
        self._script: deque[ScriptedResponse] = deque()
        self._default: ScriptedResponse | None = None
        self._requests: list[RecordedRequest] = []
        self._calls = 0
        self._unscripted_calls = 0
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._server: uvicorn.Server | None = None
        self._port: int | None = None
        self.app = self._build_app()

    # ---------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the fake OpenAI server is not running")
        return self._port

    @property
    def base_url(self) -> str:
        """What to pass as ``base_url`` to the OpenAI client: ``http://127.0.0.1:PORT/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the fake OpenAI server is already running")
        sock = _bind_fresh_loopback_socket()
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        server = _QuickServer(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="fake-openai", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the fake OpenAI server failed to start")
            if time.monotonic() > deadline:
                raise RuntimeError("the fake OpenAI server did not start within 10 s")
            time.sleep(0.005)

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                raise RuntimeError("the fake OpenAI server did not stop within 10 s")
        self._thread = None
        self._server = None

    def __enter__(self) -> FakeOpenAIServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- scripting

    def reply(
        self,
        content: str | None = None,
        tool_calls: Sequence[ToolCallSpec] = (),
        *,
        finish_reason: str | None = None,
        usage: tuple[int, int] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Queue an assistant message; ``usage`` is (prompt_tokens, completion_tokens)."""
        self._enqueue(
            ScriptedResponse(
                content=content,
                tool_calls=tuple(tool_calls),
                finish_reason=finish_reason,
                usage=usage,
                delay=delay,
            )
        )

    def reply_text(
        self, text: str, *, usage: tuple[int, int] | None = None, delay: float = 0.0
    ) -> None:
        self.reply(text, usage=usage, delay=delay)

    def reply_tool_call(
        self,
        name: str,
        args: Mapping[str, Any],
        content: str | None = None,
        *,
        call_id: str | None = None,
        usage: tuple[int, int] | None = None,
        delay: float = 0.0,
    ) -> str:
        """Queue one tool call with ``args`` as JSON; returns the call's id."""
        call = self.tool_call(name, args, call_id=call_id)
        self.reply(content, [call], usage=usage, delay=delay)
        return call.id

    def reply_tool_calls(
        self,
        calls: Sequence[tuple[str, Mapping[str, Any]]],
        content: str | None = None,
        *,
        usage: tuple[int, int] | None = None,
    ) -> list[str]:
        """Queue several tool calls in one assistant message; returns their ids."""
        specs = [self.tool_call(name, args) for name, args in calls]
        self.reply(content, specs, usage=usage)
        return [spec.id for spec in specs]

    def reply_raw_arguments(
        self,
        name: str,
        raw_arguments: str,
        content: str | None = None,
        *,
        call_id: str | None = None,
    ) -> str:
        """Queue a tool call whose ``arguments`` string is sent as is, e.g. broken JSON."""
        call = ToolCallSpec(name=name, arguments=raw_arguments, id=call_id or self._call_id())
        self.reply(content, [call])
        return call.id

    def tool_call(
        self, name: str, args: Mapping[str, Any], *, call_id: str | None = None
    ) -> ToolCallSpec:
        return ToolCallSpec(name=name, arguments=json.dumps(args), id=call_id or self._call_id())

    def fail(
        self,
        status: int = 500,
        *,
        times: int = 1,
        retry_after: float | None = None,
        retry_after_ms: int | None = None,
        should_retry: bool | None = None,
        message: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """Queue ``times`` error answers.

        ``retry_after`` sets ``Retry-After`` (seconds), ``retry_after_ms`` sets the
        ``retry-after-ms`` header the OpenAI client prefers; ``should_retry`` sets
        ``x-should-retry``, which the client obeys over the status code.
        """
        if status < 400:
            raise ValueError(f"fail() needs an error status, not {status}")
        headers: dict[str, str] = {}
        if retry_after is not None:
            headers["retry-after"] = _number(retry_after)
        if retry_after_ms is not None:
            headers["retry-after-ms"] = str(retry_after_ms)
        if should_retry is not None:
            headers["x-should-retry"] = "true" if should_retry else "false"
        for _ in range(times):
            self._enqueue(
                ScriptedResponse(status=status, headers=headers, error_message=message, delay=delay)
            )

    def delay(self, seconds: float, *, times: int = 1, text: str = "(slow reply)") -> None:
        """Queue ``times`` text replies that start only after ``seconds``."""
        for _ in range(times):
            self.reply_text(text, delay=seconds)

    def set_default_text(self, text: str | None) -> None:
        """Answer ``text`` once the script is empty (``None``: answer 500, the default)."""
        with self._lock:
            self._default = None if text is None else ScriptedResponse(content=text)

    # ---------------------------------------------------------------- inspection

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, chat completions or not, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == CHAT_COMPLETIONS and r.method == "POST"]

    @property
    def last_request(self) -> RecordedRequest:
        chats = self.chat_requests
        if not chats:
            raise AssertionError("the fake OpenAI server received no chat completion request")
        return chats[-1]

    @property
    def calls(self) -> int:
        """Number of ``POST /v1/chat/completions`` calls received."""
        with self._lock:
            return self._calls

    @property
    def pending(self) -> int:
        """Scripted responses not used yet."""
        with self._lock:
            return len(self._script)

    @property
    def unscripted_calls(self) -> int:
        with self._lock:
            return self._unscripted_calls

    def check(self) -> None:
        """Raise if a call found the script empty and no default reply was set."""
        if self.strict and self.unscripted_calls:
            raise AssertionError(
                f"the fake OpenAI server got {self.unscripted_calls} call(s) more than scripted; "
                "script more replies, set_default_text(...), or set strict = False"
            )

    # ---------------------------------------------------------------- internals

    def _enqueue(self, response: ScriptedResponse) -> None:
        with self._lock:
            self._script.append(response)

    def _call_id(self) -> str:
        return f"call_{next(self._ids):04d}fake"

    def _next_response(self) -> tuple[int, ScriptedResponse]:
        with self._lock:
            self._calls += 1
            number = self._calls
            if self._script:
                return number, self._script.popleft()
            if self._default is not None:
                return number, self._default
            self._unscripted_calls += 1
            scripted = number - self._unscripted_calls
        return number, ScriptedResponse(
            status=500,
            headers={"x-should-retry": "false"},
            error_message=(
                f"fake OpenAI server: script exhausted; call #{number} is unscripted "
                f"({scripted} scripted response(s) were used)"
            ),
        )

    def _build_app(self) -> FastAPI:
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

        @app.post(CHAT_COMPLETIONS)
        async def chat_completions(request: Request) -> Response:
            body = await self._record(request)
            if not isinstance(body, dict):  # not a call the script is about
                return _error_response(400, "request body is not a JSON object", "")
            number, scripted = self._next_response()
            if scripted.delay:
                await self._sleep(scripted.delay)
            request_id = f"req_fake{number:04d}"
            if scripted.is_error:
                return _error_response(
                    scripted.status,
                    scripted.error_message or f"scripted error {scripted.status}",
                    request_id,
                    scripted.headers,
                )
            completion = _Completion(
                scripted=scripted,
                completion_id=f"chatcmpl-fake{number:04d}",
                model=str(body.get("model", "unknown")),
                created=int(time.time()),
                usage=scripted.usage or _estimate_usage(body, scripted),
            )
            headers = {"x-request-id": request_id, "openai-processing-ms": "1"}
            if body.get("stream"):
                options = body.get("stream_options") or {}
                include_usage = bool(options.get("include_usage"))
                return StreamingResponse(
                    _sse(completion.chunks(include_usage)),
                    media_type="text/event-stream",
                    headers=headers,
                )
            return JSONResponse(completion.message(), headers=headers)

        @app.api_route(
            "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], response_model=None
        )
        async def anything_else(request: Request, path: str) -> Response:
            await self._record(request)
            return _error_response(
                404, f"fake OpenAI server only serves POST {CHAT_COMPLETIONS}, not /{path}", ""
            )

        return app

    async def _record(self, request: Request) -> Any:
        raw = await request.body()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            headers={key.lower(): value for key, value in request.headers.items()},
            body=body,
        )
        with self._lock:
            self._requests.append(recorded)
        return body

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up when the server stops so shutdown never waits on a slow reply."""
        deadline = time.monotonic() + seconds
        while not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            await asyncio.sleep(min(left, 0.01))


class _QuickServer(uvicorn.Server):
    """uvicorn's server, stopping within milliseconds instead of ~0.2 s (a fixture per test).

    uvicorn checks ``should_exit`` every 100 ms and pauses 100 ms at shutdown; here the
    check runs every 5 ms and shutdown waits only as long as open connections need.
    """

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):  # on_tick also refreshes the Date header
            counter += 1
            await asyncio.sleep(0.005)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.config.timeout_graceful_shutdown or 2)
        while self.server_state.connections or self.server_state.tasks:
            if loop.time() > deadline:
                for task in self.server_state.tasks:
                    task.cancel()
                break
            await asyncio.sleep(0.005)


@dataclass(frozen=True)
class _Completion:
    scripted: ScriptedResponse
    completion_id: str
    model: str
    created: int
    usage: tuple[int, int]

    @property
    def finish_reason(self) -> str:
        if self.scripted.finish_reason:
            return self.scripted.finish_reason
        return "tool_calls" if self.scripted.tool_calls else "stop"

    def _usage(self) -> dict[str, Any]:
        prompt, completion = self.usage
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }

    def _envelope(self, kind: str) -> dict[str, Any]:
        return {
            "id": self.completion_id,
            "object": kind,
            "created": self.created,
            "model": self.model,
            "service_tier": "default",
            "system_fingerprint": SYSTEM_FINGERPRINT,
        }

    def message(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": self.scripted.content,
            "refusal": None,
            "annotations": [],
        }
        if self.scripted.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments},
                }
                for call in self.scripted.tool_calls
            ]
        return {
            **self._envelope("chat.completion"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": self.finish_reason,
                }
            ],
            "usage": self._usage(),
        }

    def chunks(self, include_usage: bool) -> Iterator[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            data = {
                **self._envelope("chat.completion.chunk"),
                "choices": [
                    {
                        "index": 0,
                        "delta": delta,
                        "logprobs": None,
                        "finish_reason": finish_reason,
                    }
                ],
            }
            if include_usage:
                data["usage"] = None
            return data

        content = self.scripted.content
        calls = self.scripted.tool_calls
        first: dict[str, Any] = {
            "role": "assistant",
            "content": "" if content else None,
            "refusal": None,
        }
        if content:
            yield chunk(first)
            for piece in _split_text(content):
                yield chunk({"content": piece})
            first = {}
        for index, call in enumerate(calls):
            header = {
                "index": index,
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            yield chunk({**first, "tool_calls": [header]})
            first = {}
            for piece in _split_every(call.arguments, ARGUMENT_PIECE_CHARS):
                yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
        if first:  # neither content nor tool calls: the role chunk alone
            yield chunk(first)
        yield chunk({}, self.finish_reason)
        if include_usage:
            yield {**self._envelope("chat.completion.chunk"), "choices": [], "usage": self._usage()}


async def _sse(chunks: Iterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    for data in chunks:
        yield f"data: {json.dumps(data)}\n\n".encode()
        await asyncio.sleep(0)
    yield b"data: [DONE]\n\n"


def _error_response(
    status: int, message: str, request_id: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    kind, code = _ERROR_TYPES.get(status, ("server_error" if status >= 500 else "error", None))
    all_headers = {"x-request-id": request_id} if request_id else {}
    all_headers.update(headers or {})
    return JSONResponse(
        {"error": {"message": message, "type": kind, "param": None, "code": code}},
        status_code=status,
        headers=all_headers,
    )


def _split_text(text: str) -> list[str]:
    """Word-sized pieces (with their trailing spaces), like streamed tokens."""
    return re.findall(r"\S+\s*|\s+", text)


def _split_every(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _estimate_usage(body: Mapping[str, Any], scripted: ScriptedResponse) -> tuple[int, int]:
    """About four characters a token, so tests that count tokens get stable, plausible numbers."""
    prompt = json.dumps([body.get("messages", []), body.get("tools", [])])
    prompt_chars = len(prompt)
    completion_chars = len(scripted.content or "") + sum(
        len(call.name) + len(call.arguments) for call in scripted.tool_calls
    )
    return max(1, prompt_chars // 4), max(1, completion_chars // 4)


def _bind_fresh_loopback_socket() -> socket.socket:
    """A listening socket on 127.0.0.1 whose port no earlier server in this process used."""
    held: list[socket.socket] = []
    try:
        for _ in range(50):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            with _used_ports_lock:
                if port not in _used_ports:
                    _used_ports.add(port)
                    sock.listen(128)
                    return sock
            held.append(sock)  # keep it bound so the next bind gets another port
        raise RuntimeError("no unused loopback port after 50 tries")
    finally:
        for sock in held:
            sock.close()


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A running :class:`FakeOpenAIServer`; ``.base_url`` is ``http://127.0.0.1:PORT/v1``."""
    server = FakeOpenAIServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
    server.check()
