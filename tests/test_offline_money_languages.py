"""Budgets and headcounts read offline in German, Spanish, French and Portuguese, through the
real extractor: separators, amounts in words, currencies, periods, ranges, refusals."""

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
    ("language", "text", "low", "high", "currency", "period"),
    [
        ("de", "Eingeplant sind rund 75.000 € pro Jahr.", 75000, None, "EUR", "annual"),
        ("de", "Wir können 1,5 Millionen Euro jährlich ausgeben.", 1.5e6, None, "EUR", "annual"),
        ("de", "Etwa achtzigtausend Euro im Jahr.", 80000, None, "EUR", "annual"),
        ("de", "Das Budget liegt zwischen 20 und 30 Tausend Euro.", 20000, 30000, "EUR", None),
        ("de", "Budget: höchstens 2.000 € monatlich", 2000, None, "EUR", "monthly"),
        ("de", "Wir planen mit CHF 120'000 pro Jahr.", 120000, None, "CHF", "annual"),
        ("de", "Unser Budget ist unter 10.000 € im Jahr.", 0, 10000, "EUR", "annual"),
        ("es", "Tenemos un presupuesto de 35.000 € al año.", 35000, None, "EUR", "annual"),
        ("es", "Unos 18 mil euros anuales.", 18000, None, "EUR", "annual"),
        ("es", "Podemos invertir dos millones de pesos al año.", 2e6, None, "MXN", "annual"),
        ("es", "El presupuesto es de 1.200 dólares al mes.", 1200, None, "USD", "monthly"),
        ("es", "Entre 40 y 60 mil euros al año.", 40000, 60000, "EUR", "annual"),
        ("fr", "Nous avons prévu 45 000 € HT par an.", 45000, None, "EUR", "annual"),
        ("fr", "Un budget d'environ 2,5 millions d'euros par an.", 2.5e6, None, "EUR", "annual"),
        ("fr", "Budget : 3 000 € par mois.", 3000, None, "EUR", "monthly"),
        ("fr", "Environ 30 000 $ CA par année.", 30000, None, "CAD", "annual"),
        ("fr", "Moins de 8 000 € par an.", 0, 8000, "EUR", "annual"),
        ("pt", "Temos uns R$ 400 mil por ano.", 400000, None, "BRL", "annual"),
        ("pt", "O orçamento é de 25 mil euros por ano.", 25000, None, "EUR", "annual"),
        ("pt", "Cerca de 3.500 € por mês.", 3500, None, "EUR", "monthly"),
        ("pt", "No máximo 12 mil euros anuais.", 12000, None, "EUR", "annual"),
        # an abbreviation's full stop does not end the amount
        ("de", "Wir denken an 2 Mio. € pro Jahr.", 2e6, None, "EUR", "annual"),
        ("de", "Budget ca. 4.500 € im Monat.", 4500, None, "EUR", "monthly"),
        ("de", "Vorgesehen sind 900.000 € über drei Jahre.", 300000, None, "EUR", "annual"),
        ("es", "El presupuesto ronda los 3.000 euros al mes.", 3000, None, "EUR", "monthly"),
        # thousands of euros in German, half a million
        ("de", "Wir haben 30 bis 50 TEUR pro Jahr eingeplant.", 30000, 50000, "EUR", "annual"),
        ("de", "Etwa 80 T€ im Jahr.", 80000, None, "EUR", "annual"),
        ("es", "Traemos como medio millón de pesos al año.", 500000, None, "MXN", "annual"),
        ("pt", "Uns meio milhão de reais por ano.", 500000, None, "BRL", "annual"),
        ("de", "Eine halbe Million Euro im Jahr.", 500000, None, "EUR", "annual"),
        # a million and a half, in words
        ("pt", "Temos um milhão e meio de reais por ano.", 1.5e6, None, "BRL", "annual"),
        ("pt", "Uns 2 milhões e meio de reais por ano.", 2.5e6, None, "BRL", "annual"),
        (
            "es",
            "Tenemos un millón y medio de pesos mexicanos al año.",
            1.5e6,
            None,
            "MXN",
            "annual",
        ),
        ("fr", "On a un million et demi d'euros par an.", 1.5e6, None, "EUR", "annual"),
        ("de", "Wir haben anderthalb Millionen Euro im Jahr.", 1.5e6, None, "EUR", "annual"),
        ("de", "Eineinhalb Millionen Euro im Jahr.", 1.5e6, None, "EUR", "annual"),
        # a budget for the half year
        ("pt", "Temos R$ 120 mil no orçamento do semestre.", 120000, None, "BRL", "semiannual"),
        (
            "es",
            "Hay 20 mil euros en el presupuesto del semestre.",
            20000,
            None,
            "EUR",
            "semiannual",
        ),
        ("fr", "On a 20 000 € sur le budget du semestre.", 20000, None, "EUR", "semiannual"),
        # a price per seat times the seats, the count said first
        (
            "es",
            "Serían 50 usuarios internos y podemos pagar 90 dólares por usuario al mes.",
            4500,
            None,
            "USD",
            "monthly",
        ),
        ("de", "Wir wären 25 Nutzer, 40 € pro Nutzer und Monat.", 1000, None, "EUR", "monthly"),
        (
            "fr",
            "On serait 40 utilisateurs, à 25 € par utilisateur et par mois.",
            1000,
            None,
            "EUR",
            "monthly",
        ),
        (
            "en",
            "It'd be 50 internal users at 90 dollars per user a month.",
            4500,
            None,
            "USD",
            "monthly",
        ),
    ],
)
def test_budget_amounts(
    language: str,
    text: str,
    low: float,
    high: float | None,
    currency: str,
    period: str | None,
) -> None:
    budget = read(text, language, asking="budget").get("budget")
    assert budget is not None, text
    assert budget["status"] == "known"
    assert budget["amount_min"] == pytest.approx(low)
    assert budget.get("amount_max") == (None if high is None else pytest.approx(high))
    assert budget.get("currency") == currency
    assert budget.get("period") == period
    assert budget["quote"] in text


