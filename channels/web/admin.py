"""The admin API: leads with filters, lead detail, export, erasure and rescoring.

Every route needs the admin API key (``Authorization: Bearer KEY`` or ``X-API-Key``),
compared in constant time. A dashboard session (its cookie) is enough to read (GET), never
to change anything: a page on another site of the same host cannot make the browser
rescore or erase leads.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from agent.events import context_payload
from agent.lead_context import context_lines
from agent.models import FACT_LABELS
from agent.rescoring import rescore_all
from agent.store import (
    NOTE_MAX_CHARS,
    OWNER_MAX_CHARS,
    REASON_MAX_CHARS,
    SEARCH_MAX,
    Conversation,
    Delivery,
    LeadChange,
    LeadFilter,
    LeadNote,
    LeadState,
    LeadStatus,
    Message,
    status_problem,
)
from agent.team_words import TeamWords
from channels.web.display import (
    authority_text,
    budget_said,
    budget_text,
    iso,
    need_text,
    words,
)
from channels.web.errors import ApiError
from channels.web.keys import same_secret
from channels.web.lead_conversations import ConversationPart, lead_parts
from channels.web.sessions import has_session
from channels.web.state import WebState, get_state

SAFE_METHODS = ("GET", "HEAD")


def api_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else None
    return key or request.headers.get("x-api-key")


async def require_admin(
    request: Request, state: Annotated[WebState, Depends(get_state)]
) -> WebState:
    key = api_key(request)
    if key is not None:
        if not same_secret(key, state.admin_key):
            raise ApiError(401, "unauthorized", "An admin API key is required.")
        return state
    if request.method in SAFE_METHODS and await has_session(request, state):
        return state
    raise ApiError(
        401,
        "unauthorized",
        "An admin API key is required (Authorization: Bearer <key>); a dashboard session "
        "can only read.",
    )


Admin = Annotated[WebState, Depends(require_admin)]
router = APIRouter(prefix="/api/admin", tags=["admin"])


class LeadSummary(BaseModel):
    id: str
    channel: str
    created_at: datetime
    updated_at: datetime
    score: int
    segment: str
    industry: str | None
    company_size: int | None
    company_name: str | None
    email: str | None
    contact_name: str | None = None
    role: str | None = None
    """The prospect's role, with the authority level in words."""
    need: str | None = None
    """Use cases and fit, in words."""
    handoff_reason: str | None
    handoff_at: datetime | None
    prospect_messages: int
    follow_up: str | None = None
    """What happens next: sales_handoff, nurture:<list> or none."""

    conversation_id: str | None = None
    """The lead's conversation the prospect wrote in last (the lead's id names its first)."""
    conversations: int = 1
    """How many conversations the lead has had (one contact, by email)."""

    @classmethod
    def of(
        cls, conversation: Conversation, conversations: int = 1, team: TeamWords | None = None
    ) -> LeadSummary:
        """The lead's summary; ``role`` and ``need`` in the ``team``'s words (English by
        default, as the API gives them)."""
        profile = conversation.profile
        return cls(
            id=conversation.lead,
            conversation_id=conversation.id,
            conversations=conversations,
            channel=conversation.channel,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
            score=conversation.score,
            segment=conversation.segment,
            industry=profile.industry.value if profile.industry else None,
            company_size=profile.company_size.value if profile.company_size else None,
            company_name=profile.company_name.value if profile.company_name else None,
            email=profile.email.value if profile.email else None,
            contact_name=profile.contact_name.value if profile.contact_name else None,
            role=authority_text(profile.authority.value, team) if profile.authority else None,
            need=need_text(profile.need.value, team) if profile.need else None,
            handoff_reason=conversation.handoff_reason,
            handoff_at=conversation.handoff_at,
            prospect_messages=conversation.prospect_messages,
            follow_up=follow_up_label(conversation.follow_up),
        )


def follow_up_label(follow_up: dict[str, str | None] | None) -> str | None:
    if not follow_up:
        return None
    action = follow_up.get("action") or "none"
    listed = follow_up.get("list")
    return f"{action}:{listed}" if listed else action


class LeadPage(BaseModel):
    total: int
    leads: list[LeadSummary]


