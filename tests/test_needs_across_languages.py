"""Needs said in everyday words of German, Spanish, French and Portuguese that no phrase
list holds, read by the multilingual sentence model against the playbook's examples (the
real packaged model, as the offline model runs it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.exemplars import shared_classifiers
from agent.models import FieldName
from agent.offline import extract
from agent.offline.needs_across_languages import examples_in
from agent.playbook import Playbook, load_playbook
from agent.resources import default_playbook_path

PLAYBOOK = load_playbook(default_playbook_path())
TODAY = date(2027, 2, 1)


def _need(text: str, language: str, asking: FieldName | None = None) -> dict[str, Any] | None:
    found = extract(
        text,
        asking=asking,
        playbook=PLAYBOOK,
        today=TODAY,
        classifiers=shared_classifiers(),
        language=language,
    )
    need: dict[str, Any] | None = found.get("need")
    return need


@pytest.mark.parametrize(
    ("language", "text", "use_case"),
    [
        (
            "pt",
            "A pessoa faz a primeira encomenda connosco e depois desaparece para sempre.",
            "retention and churn analysis",
        ),
        (
            "es",
            "La gente se registra en la prueba gratuita pero casi nadie llega a pagar.",
            "funnel and conversion analysis",
        ),
        (
            "de",
            "Unsere Entwickler zeichnen die Aktionen der Nutzer völlig uneinheitlich auf, "
            "jede heißt dreimal anders.",
            "event tracking",
        ),
        (
            "fr",
            "On a lancé deux versions de la page d'accueil et personne ne sait laquelle marche "
            "le mieux.",
            "a/b test analysis",
        ),
    ],
)
def test_a_problem_in_everyday_words_is_a_need(language: str, text: str, use_case: str) -> None:
    need = _need(text, language)
    assert need is not None
    assert need["fit"] == "strong"
    assert use_case in need["use_cases"]


@pytest.mark.parametrize(
    ("language", "text", "asking"),
    [
        ("es", "¿Cómo cobráis los planes cuando crece el volumen de eventos?", None),
        ("pt", "Sou o diretor comercial e quem assina os contratos sou eu.", "authority"),
        ("de", "Wir sind eine Spedition mit rund 200 Leuten in Bremen.", "company"),
        ("fr", "Nous n'avons pas besoin de refaire notre site, merci.", "need"),
    ],
)
def test_what_says_no_need_is_not_read_as_one(
    language: str, text: str, asking: FieldName | None
) -> None:
    need = _need(text, language, asking)
    assert need is None or not need["use_cases"] or need["fit"] != "strong"


def test_a_business_that_sells_what_we_do_not_serve_wants_nothing_from_it() -> None:
    need = _need("Vendemos um software de contabilidade para pequenos escritórios.", "pt")
    assert need is None or need["fit"] != "none"


def test_an_english_conversation_is_left_to_the_english_model() -> None:
    need = _need("A pessoa faz a primeira encomenda connosco e depois desaparece.", "en")
    assert need is None


def test_the_playbook_adds_examples_per_language(playbook: Playbook) -> None:
    data = playbook.model_dump()
    data["translations"]["de"]["need_examples"] = {
        "retention and churn analysis": ["Die Leute kaufen einmal und kommen nie wieder."]
    }
    changed = Playbook.model_validate(data)
    german = examples_in(changed, "de").examples["retention and churn analysis"]
    spanish = examples_in(changed, "es").examples["retention and churn analysis"]
    assert german[-1] == "Die Leute kaufen einmal und kommen nie wieder."
    assert "Die Leute kaufen einmal und kommen nie wieder." not in spanish


def test_staff_turnover_is_no_customer_retention_need() -> None:
    need = _need(
        "Tenemos un problema de retención: los camareros se nos van a los tres meses y "
        "queremos seguir la rotación del personal.",
        "es",
    )
    assert need is not None
    assert need["fit"] == "none"
    assert need["use_cases"] == ["payroll and hr"]


def test_customer_retention_stays_a_served_need() -> None:
    need = _need(
        "Queremos melhorar a retenção dos clientes, muitos cancelam a assinatura no segundo mês.",
        "pt",
    )
    assert need is not None
    assert need["fit"] == "strong"
    assert need["use_cases"] == ["retention and churn analysis"]


def _industry(text: str, language: str, classifiers: bool = True) -> str | None:
    found = extract(
        text,
        asking="company",
        playbook=PLAYBOOK,
        today=TODAY,
        classifiers=shared_classifiers() if classifiers else None,
        language=language,
    )
    company = found.get("company") or {}
    industry: str | None = company.get("industry")
    return industry


@pytest.mark.parametrize(
    ("language", "text", "industry"),
    [
        (
            "de",
            "Wir verschicken Kaffeebohnen an Privatkunden, bestellt wird über unsere Seite.",
            "ecommerce",
        ),
        ("fr", "On vend des vêtements de seconde main sur notre site, 30 personnes.", "ecommerce"),
    ],
)
def test_what_a_company_does_in_other_words_is_read_by_its_nearest_example(
    language: str, text: str, industry: str
) -> None:
    assert _industry(text, language, classifiers=False) is None  # no rule holds these words
    assert _industry(text, language) == industry


def test_a_business_no_example_fits_gets_no_industry() -> None:
    assert _industry("Somos 12 y organizamos bodas en Sevilla.", "es") is None
