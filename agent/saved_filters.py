"""Saved filters: named views of the leads list that the whole team shares.

A saved filter keeps the list's query in its normal form (the query string the list itself
writes for that filter, defaults left out), so opening it shows exactly what was saved.
Names are 1 to :data:`NAME_MAX` characters and unique ignoring case.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from agent.store import new_id

NAME_MAX = 60
QUERY_MAX = 2000


class SavedFilter(BaseModel):
    """A named view of the leads list: ``query`` is the list's normalised query string."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1, max_length=NAME_MAX)
    query: str = Field(max_length=QUERY_MAX)
    created_by: str
    created_at: datetime


class DuplicateName(Exception):
    """Another saved filter has this name (ignoring case)."""


def clean_name(name: str) -> str:
    """The name as stored: surrounding spaces removed, runs of spaces made one."""
    return " ".join(name.split())


def name_problem(name: str) -> str | None:
    """Why ``name`` (already cleaned) cannot name a saved filter; None when it can."""
    if not name:
        return "Give the view a name."
    if len(name) > NAME_MAX:
        return f"The name can be at most {NAME_MAX} characters long (it has {len(name)})."
    return None


def name_key(name: str) -> str:
    """What makes two names the same: case is ignored."""
    return name.casefold()[:NAME_MAX]
