"""Authority, requests for a person, names and companies read offline in German, Spanish,
French and Portuguese, through the real extractor."""

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
        ("de", "Das Budget verantworte ich.", "decision_maker"),
        ("de", "Die Entscheidung trifft mein Chef.", "influencer"),
        ("es", "Soy quien decide.", "decision_maker"),
        ("es", "Soy técnica de RRHH, lo tendría que aprobar la dirección.", "influencer"),
        ("fr", "La décision finale revient à mon DG.", "influencer"),
        ("fr", "Je suis assistante de direction, je transmets au patron.", "influencer"),
        ("pt", "Não sou eu quem decide, é a diretoria.", "influencer"),
        ("pt", "Eu e meu sócio decidimos juntos.", "decision_maker"),
        ("de", "Ich leite den Einkauf und entscheide mit.", "influencer"),
        ("de", "Das entscheidet bei uns der Vorstand.", "influencer"),
        ("de", "Ich bin Softwareentwickler und würde es täglich benutzen.", "user"),
        ("de", "Ich bin Mitgründer, wir entscheiden das gemeinsam.", "decision_maker"),
        ("de", "Ich darf das allein entscheiden.", "decision_maker"),
        ("de", "Ich kann das nicht entscheiden, das macht mein Chef.", "influencer"),
        ("de", "Die Freigabe kommt von meiner Chefin.", "influencer"),
        ("es", "Soy parte del comité de compras.", "influencer"),
        ("es", "Mi jefe tiene la última palabra.", "influencer"),
        ("fr", "Je dois en parler à mon directeur.", "influencer"),
        ("pt", "Quem aprova é o financeiro.", "influencer"),
        ("de", "Ich leite das Marketing und verantworte das Budget selbst.", "decision_maker"),
        ("de", "Ich lege die Angebote dem Chef vor, entscheiden tut er.", "influencer"),
        ("de", "Ich leite das an meinen Chef weiter.", "influencer"),
        ("de", "Ich leite das Produktteam für unsere Kunden-App.", "influencer"),
    ],
)
def test_authority(language: str, text: str, level: str) -> None:
    authority = read(text, language, asking="authority").get("authority")
    assert authority is not None, text
    assert authority["level"] == level
    assert authority["quote"] in text


@pytest.mark.parametrize(
    ("language", "text", "level"),
    [
        (
            "pt",
            "Sou o diretor de produto. O orçamento é meu e quem assina sou eu.",
            "decision_maker",
        ),
        ("pt", "Sou gerente de marketing e eu assinaria o contrato.", "decision_maker"),
        ("pt", "Sou coordenadora, a palavra final é do diretor.", "influencer"),
        ("es", "Soy responsable de producto, la última palabra la tiene el CEO.", "influencer"),
        ("fr", "Je suis responsable produit, le dernier mot revient au DG.", "influencer"),
        (
            "de",
            "Ich bin Leiterin Produktmanagement, aber das letzte Wort hat die Geschäftsführung.",
            "influencer",
        ),
        (
            "de",
            "Ich bin Abteilungsleiter, die Entscheidung trifft aber der Vorstand.",
            "influencer",
        ),
        ("de", "Ich leite das Controlling, absegnen muss das unser Vorstand.", "influencer"),
        ("es", "Soy director comercial; la decisión final la toma el consejo.", "influencer"),
        (
            "es",
            "Soy jefe de sistemas y se lo presento al gerente, que es quien firma.",
            "influencer",
        ),
        ("pt", "Sou diretora de operações, mas o CEO é quem aprova.", "influencer"),
        ("es", "Soy la dueña y yo soy quien decide.", "decision_maker"),
        (
            "fr",
            "Je suis directrice e-commerce, c'est mon enveloppe et c'est moi qui signe.",
            "decision_maker",
        ),
        ("fr", "Je suis responsable marketing, c'est mon directeur qui signe.", "influencer"),
        (
            "fr",
            "Je suis directrice des ressources humaines ; je recommande, mais c'est le "
            "président qui approuve.",
            "influencer",
        ),
        ("fr", "Je suis DRH, c'est le président qui approuve.", "influencer"),
        ("fr", "Je suis la gérante, c'est moi qui approuve.", "decision_maker"),
        (
            "es",
            "Soy el director de compras; la aprobación final es del comité de dirección.",
            "influencer",
        ),
    ],
)
def test_who_signs_or_has_the_last_word_outranks_a_title(
    language: str, text: str, level: str
) -> None:
    authority = read(text, language, asking="authority").get("authority")
    assert authority is not None, text
    assert authority["level"] == level


