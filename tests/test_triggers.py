"""Destinations from settings and the playbook, and a qualification synced end to end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent.config import Settings
from agent.crm.hubspot import HubSpotDestination
from agent.errors import ConfigError, PlaybookError
from agent.outbox import OutboxWorker
from agent.playbook import Playbook, parse_playbook
from agent.resources import default_playbook_path
from agent.sql_store import SQLStore
from agent.triggers import build_destinations, build_subscriptions, webhook_endpoints
from agent.webhooks import WebhookDestination
from tests.conftest import EngineFactory
from tests.hubspot_server import TOKEN, running_fake_hubspot
from tests.test_events import HOT_LEAD


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(data_dir=tmp_path, knowledge=False, **values)


def playbook_with(extra: str) -> Playbook:
    text = default_playbook_path().read_text(encoding="utf-8") + "\n" + extra
    return parse_playbook(text, "test.yaml")


@pytest.fixture
def clean_env() -> Iterator[None]:
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_webhooks_from_settings_and_from_the_playbook(
    tmp_path: Path, playbook: Playbook, clean_env: None
) -> None:
    os.environ["CRM_HOOK_SECRET"] = "from-the-environment"
    book = playbook_with(
        "webhooks:\n"
        "  - name: crm\n"
        "    url: https://crm.example.com/hooks/qualify\n"
        "    events: [lead.segment_changed, lead.handoff]\n"
        "    secret_env: CRM_HOOK_SECRET\n"
    )
    config = settings(
        tmp_path,
        webhooks=[{"url": "https://hooks.example.com/in?key=abc", "secret": "s1"}],
    )
    endpoints = webhook_endpoints(config, book)
    assert [(e.url, e.secret, e.events) for e in endpoints] == [
        ("https://hooks.example.com/in?key=abc", "s1", ("*",)),
        (
            "https://crm.example.com/hooks/qualify",
            "from-the-environment",
            ("lead.segment_changed", "lead.handoff"),
        ),
    ]
    assert endpoints[0].name.startswith("hooks-example-com-")
    subscriptions = build_subscriptions(config, book)
    assert subscriptions.destinations_for("lead.handoff") == (endpoints[0].name, "crm")
    assert subscriptions.destinations_for("lead.created") == (endpoints[0].name,)
    destinations = build_destinations(config, book)
    assert all(isinstance(d, WebhookDestination) for d in destinations)


def test_a_webhook_without_a_secret_is_refused_clearly(
    tmp_path: Path, playbook: Playbook, clean_env: None
) -> None:
    with pytest.raises(ConfigError, match="has no secret"):
        webhook_endpoints(settings(tmp_path, webhooks=[{"url": "https://x.example/h"}]), playbook)
    os.environ.pop("MISSING_SECRET", None)
    book = playbook_with(
        "webhooks:\n  - name: crm\n    url: https://x.example/h\n    secret_env: MISSING_SECRET\n"
    )
    with pytest.raises(ConfigError, match="set environment variable MISSING_SECRET"):
        webhook_endpoints(settings(tmp_path), book)


def test_two_webhooks_with_one_name_are_refused(tmp_path: Path, playbook: Playbook) -> None:
    hooks = [
        {"name": "crm", "url": "https://a.example/h", "secret": "1"},
        {"name": "crm", "url": "https://b.example/h", "secret": "2"},
    ]
    with pytest.raises(ConfigError, match="used twice: crm"):
        webhook_endpoints(settings(tmp_path, webhooks=hooks), playbook)


def test_unknown_event_names_are_refused_in_settings_and_playbook(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown event"):
        settings(tmp_path, webhooks=[{"url": "https://a.example/h", "events": ["lead.won"]}])
    with pytest.raises(PlaybookError, match=r"unknown event 'lead\.won'"):
        playbook_with(
            "webhooks:\n  - name: crm\n    url: https://a.example/h\n    events: [lead.won]\n"
        )


def test_hubspot_is_a_destination_only_with_a_token(tmp_path: Path, playbook: Playbook) -> None:
    assert build_destinations(settings(tmp_path), playbook) == []
    with_token = settings(tmp_path, hubspot_token="pat-123")
    (hubspot,) = build_destinations(with_token, playbook)
    assert isinstance(hubspot, HubSpotDestination)
    subscriptions = build_subscriptions(with_token, playbook)
    assert subscriptions.destinations_for("lead.updated") == ("hubspot",)
    assert subscriptions.destinations_for("lead.erased") == ("hubspot",)  # GDPR delete


def test_with_slack_erasures_go_to_slack_too(tmp_path: Path, playbook: Playbook) -> None:
    with_slack = settings(tmp_path, slack_bot_token="xoxb-123")
    subscriptions = build_subscriptions(with_slack, playbook)
    assert subscriptions.destinations_for("lead.erased") == ("slack",)
    assert subscriptions.destinations_for("lead.updated") == ()


async def test_a_qualification_reaches_hubspot_through_the_outbox(
    make_engine: EngineFactory, store: SQLStore, tmp_path: Path, playbook: Playbook
) -> None:
    with running_fake_hubspot() as fake:
        config = settings(tmp_path, hubspot_token=TOKEN, hubspot_api_url=fake.url)
        (hubspot,) = build_destinations(config, playbook)
        assert isinstance(hubspot, HubSpotDestination)
        await hubspot.setup()
        engine = await make_engine(subscriptions=build_subscriptions(config, playbook))
        # The engine's test clock starts at 09:00 on 2026-11-24: deliver as of later.
        worker = OutboxWorker(store, [hubspot], clock=lambda: datetime(2026, 11, 25, tzinfo=UTC))
        try:
            conversation, _ = await engine.start()
            for text in HOT_LEAD[:5]:
                await engine.turn(conversation.id, text)
            await worker.run_once()
            assert fake.contact("jane@shopco.example") is None  # no email yet: skipped
            notes = {d.note for d in await store.list_deliveries(status="delivered")}
            assert notes == {"skipped: no email yet"}

            await engine.turn(conversation.id, HOT_LEAD[5])  # the email
            await engine.turn(conversation.id, "I'm Jane Smith by the way")
            await worker.run_once()
        finally:
            await worker.aclose()
        found = fake.contact("jane@shopco.example")
        assert found is not None
        contact_id, properties = found
        assert properties["qualify_score"] == "95"  # next quarter ends in 4 months: +10
        assert properties["qualify_segment"] == "hot"
        assert properties["qualify_follow_up"] == "sales_handoff"
        assert properties["qualify_lead_id"] == conversation.id
        creates = fake.calls_to("POST", "/crm/v3/objects/contacts")
        assert len(creates) == 1  # created once, then updated by email
        assert await store.count_deliveries() == {
            "pending": 0,
            "delivered": len(await store.lead_events(conversation.id)),
            "dead": 0,
        }
        assert contact_id


def test_destinations_need_lead_events(tmp_path: Path, playbook: Playbook) -> None:
    config = settings(tmp_path, lead_events=False, hubspot_token="pat-1")
    with pytest.raises(ConfigError, match="lead events are off"):
        build_subscriptions(config, playbook)
    assert build_subscriptions(settings(tmp_path, lead_events=False), playbook).names == ()