class LeadDetail(BaseModel):
    lead: LeadSummary
    profile: dict[str, Any]
    score: dict[str, Any]
    segment: dict[str, Any]
    transcript: list[dict[str, Any]]
    handoff: dict[str, Any] | None = None
    """The handoff to the sales team: ``pending`` until it is posted (e.g. to Slack)."""
    context: dict[str, Any] | None = None
    """Where the chat started (see :class:`agent.lead_context.LeadContext`)."""
    context_lines: list[str] = []
    """The same for people, with the prospect's local time now."""
    sales: LeadState | None = None
    """Where sales is with the lead: status (with the reason it was won or lost), owner."""
    notes: list[LeadNote] = []
    """Internal notes of the sales team, oldest first."""
    conversations: list[dict[str, Any]] = []
    """The lead's conversations, oldest first (id, channel, started_at, page); the
    transcript holds the messages of all of them, each with its ``conversation_id``."""


class LeadPatch(BaseModel):
    """A change to a lead: any of status, reason (required for lost, allowed for won) and
    owner (null or empty removes it)."""

    model_config = ConfigDict(extra="forbid")

    status: LeadStatus | None = None
    reason: str | None = Field(default=None, max_length=REASON_MAX_CHARS)
    owner: str | None = Field(default=None, max_length=OWNER_MAX_CHARS)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=NOTE_MAX_CHARS)


class RescoreResult(BaseModel):
    checked: int
    changed: list[dict[str, Any]]
    dry_run: bool


async def lead_filter(
    segment: Annotated[str | None, Query(description="hot, warm, cold or disqualified")] = None,
    min_score: int | None = None,
    max_score: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    order_by: Literal["updated_at", "created_at", "score"] = "updated_at",
    descending: bool = True,
    q: Annotated[
        str | None,
        Query(
            max_length=SEARCH_MAX,
            description="Text in the email, company, name or the prospect's messages "
            "(any case; % and _ are literal)",
        ),
    ] = None,
) -> LeadFilter:
    return LeadFilter(
        q=(q or "").strip() or None,
        segment=segment or None,
        min_score=min_score,
        max_score=max_score,
        since=since,
        until=until,
        order_by=order_by,
        descending=descending,
        started=True,  # a chat where the prospect never wrote is not a lead
    )


Filter = Annotated[LeadFilter, Depends(lead_filter)]


