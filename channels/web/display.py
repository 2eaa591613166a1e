"""Lead facts and codes as words people read: on the dashboard and in the CSV export."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from agent.models import Authority, Budget, Need, Timeline
from agent.playbook import Band

PERIODS = {
    "one_time": "one-off",
    "weekly": "a week",
    "monthly": "a month",
    "quarterly": "a quarter",
    "semiannual": "every six months",
    "annual": "a year",
}
LEVELS = {
    "decision_maker": "decision maker",
    "influencer": "influencer",
    "user": "user",
    "unknown": "level unknown",
}
FITS = {"strong": "strong fit", "partial": "partial fit", "none": "not a fit", "unknown": ""}
BUDGET_STATUS = {
    "no_budget": "No budget",
    "unknown": "Not known yet",
    "refused": "Would not say",
}


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


def money(amount: float, currency: str | None = "USD") -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency or "USD")
    figure = f"{amount:,.0f}"
    return f"{symbol}{figure}" if symbol else f"{figure} {currency}"


def budget_text(budget: Budget) -> str:
    """``$50,000 a year`` (annual US dollars), or what is known about the budget."""
    if budget.status != "known":
        return BUDGET_STATUS.get(budget.status, words(budget.status))
    if budget.annual_usd is not None:
        return f"{money(budget.annual_usd)} a year"
    return budget_said(budget) or "Known, amount not said"


def budget_said(budget: Budget) -> str:
    """The budget as the prospect put it: amount or range, currency and period."""
    if budget.amount_min is None and budget.amount_max is None:
        return ""
    low, high = budget.amount_min, budget.amount_max
    if low is not None and high is not None and low != high:
        amount = f"{money(low, budget.currency)}–{money(high, budget.currency)}"
    else:
        value = low if low is not None else high
        amount = money(value or 0, budget.currency)
    period = PERIODS.get(budget.period or "", "")
    return f"{amount} {period}".strip()


def authority_text(authority: Authority) -> str:
    level = LEVELS.get(authority.level, words(authority.level))
    text = f"{authority.role} ({level})" if authority.role else level[:1].upper() + level[1:]
    return text if authority.settled else f"{text}, inferred"


def need_text(need: Need) -> str:
    uses = ", ".join(need.use_cases)
    fit = FITS.get(need.fit, words(need.fit))
    if uses and fit:
        return f"{uses} — {fit}"
    return uses or (fit[:1].upper() + fit[1:]) or "Not known yet"


def timeline_text(timeline: Timeline) -> str:
    if timeline.months is None:
        return timeline.text
    span = "1 month" if timeline.months == 1 else f"{timeline.months} months"
    return f"{timeline.text} (about {span})" if timeline.text != span else span


def value_text(value: Any, quote: str | None = None) -> str:
    """One fact's value as a line of text (``quote`` adds what the prospect said, for a
    budget)."""
    if isinstance(value, Budget):
        text = budget_text(value)
        return f"{text} (said: “{quote}”)" if quote and value.status == "known" else text
    if isinstance(value, Authority):
        return authority_text(value)
    if isinstance(value, Need):
        return need_text(value)
    if isinstance(value, Timeline):
        return timeline_text(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple | list):
        return ", ".join(words(str(item)) for item in value) or "—"
    if isinstance(value, dict):
        return _dict_text(value)
    if value is None:
        return "—"
    return words(str(value)) if "_" in str(value) and " " not in str(value) else str(value)


def _dict_text(value: dict[str, Any]) -> str:
    """A stored (JSON) value of a structured fact, as in a profile's history."""
    for model in (Budget, Need, Timeline, Authority):
        if set(value) <= set(model.model_fields):
            try:
                return value_text(model.model_validate(value))
            except ValueError:
                continue
    return ", ".join(f"{words(key)}: {value_text(item)}" for key, item in value.items())


def change_text(field: str, old: Any, new: Any | None) -> str:
    """``Need changed from … to …``, for a corrected value."""
    name = words(field)
    before = value_text(old)
    if new is None:
        return f"{name} was {before}"
    return f"{name} changed from {before} to {value_text(new)}"


def score_scale(score: int, bands: Iterable[Band]) -> str:
    """``105 (hot ≥ 75)``: a score with the top band's floor, so it reads on a scale."""
    floors = [band for band in bands if band.min_score is not None]
    if not floors:
        return str(score)
    top = floors[0]
    return f"{score} ({top.name} ≥ {top.min_score})"


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
