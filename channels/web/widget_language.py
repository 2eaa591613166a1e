"""The widget's language: the hints it sends (``data-lang``, the browser's languages, the
page's ``lang``) checked and turned into :class:`LanguagePriors`, and the widget's texts
(``widget.yaml``) in each language the playbook serves.

A hint that is not a language tag is dropped with its reason, never refused: the chat
starts in the next hint's language, or the playbook's own.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from agent.config import Settings
from agent.language import LanguagePriors, primary_subtag
from agent.playbook import Playbook
from agent.prompts import PromptSet
from agent.transcript_email import widget_texts

MAX_TAG_CHARS = 35
"""Longer than any language tag a browser sends (BCP 47 advises supporting 35)."""
MAX_BROWSER_TAGS = 10
"""How many of the browser's languages are read (``navigator.languages`` is short)."""
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
KEPT_VARIABLES = ("title", "seconds")
"""Variables of ``widget.yaml`` the widget fills in itself (``data-title`` can override
the title); every other variable is filled in by the server."""


class LanguageHints(BaseModel):
    """What the widget knows about the prospect's language before they say anything."""

    forced: str | None = Field(
        default=None, description="The widget's data-lang: the admin's choice."
    )
    browser: str | None = Field(
        default=None,
        description="The browser's languages (navigator.languages), comma-separated, "
        "preferred first; the first ten are read.",
    )
    page: str | None = Field(default=None, description="The page's <html lang>.")


def _tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not a language tag, or None when it is one."""
    if len(tag) > MAX_TAG_CHARS:
        return f"longer than {MAX_TAG_CHARS} characters"
    if not _TAG.fullmatch(tag):
        return "not a language tag (like de or pt-BR)"
    return None


def _browser_tag(value: str, served: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The browser's first language the playbook serves (else its first valid one), and
    why the hint was dropped when none is valid."""
    tags = [tag.strip() for tag in value.split(",") if tag.strip()][:MAX_BROWSER_TAGS]
    valid = [tag for tag in tags if _tag_problem(tag) is None]
    if not valid:
        return None, _tag_problem(tags[0]) if tags else "empty"
    return next((tag for tag in valid if primary_subtag(tag) in served), valid[0]), None


def parse_hints(
    hints: LanguageHints | None, served: tuple[str, ...]
) -> tuple[LanguagePriors, list[str]]:
    """The priors the hints give, and each dropped hint as ``language.page: why``."""
    if hints is None:
        return LanguagePriors(), []
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for name in ("forced", "page"):
        value = (getattr(hints, name) or "").strip()
        if not value:
            continue
        problem = _tag_problem(value)
        if problem is None:
            kept[name] = value
        else:
            dropped.append(f"language.{name}: {problem}")
    if hints.browser and hints.browser.strip():
        tag, problem = _browser_tag(hints.browser, served)
        if tag is not None:
            kept["browser"] = tag
        else:
            dropped.append(f"language.browser: {problem}")
    return LanguagePriors(**kept), dropped


def widget_catalogue(
    prompts: PromptSet, playbook: Playbook, settings: Settings, language: str
) -> dict[str, Any]:
    """The widget's texts in ``language``: ``{{ title }}`` and ``{{ seconds }}`` left for
    the widget; the privacy notice as the team configured it, when they did."""
    keep = {name: "{{ " + name + " }}" for name in KEPT_VARIABLES}
    response_time = playbook.response_time(language)
    texts: dict[str, Any] = {
        key: prompts.render_string(str(template), response_time=response_time, **keep)
        for key, template in prompts.catalogue("widget.yaml", language).items()
    }
    if not response_time:
        texts["handoff_email_note_when"] = texts["handoff_email_note"]
    if settings.privacy_text != Settings.model_fields["privacy_text"].default:
        texts["privacy_text"] = settings.privacy_text
    if settings.smtp_url:
        texts["mail"] = widget_texts(prompts, language)
    return texts
