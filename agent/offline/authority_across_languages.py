"""A role answer in another language that the rules could not read, read by its nearest
example.

When the prospect answers the role question in German, Spanish, French or Portuguese in
words the rules do not hold ("C'est ma business avec mon chum, on décide à deux"), the
whole answer is embedded with the multilingual sentence model (see
:mod:`knowledge.multilingual`) and the playbook's authority examples decide: the nearest
example's level, or nothing when it is one of the examples of no authority. The rules
keep their say whenever they read something.
"""

from __future__ import annotations

from typing import Any

from agent.exemplars import NONE
from agent.offline.foreign_message import MAX_CHARS, ForeignMessage, examples_with

_MIN_WORDS = 3
# An answer to the role question says something of the role: the nearest example decides
# as long as it is not far off.
_SIMILARITY = 0.25

# An answer that speaks of money, dates, contact details, a person to talk to or who is
# writing answers something else ("Il n'y a pas de budget prévu pour ça").
_OTHER_ANSWERS = ("budget", "timeline", "contact", "human", "disqualifier")


def role_answer(message: ForeignMessage) -> dict[str, Any] | None:
    """The ``authority`` group for an answer to the role question the rules left unread,
    or None."""
    groups, multilingual = message.groups, message.classifiers
    section = examples_with(message.playbook, "authority", _SIMILARITY, 0.0)
    if (
        section is None
        or message.asking != "authority"
        or groups["authority"] is not None
        or any(groups.get(name) is not None for name in _OTHER_ANSWERS)
    ):
        return None
    answer = message.text.strip()[:MAX_CHARS]
    if len(answer.split()) < _MIN_WORDS:
        return None
    verdict = multilingual.classifier(section).classify(multilingual.embed([answer])[0])
    if verdict is None or verdict.label == NONE:
        return None
    return {"quote": answer, "level": verdict.label}
