"""The language a conversation is held in.

A conversation's language starts from what the widget knows (an admin's ``data-lang``
override, the browser's language, the page's ``lang``) and follows the prospect: each
message is run through a detector made for short text, and a message that is clearly in
another supported language switches the conversation from the next reply on. Texts that
tell nothing ("ok", "50k", an email address, an emoji) never move it.

:func:`choose_language` is pure: data in, the choice and why out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

from babel import Locale
from pydantic import BaseModel, ConfigDict
from wordfreq import zipf_frequency

LanguageSource = Literal["forced", "detected", "browser", "page", "default"]

FIRST_CONFIDENCE = 0.5
"""A first message sets the language when the detector is at least this sure."""
SWITCH_CONFIDENCE = 0.8
"""A later message in another language switches the conversation when at least this sure."""
SWITCH_WORDS = 3
"""A later message needs this many words to switch: an English job title or tool name in
a Spanish conversation ("Account executive.") is no switch."""
HELD_ZIPF = 5.0
HELD_MARGIN = 2.5
"""A word at least this common in the conversation's language (Zipf scale, wordfreq) and
this much less common in the detected one still holds the conversation ("Sou product
marketing manager": "sou" is Portuguese, not English)."""
MIN_LETTERS = 4
"""Fewer letters than this (after emails, links, numbers and symbols are dropped) tell
nothing about a language."""

_NOISE = re.compile(
    r"\S+@\S+"  # email addresses
    r"|https?://\S+|www\.\S+"  # links
    r"|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b"  # domains ("bit-monedax.example.net")
    r"|[^\W_]*\d[^\W_]*"  # numbers and tokens with digits (50k, Q2, 2027)
    r"|[^\w\s'’-]",  # symbols, punctuation, emoji
    re.UNICODE,
)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Guess:
    """What a detector made of one text: a language and how sure it is (0 to 1), or
    ``language=None`` when the text tells nothing."""

    language: str | None
    confidence: float = 0.0

    def __bool__(self) -> bool:
        return self.language is not None


class LanguageDetector(Protocol):
    """Guesses the language of a short text among ``candidates`` (ISO 639-1 codes)."""

    def guess(self, text: str, candidates: Sequence[str]) -> Guess: ...


class LanguagePriors(BaseModel):
    """What the channel knows before the prospect has said anything telling."""

    model_config = ConfigDict(frozen=True)

    forced: str | None = None
    """The admin's choice for this widget (``data-lang``): detection is off."""
    browser: str | None = None
    """The browser's preferred language (``navigator.language``)."""
    page: str | None = None
    """The page's ``<html lang>``."""


class LanguageChoice(BaseModel):
    """The conversation's language and where it came from."""

    model_config = ConfigDict(frozen=True)

    language: str
    source: LanguageSource


def primary_subtag(tag: str | None) -> str | None:
    """``de`` for ``de-AT``, ``pt`` for ``pt_BR``; None for an empty or malformed tag."""
    if not tag:
        return None
    head = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return head if re.fullmatch(r"[a-z]{2,3}", head) else None


def telling_text(text: str) -> str:
    """The words of ``text`` a detector should see: emails, links, numbers, symbols and
    emoji dropped, shouting in lower case; empty when fewer than :data:`MIN_LETTERS`
    letters are left."""
    words = " ".join(_NOISE.sub(" ", text).split())
    # "GANHE DINHEIRO TRABALHANDO DE CASA": shouted words read as said ("SEO", "CRM" too).
    words = " ".join(word.lower() if word.isupper() else word for word in words.split())
    return words if len(_LETTERS.findall(words)) >= MIN_LETTERS else ""


def starting_language(
    priors: LanguagePriors, supported: Sequence[str], default: str
) -> LanguageChoice:
    """The language before any message: forced, else the browser's, else the page's, else
    the playbook's default; only a supported language counts."""
    for source, tag in (
        ("forced", priors.forced),
        ("browser", priors.browser),
        ("page", priors.page),
    ):
        code = primary_subtag(tag)
        if code in supported:
            return LanguageChoice(language=code, source=source)
    return LanguageChoice(language=default, source="default")


# Letters of each served language's alphabet beyond a-z. A letter only one candidate
# language writes ("ñ", "ß", "œ", "ã") tells a message with no words in it ("asdkjh
# ñlkjñlkj", a mashed German keyboard's "öööö") where the prospect types.
ALPHABETS: dict[str, str] = {
    "de": "äöüß",
    "es": "ñáéíóúü",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "pt": "ãõáâàçéêíóôú",
}
# Rows of the keyboards written on beside QWERTY: AZERTY (French), QWERTZ (German). A run
# along one ("azerty", "qsdfqsdf", "yxcvb") that no QWERTY row holds tells the keyboard.
QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEYBOARD_ROWS: dict[str, tuple[str, ...]] = {
    "fr": ("azertyuiop", "qsdfghjklm", "wxcvbn"),
    "de": ("qwertzuiopü", "asdfghjklöä", "yxcvbnm"),
}
# Chat words with no dictionary entry: laughter ("jajaja", "kkkkk", "rsrs", "mdr") and
# greetings stretched out ("oiii").
CHAT_WORDS: dict[str, re.Pattern[str]] = {
    "es": re.compile(r"^(?:j[aeijs]){2,}j?$"),
    "pt": re.compile(r"^(?:k{4,}|(?:rs){2,}|o+i+)$"),
    "fr": re.compile(r"^(?:mdr+|ptdr+)$"),
}
_REPEATED_RUN = re.compile(r"^(\w{2,5})\1+$")


def _typed_on(word: str, language: str) -> bool:
    """A run of at least four keys along a row of ``language``'s own keyboard layout."""
    repeated = _REPEATED_RUN.match(word)
    unit = repeated.group(1) if repeated else word
    return (
        len(unit) >= 4
        and any(unit in row for row in KEYBOARD_ROWS.get(language, ()))
        and not any(unit in row for row in QWERTY_ROWS)
    )


def alphabet_guess(text: str, candidates: Sequence[str]) -> Guess:
    """The one candidate language that letters only it writes, its keyboard's rows or its
    chat words point to, or no guess: for messages a detector can make little of."""
    lowered = text.lower()
    owners: set[str] = set()
    for letter in set(lowered) - set("abcdefghijklmnopqrstuvwxyz"):
        writers = [code for code in candidates if letter in ALPHABETS.get(code, "")]
        if len(writers) == 1:
            owners.add(writers[0])
    for word in re.findall(r"[^\W\d_]+", lowered):
        owners.update(
            code
            for code in candidates
            if _typed_on(word, code) or ((chat := CHAT_WORDS.get(code)) and chat.match(word))
        )
    if len(owners) != 1:
        return Guess(None)
    return Guess(owners.pop(), FIRST_CONFIDENCE)


def holds_language(text: str, current: str | None, other: str | None) -> bool:
    """Whether ``text`` has a word common in ``current`` that ``other`` hardly uses: a
    message read as ``other`` that is still said in ``current`` around borrowed words
    ("Sou product marketing manager", "Ich bin Head of Growth")."""
    if current is None or other is None or current == other:
        return False
    return any(_held_by(word, current, other) for word in set(telling_text(text).lower().split()))


@lru_cache(maxsize=4096)
def _held_by(word: str, current: str, other: str) -> bool:
    common = zipf_frequency(word, current)
    return common >= HELD_ZIPF and common - zipf_frequency(word, other) >= HELD_MARGIN


def choose_language(
    current: LanguageChoice,
    guess: Guess,
    *,
    detected_before: bool,
    supported: Sequence[str],
    words: int = SWITCH_WORDS,
    held: bool = False,
) -> LanguageChoice:
    """The language after a prospect message the detector read as ``guess``.

    A forced language never moves. Before any message was telling (``detected_before`` is
    False) a guess of :data:`FIRST_CONFIDENCE` sets the language; after that, only a guess
    of :data:`SWITCH_CONFIDENCE` in another language, in a message of at least
    :data:`SWITCH_WORDS` ``words``, moves it. A message still ``held`` by the current
    language (:func:`holds_language`) never moves it.
    """
    language = guess.language
    if current.source == "forced" or language is None or language not in supported or held:
        return current
    threshold = SWITCH_CONFIDENCE if detected_before else FIRST_CONFIDENCE
    if guess.confidence < threshold or (detected_before and words < SWITCH_WORDS):
        return current
    return LanguageChoice(language=language, source="detected")


@lru_cache(maxsize=256)
def language_name(code: str) -> str:
    """The language's English name ("German" for ``de``), as a model is told it."""
    return str(Locale.parse(code).get_display_name("en") or code)


def conversation_language_line(language: str | None, reps_language: str) -> str | None:
    """ "Conversation in German" for reps reading leads in another language than the
    prospect wrote in (quotes stay in the prospect's words); None when they read the
    prospect's language or it is not known."""
    if language is None or language == reps_language:
        return None
    return f"Conversation in {language_name(language)}"
