"""The Slack app (slack-bolt, async): Claim / Not a fit / Release buttons, ``/qualify``,
and the live takeover, where a rep's replies in the handoff thread go to the prospect.

Mounted in the web app at ``/slack/events`` (HTTP mode; bolt checks every request's
signature and timestamp) or run over Socket Mode (``qualify slack --socket``). Everything
it knows is in the database, so any worker can serve any request: a rep's reply is stored
as a message, and the prospect's event stream (on whichever worker) picks it up from there.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from agent.config import Settings
from agent.engine import AlreadyAnswered, Engine, TurnResult, utcnow
from agent.errors import InvalidQuickReply
from agent.notify import HandoffDispatcher
from agent.playbook import QuickReplyRef
from agent.sql_store import SQLStore
from agent.store import HandoffRecord
from agent.takeover import Takeover
from agent.team_words import TeamWords, english, team_words
from channels.slack import mrkdwn
from channels.slack.blocks import (
    CLAIM,
    NOT_A_FIT,
    OPEN_TRANSCRIPT,
    QUICK_REPLY,
    REASSIGN,
    RELEASE,
    answered_blocks,
    escape,
    question_blocks,
    rep_mention,
)
from channels.slack.notifier import dashboard_base
from channels.web.grants import mint_transcript_url

log = logging.getLogger(__name__)

NOT_A_FIT_VIEW = "qualify_not_a_fit_reason"
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# What the app writes to reps is in the team's language (reps.yaml ``slack``); these are
# the English texts.
USAGE = english().text("slack.usage")
NOT_ALLOWED = english().text("slack.not_allowed")


class SlackBridge:
    """What the Slack app and the web API share: the store, the client, rep names."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        store: SQLStore,
        client: AsyncWebClient,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.store = store
        self.client = client
        self.clock = clock
        self._names: dict[str, str] = {}
        self.on_handoff: Callable[[], None] | None = None
        """Called when a Slack conversation's handoff becomes due (wakes the dispatcher)."""
        self.cards: HandoffDispatcher | None = None
        """Keeps the handoff cards current; rep actions update a card through it at once."""
        self.takeover = Takeover(engine, clock=lambda: self.clock(), on_notice=self._in_thread)
        """Claim, reply and release, as the dashboard inbox does them."""

    @property
    def words(self) -> TeamWords:
        """What reps read, in the playbook's team language."""
        return team_words(self.engine.prompts, self.engine.playbook)

    def allowed(self, user: str) -> bool:
        reps = self.settings.slack_rep_user_ids
        return not reps or user in reps

    def is_note(self, text: str) -> bool:
        prefix = self.settings.slack_note_prefix.strip().casefold()
        return bool(prefix) and text.strip().casefold().startswith(prefix)

    async def rep_name(self, user: str) -> str:
        """The rep's name as the prospect sees it (display name, else real name)."""
        if user not in self._names:
            name = user
            try:
                response = await self.client.users_info(user=user)
                info: dict[str, Any] = response.get("user") or {}
                profile: dict[str, Any] = info.get("profile") or {}
                name = (
                    profile.get("display_name")
                    or profile.get("real_name")
                    or info.get("real_name")
                    or info.get("name")
                    or user
                )
            except Exception:
                log.warning("users.info failed for %s; showing the user id", user)
            self._names[user] = str(name)
        return self._names[user]

    async def notice(self, conversation_id: str, text: str, author: str | None = None) -> None:
        """A ``system`` line in the prospect's chat ("Alex joined the chat")."""
        await self.takeover.notice(conversation_id, text, author)

    async def _in_thread(self, conversation_id: str, text: str) -> None:
        """A notice in the prospect's own Slack thread, when they are in Slack."""
        where = slack_location(conversation_id)
        if where is not None:  # the prospect is in Slack
            await self.client.chat_postMessage(
                channel=where[0], thread_ts=where[1], text=f"_{escape(text)}_"
            )

    async def relay_prospect(self, conversation_id: str, text: str) -> None:
        """The prospect wrote to a handed-off lead: the card keeper posts it in the
        handoff's thread (each message once, in order, from any worker)."""
        if self.on_handoff is not None:
            self.on_handoff()

    async def refresh(self, conversation_id: str) -> None:
        """Show a rep's action on the lead's card now rather than at the next pass."""
        if self.cards is None:
            return
        try:
            await self.cards.refresh(conversation_id)
        except Exception:
            log.exception("updating the card of %s failed; the next pass retries", conversation_id)

    async def thread_note(self, handoff: HandoffRecord | None, text: str) -> None:
        """A line in the handoff's thread (who claimed, released, reassigned)."""
        if handoff is None or handoff.posted_channel is None or handoff.posted_ts is None:
            return
        await self.client.chat_postMessage(
            channel=handoff.posted_channel, thread_ts=handoff.posted_ts, text=text
        )

    async def first_delivery(self, body: dict[str, Any]) -> bool:
        """False for a retry of an event already handled (same event id)."""
        event_id = body.get("event_id")
        return not event_id or await self.store.first_delivery(str(event_id), self.clock())

    async def qualify(
        self, body: dict[str, Any], event: dict[str, Any], conversation_id: str, *, start: bool
    ) -> None:
        """A prospect's message in Slack: the same engine answers, in the thread."""
        text = MENTION.sub("", str(event.get("text") or "")).strip()
        if not text or not await self.first_delivery(body):
            return
        if await self.store.get_conversation(conversation_id) is None:
            if not start:
                return
            await self.engine.start(channel="slack", conversation_id=conversation_id)
        await self.answer(conversation_id, text, client_id=str(event.get("ts") or "") or None)

    async def answer(
        self,
        conversation_id: str,
        text: str,
        *,
        client_id: str | None,
        quick_reply: QuickReplyRef | None = None,
    ) -> None:
        """Run the prospect's message (or pressed button) through the engine and post the
        reply in their thread; a question with quick replies comes with a button each."""
        try:
            result = await self.engine.turn(
                conversation_id, text, client_id=client_id, quick_reply=quick_reply
            )
        except AlreadyAnswered:
            return
        if result.relayed_to is not None:
            await self.relay_prospect(conversation_id, text)
            return
        if result.handoff is not None and self.on_handoff is not None:
            self.on_handoff()
        where = slack_location(conversation_id)
        if where is None:
            return
        *first, last = self.reply_texts(result)
        for text in first:
            await self.client.chat_postMessage(channel=where[0], thread_ts=where[1], text=text)
        if result.asking is not None and result.quick_replies:
            blocks = question_blocks(last, conversation_id, result.asking, result.quick_replies)
            await self.client.chat_postMessage(
                channel=where[0], thread_ts=where[1], text=last, blocks=blocks
            )
        else:
            await self.client.chat_postMessage(channel=where[0], thread_ts=where[1], text=last)

    def reply_texts(self, result: TurnResult) -> list[str]:
        """The reply as the Slack messages posted one after the other (a product answer,
        then the next question), the last with the booking link for a hot lead."""
        texts = list(result.parts or (result.reply,))
        booking = self.engine.playbook.booking_url
        if booking and result.handoff is not None and result.handoff.reason == "hot_lead":
            texts[-1] += f"\n<{booking}|Book a call with our team>"
        return texts

    async def press(self, body: dict[str, Any]) -> None:
        """A prospect pressed a quick-reply button: its label is their message and its
        value their answer. The question's buttons give way to what was picked."""
        action = body["actions"][0]
        try:
            value = json.loads(str(action.get("value") or ""))
            conversation_id = str(value["conversation"])
            ref = QuickReplyRef(str(value["field"]), int(value["index"]))
        except (ValueError, KeyError, TypeError):
            log.warning("a quick-reply button with an unreadable value: %r", action.get("value"))
            return
        user = (body.get("user") or {}).get("id")
        channel = (body.get("channel") or {}).get("id")
        message: dict[str, Any] = body.get("message") or {}
        try:
            label = self.engine.playbook.choice(ref).chip.label
        except InvalidQuickReply:
            if channel and user:
                await self.client.chat_postEphemeral(
                    channel=channel,
                    user=user,
                    text="That choice isn't available any more. Please type your answer.",
                )
            return
        if await self.store.get_conversation(conversation_id) is None:
            return
        if channel and message.get("ts"):
            question = str(message.get("text") or "")
            await self.client.chat_update(
                channel=channel,
                ts=message["ts"],
                text=question,
                blocks=answered_blocks(question, user, label),
            )
        # One answer per question message and chip, however often the button is pressed.
        client_id = f"button:{message.get('ts') or action.get('action_ts')}:{ref.index}"
        await self.answer(conversation_id, label, client_id=client_id[:64], quick_reply=ref)

    async def release(self, conversation_id: str, user: str) -> bool:
        """Give the lead back: the assistant answers again, any rep can claim it, and the
        thread and the card say so."""
        had = await self.takeover.release(conversation_id, self.rep_name)
        if had is None:
            return False
        words = self.words
        who = f"<@{user}>"
        if user != had:
            who = words.text("slack.released_for", rep=who, had=f"<@{had}>")
        await self.thread_note(
            await self.store.get_handoff(conversation_id), words.text("slack.released", who=who)
        )
        await self.refresh(conversation_id)
        return True

    async def reassign(self, conversation_id: str, actor: str, rep: str) -> str:
        """Give the lead to ``rep``: the claim (and live chat) if someone has it, else the
        assignment. What to tell ``actor``."""
        words = self.words
        if not self.allowed(rep):
            return words.text("slack.not_a_rep", rep=f"<@{rep}>")
        before = await self.store.get_handoff(conversation_id)
        if before is None:
            return words.text("slack.lead_not_found")
        if before.claimed_by == rep:
            return words.text("slack.has_it_already", rep=f"<@{rep}>")
        handoff = await self.store.reassign_handoff(conversation_id, rep, self.clock())
        if handoff is None:
            return words.text("slack.lead_not_found")
        if handoff.claimed_by and handoff.takeover:
            name = await self.rep_name(rep)
            await self.notice(conversation_id, f"{name} joined the chat", author=name)
        await self.thread_note(
            handoff, words.text("slack.reassigned_note", actor=f"<@{actor}>", rep=f"<@{rep}>")
        )
        await self.refresh(conversation_id)
        return words.text("slack.reassigned", lead=conversation_id[:8], rep=f"<@{rep}>")


