"""Posting handoffs to the sales team.

A handoff is stored (``pending``) in the same transaction as the turn that made it due, so
it cannot be lost; :class:`HandoffDispatcher` posts pending handoffs through a
:class:`Notifier` (Slack) afterwards. Each attempt first leases the row in the database, so
several workers never post the same handoff twice; an attempt that fails is retried later
with a growing delay, and until it succeeds the dashboard shows the handoff as pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from agent.engine import Engine, utcnow
from agent.handoff import HandoffPayload, build_payload, questions_asked
from agent.store import HandoffRecord, HandoffStore
from agent.summary import Summarizer
from agent.team_words import TeamWords, english, team_words

log = logging.getLogger(__name__)

RETRY_DELAYS = (5.0, 15.0, 60.0, 300.0)
"""Seconds before the next attempt after the 1st, 2nd, 3rd and later failures."""


@dataclass(frozen=True, slots=True)
class Posted:
    """Where a handoff landed: the channel id and the message's timestamp (its id)."""

    channel: str
    ts: str


class Notifier(Protocol):
    """Sends a handoff to where the sales team works."""

    async def post_handoff(self, payload: HandoffPayload) -> Posted:
        """Post it, or raise: the dispatcher retries."""

    async def remind(self, posted: Posted, text: str) -> None:
        """Add a reminder under a posted handoff (in its thread)."""

    async def update_card(self, posted: Posted, payload: HandoffPayload) -> None:
        """Show the lead as it is now in the posted handoff message."""

    async def relay(self, posted: Posted, text: str, heading: str) -> None:
        """Post something the prospect wrote in the handoff's thread, under ``heading``
        (who wrote it, in the team's language)."""


def came_back_line(started_at: datetime, words: TeamWords | None = None) -> str:
    """The card's line for a lead whose prospect came back in a new conversation."""
    return (words or english()).text("slack.came_back", at=f"{started_at:%Y-%m-%d %H:%M}")


