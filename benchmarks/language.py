"""Language detection on short chat messages: how often each detector is right, how often
it is sure and wrong (a wrong switch of the conversation's language), and its speed.

    python benchmarks/language.py [evals/language/messages.yaml]

The corpus is a YAML list of ``{text, language}``; ``language: null`` marks a text no
reader could attribute ("ok", "50k", an email address). For every detector it prints:
right (the guess is the label, among labelled texts), sure and wrong at the first-message
and switch thresholds of :mod:`agent.language`, texts without a language that would move a
conversation, and microseconds per message (after a warm-up).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.language import FIRST_CONFIDENCE, SWITCH_CONFIDENCE, LanguageDetector
from agent.language_detectors import EnsembleDetector, FastTextDetector, LinguaDetector

CANDIDATES = ("en", "de", "es", "fr", "pt")


def measure(detector: LanguageDetector, corpus: list[dict[str, Any]]) -> dict[str, float]:
    for item in corpus[:20]:
        detector.guess(item["text"], CANDIDATES)
    labelled = [item for item in corpus if item["language"]]
    blank = [item for item in corpus if not item["language"]]
    started = time.perf_counter()
    guesses = [detector.guess(item["text"], CANDIDATES) for item in corpus]
    micros = (time.perf_counter() - started) / len(corpus) * 1e6
    by_text = {id(item): guess for item, guess in zip(corpus, guesses, strict=True)}

    def share(items: list[dict[str, Any]], test: Any) -> float:
        return sum(1 for item in items if test(item, by_text[id(item)])) / max(1, len(items))

    return {
        "right": share(labelled, lambda i, g: g.language == i["language"]),
        "sure_wrong_first": share(
            labelled,
            lambda i, g: g.language != i["language"] and g.confidence >= FIRST_CONFIDENCE,
        ),
        "sure_wrong_switch": share(
            labelled,
            lambda i, g: g.language != i["language"] and g.confidence >= SWITCH_CONFIDENCE,
        ),
        "blank_moves": share(blank, lambda i, g: g.confidence >= FIRST_CONFIDENCE),
        "us_per_message": micros,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="evals/language/messages.yaml")
    args = parser.parse_args()
    corpus = yaml.safe_load(Path(args.corpus).read_text(encoding="utf-8"))
    labelled = sum(1 for item in corpus if item["language"])
    print(f"{len(corpus)} messages, {labelled} with a language")
    print(
        f"{'detector':<10} {'right':>6} {'sure+wrong@first':>17} {'@switch':>8} "
        f"{'blank moves':>12} {'µs/msg':>8}"
    )
    for name, detector in (
        ("fasttext", FastTextDetector()),
        ("lingua", LinguaDetector()),
        ("ensemble", EnsembleDetector()),
    ):
        row = measure(detector, corpus)
        print(
            f"{name:<10} {row['right']:>6.3f} {row['sure_wrong_first']:>17.3f} "
            f"{row['sure_wrong_switch']:>8.3f} {row['blank_moves']:>12.3f} "
            f"{row['us_per_message']:>8.0f}"
        )


if __name__ == "__main__":
    main()
