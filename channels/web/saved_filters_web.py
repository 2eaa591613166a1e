"""Saved filters: the admin API (``/api/admin/saved-filters``) and the leads list's "Save
this view" and delete forms.

A saved filter's query goes through the list's own parsing (:func:`page_filter`) and is
stored in the form the list writes it, so opening a saved view never shows a filter error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from agent.saved_filters import DuplicateName, SavedFilter, clean_name, name_problem
from agent.store import AuditEntry
from channels.web.admin import Admin
from channels.web.dashboard import (
    Session,
    _check_csrf,
    _csrf,
    filter_params,
    page_filter,
    render_leads,
)
from channels.web.errors import ApiError
from channels.web.saved_views import view_href
from channels.web.state import WebState

FILTER_KEYS = ("q", "segment", "min_score", "max_score", "since", "until", "order_by", "descending")

api_router = APIRouter(prefix="/api/admin/saved-filters", tags=["admin"])
page_router = APIRouter(prefix="/admin/saved-filters", include_in_schema=False)


def normal_query(query: Mapping[str, str]) -> str:
    """The list's query in its normal form; ApiError (422) for a key the list does not
    take or a value it cannot read."""
    unknown = sorted(key for key in query if key not in FILTER_KEYS)
    if unknown:
        raise ApiError(
            422,
            "invalid_filter",
            f"The leads list has no filter called {', '.join(unknown)}; "
            f"use {', '.join(FILTER_KEYS)}.",
        )
    where, problems = page_filter(query)
    if problems:
        raise ApiError(422, "invalid_filter", " ".join(problems))
    return urlencode(filter_params(where))


async def save_view(
    state: WebState, name: str, query: Mapping[str, str], actor: str
) -> SavedFilter:
    """Save the list's ``query`` as ``name``; ApiError with a sentence when it cannot be."""
    name = clean_name(name)
    problem = name_problem(name)
    if problem is not None:
        raise ApiError(422, "invalid_name", problem)
    engine = state.engine
    saved = SavedFilter(
        name=name, query=normal_query(query), created_by=actor, created_at=engine.clock()
    )
    audit = AuditEntry(at=saved.created_at, actor=actor, action="save_filter", subject=saved.id)
    try:
        await engine.store.save_filter(saved, audit)
    except DuplicateName:
        raise ApiError(
            409, "duplicate_name", f"A saved view is called “{name}” already: pick another name."
        ) from None
    return saved


async def delete_view(state: WebState, filter_id: str, actor: str) -> bool:
    engine = state.engine
    audit = AuditEntry(at=engine.clock(), actor=actor, action="delete_filter", subject=filter_id)
    return await engine.store.delete_filter(filter_id, audit)


# --- admin API -----------------------------------------------------------------------


class SavedFilterIn(BaseModel):
    name: str
    query: str | dict[str, str | int | bool] = ""
    """The leads list's filter: a query string (``segment=hot&min_score=70``) or an object."""


class SavedFilterOut(BaseModel):
    id: str
    name: str
    query: str
    url: str
    """The leads list showing it."""
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, saved: SavedFilter) -> SavedFilterOut:
        return cls(**saved.model_dump(), url=view_href(saved.query))


def _pairs(query: str | dict[str, str | int | bool]) -> dict[str, str]:
    if isinstance(query, str):
        return dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    return {
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in query.items()
    }


@api_router.get("", response_model=list[SavedFilterOut])
async def list_saved_filters(state: Admin) -> list[SavedFilterOut]:
    """The team's saved views of the leads list, by name."""
    return [SavedFilterOut.of(saved) for saved in await state.engine.store.saved_filters()]


@api_router.post("", response_model=SavedFilterOut, status_code=201)
async def create_saved_filter(body: SavedFilterIn, state: Admin) -> SavedFilterOut:
    """Save a filter of the leads list under a name (1 to 60 characters, unique ignoring
    case): 422 for a bad name or filter, 409 for a name in use."""
    return SavedFilterOut.of(await save_view(state, body.name, _pairs(body.query), "admin-api"))


@api_router.delete("/{filter_id}", status_code=204)
async def delete_saved_filter(filter_id: str, state: Admin) -> Response:
    if not await delete_view(state, filter_id, "admin-api"):
        raise ApiError(404, "saved_filter_not_found", "No saved filter with this id.")
    return Response(status_code=204)


# --- the leads list's forms ----------------------------------------------------------


@page_router.post("")
async def save_from_page(
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    query: Annotated[str, Form()] = "",
) -> Response:
    """ "Save this view": a refused name shows the list again with why, and the name typed."""
    _check_csrf(state, request, csrf)
    shown = dict(parse_qsl(query, keep_blank_values=True))
    try:
        saved = await save_view(state, name, shown, "dashboard")
    except ApiError as refused:
        saving = {"problem": refused.message, "name": name}
        return await render_leads(request, state, shown, saving=saving, status_code=422)
    return RedirectResponse(view_href(saved.query), status_code=303)


async def _confirm_page(
    request: Request, state: WebState, filter_id: str, *, unconfirmed: bool = False
) -> Response:
    views = await state.engine.store.saved_filters()
    view = next((item for item in views if item.id == filter_id), None)
    if view is None:
        return RedirectResponse("/admin?done=view_gone", status_code=303)
    context = {"view": view, "csrf": _csrf(state, request), "unconfirmed": unconfirmed}
    return state.templates.TemplateResponse(
        request, "admin_saved_filter_delete.html", context, status_code=400 if unconfirmed else 200
    )


@page_router.get("/{filter_id}/delete", response_class=HTMLResponse)
async def delete_page(filter_id: str, request: Request, state: Session) -> Response:
    """The confirmation step before deleting a saved view."""
    return await _confirm_page(request, state, filter_id)


@page_router.post("/{filter_id}/delete")
async def delete_from_page(
    filter_id: str,
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    confirm: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(state, request, csrf)
    if confirm != "yes":
        return await _confirm_page(request, state, filter_id, unconfirmed=True)
    deleted = await delete_view(state, filter_id, "dashboard")
    return RedirectResponse(f"/admin?done={'view_deleted' if deleted else 'view_gone'}", 303)
