"""The outbox worker's view of the webhook endpoints added from the dashboard.

Any process may add or remove one at any time, so the worker reads the table again at
most every ``refresh_seconds`` and at once when a delivery names an endpoint it does not
know yet. Each endpoint becomes the same :class:`~agent.webhooks.WebhookDestination` as an
endpoint from settings: same signing, timeout, retries, backoff and dead letters.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from agent.store import OutboxStore
from agent.webhook_endpoints import WebhookEndpoint
from agent.webhooks import WebhookDestination


class DashboardDestinations:
    """Destinations for the endpoints in the ``webhook_endpoints`` table, by name."""

    def __init__(
        self,
        store: OutboxStore,
        *,
        timeout: float,
        refresh_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._built: dict[str, tuple[WebhookEndpoint, WebhookDestination]] = {}
        self._read_at: float | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._built)

    async def refresh(self) -> None:
        """Read the endpoints now: new ones are built, removed ones closed."""
        current = {endpoint.name: endpoint for endpoint in await self.store.webhook_endpoints()}
        self._read_at = self.clock()
        for name in [name for name in self._built if name not in current]:
            _, gone = self._built.pop(name)
            with contextlib.suppress(Exception):
                await gone.aclose()
        for name, endpoint in current.items():
            known = self._built.get(name)
            if known is not None and known[0] == endpoint:
                continue
            if known is not None:
                await known[1].aclose()
            destination = WebhookDestination(
                name, endpoint.url, endpoint.secret, timeout=self.timeout
            )
            self._built[name] = (endpoint, destination)

    async def refresh_if_due(self) -> None:
        if self._read_at is None or self.clock() - self._read_at >= self.refresh_seconds:
            await self.refresh()

    async def get(self, name: str) -> WebhookDestination | None:
        """The destination called ``name``; the table is read again when it is unknown
        (an error reading it is raised)."""
        if name not in self._built:
            await self.refresh()
        known = self._built.get(name)
        return known[1] if known is not None else None

    async def aclose(self) -> None:
        for _, destination in self._built.values():
            with contextlib.suppress(Exception):
                await destination.aclose()
        self._built.clear()
