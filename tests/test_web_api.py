"""The web API over real HTTP: widget endpoints, streaming, bad input, admin API."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.config import Settings
from channels.web.app import create_app
from knowledge.ingest import ingest_shipped
from tests.openai_server import FakeOpenAIServer
from tests.servers import ThreadedServer

ADMIN = {"Authorization": "Bearer test-admin-key-0123456789"}


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "admin_api_key": "test-admin-key-0123456789",
        "secret_key": "test-secret",
        "rate_limit_ip": "10000/minute",
        "rate_limit_conversation": "10000/minute",
        "max_message_chars": 4000,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(make_settings(tmp_path))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


def parse_events(body: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((lines["event"], json.loads(lines["data"])))
    return events


async def send(client: httpx.AsyncClient, token: str, text: str, **extra: Any) -> httpx.Response:
    return await client.post(f"/api/conversations/{token}/messages", json={"text": text, **extra})


async def start(client: httpx.AsyncClient) -> str:
    response = await client.post("/api/conversations", json={})
    assert response.status_code == 201
    token: str = response.json()["token"]
    return token


async def test_conversation_streams_a_reply_and_resumes(client: httpx.AsyncClient) -> None:
    created = await client.post("/api/conversations", json={})
    body = created.json()
    assert body["messages"][0]["role"] == "assistant"
    token = body["token"]
    assert body["conversation_id"] in token and len(token) > 60

    response = await send(client, token, "We need funnel analysis", client_id="c-1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "stored" and names[-1] == "reply"
    assert events[0][1]["client_id"] == "c-1"
    deltas = "".join(data["text"] for name, data in events if name == "delta")
    reply = events[-1][1]
    assert deltas == reply["message"]["text"]
    assert reply["asking"] == "budget"
    assert reply["quick_replies"]

    history = (await client.get(f"/api/conversations/{token}")).json()
    assert [m["role"] for m in history["messages"]] == ["assistant", "prospect", "assistant"]
    assert history["messages"][1]["text"] == "We need funnel analysis"
    assert history["asking"] == "budget"
    assert history["quick_replies"] == reply["quick_replies"]
    assert history["handoff"] is False


async def test_hot_lead_handoff_over_http(client: httpx.AsyncClient) -> None:
    token = await start(client)
    messages = [
        "We need to understand churn and fix our checkout funnel",
        "About $60k a year",
        "I'm the VP of Product and I own the budget",
        "Next quarter",
    ]
    replies = [parse_events((await send(client, token, text)).text)[-1][1] for text in messages]
    # Strong fit 25 + $60k 30 + decision maker 25 = 80: hot after the third message.
    assert [r["handoff"] for r in replies] == [False, False, True, False]
    assert replies[2]["asking"] == "contact"
    leads = (await client.get("/api/admin/leads", headers=ADMIN)).json()
    assert leads["total"] == 1
    assert leads["leads"][0]["segment"] == "hot"
    assert leads["leads"][0]["handoff_reason"] == "hot_lead"


async def test_talk_to_a_person_button(client: httpx.AsyncClient) -> None:
    token = await start(client)
    events = parse_events((await send(client, token, "Hello", intent="human")).text)
    assert events[-1][1]["handoff"] is False  # a stranger is first asked what it is about
    events = parse_events((await send(client, token, "Our checkout funnel leaks")).text)
    assert events[-1][1]["handoff"] is True
    known = await start(client)
    said = parse_events(
        (await send(client, known, "We need funnel analytics", intent="human")).text
    )
    assert said[-1][1]["handoff"] is True


async def test_bad_input(client: httpx.AsyncClient) -> None:
    token = await start(client)
    too_long = await send(client, token, "x" * 4001)
    assert too_long.status_code == 413
    assert too_long.json()["error"] == "message_too_long"
    assert "4000" in too_long.json()["message"]
    empty = await send(client, token, "   \n ")
    assert empty.status_code == 422
    assert empty.json()["error"] == "empty_message"
    missing = await client.post(f"/api/conversations/{token}/messages", json={})
    assert missing.status_code == 422
    assert missing.json()["error"] == "invalid_request"
    not_json = await client.post(
        f"/api/conversations/{token}/messages",
        content=b"\xff\xfe not json",
        headers={"content-type": "application/json"},
    )
    assert not_json.status_code == 400
    assert not_json.json()["error"] == "bad_request"
    history = (await client.get(f"/api/conversations/{token}")).json()
    assert len(history["messages"]) == 1  # nothing stored half-way

    controls = parse_events((await send(client, token, "hi\u0000 there\u0007")).text)
    assert controls[-1][0] == "reply"
    history = (await client.get(f"/api/conversations/{token}")).json()
    assert history["messages"][1]["text"] == "hi there"


async def test_tokens_do_not_leak_existence(client: httpx.AsyncClient) -> None:
    token = await start(client)
    conversation_id, _, signature = token.rpartition(".")
    forged = f"{conversation_id}.{'0' * len(signature)}"
    unknown_but_forged = f"{'a' * 32}.{'0' * len(signature)}"
    for bad in (forged, unknown_but_forged, "garbage"):
        response = await client.get(f"/api/conversations/{bad}")
        assert response.status_code == 403
        assert response.json()["error"] == "invalid_token"
        assert (await send(client, bad, "hi")).status_code == 403
    # A genuine token whose conversation was erased: 404.
    assert (
        await client.delete(f"/api/admin/leads/{conversation_id}", headers=ADMIN)
    ).status_code == 204
    gone = await client.get(f"/api/conversations/{token}")
    assert gone.status_code == 404


async def test_admin_api_needs_the_key(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/admin/leads")).status_code == 401
    wrong = await client.get("/api/admin/leads", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert (
        await client.get("/api/admin/leads", headers={"X-API-Key": "test-admin-key-0123456789"})
    ).status_code == 200


async def test_admin_filters_detail_export_erase_rescore(client: httpx.AsyncClient) -> None:
    hot = await start(client)
    for text in ("We need churn analysis and funnels", "60k a year", "I'm the CEO", "ASAP"):
        await send(client, hot, text)
    cold = await start(client)
    await send(client, cold, '=HYPERLINK("http://evil") we need payroll software')
    await send(client, cold, "no budget")

    everything = (await client.get("/api/admin/leads?order_by=score", headers=ADMIN)).json()
    assert [lead["segment"] for lead in everything["leads"]] == ["hot", "cold"]
    only_hot = (await client.get("/api/admin/leads?segment=hot", headers=ADMIN)).json()
    assert only_hot["total"] == 1
    in_range = (
        await client.get("/api/admin/leads?min_score=-100&max_score=10", headers=ADMIN)
    ).json()
    assert [lead["segment"] for lead in in_range["leads"]] == ["cold"]

    lead_id = only_hot["leads"][0]["id"]
    detail = (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).json()
    assert detail["score"]["total"] == detail["lead"]["score"] == 100
    assert all(item["quote"] for item in detail["score"]["items"])
    assert detail["profile"]["budget"]["evidence"]["quote"]
    assert [m["role"] for m in detail["transcript"]][:2] == ["assistant", "prospect"]

    exported = await client.get("/api/admin/leads/export?format=csv", headers=ADMIN)
    assert exported.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {row["segment"] for row in rows} == {"hot", "cold"}
    as_json = (await client.get("/api/admin/leads/export?format=json", headers=ADMIN)).json()
    assert len(as_json) == 2

    rescored = (await client.post("/api/admin/rescore?dry_run=true", headers=ADMIN)).json()
    assert rescored == {"checked": 2, "changed": [], "dry_run": True}

    assert (await client.delete(f"/api/admin/leads/{lead_id}", headers=ADMIN)).status_code == 204
    assert (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).status_code == 404
    assert (await client.delete(f"/api/admin/leads/{lead_id}", headers=ADMIN)).status_code == 404


async def test_rate_limits(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, rate_limit_ip="1000/minute", rate_limit_conversation="3/minute"
    )
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            token = await start(client)
            statuses = [(await send(client, token, f"hello {i}")).status_code for i in range(4)]
            assert statuses == [200, 200, 200, 429]
            limited = await send(client, token, "again")
            assert limited.status_code == 429
            assert int(limited.headers["retry-after"]) >= 1
            assert limited.json()["error"] == "rate_limited"
            # Another conversation from the same IP still works.
            other = await start(client)
            assert (await send(client, other, "hi")).status_code == 200


async def test_model_failure_mid_conversation_loses_nothing(
    tmp_path: Path, openai_server: FakeOpenAIServer
) -> None:
    settings = make_settings(
        tmp_path,
        model="openai:gpt-test",
        openai_base_url=openai_server.base_url,
        openai_api_key="k",
        openai_max_retries=0,
    )
    openai_server.reply_tool_call(
        "update_lead", {"need": {"fit": "strong", "use_cases": ["funnels"]}}, content="Great."
    )
    openai_server.fail(status=500, times=5)
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            token = await start(client)
            first = parse_events((await send(client, token, "We need funnel analytics")).text)
            assert first[-1][1]["message"]["text"].startswith("Great.")
            second = parse_events((await send(client, token, "About 40k a year")).text)
            assert second[-1][0] == "reply"  # the offline model answered instead
            history = (await client.get(f"/api/conversations/{token}")).json()
            texts = [m["text"] for m in history["messages"] if m["role"] == "prospect"]
            assert texts == ["We need funnel analytics", "About 40k a year"]
            lead = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"][0]
            assert lead["score"] == 45  # strong fit (LLM) + 40k budget (offline fallback)


async def test_database_failure_gives_a_friendly_error_and_retry_works(
    tmp_path: Path,
) -> None:
    with ThreadedServer(create_app(make_settings(tmp_path))) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            token = await start(client)
            with sqlite3.connect(tmp_path / "qualify.db") as db:
                db.execute("ALTER TABLE messages RENAME TO messages_away")
            failed = parse_events((await send(client, token, "We need dashboards")).text)
            assert [name for name, _ in failed] == ["error"]
            assert failed[0][1]["saved"] is False
            assert "wasn't saved" in failed[0][1]["message"]
            assert "send it again" in failed[0][1]["message"]
            assert "Traceback" not in json.dumps(failed)
            with sqlite3.connect(tmp_path / "qualify.db") as db:
                db.execute("ALTER TABLE messages_away RENAME TO messages")
            retried = parse_events((await send(client, token, "We need dashboards")).text)
            assert retried[0][0] == "stored" and retried[-1][0] == "reply"


async def test_demo_page_widget_and_docs(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200
    assert "/widget.js" in page.text
    widget = await client.get("/widget.js")
    assert widget.status_code == 200
    assert widget.headers["content-type"].startswith("text/javascript")
    assert (await client.get("/docs")).status_code == 404  # QUALIFY_API_DOCS turns it on
    config = (await client.get("/api/widget-config")).json()
    assert config["title"] == "Beacon"


async def test_dashboard_login_headers_and_pages(client: httpx.AsyncClient) -> None:
    token = await start(client)
    await send(client, token, "<img src=x onerror=alert(1)>")
    await send(client, token, "we need funnel analysis")
    redirect = await client.get("/admin")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/admin/login"
    bad = await client.post("/admin/login", data={"key": "wrong"})
    assert bad.headers["location"] == "/admin/login?failed=true"
    good = await client.post("/admin/login", data={"key": "test-admin-key-0123456789"})
    assert good.status_code == 303
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = await client.get("/admin")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    lead_id = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"][0]["id"]
    lead = await client.get(f"/admin/leads/{lead_id}")
    assert lead.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in lead.text
    assert "<img src=x" not in lead.text
    assert "<svg" in lead.text and "Strong fit" in lead.text
    # Forms that change data need the CSRF token.
    refused = await client.post(f"/admin/leads/{lead_id}/erase", data={"csrf": "nope"})
    assert refused.status_code == 403


async def test_a_resent_message_is_stored_and_answered_once(client: httpx.AsyncClient) -> None:
    token = await start(client)
    first = parse_events(
        (await send(client, token, "We need funnel analysis", client_id="k1")).text
    )
    again = parse_events(
        (await send(client, token, "We need funnel analysis", client_id="k1")).text
    )
    assert [name for name, _ in again] == ["stored", "reply"]
    assert again[0][1]["id"] == first[0][1]["id"]
    assert again[-1][1]["message"]["text"] == first[-1][1]["message"]["text"]
    assert again[-1][1]["asking"] == first[-1][1]["asking"] == "budget"
    history = (await client.get(f"/api/conversations/{token}")).json()
    assert [m["role"] for m in history["messages"]] == ["assistant", "prospect", "assistant"]
    # The same client id in another conversation is another message.
    other = await start(client)
    fresh = parse_events(
        (await send(client, other, "We need funnel analysis", client_id="k1")).text
    )
    assert fresh[0][1]["id"] != first[0][1]["id"]


async def test_a_message_stored_but_not_answered_is_answered_on_resend(tmp_path: Path) -> None:
    with ThreadedServer(create_app(make_settings(tmp_path))) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            token = await start(client)
            with sqlite3.connect(tmp_path / "qualify.db") as db:
                # Replies can't be saved: the turn fails after the message is stored.
                db.execute(
                    "CREATE TRIGGER no_replies BEFORE INSERT ON messages "
                    "WHEN json_extract(NEW.data, '$.role') = 'assistant' "
                    "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
                )
            failed = parse_events((await send(client, token, "60k a year", client_id="x")).text)
            names = [name for name, _ in failed]
            assert names[0] == "stored" and names[-1] == "error" and "reply" not in names
            with sqlite3.connect(tmp_path / "qualify.db") as db:
                db.execute("DROP TRIGGER no_replies")
            retried = parse_events((await send(client, token, "60k a year", client_id="x")).text)
            assert retried[0][0] == "stored"
            assert retried[-1][0] == "reply"
            history = (await client.get(f"/api/conversations/{token}")).json()
            prospect = [m["text"] for m in history["messages"] if m["role"] == "prospect"]
            assert prospect == ["60k a year"]


async def test_rate_limit_body_says_how_long(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, rate_limit_ip="2/minute")
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            await start(client)
            await start(client)
            limited = await client.post("/api/conversations", json={})
            assert limited.status_code == 429
            assert limited.json()["retry_after"] == int(limited.headers["retry-after"])


async def test_dashboard_shows_a_pending_handoff(client: httpx.AsyncClient) -> None:
    token = await start(client)
    for text in ("We need churn analysis and funnels", "60k a year", "I'm the CEO"):
        await send(client, token, text)
    await client.post("/admin/login", data={"key": "test-admin-key-0123456789"})
    lead_id = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"][0]["id"]
    page = await client.get(f"/admin/leads/{lead_id}")
    assert "Sales handoff: <strong>pending</strong>" in page.text
    detail = (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).json()
    assert detail["handoff"]["status"] == "pending"


async def test_a_product_answer_and_the_next_question_are_two_messages(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    ingest_shipped(settings)  # what `qualify serve` does on a first start
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            token = await start(client)
            events = parse_events((await send(client, token, "How much does Beacon cost?")).text)
            history = (await client.get(f"/api/conversations/{token}")).json()
    reply = events[-1][1]["message"]
    answer, question = reply["parts"]
    assert "$48,000" in answer and answer.endswith("https://beacon.example.com/docs/pricing)")
    assert question.endswith("?") and "$" not in question
    assert reply["text"] == f"{answer} {question}"
    # Each streamed piece says which message it belongs to.
    streamed: dict[int, str] = {}
    for name, data in events:
        if name == "delta":
            streamed[data["part"]] = streamed.get(data["part"], "") + data["text"]
    assert streamed == {0: answer, 1: question}
    # The history keeps the two messages; other messages are one part each.
    greeting, asked, answered = history["messages"]
    assert answered["parts"] == [answer, question]
    assert greeting["parts"] == [greeting["text"]] and asked["parts"] == [asked["text"]]


async def test_admin_search_on_both_backends(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url=database_url)
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            first = await start(http)
            await send(http, first, "We need churn analysis and funnels for Acme Corp")
            await send(http, first, "my email is Dana.Smith@Example.com")
            second = await start(http)
            await send(http, second, "we need payroll software, 100% of our staff")
            await send(http, second, "reach me at lee_x@other.org")

            async def found(q: str) -> list[str]:
                response = await http.get("/api/admin/leads", params={"q": q}, headers=ADMIN)
                assert response.status_code == 200, response.text
                return sorted((lead["email"] or "").lower() for lead in response.json()["leads"])

            assert await found("dana.smith@example") == ["dana.smith@example.com"]
            assert await found("ACME") == ["dana.smith@example.com"]
            assert await found("Payroll") == ["lee_x@other.org"]
            assert await found("100%") == ["lee_x@other.org"]
            assert await found("%") == ["lee_x@other.org"]  # literal, not "anything"
            assert await found("e_x") == ["lee_x@other.org"]
            assert await found("a_m") == []  # "_" is not "any one character"
            assert await found("  ") == sorted(["dana.smith@example.com", "lee_x@other.org"])
            assert await found("nothing like this") == []

            too_long = await http.get("/api/admin/leads", params={"q": "x" * 101}, headers=ADMIN)
            assert too_long.status_code == 422

            exported = await http.get(
                "/api/admin/leads/export", params={"format": "json", "q": "acme"}, headers=ADMIN
            )
            assert [row["email"].lower() for row in exported.json()] == ["dana.smith@example.com"]

            signed = await http.post("/admin/login", data={"key": ADMIN["Authorization"][7:]})
            assert signed.status_code in (200, 303)
            page = await http.get("/admin", params={"q": "PAYROLL"})
            assert page.status_code == 200
            assert "lee_x@other.org" in page.text and "example.com" not in page.text
            assert 'name="q"' in page.text and 'value="PAYROLL"' in page.text
            refused = await http.get("/admin", params={"q": "x" * 101})
            assert refused.status_code == 400
            assert "at most 100 characters" in refused.text


async def test_list_page_charts_count_the_leads(client: httpx.AsyncClient) -> None:
    hot = await start(client)
    for text in ("We need churn analysis and funnels", "60k a year", "I'm the CEO", "ASAP"):
        await send(client, hot, text)
    cold = await start(client)
    await send(client, cold, "we need payroll software")
    await send(client, cold, "no budget")
    await start(client)  # never wrote: not a lead

    signed = await client.post("/admin/login", data={"key": ADMIN["Authorization"][7:]})
    assert signed.status_code in (200, 303)
    page = (await client.get("/admin")).text
    texts = re.findall(r'<text[^>]*class="chart-text">([^<]*)</text>', page)
    assert "2 · Conversations" in texts
    assert "1 · Qualified" in texts
    assert "1 · Handed off" in texts
    assert "0 · Claimed" in texts
    assert "0 · Won" in texts
    assert "1 · 100–109" in texts
    scores = [t for t in texts if re.fullmatch(r"\d+ · (below 0|-?\d+–\d+)", t)]
    assert sum(int(t.split(" ")[0]) for t in scores) == 2
    weeks = [t for t in texts if " · week of " in t]
    assert len(weeks) == 8
    assert weeks[-1].startswith("2 · week of ")
    details = re.findall(r'<text[^>]*class="chart-text chart-detail">([^<]*)</text>', page)
    assert len(details) == 8 and details[-1] == "cold 1, hot 1"
