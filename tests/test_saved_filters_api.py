"""Saved filters over real HTTP against the real app: the admin API round trip, refused
names and filters with their reasons, and the leads list's "Save this view" form."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.test_web_api import ADMIN, make_settings

KEY = "test-admin-key-0123456789"
FILTERS = "/api/admin/saved-filters"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    with ThreadedServer(create_app(make_settings(tmp_path, knowledge=False))) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            yield client


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


async def test_a_saved_filter_round_trip(client: httpx.AsyncClient) -> None:
    given = "?q=+Acme+&segment=hot&min_score=70&max_score=&since=2026-11-01T00:00&order_by=score"
    made = await client.post(
        FILTERS, json={"name": "  Hot   at Acme ", "query": given}, headers=ADMIN
    )
    assert made.status_code == 201, made.text
    saved = made.json()
    assert saved["name"] == "Hot at Acme"
    # Stored the way the list writes it: trimmed, empty fields and defaults left out.
    assert saved["query"] == "q=Acme&segment=hot&min_score=70&since=2026-11-01&order_by=score"
    assert saved["url"] == "/admin?" + saved["query"]
    assert saved["created_by"] == "admin-api"

    other = await client.post(
        FILTERS,
        json={"name": "all warm", "query": {"segment": "warm", "descending": False}},
        headers=ADMIN,
    )
    assert other.status_code == 201, other.text
    assert other.json()["query"] == "segment=warm&descending=false"

    listed = (await client.get(FILTERS, headers=ADMIN)).json()
    assert [item["name"] for item in listed] == ["all warm", "Hot at Acme"]

    await client.post("/admin/login", data={"key": KEY})
    assert (await client.get(FILTERS)).status_code == 200  # a session may read
    refused = await client.post(FILTERS, json={"name": "x", "query": ""})
    assert refused.status_code == 401  # but not change anything
    page = await client.get(saved["url"])
    assert page.status_code == 200
    assert re.search(r'aria-current="page">Hot at Acme</a>', page.text)
    assert 'aria-current="page">all warm' not in page.text

    gone = await client.delete(f"{FILTERS}/{saved['id']}", headers=ADMIN)
    assert gone.status_code == 204
    again = await client.delete(f"{FILTERS}/{saved['id']}", headers=ADMIN)
    assert again.status_code == 404 and again.json()["error"] == "saved_filter_not_found"
    assert [item["name"] for item in (await client.get(FILTERS, headers=ADMIN)).json()] == [
        "all warm"
    ]
    audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
    assert [(a["action"], a["subject"]) for a in audit][:2] == [
        ("delete_filter", saved["id"]),
        ("save_filter", other.json()["id"]),
    ]


@pytest.mark.parametrize(
    ("body", "status", "error", "says"),
    [
        ({"name": "   ", "query": ""}, 422, "invalid_name", "Give the view a name."),
        ({"name": "x" * 61, "query": ""}, 422, "invalid_name", "at most 60 characters"),
        ({"name": "ok", "query": "min_score=ten"}, 422, "invalid_filter", "whole number"),
        ({"name": "ok", "query": "since=soon"}, 422, "invalid_filter", "a date such as"),
        ({"name": "ok", "query": "order_by=email"}, 422, "invalid_filter", "cannot be sorted"),
        ({"name": "ok", "query": "colour=red"}, 422, "invalid_filter", "no filter called colour"),
        ({"name": "ok", "query": "q=" + "a" * 101}, 422, "invalid_filter", "at most 100"),
        ({"name": "HOT LEADS", "query": ""}, 409, "duplicate_name", "called “HOT LEADS” already"),
    ],
)
async def test_refused_filters_say_why_and_store_nothing(
    client: httpx.AsyncClient, body: dict[str, object], status: int, error: str, says: str
) -> None:
    first = await client.post(
        FILTERS, json={"name": "Hot leads", "query": "segment=hot"}, headers=ADMIN
    )
    assert first.status_code == 201
    refused = await client.post(FILTERS, json=body, headers=ADMIN)
    assert refused.status_code == status, refused.text
    assert refused.json()["error"] == error
    assert says in refused.json()["message"]
    assert [item["name"] for item in (await client.get(FILTERS, headers=ADMIN)).json()] == [
        "Hot leads"
    ]


async def test_the_list_page_saves_a_view_and_explains_a_refused_name(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/admin/login", data={"key": KEY})
    listed = await client.get("/admin", params={"segment": "hot", "order_by": "score"})
    token = csrf(listed.text)
    query = re.search(r'name="query" value="([^"]*)"', listed.text)
    assert query is not None and query.group(1) == "segment=hot&amp;order_by=score"
    form = {"csrf": token, "query": "segment=hot&order_by=score"}

    saved = await client.post("/admin/saved-filters", data={**form, "name": "Hot first"})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin?segment=hot&order_by=score"

    for name, says in (
        ("hot FIRST", "A saved view is called “hot FIRST” already: pick another name."),
        ("", "Give the view a name."),
        ("y" * 70, "The name can be at most 60 characters long (it has 70)."),
    ):
        refused = await client.post("/admin/saved-filters", data={**form, "name": name})
        assert refused.status_code == 422
        assert says in refused.text and "Nothing was saved." in refused.text
        assert f'name="name" value="{name}"' in refused.text  # what was typed, kept
        assert 'name="query" value="segment=hot&amp;order_by=score"' in refused.text

    forged = await client.post("/admin/saved-filters", data={**form, "csrf": "x", "name": "n"})
    assert forged.status_code == 403
    views = (await client.get(FILTERS)).json()
    assert [view["name"] for view in views] == ["Hot first"]

    confirm = await client.get(f"/admin/saved-filters/{views[0]['id']}/delete")
    assert "Delete the saved view “Hot first”?" in confirm.text
    unticked = await client.post(
        f"/admin/saved-filters/{views[0]['id']}/delete", data={"csrf": token}
    )
    assert unticked.status_code == 400 and "nothing was deleted" in unticked.text
    deleted = await client.post(
        f"/admin/saved-filters/{views[0]['id']}/delete", data={"csrf": token, "confirm": "yes"}
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == "/admin?done=view_deleted"
    assert "Saved view deleted." in (await client.get(deleted.headers["location"])).text
    assert (await client.get(FILTERS)).json() == []
