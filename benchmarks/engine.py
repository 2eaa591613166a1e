"""Engine and scorer speed on this machine.

    python benchmarks/engine.py [--conversations 200] [--profiles 200000]

Prints turns/s and p50/p99 turn latency for whole conversations with the offline model and
the SQLite store (in process, a fresh database in a temp folder), and scorer+segmenter
profiles/s over varied profiles. Targets: turn p50 <= 5 ms, p99 <= 25 ms; >= 50,000
profiles/s.

Turn latency is measured twice: on the four short conversations below, repeated, and on
the transcript conversations of the development eval sets (``evals/dev``), where every
message is new and many need the MiniLM example classifier. The second is what a real
mix of prospects costs; the classifier's share of it is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.engine import Engine
from agent.exemplars import ClassifierCache
from agent.llm import build_offline_model
from agent.playbook import load_playbook
from agent.prompts import PromptSet
from agent.resources import default_playbook_path, default_prompts_path
from agent.scoring import score
from agent.segments import segment
from agent.sql_store import SQLStore
from evals.cases import load_cases
from tests.builders import make_profile

DEV_SETS = Path(__file__).resolve().parent.parent / "evals" / "dev"

CONVERSATIONS = [
    [
        "Hi, we want to understand why users churn after onboarding",
        "Probably around $60k a year",
        "I'm the VP of Product, I own the budget",
        "We'd like something live next quarter",
        "We're an ecommerce company with about 300 employees",
        "jane@shopco.com",
    ],
    [
        "looking at funnel analysis and dashboards for our growth team",
        "between 20 and 30k",
        "i'd need to run it by our CFO",
        "no rush honestly",
        "B2B SaaS, 45 people",
        "mark@saasy.io",
    ],
    [
        "Hello! I'm a student writing my thesis on analytics tools",
        "is there a free version?",
    ],
    [
        "can I talk to a person about pricing?",
        "we need help with payroll and bookkeeping",
        "no budget yet",
        "sometime next year",
    ],
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def varied_conversations() -> list[list[str]]:
    """The prospect messages of every transcript case in the development eval sets."""
    cases = load_cases([DEV_SETS])
    return [list(case.turns) for case in cases if getattr(case, "turns", None)]


async def bench_turns(conversations: int, texts: list[list[str]] = CONVERSATIONS) -> list[float]:
    playbook = load_playbook(default_playbook_path())
    prompts = PromptSet(default_prompts_path())
    with tempfile.TemporaryDirectory() as folder:
        store = SQLStore(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await store.init()
        engine = Engine(
            store=store,
            model=build_offline_model(playbook, prompts),
            playbook=playbook,
            prompts=prompts,
        )
        # Warm up imports and caches (dateparser, regexes) outside the measurement.
        warm, _ = await engine.start(today=date(2026, 11, 24))
        for text in CONVERSATIONS[0]:
            await engine.turn(warm.id, text)
        await engine.turn(warm.id, "we want to see why people stop using the app")
        timings: list[float] = []
        for index in range(conversations):
            conversation, _ = await engine.start(today=date(2026, 11, 24))
            for text in texts[index % len(texts)]:
                started = time.perf_counter()
                await engine.turn(conversation.id, text)
                timings.append(time.perf_counter() - started)
        await store.close()
    return timings


def bench_scoring(count: int) -> float:
    playbook = load_playbook(default_playbook_path())
    rng = random.Random(7)
    profiles = [
        make_profile(
            annual_usd=rng.choice([None, 5_000, 20_000, 60_000]),
            level=rng.choice([None, "decision_maker", "influencer", "user"]),
            fit=rng.choice([None, "strong", "partial", "none"]),
            months=rng.choice([None, 0, 2, 5, 9, 18]),
            size=rng.choice([None, 10, 120, 800, 2500]),
            industry=rng.choice([None, "saas", "ecommerce"]),
            disqualifier=rng.choice([None] * 9 + ["student"]),
        )
        for _ in range(1000)
    ]
    started = time.perf_counter()
    for index in range(count):
        profile = profiles[index % len(profiles)]
        segment(profile, score(profile, playbook), playbook)
    return count / (time.perf_counter() - started)


class _EmbeddingClock:
    """Counts and times the example classifier's embedding calls while it is installed."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._embed = ClassifierCache.embed

    def __enter__(self) -> _EmbeddingClock:
        clock, embed = self, self._embed

        def timed(cache: ClassifierCache, texts: Any) -> Any:
            started = time.perf_counter()
            try:
                return embed(cache, texts)
            finally:
                clock.seconds.append(time.perf_counter() - started)

        ClassifierCache.embed = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        ClassifierCache.embed = self._embed  # type: ignore[method-assign]


def report_turns(title: str, timings: list[float], embedding: _EmbeddingClock) -> None:
    ms = [t * 1000 for t in timings]
    total = sum(timings)
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    print(f"{title}: {len(ms)} turns in {total:.2f} s")
    print(f"  turns/s      {len(ms) / total:10.1f}")
    print(f"  mean         {statistics.fmean(ms):10.2f} ms")
    print(f"  p50          {p50:10.2f} ms   (target <= 5 ms: {p50 / 5:.2f}x of budget)")
    print(f"  p99          {p99:10.2f} ms   (target <= 25 ms: {p99 / 25:.2f}x of budget)")
    calls = [s * 1000 for s in embedding.seconds]
    if calls:
        print(
            f"  classifier   {len(calls) / len(ms):10.2f} embedding calls per turn, "
            f"{statistics.median(calls):.2f} ms median per call, "
            f"{sum(calls) / sum(ms):.0%} of turn time"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--profiles", type=int, default=200_000)
    args = parser.parse_args()

    with _EmbeddingClock() as embedding:
        timings = asyncio.run(bench_turns(args.conversations))
    report_turns("engine turns (offline model, SQLite), 4 conversations", timings, embedding)
    varied = varied_conversations()
    with _EmbeddingClock() as embedding:
        timings = asyncio.run(bench_turns(len(varied), varied))
    report_turns(
        f"engine turns, {len(varied)} development-set conversations (every message new)",
        timings,
        embedding,
    )
    rate = bench_scoring(args.profiles)
    print(f"scorer+segmenter: {rate:,.0f} profiles/s   (target >= 50,000: {rate / 50_000:.2f}x)")


if __name__ == "__main__":
    main()