@router.get("/leads", response_model=LeadPage)
async def list_leads(
    state: Admin,
    where: Filter,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> LeadPage:
    leads, total = await state.engine.store.lead_page(limit=limit, offset=offset, where=where)
    return LeadPage(total=total, leads=await summaries(state, leads))


async def summaries(
    state: WebState, leads: list[Conversation], team: TeamWords | None = None
) -> list[LeadSummary]:
    """The list's leads (one conversation standing for each), with their conversation counts;
    role and need in the ``team``'s words (English by default)."""
    counts = await state.engine.store.conversation_counts([c.lead for c in leads])
    return [LeadSummary.of(c, counts.get(c.lead, 1), team) for c in leads]


async def lead_detail(
    state: WebState, lead_id: str
) -> tuple[Conversation, list[Message], list[ConversationPart]]:
    """The lead ``lead_id`` (the id of any of its conversations) as the conversation standing
    for it, the messages of all its conversations in order, and the conversations."""
    store = state.engine.store
    conversation = await store.lead_current(lead_id)
    if conversation is None:
        raise ApiError(404, "lead_not_found", "No lead with this id.")
    parts = await lead_parts(store, conversation.id)
    return conversation, [m for part in parts for m in part.messages], parts


def detail_payload(
    state: WebState, conversation: Conversation, messages: list[Message]
) -> LeadDetail:
    breakdown, seg = state.engine.evaluate_conversation(conversation)
    reps_language = state.engine.playbook.reps_language
    language_line = state.reps.conversation_line(conversation.language, reps_language)
    return LeadDetail(
        lead=LeadSummary.of(conversation),
        profile=conversation.profile.model_dump(mode="json"),
        score={
            "total": breakdown.total,
            "items": [
                {
                    "rule": item.rule,
                    "label": item.label,
                    "fact": item.fact,
                    "value": item.value,
                    "points": item.points,
                    "quote": item.quote,
                    "message_id": item.message_id,
                }
                for item in breakdown.items
            ],
        },
        segment={
            "name": seg.name,
            "band": seg.band,
            "channel": seg.channel,
            "tags": list(seg.tags),
            "industry": seg.industry,
            "size_tier": seg.size_tier,
            "disqualified_reason": seg.disqualified_reason,
            "follow_up": seg.follow_up.as_dict(),
            "follow_up_label": seg.follow_up.label,
        },
        transcript=[m.model_dump(mode="json") for m in messages],
        context=context_payload(conversation),
        context_lines=[
            *filter(None, [language_line]),
            *context_lines(conversation.context, state.engine.clock(), state.reps),
        ],
    )


EXPORT_COLUMNS = [
    "id",
    "link",
    "name",
    "email",
    "company",
    "company_size",
    "industry",
    "role",
    "authority_level",
    "budget_annual_usd",
    "budget",
    "budget_as_said",
    "need_use_cases",
    "need_fit",
    "need",
    "timeline",
    "timeline_months",
    "score",
    "segment",
    "follow_up",
    "handoff_reason",
    "quotes",
    "score_breakdown",
    "channel",
    "created_at",
    "updated_at",
    "prospect_messages",
    "conversations",
]
"""The CSV export's columns: who, the qualification (budget, authority, need, timeline),
the score and where the lead goes, the prospect's words and a link to the lead's page."""


def export_row(state: WebState, conversation: Conversation, base_url: str) -> dict[str, Any]:
    """One lead as a CSV row (see :data:`EXPORT_COLUMNS`)."""
    profile = conversation.profile
    breakdown, _ = state.engine.evaluate_conversation(conversation)
    budget = profile.budget.value if profile.budget else None
    authority = profile.authority.value if profile.authority else None
    need = profile.need.value if profile.need else None
    timeline = profile.timeline.value if profile.timeline else None
    quotes = []
    for name, label in FACT_LABELS:
        fact = getattr(profile, name)
        if fact is not None and fact.evidence.quote:
            quotes.append(f"{label}: “{fact.evidence.quote}”")
    return {
        "id": conversation.lead,
        "link": f"{base_url}/admin/leads/{conversation.lead}",
        "name": profile.contact_name.value if profile.contact_name else "",
        "email": profile.email.value if profile.email else "",
        "company": profile.company_name.value if profile.company_name else "",
        "company_size": profile.company_size.value if profile.company_size else "",
        "industry": words(profile.industry.value) if profile.industry else "",
        "role": authority.role or "" if authority else "",
        "authority_level": words(authority.level) if authority else "",
        "budget_annual_usd": (
            round(budget.annual_usd) if budget and budget.annual_usd is not None else ""
        ),
        "budget": budget_text(budget) if budget else "",
        "budget_as_said": (
            profile.budget.evidence.quote if profile.budget and budget_said(budget) else ""
        )
        if budget
        else "",
        "need_use_cases": "; ".join(need.use_cases) if need else "",
        "need_fit": need.fit if need else "",
        "need": need_text(need) if need else "",
        "timeline": timeline.text if timeline else "",
        "timeline_months": timeline.months if timeline and timeline.months is not None else "",
        "score": conversation.score,
        "segment": conversation.segment,
        "follow_up": words(follow_up_label(conversation.follow_up)),
        "handoff_reason": words(conversation.handoff_reason) if conversation.handoff_reason else "",
        "quotes": " | ".join(quotes),
        "score_breakdown": "; ".join(f"{item.points:+d} {item.label}" for item in breakdown.items),
        "channel": conversation.channel,
        "created_at": iso(conversation.created_at),
        "updated_at": iso(conversation.updated_at),
        "prospect_messages": conversation.prospect_messages,
    }


def export_base_url(state: WebState, request: Request) -> str:
    """Where links in an export point: the configured public address, else this request's."""
    return (state.settings.public_url or str(request.base_url)).rstrip("/")


@router.get("/leads/export")
async def export_leads(
    request: Request, state: Admin, where: Filter, format: Literal["csv", "json"] = "csv"
) -> Response:
    """Every lead the filter selects (all of them without one), in its order."""
    store = state.engine.store
    found: list[Conversation] = []
    offset = 0
    while batch := await store.list_conversations(limit=500, offset=offset, where=where):
        found.extend(batch)
        offset += len(batch)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if format == "json":
        listed = await summaries(state, found)
        body = json.dumps([lead.model_dump(mode="json") for lead in listed], indent=2)
        return Response(
            body,
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="leads-{stamp}.json"'},
        )
    base = export_base_url(state, request)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    counts = await store.conversation_counts([c.lead for c in found])
    for conversation in found:
        row = export_row(state, conversation, base)
        row["conversations"] = counts.get(conversation.lead, 1)
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leads-{stamp}.csv"'},
    )


