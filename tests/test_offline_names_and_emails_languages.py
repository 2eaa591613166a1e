"""Company names and email addresses in German, Spanish, French and Portuguese: how people
introduce their company (a title before it, "we are" with where it is from, the business
they have and then its name), the greetings, labels and discourse words that open a message
without naming anything, and addresses spelled out in words ("punkt", "arroba", "(at)",
"ponto"). Through the real extractor."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.exemplars import shared_classifiers
from agent.models import FieldName
from agent.offline import extract
from agent.playbook import load_playbook
from agent.resources import default_playbook_path

PLAYBOOK = load_playbook(default_playbook_path())
TODAY = date(2027, 3, 1)


def read(text: str, language: str, asking: FieldName | None = None) -> dict[str, Any]:
    return extract(
        text,
        asking=asking,
        playbook=PLAYBOOK,
        today=TODAY,
        language=language,
        classifiers=shared_classifiers(),
    )


def company_name(text: str, language: str, asking: FieldName | None = None) -> str | None:
    name = (read(text, language, asking).get("company") or {}).get("name")
    return str(name) if name is not None else None


def email(text: str, language: str, asking: FieldName | None = None) -> str | None:
    address = (read(text, language, asking).get("contact") or {}).get("email")
    return str(address) if address is not None else None


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Hallo, hier Petra Vogel von Lagerfix aus Kiel. Wir machen Software.", "Lagerfix"),
        (
            "de",
            "Ich bin Marketingleiterin der Seeblick Hotels, wir haben 3 Häuser.",
            "Seeblick Hotels",
        ),
        ("de", "Ich bin die Vorsitzende der Wanderfreunde Harz.", "Wanderfreunde Harz"),
        ("de", "Ich bin Leiter Vertrieb bei den Talwerk Bahnen im Allgäu.", "Talwerk Bahnen"),
        ("de", "Wir sind Kornblume aus Graz, eine kleine Bäckerei mit Onlineshop.", "Kornblume"),
        ("de", "Hallo, wir sind die Bäckerei Sonnenkorn in Linz, 9 Leute.", "Bäckerei Sonnenkorn"),
        ("de", "Wir sind übrigens Rechnungsfuchs, 40 Leute.", "Rechnungsfuchs"),
        ("de", "Wir betreiben Muskelkater, eine Kette mit 5 Studios.", "Muskelkater"),
        ("de", "Kurz zu uns: Bergzeit heisst die App, man bucht damit Touren.", "Bergzeit"),
        ("es", "Soy Ana Ruiz, CFO de Pagos Andinos, una fintech de Lima.", "Pagos Andinos"),
        (
            "es",
            "Llevo el marketing de Hostales Costa Azul, tenemos 4 hostales.",
            "Hostales Costa Azul",
        ),
        (
            "es",
            "Tengo una tienda online de té, Hojas del Valle, vendemos a todo el país.",
            "Hojas del Valle",
        ),
        (
            "es",
            "Soy analista de datos en Ferretería Norte Hogar, una cadena de tiendas.",
            "Ferretería Norte Hogar",
        ),
        (
            "fr",
            "Je suis le directeur du numérique de la Banque du Léman, à Genève.",
            "Banque du Léman",
        ),
        ("fr", "Bonjour, je suis DAF des Tuileries Marchand.", "Tuileries Marchand"),
        (
            "fr",
            "Je suis la community manager de Perles & Co, une boutique en ligne.",
            "Perles & Co",
        ),
        (
            "fr",
            "Je travaille à la Haute École de la Meuse, au service informatique.",
            "Haute École de la Meuse",
        ),
        ("fr", "J'ai bossé 3 ans chez Mixpanel, mais je suis CPO chez Orbela.", "Orbela"),
        ("pt", "Sou gerente de produto na Credi+, uma fintech de crédito.", "Credi+"),
        ("pt", "Olá, sou designer na Praça Verde, uma app de entregas.", "Praça Verde"),
        (
            "pt",
            "Tenho uma loja online de chás, a Folha Fina. Vendemos para a Europa.",
            "Folha Fina",
        ),
        ("pt", "Trabalho no grupo Hotéis Mar Azul (Algarve).", "Hotéis Mar Azul"),
        ("pt", "Boa tarde. Sou do jornal Correio do Tejo.", "Correio do Tejo"),
        ("pt", "Sou o Rui, um dos sócios da Treinofit, um app de treino.", "Treinofit"),
        ("pt", "sou do time de pricing da Nuvem Insights, uma startup.", "Nuvem Insights"),
    ],
)
def test_the_company_as_people_introduce_it(language: str, text: str, name: str) -> None:
    assert company_name(text, language) == name


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("fr", "Nom : Papeteries Lenoir, 30 salariés, basés à Lille.", "Papeteries Lenoir"),
        ("fr", "« Courtlib », tout attaché : logiciel pour clubs, 20 personnes.", "Courtlib"),
        ("pt", "estúdio Capoeira Games, 35 pessoas", "Capoeira Games"),
        ("es", "Banco Andino, somos unos 4.500 colaboradores en Perú y Bolivia.", "Banco Andino"),
    ],
)
def test_the_company_in_answer_to_the_company_question(language: str, text: str, name: str) -> None:
    assert company_name(text, language, "company") == name


@pytest.mark.parametrize(
    ("language", "text", "asking"),
    [
        ("de", "Zeitlich: so schnell wie möglich, eigentlich gestern.", "company"),
        ("es", "Perdona, corrijo: tiene que estar antes de que acabe julio.", "company"),
        ("es", "Prisa ninguna, de momento estamos mirando opciones.", "company"),
        ("pt", "Corrigindo: conversei com o time e o realista é no próximo trimestre.", "company"),
        ("pt", "Gostávamos de ter isto a funcionar até ao fim de outubro.", "company"),
        ("es", "Soy el gerente de RRHH, armo la propuesta pero la aprueba el CEO.", None),
        ("fr", "Nous sommes 130 collaborateurs entre Abidjan, Dakar et Douala.", None),
    ],
)
def test_words_that_open_a_message_are_not_a_company(
    language: str, text: str, asking: FieldName | None
) -> None:
    assert company_name(text, language, asking) is None


def test_a_greeting_is_not_the_company() -> None:
    text = "Hoi! Ich habe eine kleine Weinhandlung mit Onlineshop, Rebe & Fass heisst sie."
    assert company_name(text, "de") == "Rebe & Fass"


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        ("de", "Meine E-Mail: m punkt keller at alpen-reisen punkt ch", "m.keller@alpen-reisen.ch"),
        ("de", "wolle [at] gmx [punkt] at", "wolle@gmx.at"),
        ("es", "Mi correo: laura punto gil arroba rutalia punto es", "laura.gil@rutalia.es"),
        ("fr", "Sinon mon mail : fatou.sarr arobase gmail point com", "fatou.sarr@gmail.com"),
        ("fr", "claire POINT morvan AT quillon POINT fr", "claire.morvan@quillon.fr"),
        (
            "pt",
            "O meu email é marta ponto reis arroba pastelcloud ponto pt",
            "marta.reis@pastelcloud.pt",
        ),
        ("pt", "Escrevam para digital(at)gazeta.pt", "digital@gazeta.pt"),
        # "_" and "-" said in words
        ("es", "es raul guion bajo trevino arroba tablerum punto com", "raul_trevino@tablerum.com"),
        (
            "pt",
            "rodrigo underline matos arroba pulsofitness ponto com ponto br",
            "rodrigo_matos@pulsofitness.com.br",
        ),
        ("fr", "marie tiret dupont arobase exemple point fr", "marie-dupont@exemple.fr"),
        ("de", "jan unterstrich weber at lagerwerk punkt de", "jan_weber@lagerwerk.de"),
    ],
)
def test_an_address_spelled_out_in_words(language: str, text: str, address: str) -> None:
    assert email(text, language, "contact") == address


def test_a_spelled_address_outside_the_email_question_needs_a_plain_mark() -> None:
    assert email("Mi correo: laura punto gil arroba rutalia punto es", "es") == (
        "laura.gil@rutalia.es"
    )


def test_an_address_is_kept_in_small_letters() -> None:
    assert email("Martin.Sosa@PagoLibre.com.ar", "es", "contact") == (
        "martin.sosa@pagolibre.com.ar"
    )


def test_the_persons_own_address_over_a_team_mailbox() -> None:
    text = (
        "Para questões contratuais usem compras@farol.pt, mas a mim contactem-me "
        "diretamente em nuno.vale@farol.pt"
    )
    assert email(text, "pt", "contact") == "nuno.vale@farol.pt"


def test_a_team_mailbox_alone_is_still_the_contact() -> None:
    assert email("Schreiben Sie an info@kletterhalle.de", "de", "contact") == (
        "info@kletterhalle.de"
    )


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("fr", "Amplitude, bureau de Paris.", "Amplitude"),
        ("es", "Amplitude, oficina de Madrid.", "Amplitude"),
    ],
)
def test_a_name_then_which_office_is_the_company(language: str, text: str, name: str) -> None:
    assert company_name(text, language, "company") == name


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        (
            "fr",
            "On a une boutique de plein air à Québec (Sentier Boréal). Le monde abandonne.",
            "Sentier Boréal",
        ),
        ("fr", "Nous sommes une agence digitale à Bruxelles (Agence Kiosque, 35 personnes).", None),
        ("fr", "Je tiens une boutique de montres à Genève (Horlogerie Jaquet & Fille).", None),
        ("es", "Tenemos una tienda de vinos en Mendoza (Bodega Los Álamos, 12 personas).", None),
        ("de", "Wir haben einen kleinen Onlineshop für Tee in Graz (Teekanne Rosa).", None),
        ("pt", "A gente tem uma loja online de cosméticos em Recife (Flor de Mandacaru).", None),
    ],
)
def test_a_name_in_brackets_after_what_the_business_is(
    language: str, text: str, name: str | None
) -> None:
    expected = name or text[text.index("(") + 1 :].split(",")[0].rstrip(").")
    assert company_name(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "On édite un logiciel de réservation pour restaurants (SaaS, abonnement mensuel)."),
        ("fr", "On a une boutique de vêtements (Lyon) et un site."),
    ],
)
def test_a_kind_of_business_or_a_place_in_brackets_is_no_name(language: str, text: str) -> None:
    assert company_name(text, language) is None


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("fr", "Je suis directrice produit chez « Tablée », on édite un logiciel.", "Tablée"),
        ("fr", "Je suis DG adjoint de Xaalis Pay, une application de transfert.", "Xaalis Pay"),
        ("fr", "Je suis adjointe RH du groupe Brasseries du Rhône.", "Brasseries du Rhône"),
        (
            "fr",
            "Je suis directeur digital du groupe Hôtels Côte d'Opale (14 hôtels).",
            "Hôtels Côte d'Opale",
        ),
        (
            "fr",
            "Je suis présidente de l'association Les Paniers Solidaires à Toulouse.",
            "Les Paniers Solidaires",
        ),
        ("fr", "on édite PharmaCloud CI, un logiciel pour les pharmacies", "PharmaCloud CI"),
        (
            "fr",
            "on est une petite startup à Casablanca, Bac Boost : une appli de révision",
            "Bac Boost",
        ),
        (
            "es",
            "Somos Fiesta Piñata Mx, vendemos artículos para fiestas en línea.",
            "Fiesta Piñata Mx",
        ),
        ("es", "Somos Surtimed, proveedores de material médico para hospitales.", "Surtimed"),
        ("es", "Somos Ramo+ (ramomas.cl), una plataforma de cursos.", "Ramo+"),
        ("es", "tenemos Yerba Mate Club, un ecommerce de yerba y mates.", "Yerba Mate Club"),
        ("es", "monté una tienda online de cerámica hecha a mano, La Alfarera.", "La Alfarera"),
        ("pt", "Sou diretora da Fundação Casa Azul, em Belém.", "Fundação Casa Azul"),
        ("pt", "Sou tesoureira da associação Amigos do Parque.", "Amigos do Parque"),
    ],
)
def test_names_after_groups_titles_and_what_the_business_does(
    language: str, text: str, name: str
) -> None:
    assert company_name(text, language) == name


def test_chez_inside_a_name_is_no_cue() -> None:
    assert company_name("Érablière Chez Ti-Jean, on vend du sirop d'érable.", "fr") != "Ti-Jean"


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("pt", "A MesaPronta tem 9 pessoas.", "MesaPronta"),
        (
            "pt",
            "A TeleSaúde Mais tem cerca de 1.200 funcionários e atende hospitais.",
            "TeleSaúde Mais",
        ),
        ("es", "Huellitas tiene 12 empleados.", "Huellitas"),
        ("de", "Die Nordwerk GmbH hat rund 80 Mitarbeitende.", "Nordwerk GmbH"),
        ("fr", "Orbitae compte 350 salariés.", "Orbitae"),
        # Small words join a name's parts; a legal form after a comma is the name's.
        ("pt", "Somos a Feito à Mão Brasil, 45 pessoas.", "Feito à Mão Brasil"),
        (
            "es",
            "Soy responsable de e-commerce en Hoteles Mediterráneo, S.A. Somos 2.500.",
            "Hoteles Mediterráneo, S.A",
        ),
        # Who the speaker represents, the legal name, a coordinator's company, a quoted name.
        ("pt", "Bom dia. Represento o Grupo Hospitalar Atlântico.", "Grupo Hospitalar Atlântico"),
        (
            "es",
            "vendemos accesorios, la razón social es Huellitas Pet Shop S.A.",
            "Huellitas Pet Shop S.A",
        ),
        (
            "es",
            "Soy el coordinador de planeación financiera de Constructora Horizonte S.A.S.; "
            "somos 120 personas.",
            "Constructora Horizonte S.A.S",
        ),
        (
            "es",
            "Somos una agencia de marketing digital en Valencia, «Clic&Co», 18 personas.",
            "Clic&Co",
        ),
    ],
)
def test_the_company_as_the_subject_of_its_headcount_and_other_cues(
    language: str, text: str, name: str
) -> None:
    assert company_name(text, language) == name


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("pt", "O Pedro tem 5 pessoas na equipe dele."),
        ("de", "Die Firma hat 80 Mitarbeiter."),
        ("de", "Unser Marketing hat 12 Leute."),
        ("es", "Marketing tiene 5 personas."),
        ("fr", "L'entreprise compte 50 salariés."),
    ],
)
def test_a_person_a_team_or_the_word_company_is_no_name(language: str, text: str) -> None:
    assert company_name(text, language) is None
