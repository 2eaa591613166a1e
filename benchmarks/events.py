"""Lead events: delivery throughput of one outbox worker, and what writing events adds to
a prospect turn.

    python benchmarks/events.py [--events 3000] [--conversations 150]

1. Delivery: ``--events`` events (4 per lead) written to a fresh SQLite outbox, then one
   :class:`~agent.outbox.OutboxWorker` delivers them over HTTP to a local receiver (uvicorn
   in its own process, checking every signature). Prints events/s.
2. Added latency: the same scripted qualifications run through the engine (offline model,
   SQLite, in process) with lead events off, and on with two subscribed destinations;
   the two engines take turns so both see the same machine. Prints p50/p99 per turn of
   each and the difference (target: < 1 ms at p50).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.engine import Engine
from agent.events import LeadEvent, Subscriptions
from agent.llm import build_offline_model
from agent.outbox import OutboxWorker
from agent.playbook import load_playbook
from agent.prompts import PromptSet
from agent.resources import default_playbook_path, default_prompts_path
from agent.sql_store import SQLStore
from agent.store import Conversation
from agent.webhooks import WebhookDestination
from benchmarks.engine import CONVERSATIONS, percentile

SECRET = "bench-secret"

RECEIVER = textwrap.dedent(
    """
    import hashlib, hmac, sys
    import uvicorn

    SECRET = sys.argv[2].encode()
    seen = set()

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        stamp = headers.get(b"x-qualify-timestamp", b"")
        digest = hmac.new(SECRET, stamp + b"." + body, hashlib.sha256).hexdigest()
        expected = b"v1=" + digest.encode()
        ok = hmac.compare_digest(expected, headers.get(b"x-qualify-signature", b""))
        if ok:
            seen.add(headers.get(b"idempotency-key"))
        status = 200 if ok else 401
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="error", access_log=False)
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_receiver(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", RECEIVER, str(port), SECRET])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the receiver did not start")


async def bench_delivery(total: int, concurrency: int) -> tuple[float, int]:
    port = free_port()
    receiver = start_receiver(port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            store = SQLStore(f"sqlite+aiosqlite:///{Path(folder) / 'events.db'}")
            await store.init()
            now = datetime.now(UTC)
            per_lead = 4
            for lead in range(total // per_lead):
                conversation = Conversation(
                    id=f"lead-{lead}", created_at=now, updated_at=now, today=now.date()
                )
                await store.create_conversation(conversation)
                events = [
                    LeadEvent(
                        type="lead.updated",
                        conversation_id=conversation.id,
                        created_at=now,
                        lead={"id": conversation.id, "score": index * 10, "segment": "warm"},
                        data={"cause": "turn"},
                        destinations=("bench",),
                    )
                    for index in range(per_lead)
                ]
                await store.save_turn(conversation, None, None, events)
            destination = WebhookDestination(
                "bench", f"http://127.0.0.1:{port}/hook", SECRET, timeout=10
            )
            worker = OutboxWorker(store, [destination], concurrency=concurrency, poll_seconds=0.05)
            started = time.perf_counter()
            running = asyncio.create_task(worker.run())
            wanted = total // per_lead * per_lead
            while worker.delivered < wanted:  # noqa: ASYNC110 (the worker runs alongside)
                await asyncio.sleep(0.02)
            # Delivered counts once the outcome is recorded in the outbox.
            while (await store.count_deliveries())["delivered"] < wanted:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            took = time.perf_counter() - started
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
            await worker.aclose()
            counts = await store.count_deliveries()
            await store.close()
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    return counts["delivered"] / took, counts["dead"] + counts["pending"]


async def bench_turns(conversations: int) -> tuple[list[float], list[float]]:
    playbook = load_playbook(default_playbook_path())
    prompts = PromptSet(default_prompts_path())
    with tempfile.TemporaryDirectory() as folder:
        engines: list[Engine] = []
        for name, events in (("off", False), ("on", True)):
            store = SQLStore(f"sqlite+aiosqlite:///{Path(folder) / f'{name}.db'}")
            await store.init()
            engines.append(
                Engine(
                    store=store,
                    model=build_offline_model(playbook, prompts),
                    playbook=playbook,
                    prompts=prompts,
                    events=events,
                    subscriptions=Subscriptions({"crm": ["*"], "hubspot": ["*"]})
                    if events
                    else None,
                )
            )
        times: list[list[float]] = [[], []]
        for index in range(conversations):
            script = CONVERSATIONS[index % len(CONVERSATIONS)]
            started = [await engine.start(channel="web") for engine in engines]
            for text in script:
                order = (0, 1) if index % 2 == 0 else (1, 0)
                for which in order:
                    begin = time.perf_counter()
                    await engines[which].turn(started[which][0].id, text)
                    times[which].append((time.perf_counter() - begin) * 1000)
        for engine in engines:
            await engine.store.close()
    return times[0], times[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--conversations", type=int, default=150)
    args = parser.parse_args()

    rate, undelivered = asyncio.run(bench_delivery(args.events, args.concurrency))
    print(
        f"delivery: {rate:,.0f} events/s to a local receiver (one worker, "
        f"{args.concurrency} in flight), {undelivered} undelivered"
    )

    off, on = asyncio.run(bench_turns(args.conversations))
    p50_off, p50_on = statistics.median(off), statistics.median(on)
    print(
        f"turns without events: p50 {p50_off:.2f} ms, p99 {percentile(off, 99):.2f} ms "
        f"({len(off)} turns)"
    )
    print(
        f"turns with events to 2 destinations: p50 {p50_on:.2f} ms, p99 {percentile(on, 99):.2f} ms"
    )
    print(
        f"added by writing events: p50 {p50_on - p50_off:+.2f} ms (target < 1 ms), "
        f"p99 {percentile(on, 99) - percentile(off, 99):+.2f} ms"
    )


if __name__ == "__main__":
    os.environ.setdefault("QUALIFY_LOG_LEVEL", "ERROR")
    main()
