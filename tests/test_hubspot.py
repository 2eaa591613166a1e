"""The HubSpot sync: the real HubSpotDestination against a local HubSpot CRM v3 fake."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from agent.config import Settings
from agent.crm.hubspot import (
    CUSTOM_PROPERTIES,
    HubSpotDestination,
    build_hubspot,
    contact_properties,
    employee_range,
)
from agent.destinations import DeliveryFailed
from agent.events import LeadEvent, erased_event, turn_events
from agent.models import Authority, LeadProfile
from agent.playbook import FollowUpRule, FollowUpWhen, Playbook
from agent.scoring import score
from agent.segments import segment
from agent.store import Conversation
from tests.builders import fact, make_profile
from tests.hubspot_server import TOKEN, FakeHubSpot, running_fake_hubspot
from tests.servers import free_port

QUALIFY = str(Path(sys.executable).parent / "qualify")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
EMAIL = "dana@acme.example"
PROPERTY_NAMES = {"qualify_" + spec.suffix for spec in CUSTOM_PROPERTIES}


def hot_profile(email: str | None = EMAIL, annual_usd: float = 60000) -> LeadProfile:
    base = make_profile(
        annual_usd=annual_usd, fit="strong", months=3, size=120, industry="saas", email=email
    )
    return LeadProfile.model_validate(
        {
            **dict(base),
            "authority": fact(Authority(level="decision_maker", role="VP Growth")),
            "contact_name": fact("Dana Scully"),
            "company_name": fact("Acme Analytics"),
        }
    )


def events_for(
    playbook: Playbook,
    profile: LeadProfile,
    *,
    first: bool = True,
    lead_id: str = "lead-1",
) -> list[LeadEvent]:
    """The events of a prospect turn that brought the lead to ``profile``: lead.created on
    the first message, else lead.updated (and lead.segment_changed when it moved)."""
    breakdown = score(profile, playbook)
    seg = segment(profile, breakdown, playbook)
    before = Conversation(
        id=lead_id,
        channel="web",
        created_at=NOW,
        updated_at=NOW,
        today=TODAY,
        prospect_messages=0 if first else 1,
    )
    after = before.model_copy(
        update={
            "profile": profile,
            "prospect_messages": before.prospect_messages + 1,
            "score": breakdown.total,
            "segment": seg.name,
            "last_message_at": NOW,
        }
    )
    return turn_events(before, after, breakdown, seg, handoff=None, now=NOW)


def first_event(playbook: Playbook, profile: LeadProfile, **options: Any) -> LeadEvent:
    return events_for(playbook, profile, **options)[0]


@pytest.fixture
def fake() -> Iterator[FakeHubSpot]:
    with running_fake_hubspot() as server:
        yield server


@pytest.fixture
async def hubspot(fake: FakeHubSpot) -> AsyncIterator[HubSpotDestination]:
    destination = HubSpotDestination(TOKEN, api_url=fake.url)
    yield destination
    await destination.aclose()


@pytest.fixture
async def ready(fake: FakeHubSpot, hubspot: HubSpotDestination) -> HubSpotDestination:
    """A destination whose account has the custom properties."""
    await hubspot.setup()
    return hubspot


# -- the property mapping ---------------------------------------------------------------


def test_properties_of_a_hot_lead(playbook: Playbook) -> None:
    event = first_event(playbook, hot_profile())
    assert event.type == "lead.created"
    properties = contact_properties(event, "qualify_")
    summary = properties.pop("qualify_summary")
    assert properties == {
        "email": EMAIL,
        "firstname": "Dana",
        "lastname": "Scully",
        "company": "Acme Analytics",
        "numemployees": "100-500",
        "qualify_company_size": "120",
        "qualify_score": str(event.lead["score"]),
        "qualify_segment": "hot",
        "qualify_follow_up": "sales_handoff",
        "qualify_budget": '$60,000/year — "as they said it"',
        "qualify_authority": 'VP Growth (decision maker) — "as they said it"',
        "qualify_need": 'product analytics (fit: strong) — "as they said it"',
        "qualify_timeline": '3 months (~3 months) — "as they said it"',
        "qualify_lead_id": "lead-1",
        "qualify_industry": "saas",
        "qualify_last_event": "lead.created",
    }
    assert int(properties["qualify_score"]) > 0
    assert summary == event.lead["summary"] and "Dana Scully" in summary


def test_properties_name_the_nurture_list_and_leave_unknowns_out(playbook: Playbook) -> None:
    roi = FollowUpRule(when=FollowUpWhen(segment="cold"), action="nurture", list="roi")
    nurturing = playbook.model_copy(update={"follow_ups": (roi,)})
    profile = make_profile(email="sam@example.org", budget_status="no_budget")
    event = first_event(nurturing, profile)
    properties = contact_properties(event, "acme_")
    assert properties["acme_follow_up"] == "nurture:roi"
    assert properties["acme_segment"] == "cold"
    assert properties["acme_budget"] == 'no budget — "as they said it"'
    assert properties["acme_last_event"] == "lead.created"
    for unknown in ("firstname", "lastname", "company", "numemployees", "acme_authority"):
        assert unknown not in properties
    assert not any(key.startswith("qualify_") for key in properties)


def test_a_single_word_name_is_the_first_name(playbook: Playbook) -> None:
    profile = LeadProfile.model_validate(
        {**dict(make_profile(email=EMAIL)), "contact_name": fact("Cher")}
    )
    properties = contact_properties(first_event(playbook, profile))
    assert properties["firstname"] == "Cher" and "lastname" not in properties


@pytest.mark.parametrize(
    ("size", "option"),
    [(1, "1-5"), (5, "1-5"), (6, "5-25"), (50, "25-50"), (120, "100-500"), (5000, "1000+")],
)
def test_head_counts_map_to_hubspot_employee_options(size: int, option: str) -> None:
    assert employee_range(size) == option


def test_build_hubspot_needs_a_token() -> None:
    assert build_hubspot(Settings(_env_file=None, hubspot_token=None)) is None
    built = build_hubspot(
        Settings(_env_file=None, hubspot_token="pat-x", hubspot_property_prefix="acme_")
    )
    assert built is not None and built.name == "hubspot" and built.prefix == "acme_"


# -- setup ------------------------------------------------------------------------------


async def test_setup_creates_the_properties_once(
    fake: FakeHubSpot, hubspot: HubSpotDestination
) -> None:
    report = await hubspot.setup()
    assert report.group == "qualify" and report.group_created
    assert set(report.created) == PROPERTY_NAMES and report.existing == []
    assert "qualify" in fake.groups
    assert fake.properties["qualify_score"]["type"] == "number"
    assert fake.properties["qualify_summary"]["groupName"] == "qualify"

    again = await hubspot.setup()
    assert not again.group_created
    assert again.created == [] and set(again.existing) == PROPERTY_NAMES


async def test_without_setup_hubspot_refuses_unknown_properties(
    fake: FakeHubSpot, hubspot: HubSpotDestination, playbook: Playbook
) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        await hubspot.deliver(first_event(playbook, hot_profile()))
    assert failed.value.retryable is False and failed.value.status == 400
    assert "PROPERTY_DOESNT_EXIST" in str(failed.value)
    assert "qualify hubspot setup" in str(failed.value)
    assert fake.contacts == {}


# -- contacts ---------------------------------------------------------------------------


async def test_the_first_event_creates_the_contact_and_later_ones_update_it(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    created = first_event(playbook, hot_profile(annual_usd=20000))
    note = await ready.deliver(created)
    found = fake.contact(EMAIL)
    assert found is not None
    contact_id, properties = found
    assert note == f"contact {contact_id} created"
    assert properties["qualify_budget"].startswith("$20,000/year")
    assert properties["qualify_last_event"] == "lead.created"
    assert [(c.method, c.status) for c in fake.calls_to("PATCH", "/crm/v3/objects")] == [
        ("PATCH", 404)
    ]

    updates = events_for(playbook, hot_profile(annual_usd=90000), first=False)
    assert updates[0].type == "lead.updated"
    for event in updates:
        assert await ready.deliver(event) == f"contact {contact_id} updated"
    assert len(fake.contacts) == 1
    found = fake.contact(EMAIL)
    assert found is not None and found[0] == contact_id
    properties = found[1]
    assert properties["qualify_budget"].startswith("$90,000/year")
    assert properties["qualify_score"] == str(updates[-1].lead["score"])
    assert properties["qualify_last_event"] == updates[-1].type
    assert properties["firstname"] == "Dana" and properties["numemployees"] == "100-500"
    patch = fake.calls_to("PATCH", "/crm/v3/objects")[-1]
    assert patch.path == f"/crm/v3/objects/contacts/{EMAIL}"
    assert patch.query == {"idProperty": "email"}
    assert len(fake.calls_to("POST", "/crm/v3/objects/contacts")) == 1


async def test_a_contact_created_meanwhile_is_updated(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    await ready.deliver(first_event(playbook, hot_profile(annual_usd=20000)))
    found = fake.contact(EMAIL)
    assert found is not None
    # The next PATCH answers 404 as if the contact were not there yet; the POST then meets
    # the existing contact (409) and the contact is updated after all.
    fake.fail(404, message="resource not found", category="OBJECT_NOT_FOUND")
    note = await ready.deliver(first_event(playbook, hot_profile(annual_usd=90000), first=False))
    assert note == f"contact {found[0]} updated"
    statuses = [call.status for call in fake.calls[-3:]]
    assert statuses == [404, 409, 200]
    again = fake.contact(EMAIL)
    assert again is not None and again[1]["qualify_budget"].startswith("$90,000/year")
    assert len(fake.contacts) == 1


async def test_an_email_with_a_plus_finds_its_contact(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    email = "dana+demo@acme.example"
    await ready.deliver(first_event(playbook, hot_profile(email=email)))
    note = await ready.deliver(first_event(playbook, hot_profile(email=email), first=False))
    assert note.endswith("updated") and len(fake.contacts) == 1
    found = fake.contact(email)
    assert found is not None and found[1]["email"] == email


async def test_leads_without_email_are_skipped(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    calls = len(fake.calls)
    note = await ready.deliver(first_event(playbook, hot_profile(email=None)))
    assert note == "skipped: no email yet"
    assert len(fake.calls) == calls and fake.contacts == {}


async def test_an_erased_lead_s_contact_is_gdpr_deleted(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    await ready.deliver(first_event(playbook, hot_profile(email="dana@acme.example")))
    await ready.deliver(
        first_event(playbook, hot_profile(email="other@acme.example"), lead_id="lead-2")
    )
    found = fake.contact("dana@acme.example")
    assert found is not None
    contact_id, properties = found
    lead_id = properties["qualify_lead_id"]
    note = await ready.deliver(erased_event(lead_id, now=NOW))
    assert note == f"contact {contact_id} deleted (GDPR)"
    assert fake.gdpr_deleted == [contact_id]
    assert fake.contact("dana@acme.example") is None
    assert fake.contact("other@acme.example") is not None  # another lead's contact stays
    again = await ready.deliver(erased_event(lead_id, now=NOW))  # a retried delivery
    assert again == "no contact synced from this lead"


# -- rate limits and failures -------------------------------------------------------------


async def test_a_429_is_waited_out_and_retried(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    fake.fail(429, retry_after="0")
    note = await ready.deliver(first_event(playbook, hot_profile()))
    assert note.endswith("created")
    assert [c.status for c in fake.calls_to("PATCH", "/crm/v3/objects")] == [429, 404]
    assert fake.contact(EMAIL) is not None


async def test_the_wait_is_the_retry_after_header(fake: FakeHubSpot, playbook: Playbook) -> None:
    waits: list[float] = []
    now = [1000.0]

    async def sleep(seconds: float) -> None:  # time passes at once
        waits.append(seconds)
        now[0] += seconds

    destination = HubSpotDestination(TOKEN, api_url=fake.url, sleep=sleep, clock=lambda: now[0])
    try:
        await destination.setup()
        fake.fail(429, retry_after="7")
        assert (await destination.deliver(first_event(playbook, hot_profile()))).endswith("created")
    finally:
        await destination.aclose()
    assert waits == [7.0]


async def test_rate_limited_for_good_is_a_retryable_failure(
    fake: FakeHubSpot, playbook: Playbook
) -> None:
    destination = HubSpotDestination(TOKEN, api_url=fake.url, rate_limit_retries=2)
    try:
        await destination.setup()
        before = len(fake.calls)
        fake.fail(429, times=10, retry_after="0")
        with pytest.raises(DeliveryFailed) as failed:
            await destination.deliver(first_event(playbook, hot_profile()))
    finally:
        await destination.aclose()
    assert failed.value.retryable is True and failed.value.status == 429
    assert failed.value.retry_after == 0
    assert "rate limit" in str(failed.value)
    assert len(fake.calls) - before == 3  # the first try and two retries


async def test_the_daily_limit_is_left_to_the_outbox(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    before = len(fake.calls)
    fake.fail(429, policy="DAILY")
    with pytest.raises(DeliveryFailed) as failed:
        await ready.deliver(first_event(playbook, hot_profile()))
    assert failed.value.retryable is True and failed.value.retry_after == 3600
    assert "DAILY" in str(failed.value)
    assert len(fake.calls) - before == 1


async def test_a_spent_window_pauses_the_next_request(playbook: Playbook) -> None:
    with running_fake_hubspot() as fake:
        destination = HubSpotDestination(TOKEN, api_url=fake.url)
        try:
            report = await destination.setup()
            fake.limit(rate_max=2, rate_interval_ms=300)
            for n in range(3):
                profile = hot_profile(email=f"lead{n}@acme.example")
                event = first_event(playbook, profile, lead_id=f"lead-{n}")
                assert (await destination.deliver(event)).endswith("created")
        finally:
            await destination.aclose()
    assert len(report.created) == len(CUSTOM_PROPERTIES)
    assert len(fake.contacts) == 3
    assert fake.rate_limited == 0
    assert all(call.status != 429 for call in fake.calls)


async def test_a_bad_token_is_not_retried_and_not_shown(
    fake: FakeHubSpot, playbook: Playbook, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "pat-na1-wrong-0000-secret"
    destination = HubSpotDestination(secret, api_url=fake.url)
    caplog.set_level(logging.DEBUG)
    try:
        with pytest.raises(DeliveryFailed) as failed:
            await destination.deliver(first_event(playbook, hot_profile()))
        with pytest.raises(DeliveryFailed) as setup_failed:
            await destination.setup()
    finally:
        await destination.aclose()
    message = str(failed.value)
    assert failed.value.retryable is False and failed.value.status == 401
    assert "rejected the token" in message
    assert "Authentication credentials not found" in message
    assert "QUALIFY_HUBSPOT_TOKEN" in message
    assert setup_failed.value.status == 401
    assert fake.calls[0].token == secret  # it was sent, as a bearer token
    for text in (message, str(setup_failed.value), caplog.text):
        assert secret not in text


async def test_the_token_is_cut_from_hubspot_messages(
    fake: FakeHubSpot, ready: HubSpotDestination, playbook: Playbook
) -> None:
    fake.fail(400, message=f"Header Authorization: Bearer {TOKEN} is malformed")
    with pytest.raises(DeliveryFailed) as failed:
        await ready.deliver(first_event(playbook, hot_profile()))
    assert TOKEN not in str(failed.value)
    assert "Bearer [token] is malformed" in str(failed.value)


@pytest.mark.parametrize(
    ("status", "retryable", "words"),
    [
        (500, True, "HTTP 500 INTERNAL_ERROR"),
        (503, True, "HTTP 503"),
        (403, False, "scopes"),
        (400, False, "HTTP 400 VALIDATION_ERROR"),
    ],
)
async def test_server_errors_are_retryable_and_client_errors_are_not(
    fake: FakeHubSpot,
    ready: HubSpotDestination,
    playbook: Playbook,
    status: int,
    retryable: bool,
    words: str,
) -> None:
    fake.fail(status, message="something went wrong")
    with pytest.raises(DeliveryFailed) as failed:
        await ready.deliver(first_event(playbook, hot_profile()))
    assert failed.value.retryable is retryable and failed.value.status == status
    assert words in str(failed.value) and "something went wrong" in str(failed.value)
    assert fake.contacts == {}
    # HubSpot is fine again: the same event lands.
    assert (await ready.deliver(first_event(playbook, hot_profile()))).endswith("created")


async def test_an_unreachable_api_is_retryable(playbook: Playbook) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    destination = HubSpotDestination(TOKEN, api_url=url, timeout=5)
    try:
        with pytest.raises(DeliveryFailed) as failed:
            await destination.deliver(first_event(playbook, hot_profile()))
    finally:
        await destination.aclose()
    assert failed.value.retryable is True and failed.value.status is None
    assert f"cannot reach HubSpot at {url}" in str(failed.value)
    assert TOKEN not in str(failed.value)


# -- qualify hubspot setup ----------------------------------------------------------------


def qualify(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")}
    environment.update(QUALIFY_DATA_DIR=str(cwd), COLUMNS="200", NO_COLOR="1", **env)
    return subprocess.run(
        [QUALIFY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_cli_setup_creates_the_properties(fake: FakeHubSpot, tmp_path: Path) -> None:
    env = {"QUALIFY_HUBSPOT_TOKEN": TOKEN, "QUALIFY_HUBSPOT_API_URL": fake.url}
    first = qualify("hubspot", "setup", cwd=tmp_path, **env)
    assert first.returncode == 0, first.stderr
    assert "created property group qualify" in first.stdout
    assert "created qualify_score" in first.stdout
    assert f"{len(CUSTOM_PROPERTIES)} created, 0 already there" in first.stdout
    assert set(fake.properties) >= PROPERTY_NAMES

    second = qualify("hubspot", "setup", cwd=tmp_path, **env)
    assert second.returncode == 0, second.stderr
    assert "property group qualify already there" in second.stdout
    assert f"0 created, {len(CUSTOM_PROPERTIES)} already there" in second.stdout


def test_cli_setup_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    result = qualify("hubspot", "setup", cwd=tmp_path)
    assert result.returncode == 2
    assert "QUALIFY_HUBSPOT_TOKEN is not set" in result.stderr
    assert "Private apps" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_setup_with_a_bad_token(fake: FakeHubSpot, tmp_path: Path) -> None:
    secret = "pat-na1-not-the-right-one"
    env = {"QUALIFY_HUBSPOT_TOKEN": secret, "QUALIFY_HUBSPOT_API_URL": fake.url}
    result = qualify("hubspot", "setup", cwd=tmp_path, **env)
    assert result.returncode == 1
    assert "HubSpot rejected the token (HTTP 401" in result.stderr
    assert secret not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert "qualify_score" not in fake.properties


def test_cli_setup_with_hubspot_unreachable(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    env = {"QUALIFY_HUBSPOT_TOKEN": TOKEN, "QUALIFY_HUBSPOT_API_URL": url}
    result = qualify("hubspot", "setup", cwd=tmp_path, **env)
    assert result.returncode == 1
    assert f"cannot reach HubSpot at {url}" in result.stderr
    assert "Traceback" not in result.stderr
