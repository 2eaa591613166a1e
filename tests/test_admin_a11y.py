"""Accessibility of every dashboard page in a real browser (Debian's Chromium through
Playwright) against the real web server over HTTP: axe-core finds no serious or critical
problem on any admin page, on a desktop and on a phone, with real data behind each page
(leads from the chat API, a dead webhook delivery, a status change and a note, a claimed
chat, a transcript link, a saved view, a webhook endpoint added from the dashboard); and
the forms a rep uses every day work by keyboard alone, with a visible focus ring.

Run with ``pytest -p no:playwright`` if the pytest-playwright plugin is installed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.config import Settings
from channels.web.app import create_app
from channels.web.grants import mint_transcript_url
from tests.browser import CHROMIUM, TIMEOUT_MS
from tests.servers import ThreadedServer
from tests.webhook_receiver import running_receiver

playwright_api = pytest.importorskip("playwright.async_api")
axe_package = pytest.importorskip("axe_playwright_python")
expect = playwright_api.expect

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"
)

AXE_JS = Path(axe_package.__file__).parent / "axe.min.js"
KEY = "a11y-admin-key-0123456789-0123456789"
SECRET = "whsec-a11y-secret"
REP = "Alex"
DESKTOP = {"width": 1366, "height": 800}
MOBILE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}
HOT_LEAD = (
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget, my email is ana@acme.example",
    "Next quarter",
)
WARM_LEAD = ("We need funnel analysis for our online shop",)


@dataclass(frozen=True)
class Dashboard:
    """A running server with leads in it, and what the pages need to find them."""

    url: str
    settings: Settings
    hot: str
    warm: str
    view: dict[str, str]
    endpoint: dict[str, Any]


def _settings(tmp_path: Path, hook: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        admin_api_key=KEY,
        secret_key="a11y-secret-key-0123456789abcdef",
        knowledge=False,
        lead_events=True,
        webhooks=[{"name": "crm", "url": hook, "secret": SECRET}],
        outbox_poll_seconds=0.2,
        rate_limit_ip="10000/minute",
        rate_limit_conversation="10000/minute",
    )


def _chat(client: httpx.Client, texts: tuple[str, ...]) -> str:
    """A prospect's conversation through the chat API; the lead's id."""
    created = client.post("/api/conversations", json={})
    assert created.status_code == 201, created.text
    token, lead_id = created.json()["token"], created.json()["conversation_id"]
    for text in texts:
        sent = client.post(f"/api/conversations/{token}/messages", json={"text": text})
        assert sent.status_code == 200, sent.text
    return str(lead_id)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _claim_as_rep(client: httpx.Client, lead_id: str) -> None:
    """Sign in, give the rep's name and claim the chat, as a rep does on the dashboard."""
    client.post("/admin/login", data={"key": KEY})
    inbox = client.get("/admin/inbox")
    client.post("/admin/inbox/name", data={"csrf": _csrf(inbox.text), "name": REP, "back": ""})
    chat = client.get(f"/admin/inbox/{lead_id}")
    claimed = client.post(f"/admin/inbox/{lead_id}/claim", data={"csrf": _csrf(chat.text)})
    assert claimed.status_code in (200, 303), claimed.text
    assert f"{REP} has this chat" in client.get(f"/admin/inbox/{lead_id}").text


