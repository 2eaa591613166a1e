"""Saved filters in the SQL store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent.saved_filters import DuplicateName, SavedFilter
from agent.sql_store import SQLStore
from agent.store import AuditEntry
from tests.test_store import START


def saved(name: str, query: str = "segment=hot", **fields: object) -> SavedFilter:
    values: dict[str, object] = {
        "name": name,
        "query": query,
        "created_by": "dashboard",
        "created_at": START,
    }
    values.update(fields)
    return SavedFilter.model_validate(values)


async def test_saved_filters_are_listed_by_name_ignoring_case(store: SQLStore) -> None:
    hot = saved("hot leads", "segment=hot")
    acme = saved("Acme", "q=acme&order_by=score", created_by="admin-api")
    later = START + timedelta(minutes=5)
    big = saved("big scores", "min_score=70", created_at=later)
    for item in (hot, acme, big):
        await store.save_filter(item)
    assert await store.saved_filters() == [acme, big, hot]


async def test_a_name_is_taken_whatever_its_case(store: SQLStore) -> None:
    first = saved("Hot leads")
    await store.save_filter(first)
    audit = AuditEntry(at=START, actor="dashboard", action="save_filter", subject="x")
    with pytest.raises(DuplicateName):
        await store.save_filter(saved("HOT LEADS", "segment=warm"), audit)
    assert await store.saved_filters() == [first]
    assert await store.audit_log() == []  # nothing saved, nothing audited


async def test_delete_records_the_audit_entry_once(store: SQLStore) -> None:
    item = saved("Warm")
    save_audit = AuditEntry(at=START, actor="admin-api", action="save_filter", subject=item.id)
    await store.save_filter(item, save_audit)
    gone = AuditEntry(at=START, actor="dashboard", action="delete_filter", subject=item.id)
    assert await store.delete_filter(item.id, gone) is True
    assert await store.delete_filter(item.id, gone) is False
    assert await store.saved_filters() == []
    assert [entry.action for entry in await store.audit_log()] == ["delete_filter", "save_filter"]
    await store.save_filter(saved("warm"))  # the name is free again
    assert [f.name for f in await store.saved_filters()] == ["warm"]