@pytest.mark.parametrize(
    ("language", "text", "status"),
    [
        ("de", "Ein Budget gibt es dafür noch nicht.", "no_budget"),
        ("de", "Wir haben kein festes Budget.", "no_budget"),
        ("de", "Dazu möchte ich nichts sagen, das ist vertraulich.", "refused"),
        ("de", "Das weiß ich noch nicht, hängt vom Angebot ab.", "unknown"),
        ("de", "Budget weiß ich ehrlich gesagt nicht, das kennt nur meine Chefin.", "unknown"),
        ("de", "Ein Budget haben wir nicht.", "no_budget"),
        ("es", "No tenemos presupuesto aún.", "no_budget"),
        ("es", "Prefiero no decirlo por ahora.", "refused"),
        ("es", "Todavía no está definido.", "unknown"),
        ("fr", "Nous n'avons pas encore de budget.", "no_budget"),
        ("fr", "Je préfère ne pas le dire.", "refused"),
        ("fr", "Ce n'est pas encore défini.", "unknown"),
        ("pt", "Ainda não temos verba para isso.", "no_budget"),
        ("pt", "Prefiro não informar.", "refused"),
        ("pt", "Ainda não está definido.", "unknown"),
        ("es", "No te puedo decir el presupuesto.", "refused"),
        ("fr", "Je ne peux pas vous le dire.", "refused"),
        ("pt", "Não posso te dizer o valor.", "refused"),
        ("es", "Presupuesto ninguno de momento.", "no_budget"),
        ("de", "Zum Budget möchte ich mich im Moment noch nicht äußern.", "refused"),
        ("pt", "Orçamento nenhum por enquanto.", "no_budget"),
        ("fr", "Pour l'instant rien n'est budgété de notre côté.", "no_budget"),
        ("fr", "On n'a pas d'argent pour ça cette année.", "no_budget"),
        ("de", "Dafür ist bei uns nichts budgetiert.", "no_budget"),
        ("es", "Ahora mismo no hay plata para esto.", "no_budget"),
        ("pt", "Verba ainda não tenho, estou só pesquisando.", "no_budget"),
        ("de", "Noch nichts eingeplant, ehrlich gesagt.", "no_budget"),
        ("de", "Dafür ist im diesjährigen Plan nichts vorgesehen.", "no_budget"),
        ("fr", "Il n'y a rien de prévu au budget pour ça cette année.", "no_budget"),
        ("fr", "Honnêtement rien n'est prévu au budget pour l'instant.", "no_budget"),
        ("es", "De momento no hay nada asignado para esto.", "no_budget"),
    ],
)
def test_budget_statuses(language: str, text: str, status: str) -> None:
    budget = read(text, language, asking="budget").get("budget")
    assert budget is not None, text
    assert budget["status"] == status