def _wait_for_a_dead_letter(client: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        dead = client.get("/api/admin/deliveries", params={"status": "dead"}, headers=headers)
        if dead.json()["deliveries"]:
            return
        time.sleep(0.1)
    pytest.fail("no delivery became a dead letter")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """One server for every page: a hot lead (handed off, claimed by the rep, a status change
    and a note), a warm lead, and a webhook delivery the receiver refused for good."""
    tmp_path = tmp_path_factory.mktemp("a11y")
    with running_receiver(SECRET) as receiver:
        receiver.answer(400)  # a client error: not retried, a dead letter at once
        settings = _settings(tmp_path, receiver.url)
        with ThreadedServer(create_app(settings)) as server:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                hot = _chat(client, HOT_LEAD)
                warm = _chat(client, WARM_LEAD)
                admin = {"Authorization": f"Bearer {KEY}"}
                changed = client.patch(
                    f"/api/admin/leads/{hot}",
                    json={"status": "meeting", "owner": REP},
                    headers=admin,
                )
                assert changed.status_code == 200, changed.text
                noted = client.post(
                    f"/api/admin/leads/{hot}/notes",
                    json={"text": "Call booked for Tuesday;\nshe wants a demo of cohorts."},
                    headers=admin,
                )
                assert noted.status_code in (200, 201), noted.text
                view = client.post(
                    "/api/admin/saved-filters",
                    json={"name": "Hot this month", "query": "segment=hot"},
                    headers=admin,
                )
                assert view.status_code == 201, view.text
                _wait_for_a_dead_letter(client)
                _claim_as_rep(client, hot)
                # Added last, for handoffs only: no event of the leads above goes to it.
                endpoint = client.post(
                    "/api/admin/webhooks",
                    json={
                        "url": "http://127.0.0.1:9/crm-sales",
                        "events": ["lead.handoff"],
                        "description": "Sales CRM",
                    },
                    headers=admin,
                )
                assert endpoint.status_code == 201, endpoint.text
            yield Dashboard(server.url, settings, hot, warm, view.json(), endpoint.json())


async def _tab(browser: Any, viewport: dict[str, int]) -> Any:
    small = viewport["width"] < 480
    # bypass_csp: the pages' Content-Security-Policy would block injecting axe-core.
    context = await browser.new_context(
        viewport=viewport, is_mobile=small, has_touch=small, bypass_csp=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    return await context.new_page()


async def _sign_in(page: Any, dashboard: Dashboard) -> None:
    await page.goto(dashboard.url + "/admin/login")
    await page.fill("input[name=key]", KEY)
    await page.click("button[type=submit]")
    await page.wait_for_url(dashboard.url + "/admin")


async def _as_the_rep(page: Any, dashboard: Dashboard) -> None:
    """Signed in with the name of the rep who claimed the hot lead's chat."""
    await _sign_in(page, dashboard)
    await page.goto(dashboard.url + "/admin/inbox")
    await page.fill("input[name=name]", REP)
    await page.locator(".rep-name button[type=submit]").click()
    await expect(page.locator("#rep-name")).to_have_text(REP)


Visit = Callable[[Any, Dashboard], Awaitable[None]]


async def _login(page: Any, dashboard: Dashboard) -> None:
    await page.goto(dashboard.url + "/admin/login")


async def _login_refused(page: Any, dashboard: Dashboard) -> None:
    await page.goto(dashboard.url + "/admin/login")
    await page.fill("input[name=key]", "not-the-key")
    await page.click("button[type=submit]")
    await expect(page.locator(".error")).to_be_visible()


async def _leads(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await expect(page.locator("table.leads tbody tr")).to_have_count(2)


async def _leads_none_match(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(dashboard.url + "/admin?segment=disqualified&q=nobody")
    await expect(page.locator("td.empty")).to_contain_text("No leads match these filters.")


async def _saved_view(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(dashboard.url + dashboard.view["url"])
    await expect(page.locator(".saved-views a.current")).to_have_text("Hot this month")


async def _saved_view_refused(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.fill("input[name=name]", "hot THIS month")
    await page.get_by_role("button", name="Save this view").click()
    await expect(page.locator("#view-name-error")).to_be_visible()


async def _saved_view_delete(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(f"{dashboard.url}/admin/saved-filters/{dashboard.view['id']}/delete")
    await expect(page.locator("input[name=confirm]")).to_be_visible()


async def _lead(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(f"{dashboard.url}/admin/leads/{dashboard.hot}")
    await expect(page.locator("table.events tr.note")).to_have_count(1)
    await expect(page.locator("table.events")).to_contain_text("lead.status_changed")


async def _lead_missing(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(f"{dashboard.url}/admin/leads/no-such-lead")
    await expect(page.locator("h1")).to_have_text("Lead not found")


async def _erase(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(f"{dashboard.url}/admin/leads/{dashboard.warm}/erase")
    await expect(page.locator("input[name=confirm]")).to_be_visible()


async def _rescore(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(dashboard.url + "/admin/rescore")
    await expect(page.locator("h1")).to_contain_text("Rescore all 2 leads?")


async def _deliveries(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(dashboard.url + "/admin/deliveries")
    await expect(page.locator(".badge-delivery-dead")).to_have_count(1)


async def _webhooks(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(dashboard.url + "/admin/webhooks")
    await expect(page.locator("table.webhooks")).to_contain_text("Sales CRM")


async def _webhook_refused(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(dashboard.url + "/admin/webhooks")
    await page.fill("input[name=url]", "ftp://files.example.com/drop")
    await page.get_by_role("button", name="Add endpoint").click()
    await expect(page.locator("#webhook-error")).to_be_visible()


async def _webhook_remove(page: Any, dashboard: Dashboard) -> None:
    await _sign_in(page, dashboard)
    await page.goto(f"{dashboard.url}/admin/webhooks/{dashboard.endpoint['id']}/remove")
    await expect(page.locator("input[name=confirm]")).to_be_visible()


async def _transcript(page: Any, dashboard: Dashboard) -> None:
    now = datetime.now(UTC)
    url = mint_transcript_url(dashboard.settings, dashboard.url, dashboard.hot, "U1", now)
    await page.goto(url)
    await expect(page.locator("ol.transcript li").first).to_be_visible()


async def _transcript_refused(page: Any, dashboard: Dashboard) -> None:
    await page.goto(f"{dashboard.url}/admin/transcript/{dashboard.hot}?grant=forged")
    await expect(page.locator("h1")).to_have_text("This link is not valid")


async def _inbox(page: Any, dashboard: Dashboard) -> None:
    await _as_the_rep(page, dashboard)
    await expect(page.locator("#inbox-rows tr[data-lead]")).to_have_count(1)


async def _inbox_chat(page: Any, dashboard: Dashboard) -> None:
    await _as_the_rep(page, dashboard)
    await page.goto(f"{dashboard.url}/admin/inbox/{dashboard.hot}")
    await expect(page.locator("#reply textarea")).to_be_visible()


PAGES: dict[str, Visit] = {
    "sign-in": _login,
    "sign-in-refused": _login_refused,
    "leads": _leads,
    "leads-none-match": _leads_none_match,
    "saved-view": _saved_view,
    "saved-view-name-taken": _saved_view_refused,
    "saved-view-delete": _saved_view_delete,
    "lead": _lead,
    "lead-missing": _lead_missing,
    "erase": _erase,
    "rescore": _rescore,
    "deliveries": _deliveries,
    "webhooks": _webhooks,
    "webhooks-url-refused": _webhook_refused,
    "webhook-remove": _webhook_remove,
    "transcript": _transcript,
    "transcript-refused": _transcript_refused,
    "inbox": _inbox,
    "inbox-chat": _inbox_chat,
}


async def axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the whole page, each with its nodes' targets and summary."""
    if not await page.evaluate("() => !!window.axe"):
        await page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = await page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id,"
        " impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target,"
        " summary: n.failureSummary}))}))"
    )
    return violations


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def report(violations: list[dict[str, Any]]) -> str:
    """One readable paragraph per violation: rule, impact, what it means, where and why."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    at {node['target']}: {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("name", PAGES.keys())
async def test_axe_finds_no_serious_problem_on_the_page(
    dashboard: Dashboard, browser: Any, name: str, viewport: dict[str, int]
) -> None:
    page = await _tab(browser, viewport)
    await PAGES[name](page, dashboard)
    found = serious(await axe(page))
    if found:
        pytest.fail(f"{name} at {viewport['width']}x{viewport['height']}:\n{report(found)}")


# --- by keyboard alone ----------------------------------------------------------------


@pytest.fixture
def quiet_dashboard(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A server of its own with one lead in it (the forms below change it); URL and lead."""
    settings = _settings(tmp_path, "http://127.0.0.1:9/hook")
    settings = settings.model_copy(update={"webhooks": []})
    with ThreadedServer(create_app(settings)) as server:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            lead_id = _chat(client, HOT_LEAD)
        yield server.url, lead_id


async def focus(page: Any) -> dict[str, Any]:
    """What has focus, whether the browser shows it as keyboard focus, and its outline."""
    state: dict[str, Any] = await page.evaluate(
        """() => { const el = document.activeElement; const s = getComputedStyle(el);
        return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name'),
          text: (el.textContent || '').trim().slice(0, 40),
          keyboard: el.matches(':focus-visible'),
          ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""
    )
    return state


async def tab_to(page: Any, selector: str) -> None:
    """Press Tab until ``selector`` has focus; it must show a focus ring when it does."""
    for _ in range(60):
        if await page.evaluate("s => document.activeElement.matches(s)", selector):
            state = await focus(page)
            assert state["keyboard"] and state["ring"], f"no visible focus ring on {state}"
            return
        await page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector} (last focus: {await focus(page)})")


async def test_a_rep_signs_in_filters_opens_a_lead_and_updates_it_by_keyboard(
    quiet_dashboard: tuple[str, str], browser: Any
) -> None:
    url, lead_id = quiet_dashboard
    page = await _tab(browser, DESKTOP)
    await page.goto(url + "/admin/login")
    await tab_to(page, "input[name=key]")
    await page.keyboard.type(KEY)
    await tab_to(page, "button[type=submit]")
    await page.keyboard.press("Enter")
    await page.wait_for_url(url + "/admin")

    await tab_to(page, "input[name=q]")
    await page.keyboard.type("checkout funnel")
    await tab_to(page, ".filters button[type=submit]")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**q=checkout+funnel**")
    await expect(page.locator("table.leads tbody tr")).to_have_count(1)

    await tab_to(page, f'table.leads tbody a[href="/admin/leads/{lead_id}"]')
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{url}/admin/leads/{lead_id}")

    await tab_to(page, "select[name=status]")
    await page.keyboard.type("contacted")
    await tab_to(page, "input[name=owner]")
    await page.keyboard.type("Sam")
    await tab_to(page, ".sales-form button[type=submit]")
    await page.keyboard.press("Enter")
    await expect(page.locator(".lead-status")).to_have_text("contacted")
    await expect(page.locator(".lead-owner")).to_have_text("Sam")

    await tab_to(page, "textarea[name=text]")
    await page.keyboard.type("Asked for pricing in euros.")
    await tab_to(page, ".note-form button[type=submit]")
    await page.keyboard.press("Enter")
    await expect(page.locator("table.events tr.note .note-text")).to_have_text(
        "Asked for pricing in euros."
    )
