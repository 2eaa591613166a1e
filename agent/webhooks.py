"""Signed webhooks: lead events POSTed as JSON to the endpoints that subscribed to them.

Every request carries::

    Content-Type: application/json
    X-Qualify-Event: lead.segment_changed
    X-Qualify-Event-Id: 3f0c...            (also sent as Idempotency-Key)
    X-Qualify-Timestamp: 1764000000        (Unix seconds when the request was signed)
    X-Qualify-Signature: v1=<hex>

where ``<hex>`` is HMAC-SHA256 with the endpoint's secret over ``"{timestamp}.{body}"``
(while a secret rotates, one ``v1=`` value per secret, comma separated: new, then old)
(the timestamp header, a dot, then the raw request body bytes). A receiver recomputes it
over the bytes it received, compares in constant time, rejects timestamps more than five
minutes away from its clock (replays), and uses the event id to ignore a delivery it has
already processed. :func:`verify` does all of that for Python receivers.

A 2xx answer is success. 408, 429 (honouring ``Retry-After``), 5xx, timeouts and refused
connections are retried with exponential backoff and jitter; any other answer (4xx, and
3xx: redirects are not followed) makes the delivery a dead letter at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

from agent.destinations import DeliveryFailed, retry_after_seconds, retryable_status
from agent.events import LeadEvent

SIGNATURE_HEADER = "X-Qualify-Signature"
TIMESTAMP_HEADER = "X-Qualify-Timestamp"
EVENT_HEADER = "X-Qualify-Event"
EVENT_ID_HEADER = "X-Qualify-Event-Id"
TOLERANCE_SECONDS = 300
USER_AGENT = "qualify-webhooks/1"


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The signature header's value for a body sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: float = TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether a received request was signed with ``secret`` recently (header names in any
    case). Several ``v1=`` values (comma separated) are accepted while secrets rotate."""
    lowered = {key.lower(): value for key, value in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    signature = lowered.get(SIGNATURE_HEADER.lower(), "")
    if not timestamp.isdigit() or not signature:
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, part.strip()) for part in signature.split(","))


def encode(event: LeadEvent) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON."""
    return json.dumps(event.body(), ensure_ascii=False, separators=(",", ":")).encode()


def shown_url(url: str) -> str:
    """The URL without credentials or query string (which may hold tokens), for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


def _snippet(response: httpx.Response) -> str:
    text = " ".join(response.text.split())[:160]
    return f": {text}" if text else ""


class WebhookDestination:
    """POSTs signed events to one URL."""

    def __init__(
        self,
        name: str,
        url: str,
        secret: str,
        *,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        previous_secret: str | None = None,
    ) -> None:
        if not secret:
            raise ValueError(f"webhook {name!r} needs a signing secret")
        self._name = name
        self.url = url
        self._secret = secret
        self._previous = previous_secret
        self.timeout = timeout
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=8),
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
        )

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"WebhookDestination({self._name!r}, {shown_url(self.url)!r})"

    def headers(self, event: LeadEvent, body: bytes, timestamp: int) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            EVENT_HEADER: event.type,
            EVENT_ID_HEADER: event.id,
            "Idempotency-Key": event.id,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: ",".join(
                sign(secret, timestamp, body) for secret in (self._secret, self._previous) if secret
            ),
        }

    async def deliver(self, event: LeadEvent) -> str:
        body = encode(event)
        headers = self.headers(event, body, int(time.time()))
        where = shown_url(self.url)
        try:
            response = await self._client.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise DeliveryFailed(f"{where} did not answer within {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"cannot reach {where}: {type(exc).__name__}") from exc
        status = response.status_code
        if 200 <= status < 300:
            return f"HTTP {status}"
        if 300 <= status < 400:
            raise DeliveryFailed(
                f"{where} answered HTTP {status} (redirects are not followed; use the final URL)",
                retryable=False,
                status=status,
            )
        retryable = retryable_status(status)
        raise DeliveryFailed(
            f"{where} answered HTTP {status}{_snippet(response)}",
            retryable=retryable,
            status=status,
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
        )

    async def aclose(self) -> None:
        await self._client.aclose()
