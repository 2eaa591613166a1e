"""Per-IP and per-conversation rate limits: a moving window over each key's recent hits.

Limits are written as in the ``limits`` library (``30/minute``, ``1000/hour``) and parsed
by it; the counting is done here, in memory, in constant time per hit (the library's async
memory storage sweeps every key through a worker thread on every hit, which costs more than
a whole chat turn once there are a few hundred conversations).

Counters live in each worker's memory: with N workers the effective limit is up to N times
the setting, which still stops floods without adding a shared service.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from limits import RateLimitItem, parse


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after}s")
        self.retry_after = retry_after


class MovingWindow:
    """At most ``amount`` hits per key in any ``seconds``-long window."""

    def __init__(self, item: RateLimitItem, clock: Callable[[], float] = time.monotonic) -> None:
        self.amount = item.amount
        self.seconds = float(item.get_expiry())
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._next_sweep = clock() + self.seconds

    def hit(self, key: str) -> float:
        """Count a hit for ``key``: 0 when allowed, else the seconds until one would be."""
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
        start = now - self.seconds
        while hits and hits[0] <= start:
            hits.popleft()
        if len(hits) >= self.amount:
            return max(hits[0] - start, 0.001)
        hits.append(now)
        return 0.0

    def _sweep(self, now: float) -> None:
        """Forget keys with no hit in the window, so memory follows the active keys only."""
        start = now - self.seconds
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= start]:
            del self._hits[key]
        self._next_sweep = now + self.seconds


class RateLimits:
    def __init__(self, per_ip: str, per_conversation: str) -> None:
        self._per_ip = MovingWindow(parse(per_ip))
        self._per_conversation = MovingWindow(parse(per_conversation))

    async def check(self, ip: str, conversation_id: str | None = None) -> None:
        """Count one hit; raise RateLimited (with seconds to wait) when over a limit."""
        self._hit(self._per_ip, ip)
        if conversation_id is not None:
            self._hit(self._per_conversation, conversation_id)

    @staticmethod
    def _hit(window: MovingWindow, key: str) -> None:
        wait = window.hit(key)
        if wait:
            raise RateLimited(max(1, math.ceil(wait)))