@pytest.mark.parametrize(
    ("language", "text", "amount"),
    [
        ("de", "nein, eher 40.000 € im Jahr", 40000),
        ("es", "perdón, mejor dicho 45 mil euros al año", 45000),
        ("fr", "pardon, plutôt 50 000 € par an", 50000),
        ("pt", "desculpa, na verdade são 60 mil euros por ano", 60000),
    ],
)
def test_a_corrected_budget_is_the_new_amount(language: str, text: str, amount: float) -> None:
    budget = read(text, language, asking="budget").get("budget")
    assert budget is not None, text
    assert budget["amount_min"] == pytest.approx(amount)


@pytest.mark.parametrize(
    ("language", "text", "size"),
    [
        ("de", "Wir sind rund 140 Mitarbeitende.", 140),
        ("de", "Bei uns arbeiten etwa 2.300 Beschäftigte.", 2300),
        ("de", "Wir haben 1'200 Angestellte in der Schweiz.", 1200),
        ("es", "Somos unos 45 empleados.", 45),
        ("es", "Tenemos 1.800 trabajadores en total.", 1800),
        ("fr", "Nous sommes environ 300 salariés.", 300),
        ("fr", "Une entreprise de 1 200 collaborateurs.", 1200),
        ("pt", "Somos uns 80 funcionários.", 80),
        ("pt", "Temos 2.500 colaboradores no Brasil.", 2500),
        ("fr", "Une centaine de personnes.", 100),
        ("es", "Somos una veintena de personas.", 20),
        ("de", "Pfotenglück, wir sind zu viert.", 4),
    ],
)
def test_company_size(language: str, text: str, size: int) -> None:
    company = read(text, language, asking="company").get("company")
    assert company is not None, text
    assert company.get("size") == size


@pytest.mark.parametrize(
    ("language", "text", "size"),
    [
        ("de", "Wir sind rund 200 Leute, nein Moment, eher 180 Mitarbeitende.", 180),
        (
            "de",
            "Wir sind 2.000 Leute mit Freelancern, ohne Freelancer etwa 1.400 Mitarbeitende.",
            1400,
        ),
        ("es", "Somos 300 personas, perdón, en realidad 250 empleados.", 250),
        ("fr", "Nous sommes 120 personnes, pardon, plutôt 110 salariés.", 110),
        ("pt", "Somos 90 pessoas, ou melhor, 85 funcionários.", 85),
    ],
)
def test_a_corrected_headcount_is_the_last_one(language: str, text: str, size: int) -> None:
    company = read(text, language, asking="company").get("company")
    assert company is not None, text
    assert company.get("size") == size


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Wir haben 4 Filialen und 2.000 Kunden."),
        ("es", "Tenemos 300 tiendas."),
        ("fr", "Nous avons 12 magasins."),
        ("pt", "Temos 40 lojas."),
    ],
)
def test_counts_of_things_are_not_the_headcount(language: str, text: str) -> None:
    company = read(text, language, asking="company").get("company") or {}
    assert "size" not in company


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "On envoie une lettre mensuelle à nos 30 000 abonnés."),
        ("de", "Unsere App hat 80.000 Mitglieder und monatlich 5.000 neue Abonnenten."),
        ("es", "Tenemos 12.000 suscriptores y unas 40.000 visitas al mes."),
        ("pt", "São 25 mil assinantes e 3 mil alunos por mês."),
        # monthly active users, warehouses
        ("de", "Wir sind 40 Leute, die App hat rund 2 Mio. monatlich aktive Nutzer."),
        ("fr", "On traite 3 000 commandes par mois depuis 12 entrepôts partenaires."),
        # the price of the prospect's own product
        ("fr", "Nous éditons un logiciel de facturation ; nos clients paient 49 € par mois."),
        ("pt", "Temos um app de meditação com assinatura de R$ 29,90/mês."),
        ("es", "Nuestros clientes pagan 30 dólares al mes por la app."),
        ("de", "Unsere Kunden zahlen 19 € im Monat für das Abo."),
        ("en", "We make invoicing software; our customers pay 49 euros a month."),
    ],
)
def test_counts_of_people_reached_are_no_budget(language: str, text: str) -> None:
    assert "budget" not in read(text, language, asking="need")


