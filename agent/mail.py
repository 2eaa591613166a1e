"""Outgoing email: the one place that talks to a mail server.

The rest of the code holds a :class:`Mailer` (a ``typing.Protocol``) and calls
``await mailer.send(message)``; :func:`build_mailer` picks the backend from settings
(SMTP through ``aiosmtplib``, or none when ``QUALIFY_SMTP_URL`` is unset).

``send`` returns only once the server accepted the message for every recipient. A
temporary failure (a 4xx answer, a refused or dropped connection, a timeout) is tried again
with exponential backoff (``tenacity``); a permanent one (a 5xx answer, no STARTTLS when it
is required) raises :class:`MailNotSent` at once. Errors and logs name the server's host,
port and SMTP code, never the URL's user name or password.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from agent.config import Settings

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class MailNotSent(Exception):
    """The server did not accept the message. ``temporary``: trying later may work."""

    def __init__(self, reason: str, *, temporary: bool, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.code = code


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` to its server; raise MailNotSent unless it was accepted."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to connect; ``repr`` leaves out the credentials."""

    host: str
    port: int
    implicit_tls: bool
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """``smtp://user:pass@host:587`` or ``smtps://...`` (checked by the settings)."""
        parts = urlsplit(url)
        return cls(
            host=parts.hostname or "",
            port=parts.port or DEFAULT_PORTS[parts.scheme],
            implicit_tls=parts.scheme == "smtps",
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"


def _classify(exc: Exception, server: str) -> MailNotSent:
    """The SMTP failure as MailNotSent: 4xx and connection trouble are temporary."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in exc.recipients]
        temporary = bool(codes) and all(400 <= code < 500 for code in codes)
        code = codes[0] if codes else None
        return MailNotSent(
            f"{server} refused the recipient ({code})", temporary=temporary, code=code
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        temporary = 400 <= exc.code < 500
        return MailNotSent(f"{server} answered {exc.code}", temporary=temporary, code=exc.code)
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected | aiosmtplib.SMTPTimeoutError | OSError):
        return MailNotSent(f"{server} could not be reached ({type(exc).__name__})", temporary=True)
    if isinstance(exc, aiosmtplib.SMTPConnectError):
        return MailNotSent(f"{server} could not be reached", temporary=True)
    return MailNotSent(f"{server}: {type(exc).__name__}: {exc}", temporary=False)


def _temporary(exc: BaseException) -> bool:
    return isinstance(exc, MailNotSent) and exc.temporary


class SmtpMailer:
    """Sends through one SMTP server, a new connection per message."""

    def __init__(
        self,
        server: SmtpServer,
        *,
        require_starttls: bool = False,
        timeout: float = 10.0,
        attempts: int = 3,
        backoff: float = 0.5,
        backoff_max: float = 4.0,
    ) -> None:
        self.server = server
        self.require_starttls = require_starttls
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.backoff_max = backoff_max

    async def send(self, message: EmailMessage) -> None:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.backoff, max=self.backoff_max)
            + wait_random(0, self.backoff),
            retry=retry_if_exception(_temporary),
            before_sleep=self._log_retry,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                await self._send_once(message)

    async def _send_once(self, message: EmailMessage) -> None:
        server = self.server
        # None: STARTTLS when the server offers it; True: refuse to go on without it.
        start_tls = None if not self.require_starttls else True
        try:
            await aiosmtplib.send(
                message,
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.implicit_tls,
                start_tls=False if server.implicit_tls else start_tls,
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise _classify(exc, server.name) from None

    def _log_retry(self, state: object) -> None:
        outcome = getattr(state, "outcome", None)
        exc = outcome.exception() if outcome is not None else None
        log.warning("sending mail through %s failed, retrying: %s", self.server.name, exc)


def build_mailer(settings: Settings) -> Mailer | None:
    """The mailer the settings describe; None when no mail server is set."""
    if settings.smtp_url is None:
        return None
    return SmtpMailer(
        SmtpServer.from_url(settings.smtp_url.get_secret_value()),
        require_starttls=settings.smtp_require_starttls,
        timeout=settings.smtp_timeout,
        attempts=settings.smtp_attempts,
    )
