"""Apply ``update_lead`` tool calls to a lead profile.

The model's arguments are validated group by group and normalised here (money to annual
USD, relative dates to months, headcounts to integers, emails checked). A group that fails
becomes a :class:`ToolProblem`: the engine sends those back to the model once as the tool
result, and the other groups are applied regardless. Nothing here raises on bad arguments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from agent.models import (
    Authority,
    Budget,
    Evidence,
    Fact,
    LeadProfile,
    Need,
    NeedFit,
    Superseded,
    Timeline,
)
from agent.normalize import (
    normalize_currency,
    normalize_email,
    normalize_period,
    parse_amount,
    parse_headcount,
    timeline_months,
    to_annual_usd,
)
from agent.playbook import BudgetChoice, Choice, Playbook, TimelineChoice
from agent.tools import (
    GROUP_MODELS,
    TOOL_NAME,
    AuthorityUpdate,
    BudgetUpdate,
    CompanyUpdate,
    ContactUpdate,
    DisqualifierUpdate,
    HumanRequest,
    NeedUpdate,
    TimelineUpdate,
)

T = TypeVar("T")
G = TypeVar("G", bound=BaseModel)


@dataclass(frozen=True)
class SourceMessage:
    """The prospect message a tool call is about."""

    id: str
    text: str
    at: datetime


@dataclass(frozen=True)
class ToolProblem:
    """Something wrong with the model's arguments, worded for the model to fix."""

    group: str
    message: str

    def __str__(self) -> str:
        return f"{self.group}: {self.message}"


@dataclass
class Extraction:
    profile: LeadProfile
    updated: list[str] = field(default_factory=list)
    problems: list[ToolProblem] = field(default_factory=list)