def test_english_mil_is_still_a_million() -> None:
    budget = read("about 1.2 mil a year", "en", asking="budget").get("budget")
    assert budget is not None
    assert budget["amount_min"] == pytest.approx(1.2e6)


def test_a_portuguese_mil_is_a_thousand() -> None:
    budget = read("uns 30 mil euros por ano", "pt", asking="budget").get("budget")
    assert budget is not None
    assert budget["amount_min"] == pytest.approx(30000)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Wir zahlen heute rund 30.000 € an Mixpanel."),
        ("es", "Ahora usamos Amplitude y pagamos unos 30.000 dólares."),
        ("fr", "Aujourd'hui nous payons 25 000 € à Mixpanel."),
        ("pt", "Hoje pagamos uns 20 mil euros para a Amplitude."),
    ],
)
def test_what_they_pay_a_tool_today_is_no_budget(language: str, text: str) -> None:
    assert "budget" not in read(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I have signing authority up to $150,000, so I can sign this myself."),
        ("fr", "J'ai une délégation de signature jusqu'à 150 000 CHF, donc ça passe."),
        ("fr", "Je suis vice-présidente produit. J'ai l'autorité de signer jusqu'à 200 000 $."),
        ("es", "Puedo firmar hasta 100.000 € sin pasar por el comité."),
        ("pt", "Tenho alçada para assinar até R$ 200 mil."),
    ],
)
def test_how_far_someone_may_sign_is_no_budget(language: str, text: str) -> None:
    assert "budget" not in read(text, language)


@pytest.mark.parametrize(
    ("language", "text", "low", "high", "currency"),
    [
        # The budget stays the budget beside a signing limit.
        (
            "fr",
            "Côté budget, on part sur 80 à 100 kCHF par an. J'ai une délégation de signature "
            "jusqu'à 150 000 CHF.",
            80000,
            100000,
            "CHF",
        ),
        ("en", "Budget is up to 50k a year and I sign off myself.", 50000, None, None),
        ("fr", "Jusqu'à 30 000 € par an, c'est moi qui signe.", 30000, None, "EUR"),
        ("pt", "Temos até R$ 5 mil por mês de assinatura.", 5000, None, "BRL"),
        # Thousands of a currency by its code; Canadian dollars as Québec says them.
        ("de", "Rund 50 kEUR im Jahr.", 50000, None, "EUR"),
        ("fr", "Le budget prévu, c'est 100 000 $ canadiens par année.", 100000, None, "CAD"),
        ("fr", "Vingt mille piastres par année.", 20000, None, "CAD"),
        ("fr", "Autour de 30 000 piasses par année.", 30000, None, "CAD"),
    ],
)
def test_budgets_beside_signing_limits_and_currency_codes(
    language: str, text: str, low: float, high: float | None, currency: str | None
) -> None:
    budget = read(text, language, asking="budget")["budget"]
    assert budget["amount_min"] == pytest.approx(low)
    assert budget.get("amount_max") == (None if high is None else pytest.approx(high))
    assert budget.get("currency") == currency
