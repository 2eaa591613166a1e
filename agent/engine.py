"""The conversation engine: one prospect message in, one reply and the updated lead out.

A turn stores the prospect's message first, then makes one model call (a second only when
the model's tool arguments were invalid, to let it fix them once), applies the tool calls
to the lead profile, scores and segments the lead, decides on handoff and picks the next
question. Only the extraction comes from the model; everything after it is deterministic.

When the message asks something and the engine has a knowledge base (a
:class:`~agent.knowledge.Retriever`), passages are retrieved before the model call and
given to the model in the system prompt, so the same call answers and extracts. Questions
become intent signals on the lead, and questions nothing was found for become open
questions for the rep.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import unicodedata
import uuid
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import add_ai_message_chunks
from langchain_core.runnables import Runnable

from agent.context import PickedReply, TurnContext, render_passages, render_state
from agent.errors import ConversationBusy, ConversationNotFound, InvalidMessage, QualifyError
from agent.events import (
    LeadEvent,
    Subscriptions,
    claimed_event,
    erased_event,
    merged_event,
    status_changed_event,
    turn_events,
)
from agent.extraction import SourceMessage, ToolProblem, apply_choice, apply_update
from agent.intents import find_questions, find_signals, signal_keywords
from agent.knowledge import QuestionPassages, Retriever
from agent.language import (
    SWITCH_CONFIDENCE,
    LanguageChoice,
    LanguageDetector,
    LanguagePriors,
    alphabet_guess,
    choose_language,
    holds_language,
    language_name,
    starting_language,
    telling_text,
)
from agent.language_detectors import EnsembleDetector
from agent.lead_context import LeadContext
from agent.leads import MERGED_FIELDS, merge_profiles
from agent.models import Evidence, Fact, FieldName, LeadProfile, Superseded
from agent.playbook import Choice, Playbook, QuickReplyRef
from agent.prompts import PromptSet
from agent.questions import ABOUT_KEY, about_question, next_question
from agent.replies import TurnOutcome, compose
from agent.routing import HandoffReason, handoff_reason, requested_person
from agent.scoring import ScoreBreakdown, score
from agent.segments import Segment, segment
from agent.store import (
    AuditEntry,
    Conversation,
    HandoffRecord,
    LeadChange,
    LeadState,
    Message,
    Store,
    TurnLease,
    new_id,
)
from agent.tools import TOOL_NAME, UpdateLead

log = logging.getLogger(__name__)

MAX_QUESTIONS = 3
"""Questions of one message that get passages; the rest wait for the next turn."""


Delta = Callable[[str, int], Awaitable[None]]
"""Called with each piece of a reply as it is written and the index of the message (of the
reply's parts) it belongs to."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class AlreadyAnswered(QualifyError):
    """The message was sent before and already has a reply (a client retrying)."""

    def __init__(self, message: Message, reply: Message) -> None:
        super().__init__(f"message {message.id} was already answered")
        self.message = message
        self.reply = reply


def message_id_for(conversation_id: str, client_id: str | None) -> str:
    """A fresh id, or one derived from the client's id so a resend maps to the same message."""
    if client_id is None:
        return new_id()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"qualify:{conversation_id}:{client_id}").hex


@dataclass(frozen=True, slots=True)
class _TurnOptions:
    requested_human: bool
    on_stored: Callable[[Message], Awaitable[None]] | None
    on_delta: Delta | None
    client_id: str | None
    choice: Choice | None = None


@dataclass(frozen=True, slots=True)
class Handoff:
    """A lead that is due for a human: why, where to and when."""

    conversation_id: str
    reason: HandoffReason
    channel: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TurnResult:
    conversation_id: str
    reply: str
    asking: FieldName | None
    profile: LeadProfile
    score: ScoreBreakdown
    segment: Segment
    handoff: Handoff | None
    prompt_version: str
    playbook_version: str
    model: str
    model_calls: int
    fallback: bool = False
    quick_replies: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    message_id: str = ""
    reply_id: str = ""
    knowledge: tuple[QuestionPassages, ...] = ()
    """The questions in the message and the passages given to the model for each."""
    relayed_to: str | None = None
    """Set when a rep has taken the conversation over: the message went to them (their
    Slack user id) and ``reply`` is empty."""
    parts: tuple[str, ...] = ()
    """``reply`` as the messages shown one after the other (a product answer, then the
    next question); () when there is no reply."""
    language: str | None = None
    """The conversation's language after this turn (the reply is in it)."""


@dataclass
class _ModelOutcome:
    profile: LeadProfile
    content: str = ""
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    fallback: bool = False
    streamed: str = ""
    problems: list[ToolProblem] = field(default_factory=list)
    skip: frozenset[str] = frozenset()
    """Field groups of the model's tool calls that are not applied (a quick reply set them)."""
    language: str | None = None
    """The conversation's language, for the message said when no model can answer."""


