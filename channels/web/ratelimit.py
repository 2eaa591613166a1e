"""Per-IP and per-conversation rate limits (moving window, from the ``limits`` library).

The library's synchronous in-memory storage counts a hit in a few microseconds without
I/O, so it is called straight from the request handlers (its asyncio storage hands every
hit to a worker thread, which costs more than a whole chat turn under load).

Counters live in each worker's memory: with N workers the effective limit is up to N times
the setting, which still stops floods without adding a shared service.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


class RateLimits:
    def __init__(
        self, per_ip: str, per_conversation: str, login_failures: str = "5/5minutes"
    ) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_ip: RateLimitItem = parse(per_ip)
        self._per_conversation: RateLimitItem = parse(per_conversation)
        self._login: RateLimitItem = parse(login_failures)

    def login_wait(self, ip: str) -> int:
        """Seconds before ``ip`` may try the admin key again (0: now)."""
        if self._limiter.test(self._login, "login", ip):
            return 0
        stats = self._limiter.get_window_stats(self._login, "login", ip)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def login_failed(self, ip: str) -> None:
        self._limiter.hit(self._login, "login", ip)

    async def check(self, ip: str, conversation_id: str | None = None) -> None:
        """Count one hit; raise RateLimited (with seconds to wait) when over a limit."""
        self._hit(self._per_ip, "ip", ip)
        if conversation_id is not None:
            self._hit(self._per_conversation, "conversation", conversation_id)

    def _hit(self, item: RateLimitItem, *identifiers: str) -> None:
        if self._limiter.hit(item, *identifiers):
            return
        stats = self._limiter.get_window_stats(item, *identifiers)
        raise RateLimited(max(1, math.ceil(stats.reset_time - time.time())))


class StreamSlots:
    """How many live event streams a conversation and an address may hold at once (in this
    worker): a stream polls the database for as long as it is open."""

    def __init__(self, per_conversation: int, per_ip: int) -> None:
        self._limits = {"conversation": per_conversation, "ip": per_ip}
        self._open: dict[tuple[str, str], int] = {}

    def take(self, conversation_id: str, ip: str) -> bool:
        """Open a slot for a stream, or False (nothing taken) when either is full."""
        keys = (("conversation", conversation_id), ("ip", ip))
        if any(self._open.get(key, 0) >= self._limits[key[0]] for key in keys):
            return False
        for key in keys:
            self._open[key] = self._open.get(key, 0) + 1
        return True

    def give_back(self, conversation_id: str, ip: str) -> None:
        for key in (("conversation", conversation_id), ("ip", ip)):
            left = self._open.get(key, 0) - 1
            if left > 0:
                self._open[key] = left
            else:
                self._open.pop(key, None)
