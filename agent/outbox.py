"""Delivering lead events: the outbox worker.

Events are written to the outbox in the same transaction as the change that caused them,
with one pending delivery per destination that subscribed to their type, so nothing is
lost when a receiver or this process fails. :class:`OutboxWorker` then delivers them in
the background: each attempt first leases its delivery in the database (so several
workers or processes never send the same one at once, and a worker that dies mid-attempt
leaves it to be taken again once the lease ends), events of one lead reach each
destination in order, failures are retried with exponential backoff and jitter up to a
limit, and what still fails becomes a dead letter that stays visible until retried.

Receivers get the event id as an idempotency key: an attempt whose answer was lost (the
process died between sending and recording) is sent again with the same key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from agent.dashboard_destinations import DashboardDestinations
from agent.destinations import DeliveryFailed, Destination
from agent.engine import utcnow
from agent.events import LeadEvent
from agent.store import Delivery, DeliveryOutcome, OutboxStore

GONE = 410
"""The receiver's way of saying the endpoint is gone for good: the destination is turned off."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits between half and all of
    ``base * 2**(n-1)`` seconds, at most ``cap``; after ``max_attempts`` it is a dead letter.
    A receiver's ``Retry-After`` is honoured (up to ``cap``)."""

    max_attempts: int = 10
    base: float = 10.0
    cap: float = 3600.0

    def delay(self, attempt: int, hint: float | None = None, rand: float | None = None) -> float:
        ceiling = min(self.cap, self.base * 2.0 ** max(0, attempt - 1))
        jitter = random.random() if rand is None else rand
        wait = ceiling * (0.5 + jitter / 2)
        if hint is not None:
            wait = max(wait, min(hint, self.cap))
        return wait


class OutboxWorker:
    """Delivers due events: :meth:`run_once` for one pass, :meth:`run` as a background loop."""

    def __init__(
        self,
        store: OutboxStore,
        destinations: Iterable[Destination],
        *,
        retry: RetryPolicy | None = None,
        clock: Callable[[], datetime] = utcnow,
        poll_seconds: float = 2.0,
        lease_seconds: float = 300.0,
        concurrency: int = 16,
        dashboard: DashboardDestinations | None = None,
    ) -> None:
        self.store = store
        self.destinations = {destination.name: destination for destination in destinations}
        self.dashboard = dashboard
        """The endpoints added from the dashboard, read again as they change."""
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.lease = timedelta(seconds=lease_seconds)
        self.concurrency = concurrency
        self._wake = asyncio.Event()
        self.delivered = 0
        self.failed = 0

    def wake(self) -> None:
        """Look for due deliveries now rather than at the next poll."""
        self._wake.set()

    async def aclose(self) -> None:
        for destination in self.destinations.values():
            with contextlib.suppress(Exception):
                await destination.aclose()
        if self.dashboard is not None:
            await self.dashboard.aclose()

    async def run_once(self) -> int:
        """Attempt everything due now, including later events of a lead whose earlier ones
        land meanwhile; the number of attempts made."""
        attempts = 0
        while True:
            if self.dashboard is not None:
                await self.dashboard.refresh_if_due()
            now = self.clock()
            leased = await self.store.lease_deliveries(
                now, now + self.lease, limit=self.concurrency
            )
            if not leased:
                return attempts
            outcomes = await asyncio.gather(*(self.attempt(d, e) for d, e in leased))
            await self.store.record_deliveries(outcomes)
            attempts += len(outcomes)

    async def run(self) -> None:
        """Deliver until cancelled, with up to ``concurrency`` attempts in flight: a slow
        receiver holds only its own slots, and outcomes are recorded as they come."""
        running: set[asyncio.Task[DeliveryOutcome]] = set()
        try:
            while True:
                finished = [task for task in running if task.done()]
                running.difference_update(finished)
                leased: list[tuple[Delivery, LeadEvent]] = []
                try:
                    await self.store.record_deliveries([task.result() for task in finished])
                    free = self.concurrency - len(running)
                    if self.dashboard is not None:
                        await self.dashboard.refresh_if_due()
                    if free > 0:
                        now = self.clock()
                        leased = await self.store.lease_deliveries(
                            now, now + self.lease, limit=free
                        )
                except Exception:
                    # Unrecorded attempts are tried again when their lease ends.
                    log.exception("the event outbox is not reachable; trying again shortly")
                for delivery, event in leased:
                    running.add(asyncio.create_task(self.attempt(delivery, event)))
                if leased and len(running) < self.concurrency:
                    continue  # there may be more due already
                waker = asyncio.create_task(self._wake.wait())
                try:
                    await asyncio.wait(
                        {*running, waker},
                        timeout=self.poll_seconds,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                finally:
                    waker.cancel()
                self._wake.clear()
        finally:
            for task in running:
                task.cancel()

    async def attempt(self, delivery: Delivery, event: LeadEvent) -> DeliveryOutcome:
        """One attempt at one leased delivery; never raises."""
        destination = self.destinations.get(delivery.destination)
        if destination is None and self.dashboard is not None:
            try:
                destination = await self.dashboard.get(delivery.destination)
            except Exception as exc:
                log.exception("reading the dashboard's webhook endpoints failed")
                error = f"the webhook endpoints could not be read: {type(exc).__name__}"
                return self._failed(delivery, error, True, None)
        if destination is None:
            return DeliveryOutcome(
                delivery_id=delivery.id,
                status="dead",
                at=self.clock(),
                error=f"destination {delivery.destination!r} is not configured any more",
            )
        try:
            note = await destination.deliver(event)
        except DeliveryFailed as exc:
            if exc.status == GONE:
                return await self._gone(delivery, str(exc))
            return self._failed(delivery, str(exc), exc.retryable, exc.retry_after)
        except Exception as exc:
            log.exception("delivering %s to %s failed", event.id, delivery.destination)
            return self._failed(delivery, f"{type(exc).__name__}: {exc}", True, None)
        self.delivered += 1
        return DeliveryOutcome(
            delivery_id=delivery.id, status="delivered", at=self.clock(), note=note
        )

    async def _gone(self, delivery: Delivery, error: str) -> DeliveryOutcome:
        """The receiver says the endpoint is gone for good: turn the destination off."""
        self.failed += 1
        now = self.clock()
        reason = f"{error}: turned off"
        log.warning("destination %s is turned off: %s", delivery.destination, error)
        await self.store.disable_destination(delivery.destination, now, reason)
        return DeliveryOutcome(delivery_id=delivery.id, status="dead", at=now, error=reason)

    def _failed(
        self, delivery: Delivery, error: str, retryable: bool, hint: float | None
    ) -> DeliveryOutcome:
        self.failed += 1
        now = self.clock()
        attempts = delivery.attempts
        if retryable and attempts < self.retry.max_attempts:
            wait = self.retry.delay(attempts, hint)
            log.warning(
                "event %s to %s failed (attempt %d of %d): %s; retrying in %.0f s",
                delivery.event_id,
                delivery.destination,
                attempts,
                self.retry.max_attempts,
                error,
                wait,
            )
            return DeliveryOutcome(
                delivery_id=delivery.id,
                status="pending",
                at=now,
                next_attempt_at=now + timedelta(seconds=wait),
                error=error,
            )
        why = "not retryable" if not retryable else f"{attempts} attempts"
        log.warning(
            "event %s to %s is a dead letter (%s): %s",
            delivery.event_id,
            delivery.destination,
            why,
            error,
        )
        return DeliveryOutcome(delivery_id=delivery.id, status="dead", at=now, error=error)
