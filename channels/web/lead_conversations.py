"""A lead's conversations, for its page and the admin API: a lead (one contact, by email)
may have chatted several times; each conversation is shown in order with its transcript."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from agent.store import Conversation, Message
from agent.team_words import TeamWords, english


class ConversationPart(BaseModel):
    """One conversation of a lead: when and where it started, and its messages."""

    model_config = ConfigDict(frozen=True)

    id: str
    channel: str
    started_at: datetime
    page: str | None = None
    prospect_messages: int = 0
    messages: list[Message] = []

    def heading(self, words: TeamWords | None = None) -> str:
        """The separator shown above its transcript: when it started, on which channel and
        page (in the team's ``words``, English by default)."""
        return (words or english()).text(
            "admin.conversation_started",
            at=f"{self.started_at:%Y-%m-%d %H:%M}",
            channel=self.channel,
            page=self.page,
        )

    def summary(self) -> dict[str, Any]:
        """What the admin API says about it (its messages are in the lead's transcript)."""
        return {
            "id": self.id,
            "channel": self.channel,
            "started_at": self.started_at.isoformat(),
            "page": self.page,
            "prospect_messages": self.prospect_messages,
        }


async def lead_parts(store: Any, conversation_id: str) -> list[ConversationPart]:
    """The conversations of the lead ``conversation_id`` belongs to, oldest first, each with
    its messages."""
    found: list[Conversation] = await store.lead_conversations(conversation_id)
    parts = []
    for conversation in found:
        context = conversation.context
        page = str(context.page_url) if context is not None and context.page_url else None
        parts.append(
            ConversationPart(
                id=conversation.id,
                channel=conversation.channel,
                started_at=conversation.created_at,
                page=page,
                prospect_messages=conversation.prospect_messages,
                messages=await store.messages(conversation.id),
            )
        )
    return parts
