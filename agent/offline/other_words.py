"""What a message in another language says in words the rules do not hold, read on the
multilingual sentence model: a need said as a problem or a keyword in another sense
(:mod:`agent.offline.needs_across_languages`), a request for a person
(:mod:`agent.offline.human_across_languages`), a role answer
(:mod:`agent.offline.authority_across_languages`) and what the company does
(:mod:`agent.offline.industry_across_languages`), each seeing what the one before read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.offline.authority_across_languages import role_answer
from agent.offline.foreign_message import ForeignMessage, Groups
from agent.offline.human_across_languages import asked_for_a_person
from agent.offline.industry_across_languages import industry_in_other_words
from agent.offline.needs_across_languages import in_another_sense, needs_in_other_words

Reader = Callable[[ForeignMessage], dict[str, Any] | None]

_READERS: tuple[tuple[str, tuple[Reader, ...]], ...] = (
    ("need", (needs_in_other_words, in_another_sense)),
    ("human", (asked_for_a_person,)),
    ("authority", (role_answer,)),
    ("company", (industry_in_other_words,)),
)


def read_in_other_words(message: ForeignMessage) -> Groups:
    """The groups the readers change, each reader seeing the groups read before it."""
    changed: Groups = {}
    for name, readers in _READERS:
        for reader in readers:
            group = reader(message)
            if group is not None:
                changed[name] = group
                message = message.with_group(name, group)
                break
    return changed
