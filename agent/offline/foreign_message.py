"""A message of a conversation held in another language than English, as the readers on
the multilingual sentence model see it.

:func:`foreign_message` bundles what those readers need (the message, its clauses, what the
rules read so far, the pending question, the playbook, the multilingual classifiers and the
language), or gives None for an English conversation or when no multilingual model is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent.exemplars import ClassifierCache, FieldExemplars
from agent.models import FieldName
from agent.offline.text import Clause, sentences, span
from agent.playbook import Playbook

Groups = dict[str, dict[str, Any] | None]

MIN_WORDS = 4
"""Fewer words than this in a sentence say too little to compare with an example."""
MAX_SENTENCES = 3
MAX_CHARS = 300


@dataclass(frozen=True)
class ForeignMessage:
    text: str
    clauses: list[Clause]
    groups: Groups
    asking: FieldName | None
    playbook: Playbook
    classifiers: ClassifierCache
    """The classifiers on the multilingual sentence model."""
    language: str

    def sentences(self, min_words: int = MIN_WORDS, *, without: str = "") -> list[str]:
        """The message's first sentences long enough to compare with examples. ``without``
        a quote, the sentence holding it is cut down to its other clauses ("muy poca gente
        termina el registro en nuestra web" beside "... mandar la newsletter")."""
        said: list[str] = []
        for group in sentences(self.clauses):
            whole = span(self.text, group)
            if without and without in whole:
                said.extend(c.raw for c in group if c.raw not in without and without not in c.raw)
            else:
                said.append(whole)
        return [s[:MAX_CHARS] for s in said if len(s.split()) >= min_words][:MAX_SENTENCES]

    def with_group(self, name: str, group: dict[str, Any]) -> ForeignMessage:
        return ForeignMessage(
            self.text,
            self.clauses,
            {**self.groups, name: group},
            self.asking,
            self.playbook,
            self.classifiers,
            self.language,
        )


_SECTIONS: dict[tuple[str, str, float, float], FieldExemplars] = {}


def examples_with(
    playbook: Playbook, field: str, similarity: float, margin: float
) -> FieldExemplars | None:
    """The playbook's ``exemplars`` section ``field`` with its own thresholds for reading
    another language, or None when the playbook has no such section."""
    section: FieldExemplars | None = getattr(playbook.exemplars, field)
    if section is None:
        return None
    key = (playbook.digest or playbook.name, field, similarity, margin)
    found = _SECTIONS.get(key)
    if found is None:
        found = section.model_copy(update={"min_similarity": similarity, "min_margin": margin})
        _SECTIONS[key] = found
    return found


def foreign_message(
    text: str,
    clauses: list[Clause],
    groups: Groups,
    asking: FieldName | None,
    playbook: Playbook,
    classifiers: ClassifierCache,
    language: str,
) -> ForeignMessage | None:
    multilingual = classifiers.multilingual
    if language == "en" or multilingual is None:
        return None
    return ForeignMessage(text, clauses, groups, asking, playbook, multilingual, language)