class _Invalid(ValueError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


_SPACES = re.compile(r"\s+")
_FACT_TYPES: dict[str, type[Fact[Any]]] = {
    name: get_args(info.annotation)[0]
    for name, info in LeadProfile.model_fields.items()
    if name != "history"
}


def _evidence(quote: str, message: SourceMessage) -> Evidence:
    """The quote if it really is in the message; otherwise the message itself."""
    wanted = _SPACES.sub(" ", quote).strip().strip("\"'")
    haystack = _SPACES.sub(" ", message.text)
    if wanted:
        start = haystack.lower().find(wanted.lower())
        if start >= 0:
            return Evidence(
                message_id=message.id, quote=haystack[start : start + len(wanted)], at=message.at
            )
    return Evidence(message_id=message.id, quote=haystack.strip()[:300], at=message.at)


def _replace(
    profile: LeadProfile, name: str, value: Any, evidence: Evidence
) -> tuple[LeadProfile, bool]:
    old: Fact[Any] | None = getattr(profile, name)
    if old is not None and old.value == value:
        return profile, False
    history = profile.history
    if old is not None:
        dumped = (
            old.value.model_dump(mode="json") if isinstance(old.value, BaseModel) else old.value
        )
        history = (
            *history,
            Superseded(
                field=name, value=dumped, evidence=old.evidence, replaced_by=evidence.message_id
            ),
        )
    fact = _FACT_TYPES[name](value=value, evidence=evidence)
    return profile.model_copy(update={name: fact, "history": history}), True


def _amounts_kept(args: BudgetUpdate, profile: LeadProfile) -> BudgetUpdate | None:
    """A correction of the period or currency alone ("that's per quarter, not per year",
    "in euros, sorry") applies to the amount already known; with no amount known there is
    nothing to correct (None)."""
    alone = args.status == "known" and args.amount_min is None and args.amount_max is None
    if not alone or (args.period is None and args.currency is None):
        return args
    old = profile.budget.value if profile.budget is not None else None
    if old is None or old.status != "known":
        return None
    return args.model_copy(
        update={
            "amount_min": old.amount_min,
            "amount_max": old.amount_max,
            "currency": args.currency or old.currency,
            "period": args.period or old.period,
        }
    )


def _budget(args: BudgetUpdate, playbook: Playbook) -> Budget:
    if args.status != "known":
        return Budget(status=args.status)
    if args.amount_min is None and args.amount_max is None:
        raise _Invalid("amount_min", "status is 'known' but no amount was given")
    try:
        low = parse_amount(args.amount_min) if args.amount_min is not None else None
        high = parse_amount(args.amount_max) if args.amount_max is not None else None
    except ValueError as exc:
        raise _Invalid("amount_min", str(exc)) from exc
    if low is None:
        low, high = high, None
    assert low is not None
    if high is not None and high < low:
        low, high = high, low
    currency = "USD" if args.currency is None else normalize_currency(args.currency)
    if currency is None or currency not in playbook.fx:
        known = ", ".join(sorted(playbook.fx))
        raise _Invalid("currency", f"unknown currency {args.currency!r}; use one of {known}")
    period = "annual" if args.period is None else normalize_period(args.period)
    if period is None:
        raise _Invalid(
            "period",
            f"unknown period {args.period!r}; use one_time, weekly, monthly, quarterly, "
            "semiannual or annual",
        )
    annual = to_annual_usd(low, high, currency, period, playbook.fx)
    return Budget(
        status="known",
        amount_min=low,
        amount_max=high,
        currency=currency,
        period=period,
        annual_usd=annual,
    )


def _combine_fit(old: NeedFit, new: NeedFit) -> NeedFit:
    if old == "unknown" or old == new:
        return new
    if new == "unknown":
        return old
    return "partial"


def _need(args: NeedUpdate, previous: Need | None, playbook: Playbook) -> Need:
    cases = [case.strip() for case in args.use_cases if case.strip()]
    if previous is None:
        return Need(use_cases=tuple(dict.fromkeys(cases)), fit=args.fit)
    dropped = {case.strip().lower() for case in args.dropped}
    kept = [case for case in previous.use_cases if case.lower() not in dropped]
    seen = {case.lower() for case in kept}
    merged = kept + [case for case in cases if case.lower() not in seen]
    if len(kept) == len(previous.use_cases):
        return Need(use_cases=tuple(merged), fit=_combine_fit(previous.fit, args.fit))
    # Something was taken back: the fit is what is left ("forget the social posting part,
    # just the app analytics" is a strong fit).
    return Need(use_cases=tuple(merged), fit=_fit_of(merged, playbook) or args.fit)


def _fit_of(cases: list[str], playbook: Playbook) -> NeedFit | None:
    """The fit of use cases that are all the playbook's needs; None when one is not."""
    served = {item.name.lower() for item in playbook.need.in_scope}
    other = {item.name.lower() for item in playbook.need.out_of_scope}
    in_scope = [case.lower() in served for case in cases if case.lower() in served | other]
    if not cases or len(in_scope) < len(cases):
        return None
    if all(in_scope):
        return "strong"
    return "partial" if any(in_scope) else "none"


def _timeline(args: TimelineUpdate, today: date) -> Timeline:
    if args.months is not None:
        if not 0 <= args.months <= 240:
            raise _Invalid("months", f"months must be between 0 and 240, got {args.months}")
        return Timeline(text=args.text, months=args.months)
    try:
        months = timeline_months(args.text, today)
    except ValueError as exc:
        raise _Invalid("text", f"{exc}; give months as a whole number") from exc
    return Timeline(text=args.text, months=months)


def _validate(model: type[G], raw: Any) -> G:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise _Invalid(where, first["msg"]) from exc


def apply_update(
    profile: LeadProfile,
    args: Mapping[str, Any] | Any,
    *,
    message: SourceMessage,
    today: date,
    playbook: Playbook,
) -> Extraction:
    """Apply one ``update_lead`` call's arguments to ``profile``."""
    result = Extraction(profile=profile)
    if not isinstance(args, Mapping):
        result.problems.append(ToolProblem(TOOL_NAME, "arguments must be a JSON object"))
        return result
    for group, raw in args.items():
        if group not in GROUP_MODELS:
            known = ", ".join(GROUP_MODELS)
            result.problems.append(ToolProblem(group, f"unknown field group; use one of {known}"))
            continue
        if raw is None:
            continue
        try:
            changed = _apply_group(result, group, raw, message, today, playbook)
        except _Invalid as exc:
            result.problems.append(ToolProblem(f"{group}.{exc.where}", str(exc)))
            continue
        if changed:
            result.updated.append(group)
    return result


def _apply_group(
    result: Extraction,
    group: str,
    raw: Any,
    message: SourceMessage,
    today: date,
    playbook: Playbook,
) -> bool:
    profile = result.profile
    changes: list[tuple[str, Any]] = []
    quote = ""
    if group == "budget":
        budget_args = _amounts_kept(_validate(BudgetUpdate, raw), profile)
        if budget_args is None:
            return False  # "that's per quarter" with no amount known yet
        quote = budget_args.quote
        changes.append(("budget", _budget(budget_args, playbook)))
    elif group == "authority":
        authority_args = _validate(AuthorityUpdate, raw)
        quote = authority_args.quote
        if not authority_args.settled and _authority_settled(profile):
            return False  # a guess never replaces what the prospect said
        role = authority_args.role.strip() if authority_args.role else None
        authority = Authority(
            role=role or None, level=authority_args.level, settled=authority_args.settled
        )
        changes.append(("authority", authority))
    elif group == "need":
        need_args = _validate(NeedUpdate, raw)
        quote = need_args.quote
        previous = profile.need.value if profile.need is not None else None
        changes.append(("need", _need(need_args, previous, playbook)))
    elif group == "timeline":
        timeline_args = _validate(TimelineUpdate, raw)
        quote = timeline_args.quote
        changes.append(("timeline", _timeline(timeline_args, today)))
    elif group == "company":
        company_args = _validate(CompanyUpdate, raw)
        quote = company_args.quote
        if company_args.size is not None:
            try:
                changes.append(("company_size", parse_headcount(company_args.size)))
            except ValueError as exc:
                raise _Invalid("size", str(exc)) from exc
        if company_args.industry is not None:
            changes.append(("industry", company_args.industry))
        if company_args.name and company_args.name.strip():
            changes.append(("company_name", company_args.name.strip()))
    elif group == "contact":
        contact_args = _validate(ContactUpdate, raw)
        quote = contact_args.quote
        if contact_args.email is not None:
            try:
                changes.append(("email", normalize_email(contact_args.email)))
            except ValueError as exc:
                raise _Invalid("email", str(exc)) from exc
        if contact_args.name and contact_args.name.strip():
            changes.append(("contact_name", contact_args.name.strip()))
    elif group == "disqualifier":
        disqualifier_args = _validate(DisqualifierUpdate, raw)
        quote = disqualifier_args.quote
        changes.append(("disqualifier", disqualifier_args.kind))
    else:
        human_args = _validate(HumanRequest, raw)
        quote = human_args.quote
        changes.append(("requested_human", human_args.requested))
    evidence = _evidence(quote, message)
    changed = False
    for name, value in changes:
        profile, did = _replace(profile, name, value, evidence)
        changed = changed or did
    result.profile = profile
    return changed


def _authority_settled(profile: LeadProfile) -> bool:
    return profile.authority is not None and profile.authority.value.settled


def apply_choice(
    profile: LeadProfile, choice: Choice, *, message: SourceMessage, playbook: Playbook
) -> LeadProfile:
    """Record the value of a picked quick reply, exactly as the playbook gives it, with the
    chip's label as the prospect's words. A chip without a value changes nothing."""
    value = choice.chip.value
    evidence = _evidence(choice.chip.label, message)
    if isinstance(value, BudgetChoice):
        profile, _ = _replace(profile, "budget", _budget(value, playbook), evidence)
    elif isinstance(value, TimelineChoice):
        timeline = Timeline(text=evidence.quote, months=value.months)
        profile, _ = _replace(profile, "timeline", timeline, evidence)
    return profile
