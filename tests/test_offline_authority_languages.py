"""Authority, requests for a person, names and companies read offline in German, Spanish,
French and Portuguese, through the real extractor."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.models import FieldName
from agent.offline import extract
from agent.playbook import load_playbook
from agent.resources import default_playbook_path

PLAYBOOK = load_playbook(default_playbook_path())
TODAY = date(2027, 1, 18)


def read(text: str, language: str, asking: FieldName | None = None) -> dict[str, Any]:
    return extract(text, asking=asking, playbook=PLAYBOOK, today=TODAY, language=language)


@pytest.mark.parametrize(
    ("language", "text", "level"),
    [
        ("de", "Ich bin Geschäftsführer, die Entscheidung liegt bei mir.", "decision_maker"),
        ("de", "ich entscheide das", "decision_maker"),
        ("de", "Ich bin Prokurist und unterschreibe solche Verträge selbst.", "decision_maker"),
        ("de", "Als Inhaberin entscheide ich das allein.", "decision_maker"),
        ("de", "Das muss mein Chef freigeben.", "influencer"),
        ("de", "Ich bin Leiter Einkauf, die Geschäftsführung entscheidet.", "influencer"),
        ("de", "Ich bin Werkstudent und würde das Tool nutzen, entscheiden tun andere.", "user"),
        ("de", "Ich bin Teamleiterin Marketing.", "influencer"),
        ("es", "Soy el dueño.", "decision_maker"),
        ("es", "yo apruebo el presupuesto", "decision_maker"),
        ("es", "Soy socia de la empresa, lo decidimos entre nosotros.", "decision_maker"),
        ("es", "tengo que consultarlo con mi jefe", "influencer"),
        ("es", "Soy jefe de producto, pero quien firma es el director financiero.", "influencer"),
        ("es", "Soy analista, solo lo usaría yo; decide mi jefa.", "user"),
        ("fr", "Je suis la gérante, c'est moi qui décide.", "decision_maker"),
        ("fr", "je valide le budget", "decision_maker"),
        ("fr", "C'est le DAF qui signe.", "influencer"),
        ("fr", "Je suis responsable achats, je fais partie du comité.", "influencer"),
        ("fr", "Je suis stagiaire.", "user"),
        ("pt", "Sou sócio, decido eu.", "decision_maker"),
        ("pt", "quem decide é o CEO", "influencer"),
        ("pt", "Sou gerente de TI e recomendo, mas a diretoria aprova.", "influencer"),
        ("pt", "Sou analista, eu só vou usar, quem decide é a minha chefe.", "user"),
    ],
)
def test_authority(language: str, text: str, level: str) -> None:
    authority = read(text, language, asking="authority").get("authority")
    assert authority is not None, text
    assert authority["level"] == level
    assert authority["quote"] in text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Ich bin Geschäftsführerin."),
        ("es", "Soy el gerente."),
        ("fr", "Je suis le PDG, c'est moi qui signe."),
        ("pt", "Sou o diretor de operações."),
    ],
)
def test_own_title_is_the_role(language: str, text: str) -> None:
    authority = read(text, language, asking="authority")["authority"]
    assert authority["role"].lower() in text.lower()


def test_someone_elses_title_is_not_the_speakers() -> None:
    authority = read("Unser CFO entscheidet das.", "de", asking="authority")["authority"]
    assert authority["level"] == "influencer"
    assert "role" not in authority


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Kann ich mit jemandem sprechen?"),
        ("de", "Bitte rufen Sie mich an."),
        ("de", "Ich hätte gern einen Termin mit Ihrem Vertrieb."),
        ("es", "quiero hablar con un comercial"),
        ("es", "¿me puede llamar alguien?"),
        ("fr", "je préfère parler à quelqu'un"),
        ("fr", "Rappelez-moi demain, svp."),
        ("pt", "posso falar com um humano?"),
        ("pt", "prefiro falar com um vendedor"),
    ],
)
def test_request_for_a_person(language: str, text: str) -> None:
    human = read(text, language).get("human")
    assert human == {"quote": human["quote"] if human else None, "requested": True}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Mein Team spricht nächste Woche mit dem Vertrieb."),
        ("de", "Ich muss das erst mit jemandem intern besprechen."),
        ("es", "Hablé con alguien de ventas el año pasado."),
        ("es", "Tengo que consultarlo con mi jefe."),
        ("fr", "J'ai parlé à quelqu'un l'année dernière."),
        ("pt", "Falei com alguém de vocês no ano passado."),
        ("en", "I talked to someone last year."),
    ],
)
def test_look_alikes_are_no_request(language: str, text: str) -> None:
    assert "human" not in read(text, language)
