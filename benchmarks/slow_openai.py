"""A local OpenAI-compatible chat-completions server with a fixed delay per call.

It answers like a real model would for this agent: the tool call comes from the offline
extractor run on the last user message, and a short acknowledgement is the content.
Used by ``benchmarks/load.py --model-latency 0.8`` to show the server's overhead on top
of a slow model. Run: ``SLOW_OPENAI_LATENCY=0.8 uvicorn benchmarks.slow_openai:app``.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from agent.context import read_state
from agent.offline.extractor import extract
from agent.playbook import load_playbook
from agent.resources import default_playbook_path

LATENCY = float(os.environ.get("SLOW_OPENAI_LATENCY", "0.8"))
PLAYBOOK = load_playbook(default_playbook_path())
app = FastAPI()


def _answer(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    messages = body.get("messages", [])
    system = next((m.get("content", "") for m in messages if m.get("role") == "system"), "")
    last = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
    state = read_state(system if isinstance(system, str) else "")
    args = extract(str(last), asking=state.asking if state else None, playbook=PLAYBOOK)
    return ("Thanks, noted." if args else ""), args


@app.post("/v1/chat/completions")
async def completions(request: Request) -> Response:
    body = await request.json()
    await asyncio.sleep(LATENCY)
    content, args = _answer(body)
    call = {
        "id": f"call_{uuid.uuid4().hex[:12]}",
        "type": "function",
        "function": {"name": "update_lead", "arguments": json.dumps(args)},
    }
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": "slow"}
    usage = {"prompt_tokens": 900, "completion_tokens": 40, "total_tokens": 940}
    if not body.get("stream"):
        message: dict[str, Any] = {"role": "assistant", "content": content or None}
        if args:
            message["tool_calls"] = [call]
        return JSONResponse(
            {
                **base,
                "object": "chat.completion",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": usage,
            }
        )

    async def chunks() -> AsyncIterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            payload = {
                **base,
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(payload)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        if content:
            yield chunk({"content": content})
        if args:
            yield chunk({"tool_calls": [{"index": 0, **call}]})
        yield chunk({}, "tool_calls" if args else "stop")
        if body.get("stream_options", {}).get("include_usage"):
            tail = {**base, "object": "chat.completion.chunk", "choices": [], "usage": usage}
            yield f"data: {json.dumps(tail)}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(chunks(), media_type="text/event-stream")
