"""Fixed messages in every language the shipped playbook serves: the same keys as the
English catalogues, the same template variables, and a missing text named precisely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jinja2 import Environment, meta

from agent.errors import PromptError
from agent.language_detectors import EnsembleDetector
from agent.playbook import Playbook
from agent.prompts import CATALOGUES, PromptSet

LANGUAGES = ("de", "es", "fr", "pt")


def _leaves(catalogue: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in catalogue.items():
        if isinstance(value, dict):
            out |= _leaves(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


def _variables(template: str) -> set[str]:
    return meta.find_undeclared_variables(Environment().parse(template))


def test_the_prompt_set_has_every_language_the_playbook_serves(
    prompts: PromptSet, playbook: Playbook
) -> None:
    assert set(playbook.languages) <= set(prompts.languages)
    for code in playbook.languages:
        assert prompts.missing_texts(code) == []


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("name", CATALOGUES)
def test_translations_use_the_same_variables(prompts: PromptSet, code: str, name: str) -> None:
    english = _leaves(prompts.catalogue(name))
    translated = _leaves(prompts.catalogue(name, code))
    assert set(translated) == set(english)
    for key, template in english.items():
        assert _variables(translated[key]) == _variables(template), f"{code}/{name}: {key}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_fixed_messages_read_as_their_language(prompts: PromptSet, code: str) -> None:
    detector = EnsembleDetector()
    for key in ("greeting", "handoff_ask_about", "complete", "turn_failed"):
        text = prompts.message(key, language=code, company="Beacon")
        assert detector.guess(text, ("en", *LANGUAGES)).language == code, (key, text)


def test_a_missing_text_is_named_with_its_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "messages.yaml").write_text("greeting: Hi\ncomplete: Done\n")
    (tmp_path / "offline.yaml").write_text("alone: {timeline: 'Got it'}\n")
    (tmp_path / "widget.yaml").write_text("send: Send\n")
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "messages.yaml").write_text("greeting: Hallo\n")
    (tmp_path / "de" / "offline.yaml").write_text(yaml.safe_dump({"alone": {}}))
    prompts = PromptSet(tmp_path)
    assert prompts.languages == ("en", "de")
    assert prompts.missing_texts("de") == [
        "de/messages.yaml: complete",
        "de/offline.yaml: alone.timeline",
        "de/widget.yaml",
    ]
    assert prompts.missing_texts("fr") == [
        "fr/messages.yaml",
        "fr/offline.yaml",
        "fr/widget.yaml",
    ]
    assert prompts.message("greeting", language="de") == "Hallo"
    with pytest.raises(PromptError, match=r"de/messages\.yaml has no message 'complete'"):
        prompts.message("complete", language="de")
