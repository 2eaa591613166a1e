"""A rep's live takeover of a chat, the same from every rep channel (Slack, the inbox).

Claim: the one claim that lands silences the assistant and the prospect reads
"Alex joined the chat". Reply: only the rep who has the chat can write to the prospect,
and what they write is stored as a ``rep`` message (the prospect's event stream, on any
worker, reads it from the database). Release: the assistant answers again and the
prospect reads "Alex handed the chat back to the assistant."

A rep is named by a channel-specific id (a Slack user id, ``dashboard:Alex``) in
``claimed_by``; what the prospect sees is the rep's display name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from agent.engine import Engine, utcnow
from agent.store import HandoffRecord, Message

DASHBOARD_PREFIX = "dashboard:"
"""``claimed_by`` of a rep who claimed from the dashboard inbox: the prefix and their name."""

Notify = Callable[[str, str], Awaitable[None]]
NameOf = Callable[[str], Awaitable[str]]


def joined(name: str) -> str:
    return f"{name} joined the chat"


def handed_back(name: str) -> str:
    return f"{name} handed the chat back to the assistant."


def dashboard_user(name: str) -> str:
    """The ``claimed_by`` of a dashboard rep with this display name."""
    return (DASHBOARD_PREFIX + name)[:64]


def dashboard_name(user: str) -> str | None:
    """The display name of a dashboard rep id; None for a rep of another channel."""
    if user.startswith(DASHBOARD_PREFIX):
        return user[len(DASHBOARD_PREFIX) :]
    return None


class Takeover:
    """Claim, reply and release over the store; ``on_notice`` also shows a notice where
    the prospect is when that is not only the web chat (a Slack thread)."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime] = utcnow,
        on_notice: Notify | None = None,
    ) -> None:
        self.engine = engine
        self.store = engine.store
        self.clock = clock
        self.on_notice = on_notice

    async def notice(self, conversation_id: str, text: str, author: str | None = None) -> None:
        """A ``system`` line in the prospect's chat ("Alex joined the chat")."""
        await self.store.add_message(
            Message(
                conversation_id=conversation_id,
                role="system",
                text=text,
                author=author,
                created_at=self.clock(),
            )
        )
        if self.on_notice is not None:
            await self.on_notice(conversation_id, text)

    async def claim(
        self, conversation_id: str, user: str, name_of: NameOf
    ) -> tuple[bool, HandoffRecord | None]:
        """Claim the lead for ``user``: (True, handoff) when this claim lands (and the
        prospect is told who joined), (False, handoff) when someone else has it or the
        handoff was withdrawn (None: no handoff)."""
        won, handoff = await self.engine.claim(conversation_id, user)
        if won:
            name = dashboard_name(user) or await name_of(user)
            await self.notice(conversation_id, joined(name), author=name)
        return won, handoff

    async def reply(
        self,
        conversation_id: str,
        user: str,
        name: str,
        text: str,
        meta: dict[str, Any] | None = None,
    ) -> Message | None:
        """Store the rep's message for the prospect, if ``user`` has the chat; None if not."""
        handoff = await self.store.get_handoff(conversation_id)
        if handoff is None or not handoff.takeover or handoff.claimed_by != user:
            return None
        message = Message(
            conversation_id=conversation_id,
            role="rep",
            author=name,
            text=text,
            created_at=self.clock(),
            meta=meta or {},
        )
        await self.store.add_message(message)
        return message

    async def release(self, conversation_id: str, name_of: NameOf) -> str | None:
        """Give the lead back to the assistant: the rep who had it, or None if nobody had."""
        had = await self.store.release_handoff(conversation_id, self.clock())
        if had is None:
            return None
        name = dashboard_name(had) or await name_of(had)
        await self.notice(conversation_id, handed_back(name))
        return had
