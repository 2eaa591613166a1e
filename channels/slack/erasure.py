"""Erasing a lead in Slack: its handoff message and what the app wrote in its thread.

A destination of the event outbox, subscribed to ``lead.erased`` when Slack is set up, so a
Slack that is down is retried like any receiver. The event says where the handoff was
posted (``data.slack_channel``, ``data.slack_ts``): the card is replaced by a notice, and
the app's own messages in the thread (the prospect's relayed messages, notices) are deleted.
Messages reps wrote themselves can only be deleted by them or a workspace admin; the
delivery note counts them.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from agent.config import Settings
from agent.destinations import DeliveryFailed, Destination
from agent.events import LeadEvent
from agent.team_words import TeamWords, english
from agent.triggers import SLACK_ERASURE
from channels.slack.notifier import build_client, slack_enabled

ERASED_TEXT = english().text("slack.erased")
"""What the card says once erased (in English; the team's language when one is given)."""
GONE_ERRORS = ("message_not_found", "channel_not_found", "thread_not_found")
"""Answers that mean there is nothing left to erase."""


class SlackErasure:
    def __init__(self, client: AsyncWebClient, words: TeamWords | None = None) -> None:
        self.client = client
        self.erased_text = (words or english()).text("slack.erased")

    @property
    def name(self) -> str:
        return SLACK_ERASURE

    async def deliver(self, event: LeadEvent) -> str:
        channel, ts = event.data.get("slack_channel"), event.data.get("slack_ts")
        if event.type != "lead.erased" or not channel or not ts:
            return "skipped: no Slack handoff"
        try:
            return await self._erase(str(channel), str(ts))
        except SlackApiError as exc:
            error = str(exc.response.get("error", "error"))
            if error in GONE_ERRORS:
                return f"nothing left in Slack ({error})"
            status = exc.response.status_code
            raise DeliveryFailed(
                f"Slack answered {error}", retryable=status >= 500 or status == 429, status=status
            ) from exc

    async def _erase(self, channel: str, ts: str) -> str:
        await self.client.chat_update(
            channel=channel,
            ts=ts,
            text=self.erased_text,
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": self.erased_text}}],
        )
        deleted = kept = 0
        for message in await self._thread(channel, ts):
            if message.get("ts") == ts:
                continue
            if message.get("bot_id"):
                await self.client.chat_delete(channel=channel, ts=str(message["ts"]))
                deleted += 1
            else:
                kept += 1
        note = f"handoff message redacted, {deleted} of the app's thread messages deleted"
        if kept:
            note += f"; {kept} written by reps are left for them or an admin to delete"
        return note

    async def _thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = await self.client.conversations_replies(
                channel=channel, ts=ts, limit=200, cursor=cursor
            )
            messages.extend(page.get("messages", []))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return messages

    async def aclose(self) -> None:
        return None


def slack_destinations(settings: Settings, words: TeamWords | None = None) -> list[Destination]:
    """The outbox destinations Slack adds (its erasure, saying so in the team's ``words``),
    when Slack is set up."""
    return [SlackErasure(build_client(settings), words)] if slack_enabled(settings) else []
