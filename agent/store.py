"""What the engine stores, and the Protocol every storage backend implements."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from agent.language import LanguageSource
from agent.lead_context import LeadContext
from agent.models import FieldName, LeadProfile

if TYPE_CHECKING:
    from agent.events import LeadEvent
    from agent.saved_filters import SavedFilter
    from agent.webhook_endpoints import WebhookEndpoint

Role = Literal["prospect", "assistant", "rep", "system"]


def new_id() -> str:
    return uuid.uuid4().hex


class Message(BaseModel):
    """One message in a conversation, with the versions that produced it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_id)
    conversation_id: str
    role: Role
    text: str
    created_at: datetime
    author: str | None = None
    asking: FieldName | None = None
    prompt_version: str | None = None
    playbook_version: str | None = None
    model: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class Conversation(BaseModel):
    """A conversation and the lead it is qualifying."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_id)
    channel: str = "cli"
    created_at: datetime
    updated_at: datetime
    today: date
    profile: LeadProfile = LeadProfile()
    asked: dict[str, int] = Field(default_factory=dict)
    asking: FieldName | None = None
    score: int = 0
    segment: str = "cold"
    handoff_reason: str | None = None
    handoff_at: datetime | None = None
    prospect_messages: int = 0
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    prompt_version: str | None = None
    playbook_version: str | None = None
    follow_up: dict[str, str | None] | None = None
    """The follow-up chosen with the segment (action, list, reason)."""
    last_message_at: datetime | None = None
    """When the prospect last wrote; decay counts idle days from here."""
    scored_on: date | None = None
    """The date a rescore applied decay for; None while the score is as of the last message."""
    context: LeadContext | None = None
    """Where the chat started (page, referrer, UTM, time zone, returning visitor)."""
    lead_id: str | None = None
    """The lead (contact) this conversation belongs to once it gave an email: the id of the
    conversation that first gave that email. None while the conversation is its own lead."""
    language: str | None = None
    """The language the conversation is held in (ISO 639-1); None for conversations
    stored before languages were followed (the playbook's own)."""
    language_source: LanguageSource | None = None
    """Where the language came from: forced by the widget, the browser's or the page's
    language, detected from the prospect's messages, or the playbook's default."""
    version: int = 0
    """How many times the stored state was written; a write names the version it read, and
    is refused when the stored one has moved on (another worker wrote in between)."""

    @property
    def lead(self) -> str:
        """The lead's stable id: its contact's, or this conversation's own."""
        return self.lead_id or self.id

    def last_active(self) -> datetime:
        """When the prospect last wrote, or the conversation last changed."""
        return self.last_message_at or self.updated_at

    def idle_days(self, on: date) -> int:
        """Whole days from the prospect's last message (or the last update) to ``on``."""
        last = self.last_message_at or self.updated_at
        return max(0, (on - last.date()).days)


@dataclass(frozen=True, slots=True)
class TurnLease:
    """One turn's hold on its conversation: nobody else answers it before ``until`` (the
    turn renews it while it runs), so one worker at a time decides what the lead is."""

    owner: str
    now: datetime
    until: datetime


LeadOrder = Literal["updated_at", "created_at", "score"]


SEARCH_MAX = 100
"""The longest search text a lead list takes."""


class LeadStats(BaseModel):
    """The counts the leads list's charts show."""

    model_config = ConfigDict(frozen=True)

    weeks: list[date]
    """The first day of each of the last eight weeks (seven days each, ending today)."""
    per_week: dict[str, list[int]]
    """Leads created in each of ``weeks``, by segment."""
    funnel: list[tuple[str, int]]
    """Conversations, qualified (segment hot or warm), handed off, claimed, won."""
    scores: list[tuple[int, int]]
    """Leads per score band of ten: (lowest score of the band, count); below 0 is -10."""


class LeadFilter(BaseModel):
    """Which conversations a lead list shows, and in what order."""

    model_config = ConfigDict(frozen=True)

    segment: str | None = None
    min_score: int | None = None
    max_score: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    order_by: LeadOrder = "updated_at"
    descending: bool = True
    started: bool = False
    """Only conversations where the prospect wrote at least once."""
    q: str | None = Field(default=None, max_length=SEARCH_MAX)
    """Text to find, ignoring case, in the email, company or contact name, or in anything
    the prospect wrote; ``%`` and ``_`` are matched literally."""


DeliveryStatus = Literal["pending", "delivered", "dead", "cancelled"]


class Delivery(BaseModel):
    """One lead event on its way to one destination.

    ``pending`` until delivered (``attempts`` and ``last_error`` say how that is going and
    ``next_attempt_at`` when it is tried again), ``delivered`` with the receiver's answer in
    ``note``, or ``dead`` after the last attempt or an answer that retrying cannot change;
    a dead delivery stays until someone retries it. ``cancelled``: its webhook endpoint was
    removed from the dashboard before it was sent.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_id)
    event_id: str
    event_type: str
    conversation_id: str
    destination: str
    status: DeliveryStatus = "pending"
    attempts: int = 0
    next_attempt_at: datetime
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None = None
    last_error: str | None = None
    note: str | None = None


class DeliveryOutcome(BaseModel):
    """What one attempt came to, to be recorded on its delivery."""

    model_config = ConfigDict(frozen=True)

    delivery_id: str
    status: DeliveryStatus
    at: datetime
    next_attempt_at: datetime | None = None
    error: str | None = None
    note: str | None = None


class AuditEntry(BaseModel):
    """Something done to or with a lead: who (``actor``: "admin-api", "dashboard", "cli", or
    "slack:<user id>" for a rep reading a transcript), when, what (``action``: "erase",
    "view_transcript") and to which lead (``subject``, its id). No personal data."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    actor: str
    action: str
    subject: str


class OutboxStore(Protocol):
    """What the event delivery worker needs from storage."""

    async def lease_deliveries(
        self, now: datetime, until: datetime, *, limit: int = 100
    ) -> list[tuple[Delivery, LeadEvent]]:
        """Take up to ``limit`` due pending deliveries for one attempt each (nobody else
        takes them before ``until``), never two of the same lead and destination out of
        order."""

    async def record_deliveries(self, outcomes: Sequence[DeliveryOutcome]) -> None: ...

    async def disable_destination(self, name: str, at: datetime, reason: str) -> None:
        """Turn a destination off (its endpoint is gone): its pending and new deliveries
        become dead letters until its dead letters are retried."""

    async def webhook_endpoints(self) -> list[WebhookEndpoint]:
        """The webhook endpoints added from the dashboard (read again as they change)."""


class HandoffStore(Protocol):
    """What the handoff dispatcher needs from storage."""

    async def due_handoffs(self, now: datetime, *, limit: int = 20) -> list[HandoffRecord]: ...

    async def lease_handoff(
        self, handoff_id: str, now: datetime, until: datetime
    ) -> HandoffRecord | None: ...

    async def handoff_posted(
        self,
        handoff_id: str,
        *,
        channel: str,
        ts: str,
        now: datetime,
        assigned_to: str | None = None,
        card_version: int = 0,
        relayed_pk: int = 0,
    ) -> None: ...

    async def handoff_failed(
        self, handoff_id: str, *, error: str, retry_at: datetime, now: datetime
    ) -> None: ...

    async def count_posted_handoffs(self) -> int: ...

    async def unclaimed_handoffs(self, due_before: datetime) -> list[HandoffRecord]: ...

    async def mark_reminded(self, handoff_id: str, when: datetime | None) -> bool: ...

    async def cards_to_sync(
        self, now: datetime, settled_before: datetime, *, limit: int = 20
    ) -> list[HandoffRecord]: ...

    async def lease_card(self, handoff_id: str, now: datetime, until: datetime) -> bool: ...

    async def card_synced(
        self,
        handoff_id: str,
        *,
        at: datetime | None,
        version: int | None,
        revision: int | None,
        relayed_pk: int,
    ) -> None: ...

    async def messages_since(self, conversation_id: str, key: int) -> list[tuple[int, Message]]: ...

    async def last_message_key(self, conversation_id: str) -> int: ...

    async def last_seen(self, conversation_id: str) -> datetime | None: ...


class Store(HandoffStore, OutboxStore, Protocol):
    """Storage for conversations and their messages."""

    async def init(self) -> None:
        """Create what the backend needs (tables, folders). Safe to call twice."""

    async def close(self) -> None: ...

    async def purge_unstarted(self, before: datetime) -> int:
        """Delete conversations opened before ``before`` in which the prospect never wrote
        (a widget opened and left); how many."""

    async def readiness_problems(self) -> list[str]:
        """Why the storage cannot serve turns now; empty when it can."""

    async def create_admin_session(
        self, session_id: str, key_id: str, now: datetime, expires_at: datetime
    ) -> None:
        """Record a dashboard session by the hash of its token (``session_id``), begun under
        the admin key ``key_id`` names; expired sessions may be dropped meanwhile."""

    async def admin_session_active(self, session_id: str, key_id: str, now: datetime) -> bool:
        """Whether the session exists, has not expired and began under ``key_id``."""

    async def end_admin_session(self, session_id: str) -> None: ...

    async def create_conversation(self, conversation: Conversation) -> None: ...

    async def get_conversation(self, conversation_id: str) -> Conversation | None: ...

    async def open_turn(
        self,
        message: Message,
        *,
        last: int,
        lease: TurnLease,
        idle_before: datetime | None = None,
    ) -> tuple[Conversation | None, list[Message], str | None]:
        """Start a prospect turn in one round trip: take the conversation's turn ``lease``,
        store ``message`` (committed before this returns) unless the conversation already
        has it (a resend), and return the conversation, its ``last`` newest messages from
        before this one (oldest first; a resend's history includes it and what followed)
        and, when a rep has taken the conversation over live, the rep's user id ("" if
        unknown; None without a takeover). Nothing is stored when the conversation does not
        exist (None). Raises :class:`~agent.errors.ConversationBusy`, storing nothing, while
        another turn holds an unexpired lease, and :class:`~agent.errors.ConversationExpired`
        when the conversation's last activity is before ``idle_before``."""

    async def renew_turn(self, conversation_id: str, lease: TurnLease) -> bool:
        """Extend the turn's lease to ``lease.until``; False when it was lost."""

    async def release_turn(self, conversation_id: str, owner: str) -> None:
        """Give the lease back without writing the conversation (a turn that failed)."""

    async def list_conversations(
        self, *, limit: int = 100, offset: int = 0, where: LeadFilter | None = None
    ) -> list[Conversation]: ...

    async def lead_page(
        self, *, limit: int = 100, offset: int = 0, where: LeadFilter | None = None
    ) -> tuple[list[Conversation], int]:
        """A page of the leads list and how many leads ``where`` finds in all."""

    async def add_message(self, message: Message) -> None:
        """Store one message now, committed before this returns."""

    async def messages(self, conversation_id: str, *, last: int | None = None) -> list[Message]:
        """Messages oldest first; with ``last``, only that many of the newest."""

    async def save_turn(
        self,
        conversation: Conversation,
        reply: Message | None,
        handoff: HandoffRecord | None = None,
        events: Sequence[LeadEvent] = (),
        *,
        withdraw: bool = False,
        lease: TurnLease | None = None,
        merged: LeadEvent | None = None,
    ) -> Conversation:
        """Update the conversation and add the reply (and a new handoff, and the lead events
        with a pending delivery to each of their destinations) in one transaction; return
        the conversation as stored (its ``version`` one up).

        The write is refused (:class:`~agent.errors.ConversationChanged`, nothing stored)
        when the stored version is no longer ``conversation.version``, or, for a turn, when
        ``lease`` is no longer its lease (which the write gives back); a write without a
        lease (a rescore) is also refused while a turn holds the conversation.

        ``withdraw`` withdraws the conversation's handoff unless a rep has claimed it by
        now; then the conversation keeps its handoff.

        A conversation that knows an email is linked to that email's contact (lead) in the
        same transaction, made with the conversation's id when new; ``merged``
        (``lead.merged``) is recorded when it joined an earlier lead. In a turn, the
        conversation stands for its lead from now on and takes over the lead's live
        handoff: a handoff due then is that one (no second ``lead.handoff``)."""

    async def lead_profiles(
        self, email: str, *, exclude: str
    ) -> tuple[str, list[LeadProfile]] | None:
        """The lead known by ``email`` (its id) and its other conversations' profiles."""

    async def lead_conversations(self, conversation_id: str) -> list[Conversation]:
        """Every conversation of the lead ``conversation_id`` belongs to, oldest first."""

    async def lead_current(self, conversation_id: str) -> Conversation | None:
        """The conversation standing for the lead ``conversation_id`` belongs to."""

    async def last_message_key(self, conversation_id: str) -> int:
        """The ordering key of the conversation's newest message; 0 without any."""

    async def messages_after(self, conversation_id: str, key: int) -> list[tuple[int, Message]]:
        """Messages after the one with ordering key ``key``, with their keys, oldest first."""

    async def get_handoff(self, conversation_id: str) -> HandoffRecord | None: ...

    async def erase_conversation(
        self,
        conversation_id: str,
        event: LeadEvent | None = None,
        audit: AuditEntry | None = None,
    ) -> bool:
        """Delete the conversation and everything about it, leaving no copy in the database
        files; record ``event`` and ``audit`` if it was there."""

    async def audit_log(self, *, limit: int = 100) -> list[AuditEntry]:
        """The newest audit entries first."""

    async def lead_state(self, conversation_id: str) -> LeadState | None:
        """The lead's status, reason and owner (None when there is no such lead)."""

    async def update_lead(
        self, conversation_id: str, change: LeadChange, event: LeadEvent | None = None
    ) -> LeadState | None:
        """Apply ``change`` in one statement (two workers cannot lose each other's change)
        and record ``event`` (lead.status_changed, its data given the old status) in the same
        transaction when the status or reason changed. None when there is no such lead."""

    async def add_note(self, note: LeadNote) -> bool:
        """Add an internal note; False when there is no such lead."""

    async def lead_notes(self, conversation_id: str) -> list[LeadNote]:
        """The lead's notes, oldest first."""

    async def mark_seen(self, conversation_id: str, now: datetime) -> None:
        """The prospect's widget is open on the site now (a heartbeat)."""

    async def record_audit(self, entry: AuditEntry) -> None:
        """Add ``entry`` to the audit log (e.g. a rep read a lead's transcript)."""

    async def claim_handoff(
        self, conversation_id: str, user: str, now: datetime, event: LeadEvent | None = None
    ) -> tuple[bool, HandoffRecord | None]:
        """Claim a lead for ``user``; ``event`` is recorded with the claim that lands."""

    async def release_handoff(self, conversation_id: str, now: datetime) -> str | None:
        """Give a claimed lead back; the rep who had it, or None when nobody had."""

    async def saved_filters(self) -> list[SavedFilter]:
        """The team's saved views of the leads list, by name."""

    async def save_filter(self, saved: SavedFilter, audit: AuditEntry | None = None) -> None:
        """Add a saved filter; :class:`~agent.saved_filters.DuplicateName` when another has
        the same name ignoring case."""

    async def delete_filter(self, filter_id: str, audit: AuditEntry | None = None) -> bool:
        """Delete a saved filter; False when there was none."""

    async def add_webhook_endpoint(
        self, endpoint: WebhookEndpoint, audit: AuditEntry | None = None
    ) -> None:
        """Add an endpoint; :class:`~agent.webhook_endpoints.DuplicateEndpoint` when one
        with the same URL is there."""

    async def remove_webhook_endpoint(
        self, endpoint_id: str, now: datetime, audit: AuditEntry | None = None
    ) -> int | None:
        """Remove an endpoint, cancelling its pending deliveries: how many; None when there
        was no such endpoint."""


HandoffStatus = Literal["pending", "posted", "withdrawn"]


class HandoffRecord(BaseModel):
    """A handoff to the sales team, stored with the turn that made it due and posted later.

    ``pending`` until the notifier has posted it (``attempts`` and ``last_error`` say how
    that is going), then ``posted`` with the channel and message timestamp it got. A
    conversation has at most one. ``withdrawn`` when the lead stopped qualifying for a
    person before a rep claimed it (disqualified, or no longer hot); due again, the same
    handoff is pending again.
    """

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_id)
    conversation_id: str
    reason: str
    channel: str
    status: HandoffStatus = "pending"
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime
    attempts: int = 0
    last_error: str | None = None
    posted_channel: str | None = None
    posted_ts: str | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    takeover: bool = False
    """A rep claimed the lead and is talking to the prospect: the bot stays quiet."""
    feedback: str | None = None
    feedback_by: str | None = None
    feedback_at: datetime | None = None
    assigned_to: str | None = None
    """The rep picked by round-robin assignment, if that is on."""
    reminded_at: datetime | None = None
    revision: int = 0
    """Counts changes to the handoff itself (claim, release, not a fit, reassignment)."""
    card_version: int = 0
    card_revision: int = 0
    relayed_pk: int = 0
    card_synced_at: datetime | None = None


