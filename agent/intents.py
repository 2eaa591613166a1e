"""Questions in a prospect message, and the buying signals they carry.

Pure functions with no model: :func:`find_questions` picks the sentences that ask something
(the engine retrieves passages for them), and :func:`find_signals` names the playbook's
intent signals ("pricing", "security_review") whose keywords those questions use. Sentences
that try to instruct the model are never questions, so they retrieve nothing and signal
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from agent.offline.guard import is_injection, speaks_as_system
from agent.offline.human import asks_for_person
from agent.playbook import SignalDef

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_CUE = re.compile(
    r"\b(?:who|whom|whose|what|what's|whats|when|where|where's|why|how|how's|which|"
    r"do|does|did|is|isn't|are|aren't|can|can't|could|will|would|should|shall|may|"
    r"have|has|any|anything|whether)\b"
)
_OPENER = re.compile(
    r"^(?:(?:and|so|also|ok|okay|oh|hi|hey|btw|quick question|one more thing)[,:]?\s+)*"
    r"(?:(?:do|does|did|is|are|can|could|will|would|should|have|has)\s+"
    r"(?:you|your|beacon|it|there|i|we|our|the|they|this|that|a|an)\b"
    r"|(?:how|what|which|where|why|who|when)\s+(?:is|are|was|do|does|did|can|could|would|will|"
    r"should|much|many|long|often|about|kind|sort|type|happens|if|exactly)\b"
    r"|(?:what's|whats|how's|where's|who's)\b"
    r"|tell me (?:about|more|how|what|whether|if)\b"
    r"|i(?:'d| would) (?:like|love|want) to (?:know|understand|learn)\b"
    r"|i(?:'m| am| was)? (?:wondering|curious)\b|i wonder\b"
    r"|(?:any|some) (?:info|information|details|docs|documentation) (?:on|about)\b)"
)
_MIN_WORDS = 4
_MIN_CUED_WORDS = 3
# Question words and the verbs questions open with, in the other languages prospects are
# served in: a short question ending in "?" asks when it has one ("Was kostet Beacon?").
_LANGUAGE_CUES = {
    language: re.compile(r"(?<!\w)(?:" + "|".join(words.split()) + r")(?!\w)")
    for language, words in {
        "de": "wer wen wem wessen was wann wo woher wohin warum wieso weshalb wie welche "
        "welcher welches welchen gibt geht kann kann's können könnt ist sind seid habt "
        "haben hat bietet bietest unterstützt unterstützen lässt muss",
        "es": "qué que quién quien quiénes cuándo cuando dónde donde por cómo como cuál cual "
        "cuáles cuánto cuanto cuánta cuánta cuántos cuantos hay puede pueden puedo tienen "
        "tiene tienes es son está están ofrecen funciona incluye",
        "fr": "qui que quoi qu quand où pourquoi comment quel quelle quels quelles combien "
        "est-ce y-a-t-il peut peut-on pouvez puis avez as est sont proposez faut fonctionne "
        "inclut gère",
        "pt": "quem que quê quando onde por como qual quais quanto quanta quantos quantas há "
        "tem têm tens pode podem posso é são está estão oferecem funciona inclui dá",
    }.items()
}


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as written, each with its closing punctuation."""
    return [match.group().strip() for match in _SENTENCE.finditer(text) if match.group().strip()]


def find_questions(text: str, keywords: Iterable[str] = (), language: str = "en") -> list[str]:
    """The sentences of ``text`` that ask something, in order.

    A sentence asks when it opens like a question ("do you ...", "how much ...", "tell me
    about ...") or ends with a question mark and is more than a tentative answer: it has a
    question word (English, or of the conversation's ``language``) and three words, four
    words, or one of ``keywords`` ("SOC 2?", but not "50k?" or "who else?").
    """
    cue = _LANGUAGE_CUES.get(language)
    if speaks_as_system(text):
        return []
    known = _known_pattern(tuple(keywords))
    found = []
    for sentence in sentences(text):
        lowered = sentence.lower().replace("’", "'")
        if is_injection(lowered) or asks_for_person(lowered):
            continue  # "can I talk to a person?" is a request, not a product question
        asks = _OPENER.search(lowered) is not None
        if not asks and lowered.endswith("?"):
            # Words only: French writes a space before "?".
            words = sum(1 for word in lowered.split() if any(ch.isalnum() for ch in word))
            asks = (
                (words >= _MIN_CUED_WORDS and _cued(lowered, cue))
                or words >= _MIN_WORDS
                or (known is not None and known.search(lowered) is not None)
            )
        if asks:
            found.append(sentence)
    return found


def _cued(sentence: str, language_cue: re.Pattern[str] | None) -> bool:
    """Whether ``sentence`` has a question word, in English or the conversation's language."""
    if _CUE.search(sentence) is not None:
        return True
    return language_cue is not None and language_cue.search(sentence) is not None


def find_signals(questions: Sequence[str], signals: Sequence[SignalDef]) -> tuple[str, ...]:
    """The names of ``signals`` whose keywords appear in ``questions``, in playbook order."""
    if not questions or not signals:
        return ()
    text = " ".join(question.lower().replace("’", "'") for question in questions)
    named = []
    for signal in signals:
        pattern = _keyword_pattern(tuple(keyword.lower() for keyword in signal.keywords))
        if pattern is not None and pattern.search(text):
            named.append(signal.name)
    return tuple(named)


def signal_keywords(signals: Sequence[SignalDef]) -> tuple[str, ...]:
    return tuple(keyword for signal in signals for keyword in signal.keywords)


@lru_cache(maxsize=64)
def _known_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    return _keyword_pattern(tuple(sorted({k.lower() for k in keywords})))


@lru_cache(maxsize=256)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any keyword as whole words; spaces also match hyphens."""
    if not keywords:
        return None
    parts = sorted((re.escape(k).replace(r"\ ", r"[\s-]+") for k in keywords), key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(reversed(parts)) + r")(?!\w)")
