"""The short summary at the top of a handoff.

With a configured chat model, the summary comes from ``prompts/<version>/summary.md`` and the
transcript. The offline model (or a model that fails) gives a template summary written
from the profile alone, so it says nothing the prospect did not say.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agent.handoff import REASONS, bant_fields, contact_fields
from agent.models import LeadProfile
from agent.prompts import PromptSet
from agent.store import Message

log = logging.getLogger(__name__)

MAX_TRANSCRIPT_MESSAGES = 30


def template_summary(profile: LeadProfile, reason: str | None) -> str:
    """A summary made only of recorded facts; ``reason`` is why it is handed over, if it is."""
    contact = {field.label: field.value for field in contact_fields(profile)}
    who = contact.get("Name", "The prospect")
    company = contact.get("Company")
    details = [
        f"{contact['Employees']} employees" if "Employees" in contact else None,
        contact.get("Industry"),
    ]
    described = ", ".join(d for d in details if d)
    if company:
        who += f" from {company}" + (f" ({described})" if described else "")
    elif described:
        who += f" ({described})"
    fields = {field.label: field.value for field in bant_fields(profile)}
    known = [f"{label.lower()}: {value}" for label, value in fields.items() if value != "unknown"]
    unknown = [label.lower() for label, value in fields.items() if value == "unknown"]
    sentences = [f"{who}." + (f" {REASONS.get(reason, reason)}." if reason else "")]
    if known:
        sentences.append("Known: " + "; ".join(known) + ".")
    if unknown:
        sentences.append("Still unknown: " + ", ".join(unknown) + ".")
    return " ".join(sentences)


class Summarizer:
    """Writes handoff summaries; ``model=None`` is the offline, template summary."""

    def __init__(self, prompts: PromptSet, company: str, model: BaseChatModel | None = None):
        self.prompts = prompts
        self.company = company
        self.model = model

    async def summarize(
        self, profile: LeadProfile, messages: Sequence[Message], reason: str
    ) -> str:
        fallback = template_summary(profile, reason)
        if self.model is None:
            return fallback
        facts = "\n".join(
            f"- {field.label}: {field.value}" + (f' ("{field.quote}")' if field.quote else "")
            for field in (*bant_fields(profile), *contact_fields(profile))
        )
        system = self.prompts.render(
            "summary.md",
            company=self.company,
            facts=facts,
            reason=REASONS.get(reason, reason),
        )
        transcript = "\n".join(
            f"{message.role}: {message.text}"
            for message in list(messages)[-MAX_TRANSCRIPT_MESSAGES:]
            if message.role in ("prospect", "assistant", "rep")
        )
        try:
            response = await self.model.ainvoke(
                [SystemMessage(system), HumanMessage(f"Transcript:\n{transcript}")]
            )
        except Exception:
            log.exception("summary model call failed; using the template summary")
            return fallback
        content = response.content
        text = content if isinstance(content, str) else ""
        return text.strip() or fallback
