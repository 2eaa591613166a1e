"""A playbook's texts in the other languages it declares.

The playbook is written in its first language; ``translations`` gives, for each further
language, every text a prospect reads that comes from the playbook: each question's
wordings and the labels of its quick replies (in the playbook's order: a translated label
records the same value as the original), and the response time the team promises.

:func:`missing_texts` lists what a declared language lacks, each with its path in the
playbook, so ``qualify playbook check`` can name every gap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field

from agent.models import FieldName

if TYPE_CHECKING:
    from agent.playbook import Question


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionTexts(_Strict):
    """One question in another language."""

    wordings: tuple[str, ...] = Field(min_length=1)
    quick_replies: tuple[str, ...] = ()
    """The labels, one per quick reply of the question, in the same order."""


class Translation(_Strict):
    """The playbook's prospect-facing texts in one language."""

    questions: dict[FieldName, QuestionTexts] = Field(default_factory=dict)
    response_time: str | None = Field(default=None, min_length=1)
    """When the team writes back by email, as the prospect is told it."""
    needs: dict[str, str] = Field(default_factory=dict)
    """Each need's name (``need.in_scope`` and ``need.out_of_scope``) as the prospect reads
    it ("you're looking for help with ...")."""
    need_examples: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Sentences a prospect with each need might say in this language. With the need's own
    examples, the offline model matches needs said in other words against them (on a
    sentence model that reads every served language); optional."""


def language_problem(code: str) -> str | None:
    """Why ``code`` cannot be a playbook language, or None (ISO 639-1, known to CLDR)."""
    if not re.fullmatch(r"[a-z]{2}", code):
        return f"{code!r} is not a two-letter language code (ISO 639-1, e.g. de)"
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return f"{code!r} is not a known language"
    return None


Gap = tuple[tuple[str, ...], str]
"""Where in ``translations`` (a path of keys) and what is wrong."""


def missing_texts(
    languages: Sequence[str],
    translations: dict[str, Translation],
    questions: Sequence[Question],
    needs: Sequence[str] = (),
) -> list[Gap]:
    """Every text a declared language lacks, and translations no language declares."""
    gaps: list[Gap] = []
    default, others = languages[0], languages[1:]
    for code in translations:
        if code == default:
            gaps.append(((code,), f"{code} is the playbook's own language (languages[0])"))
        elif code not in others:
            gaps.append(((code,), f"{code} is not in languages"))
    for code in others:
        translation = translations.get(code)
        if translation is None:
            gaps.append(((code,), "missing: the language is declared in languages"))
            continue
        gaps += [((code, *loc), problem) for loc, problem in _question_gaps(translation, questions)]
        if translation.response_time is None:
            gaps.append(((code, "response_time"), "missing"))
        gaps += [
            ((code, "needs", name), "missing") for name in needs if name not in translation.needs
        ]
        gaps += [
            ((code, section, name), "the playbook has no such need")
            for section, named in (
                ("needs", translation.needs),
                ("need_examples", translation.need_examples),
            )
            for name in named
            if name not in needs
        ]
    return gaps


def _question_gaps(translation: Translation, questions: Sequence[Question]) -> list[Gap]:
    gaps: list[Gap] = []
    for question in questions:
        texts = translation.questions.get(question.field)
        if texts is None:
            gaps.append((("questions", question.field), "missing"))
            continue
        wanted, given = len(question.quick_replies), len(texts.quick_replies)
        if wanted != given:
            gaps.append(
                (
                    ("questions", question.field, "quick_replies"),
                    f"{wanted} label(s) needed, one per quick reply of the "
                    f"{question.field} question in order; found {given}",
                )
            )
    return gaps
