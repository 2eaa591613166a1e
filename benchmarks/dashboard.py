"""The leads dashboard with many leads: how long the list page takes to render.

    python benchmarks/dashboard.py [--leads 10000] [--rounds 5]

``--leads`` leads with realistic state (budget, role, need, timeline, company, contact,
quotes, history, one prospect message each; every one with its contact, one person in ten
with two conversations) are written to a fresh SQLite database; the
real app then serves ``GET /admin`` over HTTP (uvicorn on 127.0.0.1, a signed-in session)
for the first, a middle and the last page of: no filter, each segment, a score range, a
date, sorted by date and by score, both directions, and searched (``q=``: a company, an
email, a word prospects wrote, one that nobody wrote). Prints p50/p99 per page render,
overall and with and without a search
(target: p99 ≤ 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.config import Settings
from agent.models import (
    Authority,
    Budget,
    Evidence,
    Fact,
    LeadProfile,
    Need,
    Superseded,
    Timeline,
)
from agent.sql_store import (
    SQLStore,
    _conversation_row,
    _message_row,
    contacts,
    conversations,
    messages,
)
from agent.store import Conversation, Message
from benchmarks.engine import percentile
from channels.web.app import create_app
from tests.servers import ThreadedServer

KEY = "benchmark-admin-key-0123456789"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SEGMENTS = [("hot", 75, 120), ("warm", 45, 74), ("cold", 0, 44), ("disqualified", -50, 10)]
USE_CASES = ["funnel analysis", "retention", "product analytics", "social-media management"]
ROLES = [
    ("Head of Growth", "decision_maker"),
    ("Product Manager", "influencer"),
    ("Analyst", "user"),
    ("CTO", "decision_maker"),
]


def make_lead(index: int, rng: random.Random) -> tuple[Conversation, Message]:
    segment, low, high = SEGMENTS[index % len(SEGMENTS)]
    at = NOW - timedelta(minutes=rng.randrange(0, 90 * 24 * 60))

    def said(quote: str) -> Evidence:
        return Evidence(message_id=f"m{index}", quote=quote, at=at)

    role, level = rng.choice(ROLES)
    amount = float(rng.choice([5, 12, 30, 50, 80, 150]) * 1000)
    profile = LeadProfile(
        budget=Fact(
            value=Budget(
                status="known",
                amount_min=amount,
                currency="USD",
                period="annual",
                annual_usd=amount,
            ),
            evidence=said(f"about {amount / 1000:.0f}k a year"),
        ),
        authority=Fact(value=Authority(role=role, level=level), evidence=said(f"I'm the {role}")),  # type: ignore[arg-type]
        need=Fact(
            value=Need(use_cases=(rng.choice(USE_CASES),), fit=rng.choice(["strong", "partial"])),  # type: ignore[arg-type]
            evidence=said("we need to understand where signups drop"),
        ),
        timeline=Fact(value=Timeline(text="this quarter", months=3), evidence=said("this quarter")),
        company_name=Fact(value=f"Company {index}", evidence=said(f"at Company {index}")),
        company_size=Fact(value=rng.randrange(5, 5000), evidence=said("a few hundred people")),
        industry=Fact(value=rng.choice(["saas", "ecommerce", "fintech"]), evidence=said("SaaS")),  # type: ignore[arg-type]
        contact_name=Fact(value=f"Person {index}", evidence=said(f"I'm Person {index}")),
        email=Fact(value=f"person{index}@company{index}.example", evidence=said("my email")),
        history=(
            Superseded(
                field="timeline",
                value={"text": "next year", "months": 12},
                evidence=said("next year"),
                replaced_by=f"m{index}",
            ),
        ),
    )
    conversation = Conversation(
        channel="web",
        created_at=at,
        updated_at=at,
        today=at.date(),
        profile=profile,
        score=rng.randrange(low, high + 1),
        segment=segment,
        prospect_messages=3,
        follow_up={"action": "sales_handoff" if segment == "hot" else "nurture", "list": None},
    )
    message = Message(
        conversation_id=conversation.id,
        role="prospect",
        text=rng.choice(
            ["We need funnel analysis", "Churn is our problem", "Looking at retention reports"]
        ),
        created_at=at,
    )
    return conversation, message


def join_contacts(
    made: list[tuple[Conversation, Message]],
) -> tuple[list[tuple[Conversation, Message]], list[dict[str, Any]]]:
    """Every conversation that gave an email belongs to that person's contact, as in use;
    one person in ten came back for a second conversation (the previous lead's email).
    Returns the conversations so joined and the contacts' rows."""
    joined: list[tuple[Conversation, Message]] = []
    people: list[dict[str, Any]] = []
    for index, (conversation, message) in enumerate(made):
        if index % 10 == 9:
            first = joined[-1][0]
            profile = conversation.profile.model_copy(update={"email": first.profile.email})
            update: dict[str, Any] = {"lead_id": first.id, "profile": profile}
            if conversation.updated_at > first.updated_at:
                people[-1]["current_id"] = conversation.id
        else:
            update = {"lead_id": conversation.id}
            email = conversation.profile.email
            people.append(
                {
                    "id": conversation.id,
                    "email": email.value if email else "",
                    "current_id": conversation.id,
                    "created_at": conversation.created_at,
                }
            )
        joined.append((conversation.model_copy(update=update), message))
    return joined, people


async def fill(url: str, count: int) -> None:
    store = SQLStore(url)
    await store.init()
    rng = random.Random(7)
    made, people = join_contacts([make_lead(index, rng) for index in range(count)])
    async with store.engine.begin() as conn:
        await conn.execute(contacts.insert(), people)
        for start in range(0, count, 1000):
            chunk = made[start : start + 1000]
            await conn.execute(conversations.insert(), [_conversation_row(c) for c, _ in chunk])
            await conn.execute(messages.insert(), [_message_row(m) for _, m in chunk])
    await store.close()


def queries(total: int) -> list[dict[str, Any]]:
    last = max(1, -(-total // 50))
    filters: list[dict[str, Any]] = [
        {},
        {"segment": "hot"},
        {"segment": "warm"},
        {"segment": "cold"},
        {"segment": "disqualified"},
        {"min_score": 40, "max_score": 90},
        {"since": (NOW - timedelta(days=30)).date().isoformat()},
        {"order_by": "score"},
        {"order_by": "score", "descending": "false"},
        {"order_by": "updated_at", "descending": "false"},
        {"segment": "warm", "order_by": "score"},
        {"q": "company 123"},
        {"q": "person4@"},
        {"q": "FUNNEL"},
        {"q": "churn", "segment": "hot"},
        {"q": "no lead says this"},
    ]
    pages = [1, 2, last // 8 or 1, last // 4 or 1]
    return [{**where, "page": page} for where in filters for page in pages]


async def measure(base: str, rounds: int, total: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        signed = await client.post("/admin/login", data={"key": KEY})
        assert signed.status_code in (200, 303), signed.status_code
        for params in queries(total)[:3]:  # warm up
            await client.get("/admin", params=params)
        for _ in range(rounds):
            for params in queries(total):
                started = time.perf_counter()
                answer = await client.get("/admin", params=params)
                key = "&".join(f"{name}={value}" for name, value in params.items())
                times.setdefault(key, []).append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, (params, answer.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        url = f"sqlite+aiosqlite:///{data / 'qualify.db'}"
        started = time.perf_counter()
        asyncio.run(fill(url, args.leads))
        print(f"{args.leads} leads written in {time.perf_counter() - started:.1f} s")
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=data,
            admin_api_key=KEY,
            secret_key="benchmark-secret-key-0123456789",
            knowledge=False,
            log_level="WARNING",
        )
        with ThreadedServer(create_app(settings)) as server:
            by_query = asyncio.run(measure(server.url, args.rounds, args.leads))
    times = [ms for values in by_query.values() for ms in values]
    plain = [ms for key, values in by_query.items() if "q=" not in key for ms in values]
    search = [ms for key, values in by_query.items() if "q=" in key for ms in values]
    slowest = sorted(by_query.items(), key=lambda item: -statistics.median(item[1]))[:3]
    for key, values in slowest:
        print(f"slowest: /admin?{key}: p50 {statistics.median(values):.1f} ms")
    print(
        f"GET /admin, {len(times)} page renders (50 leads each): "
        f"p50 {statistics.median(times):.1f} ms, p99 {percentile(times, 99):.1f} ms, "
        f"max {max(times):.1f} ms (target p99 ≤ 100 ms)"
    )
    for label, part in (("without q", plain), ("with q", search)):
        print(
            f"  {label}: {len(part)} renders, p50 {statistics.median(part):.1f} ms, "
            f"p99 {percentile(part, 99):.1f} ms"
        )


if __name__ == "__main__":
    main()