LeadStatus = Literal["new", "contacted", "meeting", "won", "lost"]
LEAD_STATUSES: tuple[LeadStatus, ...] = ("new", "contacted", "meeting", "won", "lost")
NOTE_MAX_CHARS = 5000
REASON_MAX_CHARS = 500
OWNER_MAX_CHARS = 64


def status_problem(status: str, reason: str | None) -> str | None:
    """Why a status and reason cannot be set together (None when they can): the status
    must be one of :data:`LEAD_STATUSES`; a lost lead needs a reason; only won or lost
    leads carry one."""
    if status not in LEAD_STATUSES:
        return f"status must be one of {', '.join(LEAD_STATUSES)}"
    if status == "lost" and not (reason or "").strip():
        return "a lost lead needs a reason"
    if reason and status not in ("won", "lost"):
        return "only a won or lost lead takes a reason"
    if reason and len(reason) > REASON_MAX_CHARS:
        return f"the reason is longer than {REASON_MAX_CHARS} characters"
    return None


class LeadState(BaseModel):
    """Where sales is with a lead: its status (with the reason it was won or lost), who owns
    it, and who last changed the status when."""

    model_config = ConfigDict(frozen=True)

    status: LeadStatus = "new"
    reason: str | None = None
    owner: str | None = None
    status_changed_at: datetime | None = None
    status_changed_by: str | None = None


class LeadChange(BaseModel):
    """A change to a lead's state: ``status`` (with ``reason``) and/or ``owner``; a field
    left None stays as it is (``clear_owner`` removes the owner)."""

    model_config = ConfigDict(frozen=True)

    status: LeadStatus | None = None
    reason: str | None = None
    owner: str | None = None
    clear_owner: bool = False
    actor: str
    at: datetime


class LeadNote(BaseModel):
    """An internal note on a lead, for the sales team (never shown to the prospect)."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: new_id())
    conversation_id: str
    author: str
    text: str = Field(min_length=1, max_length=NOTE_MAX_CHARS)
    created_at: datetime
