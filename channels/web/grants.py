"""Transcript grants: a signed, expiring, read-only link to ONE lead for ONE sales rep.

A rep who opens a hot lead from Slack gets a personal link (``mint_transcript_url``) instead
of the shared admin key. The token in it carries the lead id, the rep's Slack user id and
when it was issued, signed with HMAC-SHA256 under a key derived from the project's
``secret_key`` for this purpose only, so it cannot pass for a conversation token or a
session, and no other route reads it. It opens that lead's read-only transcript page and
nothing else: no admin API, no other lead, no form that changes anything. It stops working
``QUALIFY_TRANSCRIPT_GRANT_HOURS`` after it was issued (checked against the current
setting, so lowering the setting shortens links already sent), when the rep leaves
``QUALIFY_SLACK_REP_USER_IDS`` (if that list is set) and, for every link at once, when the
secret key changes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import quote, urlencode

from agent.config import Settings
from channels.web.keys import load_or_create

PURPOSE = "qualify-transcript-grant:v1"
"""The salt of the signing key: a grant's signature is good for nothing else."""
MAX_TOKEN_CHARS = 1000
CLOCK_SKEW = timedelta(minutes=5)
"""A grant issued this far in the future (another worker's clock) is still accepted."""
REP_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
LEAD_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Grant:
    """A verified grant: ``rep`` may read lead ``lead_id`` until ``expires_at``."""

    lead_id: str
    rep: str
    issued_at: datetime
    expires_at: datetime

    @property
    def actor(self) -> str:
        """Who used the grant, as the audit log names it (an id, no personal data)."""
        return f"slack:{self.rep}"


class GrantRefused(Exception):
    """The token is not a grant for this lead (``invalid``) or no longer is (``expired``)."""

    def __init__(self, reason: Literal["invalid", "expired"]) -> None:
        super().__init__(reason)
        self.reason: Literal["invalid", "expired"] = reason


def grant_secret(settings: Settings) -> str:
    """The secret the web app signs with: from settings or the data folder (shared by
    every worker and process that uses the same settings)."""
    return load_or_create(settings.secret_key, settings.data_dir / "secret_key")


def _key(secret: str) -> bytes:
    return hashlib.sha256(f"{PURPOSE}:{secret}".encode()).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(_key(secret), payload.encode("ascii"), hashlib.sha256).digest())


def mint_grant(secret: str, lead_id: str, rep: str, now: datetime) -> str:
    """A token granting ``rep`` (a Slack user id) read access to lead ``lead_id``."""
    if not LEAD_PATTERN.match(lead_id):
        raise ValueError("not a lead id")
    if not REP_PATTERN.match(rep):
        raise ValueError("a rep is a Slack user id (letters, digits, . _ -; 40 at most)")
    body = {"l": lead_id, "r": rep, "i": int(now.timestamp())}
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{payload}.{_mac(secret, payload)}"


def mint_transcript_url(
    settings: Settings, base_url: str, lead_id: str, rep: str, now: datetime
) -> str:
    """A personal link for ``rep`` (a Slack user id) to read lead ``lead_id``'s transcript
    without the admin key, valid ``settings.transcript_grant_hours`` from ``now``.

    ``base_url`` is where the web app answers (e.g. ``settings.public_url``)."""
    token = mint_grant(grant_secret(settings), lead_id, rep, now)
    path = transcript_path(lead_id)
    return f"{base_url.rstrip('/')}{path}?{urlencode({'grant': token})}"


def transcript_path(lead_id: str) -> str:
    """The lead's read-only page (also the path its grant cookie is scoped to)."""
    return f"/admin/transcript/{quote(lead_id, safe='')}"


def read_grant(
    secret: str, token: str, lead_id: str, now: datetime, *, hours: int, reps: list[str]
) -> Grant:
    """The grant in ``token`` if it is genuine, for ``lead_id`` and still valid at ``now``;
    otherwise :class:`GrantRefused`. ``reps``: the allowed Slack users (empty: anyone)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise GrantRefused("invalid")
    payload, dot, mac = token.partition(".")
    if not dot or not payload or not payload.isascii() or not mac.isascii():
        raise GrantRefused("invalid")
    if not hmac.compare_digest(_mac(secret, payload).encode(), mac.encode()):
        raise GrantRefused("invalid")
    try:
        body = json.loads(_unb64(payload))
        granted, rep, issued = str(body["l"]), str(body["r"]), int(body["i"])
        issued_at = datetime.fromtimestamp(issued, UTC)
        expires_at = issued_at + timedelta(hours=hours)
    except (ValueError, KeyError, TypeError, OverflowError, OSError, binascii.Error):
        raise GrantRefused("invalid") from None
    if not hmac.compare_digest(granted.encode(), lead_id.encode()):
        raise GrantRefused("invalid")
    if reps and rep not in reps:
        raise GrantRefused("invalid")
    if issued_at > now + CLOCK_SKEW:
        raise GrantRefused("invalid")
    if now >= expires_at:
        raise GrantRefused("expired")
    return Grant(lead_id=granted, rep=rep, issued_at=issued_at, expires_at=expires_at)


def verify_transcript_grant(settings: Settings, token: str, lead_id: str, now: datetime) -> Grant:
    """:func:`read_grant` with the secret, lifetime and reps of ``settings``."""
    return read_grant(
        grant_secret(settings),
        token,
        lead_id,
        now,
        hours=settings.transcript_grant_hours,
        reps=settings.slack_rep_user_ids,
    )
