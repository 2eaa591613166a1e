"""The public API the chat widget talks to.

Replies stream as Server-Sent Events over the response to ``POST .../messages``: one
request per prospect message, plain HTTP that passes every proxy and CDN, and no
connection state on the server between turns, so any worker can serve any turn. (A
WebSocket would pin a conversation to one worker and needs sticky load balancing.)
Messages from a human rep arrive on a second, long-lived event stream.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.types import Receive, Scope, Send

from agent.engine import AlreadyAnswered, TurnResult, clean_text, is_visible
from agent.errors import (
    ConversationChanged,
    ConversationExpired,
    ConversationNotFound,
    InvalidMessage,
    InvalidQuickReply,
)
from agent.language import starting_language
from agent.lead_context import LeadContext, parse_context
from agent.notify import HandoffDispatcher
from agent.playbook import QuickReplyRef
from agent.store import Conversation, Message, Store
from agent.transcript_email import widget_texts
from channels.slack.bolt_app import SlackBridge
from channels.slack.mrkdwn import safe_href
from channels.web.errors import ApiError
from channels.web.state import WebState, get_state
from channels.web.widget_language import LanguageHints, parse_hints, widget_catalogue

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["widget"])

TOKEN_PURPOSE = "conversation"


class LinkOut(BaseModel):
    start: int
    end: int
    href: str


class MessageOut(BaseModel):
    id: str
    role: str
    author: str | None
    text: str
    parts: list[str] = Field(
        description="The message as the bubbles shown one after the other (a product answer, "
        "then the next question); one part for most messages."
    )
    created_at: str
    links: list[LinkOut] = Field(
        default=[],
        description="Spans of text that are links (a rep's message from Slack): text "
        "[start, end) in code points links to href, an http(s) URL. Render as text plus "
        "links; nothing else in text is markup.",
    )

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        parts = message_parts(message)
        return cls(
            id=message.id,
            role=message.role,
            author=message.author,
            text=message.text,
            parts=parts,
            created_at=message.created_at.isoformat(),
            links=message_links(message) if parts == [message.text] else [],
        )


def message_links(message: Message) -> list[LinkOut]:
    """The link spans stored with a message, the ones that are sound only: in order, not
    overlapping, inside the text, and to an http(s) URL."""
    stored = message.meta.get("links")
    links: list[LinkOut] = []
    if not isinstance(stored, list):
        return links
    at = 0
    for item in stored:
        if not isinstance(item, dict):
            continue
        start, end, href = item.get("start"), item.get("end"), item.get("href")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(href, str)):
            continue
        if at <= start < end <= len(message.text) and safe_href(href) is not None:
            links.append(LinkOut(start=start, end=end, href=href))
            at = end
    return links


def message_parts(message: Message) -> list[str]:
    """The bubbles of a stored message: its parts when the reply had several, else its text."""
    parts = message.meta.get("parts")
    if isinstance(parts, list) and parts and all(isinstance(part, str) for part in parts):
        return parts
    return [message.text]


class ConversationCreated(BaseModel):
    token: str = Field(description="Unguessable token the widget keeps to resume the chat.")
    conversation_id: str
    language: str = Field(description="The language the conversation starts in (ISO 639-1).")
    messages: list[MessageOut]
    context_dropped: list[str] = Field(
        default=[], description="Context fields that were not kept, each with the reason."
    )


class StartIn(BaseModel):
    context: dict[str, Any] | None = Field(
        default=None,
        description="Where the chat started: page_url, referrer, utm, time_zone, returning "
        "(see agent.lead_context). A field that is not valid is dropped, not refused.",
    )
    language: LanguageHints | None = Field(
        default=None,
        description="The widget's language hints: forced (data-lang), browser "
        "(navigator.languages), page (<html lang>). A hint that is not a language tag is "
        "dropped, not refused.",
    )


class PageIn(BaseModel):
    url: str = Field(description="The page the prospect is on now (http or https).")


class PageOut(BaseModel):
    current_page: str


class ConversationHistory(BaseModel):
    conversation_id: str
    language: str = Field(description="The language the conversation is held in now.")
    messages: list[MessageOut]
    asking: str | None
    quick_replies: list[str]
    handoff: bool


class QuickReplyIn(BaseModel):
    """The chip that was pressed: the ``asking`` field of the reply that offered it and its
    position in that reply's ``quick_replies``."""

    field: str = Field(max_length=40, description="The question's field, e.g. 'budget'.")
    index: int = Field(ge=0, description="The chip's position in quick_replies, from 0.")


