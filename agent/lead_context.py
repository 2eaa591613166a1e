"""Where a chat started and who started it: the page, the referrer, UTM parameters, the
prospect's time zone and whether they had been on the site before.

The widget sends this when it starts a conversation (and the page again when the prospect
moves to another page of the site while the chat goes on). Each field is checked on its
own: a bad one (too long, not an http(s) URL, an unknown time zone, an unknown key) is
dropped with a reason and the rest is kept, so bad context never costs a conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from agent.team_words import TeamWords, english

MAX_URL = 2048
MAX_UTM = 200
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


def _http_url(value: str) -> str:
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("must be a URL without spaces or control characters")
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValueError("must be a URL") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL")
    return value


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("must be an IANA time zone such as Europe/Berlin") from exc
    return value


def _utm(value: dict[str, str]) -> dict[str, str]:
    """The five standard parameters, in their usual order; other keys are not kept."""
    return {key: value[key] for key in UTM_KEYS if value.get(key)}


HttpUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_URL), AfterValidator(_http_url)
]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
UtmValue = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_UTM)]


class LeadContext(BaseModel):
    """Where the chat started. Every field is optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    page_url: HttpUrl | None = Field(default=None, description="The page the chat started on.")
    referrer: HttpUrl | None = Field(
        default=None, description="The page that led the prospect to it (document.referrer)."
    )
    utm: Annotated[dict[str, UtmValue], AfterValidator(_utm)] = Field(
        default_factory=dict,
        description="utm_source, utm_medium, utm_campaign, utm_term, utm_content of the page URL.",
    )
    time_zone: TimeZone | None = Field(
        default=None, description="The prospect's IANA time zone, e.g. Europe/Berlin."
    )
    returning: bool | None = Field(
        default=None, description="The browser had been on the site before this visit."
    )
    current_page: HttpUrl | None = Field(
        default=None, description="The page the prospect was last on, when they moved on."
    )


def parse_context(raw: Mapping[str, Any] | None) -> tuple[LeadContext, list[str]]:
    """The valid fields of ``raw`` as a context, and a line for each field dropped."""
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in (raw or {}).items():
        if key not in LeadContext.model_fields:
            dropped.append(f"{str(key)[:40]}: not a context field")
            continue
        try:
            LeadContext.model_validate({key: value})
        except PydanticValidationError as exc:
            reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
            dropped.append(f"{key}: {reason}")
            continue
        kept[key] = value
    return LeadContext.model_validate(kept), dropped


def local_time(context: LeadContext | None, now: datetime) -> datetime | None:
    """``now`` in the prospect's time zone (None without one)."""
    if context is None or context.time_zone is None:
        return None
    return now.astimezone(ZoneInfo(context.time_zone))


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def context_lines(
    context: LeadContext | None, now: datetime, words: TeamWords | None = None
) -> list[str]:
    """Short lines about where the chat started, for people: e.g.
    ``Started on https://example.com/pricing (from google.com, utm_campaign=spring)``,
    ``Now on https://example.com/docs``, ``Local time 14:05 Europe/Berlin``,
    ``Returning visitor`` or ``First visit``; in the team's ``words`` (English by default).
    ``now`` must be timezone-aware."""
    if context is None:
        return []
    words = words or english()
    lines: list[str] = []
    origin = [words.text("context.from", host=_host(context.referrer))] if context.referrer else []
    origin += [f"{key}={value}" for key, value in context.utm.items()]
    if context.page_url or origin:
        start = (
            words.text("context.started_on", page=context.page_url)
            if context.page_url
            else words.text("context.started")
        )
        if origin:
            start = words.text("context.origin", start=start, origin=", ".join(origin))
        lines.append(start)
    if context.current_page and context.current_page != context.page_url:
        lines.append(words.text("context.now_on", page=context.current_page))
    there = local_time(context, now)
    if there is not None:
        lines.append(
            words.text("context.local_time", time=f"{there:%H:%M}", zone=context.time_zone)
        )
    if context.returning is not None:
        visit = "context.returning" if context.returning else "context.first_visit"
        lines.append(words.text(visit))
    return lines
