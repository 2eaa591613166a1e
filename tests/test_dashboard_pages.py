"""The leads dashboard in headless Chromium over real HTTP: filters, pagination, export,
readable facts, confirmed erasure and rescoring, mobile layout, favicon; and static files
served gzipped with versioned URLs."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.config import Settings
from agent.models import (
    Authority,
    Budget,
    Evidence,
    Fact,
    LeadProfile,
    Need,
    Superseded,
    Timeline,
)
from agent.sql_store import SQLStore
from agent.store import Conversation, Message
from channels.web.app import STATIC, create_app
from channels.web.assets import IMMUTABLE, Assets
from tests.browser import TIMEOUT_MS
from tests.servers import ThreadedServer

KEY = "dashboard-admin-key-0123456789"
PUBLIC = "https://leads.example.com"
NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
DESKTOP = {"width": 1366, "height": 800}
MOBILE = {"width": 390, "height": 844}


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        admin_api_key=KEY,
        secret_key="dashboard-secret-key-0123456789",
        knowledge=False,
        lead_events=True,
        public_url=PUBLIC,
    )


def said(quote: str) -> Evidence:
    return Evidence(message_id="m1", quote=quote, at=NOW)


def lead(
    *,
    score: int,
    segment: str,
    company: str | None = None,
    name: str | None = None,
    email: str | None = None,
    minutes: int = 0,
    rich: bool = False,
    follow_up: dict[str, str | None] | None = None,
    handoff: str | None = None,
    disqualifier: str | None = None,
    at: datetime | None = None,
) -> Conversation:
    data: dict[str, Any] = {}
    if company:
        data["company_name"] = Fact(value=company, evidence=said(f"I'm at {company}"))
    if name:
        data["contact_name"] = Fact(value=name, evidence=said(f"I'm {name}"))
    if email:
        data["email"] = Fact(value=email, evidence=said(email))
    if disqualifier:
        data["disqualifier"] = Fact(value=disqualifier, evidence=said("I'm a student"))
    if rich:
        data["budget"] = Fact(
            value=Budget(
                status="known",
                amount_min=50000.0,
                currency="USD",
                period="annual",
                annual_usd=50000.0,
            ),
            evidence=said("about 50k"),
        )
        data["authority"] = Fact(
            value=Authority(role="Head of Marketing", level="decision_maker"),
            evidence=said("I run marketing"),
        )
        data["need"] = Fact(
            value=Need(use_cases=("social-media management",), fit="none"),
            evidence=said("we mostly post on Instagram"),
        )
        data["timeline"] = Fact(value=Timeline(text="next quarter", months=3), evidence=said("Q1"))
        data["requested_human"] = Fact(value=True, evidence=said("can I talk to a person"))
        data["company_size"] = Fact(value=120, evidence=said("120 people"))
        data["industry"] = Fact(value="saas", evidence=said("we are a SaaS"))
        data["history"] = (
            Superseded(
                field="need",
                value={"use_cases": ["product analytics"], "fit": "strong"},
                evidence=said("product analytics"),
                replaced_by="m2",
            ),
        )
    at = (at or NOW) - timedelta(minutes=minutes)
    return Conversation(
        channel="web",
        created_at=at,
        updated_at=at,
        today=at.date(),
        profile=LeadProfile.model_validate(data),
        score=score,
        segment=segment,
        prospect_messages=1,
        follow_up=follow_up,
        handoff_reason=handoff,
    )


async def seed(tmp_path: Path, leads: list[Conversation]) -> None:
    store = SQLStore(f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}")
    try:
        await store.init()
        for conversation in leads:
            await store.create_conversation(conversation)
            await store.add_message(
                Message(
                    conversation_id=conversation.id,
                    role="prospect",
                    text="We need better reporting",
                    created_at=conversation.created_at,
                )
            )
    finally:
        await store.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(settings_for(tmp_path))) as running:
        yield running


async def signed_in(
    browser: Any, server: ThreadedServer, viewport: dict[str, int] = DESKTOP
) -> Any:
    context = await browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    await page.goto(server.url + "/admin/login")
    await page.fill("input[name=key]", KEY)
    await page.click("button[type=submit]")
    await page.wait_for_url(server.url + "/admin")
    return page


async def texts(page: Any, selector: str) -> list[str]:
    result: list[str] = await page.locator(selector).all_inner_texts()
    return [text.strip() for text in result]


async def test_the_filter_form_ignores_empty_fields_and_explains_bad_values(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    await seed(
        tmp_path,
        [
            lead(score=50, segment="warm", company="Warmco"),
            lead(score=90, segment="hot", company="Hotco"),
        ],
    )
    page = await signed_in(browser, server)
    await page.select_option("select[name=segment]", "warm")
    await page.click(".filters button[type=submit]")
    await page.wait_for_url("**segment=warm**")
    assert "max_score=&" in page.url and "since=" in page.url  # the empty fields were sent
    assert await texts(page, "table.leads tbody td:nth-child(4)") == ["Warmco"]
    assert await page.locator(".problems").count() == 0

    answer = await page.goto(server.url + "/admin?since=yesterday-ish&min_score=ten&segment=hot")
    assert answer.status == 400
    assert "text/html" in answer.headers["content-type"]
    problems = await page.inner_text(".problems")
    assert "“Since” must be a date such as 2026-11-30, not “yesterday-ish”" in problems
    assert "“Score from” must be a whole number" in problems
    assert "{" not in await page.inner_text("main")
    assert await texts(page, "table.leads tbody td:nth-child(4)") == ["Hotco"]  # the rest held


async def test_pagination_keeps_the_filter_and_the_sort(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    warm = [lead(score=46 + i % 20, segment="warm", company=f"W{i}", minutes=i) for i in range(55)]
    await seed(tmp_path, [*warm, lead(score=99, segment="hot", company="Hotco")])
    page = await signed_in(browser, server)
    await page.goto(server.url + "/admin?segment=warm&order_by=score")
    first = await texts(page, "table.leads tbody td:first-child")
    await page.click("a[rel=next]")
    await page.wait_for_url("**page=2**")
    assert "segment=warm" in page.url and "order_by=score" in page.url
    assert await texts(page, "table.leads tbody .badge") == ["Warm"] * 5
    second = [
        int(text.split()[0]) for text in await texts(page, "table.leads tbody td:first-child")
    ]
    assert max(second) <= min(int(text.split()[0]) for text in first)  # still by score
    await page.click("a[rel=prev]")
    await page.wait_for_url("**page=1**")
    assert "segment=warm" in page.url


async def test_export_csv_is_the_filtered_view_with_the_qualification(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    rich = lead(
        score=50,
        segment="warm",
        company='=HYPERLINK("http://x")',
        name="@Ana",
        email="ana@x.io",
        rich=True,
        follow_up={"action": "nurture", "list": "product-proof"},
    )
    await seed(tmp_path, [rich, lead(score=90, segment="hot", company="Hotco")])
    page = await signed_in(browser, server)
    await page.goto(server.url + "/admin?segment=warm")
    async with page.expect_download() as waiting:
        await page.click("text=Export CSV")
    download = await waiting.value
    saved = await download.path()
    rows = list(csv.DictReader(io.StringIO(await asyncio.to_thread(Path(saved).read_text))))
    assert len(rows) == 1
    row = rows[0]
    assert row["company"] == '\'=HYPERLINK("http://x")'  # no formula in a spreadsheet
    assert row["name"] == "'@Ana"
    assert row["email"] == "ana@x.io"
    assert row["budget_annual_usd"] == "50000"
    assert row["budget"] == "$50,000 a year"
    assert row["budget_as_said"] == "about 50k"
    assert row["role"] == "Head of Marketing" and row["authority_level"] == "Decision maker"
    assert row["need_use_cases"] == "social-media management" and row["need_fit"] == "none"
    assert row["timeline"] == "next quarter" and row["timeline_months"] == "3"
    assert row["company_size"] == "120" and row["industry"] == "Saas"
    assert row["score"] == "50" and row["segment"] == "warm"
    assert row["follow_up"] == "Nurture: product proof"
    assert "Budget: “about 50k”" in row["quotes"]
    assert row["score_breakdown"]  # the rules that fired, with their points
    assert row["link"] == f"{PUBLIC}/admin/leads/{rich.id}"


async def test_what_we_learned_reads_as_words(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    rich = lead(
        score=105,
        segment="hot",
        company="Acme",
        name="Ana",
        rich=True,
        handoff="hot_lead",
        follow_up={"action": "sales_handoff", "list": None},
    )
    await seed(tmp_path, [rich])
    page = await signed_in(browser, server)
    await page.goto(f"{server.url}/admin/leads/{rich.id}")
    values = dict(
        zip(
            await texts(page, "table.fields td:first-child"),
            await texts(page, "table.fields td:nth-child(2)"),
            strict=True,
        )
    )
    assert values["Budget"] == "$50,000 a year (said: “about 50k”)"
    assert values["Need"] == "social-media management — not a fit"
    assert values["Asked for a person"] == "Yes"
    assert values["Authority"] == "Head of Marketing (decision maker)"
    assert values["Employees"] == "120"
    body = await page.inner_text("main")
    assert (
        "Need changed from product analytics — strong fit to social-media management — not a fit"
        in body
    )
    for raw in ("status: known", "amount_min", "('", "True", "{'", "hot_lead", "sales_handoff"):
        assert raw not in body
    title = await page.inner_text("h1")
    assert title.startswith("Acme · Ana\n") and title.endswith(" (hot ≥ 75) points")
    assert "UTC" in await page.inner_text("p.meta")
    assert await page.get_attribute("a.button >> text=All leads", "href") == "/admin"


async def test_erasing_asks_first_then_says_so(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    gone = lead(score=50, segment="warm", company="Goneco")
    await seed(tmp_path, [gone])
    page = await signed_in(browser, server)
    await page.goto(f"{server.url}/admin/leads/{gone.id}")
    await page.click("text=Erase lead (GDPR)")
    await page.wait_for_url(f"**/admin/leads/{gone.id}/erase")
    # Without the box ticked nothing is erased, even with the browser's check bypassed.
    await page.eval_on_selector("input[name=confirm]", "box => box.required = false")
    await page.click("button.danger")
    assert "Tick the box to confirm: nothing was erased." in await page.inner_text("main")
    assert await page.locator("input[name=confirm]").count() == 1
    api = await page.request.get(f"{server.url}/api/admin/leads/{gone.id}")
    assert api.status == 200
    await page.check("input[name=confirm]")
    await page.click("button.danger")
    await page.wait_for_url("**/admin?done=erased")
    assert await page.inner_text(".flash") == "Lead erased."
    assert "Goneco" not in await page.inner_text("main")
    answer = await page.goto(f"{server.url}/admin/leads/{gone.id}")
    assert answer.status == 404 and "text/html" in answer.headers["content-type"]
    assert await page.inner_text("h1") == "Lead not found"
    await page.click("text=Back to all leads")
    await page.wait_for_url(server.url + "/admin")


async def test_rescoring_asks_first_then_counts(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    await seed(
        tmp_path,
        [lead(score=90, segment="hot", company="Overrated"), lead(score=0, segment="cold")],
    )
    page = await signed_in(browser, server)
    await page.click("text=Rescore all")
    await page.wait_for_url("**/admin/rescore")
    assert "Rescore all 2 leads?" in await page.inner_text("h1")
    await page.eval_on_selector("input[name=confirm]", "box => box.required = false")
    await page.click("form.confirm button[type=submit]")
    assert "nothing was rescored" in await page.inner_text("main")
    await page.check("input[name=confirm]")
    await page.click("form.confirm button[type=submit]")
    await page.wait_for_url("**/admin?done=rescored**")
    # The seeded 90 has no facts behind it: rescoring moves it; the cold one stays.
    assert await page.inner_text(".flash") == "Rescored: 2 leads checked, 1 changed."


async def test_the_list_reads_at_a_glance(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    rich = lead(
        score=105,
        segment="hot",
        company="Acme",
        name="Ana",
        rich=True,
        handoff="hot_lead",
        follow_up={"action": "nurture", "list": "product-proof"},
    )
    student = lead(
        score=0, segment="disqualified", company="Uni", disqualifier="student", minutes=5
    )
    await seed(tmp_path, [rich, student])
    page = await signed_in(browser, server)
    headers = await texts(page, "table.leads th")
    assert headers[:6] == ["Score", "Segment", "Name", "Company", "Role", "Need"]
    first = await texts(page, "table.leads tbody tr:first-child td")
    assert first[0] == "105 (hot ≥ 75)"
    assert first[1:6] == [
        "Hot",
        "Ana",
        "Acme",
        "Head of Marketing (decision maker)",
        "social-media management — not a fit",
    ]
    assert first[6] == "Nurture: product proof" and first[10] == "Hot lead"
    assert first[11] == "2026-11-30 09:30 UTC"
    assert await page.get_attribute("table.leads tbody tr:first-child time", "datetime") == (
        "2026-11-30T09:30:00+00:00"
    )
    assert await page.inner_text("th[aria-sort]") == "Last message ▼"
    await page.click("table.leads th:first-child a")
    await page.wait_for_url("**order_by=score**")
    assert await page.inner_text("th[aria-sort]") == "Score ▼"
    await page.goto(server.url + "/admin?segment=warm")
    assert "No leads match these filters." in await page.inner_text("td.empty")
    await page.click("td.empty >> text=clear filters")
    await page.wait_for_url(server.url + "/admin")
    await page.goto(f"{server.url}/admin/leads/{student.id}")
    meta = await page.inner_text("p.meta")
    assert "routed to" not in meta.replace("not routed to sales", "")
    assert "not routed to sales" in meta
    assert await page.inner_text("h1 .badge") == "Disqualified"


async def test_the_dashboard_fits_a_phone(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    rich = lead(
        score=105,
        segment="hot",
        company="A very long company name Incorporated",
        name="Ana",
        email="someone.with.a.long.address@example.com",
        rich=True,
    )
    # This week's leads in every segment, many of each: the longest chart labels there are.
    now = datetime.now(UTC)
    segments = {"hot": 90, "warm": 50, "cold": 20, "disqualified": 0}
    busy = [
        lead(score=score, segment=segment, at=now, minutes=n)
        for segment, score in segments.items()
        for n in range(12)
    ]
    await seed(tmp_path, [rich, *busy])
    page = await signed_in(browser, server, MOBILE)
    paths = ("/admin", f"/admin/leads/{rich.id}", "/admin/rescore", "/admin/deliveries")
    for path in (*paths, "/admin/inbox"):
        await page.goto(server.url + path)
        for box in [
            await item.bounding_box()
            for item in await page.locator("header.top a, header.top button").all()
        ]:
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"], (path, box)
        width = await page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= MOBILE["width"], (path, width)
    await page.goto(server.url + "/admin")
    assert await list_charts_outside(page) == {"weeks": [], "funnel": [], "scores": []}
    await page.goto(f"{server.url}/admin/leads/{rich.id}")
    # Every chart label ends inside the chart's drawing area.
    clipped = await page.evaluate(
        """() => { const svg = document.querySelector('svg.chart');
        const right = svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].filter(t => {
          const b = t.getBBox(); return b.x + b.width > right; }).length; }"""
    )
    assert clipped == 0
    scrolls = await page.evaluate(
        "getComputedStyle(document.querySelector('.table-scroll')).overflowX"
    )
    assert scrolls == "auto"


async def list_charts_outside(page: Any) -> dict[str, list[str]]:
    """For each chart on the leads list, what is drawn outside its viewBox (labels and bars)
    or outside the screen (the chart itself)."""
    found: dict[str, list[str]] = await page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('figure.list-chart')].map(f => {
          const svg = f.querySelector('svg'); const view = svg.viewBox.baseVal;
          const out = [...svg.querySelectorAll('text, rect')].filter(el => {
            const b = el.getBBox();
            return b.x < 0 || b.y < 0 || b.x + b.width > view.width || b.y + b.height > view.height;
          }).map(el => el.textContent || `bar ${el.getAttribute('width')}`);
          const box = svg.getBoundingClientRect();
          if (box.left < 0 || box.right > document.documentElement.clientWidth) {
            out.push(`chart from ${box.left} to ${box.right}`);
          }
          return [f.id.replace('chart-', ''), out];
        }))"""
    )
    return found