_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str, max_chars: int) -> str:
    """The prospect's text made safe to store, or InvalidMessage.

    Lone surrogates become U+FFFD, control characters other than newline and tab go, and
    Unicode is NFC-normalised.
    """
    if not isinstance(text, str):
        raise InvalidMessage("message must be text")
    text = _SURROGATES.sub("\ufffd", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    text = unicodedata.normalize("NFC", text).strip()
    if not is_visible(text):
        raise InvalidMessage("message is empty")
    if len(text) > max_chars:
        raise InvalidMessage(
            f"message is {len(text)} characters long; the limit is {max_chars}", too_long=True
        )
    return text


def is_visible(text: str) -> bool:
    """Whether ``text`` shows anything: not only spaces, control and format characters
    (NUL, zero-width spaces and joiners, byte-order marks)."""
    return any(unicodedata.category(ch)[0] not in "CZ" for ch in text)


def _content_text_raw(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        part if isinstance(part, str) else str(part.get("text", ""))
        for part in content
        if isinstance(part, str) or part.get("type") == "text"
    )


def _content_text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content.strip()
    parts = [
        part if isinstance(part, str) else str(part.get("text", ""))
        for part in content
        if isinstance(part, str) or part.get("type") == "text"
    ]
    return " ".join(part.strip() for part in parts if part.strip())


class Engine:
    """Runs qualification conversations. Holds no per-conversation state in memory."""

    def __init__(
        self,
        *,
        store: Store,
        model: BaseChatModel,
        playbook: Playbook,
        prompts: PromptSet,
        model_name: str = "offline",
        fallback_model: BaseChatModel | None = None,
        clock: Callable[[], datetime] = utcnow,
        history_messages: int = 12,
        max_message_chars: int = 4000,
        retriever: Retriever | None = None,
        subscriptions: Subscriptions | None = None,
        events: bool = True,
        reps_live: bool = False,
        turn_lease_seconds: float = 15.0,
        expire_after: timedelta | None = None,
        language_detector: LanguageDetector | None = None,
    ) -> None:
        self.store = store
        self.language_detector = language_detector or EnsembleDetector()
        """Reads the language of each prospect message (when the playbook serves several)."""
        self.expire_after = expire_after
        """A conversation idle this long takes no more messages (None: never)."""
        self.turn_lease_seconds = turn_lease_seconds
        """How long a turn holds its conversation without renewing: a worker that dies
        mid-turn keeps the next message of that conversation waiting this long at most."""
        self.reps_live = reps_live
        """Whether a rep can answer in the chat (a rep channel is connected): the replies
        promise a person "here" only then, and an email reply otherwise."""
        self.events = events
        self.subscriptions = subscriptions or Subscriptions()
        self.on_events: Callable[[], None] | None = None
        self.on_handed_off_turn: Callable[[], None] | None = None
        """Called after a turn of a lead handed to sales (its Slack card and thread are
        behind): wakes what keeps them current."""
        """Called after a turn wrote events with deliveries (to wake a delivery worker)."""
        self.retriever = retriever
        self._question_keywords = signal_keywords(playbook.signals)
        self.playbook = playbook
        self.prompts = prompts
        self.model_name = model_name
        self.clock = clock
        self.history_messages = history_messages
        self.max_message_chars = max_message_chars
        self._model: Runnable[Any, BaseMessage] = model.bind_tools([UpdateLead])
        self._fallback: Runnable[Any, BaseMessage] | None = (
            fallback_model.bind_tools([UpdateLead]) if fallback_model is not None else None
        )
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @property
    def prompt_version(self) -> str:
        return self.prompts.version

    @property
    def playbook_version(self) -> str:
        return self.playbook.version

    # --- conversations ---------------------------------------------------------------

    async def start(
        self,
        *,
        channel: str = "cli",
        today: date | None = None,
        conversation_id: str | None = None,
        context: LeadContext | None = None,
        language: LanguagePriors | None = None,
    ) -> tuple[Conversation, Message]:
        """Open a conversation and store the greeting, in the language the channel's
        ``language`` hints give (the playbook's own without them)."""
        now = self.clock()
        spoken = starting_language(
            language or LanguagePriors(), self.playbook.languages, self.playbook.language
        )
        conversation = Conversation(
            channel=channel,
            context=context,
            language=spoken.language,
            language_source=spoken.source,
            created_at=now,
            updated_at=now,
            today=today or now.date(),
            segment=self.playbook.scoring.bands[-1].name,
            prompt_version=self.prompt_version,
            playbook_version=self.playbook_version,
            **({"id": conversation_id} if conversation_id else {}),
        )
        greeting = self._assistant_message(
            conversation.id,
            self.prompts.message(
                "greeting", language=spoken.language, company=self.playbook.company.name
            ),
        )
        await self.store.create_conversation(conversation)
        await self.store.add_message(greeting)
        return conversation, greeting

    async def get(self, conversation_id: str) -> Conversation:
        conversation = await self.store.get_conversation(conversation_id)
        if conversation is None:
            raise ConversationNotFound(conversation_id)
        return conversation

    async def transcript(self, conversation_id: str) -> list[Message]:
        await self.get(conversation_id)
        return await self.store.messages(conversation_id)

    def evaluate(
        self, profile: LeadProfile, *, idle_days: int | None = None
    ) -> tuple[ScoreBreakdown, Segment]:
        breakdown = score(profile, self.playbook, idle_days=idle_days)
        return breakdown, segment(profile, breakdown, self.playbook)

    def evaluate_conversation(self, conversation: Conversation) -> tuple[ScoreBreakdown, Segment]:
        """The lead's score as stored: with the decay of its last rescore, if any."""
        idle = (
            conversation.idle_days(conversation.scored_on)
            if conversation.scored_on is not None
            else None
        )
        return self.evaluate(conversation.profile, idle_days=idle)

    # --- changes from outside a turn ------------------------------------------------

    async def erase(self, conversation_id: str, *, actor: str = "admin") -> bool:
        """Erase a lead and its messages (GDPR); receivers get ``lead.erased`` and the audit
        log records who erased which lead when. False if there was no such lead."""
        now = self.clock()
        found = await self.store.lead_current(conversation_id)
        lead_id = found.lead if found is not None else conversation_id
        handoff = await self.store.get_handoff(found.id if found else conversation_id)
        posted = None
        if handoff is not None and handoff.posted_channel and handoff.posted_ts:
            posted = (handoff.posted_channel, handoff.posted_ts)
        event = erased_event(lead_id, now=now, slack=posted)
        (routed,) = self.subscriptions.route([event])
        audit = AuditEntry(at=now, actor=actor, action="erase", subject=lead_id)
        erased = await self.store.erase_conversation(
            conversation_id, routed if self.events else None, audit
        )
        if erased:
            self._wake_for([routed])
        return erased

    async def claim(self, conversation_id: str, user: str) -> tuple[bool, HandoffRecord | None]:
        """A rep claims a handed-off lead: (True, handoff) for the one claim that lands,
        with a ``lead.claimed`` event; (False, handoff) when someone else has it or the
        handoff was withdrawn."""
        now = self.clock()
        conversation = await self.store.get_conversation(conversation_id)
        event = None
        if conversation is not None and self.events:
            breakdown, seg = self.evaluate_conversation(conversation)
            (event,) = self.subscriptions.route(
                [claimed_event(conversation, breakdown, seg, user=user, now=now)]
            )
        won, handoff = await self.store.claim_handoff(conversation_id, user, now, event)
        if won and event is not None:
            self._wake_for([event])
        return won, handoff

    async def update_lead(self, conversation_id: str, change: LeadChange) -> LeadState | None:
        """Set a lead's status (with its reason) and/or owner; a change of status or reason
        writes ``lead.status_changed`` with it. None when there is no such lead. The status
        is the lead's: kept with the conversation standing for it (``conversation_id`` may
        name any of its conversations)."""
        conversation = await self.store.lead_current(conversation_id)
        if conversation is None:
            return None
        conversation_id = conversation.id
        event = None
        if change.status is not None and self.events:
            breakdown, seg = self.evaluate_conversation(conversation)
            (event,) = self.subscriptions.route(
                [
                    status_changed_event(
                        conversation,
                        breakdown,
                        seg,
                        status=change.status,
                        reason=change.reason if change.status in ("won", "lost") else None,
                        changed_by=change.actor,
                        now=change.at,
                    )
                ]
            )
        state = await self.store.update_lead(conversation_id, change, event)
        if state is not None and event is not None:
            self._wake_for([event])
        return state

    def _wake_for(self, events: Sequence[LeadEvent]) -> None:
        """Tell the delivery worker (``on_events``) when any event has somewhere to go."""
        if self.on_events is not None and any(event.destinations for event in events):
            self.on_events()

    # --- a turn ----------------------------------------------------------------------

    async def turn(
        self,
        conversation_id: str,
        text: str,
        *,
        requested_human: bool = False,
        on_stored: Callable[[Message], Awaitable[None]] | None = None,
        on_delta: Delta | None = None,
        client_id: str | None = None,
        quick_reply: QuickReplyRef | None = None,
    ) -> TurnResult:
        """Handle one prospect message and return the reply and the updated lead.

        ``requested_human`` records an explicit request for a person (a button, not words).
        ``on_stored`` is awaited once the prospect's message is safely stored, and
        ``on_delta`` with each piece of the reply as it is written and the index of the part
        (message) it belongs to, for streaming channels.
        ``client_id`` makes a resend of the same message safe: a message already stored is
        not stored again, and one already answered raises :class:`AlreadyAnswered`.
        ``quick_reply`` is the chip the prospect pressed (``text`` is its label): its value
        is recorded as the answer, whatever the model reads from the label. A reference the
        playbook does not have, or whose label is not ``text``, raises
        :class:`~agent.errors.InvalidQuickReply` before anything is stored. Typed text that
        is a chip's label (any case) counts as pressing it.
        """
        text = clean_text(text, self.max_message_chars)
        choice = self.playbook.choice(quick_reply, text) if quick_reply is not None else None
        options = _TurnOptions(requested_human, on_stored, on_delta, client_id, choice)
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        async with lock:
            return await self._turn(conversation_id, text, options)

    async def _turn(self, conversation_id: str, text: str, options: _TurnOptions) -> TurnResult:
        now = self.clock()
        incoming = Message(
            id=message_id_for(conversation_id, options.client_id),
            conversation_id=conversation_id,
            role="prospect",
            text=text,
            created_at=now,
            prompt_version=self.prompt_version,
            playbook_version=self.playbook_version,
            meta=_choice_meta(options.choice),
        )
        # The message is stored here, before the model is called, with the conversation
        # held for this turn: one worker at a time answers a conversation.
        found, history, rep, lease = await self._open(incoming)
        if found is None:
            raise ConversationNotFound(conversation_id)
        keeper = asyncio.create_task(self._keep(conversation_id, lease))
        try:
            result = await self._answer(found, history, rep, incoming, options, lease)
            if self.on_handed_off_turn is not None and (
                found.handoff_at is not None or result.handoff is not None
            ):
                self.on_handed_off_turn()
            return result
        except BaseException:
            with contextlib.suppress(Exception):
                await asyncio.shield(self.store.release_turn(conversation_id, lease.owner))
            raise
        finally:
            keeper.cancel()

    async def _open(
        self, incoming: Message
    ) -> tuple[Conversation | None, list[Message], str | None, TurnLease]:
        """``store.open_turn`` with a new lease, waiting while another turn holds one."""
        owner = new_id()
        waited = 0.0
        delay = 0.005
        while True:
            now = datetime.now(UTC)
            lease = TurnLease(owner, now, now + timedelta(seconds=self.turn_lease_seconds))
            try:
                found, history, rep = await self.store.open_turn(
                    incoming,
                    last=self.history_messages,
                    lease=lease,
                    idle_before=self.idle_before(),
                )
            except ConversationBusy:
                if waited > 2 * self.turn_lease_seconds:
                    raise
                await asyncio.sleep(delay)
                waited += delay
                delay = min(delay * 2, 0.1)
                continue
            return found, history, rep, lease

    def idle_before(self) -> datetime | None:
        """Conversations last active before this have expired (None: they never do)."""
        return None if self.expire_after is None else self.clock() - self.expire_after

    def expired(self, conversation: Conversation) -> bool:
        cutoff = self.idle_before()
        return cutoff is not None and conversation.last_active() < cutoff

    async def _keep(self, conversation_id: str, lease: TurnLease) -> None:
        """Renew the turn's lease while the turn runs (a slow model, a long stream)."""
        while True:
            await asyncio.sleep(self.turn_lease_seconds / 3)
            now = datetime.now(UTC)
            until = now + timedelta(seconds=self.turn_lease_seconds)
            with contextlib.suppress(Exception):
                await self.store.renew_turn(conversation_id, TurnLease(lease.owner, now, until))

    async def _answer(
        self,
        conversation: Conversation,
        history: list[Message],
        rep: str | None,
        incoming: Message,
        options: _TurnOptions,
        lease: TurnLease,
    ) -> TurnResult:
        """The rest of a turn, once its message is stored and its conversation held."""
        on_delta = options.on_delta
        requested_human = options.requested_human
        conversation_id = conversation.id
        text = incoming.text
        now = incoming.created_at
        seen = [index for index, past in enumerate(history) if past.id == incoming.id]
        if seen:
            # A resend of a message we already have: answer it once, never store it twice.
            later = history[seen[0] + 1 :]
            reply = next((m for m in later if m.role == "assistant"), None)
            if reply is not None:
                raise AlreadyAnswered(history[seen[0]], reply)
            incoming = history[seen[0]]
            history = history[: seen[0]]
        if options.on_stored is not None:
            await options.on_stored(incoming)
        if rep is not None:
            return await self._relay(conversation, incoming, rep, now, lease)

        source = SourceMessage(id=incoming.id, text=text, at=now)
        spoken = self._follow_language(conversation, text)
        language = spoken.language
        profile = conversation.profile
        choice = options.choice or self.playbook.typed_choice(text, conversation.asking)
        if choice is not None and choice.chip.value is None:
            choice = None  # a chip without a value is only text
        if choice is not None:
            # The chip's value is the answer: recorded before the model is asked, which is
            # told so and whose reading of that field is not applied.
            profile = apply_choice(profile, choice, message=source, playbook=self.playbook)
        context = TurnContext(
            today=conversation.today,
            asking=conversation.asking,
            known=_known(profile),
            missing=profile.missing(),
            handed_off=conversation.handoff_at is not None,
            quick_reply=(
                PickedReply(field=choice.field, label=choice.chip.label) if choice else None
            ),
            language=language,
        )
        questions = find_questions(text, self._question_keywords, language)[:MAX_QUESTIONS]
        knowledge = await self._retrieve(questions, language)
        prompt = self._messages(context, history, text, knowledge)
        skip = frozenset({choice.field}) if choice is not None else frozenset()
        outcome = await self._extract(
            prompt, profile, source, conversation.today, on_delta, skip, language
        )
        if requested_human:
            button = apply_update(
                outcome.profile,
                {"human": {"requested": True, "quote": text}},
                message=source,
                today=conversation.today,
                playbook=self.playbook,
            )
            outcome.profile = button.profile
        if knowledge and not outcome.content:
            # The model gave no answer at all: say so rather than pass over the question.
            outcome.content = self.prompts.message("question_not_answered", language=language)
            knowledge = tuple(QuestionPassages(question=q.question) for q in knowledge)
        outcome.profile = self._note_questions(outcome.profile, questions, knowledge, source)

        profile = await self._with_lead(conversation, outcome.profile)
        breakdown, seg = self.evaluate(profile)
        asked = dict(conversation.asked)
        waited = bool(asked.get(ABOUT_KEY))
        reason = handoff_reason(profile, seg, self.playbook, waited=waited)
        new_handoff: Handoff | None = None
        withdrawn = await self._withdrawal(conversation, profile, reason)
        handoff_at = None if withdrawn else conversation.handoff_at
        if reason is not None and handoff_at is None:
            handoff_at = now
            new_handoff = Handoff(conversation_id, reason, seg.channel, now)
        ask_about = (
            handoff_at is None
            and not waited
            and profile.disqualifier is None
            and requested_person(profile, self.playbook)
        )
        if ask_about:
            asked[ABOUT_KEY] = 1

        pending = conversation.asking
        grace = f"{pending}+question"
        # Asking about the product is not dodging: keep our place and ask again, once per
        # field, so a prospect whose every answer reads as a question is not asked forever.
        dodged = pending is not None and not profile.is_known(pending)
        if questions and dodged and pending is not None and not asked.get(grace):
            asked[pending] = max(0, asked.get(pending, 0) - 1)
            asked[grace] = 1
        question = next_question(
            profile, asked, self.playbook, handed_off=handoff_at is not None, language=language
        )
        if ask_about:
            about = self.prompts.message("handoff_ask_about", language=language)
            question = about_question(question, about)
        said = compose(
            TurnOutcome(
                profile=profile,
                answer=outcome.content,
                question=question,
                handoff=new_handoff.reason if new_handoff else None,
                handed_off=conversation.handoff_at is not None and not withdrawn,
                was_disqualified=conversation.profile.disqualifier is not None,
                asked_for_person=_asked_for_person(profile, incoming.id),
                previous=next((m.text for m in reversed(history) if m.role == "assistant"), None),
                answered_question=bool(knowledge),
                language=language,
            ),
            self.prompts,
            self.playbook,
            reps_live=self.reps_live,
        )
        reply_text = said.text
        if question is not None:
            asked[question.field] = asked.get(question.field, 0) + 1

        model_label = "offline (fallback)" if outcome.fallback else self.model_name
        reply = self._assistant_message(
            conversation_id,
            reply_text,
            asking=question.field if question else None,
            model=model_label,
            meta={
                "score": breakdown.total,
                "segment": seg.name,
                "handoff": new_handoff.reason if new_handoff else None,
                "problems": [str(problem) for problem in outcome.problems],
                "quick_replies": list(question.quick_replies) if question else [],
                **_knowledge_meta(knowledge),
                **({"parts": list(said.parts)} if len(said.parts) > 1 else {}),
            },
        )
        updated = conversation.model_copy(
            update={
                "profile": profile,
                "asked": asked,
                "asking": question.field if question else None,
                "score": breakdown.total,
                "segment": seg.name,
                "follow_up": seg.follow_up.as_dict(),
                "handoff_reason": (
                    None if handoff_at is None else conversation.handoff_reason or reason
                ),
                "handoff_at": handoff_at,
                "updated_at": now,
                "last_message_at": now,
                "scored_on": None,
                "prospect_messages": conversation.prospect_messages + 1,
                "model_calls": conversation.model_calls + outcome.calls,
                "input_tokens": conversation.input_tokens + outcome.input_tokens,
                "output_tokens": conversation.output_tokens + outcome.output_tokens,
                "prompt_version": self.prompt_version,
                "playbook_version": self.playbook_version,
                "language": language,
                "language_source": spoken.source,
            }
        )
        record = None
        if new_handoff is not None:
            record = HandoffRecord(
                conversation_id=conversation_id,
                reason=new_handoff.reason,
                channel=new_handoff.channel,
                created_at=now,
                updated_at=now,
                next_attempt_at=now,
            )
        events = (
            turn_events(
                conversation,
                updated,
                breakdown,
                seg,
                handoff=(new_handoff.reason, new_handoff.channel) if new_handoff else None,
                withdrawn=withdrawn,
                now=now,
            )
            if self.events
            else []
        )
        # The handoff and the lead events are stored with the turn that made them: posting
        # and delivering them comes later.
        routed = self.subscriptions.route(events)
        merged = None
        if self.events and conversation.lead_id is None and profile.email is not None:
            (merged,) = self.subscriptions.route([merged_event(updated, breakdown, seg, now=now)])
        await self.store.save_turn(
            updated,
            reply,
            record,
            routed,
            withdraw=withdrawn is not None,
            lease=lease,
            merged=merged,
        )
        self._wake_for([*routed, *([merged] if merged is not None else [])])
        if on_delta is not None:
            for text_left, part in _unsent(said.parts, outcome.streamed):
                await on_delta(text_left, part)
        return TurnResult(
            conversation_id=conversation_id,
            reply=reply_text,
            parts=said.parts,
            asking=question.field if question else None,
            profile=profile,
            score=breakdown,
            segment=seg,
            handoff=new_handoff,
            prompt_version=self.prompt_version,
            playbook_version=self.playbook_version,
            model=model_label,
            model_calls=outcome.calls,
            fallback=outcome.fallback,
            quick_replies=question.quick_replies if question else (),
            problems=tuple(str(problem) for problem in outcome.problems),
            language=language,
            message_id=incoming.id,
            reply_id=reply.id,
            knowledge=knowledge,
        )

    def _follow_language(self, conversation: Conversation, text: str) -> LanguageChoice:
        """The conversation's language after the prospect's message ``text``: a message
        clearly in another language the playbook serves switches it."""
        current = LanguageChoice(
            language=self.playbook.serves(conversation.language),
            source=conversation.language_source or "default",
        )
        languages = self.playbook.languages
        if len(languages) < 2 or current.source == "forced":
            return current
        guess = self.language_detector.guess(text, languages)
        if current.source == "default" and guess.confidence < SWITCH_CONFIDENCE:
            # "asdkjh ñlkjñlkj", "azertyuiop", "kkkkk teste": few words to read (a detector
            # guesses at them, unsure), but letters, a keyboard or chat words only one
            # language has.
            guess = alphabet_guess(text, languages) or guess
        return choose_language(
            current,
            guess,
            detected_before=current.source == "detected",
            supported=languages,
            words=len(telling_text(text).split()),
            # Only a language the prospect has written in holds a message: a default or a
            # browser's language is no evidence the prospect speaks it.
            held=current.source == "detected"
            and holds_language(text, current.language, guess.language),
        )

    async def _with_lead(self, conversation: Conversation, profile: LeadProfile) -> LeadProfile:
        """The profile merged with what the lead of its email told in other conversations:
        a returning visitor is not asked again what they said before. (The store links the
        conversation to that lead when it saves the turn.)"""
        if profile.email is None:
            return profile
        found = await self.store.lead_profiles(profile.email.value, exclude=conversation.id)
        if found is None:
            return profile
        return merge_profiles(profile, found[1])

    async def _withdrawal(
        self, conversation: Conversation, profile: LeadProfile, reason: HandoffReason | None
    ) -> str | None:
        """Why the conversation's handoff is withdrawn in this turn, or None when it stands.

        A handoff stands while the lead still qualifies for one (hot, or asked for a person)
        and once a rep has claimed it. Otherwise (the prospect turned out to be a competitor,
        or corrected the timeline that made them hot) it goes back before anyone acts on it:
        ``disqualified`` or ``no_longer_hot``."""
        if conversation.handoff_at is None or reason is not None:
            return None
        record = await self.store.get_handoff(conversation.id)
        if record is not None and record.claimed_by is not None:
            return None
        return "disqualified" if profile.disqualifier is not None else "no_longer_hot"

    async def _relay(
        self,
        conversation: Conversation,
        incoming: Message,
        rep: str | None,
        now: datetime,
        lease: TurnLease,
    ) -> TurnResult:
        """A rep has the conversation: the message is kept for them and the bot stays quiet."""
        updated = conversation.model_copy(
            update={
                "updated_at": now,
                "last_message_at": now,
                "prospect_messages": conversation.prospect_messages + 1,
            }
        )
        await self.store.save_turn(updated, None, lease=lease)
        breakdown, seg = self.evaluate_conversation(conversation)
        return TurnResult(
            conversation_id=conversation.id,
            reply="",
            asking=None,
            profile=conversation.profile,
            score=breakdown,
            segment=seg,
            handoff=None,
            prompt_version=self.prompt_version,
            playbook_version=self.playbook_version,
            model=self.model_name,
            model_calls=0,
            message_id=incoming.id,
            relayed_to=rep or "",
            language=conversation.language,
        )

    # --- questions about the product ---------------------------------------------------

    async def _retrieve(
        self, questions: list[str], language: str | None
    ) -> tuple[QuestionPassages, ...]:
        """Passages for each question, from the knowledge base, in the conversation's
        ``language`` where it has them; () without a knowledge base."""
        if self.retriever is None or not questions:
            return ()
        try:
            found = await self.retriever.retrieve(questions, language)
        except Exception:
            log.exception("knowledge retrieval failed; the questions go unanswered")
            found = [[] for _ in questions]
        return tuple(
            QuestionPassages(question=question, passages=tuple(passages))
            for question, passages in zip(questions, found, strict=False)
        )

    def _note_questions(
        self,
        profile: LeadProfile,
        questions: list[str],
        knowledge: tuple[QuestionPassages, ...],
        source: SourceMessage,
    ) -> LeadProfile:
        """Add the questions' intent signals and the unanswered questions to the lead."""
        update: dict[str, Any] = {}
        old = profile.signals.value if profile.signals is not None else ()
        new = [name for name in find_signals(questions, self.playbook.signals) if name not in old]
        if new:
            quote = " ".join(
                q for q in questions if set(find_signals([q], self.playbook.signals)) & set(new)
            )
            evidence = Evidence(message_id=source.id, quote=quote, at=source.at)
            update["signals"] = Fact[tuple[str, ...]](value=(*old, *new), evidence=evidence)
            if profile.signals is not None:
                update["history"] = (
                    *profile.history,
                    Superseded(
                        field="signals",
                        value=list(old),
                        evidence=profile.signals.evidence,
                        replaced_by=source.id,
                    ),
                )
        recorded = {fact.value.casefold() for fact in profile.open_questions}
        unanswered = [
            Fact[str](
                value=item.question,
                evidence=Evidence(message_id=source.id, quote=item.question, at=source.at),
            )
            for item in knowledge
            if not item.answered and item.question.casefold() not in recorded
        ]
        if unanswered:
            update["open_questions"] = (*profile.open_questions, *unanswered)
        return profile.model_copy(update=update) if update else profile

    # --- the model call --------------------------------------------------------------

    def _messages(
        self,
        context: TurnContext,
        history: Sequence[Message],
        text: str,
        knowledge: tuple[QuestionPassages, ...] = (),
    ) -> list[BaseMessage]:
        scope = self.playbook.need
        system = self.prompts.render(
            "system.md",
            company=self.playbook.company,
            in_scope=[item.name for item in scope.in_scope],
            out_of_scope=[item.name for item in scope.out_of_scope],
            competitors=list(self.playbook.competitors),
            today=context.today.isoformat(),
            language_name=language_name(context.language),
            state=render_state(context),
            passages=render_passages(knowledge),
        )
        messages: list[BaseMessage] = [SystemMessage(system)]
        for past in history:
            if past.role == "prospect":
                messages.append(HumanMessage(past.text))
            elif past.role in ("assistant", "rep"):
                messages.append(AIMessage(past.text))
        messages.append(HumanMessage(text))
        return messages

    async def _extract(
        self,
        prompt: list[BaseMessage],
        profile: LeadProfile,
        source: SourceMessage,
        today: date,
        on_delta: Delta | None = None,
        skip: frozenset[str] = frozenset(),
        language: str | None = None,
    ) -> _ModelOutcome:
        outcome = _ModelOutcome(profile=profile, skip=skip, language=language)
        try:
            response = await self._call(self._model, prompt, outcome, on_delta)
        except Exception:
            log.exception("model call failed; falling back to the offline model")
            return await self._fall_back(prompt, profile, source, today, outcome)

        outcome.content = _content_text(response)
        problems = self._apply(response, outcome, source, today)
        if not problems:
            return outcome
        # Give the model one chance to fix its arguments, with the problems as tool results.
        retry_prompt = [*prompt, response, *_tool_results(response, problems)]
        try:
            second = await self._call(self._model, retry_prompt, outcome)
        except Exception:
            log.exception("model retry failed; continuing without the invalid fields")
            outcome.problems.extend(problems)
            return outcome
        outcome.content = _content_text(second) or outcome.content
        outcome.problems.extend(problems)
        outcome.problems.extend(self._apply(second, outcome, source, today))
        if _unreadable(response) and _unreadable(second):
            # Neither answer had readable tool arguments: the offline extractor reads the message.
            return await self._fall_back(prompt, outcome.profile, source, today, outcome)
        return outcome

    async def _fall_back(
        self,
        prompt: list[BaseMessage],
        profile: LeadProfile,
        source: SourceMessage,
        today: date,
        outcome: _ModelOutcome,
    ) -> _ModelOutcome:
        outcome.fallback = True
        outcome.profile = profile
        if self._fallback is None:
            outcome.content = self.prompts.message("model_unavailable", language=outcome.language)
            return outcome
        try:
            response = await self._fallback.ainvoke(prompt)
        except Exception:
            log.exception("fallback model failed too")
            outcome.content = self.prompts.message("model_unavailable", language=outcome.language)
            return outcome
        outcome.content = _content_text(response)
        outcome.problems.extend(self._apply(response, outcome, source, today))
        return outcome

    async def _call(
        self,
        model: Runnable[Any, BaseMessage],
        prompt: list[BaseMessage],
        outcome: _ModelOutcome,
        on_delta: Delta | None = None,
    ) -> BaseMessage:
        outcome.calls += 1
        if on_delta is None:
            response = await model.ainvoke(prompt)
        else:
            response = await self._stream(model, prompt, outcome, on_delta)
        usage = getattr(response, "usage_metadata", None)
        if usage:
            outcome.input_tokens += int(usage.get("input_tokens", 0))
            outcome.output_tokens += int(usage.get("output_tokens", 0))
        return response

    async def _stream(
        self,
        model: Runnable[Any, BaseMessage],
        prompt: list[BaseMessage],
        outcome: _ModelOutcome,
        on_delta: Delta,
    ) -> BaseMessage:
        """Stream the model's reply, passing on text as it comes; return the whole message."""
        chunks: list[Any] = []
        async for chunk in model.astream(prompt):
            chunks.append(chunk)
            piece = _content_text_raw(chunk)
            if piece:
                if not outcome.streamed:
                    piece = piece.lstrip()
                outcome.streamed += piece
                await on_delta(piece, 0)
        if not chunks:
            return AIMessage(content="")
        if outcome.streamed != outcome.streamed.rstrip():
            outcome.streamed = outcome.streamed.rstrip()
        return _merge_chunks(chunks)

    def _apply(
        self, response: BaseMessage, outcome: _ModelOutcome, source: SourceMessage, today: date
    ) -> list[ToolProblem]:
        if not isinstance(response, AIMessage):
            return []
        problems: list[ToolProblem] = []
        for call in response.tool_calls:
            if call["name"] != TOOL_NAME:
                problems.append(ToolProblem(call["name"], f"unknown tool; use {TOOL_NAME}"))
                continue
            args = call["args"]
            if outcome.skip:
                args = {group: value for group, value in args.items() if group not in outcome.skip}
            result = apply_update(
                outcome.profile, args, message=source, today=today, playbook=self.playbook
            )
            outcome.profile = result.profile
            problems.extend(result.problems)
        for invalid in response.invalid_tool_calls:
            # langchain's parse error text carries links and stack noise: keep it short.
            problems.append(
                ToolProblem(invalid.get("name") or TOOL_NAME, "arguments are not valid JSON")
            )
        return problems

    # --- the reply -------------------------------------------------------------------

    def _assistant_message(
        self,
        conversation_id: str,
        text: str,
        *,
        asking: FieldName | None = None,
        model: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Message:
        return Message(
            conversation_id=conversation_id,
            role="assistant",
            text=text,
            created_at=self.clock(),
            asking=asking,
            prompt_version=self.prompt_version,
            playbook_version=self.playbook_version,
            model=model,
            meta=meta or {},
        )


def _unsent(parts: tuple[str, ...], streamed: str) -> list[tuple[str, int]]:
    """What is left to stream of the reply's ``parts`` after ``streamed`` (the start of the
    first part), as (text, part index); nothing when the reply does not start that way (the
    final reply replaces what was streamed)."""
    if not parts or not parts[0].startswith(streamed):
        return []
    left = [
        (parts[0][len(streamed) :], 0),
        *((text, index) for index, text in enumerate(parts) if index),
    ]
    return [(text, index) for text, index in left if text]


def _asked_for_person(profile: LeadProfile, message_id: str) -> bool:
    asked = profile.requested_human
    return asked is not None and asked.value and asked.evidence.message_id == message_id


def _choice_meta(choice: Choice | None) -> dict[str, Any]:
    """What a prospect message's metadata says about the chip pressed to send it."""
    if choice is None:
        return {}
    return {"quick_reply": {"field": choice.field, "index": choice.index}}


def _knowledge_meta(knowledge: tuple[QuestionPassages, ...]) -> dict[str, Any]:
    """What a reply's metadata says about the questions it answered; {} without any."""
    if not knowledge:
        return {}
    return {
        "questions": [
            {
                "question": item.question,
                "sources": list(dict.fromkeys(passage.title for passage in item.passages)),
            }
            for item in knowledge
        ]
    }


def _merge_chunks(chunks: list[Any]) -> BaseMessage:
    """The streamed pieces as one message, merged once rather than chunk by chunk (which
    re-merges everything so far and re-parses the partial tool arguments on every chunk)."""
    first, *rest = chunks
    if not rest:
        whole: BaseMessage = first
        return whole
    if all(isinstance(chunk, AIMessageChunk) for chunk in chunks):
        return add_ai_message_chunks(first, *rest)
    merged = first
    for chunk in rest:
        merged = merged + chunk
    result: BaseMessage = merged
    return result


def _unreadable(response: BaseMessage) -> bool:
    """True when every tool call in the response had arguments that were not JSON."""
    return (
        isinstance(response, AIMessage)
        and bool(response.invalid_tool_calls)
        and not response.tool_calls
    )


def _tool_results(response: BaseMessage, problems: list[ToolProblem]) -> list[ToolMessage]:
    """One tool result per call in ``response``, carrying the problems to fix."""
    if not isinstance(response, AIMessage):
        return []
    text = "Some arguments were invalid and were not recorded:\n" + "\n".join(
        f"- {problem}" for problem in problems
    )
    text += "\nCall update_lead again with only the corrected fields."
    ids = [call.get("id") for call in response.tool_calls]
    ids += [call.get("id") for call in response.invalid_tool_calls]
    return [ToolMessage(content=text, tool_call_id=call_id or "call") for call_id in ids]


def _known(profile: LeadProfile) -> dict[str, Any]:
    """A compact view of the facts known so far, for the model's context."""
    known: dict[str, Any] = {}
    for name in MERGED_FIELDS:
        fact = getattr(profile, name)
        if fact is None:
            continue
        value = fact.value
        known[name] = (
            value.model_dump(mode="json", exclude_none=True)
            if hasattr(value, "model_dump")
            else value
        )
    return known