class MessageIn(BaseModel):
    text: str = Field(description="What the prospect typed, or the label of the chip pressed.")
    client_id: str | None = Field(default=None, max_length=64)
    intent: str | None = Field(default=None, description="'human' for the Talk-to-a-person button.")
    quick_reply: QuickReplyIn | None = Field(
        default=None,
        description="Set when a quick reply was pressed: its value is recorded as the answer.",
    )

    @property
    def quick_reply_ref(self) -> QuickReplyRef | None:
        chip = self.quick_reply
        return QuickReplyRef(chip.field, chip.index) if chip is not None else None


class WidgetConfig(BaseModel):
    title: str
    color: str
    position: str
    greeting: str | None
    privacy_url: str | None
    privacy_text: str
    reps_live: bool = False
    """A rep can answer in the chat; otherwise the team writes back by email."""
    response_time: str = ""
    transcript_email: dict[str, str] | None = Field(
        default=None,
        description='The texts of "Email me this transcript"; null when the server sends '
        "no email (no QUALIFY_SMTP_URL) and the widget does not offer it.",
    )
    language: str = Field(
        default="en",
        description="The language a conversation started with these hints would start in.",
    )
    texts: dict[str, dict[str, Any]] = Field(
        default={},
        description="The widget's texts (widget.yaml) in every language the playbook serves, "
        "so the widget switches with the conversation without asking again; {{ title }} and "
        "{{ seconds }} are left for the widget to fill in.",
    )


State = Annotated[WebState, Depends(get_state)]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _conversation_id(state: WebState, token: str) -> str:
    """The conversation id a token carries; 403 for a forged or malformed token."""
    conversation_id = state.signer.unsign(token, TOKEN_PURPOSE)
    if conversation_id is None:
        raise ApiError(
            403, "invalid_token", "This chat link is not valid. Please start a new chat."
        )
    return conversation_id


async def _conversation(state: WebState, token: str) -> Conversation:
    """The conversation a token names: 403 for a forged token, 404 when it is gone or has
    expired (idle for longer than conversations are kept open)."""
    conversation = await state.engine.store.get_conversation(_conversation_id(state, token))
    if conversation is None:
        raise ApiError(404, "conversation_not_found", state.engine.prompts.message("chat_ended"))
    if state.engine.expired(conversation):
        raise ApiError(
            404,
            "conversation_expired",
            state.engine.prompts.message("chat_ended", language=conversation.language),
        )
    return conversation


def spoken_language(state: WebState, conversation: Conversation) -> str:
    """The conversation's language (the playbook's own for one stored before languages)."""
    return conversation.language or state.engine.playbook.language


CONFIG_MAX_AGE = 300
"""Seconds a browser or CDN may keep a widget config (one per set of hints)."""


@router.get("/widget-config", response_model=WidgetConfig)
async def widget_config(
    state: State,
    response: Response,
    lang: Annotated[str | None, Query(description="data-lang")] = None,
    browser: Annotated[
        str | None, Query(description="navigator.languages, comma-separated")
    ] = None,
    page: Annotated[str | None, Query(description="<html lang>")] = None,
) -> WidgetConfig:
    settings = state.settings
    engine = state.engine
    playbook = engine.playbook
    priors, _ = parse_hints(
        LanguageHints(forced=lang, browser=browser, page=page), playbook.languages
    )
    start = starting_language(priors, playbook.languages, playbook.language).language
    response.headers["Cache-Control"] = f"public, max-age={CONFIG_MAX_AGE}"
    return WidgetConfig(
        title=settings.widget_title,
        color=settings.widget_color,
        position=settings.widget_position,
        greeting=settings.widget_greeting,
        privacy_url=settings.privacy_url,
        privacy_text=settings.privacy_text,
        reps_live=engine.reps_live,
        response_time=playbook.response_time(start),
        transcript_email=widget_texts(engine.prompts, start) if settings.smtp_url else None,
        language=start,
        texts={
            code: widget_catalogue(engine.prompts, playbook, settings, code)
            for code in playbook.languages
        },
    )