async def test_admin_pages_log_no_console_errors_and_have_an_icon(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    rich = lead(score=105, segment="hot", company="Acme", rich=True)
    await seed(tmp_path, [rich])
    page = await signed_in(browser, server)
    for path in (
        "/admin",
        f"/admin/leads/{rich.id}",
        f"/admin/leads/{rich.id}/erase",
        "/admin/rescore",
        "/admin/deliveries",
    ):
        await page.goto(server.url + path)
        await page.wait_for_load_state("networkidle")
        icon = await page.get_attribute("link[rel=icon]", "href")
        assert icon is not None and icon.startswith("/static/favicon.svg?v=")
    assert page.console_errors == []
    async with httpx.AsyncClient(base_url=server.url) as client:
        ico = await client.get("/favicon.ico")
        assert ico.status_code == 200 and ico.headers["content-type"] == "image/svg+xml"


async def test_static_files_are_gzipped_versioned_and_cached(server: ThreadedServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        login = (await client.get("/admin/login")).text
        css = Assets(STATIC).url("dashboard.css")
        assert css in login
        for url in ("/widget.js", css):
            raw = await client.get(url, headers={"Accept-Encoding": "gzip"})
            assert raw.headers["content-encoding"] == "gzip"
        versioned = await client.get(css)
        assert versioned.headers["cache-control"] == IMMUTABLE
        stale = await client.get("/static/dashboard.css?v=000000000000")
        assert stale.headers["cache-control"] == "public, max-age=300"
        widget = await client.get("/widget.js")
        assert widget.headers["cache-control"] == "public, max-age=300"
        assert widget.headers["access-control-allow-origin"] == "*"
        pinned = await client.get(Assets(STATIC).url("widget.js"))
        assert pinned.headers["cache-control"] == IMMUTABLE and pinned.content == widget.content


def test_a_changed_file_gets_a_new_version(tmp_path: Path) -> None:
    (tmp_path / "app.css").write_text("body { color: red; }")
    before = Assets(tmp_path).url("app.css")
    (tmp_path / "app.css").write_text("body { color: blue; }")
    after = Assets(tmp_path).url("app.css")
    assert before != after and before.startswith("/static/app.css?v=")
