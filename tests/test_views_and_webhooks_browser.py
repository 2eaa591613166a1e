"""Saved views and webhook endpoints on the dashboard in headless Chromium over real HTTP:
save a view, open it from its link, delete it; add a webhook (its secret shown once), send
it a test event that a real receiver checks, remove it after confirming; both forms fit a
phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from agent.config import Settings
from channels.web.app import create_app
from tests.browser import TIMEOUT_MS
from tests.servers import ThreadedServer
from tests.test_dashboard_pages import (
    DESKTOP,
    KEY,
    MOBILE,
    lead,
    seed,
    settings_for,
    signed_in,
    texts,
)
from tests.webhook_receiver import running_receiver


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    settings: Settings = settings_for(tmp_path).model_copy(
        update={
            "webhooks": Settings(
                _env_file=None,  # type: ignore[call-arg]
                webhooks=[
                    {"name": "crm", "url": "http://127.0.0.1:9/from-settings", "secret": "s" * 20}
                ],
            ).webhooks,
            "outbox_poll_seconds": 0.2,
        }
    )
    with ThreadedServer(create_app(settings)) as running:
        yield running


async def test_save_a_view_open_it_from_its_link_and_delete_it(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    await seed(
        tmp_path,
        [
            lead(score=90, segment="hot", company="Hotco"),
            lead(score=50, segment="warm", company="Warmco", minutes=5),
        ],
    )
    page = await signed_in(browser, server)
    await expect(page.locator(".saved-views")).to_contain_text("None yet")
    await page.select_option("select[name=segment]", "hot")
    await page.click(".filters button[type=submit]")
    await page.wait_for_url("**segment=hot**")
    await page.fill("#view-name", "Hot ones")
    await page.click("button:has-text('Save this view')")
    await page.wait_for_url(server.url + "/admin?segment=hot")
    current = page.locator(".saved-views a[aria-current=page]")
    await expect(current).to_have_text("Hot ones")

    await page.fill("#view-name", "HOT ONES")
    await page.click("button:has-text('Save this view')")
    await expect(page.locator("#view-name-error")).to_contain_text(
        "A saved view is called “HOT ONES” already: pick another name."
    )
    await expect(page.locator("#view-name")).to_have_value("HOT ONES")

    await page.goto(server.url + "/admin")
    assert await texts(page, "table.leads tbody td:nth-child(4)") == ["Hotco", "Warmco"]
    await expect(page.locator(".saved-views a[aria-current=page]")).to_have_count(0)
    await page.click(".saved-views a.view >> text=Hot ones")
    await page.wait_for_url("**segment=hot**")
    assert await texts(page, "table.leads tbody td:nth-child(4)") == ["Hotco"]
    await expect(page.locator(".saved-views a[aria-current=page]")).to_have_text("Hot ones")

    await page.click(".saved-views .delete-view")
    await expect(page.locator("h1")).to_have_text("Delete the saved view “Hot ones”?")
    await page.check("input[name=confirm]")
    await page.click("text=Delete saved view")
    await page.wait_for_url("**done=view_deleted")
    await expect(page.locator(".flash")).to_have_text("Saved view deleted.")
    await expect(page.locator(".saved-views a.view")).to_have_count(0)


async def test_add_test_and_remove_a_webhook_from_the_page(
    server: ThreadedServer, browser: Any
) -> None:
    with running_receiver("learned-from-the-page") as receiver:
        page = await signed_in(browser, server)
        await page.click("header.top >> text=Webhooks")
        await page.wait_for_url(server.url + "/admin/webhooks")
        settings_row = page.locator("tr.webhook-settings")
        await expect(settings_row).to_contain_text("from settings (read-only)")
        await expect(settings_row.locator("button, a.button")).to_have_count(0)

        await page.fill("#webhook-url", "ftp://files.example.com/in")
        await page.click("text=Add endpoint")
        await expect(page.locator("#webhook-error")).to_contain_text(
            "The URL must start with http:// or https://"
        )
        await expect(page.locator("#webhook-url")).to_have_value("ftp://files.example.com/in")

        await page.fill("#webhook-url", receiver.url)
        await page.check("input[value='lead.created']")
        await page.fill("#webhook-description", "Sandbox CRM")
        await page.click("text=Add endpoint")
        secret = (await page.inner_text("#new-secret")).strip()
        assert secret.startswith("whsec_")
        receiver.secret = secret
        row = page.locator("tr.webhook-dashboard")
        await expect(row).to_contain_text("Sandbox CRM")
        await expect(row).to_contain_text("lead.created")

        await page.goto(server.url + "/admin/webhooks")  # shown once: not any more
        await expect(page.locator("#new-secret")).to_have_count(0)
        assert secret not in await page.content()
        await expect(row).to_contain_text("…" + secret[-4:])

        await row.locator("button", has_text="Send test event").click()
        await expect(page.locator("#test-outcome")).to_contain_text("answered HTTP 200: delivered.")
        (got,) = receiver.received
        assert got.signature_ok and got.event["data"]["test"] is True

        await row.locator("a", has_text="Remove").click()
        await expect(page.locator("#pending-fate")).to_contain_text("It has no pending deliveries.")
        await page.check("input[name=confirm]")
        await page.click("text=Remove endpoint")
        await page.wait_for_url("**/admin/webhooks?removed=0")
        await expect(page.locator(".flash")).to_contain_text("Endpoint removed")
        await expect(page.locator("tr.webhook-dashboard")).to_have_count(0)


async def test_the_forms_fit_a_phone(tmp_path: Path, server: ThreadedServer, browser: Any) -> None:
    await seed(tmp_path, [lead(score=90, segment="hot", company="Hotco")])
    page = await signed_in(browser, server, MOBILE)
    await page.fill("#view-name", "A view with a fairly long name for a phone")
    await page.click("button:has-text('Save this view')")
    await expect(page.locator(".saved-views a.view")).to_have_count(1)
    for path in ("/admin", "/admin/webhooks"):
        await page.goto(server.url + path)
        width = await page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= MOBILE["width"], (path, width)
        for field in await page.locator("main form input:visible, main form button:visible").all():
            box = await field.bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"], (path, box)


AXE_JS = Path(pytest.importorskip("axe_playwright_python").__file__).parent / "axe.min.js"


async def serious_problems(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, as readable lines."""
    await page.add_script_tag(path=str(AXE_JS))
    found: list[dict[str, Any]] = await page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id,"
        " impact: v.impact, targets: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [
        f"{v['id']} ({v['impact']}) at {', '.join(v['targets'][:3])}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