@pytest.mark.parametrize(
    ("language", "text", "level"),
    [
        ("fr", "C'est ma business avec mon chum, c'est nous deux qui tranchons.", "decision_maker"),
        (
            "de",
            "Ich bin fürs Marketing zuständig, den Zuschlag gibt unsere Geschäftsführung.",
            "influencer",
        ),
    ],
)
def test_a_role_answer_the_rules_cannot_read_goes_to_its_nearest_example(
    language: str, text: str, level: str
) -> None:
    found = extract(
        text,
        asking="authority",
        playbook=PLAYBOOK,
        today=TODAY,
        classifiers=shared_classifiers(),
        language=language,
    )
    assert read(text, language, asking="authority").get("authority") is None
    assert found["authority"]["level"] == level


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
        ("pt", "Dá pra falar com um humano?"),
        ("de", "Gibt es einen Ansprechpartner, mit dem ich telefonieren kann?"),
        ("es", "Me gustaría agendar una demo."),
        ("fr", "Je voudrais un rendez-vous avec un conseiller."),
        ("pt", "Podem me ligar amanhã?"),
        ("es", "¿Podemos tener una llamada con alguien de vuestro equipo?"),
        ("fr", "Est-ce que je peux parler à un recruteur ?"),
        # a person asked for in other words: in touch, face to face, in person
        ("fr", "Pouvez-vous me mettre en contact avec un de vos représentants?"),
        ("fr", "Je préfère en parler de vive voix avec un de vos commerciaux."),
        ("es", "Prefiero hablarlo con uno de sus comerciales."),
        ("pt", "Prefiro tratar disso pessoalmente com um comercial."),
        ("de", "Ich würde das lieber persönlich mit jemandem aus dem Vertrieb besprechen."),
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
        ("es", "Nuestros clientes quieren hablar con una persona."),
        ("fr", "Nos clients veulent parler à quelqu'un."),
        ("de", "Wir haben letztes Jahr mit einem Berater gesprochen."),
        ("fr", "Le commercial de notre fournisseur actuel nous a appelé hier."),
        ("fr", "Pouvez-vous me mettre en contact avec notre comptable?"),
    ],
)
def test_look_alikes_are_no_request(language: str, text: str) -> None:
    assert "human" not in read(text, language)


