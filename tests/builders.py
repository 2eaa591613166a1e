"""Lead profiles for tests, built from plain values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agent.models import (
    Authority,
    Budget,
    Evidence,
    LeadProfile,
    Need,
    Timeline,
)

EVIDENCE = Evidence(message_id="m1", quote="as they said it", at=datetime(2026, 11, 24, tzinfo=UTC))


def fact(value: Any) -> Any:
    return {"value": value, "evidence": EVIDENCE}


def make_profile(
    *,
    annual_usd: float | None = None,
    budget_status: str | None = None,
    level: str | None = None,
    fit: str | None = None,
    months: int | None = None,
    timeline_text: str | None = None,
    size: int | None = None,
    industry: str | None = None,
    email: str | None = None,
    disqualifier: str | None = None,
    requested_human: bool | None = None,
) -> LeadProfile:
    data: dict[str, Any] = {}
    if annual_usd is not None or budget_status is not None:
        status = budget_status or "known"
        data["budget"] = fact(Budget(status=status, annual_usd=annual_usd))  # type: ignore[arg-type]
    if level is not None:
        data["authority"] = fact(Authority(level=level))  # type: ignore[arg-type]
    if fit is not None:
        data["need"] = fact(Need(fit=fit, use_cases=("product analytics",)))  # type: ignore[arg-type]
    if months is not None or timeline_text is not None:
        data["timeline"] = fact(Timeline(text=timeline_text or f"{months} months", months=months))
    if size is not None:
        data["company_size"] = fact(size)
    if industry is not None:
        data["industry"] = fact(industry)
    if email is not None:
        data["email"] = fact(email)
    if disqualifier is not None:
        data["disqualifier"] = fact(disqualifier)
    if requested_human is not None:
        data["requested_human"] = fact(requested_human)
    return LeadProfile.model_validate(data)
