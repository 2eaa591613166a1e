"""A local stand-in for HubSpot's CRM v3 API: real HTTP on 127.0.0.1, HubSpot's wire format.

Our unmodified :class:`agent.crm.hubspot.HubSpotDestination` talks to it
(``api_url=<url>``). It records every call, checks the bearer token (401 otherwise), keeps
contacts by id with a unique email, and validates property values against the defined
properties like HubSpot does (``PROPERTY_DOESNT_EXIST``, ``INVALID_OPTION``, bad numbers),
so the custom properties have to be created first. Every answer carries the rate-limit
headers of a fixed window (``rate_max`` requests per ``rate_interval_ms``); a request over
the window gets HubSpot's 429. ``fail(status, times=n, retry_after=...)`` scripts the next
``n`` answers.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.servers import ThreadedServer

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
NOW = "2026-11-24T10:00:00.000Z"

NUMEMPLOYEES_OPTIONS = ("1-5", "5-25", "25-50", "50-100", "100-500", "500-1000", "1000+")


def _standard(name: str, type_: str = "string", field_type: str = "text") -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "label": name,
        "type": type_,
        "fieldType": field_type,
        "groupName": "contactinformation",
        "hubspotDefined": True,
    }
    if type_ == "enumeration":
        spec["options"] = [{"label": o, "value": o} for o in NUMEMPLOYEES_OPTIONS]
    return spec


STANDARD_PROPERTIES = {
    spec["name"]: spec
    for spec in (
        _standard("email"),
        _standard("firstname"),
        _standard("lastname"),
        _standard("company"),
        _standard("phone"),
        _standard("jobtitle"),
        _standard("industry"),
        _standard("numemployees", "enumeration", "select"),
    )
}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    token: str | None
    status: int


@dataclass
class Scripted:
    status: int
    retry_after: str | None
    message: str | None
    category: str | None
    policy: str


@dataclass
class FakeHubSpot:
    """The fake's state: recorded calls, scripted answers, properties and contacts."""

    token: str = TOKEN
    rate_max: int = 100
    rate_interval_ms: int = 10_000
    calls: list[Call] = field(default_factory=list)
    scripted: list[Scripted] = field(default_factory=list)
    groups: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {"contactinformation": {"name": "contactinformation"}}
    )
    properties: dict[str, dict[str, Any]] = field(default_factory=lambda: dict(STANDARD_PROPERTIES))
    contacts: dict[str, dict[str, str]] = field(default_factory=dict)
    gdpr_deleted: list[str] = field(default_factory=list)
    """Contact ids deleted through the GDPR delete endpoint."""
    rate_limited: int = 0
    """How many requests the fake turned away for going over the window."""
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(501))
    _window_start: float = 0.0
    _window_count: int = 0

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        message: str | None = None,
        category: str | None = None,
        policy: str = "TEN_SECONDLY_ROLLING",
    ) -> None:
        """The next ``times`` requests (after the token check) get ``status``; a 429 names
        the rate-limit ``policy`` that was hit (``DAILY`` for the daily limit)."""
        scripted = Scripted(status, retry_after, message, category, policy)
        with self._lock:
            self.scripted.extend(scripted for _ in range(times))

    def limit(self, rate_max: int, rate_interval_ms: int) -> None:
        """A new rate limit, with a fresh window from the next request."""
        with self._lock:
            self.rate_max = rate_max
            self.rate_interval_ms = rate_interval_ms
            self._window_start = 0.0
            self._window_count = 0

    def contact(self, email: str) -> tuple[str, dict[str, str]] | None:
        """The contact with this email: (id, properties)."""
        with self._lock:
            for contact_id, properties in self.contacts.items():
                if properties.get("email", "").lower() == email.lower():
                    return contact_id, dict(properties)
        return None

    def calls_to(self, method: str, path_start: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and c.path.startswith(path_start)]

    # -- the API ---------------------------------------------------------------------------

    def _rate_headers(self) -> tuple[bool, dict[str, str]]:
        """Count one request in the current window: (over the limit, headers)."""
        now = time.monotonic()
        if now - self._window_start >= self.rate_interval_ms / 1000:
            self._window_start = now
            self._window_count = 0
        self._window_count += 1
        over = self._window_count > self.rate_max
        headers = {
            "X-HubSpot-RateLimit-Max": str(self.rate_max),
            "X-HubSpot-RateLimit-Remaining": str(max(0, self.rate_max - self._window_count)),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(self.rate_interval_ms),
        }
        return over, headers

    def handle(
        self, method: str, path: str, query: dict[str, str], body: Any, token: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            status, payload, headers = self._answer(method, path, query, body, token)
            self.calls.append(Call(method, path, query, body, token, status))
            return status, payload, headers

    def _answer(
        self, method: str, path: str, query: dict[str, str], body: Any, token: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        if token != self.token:
            return (
                401,
                error(
                    "Authentication credentials not found. This API supports OAuth 2.0 "
                    "authentication and you can find more details at "
                    "https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                    "INVALID_AUTHENTICATION",
                ),
                {},
            )
        over, headers = self._rate_headers()
        if self.scripted:
            scripted = self.scripted.pop(0)
            if scripted.retry_after is not None:
                headers["Retry-After"] = scripted.retry_after
            if scripted.status == 429:
                return 429, rate_limit_error(scripted.policy, scripted.message), headers
            category = scripted.category or (
                "INTERNAL_ERROR" if scripted.status >= 500 else "VALIDATION_ERROR"
            )
            message = scripted.message or "internal error"
            return scripted.status, error(message, category), headers
        if over:
            self.rate_limited += 1
            return 429, rate_limit_error("TEN_SECONDLY_ROLLING"), headers
        status, payload = self._route(method, path, query, body)
        return status, payload, headers

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if method == "POST" and path == "/crm/v3/properties/contacts/groups":
            return self._create_group(body)
        if method == "POST" and path == "/crm/v3/properties/contacts":
            return self._create_property(body)
        if method == "POST" and path == "/crm/v3/objects/contacts":
            return self._create_contact(body)
        if method == "POST" and path == "/crm/v3/objects/contacts/search":
            return self._search(body)
        if method == "POST" and path == "/crm/v3/objects/contacts/gdpr-delete":
            return self._gdpr_delete(body)
        prefix = "/crm/v3/objects/contacts/"
        if method in ("PATCH", "GET") and path.startswith(prefix):
            key = path[len(prefix) :]
            id_property = query.get("idProperty", "hs_object_id")
            return self._contact_by(method, key, id_property, body)
        return 404, error(f"Unable to route {method} request with path {path}", "OBJECT_NOT_FOUND")

    def _create_group(self, body: Any) -> tuple[int, Any]:
        name = body.get("name") if isinstance(body, dict) else None
        if not name or not body.get("label"):
            return 400, error("name and label are required", "VALIDATION_ERROR")
        if name in self.groups:
            return 409, error(f"A property group named '{name}' already exists.", "CONFLICT")
        self.groups[name] = {"name": name, "label": body["label"], "displayOrder": -1}
        return 201, self.groups[name]

    def _create_property(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            return 400, error("Invalid input JSON", "VALIDATION_ERROR")
        missing = [k for k in ("name", "label", "type", "fieldType", "groupName") if k not in body]
        if missing:
            return 400, error(f"missing {', '.join(missing)}", "VALIDATION_ERROR")
        name = body["name"]
        if body["groupName"] not in self.groups:
            message = f"property group {body['groupName']} does not exist"
            return 400, error(message, "VALIDATION_ERROR")
        compatible = {"string": {"text", "textarea"}, "number": {"number"}}
        if body["fieldType"] not in compatible.get(body["type"], set()):
            message = f"fieldType {body['fieldType']} cannot be {body['type']}"
            return 400, error(message, "VALIDATION_ERROR")
        if name in self.properties:
            return 409, error(f"Property named '{name}' already exists.", "OBJECT_ALREADY_EXISTS")
        self.properties[name] = {**body, "hubspotDefined": False}
        return 201, self.properties[name]

    def _invalid(self, properties: Any) -> tuple[int, Any] | None:
        if not isinstance(properties, dict):
            return 400, error("Invalid input JSON: properties", "VALIDATION_ERROR")
        problems = []
        for name, value in properties.items():
            spec = self.properties.get(name)
            if spec is None:
                problems.append(
                    (name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist')
                )
            elif not isinstance(value, str):
                problems.append((name, "INVALID_TYPE", f"{value!r} is not a string"))
            elif spec["type"] == "number" and not _is_number(value):
                problems.append((name, "INVALID_LONG", f"{value!r} is not a valid number"))
            elif spec["type"] == "enumeration" and value not in NUMEMPLOYEES_OPTIONS:
                problems.append(
                    (name, "INVALID_OPTION", f"{value} was not one of the allowed options")
                )
        if not problems:
            return None
        details = [
            {"isValid": False, "message": text, "error": code, "name": name}
            for name, code, text in problems
        ]
        payload = error(
            f"Property values were not valid: {json.dumps(details)}", "VALIDATION_ERROR"
        )
        return 400, payload

    def _create_contact(self, body: Any) -> tuple[int, Any]:
        properties = body.get("properties") if isinstance(body, dict) else None
        invalid = self._invalid(properties)
        if invalid is not None:
            return invalid
        assert isinstance(properties, dict)
        email = properties.get("email", "").lower()
        for contact_id, existing in self.contacts.items():
            if email and existing.get("email", "").lower() == email:
                return 409, error(f"Contact already exists. Existing ID: {contact_id}", "CONFLICT")
        contact_id = str(next(self._ids))
        self.contacts[contact_id] = dict(properties)
        return 201, _contact(contact_id, self.contacts[contact_id])

    def _search(self, body: Any) -> tuple[int, Any]:
        """Contacts matching every EQ filter of any filter group (what the connector uses)."""
        groups = body.get("filterGroups") if isinstance(body, dict) else None
        if not isinstance(groups, list) or not groups:
            return 400, error("filterGroups is required", "VALIDATION_ERROR")
        found = []
        for contact_id, properties in self.contacts.items():
            for group in groups:
                filters = group.get("filters", [])
                if filters and all(
                    f.get("operator") == "EQ"
                    and properties.get(f.get("propertyName")) == f.get("value")
                    for f in filters
                ):
                    found.append(_contact(contact_id, properties))
                    break
        return 200, {"total": len(found), "results": found[: body.get("limit", 10)]}

    def _gdpr_delete(self, body: Any) -> tuple[int, Any]:
        object_id = body.get("objectId") if isinstance(body, dict) else None
        if not object_id:
            return 400, error("objectId is required", "VALIDATION_ERROR")
        if body.get("idProperty") == "email":
            found = next(
                (cid for cid, c in self.contacts.items() if c.get("email") == object_id), None
            )
        else:
            found = object_id if object_id in self.contacts else None
        if found is None:
            return 404, error("resource not found", "OBJECT_NOT_FOUND")
        del self.contacts[found]
        self.gdpr_deleted.append(found)
        return 204, None

    def _contact_by(self, method: str, key: str, id_property: str, body: Any) -> tuple[int, Any]:
        if id_property == "email":
            emails = {c.get("email", "").lower(): cid for cid, c in self.contacts.items()}
            found = emails.get(key.lower())
        else:
            found = key if key in self.contacts else None
        if found is None:
            return 404, error("resource not found", "OBJECT_NOT_FOUND")
        if method == "GET":
            return 200, _contact(found, self.contacts[found])
        properties = body.get("properties") if isinstance(body, dict) else None
        invalid = self._invalid(properties)
        if invalid is not None:
            return invalid
        assert isinstance(properties, dict)
        self.contacts[found].update(properties)
        return 200, _contact(found, self.contacts[found])


def error(message: str, category: str) -> dict[str, Any]:
    """A HubSpot error body."""
    return {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
    }


def rate_limit_error(policy: str, message: str | None = None) -> dict[str, Any]:
    """HubSpot's 429 body."""
    payload = error(message or f"You have reached your {policy.lower()} limit.", "RATE_LIMITS")
    payload["errorType"] = "RATE_LIMIT"
    payload["policyName"] = policy
    return payload


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _contact(contact_id: str, properties: dict[str, str]) -> dict[str, Any]:
    return {
        "id": contact_id,
        "properties": {**properties, "hs_object_id": contact_id},
        "createdAt": NOW,
        "updatedAt": NOW,
        "archived": False,
    }


def build_app(fake: FakeHubSpot) -> FastAPI:
    app = FastAPI()

    @app.api_route("/{path:path}", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
    async def api(path: str, request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return JSONResponse(error("Invalid input JSON", "VALIDATION_ERROR"), status_code=400)
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else None
        status, payload, headers = fake.handle(
            request.method, "/" + path, dict(request.query_params), body, token
        )
        if status == 204:
            return Response(status_code=204, headers=headers)
        return JSONResponse(payload, status_code=status, headers=headers)

    return app


@contextlib.contextmanager
def running_fake_hubspot(**options: Any) -> Iterator[FakeHubSpot]:
    """A fake HubSpot served on a free port for the duration of the block."""
    fake = FakeHubSpot(**options)
    with ThreadedServer(build_app(fake)) as server:
        fake.url = server.url
        yield fake
