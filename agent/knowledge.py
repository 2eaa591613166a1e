"""What the engine needs from a knowledge base: passages of the company's own documents.

The engine depends only on the :class:`Retriever` protocol; the Chroma implementation lives
in the ``knowledge`` package and is handed to the engine by whoever builds it
(:func:`agent.runtime.build_engine`). Retrieval runs before the turn's single model call,
and the passages reach the model inside the system prompt (see :mod:`agent.context`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field


class Passage(BaseModel):
    """One chunk of a document, with where it came from and how close it is to the question."""

    model_config = ConfigDict(frozen=True)

    title: str
    """The document's title, which answers cite: "(Source: Pricing and plans)"."""
    section: str = ""
    """The heading path of the chunk inside its document ("Team plan")."""
    text: str
    source: str = ""
    """The document's path in the knowledge folder ("pricing.md")."""
    url: str = ""
    """Where the document can be read (its front matter's ``url``), for a citation link."""
    score: float = Field(default=0.0)
    """Relevance to the question, at most 1; higher is closer (see the retriever)."""


class QuestionPassages(BaseModel):
    """A question the prospect asked and the passages found for it, best first.

    No passages means nothing in the knowledge base passed the similarity threshold.
    """

    model_config = ConfigDict(frozen=True)

    question: str
    passages: tuple[Passage, ...] = ()

    @property
    def answered(self) -> bool:
        return bool(self.passages)


@runtime_checkable
class Retriever(Protocol):
    """Finds passages for questions. Implementations must not block the event loop."""

    async def retrieve(
        self, questions: Sequence[str], language: str | None = None
    ) -> list[list[Passage]]:
        """For each question, the passages that pass the similarity threshold, best first:
        passages in the conversation's ``language`` where the knowledge base has them."""
        ...


_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_STOPWORD_TEXT = (
    "a about after all also am an and any are as at be been but by can could do does did for "
    "from get got has have how i if in into is it its me my no not of on or our so than "
    "that the their them then there these they this to us was we were what when where "
    "which who why will with would you your yours i'm we're it's there's what's how's "
    "tell know like please"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def content_terms(text: str) -> list[str]:
    """The content words of ``text``, lower case and crudely stemmed ("integrates" ->
    "integrat"), for lexical matching of questions against passages."""
    return [_stem(word) for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word
