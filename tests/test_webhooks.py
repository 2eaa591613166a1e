"""Signed webhooks: the real outbox worker delivering to a real receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.config import Settings
from agent.events import LeadEvent
from agent.outbox import OutboxWorker, RetryPolicy
from agent.playbook import Playbook
from agent.sql_store import SQLStore
from agent.triggers import build_destinations
from agent.webhooks import WebhookDestination, encode, sign, verify
from channels.web.app import create_app
from tests.servers import ThreadedServer, free_port
from tests.test_store import conversation as make_conversation
from tests.test_web_api import make_settings, send, start
from tests.webhook_receiver import Receiver, running_receiver

SECRET = "whsec-test-secret"


async def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    """Poll until ``condition`` holds (background delivery); fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


def server_settings(tmp_path: Path, receiver: Receiver) -> Settings:
    """Web server settings with one webhook ("crm") to ``receiver``, polled often."""
    return make_settings(
        tmp_path,
        webhooks=[{"name": "crm", "url": receiver.url, "secret": SECRET}],
        outbox_poll_seconds=0.2,
        knowledge=False,
    )


class ManualClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver(SECRET) as running:
        yield running


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def worker_for(
    store: SQLStore,
    clock: ManualClock,
    url: str,
    *,
    max_attempts: int = 4,
    timeout: float = 10.0,
    name: str = "crm",
) -> OutboxWorker:
    destination = WebhookDestination(name, url, SECRET, timeout=timeout)
    return OutboxWorker(
        store,
        [destination],
        retry=RetryPolicy(max_attempts=max_attempts, base=10, cap=100),
        clock=clock,
        lease_seconds=300,
    )


async def write_events(
    store: SQLStore, clock: ManualClock, *types: str, lead: str | None = None
) -> list[LeadEvent]:
    conversation = make_conversation(**({"id": lead} if lead else {}))
    stored = await store.get_conversation(conversation.id)
    if stored is None:
        await store.create_conversation(conversation)
    else:
        conversation = stored
    events = [
        LeadEvent(
            type=kind,  # type: ignore[arg-type]
            conversation_id=conversation.id,
            created_at=clock(),
            lead={"id": conversation.id, "score": index},
            data={"n": index},
            destinations=("crm",),
        )
        for index, kind in enumerate(types)
    ]
    await store.save_turn(conversation, None, None, events)
    return events


