"""The widget's "Email me this transcript" endpoints.

``GET /api/conversations/{token}/transcript-email`` gives the address to offer (the one the
prospect gave in the chat, if any); ``POST`` the same path with ``{"email": "..."}`` sends
the transcript there and answers only once the mail server accepted it. Both are
authorised by the conversation token like the other conversation endpoints. Without a mail
server (``QUALIFY_SMTP_URL``) both answer 404 ``transcript_email_off``.

Each conversation may have its transcript sent a few times an hour, and each address (IP)
a few more, so the endpoint cannot be used to mail strangers in bulk. A sent transcript is
recorded in the audit log (actor ``prospect``, action ``email_transcript``, the lead's id;
never the address or the text).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from fastapi import APIRouter, Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, Field

from agent.config import Settings
from agent.mail import Mailer, MailNotSent
from agent.prompts import PromptSet
from agent.store import AuditEntry, Conversation
from agent.transcript_email import Sender, transcript_email
from channels.web.api import State, _client_ip, _conversation
from channels.web.errors import ApiError

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["widget"])

MAX_ADDRESS_CHARS = 254
RETRY_LATER_SECONDS = 60


class TranscriptLimits:
    """Sends allowed per conversation and per IP address (moving window, in memory)."""

    def __init__(self, per_conversation: str, per_ip: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items: dict[str, RateLimitItem] = {
            "conversation": parse(per_conversation),
            "ip": parse(per_ip),
        }

    def wait(self, conversation_id: str, ip: str) -> int:
        """Count one send; 0 when allowed, else the seconds until one is (nothing counted)."""
        keys = (("conversation", conversation_id), ("ip", ip))
        for kind, key in keys:
            item = self._items[kind]
            if not self._limiter.test(item, kind, key):
                stats = self._limiter.get_window_stats(item, kind, key)
                return max(1, math.ceil(stats.reset_time - time.time()))
        for kind, key in keys:
            self._limiter.hit(self._items[kind], kind, key)
        return 0


@dataclass
class TranscriptMail:
    """What the endpoints need: the mailer, who the email is from, and the limits."""

    mailer: Mailer
    sender: Sender
    limits: TranscriptLimits


def build_transcript_mail(settings: Settings, mailer: Mailer | None) -> TranscriptMail | None:
    if mailer is None or settings.mail_from is None:
        return None
    return TranscriptMail(
        mailer=mailer,
        sender=Sender(settings.mail_from, settings.mail_reply_to),
        limits=TranscriptLimits(
            settings.transcript_email_limit, settings.transcript_email_ip_limit
        ),
    )


class TranscriptEmailIn(BaseModel):
    email: str = Field(max_length=1000, description="Where to send the transcript.")


class TranscriptEmailOffer(BaseModel):
    email: str | None = Field(description="The address the prospect gave in the chat, if any.")


class TranscriptEmailSent(BaseModel):
    sent: bool = Field(description="True: the mail server accepted the email.")
    email: str
    message: str = Field(description="What to tell the prospect.")


def _feature(request: Request, state: State) -> TranscriptMail:
    mail: TranscriptMail | None = getattr(request.app.state, "transcript_mail", None)
    if mail is None:
        raise ApiError(404, "transcript_email_off", state.engine.prompts.message("transcript_off"))
    return mail


def _given_email(conversation: Conversation) -> str | None:
    fact = conversation.profile.email
    return fact.value if fact is not None else None


def _address(text: str, prompts: PromptSet, language: str | None) -> str:
    """The address normalised, or 422 with the reason in the prospect's terms."""
    try:
        if len(text.strip()) > MAX_ADDRESS_CHARS:
            raise EmailNotValidError("too long")
        checked = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ApiError(
            422,
            "invalid_email",
            prompts.message("transcript_invalid", language=language),
            problem=str(exc),
        ) from None
    return checked.normalized


@router.get(
    "/conversations/{token}/transcript-email",
    response_model=TranscriptEmailOffer,
    responses={404: {"description": "No mail server is set, or the chat is gone"}},
)
async def transcript_email_offer(
    token: str, request: Request, state: State
) -> TranscriptEmailOffer:
    """The address to prefill: the one the prospect gave in the chat, if any."""
    _feature(request, state)
    await state.limits.check(_client_ip(request))
    conversation = await _conversation(state, token)
    return TranscriptEmailOffer(email=_given_email(conversation))


@router.post(
    "/conversations/{token}/transcript-email",
    response_model=TranscriptEmailSent,
    responses={
        404: {"description": "No mail server is set, or the chat is gone"},
        422: {"description": "Not an email address"},
        429: {"description": "Sent as often as allowed for now"},
        502: {"description": "The mail server refused the email"},
        503: {"description": "The mail server could not be reached; try again later"},
    },
)
async def send_transcript_email(
    token: str, body: TranscriptEmailIn, request: Request, state: State
) -> TranscriptEmailSent:
    mail = _feature(request, state)
    ip = _client_ip(request)
    await state.limits.check(ip)
    conversation = await _conversation(state, token)
    prompts = state.engine.prompts
    language = conversation.language
    address = _address(body.email, prompts, language)
    wait = mail.limits.wait(conversation.id, ip)
    if wait:
        too_many = prompts.message("transcript_too_many", language=language)
        raise ApiError(429, "too_many_transcripts", too_many, retry_after=wait)
    now = datetime.now(UTC)
    email = transcript_email(
        conversation=conversation,
        messages=await state.engine.store.messages(conversation.id),
        recipient=address,
        sender=mail.sender,
        prompts=prompts,
        company=state.engine.playbook.company.name,
        now=now,
    )
    try:
        await mail.mailer.send(email)
    except MailNotSent as exc:
        log.warning("transcript of %s not sent: %s", conversation.id, exc.reason)
        if exc.temporary:
            raise ApiError(
                503,
                "transcript_not_sent",
                prompts.message("transcript_unavailable", language=language),
                retry_after=RETRY_LATER_SECONDS,
            ) from None
        refused = prompts.message("transcript_refused", language=language)
        raise ApiError(502, "transcript_not_sent", refused) from None
    try:
        await state.engine.store.record_audit(
            AuditEntry(at=now, actor="prospect", action="email_transcript", subject=conversation.id)
        )
    except Exception:  # the email is gone: the prospect is told so all the same
        log.exception("recording the transcript email of %s failed", conversation.id)
    return TranscriptEmailSent(
        sent=True,
        email=address,
        message=prompts.message("transcript_sent", language=language, email=address),
    )
