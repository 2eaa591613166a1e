"""What the leads list shows of the team's saved views: each as a link, the one matching
the list's current filter marked as current."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from agent.store import Store


def view_href(query: str) -> str:
    return "/admin" + (f"?{query}" if query else "")


async def views_context(
    store: Store, current: Mapping[str, str], saving: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The saved views for the list page; ``current`` is the list's normalised query and
    ``saving`` a refused "Save this view" form (``problem`` and the ``name`` typed)."""
    query = urlencode(current)
    views = await store.saved_filters()
    active = next((view.id for view in views if view.query == query), None)
    return {
        "views": [
            {
                "id": view.id,
                "name": view.name,
                "href": view_href(view.query),
                "current": view.id == active,
            }
            for view in views
        ],
        "view_query": query,
        "saving": dict(saving or {}),
    }
