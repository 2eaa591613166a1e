"""The offline model's acknowledgement of what it recorded, from ``offline.yaml``.

Only facts are acknowledged, at most the two that matter most (need, budget, authority,
timeline, then company and contact), in the catalogue's own words: never a list of every
field, never the prospect's raw words pasted mid-sentence (a timeline is said as months). A
need Beacon does not serve is named as such. The engine adds the next question, and its own
messages for disqualifications and requests for a person, so those get no line here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from babel.numbers import format_decimal

from agent.errors import PromptError
from agent.playbook import Playbook
from agent.prompts import PromptSet

CATALOGUE = "offline.yaml"


MAX_FACTS = 2
_OWN_SENTENCE = frozenset({"need_not_served", "need_partial"})
_EXAMPLES = 3  # needs named as what the company does, when a need is one it does not serve


class Acknowledger:
    """Turns ``update_lead`` arguments into one short sentence."""

    def __init__(self, prompts: PromptSet, playbook: Playbook, language: str | None = None) -> None:
        self.prompts = prompts
        self.language = playbook.serves(language)
        self.texts = prompts.catalogue(CATALOGUE, self.language)
        self.company = playbook.company.name
        self.playbook = playbook
        self.served = tuple(item.name for item in playbook.need.in_scope)

    def reply(
        self, args: Mapping[str, Any], *, no_timeline: bool = False, months: int | None = None
    ) -> str:
        """The acknowledgement for ``args``; empty when there is no fact to acknowledge.

        ``months`` is the timeline in months, as the engine will record it."""
        items = self._items(args, no_timeline=no_timeline, months=months)[:MAX_FACTS]
        if not items:
            return ""
        first = items[0][0]
        if len(items) == 1 or first in _OWN_SENTENCE:
            # What Beacon does not do is said in a sentence of its own, never in a list of
            # noted facts ("Thanks — noted: Beacon doesn't do website design and ...").
            return " ".join(
                part for part in (self._alone(*items[0]), self._noted(items[1:])) if part
            )
        return self._noted(items)

    def _alone(self, key: str, variables: dict[str, Any], phrase: str) -> str:
        alone = self._section("alone").get(key)
        if alone:
            return self._render(str(alone), item=phrase, **variables)
        return self._noted([(key, variables, phrase)])

    def _noted(self, items: list[tuple[str, dict[str, Any], str]]) -> str:
        if not items:
            return ""
        if len(items) == 1 and self._section("alone").get(items[0][0]):
            return self._alone(*items[0])
        return self._render(str(self.texts["several"]), items=[phrase for _, _, phrase in items])

    def _items(
        self, args: Mapping[str, Any], *, no_timeline: bool, months: int | None
    ) -> list[tuple[str, dict[str, Any], str]]:
        wanted: list[tuple[str, dict[str, Any]]] = []
        budget = args.get("budget")
        if budget:
            wanted.append(self._budget(budget))
        authority = args.get("authority")
        if authority and (authority.get("settled", True) or authority.get("role")):
            if authority.get("role") and self._names_a_role(str(authority["role"])):
                wanted.append(("authority_role", {"role": authority["role"]}))
            elif authority.get("settled", True) and authority.get("level") in (
                "decision_maker",
                "influencer",
                "user",
            ):
                wanted.append((f"authority_{authority['level']}", {}))
        need = args.get("need")
        if need and need.get("use_cases"):
            wanted.insert(0, self._need(list(need["use_cases"])))
        timeline = args.get("timeline")
        if timeline and (no_timeline or months is not None):
            wanted.append(
                ("timeline_none", {}) if no_timeline else ("timeline", {"months": months})
            )
        company = args.get("company")
        if company:
            if company.get("name"):
                wanted.append(("company_name", {"name": company["name"]}))
            if company.get("size") is not None:
                wanted.append(("company_size", {"size": company["size"]}))
            label = self._section("industries").get(str(company.get("industry")))
            if company.get("industry") and label:  # "other" has no label: no "your industry"
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

    def _need(self, use_cases: list[str]) -> tuple[str, dict[str, Any]]:
        """What they want, and plainly what Beacon does not do."""
        served = [case for case in use_cases if case in self.served]
        other = [case for case in use_cases if case not in self.served]
        listed = str(self.texts["list"])

        def names(cases: Sequence[str]) -> list[str]:
            return [self.playbook.need_name(case, self.language) for case in cases]

        variables = {
            "company": self.company,
            "use_cases": self._render(listed, values=names(served or other)),
            "not_served": self._render(listed, values=names(other) or ["-"]),
            "served_examples": self._render(listed, values=names(self.served[:_EXAMPLES])),
        }
        key = "need" if not other else "need_partial" if served else "need_not_served"
        return key, variables

    def _budget(self, budget: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        status = budget.get("status", "known")
        if status != "known":
            return f"budget_{status}", {}
        low = float(budget["amount_min"])
        high = budget.get("amount_max")
        money = self._section("money")
        currency = str(budget.get("currency") or "USD")
        symbol = self._section("money").get("symbols", {}).get(currency)
        amount = self._number(low)
        key = "budget_known"
        if high is not None and low == 0:
            amount, key = self._number(float(high)), "budget_under"
        elif high is not None and float(high) != low:
            amount = self._render(str(money["range"]), low=amount, high=self._number(float(high)))
            key = "budget_range"
        if symbol:
            shown = self._render(str(money["with_symbol"]), symbol=symbol, number=amount)
        else:
            shown = self._render(str(money["with_code"]), code=currency, number=amount)
        period = self._section("periods").get(str(budget.get("period")), "")
        return key, {"amount": shown, "period": period}

    def _names_a_role(self, role: str) -> bool:
        """Whether ``role`` can follow "you are": German writes a title with a capital
        ("Product Lead", "Geschäftsführerin"); "leite das Digitalteam" is what they do."""
        return self.language != "de" or role[:1].isupper()

    def _section(self, name: str) -> Mapping[str, Any]:
        section = self.texts.get(name)
        if not isinstance(section, Mapping):
            raise PromptError(f"{CATALOGUE} has no section {name!r}")
        return section

    def _render(self, template: str, **variables: Any) -> str:
        return self.prompts.render_string(template, **variables)

    def _number(self, value: float) -> str:
        """A number grouped the way the conversation's language writes it ("60,000",
        "60.000", "60 000")."""
        pattern = "#,##0" if value.is_integer() else "#,##0.00"
        return str(format_decimal(value, format=pattern, locale=self.language))