class HandoffDispatcher:
    """Posts due handoffs: :meth:`run_once` for one pass, :meth:`run` as a background loop."""

    def __init__(
        self,
        engine: Engine,
        store: HandoffStore,
        notifier: Notifier,
        summarizer: Summarizer,
        *,
        dashboard_url: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        poll_seconds: float = 5.0,
        lease_seconds: float = 120.0,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        round_robin: Sequence[str] = (),
        claim_sla: timedelta | None = None,
        card_interval: float = 3.0,
    ) -> None:
        self.card_interval = timedelta(seconds=card_interval)
        """At least this long between two updates of one lead's card (bursts coalesce)."""
        self.round_robin = tuple(round_robin)
        self.claim_sla = claim_sla
        self.engine = engine
        self.store = store
        self.notifier = notifier
        self.summarizer = summarizer
        self.dashboard_url = dashboard_url.rstrip("/") if dashboard_url else None
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.lease = timedelta(seconds=lease_seconds)
        self.retry_delays = tuple(retry_delays) or RETRY_DELAYS
        self._wake = asyncio.Event()

    @property
    def words(self) -> TeamWords:
        """What reps read, in the playbook's team language."""
        return team_words(self.engine.prompts, self.engine.playbook)

    def wake(self) -> None:
        """Look for due handoffs now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("posting handoffs failed; trying again at the next poll")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            self._wake.clear()

    async def run_once(self) -> int:
        """Try every due handoff once; the number posted."""
        posted = 0
        for due in await self.store.due_handoffs(self.clock()):
            now = self.clock()
            leased = await self.store.lease_handoff(due.id, now, now + self.lease)
            if leased is None:
                continue  # another worker has it
            if await self._post(leased):
                posted += 1
        if self.claim_sla is not None:
            await self.remind_unclaimed(self.claim_sla)
        await self.sync_cards()
        return posted

    async def sync_cards(self) -> int:
        """Bring every posted card that is behind its lead up to date, and post the
        prospect's new messages in its thread; the number of cards looked at."""
        now = self.clock()
        behind = await self.store.cards_to_sync(now, now - self.card_interval)
        for handoff in behind:
            await self.sync_card(handoff)
        return len(behind)

    async def sync_card(self, handoff: HandoffRecord, *, force: bool = False) -> bool:
        """Update one card (when it is behind and was not updated within the interval, or
        ``force``: a rep acted on it) and relay new messages; False if another worker has
        it or Slack failed (tried again at the next pass)."""
        if handoff.posted_channel is None or handoff.posted_ts is None:
            return False
        now = self.clock()
        if not await self.store.lease_card(handoff.id, now, now + self.lease):
            return False
        posted = Posted(handoff.posted_channel, handoff.posted_ts)
        relayed = handoff.relayed_pk
        synced: tuple[int, int] | None = None
        heading = self.words.text("slack.prospect")
        try:
            for key, message in await self.store.messages_since(handoff.conversation_id, relayed):
                await self.notifier.relay(posted, message.text, heading)
                relayed = key
            settled = handoff.card_synced_at is None or (
                handoff.card_synced_at <= now - self.card_interval
            )
            if force or settled:
                payload = await self.payload(handoff)
                if payload is not None and (
                    force
                    or payload.version > handoff.card_version
                    or handoff.revision > handoff.card_revision
                ):
                    await self.notifier.update_card(posted, payload)
                    synced = (payload.version, handoff.revision)
        except Exception:
            log.exception("updating the Slack card of %s failed", handoff.conversation_id)
            return False
        finally:
            await self.store.card_synced(
                handoff.id,
                at=now if synced else None,
                version=synced[0] if synced else None,
                revision=synced[1] if synced else None,
                relayed_pk=relayed,
            )
        return True

    async def refresh(self, conversation_id: str) -> bool:
        """Update a lead's card now (a rep claimed, released or reassigned it)."""
        handoff = await self.engine.store.get_handoff(conversation_id)
        return handoff is not None and await self.sync_card(handoff, force=True)

    async def remind_unclaimed(self, sla: timedelta) -> int:
        """Remind the channel (in the thread) of leads nobody claimed within ``sla``; once
        each. The number of reminders sent."""
        sent = 0
        now = self.clock()
        for handoff in await self.store.unclaimed_handoffs(now - sla):
            if handoff.posted_channel is None or handoff.posted_ts is None:
                continue
            if not await self.store.mark_reminded(handoff.id, now):
                continue  # another worker reminded
            minutes = int(sla.total_seconds() // 60)
            words = self.words
            text = words.text("card.reminder", minutes=minutes)
            if handoff.assigned_to:
                text += " " + words.text("card.take_it", rep=f"<@{handoff.assigned_to}>")
            try:
                await self.notifier.remind(Posted(handoff.posted_channel, handoff.posted_ts), text)
            except Exception:
                log.exception("the reminder for %s failed", handoff.conversation_id)
                await self.store.mark_reminded(handoff.id, None)
                continue
            sent += 1
        return sent

    async def payload(self, handoff: HandoffRecord) -> HandoffPayload | None:
        """The message for a handoff, from the lead as it is now; None if the lead is gone."""
        found = await self.engine.store.get_conversation(handoff.conversation_id)
        if found is None:
            return None
        key = await self.store.last_message_key(handoff.conversation_id)
        messages = await self.engine.store.messages(handoff.conversation_id)
        breakdown, seg = self.engine.evaluate_conversation(found)
        asked = questions_asked(messages, found.profile, self.engine.playbook, found.language)
        summary = await self.summarizer.summarize(
            found.profile, messages, handoff.reason, asked, language=found.language
        )
        link = f"{self.dashboard_url}/admin/leads/{found.lead}" if self.dashboard_url else None
        payload = build_payload(
            found,
            messages,
            breakdown,
            seg,
            self.engine.playbook,
            reason=handoff.reason,
            channel=handoff.channel,
            summary=summary,
            dashboard_url=link,
            handoff=handoff,
            now=self.clock(),
            last_seen_at=await self.store.last_seen(handoff.conversation_id),
            words=self.words,
        )
        if found.lead != found.id:
            # A returning visitor: the lead's handoff went on in this conversation.
            came_back = came_back_line(found.created_at, self.words)
            payload = dataclasses.replace(payload, context=(came_back, *payload.context))
        return dataclasses.replace(payload, message_key=key)

    async def _post(self, handoff: HandoffRecord) -> bool:
        try:
            payload = await self.payload(handoff)
            if payload is None:
                return False
            assignee = None
            if self.round_robin:
                turn = await self.store.count_posted_handoffs()
                assignee = self.round_robin[turn % len(self.round_robin)]
                payload = dataclasses.replace(payload, assignee=assignee)
            posted = await self.notifier.post_handoff(payload)
        except Exception as exc:
            delay = self.retry_delays[min(handoff.attempts, len(self.retry_delays)) - 1]
            now = self.clock()
            log.warning(
                "posting the handoff of %s failed (attempt %d): %s; retrying in %.0f s",
                handoff.conversation_id,
                handoff.attempts,
                exc,
                delay,
            )
            await self.store.handoff_failed(
                handoff.id,
                error=f"{type(exc).__name__}: {exc}",
                retry_at=now + timedelta(seconds=delay),
                now=now,
            )
            return False
        await self.store.handoff_posted(
            handoff.id,
            channel=posted.channel,
            ts=posted.ts,
            now=self.clock(),
            assigned_to=assignee,
            card_version=payload.version,
            relayed_pk=payload.message_key,
        )
        return True
