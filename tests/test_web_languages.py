"""The widget API in the prospect's language, over real HTTP: the widget's hints pick the
starting language, a bad hint is dropped with its reason, replies carry the language, and
the fixed texts (the widget's, an error's) are in it."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.prompts import PromptSet
from channels.web.app import create_app
from knowledge.ingest import ingest_shipped
from tests.servers import ThreadedServer
from tests.smtp_server import SmtpServer as LocalSmtp
from tests.smtp_server import smtp_server  # noqa: F401
from tests.test_transcript_email import mail_settings
from tests.test_web_api import make_settings, parse_events, send

SERVED = {"en", "de", "es", "fr", "pt"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(make_settings(tmp_path))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


async def start(client: httpx.AsyncClient, **hints: Any) -> dict[str, Any]:
    response = await client.post("/api/conversations", json={"language": hints})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("hints", "language"),
    [
        ({}, "en"),
        ({"page": "de"}, "de"),
        ({"browser": "fr-FR,fr,en", "page": "de"}, "fr"),
        ({"browser": "ja-JP,pt-BR,en", "page": "de"}, "pt"),  # the first one served
        ({"browser": "ja-JP", "page": "es-MX"}, "es"),
        ({"forced": "fr", "browser": "de-DE", "page": "es"}, "fr"),
        ({"forced": "ja", "browser": "de-DE"}, "de"),  # forcing an unserved one does nothing
    ],
)
async def test_hints_pick_the_starting_language(
    client: httpx.AsyncClient, hints: dict[str, str], language: str
) -> None:
    created = await start(client, **hints)
    assert created["language"] == language
    assert created["context_dropped"] == []
    config = await client.get("/api/widget-config", params=_query(hints))
    assert config.json()["language"] == language
    history = (await client.get(f"/api/conversations/{created['token']}")).json()
    assert history["language"] == language


def _query(hints: dict[str, str]) -> dict[str, str]:
    return {"lang" if key == "forced" else key: value for key, value in hints.items()}


async def test_a_german_page_gets_a_german_greeting(client: httpx.AsyncClient) -> None:
    created = await start(client, page="de")
    assert created["messages"][0]["text"].startswith("Hallo!")


async def test_bad_hints_are_dropped_with_their_reasons(client: httpx.AsyncClient) -> None:
    created = await start(
        client, forced="<script>", browser="x" * 50 + ",;;", page="de-" + "a" * 40
    )
    assert created["language"] == "en"
    assert created["context_dropped"] == [
        "language.forced: not a language tag (like de or pt-BR)",
        "language.page: longer than 35 characters",
        "language.browser: longer than 35 characters",
    ]
    # However long, a hint is dropped, not refused.
    long = await start(client, page="x" * 5000, browser="de," + "y" * 5000)
    assert long["language"] == "de"
    assert long["context_dropped"] == ["language.page: longer than 35 characters"]
    config = await client.get("/api/widget-config", params={"page": "x" * 3000})
    assert config.status_code == 200 and config.json()["language"] == "en"
    # One bad hint does not cost the good ones.
    mixed = await start(client, forced="12", browser="nonsense!,es-ES")
    assert mixed["language"] == "es"
    assert mixed["context_dropped"] == ["language.forced: not a language tag (like de or pt-BR)"]


async def test_hints_that_are_not_strings_are_refused_clearly(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/conversations", json={"language": {"page": 5}})
    assert response.status_code == 422
    assert "page" in response.text


async def test_widget_config_has_the_texts_of_every_served_language(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/widget-config", params={"page": "de"})
    assert response.headers["cache-control"] == "public, max-age=300"
    config = response.json()
    prompts = PromptSet(Path("prompts/v1"))
    english = prompts.catalogue("widget.yaml")
    assert set(config["texts"]) == SERVED
    for texts in config["texts"].values():
        assert set(english) <= set(texts)
    german = config["texts"]["de"]
    assert german["placeholder"] == "Ihre Nachricht …"
    assert german["human"] == "Mit einem Menschen sprechen"
    assert german["launcher"] == "Mit {{ title }} chatten"  # the widget fills in its title
    assert german["handoff_email_note_when"].endswith(
        "meldet sich innerhalb eines Werktags per E-Mail bei Ihnen."
    )
    assert config["response_time"] == "innerhalb eines Werktags"


async def test_a_configured_privacy_text_is_kept_in_every_language(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, privacy_text="We keep chats for 30 days.")
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            config = (await client.get("/api/widget-config")).json()
    assert {texts["privacy_text"] for texts in config["texts"].values()} == {
        "We keep chats for 30 days."
    }


async def test_replies_carry_the_language_and_follow_a_switch(client: httpx.AsyncClient) -> None:
    token = (await start(client, browser="en-US"))["token"]
    english = parse_events((await send(client, token, "We need funnel analysis for our team")).text)
    assert english[-1][0] == "reply" and english[-1][1]["language"] == "en"
    spanish = parse_events(
        (
            await send(
                client, token, "Necesitamos entender por qué nuestros clientes abandonan el carrito"
            )
        ).text
    )
    assert spanish[-1][1]["language"] == "es"
    history = (await client.get(f"/api/conversations/{token}")).json()
    assert history["language"] == "es"


async def test_a_german_product_question_is_answered_from_the_german_documents_over_http(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)
    ingest_shipped(settings)  # what `qualify serve` does on a first start
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            token = (await start(http, page="de"))["token"]
            events = parse_events((await send(http, token, "Was kostet Beacon?")).text)
    reply = events[-1][1]
    answer, question = reply["message"]["parts"]
    assert reply["language"] == "de"
    assert "pro Jahr" in answer and "Preise" in answer
    assert answer.endswith("https://beacon.example.com/docs/pricing)")
    assert "per year" not in answer and "Pricing" not in answer
    assert question.endswith("?")


async def test_a_failed_turn_is_said_in_german_to_a_german_conversation(tmp_path: Path) -> None:
    with ThreadedServer(create_app(make_settings(tmp_path))) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            token = (await start(client, page="de"))["token"]
            with sqlite3.connect(tmp_path / "qualify.db") as db:
                db.execute("ALTER TABLE messages RENAME TO messages_away")
            failed = parse_events((await send(client, token, "Wir brauchen Dashboards")).text)
            with sqlite3.connect(tmp_path / "qualify.db") as db:
                db.execute("ALTER TABLE messages_away RENAME TO messages")
    assert [name for name, _ in failed] == ["error"]
    error = failed[0][1]
    assert error["saved"] is False
    assert error["language"] == "de"
    assert error["message"] == PromptSet(Path("prompts/v1")).message(
        "turn_failed_unsaved", language="de"
    )
    assert "Nachricht wurde nicht" in error["message"]


async def test_a_german_conversation_gets_its_transcript_email_in_german(
    tmp_path: Path,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    settings = mail_settings(tmp_path, smtp_server)
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            config = (await client.get("/api/widget-config", params={"page": "de"})).json()
            assert config["texts"]["de"]["mail"]["button"] == PromptSet(Path("prompts/v1")).message(
                "transcript_button", language="de"
            )
            token = (await start(client, page="de"))["token"]
            events = parse_events((await send(client, token, "Wir brauchen Dashboards")).text)
            assert events[-1][0] == "reply"
            path = f"/api/conversations/{token}/transcript-email"
            bad = await client.post(path, json={"email": "nicht-gültig"})
            assert bad.status_code == 422
            assert bad.json()["message"].startswith("Bitte geben Sie eine gültige E-Mail-Adresse")
            sent = await client.post(path, json={"email": "dana@northwind.io"})
            assert sent.status_code == 200, sent.text
            assert sent.json()["message"].startswith("An dana@northwind.io gesendet.")
    [mail] = smtp_server.received
    assert mail.message["Subject"] == "Ihr Gespräch mit Beacon"
    text = mail.part("plain")
    assert "Sie · " in text and "Wir brauchen Dashboards" in text
