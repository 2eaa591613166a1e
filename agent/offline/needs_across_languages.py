"""Needs said in everyday words of another language, read by their nearest example.

A prospect writing German, Spanish, French or Portuguese describes a problem ("o cliente
compra uma vez e a gente nunca mais vê ele de novo") in words no phrase list holds. Their
sentences are embedded with the multilingual sentence model (see
:mod:`knowledge.multilingual`), where they land near the playbook's example sentences of
the need they mean: the English ones and those the playbook's ``translations`` give for
the conversation's language. Only sentences that could say a need are compared (long
enough, not the answer to another question unless they say a want), and a need is taken
when its example is close and clearly closer than any need of the other kind (served or
not); a need Beacon does not serve must also be said as a want, not as what the business
does.
"""

from __future__ import annotations

import re
from typing import Any

from agent.exemplars import NONE, FieldExemplars, Verdict
from agent.models import FieldName
from agent.offline.foreign_message import MAX_CHARS, MIN_WORDS, ForeignMessage, Groups
from agent.offline.languages.needs import (
    DESCRIBES_BUSINESS,
    NOT_WANTED,
    STAFF_LEAVING,
    WANT_CUES,
    fold,
)
from agent.offline.lexicon import lexicon_for
from agent.offline.text import sentences, span
from agent.playbook import Playbook

# How close a sentence must be to a need's example, and by how much closer than to any
# need of the other kind; a sentence that says no want ("the customer buys once and never
# comes back") must be closer still, or far clearer.
_SIMILARITY = 0.40
_MARGIN = 0.05
_SITUATION_SIMILARITY = 0.46
_SITUATION_MARGIN = 0.15
_OUT_OF_SCOPE_SIMILARITY = 0.45
_ASKED = re.compile(r"^[\s\"'»”)]*[?？]")

# A served need read from a keyword or phrase ("retenção", "dashboard") whose sentence is
# clearly closer to a need Beacon does not serve ("os funcionários saem ao fim de três
# meses": staff turnover) named that other need; closer by less, the reading stands.
_OTHER_SENSE_LEAD = 0.08
_OTHER_SENSE_CEILING = 0.45

_EXAMPLES: dict[tuple[str, str, bool], FieldExemplars] = {}


def examples_in(playbook: Playbook, language: str, *, keywords: bool = True) -> FieldExemplars:
    """Each need's example sentences (with ``keywords``, its keywords when it has none),
    with those the playbook gives for ``language``."""
    key = (playbook.digest or playbook.name, language, keywords)
    found = _EXAMPLES.get(key)
    if found is None:
        translation = playbook.translations.get(language)
        extra = translation.need_examples if translation is not None else {}
        items = (*playbook.need.in_scope, *playbook.need.out_of_scope)
        examples = {
            item.name: (
                *(item.examples or (item.keywords if keywords else ())),
                *extra.get(item.name, ()),
            )
            for item in items
        }
        found = FieldExemplars(
            examples={name: said for name, said in examples.items() if said},
            min_similarity=_SIMILARITY,
            min_margin=_MARGIN,
        )
        _EXAMPLES[key] = found
    return found


