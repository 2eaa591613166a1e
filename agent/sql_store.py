"""The SQL store: SQLAlchemy 2 async on SQLite (aiosqlite, the default) or PostgreSQL (asyncpg).

A conversation row keeps the whole conversation state as JSON, plus the columns a lead
list filters and sorts on (segment, score, dates). Messages are rows of their own, ordered
by an autoincrementing key.

The schema belongs to the Alembic migrations in :mod:`agent.migrations`: ``init()`` brings
the database to the newest revision. Changing a table here means adding a migration.

Both backends behave the same: datetimes go in as UTC and come back timezone-aware, JSON
comes back as the dicts that went in, text columns never receive NUL characters (which
PostgreSQL refuses; the JSON copy that reads use keeps the text exactly), and a string
longer than its column is refused before it reaches either database.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    cast,
    create_engine,
    delete,
    event,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    true,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.orm import aliased

from agent import migrations
from agent.errors import (
    ConversationBusy,
    ConversationChanged,
    ConversationExpired,
    QualifyError,
)
from agent.event_types import matches
from agent.events import LeadEvent
from agent.leads import email_key
from agent.models import LeadProfile
from agent.saved_filters import DuplicateName, SavedFilter
from agent.saved_filters import name_key as filter_name_key
from agent.store import (
    NOTE_MAX_CHARS,
    AuditEntry,
    Conversation,
    Delivery,
    DeliveryOutcome,
    DeliveryStatus,
    HandoffRecord,
    LeadChange,
    LeadFilter,
    LeadNote,
    LeadState,
    LeadStats,
    Message,
    TurnLease,
    new_id,
)
from agent.webhook_endpoints import DuplicateEndpoint, WebhookEndpoint

T = TypeVar("T")

CANCELLED_NOTE = "not sent: its webhook endpoint was removed"


class DatabaseUnavailable(QualifyError):
    """The database cannot be reached or opened (refused, unknown host, bad credentials)."""


def normalize_database_url(url: str) -> str:
    """The URL the async engine needs: an async driver for bare ``postgres(ql)://`` and
    ``sqlite://`` URLs, and asyncpg's ``ssl`` for libpq's ``sslmode`` query parameter."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    if parsed.drivername == "postgresql+asyncpg" and "sslmode" in parsed.query:
        query = dict(parsed.query)
        query.setdefault("ssl", query.pop("sslmode"))
        parsed = parsed.set(query=query)
    return parsed.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC; naive values are taken to be UTC.

    SQLite keeps no offset, so storing UTC is what makes its comparisons and order match
    PostgreSQL's ``timestamptz``; values read back are aware on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("score", Integer, nullable=False),
    Column("segment", String(32), nullable=False),
    Column("handoff_at", UTCDateTime(), nullable=True),
    Column("state", JSON, nullable=False),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("turn_owner", String(64), nullable=True),
    Column("turn_until", UTCDateTime(), nullable=True),
    Column("last_seen_at", UTCDateTime(), nullable=True),
    Column("lead_status", String(16), nullable=False, server_default="new"),
    Column("status_reason", String(500), nullable=True),
    Column("owner", String(64), nullable=True),
    Column("status_changed_at", UTCDateTime(), nullable=True),
    Column("status_changed_by", String(64), nullable=True),
    # The lead's email, company and contact name, lowercased, one a line: what a search of
    # the leads list matches without reading the JSON state.
    Column("search_text", Text, nullable=False, server_default=""),
    # The contact (lead) the conversation belongs to once it gave an email; None while it
    # is a lead of its own. The same as ``lead_id`` in the JSON state.
    Column("contact_id", String(64), nullable=True),
)
Index("ix_conversations_segment_score", conversations.c.segment, conversations.c.score)
Index("ix_conversations_updated_at", conversations.c.updated_at)
# The leads list sorts and filters from these alone (the id is in each, so telling a
# started chat needs no read of the row with its JSON state; the contact, so telling the
# conversation that stands for its lead needs none either).
Index(
    "ix_conversations_list_updated",
    conversations.c.updated_at,
    conversations.c.id,
    conversations.c.contact_id,
)
Index(
    "ix_conversations_list_created",
    conversations.c.created_at,
    conversations.c.id,
    conversations.c.contact_id,
)
Index(
    "ix_conversations_list_score",
    conversations.c.score,
    conversations.c.id,
    conversations.c.contact_id,
)
Index(
    "ix_conversations_list_segment_updated",
    conversations.c.segment,
    conversations.c.updated_at,
    conversations.c.id,
    conversations.c.contact_id,
)
Index(
    "ix_conversations_list_segment_score",
    conversations.c.segment,
    conversations.c.score,
    conversations.c.id,
    conversations.c.contact_id,
)
# A search reads the lead's words from this index alone, never the row with its JSON state.
Index(
    "ix_conversations_search",
    conversations.c.search_text,
    conversations.c.id,
    conversations.c.contact_id,
)
Index("ix_conversations_contact", conversations.c.contact_id, conversations.c.created_at)

# One row per person, by normalised email (trimmed, lowercased): a lead of several
# conversations. Its id is the id of the conversation that first gave the email (so a lead
# keeps its id); ``current_id`` is the conversation standing for the lead in lists, the one
# the prospect wrote in last.
contacts = Table(
    "contacts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("current_id", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("email", name="uq_contacts_email"),
)
Index("ix_contacts_current", contacts.c.current_id)

