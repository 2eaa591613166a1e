"""Reps read leads in the team's language (the playbook's ``team_language``): the Slack
handoff card and the dashboard's leads list and lead page, labels and values alike, while
the prospect's quotes stay in their own words."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from babel.numbers import format_currency

from agent.engine import Engine
from agent.handoff import build_payload
from agent.notify import HandoffDispatcher
from agent.playbook import Playbook, parse_playbook
from agent.prompts import PromptSet
from agent.resources import default_playbook_path
from agent.sql_store import SQLStore
from agent.store import HandoffRecord
from agent.team_words import catalogue_words, english, team_language_gaps, team_words
from channels.slack.blocks import CLAIM, NOT_A_FIT, OPEN_TRANSCRIPT, handoff_blocks
from channels.slack.notifier import SlackNotifier, build_client
from channels.slack.runtime import build_summarizer
from channels.web.app import create_app
from tests.conftest import EngineFactory
from tests.servers import ThreadedServer
from tests.slack_server import FakeSlack
from tests.test_cli import run
from tests.test_dashboard_pages import KEY, lead, seed, settings_for
from tests.test_slack_handoff import (
    HOT,
    Later,
    dispatcher,
    fake_slack,
    hot_lead,
    slack_settings,
)

__all__ = ["fake_slack"]


def playbook_text(team_language: str) -> str:
    data = yaml.safe_load(default_playbook_path().read_text(encoding="utf-8"))
    data["team_language"] = team_language
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def german() -> Playbook:
    return parse_playbook(playbook_text("de"), "beacon-de.yaml")


def _card(slack: FakeSlack) -> tuple[list[dict[str, Any]], str, str]:
    [call] = slack.calls_to("chat.postMessage")
    blocks: list[dict[str, Any]] = call.params["blocks"]
    return blocks, json.dumps(blocks, ensure_ascii=False), str(call.params["text"])


async def test_the_slack_card_of_a_hot_lead_reads_in_german_with_the_prospects_quotes(
    make_engine: EngineFactory,
    store: SQLStore,
    slack: FakeSlack,
    tmp_path: Path,
    german: Playbook,
) -> None:
    engine = await make_engine(playbook=german)
    conversation_id = await hot_lead(engine)
    settings = slack_settings(slack, tmp_path)
    posting = HandoffDispatcher(
        engine,
        store,
        SlackNotifier(build_client(settings)),
        build_summarizer(settings, engine),
        dashboard_url=settings.public_url,
        clock=Later(),
    )
    assert await posting.run_once() == 1
    blocks, everything, text = _card(slack)

    sixty = format_currency(60000, "USD", format="#,##0\xa0¤", locale="de", currency_digits=False)
    assert sixty == "60.000\xa0$"
    assert blocks[0]["text"]["text"] == "Heißer Lead"
    # The summary written without a model, from the recorded facts, is in German too.
    assert blocks[1]["text"]["text"] == (
        f"Ein Interessent: VP of Product, {sixty}/Jahr, möchte Analyse von Kundenbindung und "
        "Abwanderung, Funnel- und Conversion-Analyse.\nNoch unbekannt: Zeitplan."
    )
    assert text.startswith("Heißer Lead (Score 80, heiß)")
    fields = [field["text"] for field in blocks[2]["fields"]]
    assert fields[0] == f'*Budget:* {sixty}/Jahr\n> "{HOT[1]}"'
    assert fields[1] == f'*Entscheidungsbefugnis:* VP of Product (Entscheider)\n> "{HOT[2]}"'
    assert fields[2].startswith(
        "*Bedarf:* Analyse von Kundenbindung und Abwanderung, "
        "Funnel- und Conversion-Analyse (Passung: hoch)\n> "
    )
    assert fields[3] == "*Zeitplan:* unbekannt"
    # The prospect's words stay as they wrote them.
    for said in HOT:
        assert said in everything
    assert "*Score 80* · heiß" in everything
    context = [element["text"] for element in blocks[-2]["elements"]]
    assert context[0] == "Noch nicht übernommen"
    assert context[1].startswith(":white_circle: Abwesend")
    assert "zuletzt geschrieben" in context[1]
    assert "Gespräch auf Englisch" in context
    buttons = {element["action_id"]: element for element in blocks[-1]["elements"]}
    assert buttons[CLAIM]["text"]["text"] == "Übernehmen"
    assert buttons[NOT_A_FIT]["text"]["text"] == "Passt nicht"
    assert buttons[OPEN_TRANSCRIPT]["text"]["text"] == "Verlauf öffnen"
    for english_word in ("Budget:* $", "Authority", "Not claimed yet", "Claim", "unknown"):
        assert english_word not in everything
    assert (await store.get_handoff(conversation_id)) is not None


async def test_the_reminder_in_the_thread_is_in_the_team_language(
    make_engine: EngineFactory,
    store: SQLStore,
    slack: FakeSlack,
    tmp_path: Path,
    german: Playbook,
) -> None:
    engine = await make_engine(playbook=german)
    await hot_lead(engine)
    clock = Later()
    posting = dispatcher(engine, store, slack, tmp_path, clock)
    assert await posting.run_once() == 1
    clock.now = datetime(2026, 11, 24, 9, 20, tzinfo=UTC)  # 20 minutes after the handoff
    assert await posting.remind_unclaimed(timedelta(minutes=10)) == 1
    [reminder] = [c.params for c in slack.calls_to("chat.postMessage") if "thread_ts" in c.params]
    assert reminder["text"] == "Seit 10 Minuten hat niemand diesen Lead übernommen."


async def test_a_claimed_card_and_its_tags_read_in_the_team_language(
    make_engine: EngineFactory, german: Playbook, prompts: PromptSet
) -> None:
    engine: Engine = await make_engine(playbook=german)
    conversation_id = await hot_lead(engine)
    found = await engine.store.get_conversation(conversation_id)
    assert found is not None
    breakdown, segment = engine.evaluate_conversation(found)
    handoff = HandoffRecord(
        conversation_id=conversation_id,
        reason="requested_human",
        channel="#sales",
        status="posted",
        claimed_by="U123",
        created_at=found.created_at,
        updated_at=found.created_at,
        next_attempt_at=found.created_at,
    )
    payload = build_payload(
        found,
        await engine.store.messages(conversation_id),
        breakdown,
        segment,
        german,
        reason="requested_human",
        channel="#sales",
        summary="",
        handoff=handoff,
        words=team_words(prompts, german),
    )
    assert payload.title == "Möchte mit einer Person sprechen"
    assert payload.text().splitlines()[2] == "Übernommen"
    everything = json.dumps(handoff_blocks(payload), ensure_ascii=False)
    assert ":raising_hand: Übernommen von <@U123>" in everything
    assert '"Freigeben"' in everything
    assert all("interested in" not in tag for tag in payload.tags)


def test_words_fall_back_to_english_without_a_catalogue(prompts: PromptSet) -> None:
    italian = parse_playbook(playbook_text("it"), "beacon-it.yaml")
    words = team_words(prompts, italian)
    assert words.language == "en"
    assert words.text("card.claim") == "Claim"
    assert words.money(60000) == "$60,000"
    german_words = team_words(prompts, parse_playbook(playbook_text("de")))
    assert german_words.industry("ecommerce") == "E-Commerce"
    assert german_words.industry("healthcare") == "Gesundheitswesen"
    assert german_words.need("warehouse sync") == "Synchronisierung mit dem Data Warehouse"
    english_words = team_words(prompts, parse_playbook(playbook_text("en")))
    assert english_words == english() == catalogue_words(prompts, "en")
    assert english_words.need("warehouse sync") == "warehouse sync"


@pytest.mark.parametrize(
    ("code", "claim", "money", "need"),
    [
        ("es", "Atender", "60.000\xa0US$", "análisis de retención y abandono"),
        ("fr", "Prendre en charge", "60\u202f000\xa0$US", "l'analyse de la rétention et du churn"),
        ("pt", "Assumir", "US$\xa060.000", "análise de retenção e churn"),
    ],
)
def test_every_shipped_team_language_has_its_card_words(
    prompts: PromptSet, code: str, claim: str, money: str, need: str
) -> None:
    words = team_words(prompts, parse_playbook(playbook_text(code)))
    assert words.language == code
    assert words.text("card.claim") == claim
    assert words.money(60000) == money
    assert words.need("retention and churn analysis") == need


@pytest.fixture
def german_server(tmp_path: Path) -> Iterator[ThreadedServer]:
    path = tmp_path / "beacon-de.yaml"
    path.write_text(playbook_text("de"), encoding="utf-8")
    settings = settings_for(tmp_path).model_copy(update={"playbook": path})
    with ThreadedServer(create_app(settings)) as running:
        yield running


async def test_the_dashboard_shows_a_lead_in_german_over_http(
    tmp_path: Path, german_server: ThreadedServer
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
    async with httpx.AsyncClient(base_url=german_server.url, timeout=30) as client:
        signed_in = await client.post("/admin/login", data={"key": KEY})
        assert signed_in.status_code == 303
        page = await client.get(f"/admin/leads/{rich.id}")
        listed = await client.get("/admin")
    assert page.status_code == 200 and listed.status_code == 200
    html = page.text
    assert '<html lang="de">' in html
    fifty = "50.000\xa0$"
    for shown in (
        "<h2>Was wir erfahren haben</h2>",
        "<th>Angabe</th><th>Wert</th><th>Ihre Worte</th>",
        f"<td>Budget</td><td>{fifty} pro Jahr (gesagt: „about 50k“)</td>",
        "<td>Entscheidungsbefugnis</td><td>Head of Marketing (Entscheider)</td>",
        "<td>Bedarf</td><td>Social-Media-Management – passt nicht</td>",
        "<td>Zeitplan</td><td>etwa 3 Monate</td>",
        "<td>Branche</td><td>SaaS</td>",
        "<td>Möchte mit einer Person sprechen</td><td>Ja</td>",
        "Bedarf geändert von Produktanalyse – passt gut zu Social-Media-Management – passt nicht",
        "Nächster Schritt: <strong>Nurturing: product proof</strong>",
        "Übergabe: Heißer Lead",
        "60 (heiß ≥ 75) Punkte",
        ">Warm</span>",
        "<h2>Gesprächsverlauf</h2>",
        "Status speichern",
        "← Alle Leads",
    ):
        assert shown in html, shown
    # The prospect's words stay as they said them.
    assert "“I run marketing”" in html and "We need better reporting" in html
    # What the playbook words itself (a scoring rule's label) is shown as written.
    assert "+30 Budget of $50,000+ per year" in html
    for english_word in ("What we learned", "a year", "decision maker", "Save status"):
        assert english_word not in html
    body = listed.text
    assert '<html lang="de">' in body
    for shown in (
        "<th>Unternehmen</th>",
        "<th>Rolle</th>",
        "<th>Bedarf</th>",
        "Letzte Nachricht",
        "Head of Marketing (Entscheider)",
        "Social-Media-Management – passt nicht",
        "Übergabe an den Vertrieb",
        ">heiß</option>",
    ):
        assert shown in body, shown
    assert "<th>Company</th>" not in body


def test_playbook_check_notes_what_reps_will_not_read_in_the_team_language(
    tmp_path: Path,
) -> None:
    path = tmp_path / "italian-team.yaml"
    path.write_text(playbook_text("it"), encoding="utf-8")
    checked = run("playbook", "check", str(path), data_dir=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "note team_language it: there is no v1/it/reps.yaml, so reps read English" in (
        checked.stdout
    )
    path.write_text(playbook_text("de"), encoding="utf-8")
    checked = run("playbook", "check", str(path), data_dir=tmp_path)
    assert checked.returncode == 0
    assert not [line for line in checked.stdout.splitlines() if line.startswith("note")]


def test_team_language_gaps_name_missing_texts_and_untranslated_needs(
    tmp_path: Path, prompts: PromptSet
) -> None:
    folder = tmp_path / "v9"
    shutil.copytree(prompts.folder, folder)
    german = yaml.safe_load((folder / "de" / "reps.yaml").read_text(encoding="utf-8"))
    del german["card"]["claim"]
    (folder / "de" / "reps.yaml").write_text(yaml.safe_dump(german), encoding="utf-8")
    data = yaml.safe_load(playbook_text("de"))
    data["languages"] = ["en"]
    data.pop("translations")
    playbook = parse_playbook(yaml.safe_dump(data))
    assert team_language_gaps(playbook, PromptSet(folder)) == [
        "team_language de: de/reps.yaml: card.claim missing (shown in English)",
        "team_language de is not in languages: the names of needs are shown as the playbook "
        "writes them (translations.<language>.needs)",
    ]
    words = team_words(PromptSet(folder), playbook)
    assert words.text("card.claim") == "Claim"
    assert words.text("card.release") == "Freigeben"
