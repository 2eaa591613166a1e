"""Block Kit layouts. Pure functions: payloads in, JSON-ready dicts out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from agent.handoff import Field, HandoffPayload
from agent.takeover import dashboard_name
from agent.team_words import TeamWords, english

CLAIM = "qualify_claim"
NOT_A_FIT = "qualify_not_a_fit"
OPEN_TRANSCRIPT = "qualify_open_transcript"
RELEASE = "qualify_release"
REASSIGN = "qualify_reassign"
QUICK_REPLY = "qualify_quick_reply"
"""Prefix of the action ids of a question's quick-reply buttons (``qualify_quick_reply:0``)."""

MAX_BUTTON_TEXT = 75  # Slack's limit for a button's text
MAX_BUTTONS = 25  # and for the elements of one actions block

MAX_TEXT = 2900  # a section's text may hold 3000 characters
MAX_CONTEXT_ELEMENTS = 10  # and a context block up to 10 elements


def _text(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": escape(text)[:MAX_TEXT]}


def escape(text: str) -> str:
    """Text as Slack shows it literally: its three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _field(field: Field) -> str:
    line = f"*{field.label}:* {escape(field.value)}"
    if field.quote:
        line += f'\n> "{escape(field.quote)}"'
    return line[:1990]


def handoff_blocks(payload: HandoffPayload) -> list[dict[str, Any]]:
    """The handoff message: summary, BANT with quotes, score, segment, questions, buttons."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": payload.title[:150]}},
        {"type": "section", "text": _text(payload.summary)},
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": _field(f)} for f in payload.bant],
        },
    ]
    if payload.contact:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": escape(f"*{f.label}:* {f.value}")[:1990]}
                    for f in payload.contact
                ],
            }
        )
    words = payload.words
    score = f"*{words.text('card.score', score=payload.score)}* · {payload.segment}"
    if payload.tags:
        score += " · " + ", ".join(payload.tags)
    if payload.breakdown:
        score += "\n" + "\n".join(f"• {line}" for line in payload.breakdown)
    blocks.append({"type": "section", "text": _text(score)})
    if payload.asked:
        questions = "\n".join(f"• {question}" for question in payload.asked)
        asked = f"*{words.text('card.asked')}:*\n{questions}"
        blocks.append({"type": "section", "text": _text(asked)})
    blocks.append({"type": "context", "elements": [_mrkdwn(line) for line in _status(payload)]})
    blocks.append({"type": "actions", "block_id": "handoff_actions", "elements": _buttons(payload)})
    return blocks


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text[:MAX_TEXT]}


def slack_time(when: datetime, template: str) -> str:
    """A time Slack shows in each reader's own time zone and keeps current ("{ago}")."""
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{template}|{fallback}>"


def rep_mention(user: str, words: TeamWords | None = None) -> str:
    """A rep as Slack shows them: a mention, or the name of a rep on the dashboard inbox."""
    name = dashboard_name(user)
    if name is None:
        return f"<@{user}>"
    return (words or english()).text("card.on_dashboard", name=escape(name))


def _status(payload: HandoffPayload) -> list[str]:
    """Who has the lead, whether the prospect is there, where the chat started."""
    words = payload.words
    lines: list[str] = []
    if payload.verdict is not None:
        marked = words.text("card.marked_not_a_fit")
        if payload.verdict_by:
            marked += " " + words.text("card.marked_by", rep=f"<@{payload.verdict_by}>")
        lines.append(f":no_entry: {marked}: {escape(payload.verdict)}")
    elif payload.claimed_by:
        claimed = words.text("card.claimed_by", rep=rep_mention(payload.claimed_by, words))
        live = " " + words.text("card.talking") if payload.takeover else ""
        lines.append(f":raising_hand: {claimed}{live}")
    elif payload.withdrawn:
        lines.append(words.text("card.withdrawn"))
    elif payload.assignee:
        lines.append(words.text("card.assigned", rep=f"<@{payload.assignee}>"))
    else:
        lines.append(words.text("card.not_claimed"))
    if payload.online:
        presence = ":large_green_circle: " + words.text("card.online")
    else:
        presence = ":white_circle: " + words.text("card.away")
    if payload.last_seen_at is not None and not payload.online:
        ago = slack_time(payload.last_seen_at, "{ago}")
        presence += ", " + words.text("card.last_seen", ago=ago)
    if payload.last_wrote_at is not None:
        ago = slack_time(payload.last_wrote_at, "{ago}")
        presence += " · " + words.text("card.last_wrote", ago=ago)
    lines.append(presence)
    lines.extend(escape(line) for line in payload.context)
    return lines[:MAX_CONTEXT_ELEMENTS]


def _button(action: str, text: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action,
        "text": {"type": "plain_text", "text": text},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _buttons(payload: HandoffPayload) -> list[dict[str, Any]]:
    """Claim and Not a fit while nobody has the lead; Release once someone does; Reassign
    and Open transcript always."""
    lead = payload.conversation_id
    words = payload.words
    buttons: list[dict[str, Any]] = []
    if payload.claimed_by:
        buttons.append(_button(RELEASE, words.text("card.release"), lead))
    elif payload.verdict is None and not payload.withdrawn:
        buttons.append(_button(CLAIM, words.text("card.claim"), lead, "primary"))
    if payload.verdict is None:
        buttons.append(_button(NOT_A_FIT, words.text("card.not_a_fit"), lead))
    buttons.append(
        {
            "type": "users_select",
            "action_id": REASSIGN,
            "placeholder": {"type": "plain_text", "text": words.text("card.reassign")},
        }
    )
    if payload.dashboard_url:
        buttons.append(_button(OPEN_TRANSCRIPT, words.text("card.open_transcript"), lead))
    return buttons


def question_blocks(
    reply: str, conversation_id: str, field: str, labels: Sequence[str]
) -> list[dict[str, Any]]:
    """A reply that asks a question with quick replies: the text, then one button per
    chip. A button's value names the conversation, the question's field and the chip."""
    buttons = [
        {
            "type": "button",
            "action_id": f"{QUICK_REPLY}:{index}",
            "text": {"type": "plain_text", "text": _button_text(label)},
            "value": json.dumps({"conversation": conversation_id, "field": field, "index": index}),
        }
        for index, label in enumerate(labels[:MAX_BUTTONS])
    ]
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": reply[:MAX_TEXT]}},
        {"type": "actions", "block_id": "quick_replies", "elements": buttons},
    ]


def answered_blocks(reply: str, user: str | None, label: str) -> list[dict[str, Any]]:
    """The question once a button was pressed: the buttons give way to the choice."""
    who = f"<@{user}>" if user else "Picked"
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": reply[:MAX_TEXT]}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"{who}: *{escape(label)}*"}],
        },
    ]


def _button_text(label: str) -> str:
    if len(label) <= MAX_BUTTON_TEXT:
        return label
    return label[: MAX_BUTTON_TEXT - 1] + "…"
