"""Admin security over real HTTP: no cross-site request changes anything, sessions are
server-side and revocable, sign-ins are throttled, admin keys have a minimum length."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from agent.config import Settings
from agent.sql_store import SQLStore
from channels.web.app import create_app
from tests.browser import TIMEOUT_MS, StaticSite
from tests.servers import ThreadedServer

KEY = "security-admin-key-0123456789"
BEARER = {"Authorization": f"Bearer {KEY}"}


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "_env_file": None,
        "data_dir": tmp_path,
        "admin_api_key": KEY,
        "secret_key": "security-secret-key-0123456789",
        "knowledge": False,
        "lead_events": True,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(settings_for(tmp_path))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


async def _sign_in(client: httpx.AsyncClient, key: str = KEY) -> httpx.Response:
    return await client.post("/admin/login", data={"key": key})


async def _lead_with_a_score(client: httpx.AsyncClient) -> str:
    created = (await client.post("/api/conversations", json={})).json()
    await client.post(
        f"/api/conversations/{created['token']}/messages",
        json={"text": "We need funnel analysis, about $60k a year"},
    )
    lead_id: str = created["conversation_id"]
    return lead_id


async def _score(client: httpx.AsyncClient, lead_id: str) -> int:
    lead = (await client.get(f"/api/admin/leads/{lead_id}", headers=BEARER)).json()
    score: int = lead["lead"]["score"]
    return score


async def test_a_session_only_reads_the_admin_api(client: httpx.AsyncClient) -> None:
    lead_id = await _lead_with_a_score(client)
    assert (await _sign_in(client)).status_code == 303
    assert (await client.get("/api/admin/leads")).status_code == 200  # the cookie reads
    refused = await client.post("/api/admin/rescore", params={"on": "2027-09-01"})
    assert refused.status_code == 401
    assert "API key" in refused.json()["message"]
    assert (await client.delete(f"/api/admin/leads/{lead_id}")).status_code == 401
    assert (await client.get(f"/api/admin/leads/{lead_id}", headers=BEARER)).status_code == 200


async def test_signing_out_ends_the_session_at_once(client: httpx.AsyncClient) -> None:
    await _sign_in(client)
    cookie = client.cookies["qualify_admin"]
    page = await client.get("/admin")
    assert page.status_code == 200
    assert cookie not in page.text  # the CSRF token does not reveal the session
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None and cookie not in csrf.group(1)
    await client.post("/admin/logout")
    stale = httpx.Cookies({"qualify_admin": cookie})
    async with httpx.AsyncClient(base_url=str(client.base_url), cookies=stale) as old:
        assert (await old.get("/admin")).headers["location"] == "/admin/login"
        assert (await old.get("/api/admin/leads")).status_code == 401


async def test_every_sign_in_gets_its_own_session(client: httpx.AsyncClient) -> None:
    await _sign_in(client)
    first = client.cookies["qualify_admin"]
    client.cookies.clear()
    await _sign_in(client)
    second = client.cookies["qualify_admin"]
    assert first != second and len(first) >= 40


async def test_rotating_the_admin_key_ends_every_session(tmp_path: Path) -> None:
    with ThreadedServer(create_app(settings_for(tmp_path))) as running:
        async with httpx.AsyncClient(base_url=running.url) as http:
            await _sign_in(http)
            cookie = http.cookies["qualify_admin"]
            assert (await http.get("/admin")).status_code == 200
    rotated = settings_for(tmp_path, admin_api_key="security-admin-key-rotated-987654")
    with ThreadedServer(create_app(rotated)) as running:
        stale = httpx.Cookies({"qualify_admin": cookie})
        async with httpx.AsyncClient(base_url=running.url, cookies=stale) as http:
            assert (await http.get("/admin")).headers["location"] == "/admin/login"


async def test_a_session_ends_after_its_absolute_timeout(tmp_path: Path) -> None:
    store = SQLStore(f"sqlite+aiosqlite:///{tmp_path / 'sessions.db'}")
    await store.init()
    try:
        now = datetime.now(UTC)
        await store.create_admin_session("s1", "k1", now - timedelta(hours=13), now)
        await store.create_admin_session("s2", "k1", now, now + timedelta(hours=12))
        assert not await store.admin_session_active("s1", "k1", now + timedelta(seconds=1))
        assert await store.admin_session_active("s2", "k1", now)
        assert not await store.admin_session_active("s2", "other-key", now)
        assert not await store.admin_session_active("s2", "k1", now + timedelta(hours=12))
    finally:
        await store.close()


async def test_failed_sign_ins_are_throttled(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        failed = await _sign_in(client, "not-the-key-0123456789")
        assert failed.headers["location"] == "/admin/login?failed=true"
    throttled = await _sign_in(client)  # even the right key waits now
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert "Too many attempts" in throttled.text
    assert "qualify_admin" not in client.cookies


@pytest.mark.parametrize("key", ["a", "short-key-12345"])
def test_a_short_admin_key_is_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValidationError, match="at least 16 characters") as refused:
        Settings(_env_file=None, data_dir=tmp_path, admin_api_key=key)
    assert "input_value" not in str(refused.value)  # the key is not echoed


# A page on another origin of the same host (another port: same site, so SameSite cookies
# go with its requests) tries to make a signed-in admin's browser change leads.

CSRF_PAGE = """<!doctype html><html><body>
<form id="f" method="post" action="{admin}/api/admin/rescore?on=2027-09-01"></form>
<form id="g" method="post" action="{admin}/admin/rescore"><input name="csrf" value="guess"></form>
<iframe name="sink" id="sink"></iframe>
<script>
  fetch("{admin}/api/admin/rescore?on=2027-09-01", {{method: "POST", credentials: "include",
    mode: "no-cors"}}).finally(() => {{
    const f = document.getElementById("f"); f.target = "sink"; f.submit();
    setTimeout(() => {{ const g = document.getElementById("g"); g.target = "sink"; g.submit();
      setTimeout(() => {{ document.title = "done"; }}, 500); }}, 500);
  }});
</script></body></html>"""


async def test_a_page_on_another_origin_of_the_same_host_cannot_rescore(
    server: ThreadedServer, client: httpx.AsyncClient, browser: Any
) -> None:
    lead_id = await _lead_with_a_score(client)
    before = await _score(client, lead_id)
    assert before > 0
    context = await browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(server.url + "/admin/login")
    await page.fill("input[name=key]", KEY)
    await page.click("button[type=submit]")
    await page.wait_for_url(server.url + "/admin")
    with StaticSite(CSRF_PAGE.format(admin=server.url)) as other:
        await page.goto(other.url + "/")
        await page.wait_for_function("document.title === 'done'")
    await context.close()
    assert await _score(client, lead_id) == before  # nothing was rescored for 2027
    events = (await client.get(f"/api/admin/leads/{lead_id}", headers=BEARER)).json()
    assert events["lead"]["score"] == before
    # The same request with the key does rescore: the attempt failed for lack of it.
    done = await client.post("/api/admin/rescore", params={"on": "2027-09-01"}, headers=BEARER)
    assert done.status_code == 200
    assert await _score(client, lead_id) < before
