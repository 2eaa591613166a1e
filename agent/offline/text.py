"""A prospect message cut into clauses, each cleaned for matching.

Facts are attributed clause by clause ("I'm the CTO, 300 people, need it next quarter"),
and every clause keeps its span in the original message so a quote is always the
prospect's exact words. Matching runs on a cleaned copy: lower case, straight apostrophes,
emails, links and phone numbers blanked out, typos of known words corrected, and (for
numbers) number words turned into digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from agent.normalize import words_to_digits
from agent.offline.lexicon import Vocabulary

EMAIL_TOKEN = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")
URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|io|net|org|co|ai|app|dev|xyz|info|biz|ru|cn|ly)"
    r"(?:/\S*)?(?![\w.])",
    re.I,
)
_PHONE = re.compile(r"(?<![\w$€£₹])\+?\(?\d{2,4}\)?(?:[\s.-]\d{2,4}){2,4}(?![\w%])")
# "bis zum 3. Oktober", "im 3. Quartal": a German ordinal's dot ends no sentence.
_GERMAN_ORDINAL_AFTER = (
    r"(?:jan(?:uar)?|jän(?:ner)?|feb(?:ruar)?|märz|apr(?:il)?|mai|juni?|juli?|aug(?:ust)?|"
    r"sep(?:t|tember)?|okt(?:ober)?|nov(?:ember)?|dez(?:ember)?|quartal|halbjahr|kw|"
    r"kalenderwoche)\b"
)
_BREAK = re.compile(
    r"(?<!\brs)(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bdr)(?<!\bvs)(?<!\bst)(?<!\bmt)(?<!\bft)(?<!\bco)"
    r"(?!(?<=\d)\.\s+" + _GERMAN_ORDINAL_AFTER + r")[.!?]+(?=\s|$)|[;\n]+|,(?=\s)(?!\s+20\d\d\b)|"
    r"\s[-–—]+\s|\s\+\s(?=(?:we|i|i'd|we'd|also|our|my|need|want)\b)|"
    r"\s(?:but|because|although|though|however)\s|"
    r"(?<!\bme)\s(?:and|&)\s(?=(?:i|i'm|i'd|im|we|we're|we'd|we've|we'll|our|my|it|it's|"
    r"the|they|there|that|this|need|want|would|will|have|looking|hoping|plan|planning|"
    r"budget|timeline|me|us|tells|shows|lets|helps|gives|tracks|sends|also)\b)",
    re.I,
)
_EDGES = " \t\r\n,;:.!?-–—\"'()[]"
_WORD = re.compile(r"[^\W\d_]+")
# Chat shorthand too short for typo matching.
_SHORTHAND = {
    "nxt": "next",
    "mnth": "month",
    "mnths": "months",
    "wk": "week",
    "wks": "weeks",
    "ppl": "people",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "anum": "annum",
    "eoy": "end of the year",
    "eoq": "end of the quarter",
    "eom": "end of the month",
}
_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|dozen|couple|few|half)\b"
)


@dataclass(frozen=True)
class Clause:
    """One clause: its span in the message, its words, and cleaned copies."""

    start: int
    end: int
    raw: str
    text: str
    digits: str
    sentence: int = 0
    language: str = "en"
    """The conversation's language (ISO 639-1): which words name a company or a person."""


def mask(text: str, patterns: Iterable[re.Pattern[str]]) -> str:
    """``text`` with every match of ``patterns`` blanked out, offsets unchanged."""
    for pattern in patterns:
        text = pattern.sub(lambda match: " " * len(match.group()), text)
    return text


def clean(text: str, vocabulary: Vocabulary) -> str:
    """Lower case, straight apostrophes, typos of known words corrected.

    Capitalised words after the first are taken as names and left alone.
    """
    straight = text.replace("’", "'").replace("‘", "'")

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if match.start() > 0 and word[0].isupper():
            return word.lower()
        lowered = word.lower()
        return _SHORTHAND.get(lowered) or vocabulary.correct(lowered)

    return _WORD.sub(fix, straight)


def with_digits(text: str) -> str:
    """``text`` with numbers in words as digits; untouched when it has none."""
    return words_to_digits(text) if _NUMBER_WORD.search(text) else text


def split_clauses(message: str, vocabulary: Vocabulary, language: str = "en") -> list[Clause]:
    """The clauses of ``message``, with emails, links and phone numbers blanked out; each
    knows the ``language`` the conversation is held in."""
    masked = mask(message, (EMAIL_TOKEN, URL, _PHONE))
    clauses: list[Clause] = []
    position = sentence = 0
    for match in [*_BREAK.finditer(masked), None]:
        stop = match.start() if match is not None else len(masked)
        piece = masked[position:stop]
        stripped = piece.strip(_EDGES)
        if stripped:
            begin = position + piece.index(stripped)
            end = begin + len(stripped)
            text = clean(stripped, vocabulary)
            raw = message[begin:end]
            digits = with_digits(text)
            clauses.append(Clause(begin, end, raw, text, digits, sentence, language))
        if match is not None:
            position = match.end()
            if match.group().strip(" ,-–—&") and not match.group().strip().isalpha():
                sentence += 1
    return clauses


def sentences(clauses: Iterable[Clause]) -> list[list[Clause]]:
    """The clauses grouped by the sentence they belong to, in order."""
    grouped: dict[int, list[Clause]] = {}
    for clause in clauses:
        grouped.setdefault(clause.sentence, []).append(clause)
    return list(grouped.values())


def span(message: str, clauses: Iterable[Clause]) -> str:
    """The message's words from the first of ``clauses`` to the last."""
    chosen = list(clauses)
    if not chosen:
        return ""
    return message[min(c.start for c in chosen) : max(c.end for c in chosen)]
