"""Webhook endpoints added from the dashboard, in the SQL store on SQLite and PostgreSQL:
events written after one is added get a delivery to it, removing it cancels its pending
deliveries, and the real outbox worker delivers to one it has not seen before."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from agent.dashboard_destinations import DashboardDestinations
from agent.outbox import OutboxWorker
from agent.sql_store import SQLStore
from agent.store import AuditEntry, DeliveryOutcome, LeadChange
from agent.webhook_endpoints import DuplicateEndpoint, WebhookEndpoint, new_secret
from tests.test_cli import run
from tests.test_lead_status_store import status_event
from tests.test_store import START, conversation
from tests.webhook_receiver import running_receiver


def endpoint(url: str, name: str, events: tuple[str, ...] = ("*",)) -> WebhookEndpoint:
    return WebhookEndpoint(
        name=name,
        url=url,
        secret=new_secret(),
        events=events,
        created_by="dashboard",
        created_at=START,
    )


async def change_status(store: SQLStore, lead_id: str, status: str) -> None:
    change = LeadChange(status=status, actor="dashboard", at=START)  # type: ignore[arg-type]
    assert await store.update_lead(lead_id, change, status_event(lead_id, status)) is not None


async def test_endpoints_are_stored_once_per_url(store: SQLStore) -> None:
    first = endpoint("https://hooks.example.com/a", "hooks-a", ("lead.handoff", "lead.claimed"))
    audit = AuditEntry(at=START, actor="admin-api", action="add_webhook", subject=first.id)
    await store.add_webhook_endpoint(first, audit)
    again = endpoint("https://hooks.example.com/a", "hooks-b")
    with pytest.raises(DuplicateEndpoint):
        await store.add_webhook_endpoint(again, audit)
    assert await store.webhook_endpoints() == [first]
    assert [entry.action for entry in await store.audit_log()] == ["add_webhook"]


async def test_events_go_to_the_endpoints_that_want_them(store: SQLStore) -> None:
    lead = conversation()
    await store.create_conversation(lead)
    await change_status(store, lead.id, "contacted")  # before any endpoint: no delivery
    assert await store.list_deliveries() == []

    statuses = endpoint("https://a.example.com/in", "a", ("lead.status_changed",))
    handoffs = endpoint("https://b.example.com/in", "b", ("lead.handoff",))
    everything = endpoint("https://c.example.com/in", "c")
    for item in (statuses, handoffs, everything):
        await store.add_webhook_endpoint(item)
    await change_status(store, lead.id, "meeting")
    got = await store.list_deliveries()
    assert sorted(d.destination for d in got) == ["a", "c"]
    assert {d.status for d in got} == {"pending"}


async def test_removing_an_endpoint_cancels_its_pending_deliveries(store: SQLStore) -> None:
    lead = conversation()
    await store.create_conversation(lead)
    kept = endpoint("https://kept.example.com/in", "kept")
    removed = endpoint("https://removed.example.com/in", "removed")
    await store.add_webhook_endpoint(kept)
    await store.add_webhook_endpoint(removed)
    await change_status(store, lead.id, "contacted")
    await change_status(store, lead.id, "meeting")
    now = START + timedelta(minutes=1)
    leased = await store.lease_deliveries(now, now + timedelta(minutes=5))
    # Per lead and destination in order: the first event to each is out.
    first = next(d for d, _ in leased if d.destination == "removed")
    in_flight = next(d for d, _ in leased if d.destination == "kept")
    await store.record_deliveries(
        [DeliveryOutcome(delivery_id=first.id, status="delivered", at=now, note="HTTP 200")]
    )

    audit = AuditEntry(at=now, actor="dashboard", action="remove_webhook", subject=removed.id)
    assert await store.remove_webhook_endpoint(removed.id, now, audit) == 1
    assert await store.remove_webhook_endpoint(removed.id, now, audit) is None
    assert [e.name for e in await store.webhook_endpoints()] == ["kept"]
    mine = await store.list_deliveries(destination="removed")
    assert sorted(d.status for d in mine) == ["cancelled", "delivered"]
    (cancelled,) = [d for d in mine if d.status == "cancelled"]
    assert cancelled.last_error == "not sent: its webhook endpoint was removed"
    assert (await store.count_deliveries())["cancelled"] == 1
    assert [entry.action for entry in await store.audit_log()] == ["remove_webhook"]

    # An attempt that was running when the endpoint went: a retry does not revive it...
    retry_at = now + timedelta(minutes=10)
    await store.record_deliveries(
        [DeliveryOutcome(delivery_id=cancelled.id, status="pending", at=now, next_attempt_at=now)]
    )
    assert (await store.list_deliveries(destination="removed", status="cancelled")) != []
    # ...and the other endpoint's deliveries go on.
    await store.record_deliveries(
        [DeliveryOutcome(delivery_id=in_flight.id, status="delivered", at=now, note="HTTP 200")]
    )
    later = await store.lease_deliveries(retry_at, retry_at + timedelta(minutes=5))
    assert [d.destination for d, _ in later] == ["kept"]

    await change_status(store, lead.id, "won")  # written after removal: not for it
    assert len(await store.list_deliveries(destination="removed")) == 2


async def test_the_worker_delivers_to_an_endpoint_added_after_it_started(
    store: SQLStore,
) -> None:
    lead = conversation()
    await store.create_conversation(lead)
    with running_receiver() as receiver:
        dashboard = DashboardDestinations(store, timeout=5, refresh_seconds=3600)
        worker = OutboxWorker(store, [], dashboard=dashboard, clock=lambda: START)
        try:
            assert await worker.run_once() == 0
            added = endpoint(receiver.url, "receiver")
            receiver.secret = added.secret
            await store.add_webhook_endpoint(added)
            await change_status(store, lead.id, "contacted")
            assert await worker.run_once() == 1
        finally:
            await worker.aclose()
    (got,) = receiver.received
    assert got.signature_ok
    assert got.event["type"] == "lead.status_changed"
    (delivery,) = await store.list_deliveries()
    assert (delivery.status, delivery.note) == ("delivered", "HTTP 200")


async def test_the_cli_lists_cancelled_deliveries(tmp_path: Path) -> None:
    store = SQLStore(f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}")
    try:
        await store.init()
        lead = conversation()
        await store.create_conversation(lead)
        removed = endpoint("https://removed.example.com/in", "removed-hook")
        await store.add_webhook_endpoint(removed)
        await change_status(store, lead.id, "contacted")
        assert await store.remove_webhook_endpoint(removed.id, START) == 1
    finally:
        await store.close()
    listed = await asyncio.to_thread(
        run, "webhooks", "list", "--status", "cancelled", data_dir=tmp_path
    )
    assert listed.returncode == 0, listed.stderr
    assert "removed-hook" in listed.stdout and "cancelled" in listed.stdout
    assert "0 pending, 0 delivered, 0 dead, 1 cancelled" in listed.stdout
