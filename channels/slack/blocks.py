"""Block Kit layouts. Pure functions: payloads in, JSON-ready dicts out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from agent.handoff import Field, HandoffPayload

CLAIM = "qualify_claim"
NOT_A_FIT = "qualify_not_a_fit"
OPEN_TRANSCRIPT = "qualify_open_transcript"
QUICK_REPLY = "qualify_quick_reply"
"""Prefix of the action ids of a question's quick-reply buttons (``qualify_quick_reply:0``)."""

MAX_BUTTON_TEXT = 75  # Slack's limit for a button's text
MAX_BUTTONS = 25  # and for the elements of one actions block

MAX_TEXT = 2900  # a section's text may hold 3000 characters


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
    score = f"*Score {payload.score}* · {payload.segment}"
    if payload.tags:
        score += " · " + ", ".join(payload.tags)
    if payload.breakdown:
        score += "\n" + "\n".join(f"• {line}" for line in payload.breakdown)
    blocks.append({"type": "section", "text": _text(score)})
    if payload.asked:
        asked = "*They asked:*\n" + "\n".join(f"• {question}" for question in payload.asked)
        blocks.append({"type": "section", "text": _text(asked)})
    if payload.assignee:
        assigned = f"Assigned to <@{payload.assignee}> (round robin)"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": assigned}]})
    buttons: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": CLAIM,
            "style": "primary",
            "text": {"type": "plain_text", "text": "Claim"},
            "value": payload.conversation_id,
        },
        {
            "type": "button",
            "action_id": NOT_A_FIT,
            "text": {"type": "plain_text", "text": "Not a fit"},
            "value": payload.conversation_id,
        },
    ]
    if payload.dashboard_url:
        buttons.append(
            {
                "type": "button",
                "action_id": OPEN_TRANSCRIPT,
                "text": {"type": "plain_text", "text": "Open transcript"},
                "url": payload.dashboard_url,
                "value": payload.conversation_id,
            }
        )
    blocks.append({"type": "actions", "block_id": "handoff_actions", "elements": buttons})
    return blocks


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
