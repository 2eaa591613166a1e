"""A request to talk to a person in another language, read by its nearest example.

The rules of :mod:`agent.offline.human` hold the usual ways of asking for a person in each
language; a prospect who writes "gibt es bei Ihnen einen Ansprechpartner, der mir das
Produkt einmal persönlich vorführen kann?" asks in words they do not hold. When the rules
found no request in a conversation held in German, Spanish, French or Portuguese, the
message's sentences are embedded with the multilingual sentence model (see
:mod:`knowledge.multilingual`) and compared with the playbook's ``requested_human``
examples: requests, and look-alikes ("I need to talk to my boss first", "please don't
call me") under ``none``.
"""

from __future__ import annotations

from typing import Any

from agent.offline.foreign_message import ForeignMessage

_REQUESTED = "requested"


def _with_mark(text: str, words: str) -> str:
    """``words`` with the question or exclamation mark that ends them in ``text``: a
    question is what asks for someone."""
    start = text.find(words)
    if start < 0:
        return words
    end = start + len(words)
    while end < len(text) and text[end] in " ?!？！":
        end += 1
    return text[start:end].rstrip()


def asked_for_a_person(message: ForeignMessage) -> dict[str, Any] | None:
    """The ``human`` group for a request the rules did not read, or None."""
    multilingual = message.classifiers
    section = message.playbook.exemplars.requested_human
    if section is None or message.groups["human"]:
        return None
    candidates = [_with_mark(message.text, words) for words in message.sentences()]
    if not candidates:
        return None
    classifier = multilingual.classifier(section)
    for words, vector in zip(candidates, multilingual.embed(candidates), strict=True):
        verdict = classifier.classify(vector)
        if verdict is not None and verdict.label == _REQUESTED:
            return {"quote": words, "requested": True}
    return None