async def test_axe_finds_no_serious_problem_on_the_new_pages(
    tmp_path: Path, server: ThreadedServer, browser: Any, viewport: dict[str, int]
) -> None:
    await seed(tmp_path, [lead(score=90, segment="hot", company="Hotco")])
    context = await browser.new_context(viewport=viewport, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(server.url + "/admin/login")
    await page.fill("input[name=key]", KEY)
    await page.click("button[type=submit]")
    await page.wait_for_url(server.url + "/admin")
    problems: dict[str, list[str]] = {}

    await page.fill("#view-name", "Hot")
    await page.click("button:has-text('Save this view')")
    await page.fill("#view-name", "hot")
    await page.click("button:has-text('Save this view')")
    await expect(page.locator("#view-name-error")).to_be_visible()
    problems["leads, a refused name"] = await serious_problems(page)
    await page.click(".saved-views .delete-view")
    problems["delete a view"] = await serious_problems(page)

    with running_receiver("x") as receiver:
        await page.goto(server.url + "/admin/webhooks")
        await page.fill("#webhook-url", "mailto:someone@example.com")
        await page.click("text=Add endpoint")
        await expect(page.locator("#webhook-error")).to_be_visible()
        problems["webhooks, a refused URL"] = await serious_problems(page)
        await page.fill("#webhook-url", receiver.url)
        await page.click("text=Add endpoint")
        await expect(page.locator("#new-secret")).to_be_visible()
        problems["webhooks, the new secret"] = await serious_problems(page)
        await page.click("button:has-text('Send test event')")
        await expect(page.locator("#test-outcome")).to_be_visible()
        problems["webhooks, a test outcome"] = await serious_problems(page)
        await page.click("a:has-text('Remove')")
        problems["remove a webhook"] = await serious_problems(page)
    assert {name: found for name, found in problems.items() if found} == {}
