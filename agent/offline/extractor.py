"""Read one prospect message into ``update_lead`` arguments.

:func:`extract` is what the offline model "decides" to record: the message is cut into
clauses, clauses that try to instruct the model are dropped, and each field group is
looked for by its own analyser. Only groups that were found are returned, each with a
``quote`` of the prospect's exact words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from agent.exemplars import ClassifierCache
from agent.models import FieldName
from agent.offline.authority import find_authority
from agent.offline.company import find_company
from agent.offline.contact import find_contact
from agent.offline.disqualifiers import (
    competitor_company,
    competitor_email,
    competitor_pattern,
    find_disqualifier,
    offers_services,
)
from agent.offline.guard import is_injection, own_words, speaks_as_system
from agent.offline.human import find_human
from agent.offline.judged import judge
from agent.offline.lexicon import lexicon_for
from agent.offline.money import BUDGET_CUE, amount_period, carried_over_price, find_budget
from agent.offline.need import find_need
from agent.offline.quantities import Quantity, quantities, rejoined
from agent.offline.spam import is_gibberish, is_link_spam, is_shouted_promotion
from agent.offline.text import split_clauses
from agent.offline.timeline import find_timeline
from agent.playbook import Playbook

_SPAM_QUOTE_CHARS = 300


def extract(
    text: str,
    *,
    asking: FieldName | None,
    playbook: Playbook,
    today: date | None = None,
    classifiers: ClassifierCache | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """``update_lead`` arguments for what ``text`` states; empty when it states nothing.

    ``asking`` is the field the previous question asked about: it lets a bare answer
    ("about 50") count as that field. ``today`` anchors relative timelines. With
    ``classifiers``, authority, industry and disqualifiers are decided by the playbook's
    example sentences (see :mod:`agent.offline.judged`). ``language`` is the language the
    conversation is held in (ISO 639-1, one the playbook serves): it tells how numbers,
    money, dates, roles and requests are written.
    """
    if not text.strip():
        return {}
    lexicon = lexicon_for(playbook)
    if (
        is_link_spam(text)
        or is_shouted_promotion(text)
        or is_gibberish(text, lexicon.vocabulary, language)
    ):
        kind = "vendor" if offers_services(text) else "spam"
        return {"disqualifier": {"quote": text.strip()[:_SPAM_QUOTE_CHARS], "kind": kind}}
    text = own_words(text)
    if speaks_as_system(text) or not text.strip():
        return {}
    clauses = split_clauses(text, lexicon.vocabulary, language)
    tainted = {c.sentence for c in clauses if is_injection(c.text)}
    clauses = [c for c in clauses if c.sentence not in tainted]
    numbered = rejoined(clauses, text, language)
    found = [q for clause in numbered for q in quantities(clause, language)]
    people = [q for q in found if q.kind == "people" and not q.negated]
    amounts = [
        q if q.kind != "other" else replace(q, kind="money")
        for q in found
        if q.kind in ("money", "bare") or carried_over_price(q, text)
    ]
    if asking == "company" and not people:
        people = [q for q in amounts if _bare_headcount(q)]
        amounts = [q for q in amounts if q not in people]
    human = find_human(text, clauses, language)
    disqualifier = find_disqualifier(
        clauses,
        competitor_pattern(playbook.competitors),
        text,
        language=language,
        competitors=playbook.competitors,
    )
    # The time of a requested call is not a buying timeline.
    timed = [c for c in clauses if human is None or c.raw != human["quote"]]
    groups: dict[str, dict[str, Any] | None] = {
        "budget": find_budget(
            numbered, amounts, asking, message=text, seats=_seats(found), language=language
        ),
        "authority": find_authority(text, clauses, asking, language),
        "need": find_need(text, clauses, lexicon.needs, asking, language),
        "timeline": find_timeline(timed, asking, today or date.today(), language),
        "company": find_company(text, clauses, people, asking),
        "contact": find_contact(text, clauses, asking, language),
        "disqualifier": disqualifier,
        "human": human,
    }
    groups["company"] = _not_ours(groups["company"], playbook)
    if classifiers is not None:
        groups.update(judge(text, clauses, groups, asking, playbook, classifiers, language))
    if groups["disqualifier"] is None:
        groups["disqualifier"] = _at_competitor(groups, playbook, asking, text)
    if groups["disqualifier"] is not None:
        # Someone who is not a buyer states no buying need, budget or timeline.
        groups.update(budget=None, need=None, timeline=None)
    return {name: args for name, args in groups.items() if args is not None}


def _not_ours(company: dict[str, Any] | None, playbook: Playbook) -> dict[str, Any] | None:
    """The company group without our own name: "my interview here at Beacon" does not make
    the prospect a Beacon employee."""
    if (
        company is None
        or str(company.get("name", "")).casefold() != playbook.company.name.casefold()
    ):
        return company
    rest = {key: value for key, value in company.items() if key != "name"}
    return rest if set(rest) - {"quote"} else None


def _at_competitor(
    groups: dict[str, dict[str, Any] | None],
    playbook: Playbook,
    asking: FieldName | None,
    text: str,
) -> Any:
    """A competitor disqualifier when the prospect's own email is at a competitor's domain
    (exact names only: ``@amplifyhealth.com`` is not Amplitude), or when the short answer to
    the company question names a competitor ("Company?" "Amplitude"; not "I was at Mixpanel
    for three years, today I'm head of growth at a shoe retailer")."""
    contact = groups["contact"] or {}
    quote = competitor_email(contact.get("email"), playbook.competitors)
    if quote is None and asking == "company" and len(text.split()) <= _SHORT_ANSWER_WORDS:
        quote = competitor_company((groups["company"] or {}).get("name"), playbook.competitors)
    return None if quote is None else {"quote": quote, "kind": "competitor"}


_SHORT_ANSWER_WORDS = 6


# "40 seats", "25 users", "there'd be 25 of us using it", "12 people would log in".
_SEAT_WORDS = re.compile(
    r"\b(?:[a-z]+\s+){0,2}?(?:seats?|users?|licen[cs]es?|logins?|people)\b|"
    # the same in German, Spanish, French and Portuguese
    r"\b(?:nutzer(?:n|innen)?|benutzer(?:n|innen)?|anwender(?:n|innen)?|lizenzen|"
    r"usuari[oa]s|usuári[oa]s|utilisat(?:eurs|rices)|utilizadores|licencias|licences|"
    r"licen[çc]as|puestos|postes|assentos)\b|"
    r"(?:of us|people|folks)?\s*(?:\w+\s+){0,2}"
    r"(?:using|use|log(?:ging)? in(?:to)?)\b"
)


def _seats(found: list[Quantity]) -> list[Quantity]:
    """Counts of seats or users: what a price per seat is multiplied by."""
    return [
        q
        for q in found
        if q.kind in ("count", "people")
        and not q.negated
        and _SEAT_WORDS.match(q.clause.text[q.end :].strip())
    ]


def _bare_headcount(q: Quantity) -> bool:
    return (
        q.kind == "bare"
        and not q.negated
        and q.low >= 1
        and BUDGET_CUE.search(q.clause.text) is None
        and amount_period(q) is None  # "we can go up to 70k a year"
    )
