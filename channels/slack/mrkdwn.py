"""Slack mrkdwn as readable plain text, for a rep's message shown to a prospect.

Slack sends message text with its own markup: ``<https://x|label>`` links, ``<@U123>``
mentions, ``<#C123|sales>`` channels, ``<!here>`` specials, ``&amp; &lt; &gt;`` escapes and
``*bold* _italic_ ~strike~`` markers. :func:`to_plain` turns that into plain text plus the
spans of the text that are links, so a client can render the links with DOM APIs and never
has to interpret markup. Only http and https links become links; any other scheme
(``javascript:``, ``data:``, ``mailto:``...) keeps its label as plain text.

Offsets count Unicode code points (Python string indices; ``Array.from(text)`` in a browser).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_HREF = 2048
"""Longer link targets stay plain text."""

_TOKEN = re.compile(r"<([^<>\n]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_USER = re.compile(r"<@([UW][A-Z0-9]{1,20})(?:\|[^<>\n]*)?>")
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_SPECIALS = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}
# *bold*, _italic_, ~strike~: a marker pair around text on one line, not inside a word.
_EMPHASIS = [
    re.compile(rf"(?<![\w{m}]){m}(?=\S)([^{m}\n]+?)(?<=\S){m}(?![\w{m}])")
    for m in (r"\*", "_", "~")
]


@dataclass(frozen=True)
class Link:
    """``text[start:end]`` links to ``href`` (an http or https URL)."""

    start: int
    end: int
    href: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "href": self.href}


@dataclass(frozen=True)
class Plain:
    """Readable text and the spans of it that are links, in order, not overlapping."""

    text: str
    links: tuple[Link, ...] = ()

    def meta(self) -> dict[str, Any]:
        """What goes in a message's ``meta``: ``{"links": [...]}``, or nothing."""
        return {"links": [link.as_dict() for link in self.links]} if self.links else {}


def safe_href(url: str) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None."""
    if not url or len(url) > MAX_HREF or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def unescape(text: str) -> str:
    """Slack's three escapes undone in one pass (``&amp;lt;`` is ``&lt;``, not ``<``)."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def user_ids(text: str) -> list[str]:
    """The users ``text`` mentions (``<@U123>``), each once, in order."""
    return list(dict.fromkeys(m.group(1) for m in _USER.finditer(text)))


def named_mentions(text: str, names: Mapping[str, str]) -> str:
    """Slack text with each ``<@U123>`` replaced by ``@Name`` (escaped for mrkdwn), so
    posting it again does not ping anyone; everything else stays as it was."""

    def name(match: re.Match[str]) -> str:
        label = names.get(match.group(1)) or match.group(1)
        return "@" + label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    return _USER.sub(name, text)


def to_plain(text: str, names: Mapping[str, str] | None = None) -> Plain:
    """Slack mrkdwn as plain text and link spans. ``names`` maps user ids to the names
    mentions show as (``@Alex``); a user not in it shows as the label Slack sent, else the
    id."""
    names = names or {}
    source = text.replace("\x00", "")
    tokens: list[tuple[str, str | None]] = []  # (readable text, href or None)

    def token(match: re.Match[str]) -> str:
        tokens.append(_readable(match.group(1), names))
        return f"\x00{len(tokens) - 1}\x00"

    marked = _no_emphasis(_TOKEN.sub(token, source))

    out: list[str] = []
    links: list[Link] = []
    size = 0
    last = 0
    for match in _PLACEHOLDER.finditer(marked):
        before = unescape(marked[last : match.start()])
        out.append(before)
        size += len(before)
        label, href = tokens[int(match.group(1))]
        out.append(label)
        if href is not None and label:
            links.append(Link(size, size + len(label), href))
        size += len(label)
        last = match.end()
    out.append(unescape(marked[last:]))
    return Plain("".join(out), tuple(links))


def _no_emphasis(text: str) -> str:
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return text


def _readable(inner: str, names: Mapping[str, str]) -> tuple[str, str | None]:
    """One ``<...>`` token as (text shown, link target or None)."""
    target, _, label = inner.partition("|")
    label = unescape(_no_emphasis(label))
    if target.startswith("@"):
        user = target[1:]
        return "@" + (names.get(user) or label or user), None
    if target.startswith("#"):
        return "#" + (label or "channel"), None
    if target.startswith("!"):
        special = target[1:].split("^", 1)[0]
        if special in _SPECIALS:
            return _SPECIALS[special], None
        return label or ("@" + special if special else ""), None
    url = unescape(target)
    shown = label or url
    return shown, safe_href(url)
