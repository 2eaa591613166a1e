"""The dashboard beyond the lead page follows the team's language (the playbook's
``team_language``): the leads list's messages and charts, the inbox, the deliveries page,
the confirmation and sign-in pages, and the lead page's tags, statuses and events, over
real HTTP. English stays as it was."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agent.prompts import PromptSet
from agent.team_words import TeamWords, catalogue_words
from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.test_dashboard_pages import KEY, lead, seed, settings_for
from tests.test_slack_handoff import HOT
from tests.test_team_language import playbook_text
from tests.test_web_api import send, start

BEARER = {"Authorization": f"Bearer {KEY}"}


def running(tmp_path: Path, team_language: str) -> ThreadedServer:
    path = tmp_path / f"beacon-{team_language}.yaml"
    path.write_text(playbook_text(team_language), encoding="utf-8")
    settings = settings_for(tmp_path).model_copy(update={"playbook": path})
    return ThreadedServer(create_app(settings))


@pytest.fixture
def german_server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with running(tmp_path, "de") as server:
        yield server


async def hot_chat(client: httpx.AsyncClient) -> str:
    """A prospect's chat that became a hot lead (handed to sales); its lead id."""
    token = await start(client)
    for text in HOT:
        await send(client, token, text)
    listed = (await client.get("/api/admin/leads", headers=BEARER)).json()
    [found] = [row for row in listed["leads"] if row["handoff_reason"]]
    lead_id: str = found["id"]
    return lead_id


async def test_the_list_inbox_and_deliveries_read_in_german_over_http(
    tmp_path: Path, german_server: ThreadedServer
) -> None:
    await seed(tmp_path, [lead(score=20, segment="cold", company="Quiet Co", minutes=3)])
    async with httpx.AsyncClient(base_url=german_server.url, timeout=30) as client:
        login = await client.get("/admin/login")
        assert '<html lang="de">' in login.text
        assert "<h1>Anmelden</h1>" in login.text and "Admin-API-Schlüssel" in login.text
        refused = await client.post("/admin/login", data={"key": "wrong"}, follow_redirects=True)
        assert "Dieser Schlüssel stimmt nicht." in refused.text

        assert (await client.post("/admin/login", data={"key": KEY})).status_code == 303
        lead_id = await hot_chat(client)

        # The leads list: filter problems, charts and the table's labels.
        listed = await client.get(
            "/admin", params={"min_score": "lots", "since": "yesterday-ish", "order_by": "x"}
        )
        body = listed.text
        for shown in (
            "Einige Filter wurden nicht angewendet:",
            "„Score ab“ muss eine ganze Zahl sein, nicht „lots“.",
            "„Seit“ muss ein Datum wie 2026-11-30 sein, nicht „yesterday-ish“.",
            "Leads lassen sich nicht nach „x“ sortieren.",
            "Woche vom ",
            "· Gespräche</text>",
            "· Qualifiziert</text>",
            "Gespeicherte Ansichten",
            "Diese Ansicht speichern als",
            'aria-label="Aktionen der Seite"',
        ):
            assert shown in body, shown
        for english in ("must be a whole number", "week of", "Conversations", "Saved views"):
            assert english not in body, english
        flashed = await client.get(
            "/admin", params={"done": "rescored", "checked": 2, "changed": 1}
        )
        assert "Neu bewertet: 2 Leads geprüft, 1 geändert." in flashed.text

        # The inbox: the hot lead, why it is there, and the page's own words.
        inbox = await client.get("/admin/inbox")
        page = inbox.text
        assert '<html lang="de">' in page
        for shown in (
            "<h1>Posteingang</h1>",
            "<th>Grund</th><th>Übernommen von</th><th>Letzte Nachricht</th>",
            f'href="/admin/inbox/{lead_id}"',
            "<td>Heißer Lead</td>",
            "Ihr Name",
        ):
            assert shown in page, shown
        assert "hot_lead" not in page and "Claimed by" not in page
        chat = await client.get(f"/admin/inbox/{lead_id}")
        assert "Der Assistent antwortet." in chat.text
        assert "Geben Sie zuerst Ihren Namen an." in chat.text
        assert ">Interessent</span>" in chat.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', chat.text)
        assert csrf is not None
        nameless = await client.post(f"/admin/inbox/{lead_id}/claim", data={"csrf": csrf.group(1)})
        assert nameless.status_code == 409
        assert "Geben Sie zuerst Ihren Namen an: Interessenten sehen ihn." in nameless.text
        await client.post("/admin/inbox/name", data={"csrf": csrf.group(1), "name": "Alex"})
        await client.post(f"/admin/inbox/{lead_id}/claim", data={"csrf": csrf.group(1)})
        claimed = await client.get(f"/admin/inbox/{lead_id}")
        assert "Interessenten sehen Sie als <strong" in claimed.text
        assert "Alex hat diesen Chat: Der Assistent schweigt." in claimed.text
        assert "An den Assistenten zurückgeben" in claimed.text

        # The lead page: the sales status, tags and events in words.
        changed = await client.patch(
            f"/api/admin/leads/{lead_id}",
            json={"status": "lost", "reason": "Zu teuer"},
            headers=BEARER,
        )
        assert changed.status_code == 200
        lead_page = (await client.get(f"/admin/leads/{lead_id}")).text
        for shown in (
            '<strong class="lead-status">verloren</strong>',
            '<option value="lost" selected>verloren</option>',
            "Status geändert (neu → verloren: Zu teuer, von admin-api)",
            "Lead angelegt",
            "an den Vertrieb übergeben",
            "übernommen von Alex",
        ):
            assert shown in lead_page, shown
        assert "lead.created" not in lead_page.replace('"lead.created"', "")
        assert "industry:" not in lead_page and "interest:" not in lead_page

        # The deliveries page and the pages that ask before acting.
        deliveries = (await client.get("/admin/deliveries")).text
        for shown in (
            "<h1>Zustellungen von Ereignissen</h1>",
            "Ziele: keine eingerichtet",
            "<th>Ereignis</th>",
            ">Unzustellbar <span",
        ):
            assert shown in deliveries, shown
        webhooks = (await client.get("/admin/webhooks")).text
        for shown in ("<h1>Webhook-Endpunkte</h1>", ">Endpunkt hinzufügen</button>"):
            assert shown in webhooks, shown
        assert "Add an endpoint" not in webhooks
        erase = (await client.get(f"/admin/leads/{lead_id}/erase")).text
        assert "Ja, diesen Lead und alles über ihn löschen" in erase
        rescore = (await client.get("/admin/rescore")).text
        assert "Alle 2 Leads neu bewerten?" in rescore
        assert "<code>lead.segment_changed</code>-Ereignisse" in rescore
        missing = await client.get("/admin/leads/no-such-lead")
        assert missing.status_code == 404 and "<h1>Lead nicht gefunden</h1>" in missing.text


