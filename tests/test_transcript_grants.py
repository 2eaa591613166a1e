"""Transcript grants over real HTTP: a rep's personal link opens one lead's transcript
read-only, without the admin key, and every view is in the audit log; and a signed-out
admin comes back to the page they asked for after signing in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import ValidationError

from agent.config import Settings
from channels.web.app import create_app
from channels.web.dashboard import GRANT_COOKIE, safe_next
from channels.web.grants import mint_transcript_url
from tests.browser import TIMEOUT_MS
from tests.servers import ThreadedServer

KEY = "grants-admin-key-0123456789"
BEARER = {"Authorization": f"Bearer {KEY}"}
REP = "U07REP1"
PROSPECT_SAYS = "We need funnel analysis for Quartermaine Labs, about $60k a year"


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "_env_file": None,
        "data_dir": tmp_path,
        "admin_api_key": KEY,
        "secret_key": "grants-secret-key-0123456789",
        "knowledge": False,
        "lead_events": True,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@pytest.fixture
def server(settings: Settings) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(settings)) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


async def _lead(client: httpx.AsyncClient, text: str = PROSPECT_SAYS) -> str:
    created = (await client.post("/api/conversations", json={})).json()
    sent = await client.post(f"/api/conversations/{created['token']}/messages", json={"text": text})
    assert sent.status_code == 200
    lead_id: str = created["conversation_id"]
    return lead_id


def _grant_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["grant"][0]


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def _audit(client: httpx.AsyncClient) -> list[tuple[str, str, str]]:
    entries = (await client.get("/api/admin/audit", headers=BEARER)).json()
    return [(entry["actor"], entry["action"], entry["subject"]) for entry in entries]


async def _open(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """Open the link as a browser would: the grant is swapped for a cookie, then the page."""
    exchanged = await client.get(_path_of(url))
    assert exchanged.status_code == 303, exchanged.text
    return await client.get(exchanged.headers["location"])


async def test_a_grant_shows_the_transcript_read_only_and_is_audited(
    server: ThreadedServer, client: httpx.AsyncClient, settings: Settings
) -> None:
    lead_id = await _lead(client)
    url = mint_transcript_url(settings, server.url + "/", lead_id, REP, datetime.now(UTC))
    assert url.startswith(f"{server.url}/admin/transcript/{lead_id}?grant=")

    exchanged = await client.get(_path_of(url))
    assert exchanged.status_code == 303
    assert exchanged.headers["location"] == f"/admin/transcript/{lead_id}"  # no token left
    cookie = exchanged.headers["set-cookie"].lower()
    assert f"path=/admin/transcript/{lead_id}" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "max-age=3600" in cookie

    page = await client.get(f"/admin/transcript/{lead_id}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Quartermaine Labs" in page.text and "Prospect" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert "<form" not in page.text
    assert "erase" not in page.text.lower() and "rescore" not in page.text.lower()
    assert 'href="/admin' not in page.text  # no way to other leads or the dashboard
    assert _grant_of(url) not in page.text
    assert "qualify_admin" not in client.cookies  # no dashboard session came with it

    audit = await _audit(client)
    assert audit == [(f"slack:{REP}", "view_transcript", lead_id)]
    await client.get(f"/admin/transcript/{lead_id}")
    assert len(await _audit(client)) == 2  # every view is written


async def test_a_grant_for_one_lead_does_not_open_another(
    server: ThreadedServer, client: httpx.AsyncClient, settings: Settings
) -> None:
    lead_a = await _lead(client)
    lead_b = await _lead(client, "Our team needs dashboards for Blackwood Freight")
    url_a = mint_transcript_url(settings, server.url, lead_a, REP, datetime.now(UTC))
    token_a = _grant_of(url_a)

    swapped = await client.get(f"/admin/transcript/{lead_b}", params={"grant": token_a})
    assert swapped.status_code == 403
    assert swapped.headers["content-type"].startswith("text/html")
    assert "This link is not valid" in swapped.text
    assert "Blackwood" not in swapped.text

    carried = httpx.Cookies()
    carried.set(GRANT_COOKIE, token_a, domain="127.0.0.1", path=f"/admin/transcript/{lead_b}")
    async with httpx.AsyncClient(base_url=server.url, cookies=carried) as other:
        refused = await other.get(f"/admin/transcript/{lead_b}")
    assert refused.status_code == 403 and "Blackwood" not in refused.text
    assert "Quartermaine" in (await _open(client, url_a)).text  # and it still opens lead A
    assert [subject for _, _, subject in await _audit(client)] == [lead_a]


async def test_an_expired_grant_gets_a_clear_page(
    server: ThreadedServer, client: httpx.AsyncClient, settings: Settings
) -> None:
    lead_id = await _lead(client)
    issued = datetime.now(UTC) - timedelta(hours=24, minutes=1)
    url = mint_transcript_url(settings, server.url, lead_id, REP, issued)
    expired = await client.get(_path_of(url))
    assert expired.status_code == 410
    assert expired.headers["content-type"].startswith("text/html")
    assert "This link has expired" in expired.text
    assert "Quartermaine" not in expired.text
    assert GRANT_COOKIE not in client.cookies

    fresh = datetime.now(UTC) - timedelta(hours=23)
    url = mint_transcript_url(settings, server.url, lead_id, REP, fresh)
    assert (await _open(client, url)).status_code == 200
    assert await _audit(client) == [(f"slack:{REP}", "view_transcript", lead_id)]


async def test_the_lifetime_comes_from_the_setting(tmp_path: Path) -> None:
    short = settings_for(tmp_path, transcript_grant_hours=1)
    with ThreadedServer(create_app(short)) as running:
        async with httpx.AsyncClient(base_url=running.url) as http:
            lead_id = await _lead(http)
            two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
            url = mint_transcript_url(short, running.url, lead_id, REP, two_hours_ago)
            assert (await http.get(_path_of(url))).status_code == 410
            # a link sent while the setting was longer is shortened too
            sent = settings_for(tmp_path, transcript_grant_hours=24)
            url = mint_transcript_url(sent, running.url, lead_id, REP, two_hours_ago)
            assert (await http.get(_path_of(url))).status_code == 410
            now = datetime.now(UTC)
            url = mint_transcript_url(short, running.url, lead_id, REP, now - timedelta(minutes=50))
            exchanged = await http.get(_path_of(url))
            assert exchanged.status_code == 303
            found = re.search(r"max-age=(\d+)", exchanged.headers["set-cookie"].lower())
            assert found is not None
            max_age = int(found.group(1))
            assert 0 < max_age <= 600  # the cookie never outlives the grant


@pytest.mark.parametrize("hours", [0, 169])
def test_the_grant_lifetime_is_bounded(tmp_path: Path, hours: int) -> None:
    with pytest.raises(ValidationError, match="transcript_grant_hours"):
        settings_for(tmp_path, transcript_grant_hours=hours)


def _tampered(token: str) -> list[str]:
    payload, _, mac = token.partition(".")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    return [
        f"{payload}.{flipped}",  # another signature
        f"{payload[:-2]}.{mac}",  # another payload
        payload,  # no signature
        "",
        "x" * 2000,
    ]


async def test_a_tampered_or_foreign_grant_is_refused(
    server: ThreadedServer, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    lead_id = await _lead(client)
    token = _grant_of(mint_transcript_url(settings, server.url, lead_id, REP, datetime.now(UTC)))
    other_secret = settings_for(tmp_path / "other", secret_key="another-secret-key-987654321")
    foreign = mint_transcript_url(other_secret, server.url, lead_id, REP, datetime.now(UTC))
    for bad in [*_tampered(token), _grant_of(foreign)]:
        refused = await client.get(f"/admin/transcript/{lead_id}", params={"grant": bad})
        assert refused.status_code == 403, bad
        assert refused.headers["content-type"].startswith("text/html")
        assert "This link is not valid" in refused.text
        assert "Quartermaine" not in refused.text
    assert await _audit(client) == []


async def test_a_rep_no_longer_listed_loses_the_grant(tmp_path: Path) -> None:
    listed = settings_for(tmp_path, slack_rep_user_ids=["U07OTHER"])
    with ThreadedServer(create_app(listed)) as running:
        async with httpx.AsyncClient(base_url=running.url) as http:
            lead_id = await _lead(http)
            url = mint_transcript_url(listed, running.url, lead_id, REP, datetime.now(UTC))
            assert (await http.get(_path_of(url))).status_code == 403
            url = mint_transcript_url(listed, running.url, lead_id, "U07OTHER", datetime.now(UTC))
            assert (await _open(http, url)).status_code == 200


async def test_a_grant_opens_no_admin_api_and_changes_nothing(
    server: ThreadedServer, client: httpx.AsyncClient, settings: Settings
) -> None:
    lead_id = await _lead(client)
    url = mint_transcript_url(settings, server.url, lead_id, REP, datetime.now(UTC))
    token = _grant_of(url)
    assert (await _open(client, url)).status_code == 200  # the grant cookie is held now
    calls = [
        ("GET", f"/api/admin/leads/{lead_id}"),
        ("GET", "/api/admin/leads"),
        ("GET", "/api/admin/audit"),
        ("GET", "/api/admin/leads/export"),
        ("DELETE", f"/api/admin/leads/{lead_id}"),
        ("POST", "/api/admin/rescore"),
        ("POST", "/api/admin/deliveries/retry"),
    ]
    for method, path in calls:
        for headers in ({"Authorization": f"Bearer {token}"}, {"X-API-Key": token}, {}):
            answer = await client.request(method, path, headers=headers, params={"grant": token})
            assert answer.status_code == 401, (method, path, headers)
    for path in (f"/admin/leads/{lead_id}", "/admin", "/admin/deliveries"):
        assert (await client.get(path, params={"grant": token})).status_code == 303
    erase = await client.post(
        f"/admin/leads/{lead_id}/erase", data={"csrf": token}, params={"grant": token}
    )
    assert erase.status_code == 303 and erase.headers["location"] == "/admin/login"
    still = await client.get(f"/api/admin/leads/{lead_id}", headers=BEARER)
    assert still.status_code == 200


async def test_an_erased_lead_says_it_no_longer_exists(
    server: ThreadedServer, client: httpx.AsyncClient, settings: Settings
) -> None:
    lead_id = await _lead(client)
    url = mint_transcript_url(settings, server.url, lead_id, REP, datetime.now(UTC))
    assert (await client.delete(f"/api/admin/leads/{lead_id}", headers=BEARER)).status_code == 204
    gone = await _open(client, url)
    assert gone.status_code == 410
    assert gone.headers["content-type"].startswith("text/html")
    assert "This lead no longer exists" in gone.text
    assert await _audit(client) == [("admin-api", "erase", lead_id)]


async def test_without_a_grant_the_page_says_to_open_it_from_slack(
    client: httpx.AsyncClient,
) -> None:
    lead_id = await _lead(client)
    bare = await client.get(f"/admin/transcript/{lead_id}")
    assert bare.status_code == 403
    assert "Open this transcript from Slack" in bare.text
    assert "Quartermaine" not in bare.text
    await client.post("/admin/login", data={"key": KEY})
    admin = await client.get(f"/admin/transcript/{lead_id}")
    assert admin.status_code == 303 and admin.headers["location"] == f"/admin/leads/{lead_id}"


def test_access_log_lines_carry_no_grant(
    tmp_path: Path, settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    server = ThreadedServer(create_app(settings))
    server.access_log = True
    with server:
        created = httpx.post(f"{server.url}/api/conversations", json={}).json()
        lead_id = created["conversation_id"]
        url = mint_transcript_url(settings, server.url, lead_id, REP, datetime.now(UTC))
        assert httpx.get(url).status_code == 303
    out = capfd.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if "HTTP/1.1" in line]
    assert any(f"/admin/transcript/{lead_id}?grant=[grant] " in line for line in lines), lines
    assert not any(_grant_of(url) in line for line in lines)


# Signing in brings the admin back to the page they asked for, and only to a dashboard page.


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/admin",
        "https://evil.example/admin",
        "/\\evil.example",
        "/admin/../evil",
        "/admin/%2e%2e/evil",
        "/admin%2F%2Fevil.example",
        "/admin\\..\\evil",
        "/admin/leads/x\r\nLocation: https://evil.example",
        "/administrator",
        "/api/admin/leads",
        "/admin/login",
        "javascript:alert(1)",
        "admin/leads/x",
        "",
    ],
)
async def test_sign_in_never_redirects_off_the_dashboard(
    client: httpx.AsyncClient, target: str
) -> None:
    assert safe_next(target) is None
    page = await client.get("/admin/login", params={"next": target})
    assert 'name="next"' not in page.text
    signed_in = await client.post("/admin/login", data={"key": KEY, "next": target})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/admin"


async def test_sign_in_returns_to_the_page_asked_for(client: httpx.AsyncClient) -> None:
    lead_id = await _lead(client)
    asked = await client.get(f"/admin/leads/{lead_id}")
    assert asked.status_code == 303
    login_url = asked.headers["location"]
    assert login_url == f"/admin/login?next=%2Fadmin%2Fleads%2F{lead_id}"
    assert (await client.get("/admin")).headers["location"] == "/admin/login"
    page = await client.get(login_url)
    assert f'name="next" value="/admin/leads/{lead_id}"' in page.text
    wrong = await client.post(
        "/admin/login", data={"key": "not-the-key-0123456789", "next": f"/admin/leads/{lead_id}"}
    )
    assert (
        wrong.headers["location"] == f"/admin/login?failed=true&next=%2Fadmin%2Fleads%2F{lead_id}"
    )
    signed_in = await client.post(
        "/admin/login", data={"key": KEY, "next": "/admin/deliveries?status=dead"}
    )
    assert signed_in.headers["location"] == "/admin/deliveries?status=dead"


async def test_in_a_browser_sign_in_lands_on_the_lead_asked_for(
    server: ThreadedServer, client: httpx.AsyncClient, browser: Any
) -> None:
    lead_id = await _lead(client)
    context = await browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(f"{server.url}/admin/leads/{lead_id}")
    assert urlsplit(page.url).path == "/admin/login"
    await page.fill("input[name=key]", KEY)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{server.url}/admin/leads/{lead_id}")
    assert "Quartermaine Labs" in await page.inner_text("ol.transcript")
    await context.close()


async def test_in_a_browser_the_grant_leaves_the_address_bar(
    server: ThreadedServer, client: httpx.AsyncClient, settings: Settings, browser: Any
) -> None:
    lead_id = await _lead(client)
    url = mint_transcript_url(settings, server.url, lead_id, REP, datetime.now(UTC))
    context = await browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(url)
    assert page.url == f"{server.url}/admin/transcript/{lead_id}"
    assert "Quartermaine Labs" in await page.inner_text("ol.transcript")
    assert await page.locator("form").count() == 0
    await page.reload()  # the cookie keeps the page open for the rep
    assert "Quartermaine Labs" in await page.inner_text("ol.transcript")
    await context.close()
    assert await _audit(client) == [(f"slack:{REP}", "view_transcript", lead_id)] * 2