messages = Table(
    "messages",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column(
        "conversation_id",
        String(64),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("role", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("data", JSON, nullable=False),
)
Index("ix_messages_conversation", messages.c.conversation_id, messages.c.pk)
Index("ix_messages_conversation_role", messages.c.conversation_id, messages.c.role)

handoffs = Table(
    "handoffs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "conversation_id",
        String(64),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("reason", String(32), nullable=False),
    Column("channel", String(128), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("posted_channel", String(64), nullable=True),
    Column("posted_ts", String(32), nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("claimed_at", UTCDateTime(), nullable=True),
    Column("takeover", Boolean, nullable=False, server_default=false()),
    Column("feedback", Text, nullable=True),
    Column("feedback_by", String(64), nullable=True),
    Column("feedback_at", UTCDateTime(), nullable=True),
    Column("assigned_to", String(64), nullable=True),
    Column("reminded_at", UTCDateTime(), nullable=True),
    Column("revision", Integer, nullable=False, server_default="0"),
    Column("card_version", Integer, nullable=False, server_default="0"),
    Column("card_revision", Integer, nullable=False, server_default="0"),
    Column("relayed_pk", Integer, nullable=False, server_default="0"),
    Column("card_synced_at", UTCDateTime(), nullable=True),
    Column("card_lease_until", UTCDateTime(), nullable=True),
)
Index("ix_handoffs_status_next_attempt", handoffs.c.status, handoffs.c.next_attempt_at)

lead_notes = Table(
    "lead_notes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "conversation_id",
        String(64),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("author", String(64), nullable=False),
    Column("text", String(NOTE_MAX_CHARS), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)
Index("ix_lead_notes_conversation", lead_notes.c.conversation_id, lead_notes.c.created_at)

lead_events = Table(
    "lead_events",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("type", String(32), nullable=False),
    Column("conversation_id", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("body", JSON, nullable=False),
)
Index("ix_lead_events_conversation", lead_events.c.conversation_id, lead_events.c.pk)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "event_pk",
        Integer,
        ForeignKey("lead_events.pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("conversation_id", String(64), nullable=False),
    Column("destination", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime(), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("note", String(200), nullable=True),
    UniqueConstraint("event_pk", "destination", name="uq_deliveries_event_destination"),
)
Index("ix_deliveries_status_next", deliveries.c.status, deliveries.c.next_attempt_at)
Index(
    "ix_deliveries_order",
    deliveries.c.destination,
    deliveries.c.conversation_id,
    deliveries.c.event_pk,
)

admin_sessions = Table(
    "admin_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("key_id", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

disabled_destinations = Table(
    "disabled_destinations",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("reason", String(200), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", String(64), nullable=False),
)

saved_filters = Table(
    "saved_filters",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("name_key", String(60), nullable=False, unique=True),
    Column("query", String(2000), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("url", String(2000), nullable=False, unique=True),
    Column("secret", String(128), nullable=False),
    Column("events", JSON, nullable=False),
    Column("description", String(200), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

readiness = Table(
    "readiness",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("checked_at", UTCDateTime(), nullable=False),
)

slack_events = Table(
    "slack_events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("received_at", UTCDateTime(), nullable=False),
)


def _checked(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row, if its strings fit their columns: PostgreSQL refuses longer ones and SQLite
    would store them, so both refuse them here."""
    for name, value in row.items():
        length = getattr(table.c[name].type, "length", None)
        if isinstance(value, str) and length is not None and len(value) > length:
            raise ValueError(
                f"{table.name}.{name} holds at most {length} characters, got {len(value)}"
            )
    return row


def _conversation_row(conversation: Conversation) -> dict[str, Any]:
    return _checked(
        conversations,
        {
            "id": conversation.id,
            "channel": conversation.channel,
            "created_at": conversation.created_at,
            "updated_at": conversation.updated_at,
            "score": conversation.score,
            "segment": conversation.segment,
            "handoff_at": conversation.handoff_at,
            "state": conversation.model_dump(mode="json"),
            "version": conversation.version,
            "search_text": search_text(conversation),
            "contact_id": conversation.lead_id,
        },
    )


def search_text(conversation: Conversation) -> str:
    """What a leads list search matches besides the prospect's messages: the email, company
    and contact name, lowercased, one a line."""
    profile = conversation.profile
    facts = (profile.email, profile.company_name, profile.contact_name)
    return "\n".join(fact.value.lower() for fact in facts if fact is not None)


def _message_row(message: Message) -> dict[str, Any]:
    return _checked(
        messages,
        {
            "id": message.id,
            "conversation_id": message.conversation_id,
            "role": message.role,
            "text": message.text.replace("\x00", "\ufffd"),
            "created_at": message.created_at,
            "data": message.model_dump(mode="json"),
        },
    )


def _handoff_row(handoff: HandoffRecord) -> dict[str, Any]:
    return _checked(handoffs, handoff.model_dump())


def _handoff(row: Any) -> HandoffRecord:
    return HandoffRecord.model_validate(dict(row._mapping))


def _withdraw_handoff(conn: Connection, conversation: Conversation) -> bool:
    """Withdraw the conversation's handoff unless a rep has claimed it; whether it was."""
    result = conn.execute(
        update(handoffs)
        .where(
            handoffs.c.conversation_id == conversation.id,
            handoffs.c.claimed_by.is_(None),
        )
        .values(
            status="withdrawn",
            updated_at=conversation.updated_at,
            revision=handoffs.c.revision + 1,
        )
    )
    return bool(result.rowcount)


def _with_stored_handoff(conn: Connection, conversation: Conversation) -> Conversation:
    """``conversation`` with the handoff it has in the database."""
    row = conn.execute(_SELECT_STATE, {"conversation_id": conversation.id}).one()
    stored = Conversation.model_validate(row.state)
    return conversation.model_copy(
        update={"handoff_at": stored.handoff_at, "handoff_reason": stored.handoff_reason}
    )


class _StoredProfile(BaseModel):
    """The part of a stored conversation state that a returning lead's merge reads."""

    profile: LeadProfile = Field(default_factory=LeadProfile)


def _stored_profile(state: str) -> LeadProfile:
    """The lead profile of a stored conversation state, as JSON text (what
    ``Conversation.model_validate_json(state).profile`` is, without decoding the rest
    into Python objects first or validating it)."""
    return _StoredProfile.model_validate_json(state).profile


def _reopened(handoff: HandoffRecord) -> dict[str, Any]:
    return {
        "b_conversation_id": handoff.conversation_id,
        "b_reason": handoff.reason,
        "b_channel": handoff.channel,
        "b_now": handoff.created_at,
    }


@dataclass(frozen=True)
class _Link:
    """What linking a conversation to its contact came to, within its save."""

    conversation: Conversation
    """The conversation to save: with its lead id, and the handoff it took over."""
    previous_current: str
    became_current: bool
    covered: bool
    """The lead already had a live handoff, now this conversation's: no second one."""

    def events(
        self, before: Conversation, events: list[LeadEvent], merged: LeadEvent | None
    ) -> list[LeadEvent]:
        """The turn's events as the lead's: its stable id in each snapshot and as the key
        deliveries are ordered by (so a receiver gets a lead's events in order, whichever
        conversation they came from), no second ``lead.handoff`` for a lead already handed
        off, and ``lead.merged`` first when the conversation joined an earlier lead."""
        lead_id = self.conversation.lead
        out = [
            event.model_copy(
                update={"conversation_id": lead_id, "lead": {**event.lead, "id": lead_id}}
            )
            for event in events
            if not (self.covered and event.type == "lead.handoff")
        ]
        joined = before.lead_id is None and lead_id != before.id
        if joined and merged is not None:
            data = {**merged.data, "absorbed_id": before.id, "lead_id": lead_id}
            lead = {**merged.lead, "id": lead_id}
            update = {"conversation_id": lead_id, "data": data, "lead": lead}
            out.insert(0, merged.model_copy(update=update))
        return out


def _take_live_handoff(conn: Connection, conversation: Conversation) -> tuple[Conversation, bool]:
    """Move the lead's live handoff from another of its conversations to this one (the one
    the prospect is in now); whether there was one to move."""
    if conn.execute(_SELECT_HANDOFF, {"conversation_id": conversation.id}).first() is not None:
        return conversation, False
    siblings = {"b_lead": conversation.lead_id, "b_id": conversation.id}
    live = conn.execute(_SELECT_LIVE_HANDOFF, siblings).first()
    if live is None:
        return conversation, False
    conn.execute(
        _MOVE_HANDOFF,
        {"b_handoff": live.id, "b_id": conversation.id, "b_now": conversation.updated_at},
    )
    moved = conversation.model_copy(
        update={
            "handoff_at": conversation.handoff_at or live.created_at,
            "handoff_reason": conversation.handoff_reason or live.reason,
        }
    )
    return moved, True


def _take_sales_state(conn: Connection, conversation_id: str, previous: str) -> None:
    """The conversation now standing for the lead carries the lead's status and owner."""
    if previous == conversation_id:
        return
    there = conn.execute(_SELECT_ID, {"conversation_id": previous}).first()
    if there is not None:
        conn.execute(_TAKE_SALES_STATE, {"b_id": conversation_id, "b_previous": previous})


@dataclass(frozen=True)
class InboxEntry:
    """A chat in the dashboard inbox: the conversation, its handoff (if any), and when the
    prospect's widget was last open."""

    conversation: Conversation
    last_seen_at: datetime | None
    reason: str | None
    status: str | None
    claimed_by: str | None
    takeover: bool


class SQLStore:
    """Conversations in any database SQLAlchemy's async engine reaches."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url = normalize_database_url(url)
        parsed = make_url(url)
        self._sqlite = parsed.get_backend_name() == "sqlite"
        if self._sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Several processes (workers starting together) may wait on SQLite's write lock.
        options: dict[str, Any] = {"connect_args": {"timeout": 30}} if self._sqlite else {}
        # What prospects write never reaches an error log as an SQL parameter.
        options["hide_parameters"] = True
        self.engine: AsyncEngine = create_async_engine(url, echo=echo, **options)
        # SQLite has one writer at a time; queueing writers here instead of in SQLite's
        # busy handler (which sleeps in steps of up to 100 ms) keeps write latency flat.
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if self._sqlite else None
        if self._sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        # On an SQLite file, the statements of one hot-path call (a turn's load, message and
        # save) run together in a worker thread on a plain sqlite3 connection: one thread
        # hop per call instead of aiosqlite's several per statement.
        self._sync: Engine | None = None
        self._threads: ThreadPoolExecutor | None = None
        if self._sqlite and parsed.database and parsed.database != ":memory:":
            self._sync = create_engine(
                parsed.set(drivername="sqlite+pysqlite"), echo=echo, **options
            )
            event.listen(self._sync, "connect", _sqlite_pragmas)
            self._threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sqlite")

    async def _read(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` in one read-only round trip."""
        if self._sync is None:
            async with self.engine.connect() as conn:
                return await conn.run_sync(work)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, _read_sync, self._sync, work)

    async def _write(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` in one write transaction, committed before this returns."""
        if self._sync is None:
            async with self._writing() as conn:
                return await conn.run_sync(work)
        assert self._write_lock is not None
        loop = asyncio.get_running_loop()
        async with self._write_lock:
            return await loop.run_in_executor(self._threads, _write_sync, self._sync, work)

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction, committed on exit."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock, self.engine.begin() as conn:
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    async def init(self) -> None:
        """Bring the schema to the newest migration; nothing to do when it is there already.

        Several processes may call this at once: the migration runs under a lock.
        """
        await self.upgrade("head")

    async def upgrade(self, revision: str = "head") -> None:
        async with self._connection_errors(), self.engine.begin() as conn:
            await conn.run_sync(migrations.upgrade, revision)

    async def schema_revision(self) -> str | None:
        """The migration the database is at; None before the first one."""
        async with self._connection_errors(), self.engine.connect() as conn:
            return await conn.run_sync(migrations.current_revision)

    @contextlib.asynccontextmanager
    async def _connection_errors(self) -> AsyncIterator[None]:
        try:
            yield
        except (OSError, TimeoutError) as exc:
            raise DatabaseUnavailable(
                f"cannot reach the database at {display_url(self.url)}: {_reason(exc)}"
            ) from exc
        except DBAPIError as exc:
            if exc.statement is not None:
                raise  # connected, then a statement failed: not an availability problem
            raise DatabaseUnavailable(
                f"cannot open the database at {display_url(self.url)}: {_reason(exc.orig or exc)}"
            ) from exc

    async def purge_unstarted(self, before: datetime) -> int:
        statement = delete(conversations).where(conversations.c.created_at < before, ~_STARTED)
        result = await self._write(lambda conn: conn.execute(statement))
        return int(result.rowcount)

    async def readiness_problems(self) -> list[str]:
        """Why the database cannot serve turns now (empty when it can): it is unreachable,
        its schema is not at the newest migration, or it refuses a write."""
        try:
            current = await self.schema_revision()
        except (QualifyError, DBAPIError) as exc:
            return [f"database unreachable: {_reason(exc)}"]
        problems = []
        head = migrations.head_revision()
        if current != head:
            problems.append(f"database schema at {current}, newest migration {head}")
        row = {"id": 1, "checked_at": datetime.now(UTC)}
        upsert = self._insert_or_replace(readiness, ["id"], {"checked_at": row["checked_at"]})
        try:
            await self._write(lambda conn: conn.execute(upsert, row))
        except DBAPIError as exc:
            problems.append(f"database refuses writes: {_reason(exc.orig or exc)}")
        except OSError as exc:
            problems.append(f"database refuses writes: {_reason(exc)}")
        return problems

    def _insert_or_replace(self, table: Table, keys: list[str], values: dict[str, Any]) -> Any:
        if self._sqlite:
            return sqlite_insert(table).on_conflict_do_update(index_elements=keys, set_=values)
        return postgresql_insert(table).on_conflict_do_update(index_elements=keys, set_=values)

    async def close(self) -> None:
        await self.engine.dispose()
        if self._sync is not None and self._threads is not None:
            self._threads.shutdown(wait=False)
            self._sync.dispose()

    async def create_conversation(self, conversation: Conversation) -> None:
        row = _conversation_row(conversation)
        await self._write(lambda conn: conn.execute(_INSERT_CONVERSATION, row))

    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        def read(conn: Connection) -> Any:
            return conn.execute(_SELECT_STATE, {"conversation_id": conversation_id}).first()

        row = await self._read(read)
        return None if row is None else Conversation.model_validate(row.state)

    async def open_turn(
        self,
        message: Message,
        *,
        last: int,
        lease: TurnLease,
        idle_before: datetime | None = None,
    ) -> tuple[Conversation | None, list[Message], str | None]:
        row_to_store = _message_row(message)
        insert_message = self._insert_ignoring_duplicates(messages)

        def work(conn: Connection) -> tuple[Any, Any, Any]:
            key = {"conversation_id": message.conversation_id}
            taken = conn.execute(_TAKE_TURN, _lease_params(message.conversation_id, lease))
            row = conn.execute(_SELECT_STATE_HANDED_OFF, key).first()
            if row is None:
                return None, [], None
            if idle_before is not None and _last_active(row.state) < idle_before:
                raise ConversationExpired(message.conversation_id)  # nothing is written
            if taken.rowcount != 1:
                raise ConversationBusy(message.conversation_id)
            takeover = None
            if row.handoff_at is not None:  # only a handed-off lead can be taken over
                takeover = conn.execute(_SELECT_TAKEOVER, key).first()
            rows = conn.execute(_SELECT_LAST_MESSAGES, {**key, "last": last}).all()
            if not any(item.data.get("id") == message.id for item in rows):
                conn.execute(insert_message, row_to_store)
            return row, rows, takeover

        row, rows, takeover = await self._write(work)
        if row is None:
            return None, [], None
        history = [Message.model_validate(item.data) for item in reversed(rows)]
        rep = None
        if takeover is not None and takeover.takeover:
            rep = takeover.claimed_by or ""
        return Conversation.model_validate(row.state), history, rep

    async def renew_turn(self, conversation_id: str, lease: TurnLease) -> bool:
        params = _lease_params(conversation_id, lease)
        result = await self._write(lambda conn: conn.execute(_RENEW_TURN, params))
        return bool(result.rowcount)

    async def release_turn(self, conversation_id: str, owner: str) -> None:
        params = {"b_id": conversation_id, "b_owner": owner}
        await self._write(lambda conn: conn.execute(_RELEASE_TURN, params))

    async def list_conversations(
        self, *, limit: int = 100, offset: int = 0, where: LeadFilter | None = None
    ) -> list[Conversation]:
        leads, _ = await self._page(limit, offset, where or LeadFilter(), total=False)
        return leads

    async def lead_page(
        self, *, limit: int = 100, offset: int = 0, where: LeadFilter | None = None
    ) -> tuple[list[Conversation], int]:
        """A page of the leads list and how many leads the filter finds in all. A search is
        read once, its total beside each row of the page; without one, the page stops at
        its last row and the total is counted from the index."""
        where = where or LeadFilter()
        leads, total = await self._page(limit, offset, where, total=bool(where.q))
        if total is None:
            # A search with no row on its first page found nothing; past the last page,
            # or without a search, the index tells.
            searched_nothing = bool(where.q) and offset == 0
            total = 0 if searched_nothing else await self.count_conversations(where)
        return leads, total

    async def _page(
        self, limit: int, offset: int, where: LeadFilter, *, total: bool
    ) -> tuple[list[Conversation], int | None]:
        """The page's leads, with the filter's total when ``total`` asks for it and the
        page has a row. The page's ids come first (sorting narrow rows, from the indexes),
        then their state: the JSON of leads on other pages is never read."""
        column = conversations.c[where.order_by]
        columns = [conversations.c.id, *([func.count().over().label("total")] if total else [])]
        page = (
            _filtered(select(*columns), where)
            .order_by(column.desc() if where.descending else column.asc(), conversations.c.id)
            .limit(limit)
            .offset(offset)
        )
        async with self.engine.connect() as conn:
            found = (await conn.execute(page)).all()
            if not found:
                return [], None
            ids = [row.id for row in found]
            rows = (
                await conn.execute(
                    select(conversations.c.id, conversations.c.state).where(
                        conversations.c.id.in_(ids)
                    )
                )
            ).all()
        states = {row.id: row.state for row in rows}
        leads = [Conversation.model_validate(states[id_]) for id_ in ids if id_ in states]
        return leads, int(found[0].total) if total else None

    async def lead_stats(self, today: date) -> LeadStats:
        """Counts for the leads list's charts, each from one aggregate query over leads
        (conversations where the prospect wrote)."""
        starts = [today - timedelta(days=7 * (8 - n) - 1) for n in range(8)]
        edges = [datetime.combine(day, datetime.min.time(), UTC) for day in starts]
        edges.append(edges[-1] + timedelta(days=7))
        created = conversations.c.created_at
        weekly = (
            select(
                conversations.c.segment,
                *(
                    func.sum(case((and_(created >= low, created < high), 1), else_=0))
                    for low, high in itertools.pairwise(edges)
                ),
            )
            .where(_STARTED, _LEAD_ROW, created >= edges[0])
            .group_by(conversations.c.segment)
        )
        band = case((conversations.c.score < 0, -1), else_=conversations.c.score // 10)
        histogram = select(band, func.count()).where(_STARTED, _LEAD_ROW).group_by(band)
        claimed = handoffs.c.claimed_by.is_not(None)
        # The funnel's first step counts conversations (a returning visitor's second chat
        # counts again); every later step counts leads, by the conversation standing for each.
        chats = select(func.count()).select_from(conversations).where(_STARTED)
        funnel = (
            select(
                chats.scalar_subquery(),
                func.sum(case((conversations.c.segment.in_(("hot", "warm")), 1), else_=0)),
                func.count(handoffs.c.id),
                func.sum(case((claimed, 1), else_=0)),
                func.sum(case((conversations.c.lead_status == "won", 1), else_=0)),
            )
            .select_from(
                conversations.outerjoin(handoffs, handoffs.c.conversation_id == conversations.c.id)
            )
            .where(_STARTED, _LEAD_ROW)
        )
        async with self.engine.connect() as conn:
            weeks_rows = (await conn.execute(weekly)).all()
            bands = (await conn.execute(histogram)).all()
            total, qualified, handed, took, won = (await conn.execute(funnel)).one()
        return LeadStats(
            weeks=starts,
            per_week={row[0]: [int(n or 0) for n in row[1:]] for row in weeks_rows},
            funnel=[
                ("Conversations", int(total or 0)),
                ("Qualified", int(qualified or 0)),
                ("Handed off", int(handed or 0)),
                ("Claimed", int(took or 0)),
                ("Won", int(won or 0)),
            ],
            scores=sorted((int(b) * 10, int(n)) for b, n in bands),
        )

    async def count_conversations(self, where: LeadFilter | None = None) -> int:
        query = _filtered(select(func.count()).select_from(conversations), where or LeadFilter())
        async with self.engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def lead_profiles(
        self, email: str, *, exclude: str
    ) -> tuple[str, list[LeadProfile]] | None:
        """The id of the lead (contact) known by ``email`` and the profiles of its
        conversations other than ``exclude``, oldest first; None when nobody has it."""
        key = email_key(email)
        if key is None:
            return None

        def read(conn: Connection) -> tuple[Any, Sequence[Any]]:
            contact = conn.execute(_SELECT_CONTACT_BY_EMAIL, {"email": key}).first()
            if contact is None:
                return None, ()
            params = {"contact_id": contact.id, "exclude": exclude}
            return contact, conn.execute(_SELECT_OTHER_STATES, params).all()

        # One round trip; only each state's profile is validated, not the whole conversation.
        contact, rows = await self._read(read)
        if contact is None:
            return None
        return contact.id, [_stored_profile(row.state) for row in rows]

    async def lead_conversations(self, conversation_id: str) -> list[Conversation]:
        """Every conversation of the lead ``conversation_id`` belongs to, oldest first
        (empty when there is no such conversation)."""
        query = (
            select(conversations.c.state)
            .where(conversations.c.id.in_(_lead_members(conversation_id)))
            .order_by(conversations.c.created_at, conversations.c.id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Conversation.model_validate(row.state) for row in rows]

    async def lead_current(self, conversation_id: str) -> Conversation | None:
        """The conversation standing for the lead ``conversation_id`` belongs to (the one
        the prospect wrote in last); None when there is no such conversation."""
        current = (
            select(contacts.c.current_id)
            .join(conversations, conversations.c.contact_id == contacts.c.id)
            .where(conversations.c.id == conversation_id)
        )
        async with self.engine.connect() as conn:
            found = (await conn.execute(current)).first()
            wanted = found.current_id if found is not None else conversation_id
            row = (await conn.execute(_SELECT_STATE, {"conversation_id": wanted})).first()
        return None if row is None else Conversation.model_validate(row.state)

    async def conversation_counts(self, lead_ids: Sequence[str]) -> dict[str, int]:
        """How many conversations each of these leads has (1 for a lead of its own)."""
        query = (
            select(conversations.c.contact_id, func.count())
            .where(conversations.c.contact_id.in_(list(lead_ids)))
            .group_by(conversations.c.contact_id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        counts = dict.fromkeys(lead_ids, 1)
        counts.update({str(row[0]): int(row[1]) for row in rows})
        return counts

    async def erase_conversation(
        self,
        conversation_id: str,
        event: LeadEvent | None = None,
        audit: AuditEntry | None = None,
    ) -> bool:
        """Delete the conversation, its messages, handoff and events (with deliveries not
        made yet: their bodies hold the lead's data); then record ``event`` (lead.erased)
        if the conversation was there."""
        async with self._writing() as conn:
            there = await conn.execute(
                select(conversations.c.id, conversations.c.contact_id).where(
                    conversations.c.id == conversation_id
                )
            )
            found = there.first()
            if found is None:
                return False
            # Every conversation of the lead goes, and its contact row.
            ids = [row.id for row in (await conn.execute(_lead_members(conversation_id))).all()]
            await conn.execute(delete(deliveries).where(deliveries.c.conversation_id.in_(ids)))
            await conn.execute(delete(lead_events).where(lead_events.c.conversation_id.in_(ids)))
            await conn.execute(delete(handoffs).where(handoffs.c.conversation_id.in_(ids)))
            await conn.execute(delete(messages).where(messages.c.conversation_id.in_(ids)))
            await conn.execute(delete(lead_notes).where(lead_notes.c.conversation_id.in_(ids)))
            result = await conn.execute(delete(conversations).where(conversations.c.id.in_(ids)))
            if found.contact_id is not None:
                await conn.execute(delete(contacts).where(contacts.c.id == found.contact_id))
            if result.rowcount and event is not None:
                await conn.run_sync(_insert_events, [event])
            if result.rowcount and audit is not None:
                await conn.execute(insert(audit_log), _checked(audit_log, audit.model_dump()))
        if result.rowcount:
            await self._forget_deleted()
        return bool(result.rowcount)

    async def _forget_deleted(self) -> None:
        """Leave no copy of deleted rows in the database files.

        On SQLite, ``secure_delete=FAST`` zeroes deleted content inside the pages a write
        touches anyway, but earlier versions of a lead (each turn rewrites its state) can
        sit in free pages; ``VACUUM`` rebuilds the file from live rows only, and the
        write-ahead log, which holds pages as they were, is checkpointed and truncated.
        (PostgreSQL keeps dead rows until its own VACUUM.)"""
        if not self._sqlite:
            return
        async with self._write_lock or contextlib.nullcontext(), self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("VACUUM")
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def record_audit(self, entry: AuditEntry) -> None:
        async with self._writing() as conn:
            await conn.execute(insert(audit_log), _checked(audit_log, entry.model_dump()))

    async def audit_log(self, *, limit: int = 100) -> list[AuditEntry]:
        query = select(audit_log).order_by(audit_log.c.pk.desc()).limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            AuditEntry(at=row.at, actor=row.actor, action=row.action, subject=row.subject)
            for row in rows
        ]

    async def add_message(self, message: Message) -> None:
        row = _message_row(message)
        await self._write(lambda conn: conn.execute(_INSERT_MESSAGE, row))

    async def messages(self, conversation_id: str, *, last: int | None = None) -> list[Message]:
        query = (
            select(messages.c.data)
            .where(messages.c.conversation_id == conversation_id)
            .order_by(messages.c.pk.desc())
        )
        if last is not None:
            query = query.limit(last)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Message.model_validate(row.data) for row in reversed(rows)]

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
        def save(conn: Connection) -> Conversation:
            saved = conversation
            # The contact first (locked until commit): every write about one person's lead
            # waits for it in the same order, so two conversations giving the same email
            # at once end with one contact and one handoff.
            link = self._link(conn, conversation, turn=lease is not None)
            if link is not None:
                saved = link.conversation
            if withdraw and not _withdraw_handoff(conn, saved):
                saved = _with_stored_handoff(conn, saved)  # a rep claimed it meanwhile
            saved = _save(conn, saved, lease)
            if link is not None and link.became_current:
                _take_sales_state(conn, saved.id, link.previous_current)
            if reply is not None:
                conn.execute(_INSERT_MESSAGE, _message_row(reply))
            if handoff is not None:
                # One handoff per conversation: a second one due is the same handoff (one
                # that was withdrawn is pending again).
                conn.execute(self._insert_ignoring_duplicates(handoffs), _handoff_row(handoff))
                conn.execute(_REOPEN_HANDOFF, _reopened(handoff))
            written = list(events)
            if link is not None:
                written = link.events(conversation, written, merged)
            if written:
                _insert_events(conn, written, version=saved.version)
            return saved

        return await self._write(save)

    def _link(self, conn: Connection, conversation: Conversation, *, turn: bool) -> _Link | None:
        """Link a conversation that knows an email to its contact (made now if new, with
        this conversation's id); None without an email. In a turn (the prospect is here),
        the conversation becomes the one standing for the lead and takes over the lead's
        live handoff (posted, claimed or pending), so the same card and thread go on."""
        key = email_key(conversation.profile.email.value if conversation.profile.email else None)
        if key is None or len(key) > contacts.c.email.type.length:  # type: ignore[attr-defined]
            return None  # no email, or none that could be anyone's
        found: Any
        if conversation.lead_id is None:
            row = {
                "id": conversation.id,
                "email": key,
                "current_id": conversation.id,
                "created_at": conversation.updated_at,
            }
            conn.execute(self._insert_ignoring_duplicates(contacts), _checked(contacts, row))
            found = conn.execute(_CONTACT_BY_EMAIL_FOR_UPDATE, {"b_email": key}).one()
        else:
            found = conn.execute(_CONTACT_FOR_UPDATE, {"b_id": conversation.lead_id}).first()
            if found is None:  # its contact is gone (erased meanwhile): nothing to join
                return None
        linked = conversation.model_copy(update={"lead_id": found.id})
        became_current = turn and found.current_id != conversation.id
        if became_current:
            conn.execute(_MAKE_CURRENT, {"b_id": found.id, "b_current": conversation.id})
        covered = False
        if turn:
            linked, covered = _take_live_handoff(conn, linked)
        return _Link(linked, found.current_id, became_current, covered)

    def _insert_ignoring_duplicates(self, table: Table) -> Any:
        if self._sqlite:
            return sqlite_insert(table).on_conflict_do_nothing()
        return postgresql_insert(table).on_conflict_do_nothing()

    # --- dashboard sessions --------------------------------------------------------------

    async def create_admin_session(
        self, session_id: str, key_id: str, now: datetime, expires_at: datetime
    ) -> None:
        """Record a new session (by the hash of its token), dropping expired ones."""

        def work(conn: Connection) -> None:
            conn.execute(delete(admin_sessions).where(admin_sessions.c.expires_at <= now))
            conn.execute(
                insert(admin_sessions),
                {"id": session_id, "key_id": key_id, "created_at": now, "expires_at": expires_at},
            )

        await self._write(work)

    async def admin_session_active(self, session_id: str, key_id: str, now: datetime) -> bool:
        """Whether the session exists, has not expired and began under the current key."""
        query = select(admin_sessions.c.id).where(
            admin_sessions.c.id == session_id,
            admin_sessions.c.key_id == key_id,
            admin_sessions.c.expires_at > now,
        )
        return await self._read(lambda conn: conn.execute(query).first()) is not None

    async def end_admin_session(self, session_id: str) -> None:
        statement = delete(admin_sessions).where(admin_sessions.c.id == session_id)
        await self._write(lambda conn: conn.execute(statement))

    # --- handoffs ----------------------------------------------------------------------

    async def get_handoff(self, conversation_id: str) -> HandoffRecord | None:
        def read(conn: Connection) -> Any:
            return conn.execute(_SELECT_HANDOFF, {"conversation_id": conversation_id}).first()

        row = await self._read(read)
        return None if row is None else _handoff(row)

    async def due_handoffs(self, now: datetime, *, limit: int = 20) -> list[HandoffRecord]:
        """Pending handoffs whose next attempt is due, oldest first."""
        query = (
            select(handoffs)
            .where(handoffs.c.status == "pending", handoffs.c.next_attempt_at <= now)
            .order_by(handoffs.c.next_attempt_at, handoffs.c.id)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_handoff(row) for row in rows]

    async def lease_handoff(
        self, handoff_id: str, now: datetime, until: datetime
    ) -> HandoffRecord | None:
        """Take a due pending handoff for one posting attempt, or None when another worker
        has it (or it is posted). Until ``until`` nobody else takes it; a worker that dies
        mid-attempt leaves it to be taken again after that."""
        async with self._writing() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(
                    handoffs.c.id == handoff_id,
                    handoffs.c.status == "pending",
                    handoffs.c.next_attempt_at <= now,
                )
                .values(
                    next_attempt_at=until,
                    attempts=handoffs.c.attempts + 1,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:
                return None
            row = (await conn.execute(select(handoffs).where(handoffs.c.id == handoff_id))).one()
        return _handoff(row)

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
    ) -> None:
        """The handoff's card is in Slack, showing the lead at ``card_version`` and the
        messages up to key ``relayed_pk``."""
        async with self._writing() as conn:
            await conn.execute(
                update(handoffs)
                .where(handoffs.c.id == handoff_id)
                .values(
                    card_synced_at=now,
                    card_version=card_version,
                    card_revision=handoffs.c.revision,
                    relayed_pk=relayed_pk,
                    assigned_to=assigned_to,
                    # Withdrawn while it was being posted: it stays withdrawn, with its card.
                    status=case((handoffs.c.status == "withdrawn", "withdrawn"), else_="posted"),
                    posted_channel=channel[:64],
                    posted_ts=ts[:32],
                    last_error=None,
                    updated_at=now,
                )
            )

    async def count_posted_handoffs(self) -> int:
        query = select(func.count()).select_from(handoffs).where(handoffs.c.status == "posted")
        async with self.engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def unclaimed_handoffs(self, due_before: datetime) -> list[HandoffRecord]:
        """Posted handoffs nobody claimed that became due before ``due_before`` and have had
        no reminder yet."""
        query = (
            select(handoffs)
            .where(
                handoffs.c.status == "posted",
                handoffs.c.claimed_by.is_(None),
                handoffs.c.reminded_at.is_(None),
                handoffs.c.created_at < due_before,
            )
            .order_by(handoffs.c.created_at)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_handoff(row) for row in rows]

    async def mark_reminded(self, handoff_id: str, when: datetime | None) -> bool:
        """Record the reminder (True for the one worker whose mark lands), or take it back
        with ``when=None`` when it could not be sent."""
        condition = handoffs.c.reminded_at.is_(None) if when is not None else true()
        async with self._writing() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(handoffs.c.id == handoff_id, condition)
                .values(reminded_at=when)
            )
        return bool(result.rowcount)

    async def claim_handoff(
        self, conversation_id: str, user: str, now: datetime, event: LeadEvent | None = None
    ) -> tuple[bool, HandoffRecord | None]:
        """Claim a lead for ``user`` and start the live takeover: (True, handoff) for the
        one rep whose claim lands, (False, handoff) when someone else has it already.
        ``event`` (lead.claimed) is recorded with the claim that lands."""
        async with self._writing() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(
                    handoffs.c.conversation_id == conversation_id,
                    handoffs.c.claimed_by.is_(None),
                    handoffs.c.status != "withdrawn",
                )
                .values(
                    claimed_by=user[:64],
                    claimed_at=now,
                    takeover=True,
                    updated_at=now,
                    revision=handoffs.c.revision + 1,
                )
            )
            if result.rowcount == 1 and event is not None:
                await conn.run_sync(_insert_events, [event])
            row = (
                await conn.execute(
                    select(handoffs).where(handoffs.c.conversation_id == conversation_id)
                )
            ).first()
        return result.rowcount == 1, None if row is None else _handoff(row)

    async def set_takeover(self, conversation_id: str, live: bool, now: datetime) -> bool:
        """Start or end the rep's live takeover of a claimed lead; False if nothing changed."""
        async with self._writing() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(
                    handoffs.c.conversation_id == conversation_id,
                    handoffs.c.claimed_by.is_not(None),
                    handoffs.c.takeover.is_(not live),
                )
                .values(takeover=live, updated_at=now, revision=handoffs.c.revision + 1)
            )
        return bool(result.rowcount)

    async def handoff_feedback(
        self, conversation_id: str, *, feedback: str, user: str, now: datetime
    ) -> bool:
        """Record a rep's verdict on the lead (e.g. why it is not a fit)."""
        async with self._writing() as conn:
            result = await conn.execute(
                update(handoffs)
                .where(handoffs.c.conversation_id == conversation_id)
                .values(
                    feedback=feedback,
                    feedback_by=user[:64],
                    feedback_at=now,
                    updated_at=now,
                    revision=handoffs.c.revision + 1,
                )
            )
        return bool(result.rowcount)

    async def release_handoff(self, conversation_id: str, now: datetime) -> str | None:
        """Give a claimed lead back: the bot answers again and any rep can claim it. The
        rep who had it, or None when nobody had."""
        async with self._writing() as conn:
            row = (
                await conn.execute(
                    select(handoffs.c.claimed_by).where(
                        handoffs.c.conversation_id == conversation_id,
                        handoffs.c.claimed_by.is_not(None),
                    )
                )
            ).first()
            if row is None:
                return None
            await conn.execute(
                update(handoffs)
                .where(handoffs.c.conversation_id == conversation_id)
                .values(
                    claimed_by=None,
                    claimed_at=None,
                    takeover=False,
                    updated_at=now,
                    revision=handoffs.c.revision + 1,
                )
            )
        return str(row.claimed_by)

    async def reassign_handoff(
        self, conversation_id: str, user: str, now: datetime
    ) -> HandoffRecord | None:
        """Hand the lead to another rep: a claimed lead (and its live chat) goes to ``user``,
        an unclaimed one is assigned to them. None when the lead has no handoff."""
        async with self._writing() as conn:
            claimed = handoffs.c.claimed_by.is_not(None)
            result = await conn.execute(
                update(handoffs)
                .where(handoffs.c.conversation_id == conversation_id)
                .values(
                    claimed_by=case((claimed, user[:64]), else_=None),
                    claimed_at=case((claimed, now), else_=None),
                    assigned_to=user[:64],
                    updated_at=now,
                    revision=handoffs.c.revision + 1,
                )
            )
            if result.rowcount != 1:
                return None
            row = (
                await conn.execute(
                    select(handoffs).where(handoffs.c.conversation_id == conversation_id)
                )
            ).one()
        return _handoff(row)

    async def cards_to_sync(
        self, now: datetime, settled_before: datetime, *, limit: int = 20
    ) -> list[HandoffRecord]:
        """Posted handoffs whose Slack card is behind the lead (the lead, the handoff or
        unrelayed prospect messages changed), not updated since ``settled_before`` (so a
        burst of turns makes one update) unless only messages are waiting, and not being
        updated by another worker."""
        prospect_waiting = (
            exists()
            .where(
                messages.c.conversation_id == handoffs.c.conversation_id,
                messages.c.pk > handoffs.c.relayed_pk,
                messages.c.role == "prospect",
            )
            .correlate(handoffs)
        )
        card_behind = and_(
            or_(
                conversations.c.version > handoffs.c.card_version,
                handoffs.c.revision > handoffs.c.card_revision,
            ),
            or_(handoffs.c.card_synced_at.is_(None), handoffs.c.card_synced_at <= settled_before),
        )
        query = (
            select(handoffs)
            .join(conversations, conversations.c.id == handoffs.c.conversation_id)
            .where(
                handoffs.c.posted_ts.is_not(None),
                or_(handoffs.c.card_lease_until.is_(None), handoffs.c.card_lease_until <= now),
                or_(card_behind, prospect_waiting),
            )
            .order_by(handoffs.c.card_synced_at)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_handoff(row) for row in rows]

    async def lease_card(self, handoff_id: str, now: datetime, until: datetime) -> bool:
        """Take a card for one update; False when another worker is updating it."""
        statement = (
            update(handoffs)
            .where(
                handoffs.c.id == handoff_id,
                or_(handoffs.c.card_lease_until.is_(None), handoffs.c.card_lease_until <= now),
            )
            .values(card_lease_until=until)
        )
        result = await self._write(lambda conn: conn.execute(statement))
        return bool(result.rowcount)

    async def card_synced(
        self,
        handoff_id: str,
        *,
        at: datetime | None,
        version: int | None,
        revision: int | None,
        relayed_pk: int,
    ) -> None:
        """Record what the card shows now (``at`` None: only messages were relayed) and
        give its lease back."""
        values: dict[str, Any] = {"card_lease_until": None, "relayed_pk": relayed_pk}
        if at is not None:
            values.update(card_synced_at=at, card_version=version, card_revision=revision)
        statement = update(handoffs).where(handoffs.c.id == handoff_id).values(**values)
        await self._write(lambda conn: conn.execute(statement))

    async def messages_since(self, conversation_id: str, key: int) -> list[tuple[int, Message]]:
        """The prospect's messages stored after the one with key ``key``, oldest first."""
        query = (
            select(messages.c.pk, messages.c.data)
            .where(
                messages.c.conversation_id == conversation_id,
                messages.c.pk > key,
                messages.c.role == "prospect",
            )
            .order_by(messages.c.pk)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(int(row.pk), Message.model_validate(row.data)) for row in rows]

    async def mark_seen(self, conversation_id: str, now: datetime) -> None:
        """The prospect's widget is open (a heartbeat); not a change to the lead."""
        statement = (
            update(conversations)
            .where(conversations.c.id == conversation_id)
            .values(last_seen_at=now)
        )
        await self._write(lambda conn: conn.execute(statement))

    async def last_seen(self, conversation_id: str) -> datetime | None:
        query = select(conversations.c.last_seen_at).where(conversations.c.id == conversation_id)
        async with self.engine.connect() as conn:
            value = (await conn.execute(query)).scalar_one_or_none()
        return value if isinstance(value, datetime) else None

    async def handoff_by_message(self, channel: str, ts: str) -> HandoffRecord | None:
        """The handoff whose Slack message (thread parent) is ``ts`` in ``channel``."""
        query = select(handoffs).where(
            handoffs.c.posted_channel == channel, handoffs.c.posted_ts == ts
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else _handoff(row)

    async def live_takeovers(self, user: str) -> list[HandoffRecord]:
        """Handoffs ``user`` claimed and is live in, newest claim first."""
        query = (
            select(handoffs)
            .where(handoffs.c.claimed_by == user, handoffs.c.takeover.is_(True))
            .order_by(handoffs.c.claimed_at.desc())
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_handoff(row) for row in rows]

    async def inbox(self, seen_since: datetime, limit: int = 100) -> list[InboxEntry]:
        """Chats a rep may answer, most recent message first: leads handed to sales (a
        withdrawn handoff only while claimed), prospects who asked for a person, and any
        chat whose widget was open since ``seen_since``."""
        handed = and_(
            handoffs.c.conversation_id.is_not(None),
            or_(handoffs.c.status != "withdrawn", handoffs.c.claimed_by.is_not(None)),
        )
        asked = conversations.c.state["profile"]["requested_human"]["value"].as_boolean()
        query = (
            select(
                conversations.c.state,
                conversations.c.last_seen_at,
                conversations.c.updated_at,
                handoffs.c.reason,
                handoffs.c.status,
                handoffs.c.claimed_by,
                handoffs.c.takeover,
            )
            .select_from(conversations.outerjoin(handoffs))
            .where(or_(handed, asked, conversations.c.last_seen_at >= seen_since))
            .order_by(conversations.c.updated_at.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            InboxEntry(
                conversation=Conversation.model_validate(row.state),
                last_seen_at=row.last_seen_at,
                reason=row.reason,
                status=row.status,
                claimed_by=row.claimed_by,
                takeover=bool(row.takeover),
            )
            for row in rows
        ]

    async def first_delivery(self, event_id: str, now: datetime) -> bool:
        """True the first time an event id is seen: Slack's retries are then ignored."""
        async with self._writing() as conn:
            result = await conn.execute(
                self._insert_ignoring_duplicates(slack_events),
                {"event_id": event_id[:64], "received_at": now},
            )
        return bool(result.rowcount)

    async def last_message_key(self, conversation_id: str) -> int:
        """The key of the conversation's newest message (0 without any)."""
        query = select(func.max(messages.c.pk)).where(messages.c.conversation_id == conversation_id)
        async with self.engine.connect() as conn:
            newest = (await conn.execute(query)).scalar_one()
        return int(newest or 0)

    async def messages_after(self, conversation_id: str, key: int) -> list[tuple[int, Message]]:
        """Messages stored after the one with key ``key``, with their keys, oldest first:
        how an event stream follows a conversation that other workers write to."""
        query = (
            select(messages.c.pk, messages.c.data)
            .where(messages.c.conversation_id == conversation_id, messages.c.pk > key)
            .order_by(messages.c.pk)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(int(row.pk), Message.model_validate(row.data)) for row in rows]

    async def handoff_failed(
        self, handoff_id: str, *, error: str, retry_at: datetime, now: datetime
    ) -> None:
        async with self._writing() as conn:
            await conn.execute(
                update(handoffs)
                .where(handoffs.c.id == handoff_id, handoffs.c.status == "pending")
                .values(last_error=error[:2000], next_attempt_at=retry_at, updated_at=now)
            )

    # --- lead events and their deliveries ----------------------------------------------

    async def lease_deliveries(
        self, now: datetime, until: datetime, *, limit: int = 100
    ) -> list[tuple[Delivery, LeadEvent]]:
        earlier = aliased(deliveries)
        blocked = (
            exists()
            .where(
                earlier.c.destination == deliveries.c.destination,
                earlier.c.conversation_id == deliveries.c.conversation_id,
                earlier.c.status == "pending",
                earlier.c.event_pk < deliveries.c.event_pk,
            )
            .correlate(deliveries)
        )
        query = (
            select(deliveries.c.id)
            .where(
                deliveries.c.status == "pending",
                deliveries.c.next_attempt_at <= now,
                ~blocked,
            )
            .order_by(deliveries.c.next_attempt_at, deliveries.c.event_pk)
            .limit(limit)
        )
        if not self._sqlite:
            query = query.with_for_update(skip_locked=True, of=deliveries)
        async with self._writing() as conn:
            await conn.execute(_KILL_DISABLED, {"b_now": now})
            ids = list((await conn.execute(query)).scalars())
            if not ids:
                return []
            await conn.execute(
                update(deliveries)
                .where(
                    deliveries.c.id.in_(ids),
                    deliveries.c.status == "pending",
                    deliveries.c.next_attempt_at <= now,
                )
                .values(next_attempt_at=until, attempts=deliveries.c.attempts + 1, updated_at=now)
            )
            rows = (
                await conn.execute(
                    _SELECT_DELIVERIES.add_columns(_SUPERSEDED)
                    .where(deliveries.c.id.in_(ids), deliveries.c.next_attempt_at == until)
                    .order_by(deliveries.c.event_pk)
                )
            ).all()
        return [(_delivery(row), _lead_event(row)) for row in rows]

    async def disable_destination(self, name: str, at: datetime, reason: str) -> None:
        """Turn a destination off (its endpoint is gone): its pending deliveries become dead
        letters, and so does every new one, until its dead letters are retried."""
        row = {"name": name[:64], "at": at, "reason": reason[:200]}
        upsert = self._insert_or_replace(
            disabled_destinations, ["name"], {"at": at, "reason": row["reason"]}
        )

        def work(conn: Connection) -> None:
            conn.execute(upsert, row)
            conn.execute(_KILL_DISABLED, {"b_now": at})

        await self._write(work)

    async def disabled_destinations(self) -> dict[str, str]:
        """The destinations turned off, with why."""
        query = select(disabled_destinations.c.name, disabled_destinations.c.reason)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {str(row.name): str(row.reason) for row in rows}

    async def record_deliveries(self, outcomes: Sequence[DeliveryOutcome]) -> None:
        if not outcomes:
            return
        rows = [
            {
                "delivery_id": outcome.delivery_id,
                "new_status": outcome.status,
                "at": outcome.at,
                "retry_at": outcome.next_attempt_at or outcome.at,
                "delivered": outcome.at if outcome.status == "delivered" else None,
                "error": outcome.error[:2000] if outcome.error else None,
                "outcome_note": outcome.note[:200] if outcome.note else None,
            }
            for outcome in outcomes
        ]
        async with self._writing() as conn:
            await conn.execute(_RECORD_DELIVERY, rows)

    async def list_deliveries(
        self,
        *,
        status: DeliveryStatus | None = None,
        destination: str | None = None,
        conversation_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Delivery]:
        """Deliveries, newest first."""
        query = _SELECT_DELIVERIES
        if status is not None:
            query = query.where(deliveries.c.status == status)
        if destination is not None:
            query = query.where(deliveries.c.destination == destination)
        if conversation_id is not None:
            query = query.where(deliveries.c.conversation_id == conversation_id)
        query = query.order_by(deliveries.c.event_pk.desc(), deliveries.c.destination)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query.limit(limit).offset(offset))).all()
        return [_delivery(row) for row in rows]

    async def count_deliveries(self) -> dict[str, int]:
        """How many deliveries are pending, delivered and dead."""
        query = select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        counts = {"pending": 0, "delivered": 0, "dead": 0}
        counts.update({str(row[0]): int(row[1]) for row in rows})
        return counts

    async def retry_deliveries(
        self, now: datetime, *, ids: Sequence[str] | None = None, destination: str | None = None
    ) -> int:
        """Put dead deliveries (these ``ids``, or all, or all of one destination) back in
        the queue with a fresh set of attempts; the number requeued."""
        condition = [deliveries.c.status == "dead"]
        if ids is not None:
            condition.append(deliveries.c.id.in_(list(ids)))
        if destination is not None:
            condition.append(deliveries.c.destination == destination)
        async with self._writing() as conn:
            # Retrying a destination's dead letters turns it back on.
            retried = select(deliveries.c.destination).where(*condition).distinct()
            await conn.execute(
                delete(disabled_destinations).where(disabled_destinations.c.name.in_(retried))
            )
            result = await conn.execute(
                update(deliveries)
                .where(*condition)
                .values(status="pending", attempts=0, next_attempt_at=now, updated_at=now)
            )
        return int(result.rowcount)

    async def lead_state(self, conversation_id: str) -> LeadState | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(*_STATE_COLUMNS).where(conversations.c.id == conversation_id)
                )
            ).first()
        return None if row is None else _lead_state(row)

    async def update_lead(
        self, conversation_id: str, change: LeadChange, event: LeadEvent | None = None
    ) -> LeadState | None:
        values: dict[str, Any] = {}
        if change.status is not None:
            values.update(
                lead_status=change.status,
                status_reason=change.reason if change.status in ("won", "lost") else None,
                status_changed_at=change.at,
                status_changed_by=change.actor,
            )
        if change.owner is not None or change.clear_owner:
            values["owner"] = None if change.clear_owner else change.owner
        _checked(conversations, values)
        async with self._writing() as conn:
            # The row is locked (PostgreSQL; SQLite writes one at a time) from reading the
            # old status to the update, so the event says what the status was before.
            before = (
                await conn.execute(
                    select(*_STATE_COLUMNS)
                    .where(conversations.c.id == conversation_id)
                    .with_for_update()
                )
            ).first()
            if before is None:
                return None
            old = _lead_state(before)
            if values:
                await conn.execute(
                    update(conversations)
                    .where(conversations.c.id == conversation_id)
                    .values(**values)
                )
            after = (
                await conn.execute(
                    select(*_STATE_COLUMNS).where(conversations.c.id == conversation_id)
                )
            ).one()
            new = _lead_state(after)
            changed = (old.status, old.reason) != (new.status, new.reason)
            if changed and event is not None:
                data = {**event.data, "old_status": old.status, "owner": new.owner}
                await conn.run_sync(_insert_events, [event.model_copy(update={"data": data})])
        return new

    async def add_note(self, note: LeadNote) -> bool:
        row = _checked(lead_notes, note.model_dump())
        async with self._writing() as conn:
            there = await conn.execute(
                select(conversations.c.id).where(conversations.c.id == note.conversation_id)
            )
            if there.first() is None:
                return False
            await conn.execute(insert(lead_notes), row)
        return True

    async def lead_notes(self, conversation_id: str) -> list[LeadNote]:
        query = (
            select(lead_notes)
            .where(lead_notes.c.conversation_id.in_(_lead_members(conversation_id)))
            .order_by(lead_notes.c.created_at, lead_notes.c.id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [LeadNote.model_validate(row._asdict()) for row in rows]

    async def lead_events(self, conversation_id: str) -> list[LeadEvent]:
        """The lead's events, oldest first."""
        query = _SELECT_EVENTS.where(
            or_(
                lead_events.c.conversation_id == conversation_id,  # lead.erased outlives it
                lead_events.c.conversation_id.in_(_lead_members(conversation_id)),
            )
        ).order_by(lead_events.c.pk)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_lead_event(row) for row in rows]

    async def count_events(self) -> int:
        async with self.engine.connect() as conn:
            query = select(func.count()).select_from(lead_events)
            return int((await conn.execute(query)).scalar_one())

    # --- saved filters and webhook endpoints from the dashboard ------------------------

    async def saved_filters(self) -> list[SavedFilter]:
        """Every saved filter, by name (ignoring case)."""
        query = select(saved_filters).order_by(saved_filters.c.name_key, saved_filters.c.id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            SavedFilter(
                id=row.id,
                name=row.name,
                query=row.query,
                created_by=row.created_by,
                created_at=row.created_at,
            )
            for row in rows
        ]

    async def save_filter(self, saved: SavedFilter, audit: AuditEntry | None = None) -> None:
        """Add a saved filter (and ``audit``); :class:`DuplicateName` when another one has
        the same name ignoring case (nothing is stored then)."""
        row = _checked(
            saved_filters,
            {**saved.model_dump(), "name_key": filter_name_key(saved.name)},
        )
        if not await self._add_unique(saved_filters, row, audit):
            raise DuplicateName(saved.name)

    async def delete_filter(self, filter_id: str, audit: AuditEntry | None = None) -> bool:
        """Delete a saved filter (and record ``audit``); False when there was none."""

        def work(conn: Connection) -> bool:
            gone = conn.execute(delete(saved_filters).where(saved_filters.c.id == filter_id))
            if gone.rowcount:
                _audit(conn, audit)
            return bool(gone.rowcount)

        return await self._write(work)

    async def webhook_endpoints(self) -> list[WebhookEndpoint]:
        """The endpoints added from the dashboard, oldest first."""
        query = select(webhook_endpoints).order_by(
            webhook_endpoints.c.created_at, webhook_endpoints.c.id
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_endpoint(row) for row in rows]

    async def add_webhook_endpoint(
        self, endpoint: WebhookEndpoint, audit: AuditEntry | None = None
    ) -> None:
        """Add an endpoint (and ``audit``): events written from now on go to it too.
        :class:`DuplicateEndpoint` when one with the same URL or name is there already."""
        row = _checked(
            webhook_endpoints, {**endpoint.model_dump(), "events": list(endpoint.events)}
        )
        if not await self._add_unique(webhook_endpoints, row, audit):
            raise DuplicateEndpoint(endpoint.url)

    async def _add_unique(
        self, table: Table, row: dict[str, Any], audit: AuditEntry | None
    ) -> bool:
        """Insert ``row`` unless a unique key of ``table`` has it already, and record
        ``audit`` in the same transaction when it was added; whether it was."""
        statement = self._insert_ignoring_duplicates(table)

        def work(conn: Connection) -> bool:
            added = bool(conn.execute(statement, row).rowcount)
            if added:
                _audit(conn, audit)
            return added

        return await self._write(work)

    async def remove_webhook_endpoint(
        self, endpoint_id: str, now: datetime, audit: AuditEntry | None = None
    ) -> int | None:
        """Remove an endpoint and cancel its pending deliveries in the same transaction
        (they stay listed, as cancelled); how many were cancelled, None when there was no
        such endpoint. Delivered and dead deliveries are kept as they are."""

        def work(conn: Connection) -> int | None:
            name = conn.execute(
                delete(webhook_endpoints)
                .where(webhook_endpoints.c.id == endpoint_id)
                .returning(webhook_endpoints.c.name)
            ).scalar()
            if name is None:
                return None
            conn.execute(delete(disabled_destinations).where(disabled_destinations.c.name == name))
            cancelled = conn.execute(
                update(deliveries)
                .where(deliveries.c.destination == name, deliveries.c.status == "pending")
                .values(status="cancelled", updated_at=now, last_error=CANCELLED_NOTE)
            )
            _audit(conn, audit)
            return int(cancelled.rowcount)

        return await self._write(work)


def _audit(conn: Connection, audit: AuditEntry | None) -> None:
    """Record ``audit`` (when given) in the transaction of ``conn``."""
    if audit is not None:
        conn.execute(insert(audit_log), _checked(audit_log, audit.model_dump()))


# Statements built once: SQLAlchemy reuses their compiled form on every call.
_SELECT_CONTACT_BY_EMAIL = select(contacts.c.id).where(contacts.c.email == bindparam("email"))
_SELECT_OTHER_STATES = (
    # As text: pydantic reads the profile from it and skips the rest unparsed.
    select(cast(conversations.c.state, Text).label("state"))
    .where(
        conversations.c.contact_id == bindparam("contact_id"),
        conversations.c.id != bindparam("exclude"),
    )
    .order_by(conversations.c.created_at, conversations.c.id)
)
_SELECT_STATE = select(conversations.c.state).where(
    conversations.c.id == bindparam("conversation_id")
)
_SELECT_STATE_HANDED_OFF = select(conversations.c.state, conversations.c.handoff_at).where(
    conversations.c.id == bindparam("conversation_id")
)
_SELECT_TAKEOVER = select(handoffs.c.takeover, handoffs.c.claimed_by).where(
    handoffs.c.conversation_id == bindparam("conversation_id")
)
_SELECT_LAST_MESSAGES = (
    select(messages.c.data)
    .where(messages.c.conversation_id == bindparam("conversation_id"))
    .order_by(messages.c.pk.desc())
    .limit(bindparam("last", type_=Integer))
)
_SELECT_HANDOFF = select(handoffs).where(handoffs.c.conversation_id == bindparam("conversation_id"))
_REOPEN_HANDOFF = (
    update(handoffs)
    .where(
        handoffs.c.conversation_id == bindparam("b_conversation_id"),
        handoffs.c.status == "withdrawn",
    )
    .values(
        status="pending",
        reason=bindparam("b_reason"),
        channel=bindparam("b_channel"),
        updated_at=bindparam("b_now"),
        next_attempt_at=bindparam("b_now"),
        attempts=0,
        last_error=None,
    )
)
_INSERT_MESSAGE = insert(messages)
_INSERT_CONVERSATION = insert(conversations)
# Sales' own columns: a turn never writes them (only :meth:`SQLStore.update_lead` does).
_SALES_COLUMNS = ("lead_status", "status_reason", "owner", "status_changed_at", "status_changed_by")
_PREVIOUS = conversations.alias("previous")
_SELECT_ID = select(conversations.c.id).where(conversations.c.id == bindparam("conversation_id"))
_TAKE_SALES_STATE = (
    update(conversations)
    .where(conversations.c.id == bindparam("b_id"))
    .values(
        {
            name: select(_PREVIOUS.c[name])
            .where(_PREVIOUS.c.id == bindparam("b_previous"))
            .scalar_subquery()
            for name in _SALES_COLUMNS
        }
    )
)
_SELECT_LIVE_HANDOFF = (
    select(handoffs)
    .where(
        handoffs.c.conversation_id.in_(
            select(conversations.c.id).where(
                conversations.c.contact_id == bindparam("b_lead"),
                conversations.c.id != bindparam("b_id"),
            )
        ),
        handoffs.c.status != "withdrawn",
    )
    .order_by(handoffs.c.created_at.desc(), handoffs.c.id)
    .limit(1)
)
_MOVE_HANDOFF = (
    update(handoffs)
    .where(handoffs.c.id == bindparam("b_handoff"))
    .values(
        conversation_id=bindparam("b_id"),
        revision=handoffs.c.revision + 1,
        card_version=0,  # the card now shows this conversation, at its own versions
        updated_at=bindparam("b_now"),
    )
)
_CONTACT_BY_EMAIL_FOR_UPDATE = (
    select(contacts.c.id, contacts.c.current_id)
    .where(contacts.c.email == bindparam("b_email"))
    .with_for_update()
)
_CONTACT_FOR_UPDATE = (
    select(contacts.c.id, contacts.c.current_id)
    .where(contacts.c.id == bindparam("b_id"))
    .with_for_update()
)
_MAKE_CURRENT = (
    update(contacts)
    .where(contacts.c.id == bindparam("b_id"))
    .values(current_id=bindparam("b_current"))
)
_STATE_VALUES: dict[str, Any] = {
    column.name: bindparam(column.name)
    for column in conversations.c
    if column.name not in ("id", "turn_owner", "turn_until", "last_seen_at")
    and column.name not in _SALES_COLUMNS
}
_FREE = or_(conversations.c.turn_owner.is_(None), conversations.c.turn_until < bindparam("b_now"))
# A turn writes what it decided and gives its lease back, if the lease is still its own.
_SAVE_BY_TURN = (
    update(conversations)
    .where(
        conversations.c.id == bindparam("b_id"),
        conversations.c.version == bindparam("b_read"),
        conversations.c.turn_owner == bindparam("b_owner"),
    )
    .values({**_STATE_VALUES, "turn_owner": None, "turn_until": None})
)
# Anyone else (a rescore, decay) writes only between turns.
_SAVE_BETWEEN_TURNS = (
    update(conversations)
    .where(
        conversations.c.id == bindparam("b_id"),
        conversations.c.version == bindparam("b_read"),
        _FREE,
    )
    .values(_STATE_VALUES)
)
_TAKE_TURN = (
    update(conversations)
    .where(conversations.c.id == bindparam("b_id"), _FREE)
    .values(turn_owner=bindparam("b_owner"), turn_until=bindparam("b_until"))
)
_RENEW_TURN = (
    update(conversations)
    .where(
        conversations.c.id == bindparam("b_id"),
        conversations.c.turn_owner == bindparam("b_owner"),
    )
    .values(turn_until=bindparam("b_until"))
)
_RELEASE_TURN = (
    update(conversations)
    .where(
        conversations.c.id == bindparam("b_id"),
        conversations.c.turn_owner == bindparam("b_owner"),
    )
    .values(turn_owner=None, turn_until=None)
)


def _last_active(state: dict[str, Any]) -> datetime:
    """When a stored conversation was last active (its JSON state, without validating it)."""
    when = datetime.fromisoformat(state.get("last_message_at") or state["updated_at"])
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _lease_params(conversation_id: str, lease: TurnLease) -> dict[str, Any]:
    return {
        "b_id": conversation_id,
        "b_owner": lease.owner,
        "b_until": lease.until,
        "b_now": lease.now,
    }


def _save(conn: Connection, conversation: Conversation, lease: TurnLease | None) -> Conversation:
    """Write ``conversation`` over the version it was read at; the conversation as stored."""
    saved = conversation.model_copy(update={"version": conversation.version + 1})
    row = _conversation_row(saved)
    row["b_id"] = row.pop("id")
    row["b_read"] = conversation.version
    if lease is not None:
        row["b_owner"] = lease.owner
        result = conn.execute(_SAVE_BY_TURN, row)
    else:
        row["b_now"] = datetime.now(UTC)  # leases run on the wall clock
        result = conn.execute(_SAVE_BETWEEN_TURNS, row)
    if result.rowcount != 1:
        raise ConversationChanged(conversation.id)
    return saved


_INSERT_EVENT = insert(lead_events).returning(
    lead_events.c.pk, lead_events.c.id, sort_by_parameter_order=True
)
_INSERT_EVENTS = insert(lead_events)
_INSERT_DELIVERY = insert(deliveries)
# An event's columns, named as _lead_event reads them (beside a delivery's, in a join).
_EVENT_COLUMNS = (
    lead_events.c.pk.label("event_pk"),
    lead_events.c.id.label("event_id"),
    lead_events.c.type.label("event_type"),
    lead_events.c.created_at.label("event_created_at"),
    lead_events.c.body.label("event_body"),
)
_SELECT_EVENTS = select(lead_events.c.conversation_id, *_EVENT_COLUMNS)
_SELECT_DELIVERIES = select(deliveries, *_EVENT_COLUMNS[1:]).join(
    lead_events, lead_events.c.pk == deliveries.c.event_pk
)
_LATER = aliased(deliveries)
# A later event of the same lead was delivered to the same destination already.
_SUPERSEDED = (
    exists()
    .where(
        _LATER.c.destination == deliveries.c.destination,
        _LATER.c.conversation_id == deliveries.c.conversation_id,
        _LATER.c.event_pk > deliveries.c.event_pk,
        _LATER.c.status == "delivered",
    )
    .correlate(deliveries)
    .label("superseded")
)
_KILL_DISABLED = (
    update(deliveries)
    .where(
        deliveries.c.status == "pending",
        deliveries.c.destination.in_(select(disabled_destinations.c.name)),
    )
    .values(
        status="dead",
        updated_at=bindparam("b_now"),
        last_error="not sent: the destination is turned off (its endpoint answered 410 Gone); "
        "retry its dead letters to turn it back on",
    )
)
_RECORD_DELIVERY = (
    update(deliveries)
    .where(
        deliveries.c.id == bindparam("delivery_id"),
        # A delivery cancelled while its attempt ran stays cancelled, unless it landed.
        or_(
            deliveries.c.status != "cancelled",
            bindparam("new_status", type_=String(16)) == "delivered",
        ),
    )
    .values(
        status=bindparam("new_status"),
        updated_at=bindparam("at"),
        next_attempt_at=bindparam("retry_at"),
        delivered_at=bindparam("delivered"),
        last_error=bindparam("error"),
        note=bindparam("outcome_note"),
    )
)


_SELECT_SUBSCRIBED = select(webhook_endpoints.c.name, webhook_endpoints.c.events)


def _with_dashboard_endpoints(conn: Connection, events: Sequence[LeadEvent]) -> Sequence[LeadEvent]:
    """The events with the dashboard's endpoints that want them among their destinations,
    read in the writing transaction: an endpoint added or removed in any process counts
    for every event written after."""
    wanted = conn.execute(_SELECT_SUBSCRIBED).all()
    if not wanted:
        return events
    routed = []
    for item in events:
        more = tuple(
            row.name
            for row in wanted
            if matches(list(row.events), item.type) and row.name not in item.destinations
        )
        routed.append(item.model_copy(update={"destinations": item.destinations + more}))
    return routed


def _insert_events(
    conn: Connection, events: Sequence[LeadEvent], *, version: int | None = None
) -> None:
    """The events, and a pending delivery of each to each of its destinations; ``version``
    is the version of the conversation they were written with, which their snapshot of the
    lead shows."""

    def lead(item: LeadEvent) -> dict[str, Any]:
        if version is None or "version" not in item.lead:
            return item.lead
        return {**item.lead, "version": version}

    rows = [
        _checked(
            lead_events,
            {
                "id": item.id,
                "type": item.type,
                "conversation_id": item.conversation_id,
                "created_at": item.created_at,
                "body": {"lead": lead(item), "data": item.data},
            },
        )
        for item in events
    ]
    events = _with_dashboard_endpoints(conn, events)
    if not any(item.destinations for item in events):
        conn.execute(_INSERT_EVENTS, rows)
        return
    keys = conn.execute(_INSERT_EVENT, rows).all()
    pending = [
        {
            "id": new_id(),
            "event_pk": key.pk,
            "conversation_id": item.conversation_id,
            "destination": destination,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": item.created_at,
            "created_at": item.created_at,
            "updated_at": item.created_at,
        }
        for item, key in zip(events, keys, strict=True)
        for destination in item.destinations
    ]
    conn.execute(_INSERT_DELIVERY, pending)


_STATE_COLUMNS = (
    conversations.c.lead_status,
    conversations.c.status_reason,
    conversations.c.owner,
    conversations.c.status_changed_at,
    conversations.c.status_changed_by,
)


def _lead_state(row: Any) -> LeadState:
    return LeadState(
        status=row.lead_status,
        reason=row.status_reason,
        owner=row.owner,
        status_changed_at=row.status_changed_at,
        status_changed_by=row.status_changed_by,
    )


def _delivery(row: Any) -> Delivery:
    data = row._mapping
    return Delivery(
        id=data["id"],
        event_id=data["event_id"],
        event_type=data["event_type"],
        conversation_id=data["conversation_id"],
        destination=data["destination"],
        status=data["status"],
        attempts=data["attempts"],
        next_attempt_at=data["next_attempt_at"],
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        delivered_at=data["delivered_at"],
        last_error=data["last_error"],
        note=data["note"],
    )


def _endpoint(row: Any) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row.id,
        name=row.name,
        url=row.url,
        secret=row.secret,
        events=tuple(row.events),
        description=row.description,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _lead_event(row: Any) -> LeadEvent:
    data = row._mapping
    body = data["event_body"]
    return LeadEvent(
        id=data["event_id"],
        type=data["event_type"],
        conversation_id=data["conversation_id"],
        created_at=data["event_created_at"],
        lead=body["lead"],
        data=body.get("data", {}),
        sequence=data["event_pk"],
        superseded=bool(data.get("superseded", False)),
    )


_STARTED = (
    exists()
    .where(messages.c.conversation_id == conversations.c.id, messages.c.role == "prospect")
    .correlate(conversations)
)


# The conversation stands for its lead in lists: its own lead, or its contact's current one.
# Said as "no contact of its names another conversation", so the lists read it from their
# indexes (which hold contact_id) in their own order, one primary-key look-up a row.
_LEAD_ROW = ~(
    exists()
    .where(contacts.c.id == conversations.c.contact_id, contacts.c.current_id != conversations.c.id)
    .correlate(conversations)
)


def _lead_members(conversation_id: str) -> Select[Any]:
    """The ids of every conversation of the lead ``conversation_id`` belongs to."""
    own = select(conversations.c.contact_id).where(conversations.c.id == conversation_id)
    return select(conversations.c.id).where(
        or_(
            conversations.c.id == conversation_id,
            conversations.c.contact_id == own.scalar_subquery(),
        )
    )


def _filtered(query: Select[Any], where: LeadFilter) -> Select[Any]:
    query = query.where(_LEAD_ROW)
    if where.started:
        query = query.where(_STARTED)
    if where.segment is not None:
        query = query.where(conversations.c.segment == where.segment)
    if where.min_score is not None:
        query = query.where(conversations.c.score >= where.min_score)
    if where.max_score is not None:
        query = query.where(conversations.c.score <= where.max_score)
    if where.since is not None:
        query = query.where(conversations.c.updated_at >= where.since)
    if where.until is not None:
        query = query.where(conversations.c.updated_at < where.until)
    if where.q:
        query = query.where(_search(where.q))
    return query


def _like_pattern(text: str) -> str:
    """``text`` lowercased as a LIKE pattern matching it anywhere, its wildcards literal
    (escaped with ``\\``)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(text: str) -> Any:
    """Leads whose email, company or contact name (``search_text``), or any prospect
    message, holds ``text`` in any case (message text is lowercased by the database, which
    on SQLite lowercases ASCII letters only), in any of their conversations. The leads found
    are gathered once, as lead keys (the contact's id, or the conversation's own when it has
    none), from the search index and the messages; each row of the list's own index, read
    in its order as without a search, is then checked against them."""
    pattern = _like_pattern(text)
    found = union(
        select(_lead_key(_SEARCHED)).where(_SEARCHED.c.search_text.like(pattern, escape="\\")),
        select(_lead_key(_SPOKEN))
        .join_from(messages, _SPOKEN, _SPOKEN.c.id == messages.c.conversation_id)
        .where(
            messages.c.role == "prospect",
            func.lower(messages.c.text).like(pattern, escape="\\"),
        ),
    ).cte("found")
    return _lead_key(conversations).in_(select(found.c[0]))


def _lead_key(table: Any) -> Any:
    """The lead a conversation row belongs to: its contact, or itself when it has none (a
    contact's id is the id of its first conversation, so the two never clash)."""
    return func.coalesce(table.c.contact_id, table.c.id)


_SEARCHED = conversations.alias("searched")
_SPOKEN = conversations.alias("spoken")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _switch_to_wal(cursor: Any) -> None:
    """Put a new database file in WAL mode (it stays so). Connections of workers starting
    together may race to switch it; SQLite answers the loser "locked" at once, without
    waiting, so it tries again after a moment. Only a file not yet in WAL mode gets here."""
    for attempt in range(50):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.02)


def _read_sync(engine: Engine, work: Callable[[Connection], T]) -> T:
    with engine.connect() as conn:
        return work(conn)


def _write_sync(engine: Engine, work: Callable[[Connection], T]) -> T:
    with engine.begin() as conn:
        # Take SQLite's write lock first (waiting for it if another process has it), so a
        # transaction that reads and then writes never finds what it read out of date.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return work(conn)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode")
    if str(cursor.fetchone()[0]).lower() != "wal":
        _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=FAST")  # zero deleted content in pages written anyway
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
