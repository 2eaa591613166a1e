"""Lead facts and codes as words people read: on the dashboard and in the CSV export.

The words are the ``dashboard`` texts of the reps' catalogue (``prompts/v1/reps.yaml``) in
the team's language (:class:`agent.team_words.TeamWords`), English when none is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from agent.models import Authority, Budget, Need, Timeline
from agent.playbook import Band
from agent.team_words import TeamWords, english


def words(code: str | None) -> str:
    """A code as words: ``hot_lead`` → "Hot lead", ``nurture:product-proof`` →
    "Nurture: product proof"."""
    if not code:
        return "—"
    head, _, rest = code.partition(":")
    text = head.replace("_", " ").replace("-", " ").strip()
    if rest:
        text += ": " + rest.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def money(amount: float, currency: str | None = "USD", team: TeamWords | None = None) -> str:
    return (team or english()).money(amount, currency)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def budget_text(budget: Budget, team: TeamWords | None = None) -> str:
    """``$50,000 a year`` (annual US dollars), or what is known about the budget."""
    team = team or english()
    if budget.status != "known":
        return team.word("dashboard.budget_status", budget.status, words(budget.status))
    if budget.annual_usd is not None:
        return team.text("dashboard.budget_yearly", amount=team.money(budget.annual_usd))
    return budget_said(budget, team) or team.text("dashboard.amount_not_said")


def budget_said(budget: Budget, team: TeamWords | None = None) -> str:
    """The budget as the prospect put it: amount or range, currency and period."""
    team = team or english()
    if budget.amount_min is None and budget.amount_max is None:
        return ""
    low, high = budget.amount_min, budget.amount_max
    if low is not None and high is not None and low != high:
        amount = f"{team.money(low, budget.currency)}–{team.money(high, budget.currency)}"
    else:
        value = low if low is not None else high
        amount = team.money(value or 0, budget.currency)
    period = team.word("dashboard.periods", budget.period or "", "")
    return f"{amount} {period}".strip()


def authority_text(authority: Authority, team: TeamWords | None = None) -> str:
    team = team or english()
    level = team.word("dashboard.levels", authority.level, words(authority.level))
    if authority.role:
        text = team.text("dashboard.role_level", role=authority.role, level=level)
    else:
        text = _upper_first(level)
    return text if authority.settled else team.text("dashboard.inferred", text=text)


def need_text(need: Need, team: TeamWords | None = None) -> str:
    team = team or english()
    uses = ", ".join(team.need(use) for use in need.use_cases)
    fit = team.word("dashboard.fits", need.fit, words(need.fit))
    if uses and fit:
        return team.text("dashboard.need", uses=uses, fit=fit)
    return uses or _upper_first(fit) or team.text("dashboard.not_known")


def timeline_text(timeline: Timeline, team: TeamWords | None = None) -> str:
    team = team or english()
    return team.text("dashboard.timeline", text=timeline.text, months=timeline.months)


def value_text(value: Any, quote: str | None = None, team: TeamWords | None = None) -> str:
    """One fact's value as a line of text (``quote`` adds what the prospect said, for a
    budget)."""
    team = team or english()
    if isinstance(value, Budget):
        text = budget_text(value, team)
        if quote and value.status == "known":
            return team.text("dashboard.budget_said", text=text, quote=quote)
        return text
    if isinstance(value, Authority):
        return authority_text(value, team)
    if isinstance(value, Need):
        return need_text(value, team)
    if isinstance(value, Timeline):
        return timeline_text(value, team)
    if isinstance(value, bool):
        return team.text("dashboard.yes" if value else "dashboard.no")
    if isinstance(value, int):
        return team.number(value)
    if isinstance(value, tuple | list):
        return ", ".join(words(str(item)) for item in value) or "—"
    if isinstance(value, dict):
        return _dict_text(value, team)
    if value is None:
        return "—"
    return words(str(value)) if "_" in str(value) and " " not in str(value) else str(value)


def _dict_text(value: dict[str, Any], team: TeamWords) -> str:
    """A stored (JSON) value of a structured fact, as in a profile's history."""
    for model in (Budget, Need, Timeline, Authority):
        if set(value) <= set(model.model_fields):
            try:
                return value_text(model.model_validate(value), team=team)
            except ValueError:
                continue
    return ", ".join(f"{words(key)}: {value_text(item, team=team)}" for key, item in value.items())


def change_text(field: str, old: Any, new: Any | None, team: TeamWords | None = None) -> str:
    """``Need changed from … to …``, for a corrected value."""
    team = team or english()
    name = team.word("labels", field, words(field))
    before = value_text(old, team=team)
    if new is None:
        return team.text("dashboard.was", name=name, before=before)
    return team.text(
        "dashboard.changed", name=name, before=before, after=value_text(new, team=team)
    )


def score_scale(score: int, bands: Iterable[Band], team: TeamWords | None = None) -> str:
    """``105 (hot ≥ 75)``: a score with the top band's floor, so it reads on a scale."""
    floors = [band for band in bands if band.min_score is not None]
    if not floors:
        return str(score)
    top = floors[0]
    return f"{score} ({(team or english()).segment(top.name)} ≥ {top.min_score})"


def utc(moment: datetime | None, seconds: bool = False) -> str:
    """A time in UTC, saying so."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else "")) + " UTC"


def iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