SLACK_PREFIX = "slack:"
MENTION = re.compile(r"<@[A-Z0-9]+>")


def slack_conversation_id(body: dict[str, Any], event: dict[str, Any]) -> str:
    """One conversation per Slack thread: the id says where it is (see slack_location)."""
    thread = event.get("thread_ts") or event.get("ts")
    return f"{SLACK_PREFIX}{event.get('channel')}:{thread}"[:64]


def slack_location(conversation_id: str) -> tuple[str, str] | None:
    """The channel and thread of a conversation held in Slack; None for other channels."""
    if not conversation_id.startswith(SLACK_PREFIX):
        return None
    channel, _, thread = conversation_id[len(SLACK_PREFIX) :].partition(":")
    return (channel, thread) if channel and thread else None


def _not_a_fit_view(
    conversation_id: str, channel: str, ts: str, words: TeamWords
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": NOT_A_FIT_VIEW,
        "private_metadata": json.dumps({"lead": conversation_id, "channel": channel, "ts": ts}),
        "title": {"type": "plain_text", "text": words.text("slack.form_title")[:24]},
        "submit": {"type": "plain_text", "text": words.text("slack.form_save")[:24]},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": {"type": "plain_text", "text": words.text("slack.form_question")},
                "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True},
            }
        ],
    }