async def test_in_english_the_pages_read_as_before(tmp_path: Path) -> None:
    with running(tmp_path, "en") as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            await client.post("/admin/login", data={"key": KEY})
            lead_id = await hot_chat(client)
            inbox = (await client.get("/admin/inbox")).text
            listed = (await client.get("/admin", params={"min_score": "lots"})).text
            deliveries = (await client.get("/admin/deliveries")).text
            lead_page = (await client.get(f"/admin/leads/{lead_id}")).text
    assert '<html lang="en">' in inbox
    assert "<th>Lead</th><th>Why</th><th>Claimed by</th><th>Last message</th>" in inbox
    assert "<td>Hot lead</td>" in inbox
    assert "“Score from” must be a whole number, not “lots”." in listed
    assert '<h2 id="saved-views-title">Saved views</h2>' in listed
    assert "<h1>Event deliveries</h1>" in deliveries
    assert "lead.created" in lead_page and "lead.handoff" in lead_page


KEY_USE = re.compile(r"""(?:say|\.text)\(\s*f?["']([a-z_]+(?:\.[a-z_]+)+)["']""")
SECTION_USE = re.compile(r"""word\(\s*["']([a-z_]+(?:\.[a-z_]+)*)["']""")


@pytest.mark.parametrize("code", ["en", "de", "es", "fr", "pt"])
def test_every_text_the_code_names_is_in_every_catalogue(code: str) -> None:
    """Each reps.yaml key a template or module asks for by name (``say("inbox.claim")``,
    ``words.text("slack.claimed", ...)``, ``word("admin.statuses", ...)``) is in the
    catalogue of every shipped team language (the same keys everywhere is checked in
    tests/test_prompt_languages.py)."""
    root = Path(__file__).resolve().parent.parent
    sources = [
        *sorted((root / "channels" / "web" / "templates").glob("*.html")),
        *sorted((root / "channels").rglob("*.py")),
        *sorted((root / "agent").glob("*.py")),
    ]
    prompts = PromptSet(root / "prompts" / "v1")
    words = catalogue_words(prompts, code)
    named: set[str] = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        named |= {key for key in KEY_USE.findall(text) if "{" not in key}
        named |= set(SECTION_USE.findall(text))
    assert {"slack.claimed", "inbox.has_chat", "admin.statuses"} <= named
    top = set(prompts.catalogue("reps.yaml"))
    missing = [key for key in sorted(named) if key.split(".")[0] in top and not _has(words, key)]
    assert missing == []


def _has(words: TeamWords, key: str) -> bool:
    found: object = words.texts
    for part in key.split("."):
        if not isinstance(found, dict) or part not in found:
            return False
        found = found[part]
    return True