@router.post("/conversations", status_code=201, response_model=ConversationCreated)
async def create_conversation(
    request: Request, state: State, body: StartIn | None = None
) -> ConversationCreated:
    await state.limits.check(_client_ip(request))
    context, dropped = parse_context(body.context if body is not None else None)
    priors, bad_hints = parse_hints(
        body.language if body is not None else None, state.engine.playbook.languages
    )
    dropped += bad_hints
    if dropped:
        log.info("context dropped when starting a chat: %s", "; ".join(dropped))
    conversation, greeting = await state.engine.start(
        channel="web", context=context, language=priors
    )
    return ConversationCreated(
        token=state.signer.sign(conversation.id, TOKEN_PURPOSE),
        conversation_id=conversation.id,
        language=spoken_language(state, conversation),
        messages=[MessageOut.of(greeting)],
        context_dropped=dropped,
    )


PAGE_WRITE_ATTEMPTS = 5


@router.post(
    "/conversations/{token}/page",
    response_model=PageOut,
    responses={409: {"description": "A reply is being written; send it again later"}},
)
async def conversation_page(token: str, body: PageIn, request: Request, state: State) -> PageOut:
    """The prospect moved to another page of the site and the chat goes on there: the lead
    records the page they are on now (the page the chat started on stays)."""
    await state.limits.check(_client_ip(request))
    page, dropped = parse_context({"current_page": body.url})
    if page.current_page is None:
        problem = dropped[0].removeprefix("current_page: ")
        raise ApiError(422, "invalid_page_url", f"The page URL {problem}.")
    store = state.engine.store
    for attempt in range(PAGE_WRITE_ATTEMPTS):
        conversation = await _conversation(state, token)
        before = conversation.context or LeadContext()
        if before.current_page == page.current_page:
            return PageOut(current_page=page.current_page)
        after = before.model_copy(update={"current_page": page.current_page})
        try:
            await store.save_turn(conversation.model_copy(update={"context": after}), None)
            return PageOut(current_page=page.current_page)
        except ConversationChanged:
            await asyncio.sleep(0.05 * (attempt + 1))  # a turn is writing; after it, again
    raise ApiError(
        409, "conversation_busy", "The chat is busy; the page was not recorded.", retry_after=1
    )


