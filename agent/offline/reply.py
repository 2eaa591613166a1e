"""The offline model's acknowledgement of what it recorded, from ``offline.yaml``.

Only facts are acknowledged; the engine adds the next question, and its own messages for
disqualifications and requests for a person, so those get no line here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.errors import PromptError
from agent.prompts import PromptSet

CATALOGUE = "offline.yaml"


class Acknowledger:
    """Turns ``update_lead`` arguments into one short sentence."""

    def __init__(self, prompts: PromptSet) -> None:
        self.prompts = prompts
        self.texts = prompts.catalogue(CATALOGUE)

    def reply(self, args: Mapping[str, Any], *, no_timeline: bool = False) -> str:
        """The acknowledgement for ``args``; empty when there is no fact to acknowledge."""
        items = self._items(args, no_timeline=no_timeline)
        if not items:
            return ""
        if len(items) == 1:
            key, variables, phrase = items[0]
            alone = self._section("alone").get(key)
            if alone:
                return self._render(str(alone), item=phrase, **variables)
        return self._render(str(self.texts["several"]), items=[phrase for _, _, phrase in items])

    def _items(
        self, args: Mapping[str, Any], *, no_timeline: bool
    ) -> list[tuple[str, dict[str, Any], str]]:
        wanted: list[tuple[str, dict[str, Any]]] = []
        budget = args.get("budget")
        if budget:
            wanted.append(self._budget(budget))
        authority = args.get("authority")
        if authority:
            if authority.get("role"):
                wanted.append(("authority_role", {"role": authority["role"]}))
            elif authority.get("level") in ("decision_maker", "influencer", "user"):
                wanted.append((f"authority_{authority['level']}", {}))
        need = args.get("need")
        if need and need.get("use_cases"):
            cases = self._render(str(self.texts["list"]), values=list(need["use_cases"]))
            wanted.append(("need", {"use_cases": cases}))
        timeline = args.get("timeline")
        if timeline:
            key = "timeline_none" if no_timeline else "timeline"
            wanted.append((key, {"text": timeline.get("text", "")}))
        company = args.get("company")
        if company:
            if company.get("name"):
                wanted.append(("company_name", {"name": company["name"]}))
            if company.get("size") is not None:
                wanted.append(("company_size", {"size": company["size"]}))
            label = self._section("industries").get(str(company.get("industry")))
            if company.get("industry") and label:
                wanted.append(("company_industry", {"industry": label}))
        contact = args.get("contact")
        if contact:
            if contact.get("name"):
                wanted.append(("contact_name", {"name": contact["name"]}))
            if contact.get("email"):
                wanted.append(("contact_email", {"email": contact["email"]}))
        facts = self._section("facts")
        return [
            (key, variables, self._render(str(facts[key]), **variables))
            for key, variables in wanted
            if key in facts
        ]

    def _budget(self, budget: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        status = budget.get("status", "known")
        if status != "known":
            return f"budget_{status}", {}
        low = float(budget["amount_min"])
        high = budget.get("amount_max")
        money = self._section("money")
        currency = str(budget.get("currency") or "USD")
        symbol = self._section("money").get("symbols", {}).get(currency)
        amount = _number(low)
        key = "budget_known"
        if high is not None and low == 0:
            amount, key = _number(float(high)), "budget_under"
        elif high is not None and float(high) != low:
            amount = self._render(str(money["range"]), low=amount, high=_number(float(high)))
            key = "budget_range"
        if symbol:
            shown = self._render(str(money["with_symbol"]), symbol=symbol, number=amount)
        else:
            shown = self._render(str(money["with_code"]), code=currency, number=amount)
        period = self._section("periods").get(str(budget.get("period")), "")
        return key, {"amount": shown, "period": period}

    def _section(self, name: str) -> Mapping[str, Any]:
        section = self.texts.get(name)
        if not isinstance(section, Mapping):
            raise PromptError(f"{CATALOGUE} has no section {name!r}")
        return section

    def _render(self, template: str, **variables: Any) -> str:
        return self.prompts.render_string(template, **variables)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
