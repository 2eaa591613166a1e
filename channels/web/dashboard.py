"""The leads dashboard: server-rendered pages at /admin behind the admin key.

A login form exchanges the key for a session (see :mod:`channels.web.sessions`); failed
sign-ins are throttled per address, and a signed-out visitor comes back to the page they
asked for (``next``, only ever a path under /admin). Forms that change data also carry the
session's CSRF token. Pages use no inline script or style, so the strict
Content-Security-Policy holds.

``/admin/transcript/<lead id>`` is one lead's page, read-only, for a sales rep holding a
transcript grant (see :mod:`channels.web.grants`) instead of the admin key.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote, unquote, urlencode, urlsplit

from babel.dates import format_date
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent.models import FACT_LABELS
from agent.playbook import Band
from agent.prompts import BASE_LANGUAGE
from agent.rescoring import rescore_all
from agent.store import (
    LEAD_STATUSES,
    SEARCH_MAX,
    AuditEntry,
    Conversation,
    LeadFilter,
    LeadStats,
    Message,
)
from agent.takeover import dashboard_name
from agent.team_words import TeamWords, english
from channels.web.admin import (
    LeadSummary,
    add_lead_note,
    change_lead,
    detail_payload,
    requeue,
    summaries,
)
from channels.web.display import change_text, iso, score_scale, utc, value_text, words
from channels.web.errors import ApiError
from channels.web.grants import GrantRefused, transcript_path, verify_transcript_grant
from channels.web.keys import same_secret
from channels.web.lead_conversations import lead_parts
from channels.web.saved_views import views_context
from channels.web.sessions import (
    csrf_ok,
    csrf_token,
    end_session,
    has_session,
    start_session,
)
from channels.web.state import WebState, get_state

router = APIRouter(prefix="/admin", include_in_schema=False)
State = Annotated[WebState, Depends(get_state)]
PAGE_SIZE = 50


class LoginRequired(Exception):
    """The dashboard was opened without a session."""


async def require_session(request: Request, state: State) -> WebState:
    if not await has_session(request, state):
        raise LoginRequired
    return state


Session = Annotated[WebState, Depends(require_session)]


def _csrf(state: WebState, request: Request) -> str:
    return csrf_token(state, request)


def _check_csrf(state: WebState, request: Request, token: str) -> None:
    if not csrf_ok(state, request, token):
        raise ApiError(403, "bad_csrf_token", "This form has expired. Reload the page and retry.")


def safe_next(value: str | None) -> str | None:
    """``value`` if it is a dashboard page to return to after sign-in: a relative path
    under /admin on this site, nothing that a browser could read as another host
    (``//evil``, ``/\\evil``, ``https://...``), no dot segments, no sign-in or sign-out."""
    if not value or len(value) > 2000 or not value.isascii():
        return None
    for text in (value, unquote(value)):
        if "\\" in text or "//" in text or any(ord(ch) < 0x21 or ch == "\x7f" for ch in text):
            return None
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return None
        path = parts.path
        if path != "/admin" and not path.startswith("/admin/"):
            return None
        if any(segment in (".", "..") for segment in path.split("/")):
            return None
        if path.startswith(("/admin/login", "/admin/logout")):
            return None
    return value


def login_location(request: Request) -> str:
    """Where a signed-out visitor is sent: the sign-in page, remembering the page they
    asked for (a GET under /admin other than the leads list)."""
    url = request.url
    target = url.path + (f"?{url.query}" if url.query else "")
    if request.method not in ("GET", "HEAD") or target == "/admin" or not safe_next(target):
        return "/admin/login"
    return "/admin/login?" + urlencode({"next": target})


@router.get("/login", response_class=HTMLResponse)
async def login_page(
    request: Request, state: State, failed: bool = False, next: str | None = None
) -> Response:
    return state.templates.TemplateResponse(
        request,
        "admin_login.html",
        {"failed": failed, "next": safe_next(next)},
        status_code=401 if failed else 200,
    )


@router.post("/login")
async def login(
    request: Request,
    state: State,
    key: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    address = request.client.host if request.client else "unknown"
    going = safe_next(next)
    wait = state.limits.login_wait(address)
    if wait:
        return state.templates.TemplateResponse(
            request,
            "admin_login.html",
            {"failed": True, "wait": wait, "next": going},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    if not same_secret(key.strip(), state.admin_key):
        state.limits.login_failed(address)
        again = {"failed": "true", **({"next": going} if going else {})}
        return RedirectResponse("/admin/login?" + urlencode(again), status_code=303)
    response = RedirectResponse(going or "/admin", status_code=303)
    await start_session(state, request, response)
    return response


@router.post("/logout")
async def logout(request: Request, state: State) -> Response:
    response = RedirectResponse("/admin/login", status_code=303)
    await end_session(request, state, response)
    return response


SORTABLE = ("score", "updated_at", "created_at")


def page_filter(
    query: Mapping[str, str], team: TeamWords | None = None
) -> tuple[LeadFilter, list[str]]:
    """The leads list's filter from the page's query: empty fields are ignored, and each
    value that does not read is dropped with a sentence saying why (never a 422), in the
    ``team``'s words (English by default)."""
    say = (team or english()).text
    problems: list[str] = []
    values: dict[str, Any] = {"started": True}
    search = query.get("q", "").strip()
    if len(search) > SEARCH_MAX:
        problems.append(say("admin.problems.search_long", max=SEARCH_MAX))
    elif search:
        values["q"] = search
    segment = query.get("segment", "").strip()
    if segment:
        values["segment"] = segment
    for name, field in (("min_score", "score_from"), ("max_score", "score_to")):
        text = query.get(name, "").strip()
        if not text:
            continue
        try:
            values[name] = int(text)
        except ValueError:
            label = say(f"admin.problems.{field}")
            problems.append(say("admin.problems.not_a_number", label=label, text=text[:40]))
    for name in ("since", "until"):
        text = query.get(name, "").strip()
        if not text:
            continue
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            label = say(f"admin.problems.{name}")
            problems.append(say("admin.problems.not_a_date", label=label, text=text[:40]))
            continue
        values[name] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    order_by = query.get("order_by", "").strip()
    if order_by:
        if order_by in SORTABLE:
            values["order_by"] = order_by
        else:
            problems.append(say("admin.problems.not_sortable", order=order_by[:40]))
    descending = query.get("descending", "").strip().lower()
    if descending:
        if descending in ("true", "false"):
            values["descending"] = descending == "true"
        else:
            problems.append(say("admin.problems.direction"))
    return LeadFilter(**values), problems


def filter_params(where: LeadFilter, **changes: Any) -> dict[str, str]:
    """The query that shows ``where`` again (defaults left out), with ``changes``."""
    params: dict[str, Any] = {
        "q": where.q,
        "segment": where.segment,
        "min_score": where.min_score,
        "max_score": where.max_score,
        "since": where.since.date().isoformat() if where.since else None,
        "until": where.until.date().isoformat() if where.until else None,
        "order_by": None if where.order_by == "updated_at" else where.order_by,
        "descending": None if where.descending else "false",
    }
    params.update(changes)
    return {key: str(value) for key, value in params.items() if value is not None}


def _link(path: str, params: dict[str, str]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def _sort_link(where: LeadFilter, column: str) -> str:
    descending = not (where.order_by == column and where.descending)
    return _link(
        "/admin",
        filter_params(where, order_by=column, descending=str(descending).lower(), page=None),
    )


FLASHES = ("erased", "not_erased", "view_deleted", "view_gone")
"""What the list says after an action (``?done=``): ``admin.flash`` of reps.yaml."""


def _flash(request: Request, team: TeamWords) -> str | None:
    done = request.query_params.get("done", "")
    if done in FLASHES:
        return team.text(f"admin.flash.{done}")
    if done == "rescored":
        checked = request.query_params.get("checked", "0")
        changed = request.query_params.get("changed", "0")
        if checked.isdigit() and changed.isdigit():
            return team.text("admin.flash.rescored", checked=checked, changed=changed)
    return None


def segment_words(name: str, team: TeamWords) -> str:
    """A segment as the list and a lead's page name it: "Hot", "Heiß"."""
    shown = team.segment(name)
    return words(name) if shown == name else shown[:1].upper() + shown[1:]


def code_words(code: str | None, team: TeamWords) -> str:
    """A follow-up or handoff code in words: ``hot_lead`` → "Hot lead",
    ``nurture:product-proof`` → "Nurture: product proof" (a list's name as it is)."""
    if not code:
        return words(code)
    head, _, rest = code.partition(":")
    shown = team.word("dashboard.follow_ups", head, "") or team.word("dashboard.handoffs", head, "")
    if not shown:
        return words(code)
    return shown + (": " + words(rest)[:1].lower() + words(rest)[1:] if rest else "")


def _follow_up_words(follow_up: dict[str, Any], team: TeamWords) -> str:
    """What happens next to a lead, on its page: "Sales handoff", "No follow-up"."""
    action = follow_up.get("action") or "none"
    if action == "none":
        return team.text("dashboard.no_follow_up")
    listed = follow_up.get("list")
    return code_words(f"{action}:{listed}" if listed else action, team)


def _row(lead: LeadSummary, bands: Sequence[Band], team: TeamWords) -> dict[str, Any]:
    """One line of the leads list, as the words it shows."""
    return {
        "id": lead.id,
        "score": score_scale(lead.score, bands, team),
        "segment": lead.segment,
        "segment_words": segment_words(lead.segment, team),
        "name": lead.contact_name or "—",
        "company": lead.company_name or "—",
        "role": lead.role or "—",
        "need": lead.need or "—",
        "follow_up": code_words(lead.follow_up, team),
        "email": lead.email or "—",
        "industry": team.industry(lead.industry) if lead.industry else "—",
        "size": team.number(lead.company_size) if lead.company_size else "—",
        "handoff": code_words(lead.handoff_reason, team) if lead.handoff_reason else "",
        "conversations": lead.conversations,
        "updated_iso": iso(lead.updated_at),
        "updated": utc(lead.updated_at),
    }


CHARTS_FOR = 30.0
"""Seconds the list page's chart counts are reused before they are counted again."""
_stats_cache: weakref.WeakKeyDictionary[Any, tuple[float, LeadStats]] = weakref.WeakKeyDictionary()


async def _lead_stats(store: Any) -> LeadStats:
    """The chart counts, counted at most every ``CHARTS_FOR`` seconds per store (they scan
    every lead; the list itself reads one page)."""
    now = time.monotonic()
    cached = _stats_cache.get(store)
    if cached is not None and now - cached[0] < CHARTS_FOR:
        return cached[1]
    stats: LeadStats = await store.lead_stats(datetime.now(UTC).date())
    _stats_cache[store] = (now, stats)
    return stats


def _week_of(start: date, team: TeamWords) -> str:
    """A week's start as the chart names it: "week of 24 Nov", "Woche vom 24. Nov."."""
    if team.language == BASE_LANGUAGE:
        shown = f"{start:%d %b}"
    else:
        shown = str(format_date(start, "d MMM", locale=team.language))
    return team.text("admin.charts.week_of", date=shown)


def _charts(stats: LeadStats, team: TeamWords | None = None) -> dict[str, Any]:
    """Bar geometry for the list page's charts: bars scaled to the largest, each labelled
    with its count and name on a line above the bar (and the week's segments on a second
    line), so no label runs past a phone's width."""

    def bars(rows: list[tuple[str, int]], details: list[str] | None = None) -> dict[str, Any]:
        top = max([n for _, n in rows] + [1])
        step = 50 if details else 34  # a second line of text needs 16 more
        return {
            "height": step * len(rows) + 4,
            "bars": [
                {
                    "y": step * i,
                    "label": label,
                    "count": n,
                    "width": round(396 * n / top),
                    "detail": details[i] if details else None,
                    "bar_y": step * i + step - 17,
                }
                for i, (label, n) in enumerate(rows)
            ],
        }

    team = team or english()
    week_rows: list[tuple[str, int]] = []
    week_details: list[str] = []
    none = team.text("admin.charts.none")
    for index, start in enumerate(stats.weeks):
        counts = {seg: values[index] for seg, values in stats.per_week.items() if values[index]}
        week_rows.append((_week_of(start, team), sum(counts.values())))
        shown = ", ".join(f"{team.segment(seg)} {n}" for seg, n in sorted(counts.items()))
        week_details.append(shown or none)
    below = team.text("admin.charts.below_zero")
    score_rows = [(below if low < 0 else f"{low}–{low + 9}", n) for low, n in stats.scores]
    funnel = [
        (team.word("admin.charts.funnel", label.lower().replace(" ", "_"), label), n)
        for label, n in stats.funnel
    ]
    return {
        "weeks": bars(week_rows, week_details),
        "funnel": bars(funnel),
        "scores": bars(score_rows),
    }


@router.get("", response_class=HTMLResponse)
async def leads_page(request: Request, state: Session) -> Response:
    return await render_leads(request, state, request.query_params)


async def render_leads(
    request: Request,
    state: WebState,
    query: Mapping[str, str],
    *,
    saving: Mapping[str, str] | None = None,
    status_code: int | None = None,
) -> Response:
    """The leads list filtered by ``query``; ``saving`` is a refused "Save this view" form
    (its ``problem`` and the ``name`` typed), shown again with the list."""
    store = state.engine.store
    where, problems = page_filter(query, state.reps)
    page_text = query.get("page", "").strip() or "1"
    page = int(page_text) if page_text.isdigit() else 1
    page = max(1, page)
    leads, total = await store.lead_page(
        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, where=where
    )
    pages = max(1, -(-total // PAGE_SIZE))
    bands = state.engine.playbook.scoring.bands
    current = filter_params(where)
    filtered = any(key not in ("order_by", "descending") for key in current)
    context: dict[str, Any] = {
        "leads": [
            _row(lead, bands, state.reps) for lead in await summaries(state, leads, state.reps)
        ],
        "total": total,
        "page": page,
        "pages": pages,
        "where": where,
        "problems": problems,
        "search_max": SEARCH_MAX,
        "charts": _charts(await _lead_stats(store), state.reps),
        "filtered": filtered,
        "flash": _flash(request, state.reps),
        "segments": [band.name for band in bands] + ["disqualified"],
        "segment_names": {name: state.reps.segment(name) for name in [b.name for b in bands]}
        | {"disqualified": state.reps.segment("disqualified")},
        "sort_score": _sort_link(where, "score"),
        "sort_date": _sort_link(where, "updated_at"),
        "sorted_by": where.order_by,
        "arrow": "▼" if where.descending else "▲",
        "aria_sort": "descending" if where.descending else "ascending",
        "previous": _link("/admin", {**current, "page": str(page - 1)}) if page > 1 else None,
        "next": _link("/admin", {**current, "page": str(page + 1)}) if page < pages else None,
        "export_csv": _link("/api/admin/leads/export", {**current, "format": "csv"}),
        "export_json": _link("/api/admin/leads/export", {**current, "format": "json"}),
        "csrf": _csrf(state, request),
    }
    context.update(await views_context(store, current, saving))
    status = status_code or (400 if problems else 200)
    return state.templates.TemplateResponse(
        request, "admin_leads.html", context, status_code=status
    )


def _bars(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry for the score breakdown bar chart: one bar per rule, around a zero line."""
    width = 360
    scale = max([abs(int(item["points"])) for item in items] + [1])
    half = width / 2
    bars = []
    for index, item in enumerate(items):
        length = abs(int(item["points"])) / scale * (half - 10)
        x = half if item["points"] >= 0 else half - length
        bars.append({**item, "x": round(x, 1), "y": index * 28 + 4, "w": round(max(length, 1), 1)})
    longest = max([len(f"{int(item['points']):+d} {item['label']}") for item in items] + [10])
    return {
        "bars": bars,
        "width": width,
        "labels": round(longest * 8 + 16),  # room for the longest label at 13px
        "height": max(len(items), 1) * 28 + 8,
        "zero": half,
    }


def _not_found(request: Request, state: WebState) -> Response:
    return state.templates.TemplateResponse(
        request, "admin_missing.html", {"csrf": _csrf(state, request)}, status_code=404
    )


@router.get("/leads/{lead_id}", response_class=HTMLResponse)
async def lead_page(lead_id: str, request: Request, state: Session) -> Response:
    store = state.engine.store
    conversation = await store.get_conversation(lead_id)
    if conversation is None:
        return _not_found(request, state)
    if conversation.lead != lead_id:
        # A conversation that joined the earlier lead of its email: that lead's page.
        return RedirectResponse(f"/admin/leads/{quote(conversation.lead, safe='')}", 307)
    return await _admin_lead_page(request, state, conversation)


async def _admin_lead_page(
    request: Request,
    state: WebState,
    conversation: Conversation,
    *,
    problem: str | None = None,
    entered: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The lead's page with the sales forms; ``problem`` says why a form was refused and
    ``entered`` holds what was typed in it, shown again."""
    store = state.engine.store
    conversation = await store.lead_current(conversation.id) or conversation
    parts = await lead_parts(store, conversation.id)
    context = await _lead_context(state, conversation, [m for p in parts for m in p.messages])
    context["parts"] = parts if len(parts) > 1 else []
    context["events"] = await _timeline(state, conversation.id, [p.id for p in parts])
    context["csrf"] = _csrf(state, request)
    context["sales"] = await store.lead_state(conversation.id)
    context["statuses"] = LEAD_STATUSES
    context["problem"] = problem
    context["entered"] = entered or {}
    return state.templates.TemplateResponse(
        request, "admin_lead.html", context, status_code=status_code
    )


@router.post("/leads/{lead_id}/status")
async def set_status(
    lead_id: str,
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    status: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    owner: Annotated[str, Form()] = "",
) -> Response:
    """The status and owner form of a lead's page: a refused change shows the page again
    with the reason and what was entered."""
    _check_csrf(state, request, csrf)
    try:
        await change_lead(
            state,
            lead_id,
            status=status or None,
            reason=reason,
            owner=owner,
            owner_given=True,
            actor="dashboard",
        )
    except ApiError as refused:
        conversation = await state.engine.store.get_conversation(lead_id)
        if conversation is None:
            return _not_found(request, state)
        entered = {"status": status, "reason": reason, "owner": owner}
        return await _admin_lead_page(
            request, state, conversation, problem=refused.message, entered=entered, status_code=422
        )
    return RedirectResponse(f"/admin/leads/{quote(lead_id)}#sales", status_code=303)


@router.post("/leads/{lead_id}/notes")
async def add_note(
    lead_id: str,
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
) -> Response:
    """The note form of a lead's page (a refused note is shown again, not lost)."""
    _check_csrf(state, request, csrf)
    try:
        await add_lead_note(state, lead_id, text, "dashboard")
    except ApiError as refused:
        conversation = await state.engine.store.get_conversation(lead_id)
        if conversation is None:
            return _not_found(request, state)
        return await _admin_lead_page(
            request,
            state,
            conversation,
            problem=refused.message,
            entered={"note": text},
            status_code=422,
        )
    return RedirectResponse(f"/admin/leads/{quote(lead_id)}#notes", status_code=303)


def lead_title(conversation: Conversation, team: TeamWords | None = None) -> str:
    """What a lead is called: company, name, email, whichever are known."""
    profile = conversation.profile
    parts = [
        fact.value
        for fact in (profile.company_name, profile.contact_name, profile.email)
        if fact is not None and fact.value
    ]
    return " · ".join(parts) or (team or english()).text("admin.unnamed", id=conversation.id[:8])


async def _lead_context(
    state: WebState, conversation: Conversation, messages: list[Message]
) -> dict[str, Any]:
    """What a lead's page shows: score, segment, facts with their quotes, transcript."""
    detail = detail_payload(state, conversation, messages)
    team = state.reps
    profile = conversation.profile
    fields = []
    for name, label in FACT_LABELS:
        fact = getattr(profile, name)
        if fact is not None:
            quote = fact.evidence.quote
            if name == "industry":
                shown = team.industry(str(fact.value))
            else:
                shown = value_text(fact.value, quote if name == "budget" else None, team)
            fields.append(
                {"label": team.word("labels", name, label), "value": shown, "quote": quote}
            )
    history = []
    for index, entry in enumerate(profile.history):
        later = next((e for e in profile.history[index + 1 :] if e.field == entry.field), None)
        current = getattr(profile, entry.field, None)
        new = later.value if later is not None else (current.value if current else None)
        history.append(
            {
                "text": change_text(entry.field, entry.value, new, team),
                "quote": entry.evidence.quote,
            }
        )
    bands = state.engine.playbook.scoring.bands
    handoff = await state.engine.store.get_handoff(conversation.id)
    return {
        "lead": detail.lead,
        "title": lead_title(conversation, state.reps),
        "context_lines": detail.context_lines,
        "fields": fields,
        "score": detail.score,
        "scale": score_scale(detail.score["total"], bands, team),
        "segment": detail.segment,
        "segment_words": segment_words(detail.segment["name"], team),
        "follow_up_words": _follow_up_words(detail.segment["follow_up"], team),
        "handoff_words": code_words(conversation.handoff_reason, team)
        if conversation.handoff_reason
        else None,
        "chart": _bars(detail.score["items"]),
        "messages": messages,
        "history": history,
        "open_questions": profile.open_questions,
        "handoff": handoff,
        "claimed_by": _rep_words(handoff.claimed_by, team) if handoff else None,
    }


def _rep_words(user: str | None, team: TeamWords) -> str | None:
    """A rep as the lead's page names them: a dashboard rep's name, else "<id> (Slack)"."""
    if user is None:
        return None
    name = dashboard_name(user)
    return name if name is not None else team.text("inbox.from_slack", user=user)


GRANT_COOKIE = "qualify_transcript"
GRANT_COOKIE_SECONDS = 3600
"""The cookie a grant is exchanged for lasts an hour at most (never past the grant): the
link from Slack gives a fresh one."""

Refusal = Literal["invalid", "expired", "missing", "gone"]


@router.get("/transcript/{lead_id}", response_class=HTMLResponse)
async def transcript_page(
    lead_id: str, request: Request, state: State, grant: str | None = None
) -> Response:
    """One lead's page, read-only, for the rep a transcript grant names.

    The link from Slack carries the grant in its query; it is exchanged for an HttpOnly
    cookie scoped to this lead's path, and the browser is sent to the same page without
    it, so the token does not stay in the address bar, the history or a shared screen.
    Every view is written to the audit log."""
    now = state.engine.clock()
    path = transcript_path(lead_id)
    if grant is not None:
        try:
            granted = verify_transcript_grant(state.settings, grant, lead_id, now)
        except GrantRefused as refused:
            return _refused(request, state, refused.reason, lead_id)
        response = RedirectResponse(path, status_code=303)
        left = int((granted.expires_at - now).total_seconds())
        response.set_cookie(
            GRANT_COOKIE,
            grant,
            max_age=max(1, min(GRANT_COOKIE_SECONDS, left)),
            path=path,
            httponly=True,
            samesite="lax",  # the link is opened from Slack, another site
            secure=request.url.scheme == "https",
        )
        return response
    token = request.cookies.get(GRANT_COOKIE)
    if token is None:
        if await has_session(request, state):
            return RedirectResponse(f"/admin/leads/{quote(lead_id, safe='')}", status_code=303)
        return _refused(request, state, "missing", lead_id)
    try:
        granted = verify_transcript_grant(state.settings, token, lead_id, now)
    except GrantRefused as refused:
        return _refused(request, state, refused.reason, lead_id)
    store = state.engine.store
    conversation = await store.lead_current(lead_id)
    if conversation is None:
        return _refused(request, state, "gone", lead_id)
    # The whole lead: a prospect who came back has the transcripts of every conversation.
    parts = await lead_parts(store, conversation.id)
    context = await _lead_context(state, conversation, [m for p in parts for m in p.messages])
    context["parts"] = parts if len(parts) > 1 else []
    await store.record_audit(
        AuditEntry(at=now, actor=granted.actor, action="view_transcript", subject=lead_id)
    )
    return state.templates.TemplateResponse(request, "transcript.html", context)


def _refused(request: Request, state: WebState, reason: Refusal, lead_id: str) -> Response:
    """A page saying why the transcript does not open (never the lead's data)."""
    status = 410 if reason in ("expired", "gone") else 403
    response = state.templates.TemplateResponse(
        request, "transcript_refused.html", {"reason": reason}, status_code=status
    )
    if request.cookies.get(GRANT_COOKIE) is not None:
        response.delete_cookie(GRANT_COOKIE, path=transcript_path(lead_id))
    return response


async def _timeline(
    state: WebState, lead_id: str, conversation_ids: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The lead's events (each with its deliveries; status changes among them) and its
    notes, newest first, from all its conversations."""
    store = state.engine.store
    deliveries: dict[str, list[Any]] = {}
    for conversation_id in conversation_ids or (lead_id,):
        for delivery in await store.list_deliveries(conversation_id=conversation_id, limit=1000):
            deliveries.setdefault(delivery.event_id, []).append(delivery)
    items: list[dict[str, Any]] = [
        {"at": event.created_at, "event": event, "deliveries": deliveries.get(event.id, [])}
        for event in reversed(await store.lead_events(lead_id))
    ]
    items += [{"at": note.created_at, "note": note} for note in await store.lead_notes(lead_id)]
    items.sort(key=lambda item: item["at"], reverse=True)  # stable: same time, same order
    return items


@router.get("/deliveries", response_class=HTMLResponse)
async def deliveries_page(
    request: Request, state: Session, status: str | None = None, page: int = 1
) -> Response:
    store = state.engine.store
    page = max(1, page)
    chosen: Any = status if status in ("pending", "delivered", "dead", "cancelled") else None
    rows = await store.list_deliveries(
        status=chosen, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    context = {
        "deliveries": rows,
        "counts": await store.count_deliveries(),
        "status": chosen,
        "page": page,
        "more": len(rows) == PAGE_SIZE,
        "destinations": sorted(
            [*state.engine.subscriptions.names, *(e.name for e in await store.webhook_endpoints())]
        ),
        "csrf": _csrf(state, request),
    }
    return state.templates.TemplateResponse(request, "admin_deliveries.html", context)


@router.post("/deliveries/{delivery_id}/retry")
async def retry_delivery(
    delivery_id: str, request: Request, state: Session, csrf: Annotated[str, Form()]
) -> Response:
    _check_csrf(state, request, csrf)
    await requeue(state, ids=[delivery_id])
    return RedirectResponse("/admin/deliveries?status=dead", status_code=303)


@router.post("/deliveries/retry")
async def retry_all(request: Request, state: Session, csrf: Annotated[str, Form()]) -> Response:
    _check_csrf(state, request, csrf)
    await requeue(state)
    return RedirectResponse("/admin/deliveries?status=dead", status_code=303)


@router.get("/leads/{lead_id}/erase", response_class=HTMLResponse)
async def erase_page(lead_id: str, request: Request, state: Session) -> Response:
    """The confirmation step before erasing: says what goes and asks to tick a box."""
    conversation = await state.engine.store.get_conversation(lead_id)
    if conversation is None:
        return _not_found(request, state)
    context = {
        "lead_id": lead_id,
        "title": lead_title(conversation, state.reps),
        "csrf": _csrf(state, request),
    }
    return state.templates.TemplateResponse(request, "admin_erase.html", context)


@router.post("/leads/{lead_id}/erase")
async def erase(
    lead_id: str,
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    confirm: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(state, request, csrf)
    if confirm != "yes":
        conversation = await state.engine.store.get_conversation(lead_id)
        if conversation is None:
            return _not_found(request, state)
        context = {
            "lead_id": lead_id,
            "title": lead_title(conversation, state.reps),
            "csrf": _csrf(state, request),
            "unconfirmed": True,
        }
        return state.templates.TemplateResponse(
            request, "admin_erase.html", context, status_code=400
        )
    erased = await state.engine.erase(lead_id, actor="dashboard")
    return RedirectResponse(f"/admin?done={'erased' if erased else 'not_erased'}", status_code=303)


@router.get("/rescore", response_class=HTMLResponse)
async def rescore_page(request: Request, state: Session) -> Response:
    """The confirmation step before rescoring every lead."""
    total = await state.engine.store.count_conversations(LeadFilter(started=True))
    context = {"total": total, "csrf": _csrf(state, request)}
    return state.templates.TemplateResponse(request, "admin_rescore.html", context)


@router.post("/rescore")
async def rescore(
    request: Request,
    state: Session,
    csrf: Annotated[str, Form()],
    confirm: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(state, request, csrf)
    if confirm != "yes":
        total = await state.engine.store.count_conversations(LeadFilter(started=True))
        context = {"total": total, "csrf": _csrf(state, request), "unconfirmed": True}
        return state.templates.TemplateResponse(
            request, "admin_rescore.html", context, status_code=400
        )
    engine = state.engine
    report = await rescore_all(
        engine.store,
        engine.playbook,
        write=True,
        on=engine.clock().date(),
        subscriptions=engine.subscriptions,
        now=engine.clock(),
    )
    query = urlencode(
        {"done": "rescored", "checked": report.checked, "changed": len(report.changes)}
    )
    return RedirectResponse(f"/admin?{query}", status_code=303)
