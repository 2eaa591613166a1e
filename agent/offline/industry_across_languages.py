"""What a company does, said in another language in words the rules do not hold.

Each language's industry words (:mod:`agent.offline.languages.needs`) read what is plain
("Onlineshop", "aseguradora"); "wir verkaufen Fahrrad-Ersatzteile online" or "une appli
pour investir en ETF" is read by its nearest example among the playbook's industry
examples, on the multilingual sentence model. Only a message that opens the conversation or
answers the company question is read, and only when no industry was found in it.
"""

from __future__ import annotations

from typing import Any

from agent.exemplars import NONE
from agent.offline.foreign_message import ForeignMessage, examples_with

_MIN_WORDS = 3
# Closer than this to an example, and clearer than the nearest other industry by this much.
_SIMILARITY = 0.35
_MARGIN = 0.05

# "other" is what is left when no industry fits: the examples do not tell it from a
# sentence about something else, so it is left to the rules.
_OTHER = "other"

# A sentence already read as another fact ("We need funnel analysis") does not describe
# the business.
_OTHER_FACTS = ("need", "budget", "timeline", "authority", "contact", "human")


def industry_in_other_words(message: ForeignMessage) -> dict[str, Any] | None:
    """The ``company`` group with the industry the message describes, or None."""
    company = message.groups["company"]
    section = examples_with(message.playbook, "industry", _SIMILARITY, _MARGIN)
    if (
        section is None
        or message.asking not in (None, "company")
        or (company is not None and company.get("industry"))
        or message.groups["disqualifier"] is not None
    ):
        return None
    read = [
        str(group.get("quote") or "")
        for name in _OTHER_FACTS
        if (group := message.groups.get(name)) is not None
    ]
    candidates = [
        words
        for words in message.sentences(min_words=_MIN_WORDS)
        if not any(quote and (quote in words or words in quote) for quote in read)
    ]
    if not candidates:
        return None
    classifier = message.classifiers.classifier(section)
    verdicts = [
        (verdict, words)
        for words, vector in zip(candidates, message.classifiers.embed(candidates), strict=True)
        if (verdict := classifier.classify(vector)) is not None
        and verdict.label not in (NONE, _OTHER)
    ]
    if not verdicts:
        return None
    best, words = max(verdicts, key=lambda found: found[0].similarity)
    return {**(company or {"quote": words}), "industry": best.label}