def build_slack_app(bridge: SlackBridge) -> AsyncApp:
    """The bolt app; the caller mounts it (HTTP) or connects it (Socket Mode)."""
    settings = bridge.settings
    secret = settings.slack_signing_secret
    app = AsyncApp(
        signing_secret=secret.get_secret_value() if secret else None,
        client=bridge.client,
        request_verification_enabled=secret is not None,
    )
    store = bridge.store

    async def rep_of(client: AsyncWebClient, body: dict[str, Any]) -> str | None:
        """The user who pressed a button, if they are a rep; others are told they cannot."""
        user = str(body["user"]["id"])
        if bridge.allowed(user):
            return user
        await client.chat_postEphemeral(
            channel=body["channel"]["id"], user=user, text=bridge.words.text("slack.not_allowed")
        )
        return None

    @app.action(CLAIM)
    async def claim(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        user = await rep_of(client, body)
        if user is None:
            return
        lead = body["actions"][0]["value"]
        channel = body["channel"]["id"]
        message = body["message"]
        won, handoff = await bridge.takeover.claim(lead, user, bridge.rep_name)
        if not won:
            text = _not_claimed(handoff, bridge.words)
            await client.chat_postEphemeral(channel=channel, user=user, text=text)
            return
        await bridge.refresh(lead)
        prefix = settings.slack_note_prefix
        await client.chat_postMessage(
            channel=channel,
            thread_ts=message["ts"],
            text=bridge.words.text("slack.claimed", rep=f"<@{user}>", prefix=prefix),
        )

    @app.action(NOT_A_FIT)
    async def not_a_fit(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        if await rep_of(client, body) is None:
            return
        await client.views_open(
            trigger_id=body["trigger_id"],
            view=_not_a_fit_view(
                body["actions"][0]["value"],
                body["channel"]["id"],
                body["message"]["ts"],
                bridge.words,
            ),
        )

    @app.view(NOT_A_FIT_VIEW)
    async def not_a_fit_reason(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        view = body["view"]
        reason = str(view["state"]["values"]["reason"]["reason"].get("value") or "").strip()
        if not reason:
            said = bridge.words.text("slack.form_no_reason")
            await ack(response_action="errors", errors={"reason": said})
            return
        await ack()
        user = body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        if not bridge.allowed(user):
            return
        await store.handoff_feedback(
            meta["lead"], feedback=f"not a fit: {reason}", user=user, now=bridge.clock()
        )
        if meta.get("channel") and meta.get("ts"):
            await client.chat_postMessage(
                channel=meta["channel"],
                thread_ts=meta["ts"],
                text=bridge.words.text(
                    "slack.marked_not_a_fit", rep=f"<@{user}>", reason=escape(reason)
                ),
            )
        await bridge.refresh(meta["lead"])

    @app.action(OPEN_TRANSCRIPT)
    async def open_transcript(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A personal, expiring, read-only link to this lead for the rep who pressed it
        (the card is seen by the whole channel; the link is theirs, and its use logged)."""
        await ack()
        user = await rep_of(client, body)
        if user is None:
            return
        lead = body["actions"][0]["value"]
        url = mint_transcript_url(settings, dashboard_base(settings), lead, user, bridge.clock())
        hours = settings.transcript_grant_hours
        words = bridge.words
        link = f"<{url}|{words.text('slack.transcript_link_text')}>"
        await client.chat_postEphemeral(
            channel=body["channel"]["id"],
            user=user,
            text=words.text("slack.transcript_link", link=link, hours=hours),
        )

    @app.action(re.compile(f"^{QUICK_REPLY}:"))
    async def quick_reply(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        await bridge.press(body)

    @app.action(RELEASE)
    async def release_button(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        user = await rep_of(client, body)
        if user is None:
            return
        if not await bridge.release(body["actions"][0]["value"], user):
            await client.chat_postEphemeral(
                channel=body["channel"]["id"],
                user=user,
                text=bridge.words.text("slack.nobody_has_it"),
            )

    @app.action(REASSIGN)
    async def reassign_select(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        user = await rep_of(client, body)
        if user is None:
            return
        action = body["actions"][0]
        rep = str(action.get("selected_user") or "")
        lead = _lead_of(body)
        if not rep or lead is None:
            return
        said = await bridge.reassign(lead, user, rep)
        await client.chat_postEphemeral(channel=body["channel"]["id"], user=user, text=said)

    @app.command("/qualify")
    async def qualify_command(ack: Any, command: dict[str, Any]) -> None:
        user = command["user_id"]
        said = bridge.words
        words = str(command.get("text") or "").split()
        if not words or words[0] not in ("release", "assign"):
            await ack(said.text("slack.usage"))
            return
        if not bridge.allowed(user):
            await ack(said.text("slack.not_allowed"))
            return
        if words[0] == "assign":
            await ack(await _assign_command(user, words[1:]))
            return
        live = await store.live_takeovers(user)
        if len(words) > 1:
            live = [h for h in live if h.conversation_id.startswith(words[1])]
        if not live:
            await ack(said.text("slack.nothing_to_release"))
            return
        await bridge.release(live[0].conversation_id, user)
        await ack(said.text("slack.released_lead", lead=live[0].conversation_id[:8]))

    async def _assign_command(user: str, words: list[str]) -> str:
        """``/qualify assign @rep [lead id]``: the lead (by default the one you are live
        in) goes to another rep."""
        found = USER_MENTION.fullmatch(words[0]) if words else None
        if found is None:
            return bridge.words.text("slack.assign_usage")
        live = await store.live_takeovers(user)
        if len(words) > 1:
            live = [h for h in live if h.conversation_id.startswith(words[1])]
            if not live and await store.get_handoff(words[1]) is not None:
                return await bridge.reassign(words[1], user, found.group(1))
        if not live:
            return bridge.words.text("slack.give_lead_id")
        return await bridge.reassign(live[0].conversation_id, user, found.group(1))

    @app.event("message")
    async def message(
        body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return  # our own and other bots' messages, edits, joins
        channel = str(event.get("channel") or "")
        thread = event.get("thread_ts")
        if thread and thread != event.get("ts"):
            handoff = await store.handoff_by_message(channel, str(thread))
            if handoff is not None:
                await rep_reply(body, event, handoff)
                return
        conversation_id = slack_conversation_id(body, event)
        if event.get("channel_type") == "im":
            await bridge.qualify(body, event, conversation_id, start=True)
        elif f"<@{context.bot_user_id}>" in str(event.get("text") or ""):
            return  # a mention: the app_mention event answers it
        elif thread and await store.get_conversation(conversation_id) is not None:
            await bridge.qualify(body, event, conversation_id, start=False)

    @app.event("app_mention")
    async def mention(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("bot_id"):
            return
        await bridge.qualify(body, event, slack_conversation_id(body, event), start=True)

    async def rep_reply(body: dict[str, Any], event: dict[str, Any], handoff: Any) -> None:
        text = str(event.get("text") or "").strip()
        if not text or bridge.is_note(text):
            return
        if not await bridge.first_delivery(body):
            return  # a retry of an event already handled
        if not handoff.takeover or event.get("user") != handoff.claimed_by:
            await bridge.client.chat_postEphemeral(
                channel=str(event.get("channel")),
                thread_ts=str(event.get("thread_ts")),
                user=str(event.get("user")),
                text=_not_sent(handoff, settings.slack_note_prefix, bridge.words),
            )
            return
        name = await bridge.rep_name(str(event["user"]))
        names = {user: await bridge.rep_name(user) for user in mrkdwn.user_ids(text)}
        plain = mrkdwn.to_plain(text, names)
        meta = {"slack_ts": event.get("ts"), **plain.meta()}
        user = str(event["user"])
        await bridge.takeover.reply(handoff.conversation_id, user, name, plain.text, meta)
        where = slack_location(handoff.conversation_id)
        if where is not None:  # the prospect is in Slack too
            said = mrkdwn.named_mentions(text, names)
            await bridge.client.chat_postMessage(
                channel=where[0], thread_ts=where[1], text=f"*{escape(name)}:* {said}"
            )

    return app


def _not_sent(handoff: HandoffRecord, prefix: str, words: TeamWords) -> str:
    """Why a rep's reply in a handoff thread did not reach the prospect."""
    if handoff.claimed_by:
        why = words.text("slack.not_sent_claimed", rep=rep_mention(handoff.claimed_by, words))
    elif handoff.status == "withdrawn":
        why = words.text("slack.not_sent_withdrawn")
    else:
        why = words.text("slack.not_sent_unclaimed")
    return words.text("slack.not_sent", why=why, prefix=prefix)


def _not_claimed(handoff: HandoffRecord | None, words: TeamWords) -> str:
    """Why a claim did not land, for the rep who tried."""
    if handoff is None:
        return words.text("slack.lead_not_found")
    if handoff.claimed_by:
        return words.text("slack.already_claimed", rep=rep_mention(handoff.claimed_by, words))
    if handoff.status == "withdrawn":
        return words.text("slack.withdrawn")
    return words.text("slack.lead_not_found")


def _lead_of(body: dict[str, Any]) -> str | None:
    """The lead a card's action is about (the value its buttons carry)."""
    for block in (body.get("message") or {}).get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button" and element.get("value"):
                return str(element["value"])
    return None