@pytest.mark.parametrize(
    ("language", "text", "asking", "name"),
    [
        ("de", "Ich arbeite bei der Lagerwerk GmbH in Hamburg.", None, "Lagerwerk GmbH"),
        ("de", "Ich bin Head of Product bei Klarfeld.", None, "Klarfeld"),
        ("de", "Wir sind 90 Mitarbeitende, Firma Gipfelhaus AG.", None, "Gipfelhaus AG"),
        ("de", "Alpbank Digital AG in Zürich, rund 1.200 Leute.", "company", "Alpbank Digital AG"),
        ("es", "trabajo en Grupo Norte S.L. desde 2020", None, "Grupo Norte S.L"),
        ("es", "Somos 70 personas, la empresa se llama Herbalia.", None, "Herbalia"),
        ("es", "somos 15 personas, Vinos del Sur", None, "Vinos del Sur"),
        ("fr", "Je travaille chez Dupont SAS depuis deux ans.", None, "Dupont SAS"),
        ("fr", "On est 25, Atelier Pousse, on vend des kits de jardinage.", None, "Atelier Pousse"),
        ("pt", "Trabalho na Solaris Ltda. há três anos.", None, "Solaris Ltda"),
        ("pt", "Somos 110 colaboradores, a empresa chama-se Alecrim.", None, "Alecrim"),
        ("pt", "Feirinha em Casa Ltda., delivery por app.", "company", "Feirinha em Casa Ltda"),
        ("fr", "Tournée, une appli pour les livreurs, on est 30", "company", "Tournée"),
        (
            "fr",
            "Groupe Santé Horizon, contact : dsi@sante-horizon.fr",
            "contact",
            "Groupe Santé Horizon",
        ),
        ("es", "Soy cofundadora de Métrica Viva, en Madrid.", None, "Métrica Viva"),
        ("es", "Se llama Rutalia Logística, somos 80.", "company", "Rutalia Logística"),
        ("es", "Le escribo de Clínicas Mar Azul, un grupo dental.", None, "Clínicas Mar Azul"),
        ("es", "Llevo el equipo de datos de Pedalea, una app de bicis.", None, "Pedalea"),
        ("es", "Soy jefa de producto de Atlas Viajes.", None, "Atlas Viajes"),
        ("pt", "Aqui é da Cestinha, uma loja online de cestas.", None, "Cestinha"),
        ("pt", "Somos a Vento Norte, 40 pessoas no Porto.", "company", "Vento Norte"),
        ("pt", "Sou head de dados da Rota Viva, um app de mobilidade.", None, "Rota Viva"),
        ("pt", "Chamamo-nos Tecelagem Minho, somos 60.", "company", "Tecelagem Minho"),
    ],
)
def test_company_name(language: str, text: str, asking: FieldName | None, name: str) -> None:
    company = read(text, language, asking=asking).get("company") or {}
    assert str(company.get("name", "")).rstrip(".") == name


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Servus! Wir verkaufen Buchhaltungssoftware im Abo."),
        ("de", "Grüezi mitenand. Wir möchten verstehen, wie Kunden die Banking-App nutzen."),
        ("de", "Ich war früher bei Mixpanel."),
        ("es", "Hola, somos una agencia de marketing digital en Valencia."),
        ("fr", "Bonjour, je suis analyste data chez un e-commerçant bruxellois."),
        ("pt", "Olá! Sou gerente de produto numa plataforma de cursos online."),
        ("es", "Soy director de marketing de una cadena de gimnasios en Madrid."),
        ("pt", "Sou diretora de marketing da empresa e quero ver funis."),
        ("de", "Im Juni wollen wir starten."),
    ],
)
def test_no_company_name(language: str, text: str) -> None:
    company = read(text, language, asking="company").get("company") or {}
    assert "name" not in company


def test_a_persons_name_with_the_email_is_no_company() -> None:
    args = read("Lucía Pérez, correo: lucia@herbalia.es", "es", asking="contact")
    assert "name" not in (args.get("company") or {})


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Ich heiße Jana Keller und leite das Marketing.", "Jana Keller"),
        ("de", "Mein Name ist Lukas Brandner.", "Lukas Brandner"),
        ("es", "Hola, me llamo Lucía Pérez.", "Lucía Pérez"),
        ("es", "Soy Marta, de Aprendo Online.", "Marta"),
        ("fr", "Bonjour, je m'appelle Claire Dubois.", "Claire Dubois"),
        ("pt", "Meu nome é Inês Duarte.", "Inês Duarte"),
        ("pt", "Olá, sou a Inês, da Alecrim.", "Inês"),
    ],
)
def test_contact_name(language: str, text: str, name: str) -> None:
    assert read(text, language)["contact"]["name"] == name


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Wir möchten sehen, wo im Checkout die Käufer abspringen."),
        ("de", "Ich bin Geschäftsführer."),
        ("es", "Soy CTO en Pagaya."),
        ("fr", "C'est moi qui décide."),
        ("pt", "Sou o CEO."),
    ],
)
def test_no_contact_name(language: str, text: str) -> None:
    assert "name" not in (read(text, language).get("contact") or {})


def test_email_in_any_language() -> None:
    contact = read("Mail: j.wendt@klarfeld.io", "de", asking="contact")["contact"]
    assert contact["email"] == "j.wendt@klarfeld.io"


def _with_examples(text: str, language: str) -> dict[str, Any]:
    return extract(
        text,
        asking=None,
        playbook=PLAYBOOK,
        today=TODAY,
        classifiers=shared_classifiers(),
        language=language,
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Hätten Sie jemanden, der mir das Ganze kurz am Bildschirm zeigen könnte?"),
        (
            "es",
            "Me vendría bien una videollamada con alguien de vuestro equipo la semana que viene.",
        ),
        ("pt", "Dá para marcar uma conversa com alguém da equipa comercial?"),
    ],
)
def test_a_request_for_a_person_in_other_words_is_read_by_its_nearest_example(
    language: str, text: str
) -> None:
    assert read(text, language).get("human") is None  # no rule holds these words
    human = _with_examples(text, language).get("human")
    assert human is not None
    assert human["requested"] is True


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Je dois d'abord en discuter avec ma directrice."),
        ("es", "Nuestro equipo comercial habla con clientes todo el día."),
        ("de", "Ich schaue mir das erst mal in Ruhe an, ein Anruf ist nicht nötig."),
        ("pt", "A nossa equipa de vendas faz chamadas com clientes todos os dias."),
    ],
)
def test_look_alikes_are_no_request_for_the_examples_either(language: str, text: str) -> None:
    assert _with_examples(text, language).get("human") is None