def needs_in_other_words(message: ForeignMessage) -> dict[str, Any] | None:
    """The ``need`` group with the needs the message says in other words, or None when it
    adds none."""
    text, groups, asking, language = message.text, message.groups, message.asking, message.language
    read = groups["need"]
    if read is not None and (read.get("fit") != "none" or read.get("dropped")):
        return None  # the phrase lists read a need (or a need taken back) in this message
    # Only needs Beacon does not serve were read ("... and a tool for our newsletter"): a
    # problem Beacon solves said in other words beside them still counts.
    others = _other_quotes(groups) + ([str(read.get("quote") or "")] if read else [])
    said = message.sentences(without=str(read.get("quote") or "") if read else "")
    candidates = [
        words
        for words in said
        if not any(quote and (quote in words or words in quote) for quote in others)
        and not _asked(words, text)
        and _may_say_a_need(words, asking, language)
    ]
    if not candidates:
        return None
    staff = STAFF_LEAVING[language].search(fold(text))
    taken = _judged(message, candidates, staff is not None, read is not None)
    # A sentence no need was read in may join two statements ("nous éditons un logiciel de
    # facturation et on n'a aucune idée des fonctionnalités utilisées"): its parts are read
    # for a need Beacon serves.
    said_nothing = [words for words in candidates if words not in {w for w, _, _ in taken}]
    parts = [
        part
        for words in said_nothing
        for part in _parts(words)
        if _may_say_a_need(part, asking, language)
    ]
    taken += [t for t in _judged(message, parts, staff is not None, read is not None) if t[2]]
    found: dict[str, Any] | None = None
    for words, label, served in taken:
        found = _added(found or read, words, label, served, text)
    if found is None and read is None and staff is not None:
        found = _staff_need(message, candidates, staff.group(0))
    return None if found is read else found


def _judged(
    message: ForeignMessage, candidates: list[str], staff_leave: bool, read: bool
) -> list[tuple[str, str, bool]]:
    """Each candidate whose nearest need example is taken: its words, the need, and whether
    Beacon serves it."""
    if not candidates:
        return []
    playbook, language, asking = message.playbook, message.language, message.asking
    kinds = {item.name: "in_scope" for item in playbook.need.in_scope} | {
        item.name: "out_of_scope" for item in playbook.need.out_of_scope
    }
    classifier = message.classifiers.classifier(examples_in(playbook, language))
    taken: list[tuple[str, str, bool]] = []
    for words, vector in zip(candidates, message.classifiers.embed(candidates), strict=True):
        verdict = classifier.classify(vector, kinds)
        if verdict is None or verdict.label == NONE:
            continue
        served = kinds.get(verdict.label) == "in_scope"
        if served and staff_leave:
            continue  # "o pessoal entra e sai em 3 meses. Queria uma ferramenta pra isso"
        if read and not served:
            continue
        if not _taken(words, verdict, served=served, asking=asking, language=language):
            continue
        taken.append((words, verdict.label, served))
    return taken


def _staff_need(
    message: ForeignMessage, candidates: list[str], leaving: str
) -> dict[str, Any] | None:
    """The HR need of a message that says its staff leave and wants something for it."""
    if message.asking != "need" and not any(_wants(w, message.language) for w in candidates):
        return None
    hits = lexicon_for(message.playbook).needs.find("staff turnover")
    quote = next((s for s in message.sentences() if leaving in fold(s)), None)
    if not hits or hits[0].in_scope or quote is None:
        return None
    return {"quote": quote, "use_cases": [hits[0].item], "fit": "none"}


# "nous éditons un logiciel de facturation et on n'a aucune idée des fonctionnalités
# utilisées": what the business makes and the problem it has, joined in one sentence.
_JOINED = re.compile(
    r",?\s(?:et|y|e|und|mais|pero|aber|mas)\s(?=(?:on|nous|wir|ich|no|nao|"
    r"ne|n'|tenemos|temos|hemos|a gente|je|will|wollen|möchte|möchten|suche|suchen|brauche|"
    r"brauchen|quiero|queremos|necesito|necesitamos|busco|buscamos|veux|voulons|voudrais|"
    r"aimerais|aimerions|cherche|cherchons|quero|queremos|preciso|precisamos|gostaria|"
    r"gostaríamos)\b)",
    re.IGNORECASE,
)


def _parts(sentence: str) -> list[str]:
    """The parts of a sentence that joins two statements with their own subject, or none."""
    parts = [part for part in _JOINED.split(sentence) if len(part.split()) >= MIN_WORDS]
    return parts if len(parts) > 1 else []


def _other_quotes(groups: Groups) -> list[str]:
    """What the message said of a person to talk to or of who is writing: not a need."""
    return [
        str(group.get("quote") or "")
        for name in ("human", "disqualifier", "contact")
        if (group := groups.get(name)) is not None
    ]


