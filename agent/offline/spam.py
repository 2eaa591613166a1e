"""Spam: keyboard mashing and link dumps.

A message is gibberish when most of its words (nearly all, in a message of a few words)
are in no English word list (wordfreq), are not words the playbook knows, and are not
typos of either ("asdkjh qwpoe zzzx"); a key held down ("zzzzzzz"), a pattern typed
over and over ("hjkhjkhjk") or a run along a keyboard row ("asdf", "qwerty") is no word,
and chat noises ("lol") are left out. Several links, or a link with promotional words,
is link spam. A message shouted in capitals with the trappings of a promotion (amounts,
"!!!", emoji, links or phone numbers) is spam in any language.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

from agent.language import KEYBOARD_ROWS, QWERTY_ROWS
from agent.offline.lexicon import Vocabulary
from agent.offline.text import EMAIL_TOKEN, URL

_WORD = re.compile(r"[^\W\d_]{2,}")
# A key held down or a pattern typed over and over: "zzzzzzz", "jjj", "hjkhjkhjk", "lolol".
_MASHED = re.compile(r"(.)\1\1|^(\w{1,3})\2{2,}\w{0,2}$")
_PROMO = re.compile(
    r"\b(?:buy|cheap|discount|offer|free|click|visit|check out|earn|casino|crypto|seo|followers|"
    r"promo|deal|win|prize)\b",
    re.I,
)


# Runs along a keyboard row ("asdf", "qwerty", "jkl"): typed, not written.
_ROWS = QWERTY_ROWS
# Chat noises that are neither words of a message nor mashing.
_NOISE = re.compile(
    r"^(?:h+m+|m+h?m+|u+m+|e+r+m*|a+h+|o+h+|o+k+a*y*|l+o+l+|lmf?ao+|(?:h+a+)+h*|(?:h+e+)+h*|"
    r"x+d+|idk|yay+|w+o+w+)$"
)


def _typed_along_a_row(word: str) -> bool:
    return len(word) >= 3 and any(word in row for row in _ROWS)


_REPEATED = re.compile(r"^(\w{2,5})\1+$")


def _typed_in(word: str, language: str) -> bool:
    """A run along a row of ``language``'s keyboard, or such a run typed over and over
    ("qsdfqsdf")."""
    repeated = _REPEATED.match(word)
    unit = repeated.group(1) if repeated else word
    rows = (*_ROWS, *KEYBOARD_ROWS.get(language, ()))
    return len(word) >= 3 and len(unit) >= 3 and any(unit in row for row in rows)


@lru_cache(maxsize=65536)
def _known_in(word: str, language: str) -> bool:
    """Whether wordfreq knows ``word`` in ``language`` (cached: every word is asked)."""
    return bool(zipf_frequency(word, language) > 0)


def is_gibberish(text: str, vocabulary: Vocabulary, language: str = "en") -> bool:
    """Whether ``text`` is keyboard mashing. In a conversation held in another language,
    words of that language are words too, and so are runs along its keyboard's rows."""
    found = [word.lower() for word in _WORD.findall(URL.sub(" ", EMAIL_TOKEN.sub(" ", text)))]
    words = [word for word in found if not _NOISE.match(word)]
    if not words:
        return False
    if language == "en":
        unknown = [
            word
            for word in words
            if _MASHED.search(word) or _typed_along_a_row(word) or not vocabulary.is_word(word)
        ]
    else:
        unknown = [
            word
            for word in words
            if _MASHED.search(word)
            or _typed_in(word, language)
            or not (_known_in(word, language) or vocabulary.is_word(word))
        ]
    if len(words) == 1:
        word = words[0]
        mashed = _MASHED.search(word) is not None and len(word) >= 5
        return bool(unknown) and (
            mashed or (len(word) >= 7 and not re.search(r"[aeiouy]", word[1:-1]))
        )
    share = len(unknown) / len(words)
    # A short answer of names ("Kovo, a neobank, ~90 people") has as many unknown words as
    # known ones: a few words are gibberish only when nearly all are unknown.
    return len(unknown) >= 2 and share >= (0.6 if len(words) >= 5 else 0.75)


# The bait of a phishing text, in the languages the agent speaks: a parcel held at
# customs, a fee to pay, an account to verify, a prize to claim; and its call to pay or
# click. Both, with a link, make a phishing text.
_BAIT = re.compile(
    r"\b(?:(?:customs|delivery) (?:fee|charge|duty)|verify your account|(?:held|retenid[oa]|"
    r"retid[oa]|bloqu[eé]e?|blocked) (?:\w+ ){0,2}(?:customs|aduana|alf[aâ]ndega|douane|zoll)|"
    r"tasa de aduana|taxa de entrega|frais de (?:livraison|douane)|zollgeb\w*|zustellgeb\w*|"
    r"gewinnen sie|gane hasta|ganhe at[eé]|gagnez|claim your prize)\b",
    re.I,
)
_CALL = re.compile(
    r"\b(?:pay|payment|pague|pago|pagar|pagamento|bezahlen|zahlen|payer|paiement|verify|"
    r"verifique|v[eé]rifiez|claim|reclame|regularice|regularize|clique|click|klicken|cliquez)\b",
    re.I,
)
# Any host name, for the bait's link: "paket-zustellung-de.top" is a link in such a text.
_HOST = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}(?:/\S*)?(?![\w.@])", re.I)


def is_link_spam(text: str) -> bool:
    """Several links, a link with promotional words, or a link with a phishing bait."""
    text = unicodedata.normalize("NFKC", text)  # "𝐆𝐄𝐖𝐈𝐍𝐍𝐄𝐍" is "GEWINNEN"
    plain = EMAIL_TOKEN.sub(" ", text)
    links = URL.findall(plain)
    if len(links) >= 2 or (len(links) == 1 and _PROMO.search(text) is not None):
        return True
    baited = _BAIT.search(text) is not None and _CALL.search(text) is not None
    return baited and (bool(links) or _HOST.search(plain) is not None)


_LETTER = re.compile(r"[^\W\d_]")
# The trappings of a promotion: an amount or a share, "!!", emoji, a link, a phone number.
_TRAPPINGS = (
    re.compile(r"[$€£]\s?\d|\d\s?(?:[$€£%]|eur\b|r\$)|\br\$\s?\d", re.I),
    re.compile(r"!!"),
    re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]"),
    re.compile(r"https?://|www\.|\.(?:com|biz|info|net)\b|\+\d[\d ]{7,}"),
)


def is_shouted_promotion(text: str) -> bool:
    """Whether ``text`` is written mostly in capitals (at least 30 letters, 70 % of them) and
    carries two kinds of promotional trappings: "GANE HASTA 5.000€ AL MES!!! 🎁"."""
    letters = _LETTER.findall(EMAIL_TOKEN.sub(" ", text))
    if len(letters) < 30 or sum(ch.isupper() for ch in letters) < 0.7 * len(letters):
        return False
    return sum(1 for trapping in _TRAPPINGS if trapping.search(text)) >= 2
