"""Load test: many concurrent conversations against ``qualify serve`` on 127.0.0.1.

    python benchmarks/load.py                                # offline model, 1 worker
    python benchmarks/load.py --model-latency 0.8 --conversations 500 --concurrency 500

Each simulated prospect opens a conversation and sends a full qualification (six
messages), reading every streamed reply to its end. The run is bounded: a fixed number of
conversations and a time limit. It prints turns/s and per-turn latency (p50/p99), and with
``--model-latency`` the overhead above the model's latency. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCRIPT = [
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget",
    "Next quarter",
    "We're an ecommerce company with about 300 people",
    "jane@shopco.example",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up in {seconds} s")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Connection:
    """A minimal keep-alive HTTP/1.1 client for the load loop.

    httpx costs a few milliseconds of CPU per request, which on a 2-core machine is taken
    from the server under test; this client parses only what the benchmark needs.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, payload: dict[str, str]) -> tuple[int, str]:
        body = json.dumps(payload).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        reused = self.writer is not None and not self.writer.is_closing()
        if not reused:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None and self.writer is not None
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line and reused:
            # The server closed the idle keep-alive connection: reconnect, as browsers do.
            self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.writer.write(head + body)
            status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                parts.append(chunk[:-2])
            text = b"".join(parts).decode()
        else:
            text = (await self.reader.readexactly(int(headers.get("content-length", 0)))).decode()
        if headers.get("connection") == "close":
            self.close()
        return status, text

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.writer = None


async def conversation(
    connection: Connection, timings: list[float], errors: list[str], think: float = 0.0
) -> None:
    try:
        if think:
            # Prospects arrive spread out, not all in the same millisecond.
            await asyncio.sleep(random.uniform(0, think))
        status, text = await connection.post("/api/conversations", {})
        if status != 201:
            errors.append(f"{status}: {text[:120]}")
            return
        token = json.loads(text)["token"]
        for message in SCRIPT:
            started = time.perf_counter()
            status, body = await connection.post(
                f"/api/conversations/{token}/messages", {"text": message}
            )
            elapsed = time.perf_counter() - started
            if status != 200 or "event: reply" not in body:
                errors.append(f"{status}: {body[:120]}")
                return
            timings.append(elapsed)
            if think:
                await asyncio.sleep(think)  # the prospect reads the reply and types
    except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
        connection.close()
        errors.append(f"{type(exc).__name__}: {exc}")


async def drive(
    url: str, conversations: int, concurrency: int, limit: float, think: float = 0.0
) -> tuple[list[float], list[str], float]:
    """Run ``conversations`` full qualifications, ``concurrency`` at a time."""
    timings: list[float] = []
    errors: list[str] = []
    host, _, port = url.removeprefix("http://").partition(":")
    pool = [Connection(host, int(port)) for _ in range(concurrency)]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(conversations):
        queue.put_nowait(index)

    async def worker(connection: Connection) -> None:
        while not queue.empty():
            queue.get_nowait()
            await conversation(connection, timings, errors, think)
        connection.close()

    # Warm up (imports, caches, first database pages) outside the measurement.
    await conversation(Connection(host, int(port)), [], errors)
    started = time.perf_counter()
    workers = [asyncio.create_task(worker(connection)) for connection in pool]
    _, pending = await asyncio.wait(workers, timeout=limit)
    for task in pending:
        task.cancel()
    if pending:
        errors.append(f"stopped after {limit:.0f} s with conversations still running")
    return timings, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--model-latency", type=float, default=None, help="seconds per model call")
    parser.add_argument("--time-limit", type=float, default=300)
    parser.add_argument(
        "--think-time",
        type=float,
        default=0.0,
        help="seconds each prospect waits between a reply and their next message",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")},
            "QUALIFY_DATA_DIR": data,
            "QUALIFY_RATE_LIMIT_IP": "1000000/minute",
            "QUALIFY_RATE_LIMIT_CONVERSATION": "1000000/minute",
            "QUALIFY_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        processes: list[subprocess.Popen[bytes]] = []
        try:
            if args.model_latency is not None:
                model_port = free_port()
                model = subprocess.Popen(
                    [
                        str(BIN / "uvicorn"),
                        "benchmarks.slow_openai:app",
                        "--port",
                        str(model_port),
                        "--host",
                        "127.0.0.1",
                        "--log-level",
                        "warning",
                        "--no-access-log",
                    ],
                    env={**env, "SLOW_OPENAI_LATENCY": str(args.model_latency)},
                    cwd=ROOT,
                )
                processes.append(model)
                wait_until_up(f"http://127.0.0.1:{model_port}/docs", model)
                env.update(
                    QUALIFY_MODEL="openai:slow-model",
                    QUALIFY_OPENAI_BASE_URL=f"http://127.0.0.1:{model_port}/v1",
                    QUALIFY_OPENAI_API_KEY="local",
                    QUALIFY_OPENAI_TIMEOUT="30",
                )
            server = subprocess.Popen(
                [
                    str(BIN / "qualify"),
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            processes.append(server)
            url = f"http://127.0.0.1:{port}"
            wait_until_up(f"{url}/healthz", server)
            timings, errors, elapsed = asyncio.run(
                drive(url, args.conversations, args.concurrency, args.time_limit, args.think_time)
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)

    ms = [t * 1000 for t in timings]
    model = (
        "offline"
        if args.model_latency is None
        else f"model latency {args.model_latency * 1000:.0f} ms"
    )
    print(
        f"{args.conversations} conversations x {len(SCRIPT)} turns, "
        f"concurrency {args.concurrency}, {args.workers} worker(s), {model}, "
        f"think time {args.think_time:g} s"
    )
    print(f"  turns completed   {len(ms)}   errors {len(errors)}")
    if errors:
        print("  first errors:", *errors[:3], sep="\n    ")
    if not ms:
        return
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    print(f"  turns/s           {len(ms) / elapsed:9.1f}")
    print(f"  latency p50       {p50:9.1f} ms")
    print(f"  latency p99       {p99:9.1f} ms")
    print(f"  latency mean      {statistics.fmean(ms):9.1f} ms")
    if args.model_latency is not None:
        base = args.model_latency * 1000
        print(f"  overhead p50      {p50 - base:9.1f} ms above the model's {base:.0f} ms")
        print(f"  overhead p99      {p99 - base:9.1f} ms   (target < 100 ms)")
    else:
        print(
            f"  targets: >= 300 turns/s ({len(ms) / elapsed / 300:.2f}x), "
            f"p99 <= 50 ms ({p99 / 50:.2f}x)"
        )


if __name__ == "__main__":
    main()
