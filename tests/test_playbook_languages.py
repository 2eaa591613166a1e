"""A playbook in several languages: every declared language has every text a prospect
reads, a gap is named with its path, and a question comes in the language asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.errors import PlaybookError
from agent.models import LeadProfile
from agent.playbook import Playbook, parse_playbook
from agent.questions import next_question
from agent.resources import default_playbook_path
from tests.test_cli import run

LANGUAGES = ("en", "de", "es", "fr", "pt")


def _beacon() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(default_playbook_path().read_text())
    return data


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(yaml.safe_dump(data, allow_unicode=True), "broken.yaml")
    return caught.value.problems


def test_beacon_speaks_five_languages_with_every_text(playbook: Playbook) -> None:
    assert playbook.languages == LANGUAGES
    assert playbook.reps_language == "en"
    for code in LANGUAGES:
        for question in playbook.questions:
            assert playbook.wordings(question.field, code)
            assert len(playbook.labels(question.field, code)) == len(question.quick_replies)
        assert playbook.response_time(code)
    assert playbook.wordings("budget", "de")[0].startswith("Haben Sie dafür ein Budget")
    assert playbook.response_time("es") == "en un día laborable"
    assert playbook.need_name("retention and churn analysis", "pt") == (
        "análise de retenção e churn"
    )
    assert playbook.need_name("retention and churn analysis", "en") == (
        "retention and churn analysis"
    )


def test_every_missing_text_is_named_with_its_path() -> None:
    data = _beacon()
    german = data["translations"]["de"]
    del german["questions"]["timeline"]
    german["questions"]["budget"]["quick_replies"] = german["questions"]["budget"]["quick_replies"][
        :3
    ]
    del german["response_time"]
    del german["needs"]["warehouse sync"]
    german["needs"]["time travel"] = "Zeitreisen"
    german["need_examples"] = {"time travel": ["Wir wollen zurück ins Jahr 1999."]}
    del data["translations"]["pt"]
    data["translations"]["it"] = data["translations"]["fr"]
    problems = dict(_problems(data))
    assert problems == {
        "translations.de.needs.warehouse sync": "missing",
        "translations.de.needs.time travel": "the playbook has no such need",
        "translations.de.need_examples.time travel": "the playbook has no such need",
        "translations.it": "it is not in languages",
        "translations.de.questions.budget.quick_replies": (
            "4 label(s) needed, one per quick reply of the budget question in order; found 3"
        ),
        "translations.de.questions.timeline": "missing",
        "translations.de.response_time": "missing",
        "translations.pt": "missing: the language is declared in languages",
    }


def test_a_translation_of_no_question_is_refused() -> None:
    data = _beacon()
    data["translations"]["de"]["questions"]["wallet"] = {"wordings": ["Brieftasche?"]}
    [(path, message)] = _problems(data)
    assert path.startswith("translations.de.questions.wallet")
    assert "'budget', 'authority', 'need', 'timeline', 'company' or 'contact'" in message


@pytest.mark.parametrize(
    ("languages", "problem"),
    [
        (["en", "deutsch"], "'deutsch' is not a two-letter language code"),
        (["en", "qq"], "'qq' is not a known language"),
        (["en", "de", "de"], "de is listed twice"),
        ([], "at least 1 item"),
    ],
)
def test_bad_language_lists_are_refused(languages: list[str], problem: str) -> None:
    data = _beacon()
    data["languages"] = languages
    data.pop("translations")
    problems = _problems(data)
    assert any(path.startswith("languages") and problem in message for path, message in problems)


def test_a_one_language_playbook_needs_no_translations() -> None:
    data = _beacon()
    data.pop("languages")
    data.pop("translations")
    playbook = parse_playbook(yaml.safe_dump(data, allow_unicode=True))
    assert playbook.languages == ("en",)
    assert playbook.wordings("need", "de") == playbook.question("need").wordings


def test_the_next_question_comes_in_the_conversation_language(playbook: Playbook) -> None:
    german = next_question(LeadProfile(), {}, playbook, language="de")
    assert german is not None and german.field == "need"
    assert german.text == playbook.wordings("need", "de")[0]
    budget = next_question(LeadProfile(), {"need": 2}, playbook, language="pt")
    assert budget is not None and budget.field == "budget"
    assert budget.quick_replies == playbook.labels("budget", "pt")
    unserved = next_question(LeadProfile(), {}, playbook, language="it")
    assert unserved is not None and unserved.text == playbook.question("need").wordings[0]


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_translated_chip_records_the_same_value(playbook: Playbook, code: str) -> None:
    for index, label in enumerate(playbook.labels("budget", code)):
        choice = playbook.typed_choice(label.upper(), "budget")
        assert choice is not None and choice.index == index
        assert choice.chip.value == playbook.question("budget").quick_replies[index].value


def test_playbook_check_names_the_missing_texts(tmp_path: Path) -> None:
    data = _beacon()
    del data["translations"]["fr"]["questions"]["contact"]
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    checked = run("playbook", "check", str(path), data_dir=tmp_path)
    assert checked.returncode != 0
    assert "translations.fr.questions.contact: missing" in checked.stdout + checked.stderr