async def test_events_reach_the_receiver_signed_in_order_and_once(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    first = await write_events(
        store, clock, "lead.created", "lead.updated", "lead.segment_changed", lead="lead-a"
    )
    other = await write_events(store, clock, "lead.created", lead="lead-b")
    worker = worker_for(store, clock, receiver.url)
    try:
        assert await worker.run_once() == 4
        assert await worker.run_once() == 0  # delivered ones are never sent again
    finally:
        await worker.aclose()

    assert len(receiver.received) == 4
    assert all(item.signature_ok for item in receiver.received)
    lead_a = [item.event for item in receiver.received if item.event["lead"]["id"] == "lead-a"]
    assert [event["id"] for event in lead_a] == [event.id for event in first]
    assert set(receiver.processed) == {event.id for event in (*first, *other)}
    sample = receiver.received[0]
    assert sample.headers["content-type"] == "application/json"
    assert sample.headers["idempotency-key"] == sample.headers["x-qualify-event-id"]
    assert sample.headers["x-qualify-event"] == sample.event["type"]
    assert sample.event["schema_version"] == 1
    assert set(sample.event) == {
        "schema_version",
        "id",
        "type",
        "created_at",
        "sequence",
        "superseded",
        "lead",
        "data",
    }
    assert sample.event["superseded"] is False
    sequences = [event["sequence"] for event in lead_a]
    assert all(isinstance(n, int) for n in sequences) and sequences == sorted(sequences)
    deliveries = await store.list_deliveries()
    assert {(d.status, d.attempts, d.note) for d in deliveries} == {("delivered", 1, "HTTP 200")}


async def test_receivers_can_check_signatures_with_the_documented_scheme(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    await write_events(store, clock, "lead.created")
    worker = worker_for(store, clock, receiver.url)
    await worker.run_once()
    await worker.aclose()
    got = receiver.received[0]
    headers = {key: value for key, value in got.headers.items()}
    assert verify(SECRET, headers, got.body)
    assert not verify("another-secret", headers, got.body)
    assert not verify(SECRET, headers, got.body.replace(b'"score":0', b'"score":9'))
    assert not verify(SECRET, headers, got.body, now=time.time() + 400)  # a replay, later
    assert not verify(SECRET, {**headers, "x-qualify-signature": "v1=00"}, got.body)
    # The scheme in the docs: HMAC-SHA256 over "<timestamp>.<body>".
    assert got.headers["x-qualify-signature"] == sign(
        SECRET, got.headers["x-qualify-timestamp"], got.body
    )


async def test_failures_are_retried_with_growing_delays_then_delivered(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    (event,) = await write_events(store, clock, "lead.created")
    receiver.answer(500, times=2)
    worker = worker_for(store, clock, receiver.url)
    try:
        assert await worker.run_once() == 1
        (delivery,) = await store.list_deliveries()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert "HTTP 500" in (delivery.last_error or "")
        first_wait = (delivery.next_attempt_at - clock.now).total_seconds()
        assert 5 <= first_wait <= 10  # base 10 s, jittered down to half at most

        assert await worker.run_once() == 0  # not due yet
        clock.advance(first_wait)
        assert await worker.run_once() == 1
        (delivery,) = await store.list_deliveries()
        second_wait = (delivery.next_attempt_at - clock.now).total_seconds()
        assert delivery.attempts == 2 and 10 <= second_wait <= 20

        clock.advance(second_wait)
        assert await worker.run_once() == 1
    finally:
        await worker.aclose()
    (delivery,) = await store.list_deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, None)
    assert list(receiver.processed) == [event.id]
    assert [item.status for item in receiver.received] == [500, 500, 200]


async def test_retry_after_from_the_receiver_is_honoured(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    await write_events(store, clock, "lead.created")
    receiver.answer(429, retry_after="90")
    worker = worker_for(store, clock, receiver.url)
    await worker.run_once()
    await worker.aclose()
    (delivery,) = await store.list_deliveries()
    assert delivery.status == "pending"
    assert (delivery.next_attempt_at - clock.now).total_seconds() >= 90


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        *[(status, "dead") for status in (400, 401, 404, 422, 301)],
        *[(status, "pending") for status in (408, 429, 500, 503)],
    ],
)
async def test_client_errors_are_not_retried(
    sqlite_url: str, clock: ManualClock, receiver: Receiver, status: int, outcome: str
) -> None:
    store = SQLStore(sqlite_url)
    await store.init()
    try:
        await write_events(store, clock, "lead.created")
        receiver.answer(status)
        worker = worker_for(store, clock, receiver.url)
        await worker.run_once()
        await worker.aclose()
        (delivery,) = await store.list_deliveries()
        assert (delivery.status, delivery.attempts) == (outcome, 1)
        assert f"HTTP {status}" in (delivery.last_error or "")
    finally:
        await store.close()


async def test_dead_letters_after_the_last_attempt_can_be_retried(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    (event,) = await write_events(store, clock, "lead.updated")
    receiver.answer(503, times=3)
    worker = worker_for(store, clock, receiver.url, max_attempts=3)
    try:
        for _ in range(3):
            assert await worker.run_once() == 1
            clock.advance(100)
        assert await worker.run_once() == 0
        (dead,) = await store.list_deliveries(status="dead")
        assert dead.attempts == 3 and "HTTP 503" in (dead.last_error or "")
        assert await store.count_deliveries() == {"pending": 0, "delivered": 0, "dead": 1}

        assert await store.retry_deliveries(clock(), ids=[dead.id]) == 1
        assert await store.retry_deliveries(clock(), ids=[dead.id]) == 0  # not dead any more
        assert await worker.run_once() == 1
    finally:
        await worker.aclose()
    (delivery,) = await store.list_deliveries()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert list(receiver.processed) == [event.id]


async def test_a_failing_event_holds_back_only_its_own_leads_later_events(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    receiver.answer(500, lead="lead-a")  # the first request about lead-a fails
    held = await write_events(store, clock, "lead.created", "lead.updated", lead="lead-a")
    free = await write_events(store, clock, "lead.created", lead="lead-b")
    worker = worker_for(store, clock, receiver.url)
    try:
        await worker.run_once()
        assert list(receiver.processed) == [free[0].id]
        clock.advance(100)
        await worker.run_once()
    finally:
        await worker.aclose()
    assert list(receiver.processed) == [free[0].id, held[0].id, held[1].id]


async def test_retried_dead_letters_never_take_a_receiver_back_to_an_older_lead(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    """Early events of a lead go dead, a later one is delivered, then the dead ones are
    retried: they arrive flagged ``superseded`` with their older ``sequence``, and a
    receiver that applies events by sequence keeps the newest lead."""
    receiver.answer(400, lead="lead-a", times=2)  # refused, not retried: dead letters
    early = await write_events(store, clock, "lead.created", "lead.updated", lead="lead-a")
    worker = worker_for(store, clock, receiver.url)
    try:
        await worker.run_once()
        assert [d.status for d in await store.list_deliveries()] == ["dead", "dead"]
        (late,) = await write_events(store, clock, "lead.segment_changed", lead="lead-a")
        await worker.run_once()
        assert await store.retry_deliveries(clock()) == 2
        await worker.run_once()
    finally:
        await worker.aclose()

    delivered = [item.event for item in receiver.received if item.status == 200]
    assert [event["id"] for event in delivered] == [late.id, early[0].id, early[1].id]
    assert [event["superseded"] for event in delivered] == [False, True, True]
    newest: dict[str, dict[str, Any]] = {}
    for event in delivered:  # a receiver that keeps the event with the highest sequence
        lead_id = event["lead"]["id"]
        if lead_id not in newest or event["sequence"] > newest[lead_id]["sequence"]:
            newest[lead_id] = event
    assert newest["lead-a"]["id"] == late.id


async def test_an_unreachable_endpoint_is_retried_and_its_secret_kept_out_of_errors(
    store: SQLStore, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    await write_events(store, clock, "lead.created")
    url = f"http://127.0.0.1:{free_port()}/hook?token=query-secret-123"
    worker = worker_for(store, clock, url)
    with caplog.at_level(logging.DEBUG):
        await worker.run_once()
    await worker.aclose()
    assert "retrying in" in caplog.text
    assert "query-secret-123" not in caplog.text and SECRET not in caplog.text
    (delivery,) = await store.list_deliveries()
    assert delivery.status == "pending"
    assert "cannot reach http://127.0.0.1" in (delivery.last_error or "")
    assert "query-secret-123" not in (delivery.last_error or "")
    assert SECRET not in (delivery.last_error or "")


async def test_a_slow_endpoint_times_out_and_is_retried(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    await write_events(store, clock, "lead.created")
    receiver.answer(200, delay=3.0)
    worker = worker_for(store, clock, receiver.url, timeout=0.5)
    await worker.run_once()
    await worker.aclose()
    (delivery,) = await store.list_deliveries()
    assert delivery.status == "pending"
    assert "did not answer within 0.5 s" in (delivery.last_error or "")


async def test_a_lease_left_by_a_worker_that_died_is_taken_again_once_it_ends(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    (event,) = await write_events(store, clock, "lead.created")
    # A worker leased it and died before sending (or before recording its answer).
    taken = await store.lease_deliveries(clock(), clock() + timedelta(seconds=300))
    assert [delivery.event_id for delivery, _ in taken] == [event.id]
    assert await store.lease_deliveries(clock(), clock() + timedelta(seconds=300)) == []

    worker = worker_for(store, clock, receiver.url)
    try:
        assert await worker.run_once() == 0  # still leased
        clock.advance(301)
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0
    finally:
        await worker.aclose()
    assert list(receiver.processed) == [event.id]
    (delivery,) = await store.list_deliveries()
    assert delivery.attempts == 2  # the lost attempt counts


async def test_two_workers_never_send_the_same_delivery(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    for index in range(20):
        await write_events(store, clock, "lead.created", lead=f"lead-{index}")
    one = worker_for(store, clock, receiver.url)
    two = worker_for(store, clock, receiver.url)
    try:
        counts = await asyncio.gather(one.run_once(), two.run_once())
    finally:
        await one.aclose()
        await two.aclose()
    assert sum(counts) == 20
    assert len(receiver.received) == 20
    assert len(receiver.processed) == 20


async def test_deliveries_to_a_destination_no_longer_configured_become_dead_letters(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    await write_events(store, clock, "lead.created")
    worker = worker_for(store, clock, receiver.url, name="another")
    await worker.run_once()
    await worker.aclose()
    (delivery,) = await store.list_deliveries()
    assert delivery.status == "dead"
    assert "'crm' is not configured any more" in (delivery.last_error or "")


def test_the_body_is_compact_utf8_json_of_the_event() -> None:
    event = LeadEvent(
        type="lead.created",
        conversation_id="c1",
        created_at=datetime(2026, 11, 24, tzinfo=UTC),
        lead={"id": "c1", "contact": {"company": "Zürich Analytics"}},
    )
    body = encode(event)
    assert "Zürich".encode() in body
    assert json.loads(body) == {
        "schema_version": 1,
        "id": event.id,
        "type": "lead.created",
        "created_at": "2026-11-24T00:00:00+00:00",
        "sequence": None,
        "superseded": False,
        "lead": {"id": "c1", "contact": {"company": "Zürich Analytics"}},
        "data": {},
    }


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    policy = RetryPolicy(max_attempts=10, base=10, cap=300)
    assert [policy.delay(n, rand=1.0) for n in range(1, 7)] == [10, 20, 40, 80, 160, 300]
    assert [policy.delay(n, rand=0.0) for n in range(1, 4)] == [5, 10, 20]
    assert policy.delay(1, hint=120, rand=0.0) == 120
    assert policy.delay(1, hint=10_000, rand=0.0) == 300


# The server: a turn is never held up by a receiver.


async def test_the_server_delivers_events_and_a_hanging_receiver_does_not_hold_up_turns(
    tmp_path: Path, receiver: Receiver
) -> None:
    receiver.answer(200, delay=5.0)  # the first delivery hangs for a while
    with ThreadedServer(create_app(server_settings(tmp_path, receiver))) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            token = await start(client)
            replies = [
                await send(client, token, text)
                for text in ("We need funnel analysis", "About $60k a year")
            ]
            assert all(reply.status_code == 200 for reply in replies)
            await wait_for(lambda: len(receiver.processed) >= 3)
    assert receiver.types() == ["lead.created", "lead.updated", "lead.segment_changed"]
    assert all(item.signature_ok for item in receiver.received)


async def test_during_a_secret_rotation_both_secrets_sign(
    store: SQLStore, clock: ManualClock, tmp_path: Path, playbook: Playbook
) -> None:
    """The endpoint is given the new secret and the old one: a receiver still on the old
    secret and one already on the new both verify every request."""
    new = "rotated-webhook-secret-0123"
    with running_receiver(SECRET) as old_side, running_receiver(new) as new_side:
        hooks = [
            {"name": name, "url": url, "secret": new, "previous_secret": SECRET}
            for name, url in (("old-side", old_side.url), ("new-side", new_side.url))
        ]
        settings = Settings(_env_file=None, data_dir=tmp_path, webhooks=hooks)
        destinations = build_destinations(settings, playbook)
        conversation = make_conversation()
        await store.create_conversation(conversation)
        event = LeadEvent(
            type="lead.created",
            conversation_id=conversation.id,
            created_at=clock(),
            lead={"id": conversation.id},
            destinations=("old-side", "new-side"),
        )
        await store.save_turn(conversation, None, None, [event])
        worker = OutboxWorker(store, destinations, clock=clock)
        try:
            assert await worker.run_once() == 2
        finally:
            await worker.aclose()
        for side in (old_side, new_side):
            (received,) = side.received
            assert received.signature_ok
            assert received.headers["x-qualify-signature"].count("v1=") == 2
            for secret in (SECRET, new):
                assert verify(secret, received.headers, received.body)


async def test_410_gone_turns_the_destination_off_until_its_dead_letters_are_retried(
    store: SQLStore, clock: ManualClock, receiver: Receiver
) -> None:
    receiver.answer(410, lead="lead-a")
    a = await write_events(store, clock, "lead.created", "lead.updated", lead="lead-a")
    (b,) = await write_events(store, clock, "lead.created", lead="lead-b")
    worker = worker_for(store, clock, receiver.url)
    try:
        await worker.run_once()
        # lead-b's first event was on its way beside lead-a's when the 410 came back;
        # after the 410 nothing more is sent.
        assert sorted(item.status for item in receiver.received) == [200, 410]
        status = {d.event_id: d.status for d in await store.list_deliveries()}
        assert status == {a[0].id: "dead", a[1].id: "dead", b.id: "delivered"}
        (reason,) = (await store.disabled_destinations()).values()
        assert "410" in reason
        (later,) = await write_events(store, clock, "lead.segment_changed", lead="lead-b")
        clock.advance(60)
        await worker.run_once()
        assert len(receiver.received) == 2
        newest = (await store.list_deliveries())[0]
        assert newest.event_id == later.id and newest.status == "dead"
        assert "turned off" in (newest.last_error or "")

        assert await store.retry_deliveries(clock(), destination="crm") == 3
        assert await store.disabled_destinations() == {}
        await worker.run_once()
    finally:
        await worker.aclose()
    assert {d.status for d in await store.list_deliveries()} == {"delivered"}
    assert len(receiver.processed) == 4
