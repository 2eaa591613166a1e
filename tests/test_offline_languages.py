"""The offline model writes its acknowledgement in the conversation's language: the
catalogue of that language, need names from the playbook, numbers grouped as the language
writes them."""

from __future__ import annotations

from datetime import date

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from agent.context import TurnContext, render_state
from agent.language_detectors import EnsembleDetector
from agent.models import FieldName
from agent.offline_model import OfflineChatModel
from agent.playbook import Playbook
from agent.prompts import PromptSet

TODAY = date(2026, 11, 24)


def reply(
    model: OfflineChatModel, text: str, language: str, asking: FieldName | None = None
) -> str:
    state = render_state(TurnContext(today=TODAY, asking=asking, language=language))
    answer = model.invoke([SystemMessage(f"Qualify leads.\n{state}"), HumanMessage(text)])
    return str(answer.content)


@pytest.fixture
def model(playbook: Playbook, prompts: PromptSet) -> OfflineChatModel:
    return OfflineChatModel(playbook=playbook, prompts=prompts)


@pytest.mark.parametrize(
    ("language", "grouped"), [("en", "60,000"), ("de", "60.000"), ("fr", "60\u202f000")]
)
def test_a_budget_is_acknowledged_in_the_language_with_its_grouping(
    model: OfflineChatModel, language: str, grouped: str
) -> None:
    said = reply(model, "About $60k a year", language, asking="budget")
    assert grouped in said
    assert EnsembleDetector().guess(said, ("en", "de", "es", "fr", "pt")).language == language


@pytest.mark.parametrize(
    ("language", "need"),
    [
        ("de", "Analyse von Kundenbindung und Abwanderung"),
        ("es", "análisis de retención y abandono"),
        ("pt", "análise de retenção e churn"),
    ],
)
def test_the_need_is_named_in_the_language(
    model: OfflineChatModel, language: str, need: str
) -> None:
    said = reply(model, "We need to understand retention and churn", language, asking="need")
    assert need in said


def test_an_unserved_language_gets_the_playbook_language(model: OfflineChatModel) -> None:
    assert reply(model, "About $60k a year", "it", asking="budget") == reply(
        model, "About $60k a year", "en", asking="budget"
    )
