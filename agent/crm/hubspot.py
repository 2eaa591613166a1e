"""HubSpot: lead events keep a HubSpot contact up to date, found by email.

A :class:`agent.destinations.Destination` over HubSpot's CRM v3 API with a private-app
token (``Authorization: Bearer``; scopes ``crm.objects.contacts.read``/``.write`` and
``crm.schemas.contacts.read``/``.write``). Everything HubSpot-specific lives in this module,
so another CRM (Salesforce, Pipedrive) is one more module beside it with the same shape: a
pure mapping from the event's lead snapshot to the CRM's fields, a destination class and a
``build_...(settings)``.

Endpoints used:

- ``PATCH /crm/v3/objects/contacts/{email}?idProperty=email``: update the contact by email;
- ``POST /crm/v3/objects/contacts``: create it when the PATCH answers 404 (a 409 means it
  was created meanwhile: PATCH again);
- ``POST /crm/v3/properties/contacts/groups`` and ``POST /crm/v3/properties/contacts``:
  :meth:`HubSpotDestination.setup` (``qualify hubspot setup``) creates the property group
  and the custom properties (409: already there).

What syncs: every event with an email in its lead snapshot writes the standard properties
(email, firstname, lastname, company, numemployees) and the custom ones named
``<prefix><field>`` (see :data:`CUSTOM_PROPERTIES`). Skipped, with a note rather than an
error: events whose lead has no email yet.

Erasure: ``lead.erased`` (it carries only the lead id) finds the contacts whose
``<prefix>lead_id`` is that lead (``POST /crm/v3/objects/contacts/search``) and deletes each
with HubSpot's GDPR delete (``POST /crm/v3/objects/contacts/gdpr-delete``), which also
blocks the email from being tracked again.

Rate limits: the ``X-HubSpot-RateLimit-Remaining`` and ``-Interval-Milliseconds`` headers
of every answer are read; when the window is spent, the next request waits for the next
one. A 429 waits ``Retry-After`` (else the interval) and is retried up to
``rate_limit_retries`` times within one delivery, then fails retryable. 5xx, timeouts and
connection errors are retryable; other 4xx are not (the message names HubSpot's error).
The token is never part of a message or a log line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

import httpx

from agent.config import Settings
from agent.destinations import (
    DeliveryFailed,
    Destination,
    retry_after_seconds,
    retryable_status,
)
from agent.events import LeadEvent

__all__ = [
    "CUSTOM_PROPERTIES",
    "DEFAULT_API_URL",
    "HubSpotDestination",
    "PropertySpec",
    "SetupReport",
    "build_hubspot",
    "contact_properties",
    "employee_range",
    "group_name",
]

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.hubapi.com"
CONTACTS = "/crm/v3/objects/contacts"
PROPERTIES = "/crm/v3/properties/contacts"
GROUPS = "/crm/v3/properties/contacts/groups"

REMAINING_HEADER = "X-HubSpot-RateLimit-Remaining"
INTERVAL_HEADER = "X-HubSpot-RateLimit-Interval-Milliseconds"
DAILY_RETRY_SECONDS = 3600.0
MAX_ERROR_CHARS = 500

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """A custom contact property qualify writes, named ``<prefix><suffix>``."""

    suffix: str
    label: str
    type: Literal["string", "number"]
    field_type: Literal["text", "textarea", "number"]
    description: str


CUSTOM_PROPERTIES: tuple[PropertySpec, ...] = (
    PropertySpec("score", "Lead score", "number", "number", "Points from the playbook's rules."),
    PropertySpec(
        "segment", "Lead segment", "string", "text", "The playbook band, or disqualified."
    ),
    PropertySpec(
        "follow_up",
        "Follow-up",
        "string",
        "text",
        "What happens next: sales_handoff, nurture:<list> or none.",
    ),
    PropertySpec("budget", "Budget", "string", "textarea", "Budget, in the prospect's words."),
    PropertySpec(
        "authority", "Authority", "string", "textarea", "Role and say in the purchase, as told."
    ),
    PropertySpec("need", "Need", "string", "textarea", "Use cases and fit, as told."),
    PropertySpec("timeline", "Timeline", "string", "textarea", "When they want to start."),
    PropertySpec(
        "summary", "Qualification summary", "string", "textarea", "Summary of what was learned."
    ),
    PropertySpec("lead_id", "Lead id", "string", "text", "The lead's id in qualify."),
    PropertySpec("industry", "Industry", "string", "text", "Industry, as the playbook names it."),
    PropertySpec(
        "company_size", "Company size", "number", "number", "Employees, as the prospect said."
    ),
    PropertySpec(
        "last_event", "Last lead event", "string", "text", "The event that last synced this lead."
    ),
)

EMPLOYEE_RANGES: tuple[tuple[int, str], ...] = (
    (5, "1-5"),
    (25, "5-25"),
    (50, "25-50"),
    (100, "50-100"),
    (500, "100-500"),
    (1000, "500-1000"),
)
"""HubSpot's ``numemployees`` contact property is a dropdown with these options (and
``1000+``); the exact count goes to ``<prefix>company_size``."""


def group_name(prefix: str) -> str:
    """The property group the custom properties belong to: the prefix without its ``_``."""
    return prefix.rstrip("_") or "qualify"


def employee_range(size: int) -> str | None:
    """The ``numemployees`` option for a head count (None for zero or less)."""
    if size <= 0:
        return None
    for upper, option in EMPLOYEE_RANGES:
        if size <= upper:
            return option
    return "1000+"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _quoted(shown: str, fact: Mapping[str, Any]) -> str:
    quote_text = _text(fact.get("quote"))
    return f'{shown} — "{quote_text}"' if quote_text else shown


def _budget(fact: Mapping[str, Any]) -> str | None:
    if not fact:
        return None
    status = str(fact.get("status") or "unknown")
    annual = fact.get("annual_usd")
    if status == "known" and isinstance(annual, int | float):
        shown = f"${annual:,.0f}/year"
    else:
        shown = status.replace("_", " ")
    return _quoted(shown, fact)


def _authority(fact: Mapping[str, Any]) -> str | None:
    if not fact:
        return None
    level = str(fact.get("level") or "unknown").replace("_", " ")
    role = _text(fact.get("role"))
    return _quoted(f"{role} ({level})" if role else level, fact)


def _need(fact: Mapping[str, Any]) -> str | None:
    if not fact:
        return None
    uses = ", ".join(str(use) for use in fact.get("use_cases") or ()) or "unspecified"
    return _quoted(f"{uses} (fit: {fact.get('fit') or 'unknown'})", fact)


def _timeline(fact: Mapping[str, Any]) -> str | None:
    if not fact:
        return None
    months = fact.get("months")
    shown = str(fact.get("text") or "")
    if isinstance(months, int):
        shown = f"{shown} (~{months} months)".strip()
    return _quoted(shown or "unknown", fact)


def _follow_up(value: Mapping[str, Any]) -> str | None:
    action = _text(value.get("action"))
    if action is None:
        return None
    target = _text(value.get("list"))
    return f"{action}:{target}" if target else action


def contact_properties(event: LeadEvent, prefix: str = "qualify_") -> dict[str, str]:
    """The HubSpot contact properties for an event's lead snapshot; unknown values are left
    out, so what a rep typed into HubSpot is not blanked."""
    lead = event.lead
    contact = _mapping(lead.get("contact"))
    values: dict[str, str | None] = {"email": _text(contact.get("email"))}
    name = _text(contact.get("name"))
    if name:
        first, _, last = name.partition(" ")
        values["firstname"] = first
        values["lastname"] = _text(last)
    values["company"] = _text(contact.get("company"))
    size = contact.get("company_size")
    if isinstance(size, int) and not isinstance(size, bool):
        values["numemployees"] = employee_range(size)
        values[prefix + "company_size"] = str(size)
    score = lead.get("score")
    if isinstance(score, int | float) and not isinstance(score, bool):
        values[prefix + "score"] = str(score)
    values[prefix + "segment"] = _text(lead.get("segment"))
    values[prefix + "follow_up"] = _follow_up(_mapping(lead.get("follow_up")))
    values[prefix + "budget"] = _budget(_mapping(lead.get("budget")))
    values[prefix + "authority"] = _authority(_mapping(lead.get("authority")))
    values[prefix + "need"] = _need(_mapping(lead.get("need")))
    values[prefix + "timeline"] = _timeline(_mapping(lead.get("timeline")))
    values[prefix + "summary"] = _text(lead.get("summary"))
    values[prefix + "lead_id"] = _text(lead.get("id")) or event.conversation_id
    values[prefix + "industry"] = _text(contact.get("industry"))
    values[prefix + "last_event"] = event.type
    return {key: value for key, value in values.items() if value is not None}


@dataclass
class SetupReport:
    """What :meth:`HubSpotDestination.setup` found: the group and the custom properties."""

    group: str
    group_created: bool = False
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


class HubSpotDestination:
    """Creates or updates the HubSpot contact of a lead, by email."""

    def __init__(
        self,
        token: str,
        *,
        api_url: str = DEFAULT_API_URL,
        prefix: str = "qualify_",
        timeout: float = 10.0,
        rate_limit_retries: int = 3,
        max_wait: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
    ) -> None:
        self._token = token
        self._api_url = api_url.rstrip("/")
        self._prefix = prefix
        self._rate_limit_retries = rate_limit_retries
        self._max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._interval: float | None = None
        self._resume_at = 0.0
        self._client = httpx.AsyncClient(
            base_url=self._api_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout),
        )

    @property
    def name(self) -> str:
        return "hubspot"

    @property
    def prefix(self) -> str:
        return self._prefix

    async def aclose(self) -> None:
        await self._client.aclose()

    async def deliver(self, event: LeadEvent) -> str:
        if event.type == "lead.erased":
            return await self._erase(event.conversation_id)
        properties = contact_properties(event, self._prefix)
        email = properties.get("email")
        if not email:
            return "skipped: no email yet"
        contact_id, verb = await self._upsert(email, properties)
        log.info("hubspot: %s: contact %s %s", event.type, contact_id, verb)
        return f"contact {contact_id} {verb}"

    async def setup(self) -> SetupReport:
        """Create the property group and the custom contact properties; existing ones are
        left as they are."""
        group = group_name(self._prefix)
        report = SetupReport(group=group)
        answer = await self._request(
            "POST",
            GROUPS,
            json={"name": group, "label": "Lead qualification", "displayOrder": -1},
            action="creating the property group",
            allow=(409,),
        )
        report.group_created = answer.status_code != 409
        for spec in CUSTOM_PROPERTIES:
            name = self._prefix + spec.suffix
            answer = await self._request(
                "POST",
                PROPERTIES,
                json={
                    "name": name,
                    "label": spec.label,
                    "type": spec.type,
                    "fieldType": spec.field_type,
                    "groupName": group,
                    "description": spec.description,
                },
                action=f"creating the property {name}",
                allow=(409,),
            )
            (report.existing if answer.status_code == 409 else report.created).append(name)
        return report

    async def _erase(self, lead_id: str) -> str:
        """GDPR-delete the contacts synced from this lead."""
        search = {
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": self._prefix + "lead_id",
                            "operator": "EQ",
                            "value": lead_id,
                        }
                    ]
                }
            ],
            "properties": ["email"],
            "limit": 100,
        }
        answer = await self._request(
            "POST", f"{CONTACTS}/search", json=search, action="finding the erased lead's contact"
        )
        found = [
            str(item["id"]) for item in _json_object(answer).get("results", []) if "id" in item
        ]
        if not found:
            return "no contact synced from this lead"
        for contact_id in found:
            await self._request(
                "POST",
                f"{CONTACTS}/gdpr-delete",
                json={"objectId": contact_id},
                action="deleting the contact (GDPR)",
                allow=(404,),
            )
        log.info("hubspot: lead.erased: contact %s deleted (GDPR)", ", ".join(found))
        return f"contact {', '.join(found)} deleted (GDPR)"

    async def _upsert(self, email: str, properties: dict[str, str]) -> tuple[str, str]:
        path = f"{CONTACTS}/{quote(email, safe='@')}"
        body = {"properties": properties}
        by_email = {"idProperty": "email"}
        answer = await self._request(
            "PATCH", path, params=by_email, json=body, action="updating the contact", allow=(404,)
        )
        if answer.status_code != 404:
            return _object_id(answer), "updated"
        answer = await self._request(
            "POST", CONTACTS, json=body, action="creating the contact", allow=(409,)
        )
        if answer.status_code != 409:
            return _object_id(answer), "created"
        answer = await self._request(
            "PATCH", path, params=by_email, json=body, action="updating the contact"
        )
        return _object_id(answer), "updated"

    async def _request(
        self,
        method: str,
        path: str,
        *,
        action: str,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        allow: tuple[int, ...] = (),
    ) -> httpx.Response:
        """One API call: 2xx and ``allow`` are returned; 429s are waited out and retried;
        anything else raises :class:`DeliveryFailed`."""
        limited = 0
        while True:
            await self._wait_for_window()
            try:
                answer = await self._client.request(method, path, params=params, json=json)
            except httpx.TimeoutException as exc:
                raise DeliveryFailed(
                    f"HubSpot did not answer in time while {action} ({type(exc).__name__})"
                ) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                detail = str(exc) or type(exc).__name__
                raise DeliveryFailed(
                    self._redact(
                        f"cannot reach HubSpot at {self._api_url} while {action}: {detail}"
                    )
                ) from None
            self._track_rate_limit(answer)
            status = answer.status_code
            if status < 300 or status in allow:
                return answer
            if status != 429:
                raise self._failure(answer, action)
            limited += 1
            error = _json_object(answer)
            wait = self._rate_limit_wait(answer, error)
            if limited > self._rate_limit_retries or wait > self._max_wait:
                raise DeliveryFailed(
                    self._redact(
                        f"HubSpot rate limit ({error.get('policyName') or 'HTTP 429'}) while "
                        f"{action}: {_message(answer, error)}"
                    ),
                    status=429,
                    retry_after=wait,
                )
            log.info("hubspot: rate limited while %s; retrying in %.2f s", action, wait)
            self._hold(wait)

    def _rate_limit_wait(self, answer: httpx.Response, error: Mapping[str, Any]) -> float:
        if error.get("policyName") == "DAILY":
            return DAILY_RETRY_SECONDS
        wait = retry_after_seconds(answer.headers.get("Retry-After"))
        if wait is None:
            wait = self._interval if self._interval is not None else 1.0
        return wait

    def _track_rate_limit(self, answer: httpx.Response) -> None:
        interval = _int_header(answer, INTERVAL_HEADER)
        if interval is not None and interval > 0:
            self._interval = interval / 1000
        remaining = _int_header(answer, REMAINING_HEADER)
        if remaining is not None and remaining <= 0 and self._interval is not None:
            self._hold(self._interval)

    def _hold(self, seconds: float) -> None:
        """No request before ``seconds`` from now (shared by concurrent deliveries)."""
        self._resume_at = max(self._resume_at, self._clock() + seconds)

    async def _wait_for_window(self) -> None:
        delay = self._resume_at - self._clock()
        if delay > 0:
            await self._sleep(delay)

    def _failure(self, answer: httpx.Response, action: str) -> DeliveryFailed:
        status = answer.status_code
        error = _json_object(answer)
        category = _text(error.get("category"))
        label = f"HTTP {status} {category}" if category else f"HTTP {status}"
        message = _message(answer, error)
        if status == 401:
            text = (
                f"HubSpot rejected the token ({label}) while {action}: {message} "
                "(check QUALIFY_HUBSPOT_TOKEN)"
            )
        elif status == 403:
            text = (
                f"HubSpot refused access ({label}) while {action}: {message} (the private app "
                "needs the crm.objects.contacts and crm.schemas.contacts read/write scopes)"
            )
        else:
            text = f"HubSpot answered {label} while {action}: {message}"
            if "PROPERTY_DOESNT_EXIST" in message:
                text += " (run: qualify hubspot setup)"
        retryable = retryable_status(status)  # 429 is waited out before this
        return DeliveryFailed(
            self._redact(text),
            retryable=retryable,
            status=status,
            retry_after=retry_after_seconds(answer.headers.get("Retry-After"))
            if retryable
            else None,
        )

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "[token]") if self._token else text


def _json_object(answer: httpx.Response) -> Mapping[str, Any]:
    try:
        return _mapping(answer.json())
    except ValueError:
        return {}


def _message(answer: httpx.Response, error: Mapping[str, Any]) -> str:
    message = _text(error.get("message")) or answer.reason_phrase or "no message"
    if len(message) > MAX_ERROR_CHARS:
        message = message[: MAX_ERROR_CHARS - 1] + "…"
    return message


def _int_header(answer: httpx.Response, name: str) -> int | None:
    value = answer.headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def _object_id(answer: httpx.Response) -> str:
    body = _json_object(answer)
    return str(body.get("id") or "?")


def build_hubspot(settings: Settings) -> HubSpotDestination | None:
    """The HubSpot destination from settings, or None without ``QUALIFY_HUBSPOT_TOKEN``."""
    if settings.hubspot_token is None:
        return None
    token = settings.hubspot_token.get_secret_value().strip()
    if not token:
        return None
    return HubSpotDestination(
        token,
        api_url=settings.hubspot_api_url,
        prefix=settings.hubspot_property_prefix,
        timeout=settings.hubspot_timeout,
    )


if TYPE_CHECKING:  # mypy checks that the class implements the Destination protocol
    _conforms: type[Destination] = HubSpotDestination
