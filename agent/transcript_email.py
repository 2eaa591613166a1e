"""The email a prospect gets when they ask for their chat's transcript.

It holds what the prospect saw in the chat and nothing else: their own messages, the
assistant's and a rep's, each with its time in the prospect's time zone (UTC when the widget
did not tell us one). Scores, segments, tags, notes and extracted fields never go in it.
Every fixed text comes from ``messages.yaml``; the HTML part escapes every message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as format_local
from markupsafe import Markup

from agent.prompts import BASE_LANGUAGE, PromptSet
from agent.store import Conversation, Message

WIDGET_TEXTS = (
    "transcript_button",
    "transcript_address_label",
    "transcript_send",
    "transcript_cancel",
    "transcript_sending",
    "transcript_invalid",
    "transcript_unreachable",
)
"""The fixed texts the widget shows for the feature."""

SHOWN_ROLES = ("prospect", "assistant", "rep")
"""The messages that go in a transcript (notices such as "Alex joined" are left out)."""


@dataclass(frozen=True)
class Line:
    """One message of the transcript: who, when (as shown) and what."""

    who: str
    role: str
    when: str
    text: str


@dataclass(frozen=True)
class Sender:
    """The From and Reply-To of the email, from settings."""

    address: str
    reply_to: str | None = None


def widget_texts(prompts: PromptSet, language: str | None = None) -> dict[str, str]:
    """The widget's texts for "Email me this transcript" in ``language``, keyed without
    ``transcript_``."""
    return {
        key.removeprefix("transcript_"): prompts.message(key, language=language)
        for key in WIDGET_TEXTS
    }


def time_zone_of(conversation: Conversation) -> str:
    context = conversation.context
    return context.time_zone if context is not None and context.time_zone else "UTC"


def _when(at: datetime, zone: ZoneInfo, language: str | None = None) -> str:
    """``24 Nov 2026, 10:00`` as ``language`` writes it (English when None)."""
    local = at.astimezone(zone)
    return str(format_local(local, "d MMM y, HH:mm", locale=language or BASE_LANGUAGE))


def transcript_lines(
    messages: Sequence[Message],
    time_zone: str,
    prompts: PromptSet,
    company: str,
    language: str | None = None,
) -> list[Line]:
    """The messages the prospect saw, oldest first, labelled as in the chat, in
    ``language`` (the conversation's)."""
    zone = ZoneInfo(time_zone)
    you = prompts.message("transcript_you", language=language)
    assistant = prompts.message("transcript_assistant", language=language, company=company)
    lines = []
    for message in messages:
        if message.role not in SHOWN_ROLES:
            continue
        if message.role == "prospect":
            who = you
        elif message.role == "rep":
            name = message.author or "Sales"
            who = prompts.message("transcript_rep", language=language, name=name, company=company)
        else:
            who = assistant
        when = _when(message.created_at, zone, language)
        lines.append(Line(who, message.role, when, message.text))
    return lines


def plain_text(intro: str, lines: Sequence[Line], outro: str) -> str:
    body = [intro, ""]
    for line in lines:
        body += [f"{line.who} · {line.when}", line.text, ""]
    body.append(outro)
    return "\n".join(body) + "\n"


LINE_HTML = Markup(
    '<tr><td style="padding:8px 0;border-top:1px solid #e5e7eb">'
    '<div style="font-size:12px;color:#6b7280"><strong style="color:#111827">{who}</strong>'
    " · {when}</div>"
    '<div style="white-space:pre-wrap;margin-top:2px">{text}</div></td></tr>'
)


def html(title: str, intro: str, lines: Sequence[Line], outro: str) -> str:
    rows = Markup("").join(
        LINE_HTML.format(who=line.who, when=line.when, text=line.text) for line in lines
    )
    page = Markup(
        '<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body style="font-family:Arial,sans-serif;font-size:14px;color:#1f2937">'
        "<p>{intro}</p>"
        '<table role="presentation" style="border-collapse:collapse;width:100%;max-width:640px">'
        "{rows}</table>"
        '<p style="font-size:12px;color:#6b7280">{outro}</p></body></html>'
    ).format(title=title, intro=intro, rows=rows, outro=outro)
    return str(page)


def transcript_email(
    *,
    conversation: Conversation,
    messages: Sequence[Message],
    recipient: str,
    sender: Sender,
    prompts: PromptSet,
    company: str,
    now: datetime,
) -> EmailMessage:
    """The transcript as an email with a plain-text and an HTML part, in the conversation's
    language."""
    zone = time_zone_of(conversation)
    language = conversation.language
    lines = transcript_lines(messages, zone, prompts, company, language)
    subject = prompts.message("transcript_subject", language=language, company=company)
    intro = prompts.message("transcript_intro", language=language, company=company, time_zone=zone)
    outro = prompts.message("transcript_outro", language=language, company=company)
    email = EmailMessage()
    email["Subject"] = subject
    email["From"] = sender.address
    email["To"] = recipient
    if sender.reply_to:
        email["Reply-To"] = sender.reply_to
    email["Date"] = format_datetime(now)
    email["Message-ID"] = make_msgid(domain=sender.address.rpartition("@")[2].strip("> "))
    email.set_content(plain_text(intro, lines, outro))
    email.add_alternative(html(subject, intro, lines, outro), subtype="html")
    return email