def _asked(words: str, text: str) -> bool:
    """Whether ``words`` are a question ("¿cómo estructuráis los planes?"): a question
    about Beacon says what the prospect wants to know, not the problem they have."""
    if "¿" in words or "?" in words:
        return True
    end = text.find(words)
    return end >= 0 and _ASKED.match(text[end + len(words) :]) is not None


def _wants(words: str, language: str) -> bool:
    cue = WANT_CUES.get(language)
    return cue is not None and cue.search(fold(words)) is not None


def _may_say_a_need(words: str, asking: FieldName | None, language: str) -> bool:
    """An answer to the need question, a sentence said before any question, or one that
    says a want; not a refusal ("não precisamos de ...")."""
    folded = fold(words)
    refused = NOT_WANTED.get(language)
    if refused is not None and refused.search(folded):
        return False
    return asking in (None, "need") or _wants(words, language)


def _taken(
    words: str, verdict: Verdict, *, served: bool, asking: FieldName | None, language: str
) -> bool:
    wants = asking == "need" or _wants(words, language)
    if not served:
        describes = DESCRIBES_BUSINESS.get(language)
        if describes is not None and describes.search(fold(words)) and not _wants(words, language):
            return False  # "vendemos software de contabilidade": what the business sells
        return wants and verdict.similarity >= _OUT_OF_SCOPE_SIMILARITY
    if wants:
        return True
    return verdict.similarity >= _SITUATION_SIMILARITY or verdict.margin >= _SITUATION_MARGIN


def _added(
    found: dict[str, Any] | None, words: str, item: str, served: bool, text: str
) -> dict[str, Any]:
    fit = "strong" if served else "none"
    if found is None:
        return {"quote": words, "use_cases": [item], "fit": fit}
    if item in found["use_cases"]:
        return found
    start = min(text.find(found["quote"]), text.find(words))
    end = max(text.find(found["quote"]) + len(found["quote"]), text.find(words) + len(words))
    return {
        "quote": text[max(start, 0) : end] if start >= 0 else found["quote"],
        "use_cases": [*found["use_cases"], item],
        "fit": fit if found["fit"] == fit else "partial",
    }


def in_another_sense(message: ForeignMessage) -> dict[str, Any] | None:
    """The ``need`` group when the served need its keywords read is, by its sentence, a
    need Beacon does not serve ("Mitarbeiter kündigen ständig": staff turnover, not churn):
    that need with no fit. None when the reading stands."""
    multilingual, playbook = message.classifiers, message.playbook
    need = message.groups["need"]
    if need is None or need.get("fit") != "strong":
        return None
    quote = str(need.get("quote") or "")
    said = [span(message.text, group) for group in sentences(message.clauses)]
    # The sentence of the need and the one after it: "buscamos algo para mejorar la
    # retención. Este año se nos han ido 23 personas de la plantilla".
    at = [i for i, s in enumerate(said) if quote and (quote in s or s in quote)]
    around = " ".join(said[i] for i in sorted({*at, *(i + 1 for i in at)}) if i < len(said))
    around = around[:MAX_CHARS]
    if len(around.split()) < MIN_WORDS:
        return None
    classifier = multilingual.classifier(examples_in(playbook, message.language, keywords=False))
    similarities = classifier.vectors @ multilingual.embed([around])[0]
    served = {item.name for item in playbook.need.in_scope}
    best_in = max(
        (float(v) for v, x in zip(similarities, classifier.labels, strict=True) if x in served)
    )
    unserved = [
        (float(v), x)
        for v, x in zip(similarities, classifier.labels, strict=True)
        if x not in served
    ]
    if not unserved:
        return None
    best_out, other = max(unserved)
    if (
        best_in >= _OTHER_SENSE_CEILING
        or best_out < _OUT_OF_SCOPE_SIMILARITY
        or best_out - best_in < _OTHER_SENSE_LEAD
    ):
        return None
    return {**need, "use_cases": [other], "fit": "none"}