def _csv_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text a prospect typed (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get("/leads/{lead_id}", response_model=LeadDetail)
async def get_lead(lead_id: str, state: Admin) -> LeadDetail:
    """The lead by its id, or by the id of any of its conversations (one that joined the
    lead of its email later gives the lead it joined)."""
    conversation, messages, parts = await lead_detail(state, lead_id)
    detail = detail_payload(state, conversation, messages)
    detail.lead.conversations = len(parts)
    detail.conversations = [part.summary() for part in parts]
    handoff = await state.engine.store.get_handoff(conversation.id)
    if handoff is not None:
        detail.handoff = handoff.model_dump(mode="json", exclude={"next_attempt_at"})
    detail.sales = await state.engine.store.lead_state(conversation.id)
    detail.notes = await state.engine.store.lead_notes(conversation.id)
    return detail


async def change_lead(
    state: WebState,
    lead_id: str,
    *,
    status: str | None,
    reason: str | None,
    owner: str | None,
    owner_given: bool,
    actor: str,
) -> LeadState:
    """Set a lead's status and/or owner: 422 for a status, reason or owner that cannot be
    set (nothing is changed then), 404 for a missing lead."""
    reason = (reason or "").strip() or None
    if status is None and reason is not None:
        raise ApiError(422, "invalid_lead_change", "A reason goes with a status (won or lost).")
    if status is not None:
        problem = status_problem(status, reason)
        if problem is not None:
            raise ApiError(422, "invalid_lead_change", problem[0].upper() + problem[1:] + ".")
    owner = (owner or "").strip() or None
    if owner is not None and len(owner) > OWNER_MAX_CHARS:
        raise ApiError(
            422, "invalid_lead_change", f"The owner is longer than {OWNER_MAX_CHARS} characters."
        )
    if status is None and not owner_given:
        raise ApiError(422, "invalid_lead_change", "Give a status, an owner or both.")
    change = LeadChange(
        status=cast(LeadStatus | None, status),
        reason=reason,
        owner=owner,
        clear_owner=owner_given and owner is None,
        actor=actor,
        at=state.engine.clock(),
    )
    result = await state.engine.update_lead(lead_id, change)
    if result is None:
        raise ApiError(404, "lead_not_found", "No lead with this id.")
    return result


async def add_lead_note(state: WebState, lead_id: str, text: str, author: str) -> LeadNote:
    """Add an internal note: 422 for an empty or too long one, 404 for a missing lead."""
    text = text.strip()
    if not text:
        raise ApiError(422, "invalid_note", "The note is empty.")
    if len(text) > NOTE_MAX_CHARS:
        raise ApiError(
            422, "invalid_note", f"The note is longer than {NOTE_MAX_CHARS:,} characters."
        )
    note = LeadNote(
        conversation_id=lead_id, author=author, text=text, created_at=state.engine.clock()
    )
    if not await state.engine.store.add_note(note):
        raise ApiError(404, "lead_not_found", "No lead with this id.")
    return note


@router.patch("/leads/{lead_id}", response_model=LeadState)
async def update_lead(lead_id: str, body: LeadPatch, state: Admin) -> LeadState:
    """Set the lead's status (new, contacted, meeting, won, lost: a lost lead needs a
    reason) and/or owner; a status change writes ``lead.status_changed``."""
    return await change_lead(
        state,
        lead_id,
        status=body.status,
        reason=body.reason,
        owner=body.owner,
        owner_given="owner" in body.model_fields_set,
        actor="admin-api",
    )


@router.post("/leads/{lead_id}/notes", response_model=LeadNote, status_code=201)
async def add_note(lead_id: str, body: NoteIn, state: Admin) -> LeadNote:
    return await add_lead_note(state, lead_id, body.text, "admin-api")


@router.delete("/leads/{lead_id}", status_code=204)
async def erase_lead(lead_id: str, state: Admin) -> Response:
    if not await state.engine.erase(lead_id, actor="admin-api"):
        raise ApiError(404, "lead_not_found", "No lead with this id.")
    return Response(status_code=204)


class AuditOut(BaseModel):
    at: datetime
    actor: str
    action: str
    subject: str


@router.get("/audit", response_model=list[AuditOut])
async def audit(state: Admin, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AuditOut]:
    """What was done to or with leads (erasures, transcripts read through a rep's grant),
    newest first: who, when, which lead id."""
    entries = await state.engine.store.audit_log(limit=limit)
    return [AuditOut(**entry.model_dump()) for entry in entries]


@router.post("/rescore", response_model=RescoreResult)
async def rescore(
    state: Admin,
    dry_run: bool = False,
    on: Annotated[
        date | None, Query(description="Apply score decay as of this date (default: today).")
    ] = None,
) -> RescoreResult:
    """Score every lead again with the playbook, with decay as of ``on``; leads that move
    segment get ``lead.segment_changed`` events (not with ``dry_run``)."""
    engine = state.engine
    report = await rescore_all(
        engine.store,
        engine.playbook,
        write=not dry_run,
        on=on or engine.clock().date(),
        subscriptions=engine.subscriptions,
        now=engine.clock(),
    )
    return RescoreResult(
        checked=report.checked,
        changed=[
            {
                "id": change.conversation_id,
                "old_score": change.old_score,
                "new_score": change.new_score,
                "old_segment": change.old_segment,
                "new_segment": change.new_segment,
                "decay": change.decay,
                "follow_up": change.follow_up,
            }
            for change in report.changes
        ],
        dry_run=dry_run,
    )


class DeliveryPage(BaseModel):
    counts: dict[str, int]
    deliveries: list[Delivery]


class Requeued(BaseModel):
    requeued: int


@router.get("/deliveries", response_model=DeliveryPage, tags=["events"])
async def list_deliveries(
    state: Admin,
    status: Annotated[
        Literal["pending", "delivered", "dead", "cancelled"] | None,
        Query(description="pending, delivered, dead (dead letters) or cancelled"),
    ] = None,
    destination: str | None = None,
    lead: Annotated[str | None, Query(description="Only this lead's events.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DeliveryPage:
    """Deliveries of lead events to webhooks and CRMs, newest first."""
    store = state.engine.store
    rows = await store.list_deliveries(
        status=status, destination=destination, conversation_id=lead, limit=limit, offset=offset
    )
    return DeliveryPage(counts=await store.count_deliveries(), deliveries=rows)


@router.post("/deliveries/{delivery_id}/retry", response_model=Requeued, tags=["events"])
async def retry_delivery(delivery_id: str, state: Admin) -> Requeued:
    """Put a dead letter back in the queue with a fresh set of attempts."""
    count = await requeue(state, ids=[delivery_id])
    if not count:
        raise ApiError(404, "not_a_dead_letter", "No dead delivery with this id.")
    return Requeued(requeued=count)


@router.post("/deliveries/retry", response_model=Requeued, tags=["events"])
async def retry_dead_letters(state: Admin, destination: str | None = None) -> Requeued:
    """Put every dead letter (of one destination, if given) back in the queue."""
    return Requeued(requeued=await requeue(state, destination=destination))


async def requeue(
    state: WebState, *, ids: list[str] | None = None, destination: str | None = None
) -> int:
    engine = state.engine
    count = await engine.store.retry_deliveries(engine.clock(), ids=ids, destination=destination)
    if count and engine.on_events is not None:
        engine.on_events()
    return count
