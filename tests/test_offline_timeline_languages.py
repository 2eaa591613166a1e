"""Timelines said in German, Spanish, French and Portuguese, read by the offline extractor.

Each message goes through the real :func:`agent.offline.extract` and its arguments through
:func:`agent.extraction.apply_update`, the path an LLM's arguments take; the months on the
lead profile are checked (within a month either way, as a person would estimate them).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agent.extraction import SourceMessage, apply_update
from agent.models import FieldName, LeadProfile
from agent.normalize import timeline_months
from agent.offline import extract
from agent.playbook import load_playbook
from agent.resources import default_playbook_path
from agent.tools import UpdateLead

PLAYBOOK = load_playbook(default_playbook_path())
TODAY = date(2027, 1, 18)
NO_TIMELINE = -1  # "no fixed date": the timeline is stated, with no months


def months_read(text: str, language: str, asking: FieldName | None = "timeline") -> int | None:
    """The months the lead profile records for ``text``; None when no timeline is read,
    :data:`NO_TIMELINE` when "no timeline" is."""
    args = extract(text, asking=asking, playbook=PLAYBOOK, today=TODAY, language=language)
    UpdateLead.model_validate(args)
    if "timeline" not in args:
        return None
    assert args["timeline"]["quote"] in text
    message = SourceMessage(id="m1", text=text, at=datetime(2027, 1, 18, 12, tzinfo=UTC))
    result = apply_update(LeadProfile(), args, message=message, today=TODAY, playbook=PLAYBOOK)
    assert result.problems == [], result.problems
    timeline = result.profile.timeline
    assert timeline is not None
    return NO_TIMELINE if timeline.value.months is None else timeline.value.months


# (message, language, months from 2027-01-18)
SAID: list[tuple[str, str, int]] = [
    ("Bis Ende März sollte das laufen.", "de", 2),
    ("In drei Monaten, wenn alles klappt.", "de", 3),
    ("In 4 bis 6 Monaten.", "de", 6),
    ("Wir wollen nächstes Quartal loslegen.", "de", 5),
    ("Bis Ostern wäre super.", "de", 2),
    ("Vor Weihnachten sollte es produktiv sein.", "de", 11),
    ("Im Herbst wollen wir starten.", "de", 9),
    ("So schnell wie möglich, ehrlich gesagt.", "de", 1),
    ("Ende des Jahres vielleicht.", "de", 11),
    ("Start wäre im Q2 geplant.", "de", 5),
    ("Wir peilen das zweite Halbjahr an.", "de", 11),
    ("In einem halben Jahr.", "de", 6),
    ("Mitte des Jahres.", "de", 5),
    ("Eigentlich gestern.", "de", 1),
    ("Dentro de 3 meses.", "es", 3),
    ("Antes del verano.", "es", 6),
    ("Nos gustaría tenerlo funcionando antes de Semana Santa.", "es", 2),
    ("A fin de año.", "es", 11),
    ("El próximo trimestre.", "es", 5),
    ("Lo antes posible, la verdad.", "es", 1),
    ("a finales de febrero", "es", 1),
    ("En unas seis semanas, cuando vence el contrato actual.", "es", 1),
    ("Antes de que acabe el año.", "es", 11),
    ("En dos o tres meses.", "es", 3),
    ("Para el Q3.", "es", 8),
    ("D'ici la rentrée.", "fr", 7),
    ("Avant l'été ce serait bien.", "fr", 5),
    ("Dans six mois.", "fr", 6),
    ("Fin T2.", "fr", 5),
    ("Idéalement d'ici la fin du T1.", "fr", 2),
    ("D'ici la Toussaint.", "fr", 9),
    ("Le plus tôt possible.", "fr", 1),
    ("Dans quinze jours.", "fr", 0),
    ("Courant mai.", "fr", 4),
    ("Pour le deuxième trimestre.", "fr", 5),
    ("Em dois meses.", "pt", 2),
    ("Até o Carnaval.", "pt", 1),
    ("No segundo semestre.", "pt", 11),
    ("Até o fim do ano.", "pt", 11),
    ("Até à Páscoa seria ótimo.", "pt", 2),
    ("O mais rápido possível.", "pt", 1),
    ("Até ao São João.", "pt", 5),
    ("Daqui a três meses.", "pt", 3),
    ("Mês que vem.", "pt", 1),
    ("Em meados de maio.", "pt", 4),
    ("Assim que possível.", "pt", 1),
    ("In ungefähr fünf Monaten.", "de", 5),
    ("Nos gustaría tenerlo en un par de meses.", "es", 2),
]


@pytest.mark.parametrize(("text", "language", "months"), SAID)
def test_a_time_to_come_is_read_in_months(text: str, language: str, months: int) -> None:
    got = months_read(text, language)
    assert got is not None and got != NO_TIMELINE, got
    assert abs(got - months) <= 1, got


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kein fester Zeitplan, wir schauen uns erstmal nur um.", "de"),
        ("Kein Stress, wir haben Zeit.", "de"),
        ("Rien d'urgent.", "fr"),
        # a whole year is vaguer than "no fixed date"
        ("Este año seguro, pero sin fecha.", "es"),
        ("Keinen festen Termin.", "de"),
        ("Sin prisa, solo estamos mirando.", "es"),
        ("Estamos explorando, sin fecha.", "es"),
        ("Pas de date, on regarde juste.", "fr"),
        ("Pas de date précise, on se renseigne.", "fr"),
        ("Sem pressa, só pesquisando.", "pt"),
        ("Ainda sem data, estamos a ver opções.", "pt"),
        # "para já" is "for now" before what follows it
        ("Para já estamos só a explorar, não há data.", "pt"),
        ("Rien de prévu, aucune date pour l'instant.", "fr"),
    ],
)
def test_no_timeline_is_a_statement(text: str, language: str) -> None:
    assert months_read(text, language) == NO_TIMELINE


@pytest.mark.parametrize(
    ("text", "language", "asking"),
    [
        # the past, a count of years at a job, the period of an amount
        ("Ich war früher mal 3 Jahre bei Mixpanel.", "de", None),
        ("Wir haben vor 2 Jahren mit Excel angefangen.", "de", None),
        ("Budget ca. 3.000 € im Monat.", "de", "budget"),
        ("Empezamos hace 6 meses con otra herramienta.", "es", None),
        ("Unos 2.000 € al mes.", "es", "budget"),
        ("L'enveloppe est de 100 k€ pour un contrat de 2 ans.", "fr", "budget"),
        ("Nos abonnés partent au bout de deux mois.", "fr", None),
        ("Fui estagiário na Amplitude há uns anos.", "pt", None),
        ("Temos 60 mil euros por ano para isto.", "pt", "budget"),
        # a month in the past, said after it; what happens every year
        ("Im März haben wir das alte Tool gekündigt.", "de", None),
        ("Jeden Monat verlieren wir Kunden, vor allem im Winter.", "de", None),
        ("En mars dernier on a lancé l'appli.", "fr", None),
        ("Em março do ano passado lançamos o app.", "pt", None),
        ("Hace dos meses cambiamos de proveedor.", "es", None),
        # a month of a past year, "has been" (not the summer), "for now"
        ("Abrimos la tienda en septiembre de 2023 y crecimos rápido.", "es", None),
        ("Le budget a été validé en comité la semaine dernière.", "fr", "budget"),
        ("Por agora só estamos a ver o que existe.", "pt", "timeline"),
        ("Por ahora el equipo es pequeño.", "es", "timeline"),
        # a year said of something else than going live
        ("Estamos a contratar imenso este ano, 20 pessoas novas.", "pt", None),
        ("Wir stellen dieses Jahr viele Leute ein.", "de", None),
    ],
)
def test_what_is_no_time_to_come(text: str, language: str, asking: FieldName | None) -> None:
    assert months_read(text, language, asking) is None


@pytest.mark.parametrize(
    ("text", "language", "months"),
    [
        # a month with its year (from 2027-01-18)
        ("O contrato só acaba no fim de março de 2028, só mudaríamos nessa altura.", "pt", 14),
        ("Para finales de marzo de 2028.", "es", 14),
        ("Ende März 2028.", "de", 14),
        # "next month" said another way; "right away" in Portuguese
        ("Il faudrait que ce soit en route dans le mois qui vient.", "fr", 1),
        ("Precisamos disso pra já.", "pt", 1),
    ],
)
def test_more_times_to_come(text: str, language: str, months: int) -> None:
    got = months_read(text, language)
    assert got is not None and abs(got - months) <= 1, got


def test_a_correction_wins() -> None:
    assert months_read("Ende März... nein, eigentlich eher Ende Juni.", "de") == 5


def test_the_engine_reads_a_time_without_being_told_its_language() -> None:
    # The timeline's text is stored as said; the engine reads it again in any language.
    assert timeline_months("dentro de 4 meses", TODAY) == 4
    assert timeline_months("bis Ostern", TODAY) == 2
    assert timeline_months("sin fecha fija", TODAY) is None
    assert timeline_months("in 4 months", TODAY) == 4


@pytest.mark.parametrize(
    ("text", "language", "months"),
    [
        # the last day of the period counts: 30 September is 108 days after 14 June (3.5)
        ("by the end of September", "en", 4),
        ("Avant la fin du troisième trimestre.", "fr", 4),
        ("Bis Ende September.", "de", 4),
        ("by the end of Q3", "en", 4),
        # 31 December is 200 days away (6.6 months); 15 December would be 6
        ("Até o fim do ano.", "pt", 7),
        ("by the end of this year", "en", 7),
        ("end of this quarter", "en", 1),
        # the end of the next quarter is the next quarter, counted to its end
        ("até o fim do trimestre que vem", "pt", 4),
        ("d'ici la fin du trimestre prochain", "fr", 4),
        ("bis Ende des nächsten Quartals", "de", 4),
        ("by the end of next quarter", "en", 4),
        # Austrian "Jänner", the turn of the year
        ("Spätestens Ende Jänner.", "de", 8),
        ("Live gehen wollen wir zum Jahreswechsel.", "de", 7),
    ],
)
def test_the_end_of_a_period_is_its_last_day(text: str, language: str, months: int) -> None:
    assert timeline_months(text, date(2027, 6, 14), language=language) == months


@pytest.mark.parametrize(
    ("text", "language", "months", "from_january"),
    [
        # "fin de" is a phrase of its own, not the start of "fin décembre" ("fin decembre")
        ("Avant la clôture de l'exercice, fin décembre.", "fr", 7, 11),
        ("D'ici fin décembre.", "fr", 7, 11),
        ("Pour la fin de décembre.", "fr", 7, 11),
        ("Fin septembre.", "fr", 4, 8),
    ],
)
def test_a_time_phrase_is_read_as_whole_words(
    text: str, language: str, months: int, from_january: int
) -> None:
    assert timeline_months(text, date(2027, 6, 14), language=language) == months
    assert months_read(text, language) == from_january  # read on 18 January 2027


def test_a_weekend_is_no_end_of_anything() -> None:
    with pytest.raises(ValueError):
        timeline_months("am Wochenende", date(2027, 6, 14), language="de")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le monde achète une fois pour Noël pis on les revoit pu jamais.", "fr"),
        ("Die Leute kaufen nur einmal zu Weihnachten und kommen nie wieder.", "de"),
        ("La gente compra una vez para Navidad y no vuelve.", "es"),
        ("O pessoal compra uma vez no Natal e some.", "pt"),
    ],
)
def test_buying_once_at_a_holiday_is_a_habit_not_a_deadline(text: str, language: str) -> None:
    assert months_read(text, language, asking=None) is None


def test_a_holiday_said_as_a_deadline_is_still_read() -> None:
    assert months_read("On veut que ce soit en place pour Noël.", "fr", asking=None) == 11
