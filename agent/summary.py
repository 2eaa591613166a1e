"""The short summary at the top of a handoff.

With a configured chat model, the summary comes from ``prompts/<version>/summary.md`` and the
transcript. The offline model (or a model that fails) gives a template summary written
from the profile alone, so it says nothing the prospect did not say.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agent.handoff import bant_fields, contact_fields, industry_words
from agent.language import language_name
from agent.models import FieldName, LeadProfile
from agent.prompts import BASE_LANGUAGE, PromptSet
from agent.store import Message
from agent.team_words import TeamWords, english

log = logging.getLogger(__name__)

MAX_TRANSCRIPT_MESSAGES = 30
MAX_REMEMBERED = 1000
"""Summaries a model wrote that are kept, the least recently used dropped first."""


SUMMARY_FIELDS: tuple[FieldName, ...] = ("budget", "authority", "need", "timeline")
"""The facts a summary says are still unknown (``summary.fields`` names them)."""


def short_money(amount: float) -> str:
    """$60k, $1.2M, $900: how a rep writes an amount."""
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:.1f}".removesuffix(".0") + "M"
    if amount >= 1_000:
        return f"${amount / 1_000:.0f}k"
    return f"${amount:,.0f}"


def _who(profile: LeadProfile, words: TeamWords) -> str:
    """ "Orbit Labs (SaaS, ~300 people)", "Jane Doe", or "A prospect"."""
    company = profile.company_name.value if profile.company_name else None
    details = []
    if profile.industry is not None and profile.industry.value != "other":
        details.append(industry_words(profile.industry.value, words))
    if profile.company_size is not None:
        details.append(words.text("summary.people", count=words.number(profile.company_size.value)))
    name = profile.contact_name.value if profile.contact_name else None
    who = company or name or words.text("summary.a_company" if details else "summary.a_prospect")
    if not details:
        return who
    return words.text("summary.who", who=who, details=", ".join(details))


def _role(profile: LeadProfile, words: TeamWords) -> str | None:
    if profile.authority is None:
        return None
    authority = profile.authority.value
    level = words.word("summary.levels", authority.level, "") or None
    if authority.role and level and authority.level != "decision_maker":
        return words.text("summary.role_level", role=authority.role, level=level)
    return authority.role or level


def _money(amount: float, words: TeamWords) -> str:
    return short_money(amount) if words.language == BASE_LANGUAGE else words.money(amount)


def _budget(profile: LeadProfile, words: TeamWords) -> str | None:
    if profile.budget is None:
        return None
    budget = profile.budget.value
    if budget.status == "known" and budget.annual_usd is not None:
        return words.text("summary.budget", amount=_money(budget.annual_usd, words))
    return words.word("summary.budget_status", budget.status, "") or None


def _wants(profile: LeadProfile, words: TeamWords) -> str | None:
    need = profile.need.value if profile.need is not None else None
    uses = ", ".join(words.need(use) for use in need.use_cases) if need is not None else ""
    timeline = profile.timeline.value if profile.timeline is not None else None
    timing = (
        words.text("summary.when", text=timeline.text, months=timeline.months)
        if timeline is not None
        else ""
    )
    if uses and timing:
        return words.text("summary.wants_timing", uses=uses, timing=timing)
    if uses:
        return words.text("summary.wants", uses=uses)
    return words.text("summary.timing", timing=timing) if timing else None


def _odd(profile: LeadProfile, words: TeamWords) -> list[str]:
    """What a rep should know before writing: a poor fit, changed answers, a disqualifier."""
    notes = []
    if profile.need is not None and profile.need.value.fit in ("none", "partial"):
        notes.append(words.word("summary.fits", profile.need.value.fit))
    named = {field: words.word("summary.fields", field) for field in SUMMARY_FIELDS}
    changed = sorted({named[old.field] for old in profile.history if old.field in named})
    if changed:
        notes.append(words.text("summary.changed", fields=changed))
    if profile.disqualifier is not None:
        notes.append(words.word("summary.disqualifiers", profile.disqualifier.value))
    return notes


def template_summary(
    profile: LeadProfile,
    reason: str | None,
    asked: Sequence[str] = (),
    words: TeamWords | None = None,
) -> str:
    """Two lines made only of recorded facts: who they are and what they want, then what
    they asked, what is odd and what is still unknown. ``reason`` (why the lead is handed
    over) is named only when it is not the facts themselves (a request for a person). In
    the team's ``words`` (English by default); the prospect's questions as they asked them."""
    words = words or english()
    # With a company, the person comes first among the facts; without one they lead.
    name = profile.contact_name.value if profile.contact_name and profile.company_name else None
    parts = (name, _role(profile, words), _budget(profile, words), _wants(profile, words))
    facts = [part for part in parts if part]
    who = _who(profile, words)
    first = words.text("summary.facts", who=who, facts=", ".join(facts)) if facts else who
    second: list[str] = []
    if reason == "requested_human":
        second.append(words.text("summary.requested_human"))
    if asked:
        second.append(words.text("summary.asked_about", questions="; ".join(asked)))
    second.extend(_odd(profile, words))
    unknown = [
        words.word("summary.fields", field)
        for field in SUMMARY_FIELDS
        if not profile.is_known(field)
    ]
    if unknown:
        second.append(words.text("summary.not_known", fields=unknown))
    if not second:
        return first + "."
    line = "; ".join(second)
    return f"{first}.\n{line[0].upper()}{line[1:]}."


class Summarizer:
    """Writes handoff summaries; ``model=None`` is the offline, template summary.

    A model's summary is kept for the facts it was written from: the live card is updated
    as the prospect writes, and the model is asked again only when the facts changed."""

    def __init__(
        self,
        prompts: PromptSet,
        company: str,
        model: BaseChatModel | None = None,
        *,
        remembered: int = MAX_REMEMBERED,
        reps_language: str = "en",
        translate_quotes: bool = True,
        words: TeamWords | None = None,
    ):
        self.prompts = prompts
        self.company = company
        self.model = model
        self.remembered = remembered
        self.reps_language = reps_language
        """The language the team reads; a model writes its summaries in it."""
        self.translate_quotes = translate_quotes
        """Whether a model adds a translation to quotes in another language."""
        self.words = words or english()
        """The team's words: the template summary (no model, or a failing one) is in them."""
        self._written: OrderedDict[str, str] = OrderedDict()

    async def summarize(
        self,
        profile: LeadProfile,
        messages: Sequence[Message],
        reason: str,
        asked: Sequence[str] = (),
        *,
        language: str | None = None,
    ) -> str:
        """The summary of a lead whose conversation is held in ``language`` (the reps'
        own when None)."""
        fallback = template_summary(profile, reason, asked, self.words)
        if self.model is None:
            return fallback
        said_in = language or self.reps_language
        key = json.dumps(
            [profile.model_dump(mode="json"), reason, list(asked), said_in], sort_keys=True
        )
        if key in self._written:
            self._written.move_to_end(key)
            return self._written[key]
        text = await self._write(self.model, profile, messages, reason, said_in)
        if not text:
            return fallback
        self._written[key] = text
        while len(self._written) > self.remembered:
            self._written.popitem(last=False)
        return text

    async def _write(
        self,
        model: BaseChatModel,
        profile: LeadProfile,
        messages: Sequence[Message],
        reason: str,
        language: str,
    ) -> str:
        """The model's summary; "" when it fails or says nothing."""
        facts = "\n".join(
            f"- {field.label}: {field.value}" + (f' ("{field.quote}")' if field.quote else "")
            for field in (*bant_fields(profile), *contact_fields(profile))
        )
        system = self.prompts.render(
            "summary.md",
            company=self.company,
            facts=facts,
            reason=english().reason(reason),
            reps_language=language_name(self.reps_language),
            conversation_language=language_name(language),
            translate_quotes=self.translate_quotes,
        )
        transcript = "\n".join(
            f"{message.role}: {message.text}"
            for message in list(messages)[-MAX_TRANSCRIPT_MESSAGES:]
            if message.role in ("prospect", "assistant", "rep")
        )
        try:
            response = await model.ainvoke(
                [SystemMessage(system), HumanMessage(f"Transcript:\n{transcript}")]
            )
        except Exception:
            log.exception("summary model call failed; using the template summary")
            return ""
        content = response.content
        return content.strip() if isinstance(content, str) else ""