@router.get("/conversations/{token}", response_model=ConversationHistory)
async def conversation_history(token: str, request: Request, state: State) -> ConversationHistory:
    await state.limits.check(_client_ip(request))
    conversation = await _conversation(state, token)
    messages = await state.engine.store.messages(conversation.id)
    last = next((m for m in reversed(messages) if m.role == "assistant"), None)
    quick = list(last.meta.get("quick_replies", [])) if last is not None else []
    return ConversationHistory(
        conversation_id=conversation.id,
        language=spoken_language(state, conversation),
        messages=[MessageOut.of(m) for m in messages],
        asking=conversation.asking,
        quick_replies=quick,
        handoff=conversation.handoff_at is not None,
    )


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post(
    "/conversations/{token}/messages",
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "The reply as events."},
        413: {"description": "Message too long"},
        422: {"description": "Empty message, or a quick reply the playbook does not have"},
        429: {"description": "Too many messages"},
    },
)
async def send_message(
    token: str, body: MessageIn, request: Request, state: State
) -> StreamingResponse:
    conversation_id = _conversation_id(state, token)
    await state.limits.check(_client_ip(request), conversation_id)
    limit = state.settings.max_message_chars
    if len(body.text) > limit:
        raise ApiError(
            413,
            "message_too_long",
            f"That message is too long ({len(body.text)} characters); the limit is {limit}.",
            limit=limit,
        )
    if not is_visible(body.text):
        raise ApiError(422, "empty_message", "Please type a message first.")
    ref = body.quick_reply_ref
    if ref is not None:
        # Checked before anything is stored, so a bad reference loses nothing.
        try:
            state.engine.playbook.choice(ref, clean_text(body.text, limit))
        except InvalidQuickReply as exc:
            raise ApiError(
                422,
                "invalid_quick_reply",
                f"That choice can't be used ({exc.reason}). Your message wasn't sent; "
                "please send it again.",
                problem=exc.reason,
            ) from exc
        except InvalidMessage:
            pass  # not a usable message at all: the turn says so, as for any message
    app_state = request.app.state
    turn = _Turn(
        state,
        conversation_id,
        body,
        getattr(app_state, "handoffs", None),
        getattr(app_state, "slack", None),
    )
    first = await turn.begin()
    if first == _GONE:
        raise ApiError(404, "conversation_not_found", state.engine.prompts.message("chat_ended"))
    if first == _EXPIRED:
        said = state.engine.prompts.message("chat_ended", language=await turn.language())
        raise ApiError(404, "conversation_expired", said)
    return _TurnEvents(
        turn.events(first),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


class _TurnEvents(StreamingResponse):
    """A turn's events, streamed without a second task listening for the client leaving:
    the turn runs to its end either way, and writes to a closed connection are dropped."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.stream_response(send)


_GONE = "gone"  # not an SSE frame (those start with "event:"), so it cannot collide
_EXPIRED = "expired"


class _Turn:
    """One engine turn run as a task, its events passed on through a queue.

    The response starts only once the message is stored (or the turn failed first), so a
    conversation that no longer exists is a plain 404 rather than an event.
    """

    def __init__(
        self,
        state: WebState,
        conversation_id: str,
        body: MessageIn,
        handoffs: HandoffDispatcher | None = None,
        slack: SlackBridge | None = None,
    ) -> None:
        self.state = state
        self.handoffs = handoffs
        self.slack = slack
        self.conversation_id = conversation_id
        self.body = body
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.stored = False

    async def begin(self) -> str | None:
        self.task = asyncio.create_task(self._run())
        return await self.queue.get()

    async def events(self, first: str | None) -> AsyncIterator[str]:
        item = first
        try:
            while item is not None:
                # Events that are ready go out in one write (the end of a reply often
                # arrives together: the last piece of text, the reply event, the end).
                frames = [item]
                while not self.queue.empty():
                    item = self.queue.get_nowait()
                    if item is None:
                        break
                    frames.append(item)
                yield "".join(frames)
                if item is not None:
                    item = await self.queue.get()
        finally:
            if self.task is not None and not self.task.done():
                # The client went away: let the turn finish so nothing is half-written.
                await asyncio.shield(self.task)

    async def _relay(self) -> None:
        """A rep has the conversation: the message goes to their Slack thread."""
        if self.slack is None:
            return
        try:
            await self.slack.relay_prospect(self.conversation_id, self.body.text)
        except Exception:
            log.exception("relaying a message of %s to Slack failed", self.conversation_id)

    async def language(self) -> str | None:
        """The conversation's language, for a fixed message (None when it can't be read)."""
        try:
            conversation = await self.state.engine.store.get_conversation(self.conversation_id)
        except Exception:
            log.warning("reading the language of %s failed", self.conversation_id)
            return None
        return conversation.language if conversation is not None else None

    async def _stored(self, message: Message) -> None:
        self.stored = True
        await self.queue.put(_sse("stored", {"id": message.id, "client_id": self.body.client_id}))

    async def _delta(self, text: str, part: int) -> None:
        await self.queue.put(_sse("delta", {"text": text, "part": part}))

    async def _run(self) -> None:
        put = self.queue.put
        try:
            result = await self.state.engine.turn(
                self.conversation_id,
                self.body.text,
                requested_human=self.body.intent == "human",
                on_stored=self._stored,
                on_delta=self._delta,
                client_id=self.body.client_id,
                quick_reply=self.body.quick_reply_ref,
            )
            if result.relayed_to is not None:
                await put(_sse("reply", _relayed(self.state, result.language)))
                await self._relay()
                return
            await put(_sse("reply", _reply_payload(result, self.state)))
            if result.handoff is not None and self.handoffs is not None:
                self.handoffs.wake()  # post it now rather than at the next poll
        except AlreadyAnswered as done:
            await self._stored(done.message)
            payload = _stored_reply_payload(done.reply, self.state, await self.language())
            await put(_sse("reply", payload))
        except InvalidMessage as exc:
            await put(_sse("error", {"error": "invalid_message", "message": exc.reason}))
        except ConversationExpired:
            await put(_EXPIRED)
        except ConversationNotFound:
            await put(_GONE)
        except Exception:
            log.exception("turn failed in conversation %s", self.conversation_id)
            # Only a message the store confirmed is said to be saved.
            key = "turn_failed" if self.stored else "turn_failed_unsaved"
            language = await self.language()
            message = self.state.engine.prompts.message(key, language=language)
            said = {"message": message, "saved": self.stored, "language": language}
            await put(_sse("error", {"error": "turn_failed", **said}))
        finally:
            await put(None)


def _relayed(state: WebState, language: str | None) -> dict[str, Any]:
    """The reply event while a rep has the conversation: no bot reply, just a receipt."""
    return {
        "message": {
            "id": "",
            "role": "system",
            "author": None,
            "text": state.engine.prompts.message("relayed_to_rep", language=language),
            "created_at": None,
        },
        "language": language or state.engine.playbook.language,
        "asking": None,
        "quick_replies": [],
        "handoff": True,
        "booking_url": None,
    }


MAX_EVENT_ID_DIGITS = 15
"""Message keys this stream sends as event ids are far below 10**15."""
EVENT_POLL_SECONDS = 0.5
"""How often the event stream looks for new messages in the database."""
KEEPALIVE_SECONDS = 15.0
HEARTBEAT_SECONDS = 30.0
"""How often an open event stream records that the prospect is on the site."""


async def _heartbeat(store: Store, conversation_id: str) -> None:
    try:
        await store.mark_seen(conversation_id, datetime.now(UTC))
    except Exception:
        log.warning("recording that %s is online failed", conversation_id, exc_info=True)


LIVE_ROLES = ("rep", "system")


@router.get(
    "/conversations/{token}/events",
    responses={200: {"content": {"text/event-stream": {}}, "description": "Live messages."}},
)
async def conversation_events(token: str, request: Request, state: State) -> StreamingResponse:
    """Messages from a rep (and notices such as "Alex joined the chat") as they are stored,
    as ``event: message`` Server-Sent Events. Any worker serves any stream: new messages are
    read from the database, after the last one the client has (``Last-Event-ID``)."""
    ip = _client_ip(request)
    await state.limits.check(ip)
    conversation = await _conversation(state, token)
    store = state.engine.store
    last = request.headers.get("last-event-id", "").strip()
    if last and not (last.isdigit() and len(last) <= MAX_EVENT_ID_DIGITS):
        raise ApiError(400, "bad_last_event_id", "Last-Event-ID must be an id this stream sent.")
    start = int(last) if last else await store.last_message_key(conversation.id)

    if not state.streams.take(conversation.id, ip):
        raise ApiError(
            429,
            "too_many_streams",
            "Too many live connections are open for this chat; close one and retry.",
            retry_after=5,
        )

    async def stream() -> AsyncIterator[str]:
        key = start
        idle = 0.0
        await _heartbeat(store, conversation.id)  # recorded before the client hears back
        seen = 0.0
        yield "retry: 2000\n: connected\n\n"
        while not await request.is_disconnected():
            if seen >= HEARTBEAT_SECONDS:  # an open stream is the prospect on the site
                seen = 0.0
                await _heartbeat(store, conversation.id)
            seen += EVENT_POLL_SECONDS
            for pk, message in await store.messages_after(conversation.id, key):
                key = pk
                if message.role in LIVE_ROLES:
                    data = json.dumps(MessageOut.of(message).model_dump(), ensure_ascii=False)
                    yield f"id: {pk}\nevent: message\ndata: {data}\n\n"
                    idle = 0.0
            await asyncio.sleep(EVENT_POLL_SECONDS)
            idle += EVENT_POLL_SECONDS
            if idle >= KEEPALIVE_SECONDS:
                idle = 0.0
                yield ": keepalive\n\n"

    return _HeldStream(
        stream(),
        lambda: state.streams.give_back(conversation.id, ip),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


class _HeldStream(StreamingResponse):
    """An event stream that gives its slot back however it ends (even before it starts)."""

    def __init__(self, content: AsyncIterator[str], release: Callable[[], None], **kw: Any):
        super().__init__(content, **kw)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


def _reply_payload(result: TurnResult, state: WebState) -> dict[str, Any]:
    return {
        "message": {
            "id": result.reply_id,
            "role": "assistant",
            "author": None,
            "text": result.reply,
            "parts": list(result.parts),
            "created_at": None,
        },
        "asking": result.asking,
        "quick_replies": list(result.quick_replies),
        "handoff": result.handoff is not None,
        "booking_url": booking_url(state, result.handoff.reason if result.handoff else None),
        "language": result.language or state.engine.playbook.language,
    }


def booking_url(state: WebState, handoff_reason: str | None) -> str | None:
    """The playbook's booking link, offered to hot leads only."""
    return state.engine.playbook.booking_url if handoff_reason == "hot_lead" else None


def _stored_reply_payload(reply: Message, state: WebState, language: str | None) -> dict[str, Any]:
    """The reply event for a message answered before (the client is retrying)."""
    return {
        "message": MessageOut.of(reply).model_dump(),
        "asking": reply.asking,
        "quick_replies": list(reply.meta.get("quick_replies", [])),
        "handoff": reply.meta.get("handoff") is not None,
        "booking_url": booking_url(state, reply.meta.get("handoff")),
        "language": language or state.engine.playbook.language,
    }


def error_response(exc: ApiError) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)