@pytest.mark.parametrize(
    ("language", "text", "role"),
    [
        ("en", "Hi, I'm head of growth at Pampa Pagos, a digital wallet.", "head of growth"),
        ("de", "Hallo, ich bin Vertriebsleiter bei der Lagerwerk GmbH.", "vertriebsleiter"),
        ("es", "Saludos desde Quito. Soy director médico de MedicEnCasa.", "director médico"),
        ("es", "Hola, soy jefe de mercadeo de Telar Andino.", "jefe de mercadeo"),
        ("fr", "Bonjour, je suis directrice marketing chez Kapsul.", "directrice marketing"),
        ("pt", "Oi, sou diretora de operações da Lumi Educação.", "diretora de operações"),
    ],
)
def test_a_department_heads_title_alone_leaves_the_decision_open(
    language: str, text: str, role: str
) -> None:
    """A department's head may recommend while a CFO or a board signs: said before the
    role question, the title gives the level but the role question is still asked."""
    authority = read(text, language)["authority"]
    assert authority["role"].lower() == role
    assert (authority["level"], authority.get("settled")) == ("decision_maker", False)


@pytest.mark.parametrize(
    ("language", "text", "asking"),
    [
        ("en", "I'm the CEO of Acme.", None),
        ("es", "Soy el director general de Asegura Fácil.", None),
        ("fr", "Je suis le directeur général de Kalibri.", None),
        ("de", "Ich bin Geschäftsführer der Lagerwerk GmbH.", None),
        ("es", "Soy jefe de mercadeo.", "authority"),
        ("de", "Ich bin Vertriebsleiter, ich entscheide das.", None),
    ],
)
def test_the_head_of_the_company_or_an_answer_settles_it(
    language: str, text: str, asking: FieldName | None
) -> None:
    authority = read(text, language, asking)["authority"]
    assert authority["level"] == "decision_maker"
    assert authority.get("settled", True) is True


@pytest.mark.parametrize(
    ("language", "text", "level"),
    [
        ("pt", "Sou o diretor comercial. Eu decido, o CEO só assina embaixo.", "decision_maker"),
        ("es", "Yo decido; el consejo solo lo firma.", "decision_maker"),
        ("pt", "A decisão é minha; o comitê ratifica, mas é protocolar.", "decision_maker"),
        (
            "fr",
            "Je siège au comité de direction en tant que directeur growth, mais ce type de "
            "dépense est décidé collégialement en CODIR.",
            "influencer",
        ),
        (
            "fr",
            "Je suis directeur du commerce électronique; la décision finale va se prendre avec "
            "le VP finances.",
            "influencer",
        ),
        ("fr", "Je mène l'évaluation, mais c'est notre CTO qui a le dernier mot.", "influencer"),
        ("fr", "C'est moi qui ai le dernier mot.", "decision_maker"),
        ("pt", "a diretoria tem orçamento próprio e quem assina sou eu", "decision_maker"),
        ("pt", "o diretor financeiro é quem assina", "influencer"),
        ("pt", "Tenho alçada pra aprovar esse valor sozinha.", "decision_maker"),
        ("pt", "não posso aprovar sozinho", "influencer"),
        ("fr", "Je peux valider ce montant seule.", "decision_maker"),
    ],
)
def test_a_signature_said_to_be_a_formality_or_a_collective_decision(
    language: str, text: str, level: str
) -> None:
    assert read(text, language, "authority")["authority"]["level"] == level


def test_a_french_directors_department_is_part_of_the_title() -> None:
    found = read("Je suis directeur du commerce électronique.", "fr", "authority")
    assert found["authority"]["role"] == "directeur du commerce"
