"""'Email me this transcript' end to end: the real app over HTTP sends the transcript to a
real SMTP server on 127.0.0.1 (aiosmtpd). What arrives, retries on 4xx, a clear failure on
5xx, the rate limits, bad addresses, the feature off without a mail server, the audit line,
and the settings that describe the mail server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import ValidationError

from agent.config import Settings
from agent.mail import MailNotSent, SmtpMailer, SmtpServer
from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.smtp_server import SmtpServer as LocalSmtp
from tests.smtp_server import smtp_server  # noqa: F401
from tests.test_web_api import ADMIN, make_settings, parse_events, send

FROM = "Beacon <chat@beacon.example>"
CHAT = (
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "My email is dana@northwind.io",
)
NOTE = "Internal: ask finance about the discount"


def mail_settings(tmp_path: Path, smtp: LocalSmtp, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "smtp_url": smtp.url,
        "mail_from": FROM,
        "mail_reply_to": "sales@beacon.example",
    }
    return make_settings(tmp_path, **(values | overrides))


@pytest.fixture
def server(tmp_path: Path, smtp_server: LocalSmtp) -> Iterator[ThreadedServer]:  # noqa: F811
    with ThreadedServer(create_app(mail_settings(tmp_path, smtp_server))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        yield http


async def chat(client: httpx.AsyncClient, *texts: str) -> str:
    created = await client.post("/api/conversations", json={"context": {"time_zone": "Asia/Tokyo"}})
    token: str = created.json()["token"]
    for text in texts:
        assert parse_events((await send(client, token, text)).text)[-1][0] == "reply"
    return token


def email_to(client: httpx.AsyncClient, token: str, address: str) -> Any:
    return client.post(f"/api/conversations/{token}/transcript-email", json={"email": address})


async def test_transcript_arrives_with_what_the_prospect_saw_only(
    client: httpx.AsyncClient,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    token = await chat(client, *CHAT)
    conversation = (await client.get(f"/api/conversations/{token}")).json()
    history, lead_id = conversation["messages"], conversation["conversation_id"]
    note = await client.post(
        f"/api/admin/leads/{lead_id}/notes", json={"text": NOTE}, headers=ADMIN
    )
    assert note.status_code == 201
    owner = await client.patch(
        f"/api/admin/leads/{lead_id}", json={"owner": "kim.rep"}, headers=ADMIN
    )
    assert owner.status_code == 200
    lead = (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).json()

    # The widget offers the address the prospect gave in the chat.
    offer = await client.get(f"/api/conversations/{token}/transcript-email")
    assert offer.json() == {"email": "dana@northwind.io"}

    answer = await email_to(client, token, "  Dana@Northwind.io ")
    assert answer.status_code == 200, answer.text
    assert answer.json()["sent"] is True
    assert answer.json()["message"].startswith("Sent to Dana@northwind.io.")
    [mail] = smtp_server.received
    assert mail.recipients == ["Dana@northwind.io"]
    assert mail.sender == "chat@beacon.example"
    assert mail.message["Subject"] == "Your conversation with Beacon"
    assert mail.message["From"] == FROM
    assert mail.message["Reply-To"] == "sales@beacon.example"
    text, html = mail.part("plain"), mail.part("html")
    for message in history:
        assert message["text"] in text
        assert str(escape_html(message["text"])) in html
    # Each message with its time in the prospect's time zone (Tokyo, from the widget).
    first = datetime.fromisoformat(history[0]["created_at"]).astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{first:%H:%M}" in text and "Asia/Tokyo" in text
    assert text.count("You · ") == len(CHAT)
    assert text.count("Beacon assistant · ") == len(history) - len(CHAT)
    # Nothing internal: no note, score, segment, tags or extracted fields.
    for body in (text, html):
        assert NOTE not in body
        assert not re.search(r"\b(score|segment|hot|warm|cold|tags?)\b", body, re.IGNORECASE)
        internals = [*lead["segment"]["tags"], lead["segment"]["follow_up_label"], "kim.rep"]
        for internal in internals:
            assert internal not in body
    # The lead's audit line: when, and that the prospect did it; not the address.
    audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
    assert (audit[0]["actor"], audit[0]["action"], audit[0]["subject"]) == (
        "prospect",
        "email_transcript",
        lead_id,
    )
    assert "northwind" not in str(audit)


def escape_html(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


async def test_markup_in_a_message_is_escaped_in_the_html_part(
    client: httpx.AsyncClient,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    token = await chat(client, "<img src=x onerror=alert(1)> & <b>bold</b>")
    assert (await email_to(client, token, "dana@northwind.io")).status_code == 200
    html = smtp_server.received[0].part("html")
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


async def test_a_temporary_refusal_is_retried_and_sent(
    client: httpx.AsyncClient,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    token = await chat(client, CHAT[0])
    smtp_server.answer("451 4.3.0 Try again later")
    answer = await email_to(client, token, "dana@northwind.io")
    assert answer.status_code == 200, answer.text
    assert smtp_server.handler.data_commands == 2
    assert len(smtp_server.received) == 1


async def test_a_permanent_refusal_says_so_and_nothing_is_claimed(
    client: httpx.AsyncClient,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    token = await chat(client, CHAT[0])
    smtp_server.answer("550 5.1.1 No such user")
    answer = await email_to(client, token, "nobody@northwind.io")
    assert answer.status_code == 502
    body = answer.json()
    assert body["error"] == "transcript_not_sent"
    assert body["message"].startswith("The transcript wasn't sent")
    assert "sent" not in body or body.get("sent") is not True
    assert smtp_server.handler.data_commands == 1  # a 5xx is not tried again
    assert smtp_server.received == []
    audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
    assert [a for a in audit if a["action"] == "email_transcript"] == []


async def test_a_server_that_keeps_refusing_for_now_is_a_503(
    client: httpx.AsyncClient,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    token = await chat(client, CHAT[0])
    smtp_server.answer(*["421 4.7.0 Busy"] * 3)
    answer = await email_to(client, token, "dana@northwind.io")
    assert answer.status_code == 503
    assert answer.json()["message"].startswith("The transcript wasn't sent")
    assert answer.headers["Retry-After"] == "60"
    assert smtp_server.handler.data_commands == 3
    assert smtp_server.received == []


@pytest.mark.parametrize(
    "address",
    ["", "dana", "dana@", "@northwind.io", "dana@northwind", "a b@c.io", "x" * 250 + "@a.io"],
)
async def test_invalid_addresses_are_refused_before_sending(
    client: httpx.AsyncClient,
    smtp_server: LocalSmtp,  # noqa: F811
    address: str,
) -> None:
    token = await chat(client)
    answer = await email_to(client, token, address)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_email"
    assert answer.json()["message"] == "Please enter a valid email address, like name@example.com."
    assert smtp_server.handler.data_commands == 0


async def test_three_transcripts_an_hour_per_conversation(
    client: httpx.AsyncClient,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    token = await chat(client)
    # An address that is refused as invalid does not use up the allowance.
    assert (await email_to(client, token, "nope")).status_code == 422
    for n in range(3):
        assert (await email_to(client, token, f"dana{n}@northwind.io")).status_code == 200
    refused = await email_to(client, token, "dana9@northwind.io")
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_transcripts"
    assert int(refused.headers["Retry-After"]) > 0
    assert len(smtp_server.received) == 3
    # Another conversation has its own allowance.
    other = await chat(client)
    assert (await email_to(client, other, "dana@northwind.io")).status_code == 200


async def test_per_address_limit_across_conversations(
    tmp_path: Path,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    settings = mail_settings(tmp_path, smtp_server, transcript_email_ip_limit="2/hour")
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=60) as client:
            answers = [await email_to(client, await chat(client), "d@n.io") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert len(smtp_server.received) == 2


async def test_a_forged_token_is_refused(client: httpx.AsyncClient) -> None:
    answer = await email_to(client, "not-a-token", "dana@northwind.io")
    assert answer.status_code == 403


async def test_off_without_a_mail_server(tmp_path: Path) -> None:
    with ThreadedServer(create_app(make_settings(tmp_path))) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=60) as client:
            config = (await client.get("/api/widget-config")).json()
            token = await chat(client)
            sent = await email_to(client, token, "dana@northwind.io")
            offer = await client.get(f"/api/conversations/{token}/transcript-email")
    assert config["transcript_email"] is None
    assert sent.status_code == 404 and offer.status_code == 404
    assert sent.json() == {
        "error": "transcript_email_off",
        "message": "Emailing transcripts is not available here.",
    }


async def test_widget_config_carries_the_texts_when_on(client: httpx.AsyncClient) -> None:
    texts = (await client.get("/api/widget-config")).json()["transcript_email"]
    assert texts["button"] == "Email me this transcript"
    assert texts["address_label"] == "Your email address"


async def test_required_starttls_refuses_a_server_without_it(
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    mailer = SmtpMailer(SmtpServer.from_url(smtp_server.url), require_starttls=True)
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.io", "c@d.io", "hi"
    message.set_content("hello")
    with pytest.raises(MailNotSent) as refused:
        await mailer.send(message)
    assert refused.value.temporary is False
    assert smtp_server.received == []
    # Without the requirement the same server takes it (no STARTTLS offered, none used).
    await SmtpMailer(SmtpServer.from_url(smtp_server.url)).send(message)
    assert len(smtp_server.received) == 1


async def test_an_unreachable_server_is_temporary(caplog: pytest.LogCaptureFixture) -> None:
    from email.message import EmailMessage

    from tests.servers import free_port

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.io", "c@d.io", "hi"
    message.set_content("hello")
    mailer = SmtpMailer(
        SmtpServer.from_url(f"smtp://mailer:hunter2-pw@127.0.0.1:{free_port()}"),
        attempts=2,
        backoff=0.01,
    )
    with caplog.at_level("DEBUG"), pytest.raises(MailNotSent) as failed:
        await mailer.send(message)
    assert failed.value.temporary is True
    assert "sending mail through 127.0.0.1" in caplog.text  # the retry was logged
    for secret in ("hunter2-pw", "mailer"):
        assert secret not in caplog.text and secret not in str(failed.value)


def test_smtp_url_settings() -> None:
    server = SmtpServer.from_url("smtps://user%40x:p%3Ass@mail.example.com")
    assert (server.host, server.port, server.implicit_tls) == ("mail.example.com", 465, True)
    assert (server.username, server.password) == ("user@x", "p:ss")
    assert "p:ss" not in repr(server) and "user@x" not in repr(server)
    assert SmtpServer.from_url("smtp://mail.example.com").port == 587
    for url, problem in [
        ("http://mail.example.com", "must start with smtp:// or smtps://"),
        ("smtp://user:secret-pw@:25", "names no host"),
    ]:
        with pytest.raises(ValidationError) as refused:
            Settings(_env_file=None, smtp_url=url, mail_from=FROM)
        assert problem in str(refused.value)
        assert "secret-pw" not in str(refused.value)
    with pytest.raises(ValidationError, match="QUALIFY_MAIL_FROM is required"):
        Settings(_env_file=None, smtp_url="smtp://mail.example.com")
    with pytest.raises(ValidationError, match="must be an email address"):
        Settings(_env_file=None, smtp_url="smtp://mail.example.com", mail_from="beacon")


async def test_sent_and_recorded_on_both_backends(
    tmp_path: Path,
    database_url: str,
    smtp_server: LocalSmtp,  # noqa: F811
) -> None:
    settings = mail_settings(tmp_path, smtp_server, database_url=database_url)
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=60) as client:
            token = await chat(client, *CHAT)
            lead_id = (await client.get(f"/api/conversations/{token}")).json()["conversation_id"]
            offer = (await client.get(f"/api/conversations/{token}/transcript-email")).json()
            sent = await email_to(client, token, offer["email"])
            audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
    assert sent.status_code == 200, sent.text
    [mail] = smtp_server.received
    assert mail.recipients == ["dana@northwind.io"]
    assert all(text in mail.part("plain") for text in CHAT)
    assert [(a["action"], a["subject"]) for a in audit] == [("email_transcript", lead_id)]
