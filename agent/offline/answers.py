"""The offline model's answers to product questions: extractive, from the passages given.

For each question the engine found passages for, the answer is the best one or two
sentences of the best passage, in their original order, with the document's title as the
source; wording comes from the ``answers`` section of ``offline.yaml``. A question with no
passages gets the honest "not sure" line, unless it asks where the docs, the open roles or
the contact form are: the playbook's ``links`` answer those. Sentences that try to instruct
the model are never quoted, so a poisoned document cannot speak through the answer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from agent.context import KnowledgeContext
from agent.errors import PromptError
from agent.knowledge import Passage, content_terms
from agent.offline.guard import is_injection, speaks_as_system
from agent.prompts import PromptSet

CATALOGUE = "offline.yaml"
MAX_SENTENCES = 2
MAX_CHARS = 360

# A sentence starts with a capital (accented ones included: "Über", "État"), a digit, a
# quote or bracket, or Spanish's opening ¿ and ¡, so passages in every language split.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]»“”]*\s+(?=[A-Z0-9\"'“„«¿¡(\[À-ÖØ-Þ])")
_MARKUP = re.compile(
    r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)|[*_`]{1,3}|\[(?=[^\]]*\]\()|\]\([^)]*\)"
)


# Questions the playbook's links answer: where the docs, the open roles, the contact form are.
_LINK_QUESTIONS = (
    ("docs", re.compile(r"\b(?:docs|documentation|api reference|developer guides?|manuals?)\b")),
    ("careers", re.compile(r"\b(?:careers?|jobs?|open roles|openings|vacanc(?:y|ies)|hiring)\b")),
    ("contact", re.compile(r"\b(?:contact form|contact you|get in touch|reach you)\b")),
)


class Answerer:
    """Turns the passages found for the prospect's questions into a short, cited answer."""

    def __init__(
        self,
        prompts: PromptSet,
        links: Mapping[str, str | None] | None = None,
        language: str | None = None,
    ) -> None:
        self.prompts = prompts
        self.links = {name: url for name, url in (links or {}).items() if url}
        section = prompts.catalogue(CATALOGUE, language).get("answers")
        if not isinstance(section, Mapping) or not {"answer", "not_sure"} <= set(section):
            raise PromptError(f"{CATALOGUE} needs an 'answers' section with answer and not_sure")
        self.texts: Mapping[str, Any] = section

    def reply(self, knowledge: KnowledgeContext | None) -> str:
        """The answers, one per question; empty when no question was asked."""
        if knowledge is None:
            return ""
        parts: list[str] = []
        for item in knowledge.questions:
            if item.passages:
                best = item.passages[0]  # the retriever's order: best document first
                text = best_sentences(item.question, best)
                line = (
                    self._render(
                        "answer", text=text, title=best.title, section=best.section, url=best.url
                    )
                    if text
                    else self._render("not_sure")
                )
            else:
                line = self._link(item.question) or self._render("not_sure")
            if line not in parts:
                parts.append(line)
        return " ".join(parts)

    def _link(self, question: str) -> str | None:
        """The playbook link that answers ``question``, when it asks for one."""
        lowered = question.lower()
        for name, pattern in _LINK_QUESTIONS:
            if name in self.links and pattern.search(lowered) and "link" in self.texts:
                return self._render("link", what=name, url=self.links[name])
        return None

    def _render(self, key: str, **variables: Any) -> str:
        return self.prompts.render_string(str(self.texts[key]), **variables)


def passage_sentences(text: str) -> list[str]:
    """The sentences of a passage, list items counted as sentences, markdown removed."""
    found: list[str] = []
    for block in text.splitlines():
        line = _MARKUP.sub("", block).strip()
        if not line:
            continue
        found.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return found


def best_sentences(question: str, passage: Passage, limit: int = MAX_SENTENCES) -> str:
    """The sentences of ``passage`` that best answer ``question``, in passage order.

    Sentences are weighted by the question words they share, each word counting more the
    rarer it is in the passage; a second sentence is added only when it shares words too
    and the answer stays short. Instruction-like sentences are skipped.
    """
    candidates = [
        sentence
        for sentence in passage_sentences(passage.text)
        if not is_injection(sentence.lower()) and not speaks_as_system(sentence)
    ]
    if not candidates:
        return ""
    words = [set(content_terms(sentence)) for sentence in candidates]
    asked = set(content_terms(question))
    frequency: Counter[str] = Counter(word for group in words for word in group)
    total = len(candidates)

    def weight(index: int) -> float:
        shared = asked & words[index]
        gain = sum(math.log(1 + total / frequency[word]) for word in shared)
        return gain / math.sqrt(1 + len(words[index]) / 12)

    scores = [weight(index) for index in range(total)]
    ranked = sorted(range(total), key=lambda index: (-scores[index], index))
    chosen = [ranked[0]]
    for index in ranked[1:limit]:
        length = sum(len(candidates[i]) for i in chosen) + len(candidates[index])
        if scores[index] > 0 and length <= MAX_CHARS:
            chosen.append(index)
    return " ".join(candidates[index] for index in sorted(chosen))
