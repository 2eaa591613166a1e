"""Needs, industries and disqualifiers read from German, Spanish, French and Portuguese
messages by the offline extractor (with the playbook's example classifiers, as the offline
model runs it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.exemplars import shared_classifiers
from agent.models import FieldName
from agent.offline import extract
from agent.offline.lexicon import lexicon_for
from agent.offline.spam import is_gibberish
from agent.playbook import load_playbook
from agent.resources import default_playbook_path

PLAYBOOK = load_playbook(default_playbook_path())
TODAY = date(2027, 1, 18)


def _read(text: str, language: str, asking: FieldName | None = None) -> dict[str, Any]:
    return extract(
        text,
        asking=asking,
        playbook=PLAYBOOK,
        today=TODAY,
        classifiers=shared_classifiers(),
        language=language,
    )


@pytest.mark.parametrize(
    ("language", "text", "fit", "use_case"),
    [
        ("de", "Wir sehen nicht, wo die Leute im Checkout abspringen.", "strong", "funnel"),
        (
            "de",
            "Unsere Kunden kündigen nach ein paar Monaten und wir wissen nicht warum.",
            "strong",
            "retention",
        ),
        (
            "de",
            "Wir wollen unsere Kundendaten aus App und CRM in einem Profil pro Kunde.",
            "strong",
            "segmentation",
        ),
        (
            "de",
            "Wir möchten unsere Kundschaft besser in Gruppen einteilen.",
            "strong",
            "segmentation",
        ),
        ("de", "Wir brauchen was für die Lohnabrechnung unserer Mitarbeiter.", "none", "payroll"),
        ("es", "Queremos entender por qué se van los clientes.", "strong", "retention"),
        (
            "es",
            "Queremos ver en qué paso del checkout se nos caen los compradores.",
            "strong",
            "funnel",
        ),
        ("es", "Necesito ayuda para programar las publicaciones de Instagram.", "none", "social"),
        (
            "fr",
            "On n'arrive pas à savoir à quelle étape on perd les utilisateurs.",
            "strong",
            "funnel",
        ),
        ("fr", "On veut loguer les actions des utilisateurs proprement.", "strong", "event"),
        ("fr", "Je cherche un logiciel pour ma compta et nos factures.", "none", "accounting"),
        (
            "pt",
            "Precisamos de dashboards de retenção para o time de produto.",
            "strong",
            "dashboards",
        ),
        ("pt", "Queremos ver em que passo do checkout o pessoal desiste.", "strong", "funnel"),
        ("pt", "Precisamos emitir nota fiscal e controlar o fluxo de caixa.", "none", "accounting"),
        (
            "es",
            "Mucha gente llega a la página de pago y cierra la pestaña.",
            "strong",
            "funnel",
        ),
        (
            "pt",
            "Ninguém cá dentro sabe que funcionalidades os administradores usam mesmo.",
            "strong",
            "product",
        ),
        (
            "de",
            "Wir haben ein neues Modul ausgerollt und keiner kann mir sagen, ob das überhaupt "
            "jemand verwendet.",
            "strong",
            "product",
        ),
    ],
)
def test_needs_said_in_everyday_words(language: str, text: str, fit: str, use_case: str) -> None:
    need = _read(text, language)["need"]
    assert need["fit"] == fit
    assert any(use_case in name for name in need["use_cases"])


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "de",
            "Wir haben ein echtes Retention-Problem: viele Pflegekräfte kündigen nach wenigen "
            "Monaten.",
        ),
        (
            "es",
            "Tenemos un problema de rotación: la gente entra a trabajar con nosotros y a los tres "
            "meses se va. Queremos medirlo bien.",
        ),
        (
            "pt",
            "A rotatividade dos operadores de caixa está altíssima: o pessoal entra e sai em 3 "
            "meses. Queria uma ferramenta pra acompanhar isso.",
        ),
        ("fr", "Nos salariés partent au bout de six mois, on veut comprendre la rétention."),
        (
            "de",
            "Wir haben ein Churn-Problem, allerdings beim Personal: die Aushilfen hören nach ein "
            "paar Wochen wieder auf.",
        ),
        (
            "es",
            "Tenemos un problema de rotación muy alto y queremos medir por qué se marchan.",
        ),
    ],
)
def test_staff_who_leave_are_an_hr_need_not_churn(language: str, text: str) -> None:
    need = _read(text, language)["need"]
    assert need["fit"] == "none"
    assert need["use_cases"] == ["payroll and hr"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Viele Kunden kündigen nach dem ersten Monat, wir wollen Churn verstehen."),
        ("pt", "Os clientes saem depois da primeira compra e queremos perceber a retenção."),
        (
            "es",
            "Muchos clientes se van tras la primera compra, queremos medir la rotación de "
            "clientes.",
        ),
        (
            "fr",
            "On veut savoir pourquoi les familles arrêtent de réserver après la deuxième "
            "intervention.",
        ),
    ],
)
def test_customers_who_leave_are_still_churn(language: str, text: str) -> None:
    need = _read(text, language)["need"]
    assert need["fit"] == "strong"
    assert need["use_cases"] == ["retention and churn analysis"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Queremos saber dónde abandonan la reserva y de paso rediseñar la web."),
        ("fr", "Savoir où nos clients abandonnent leur panier, et programmer nos posts Instagram."),
        ("de", "Wir testen Varianten auf der Preisseite und suchen was für unseren Newsletter."),
    ],
)
def test_a_served_and_an_unserved_need_make_a_partial_fit(language: str, text: str) -> None:
    assert _read(text, language, "need")["need"]["fit"] == "partial"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "pt",
            "Queremos uma ferramenta para disparar e-mails de newsletter para a nossa base, e "
            "também entender onde os clientes desistem do checkout.",
        ),
        (
            "de",
            "Zwei Themen: Nur wenige Besucher schließen unsere Registrierung ab und wir wissen "
            "nicht warum. Außerdem brauchen wir ein Tool für unseren Newsletter.",
        ),
    ],
)
def test_a_problem_in_other_words_beside_an_unserved_need_makes_a_partial_fit(
    language: str, text: str
) -> None:
    assert _read(text, language)["need"]["fit"] == "partial"


def test_a_want_in_the_third_person_says_an_unserved_need() -> None:
    text = "Bonjour, on aimerait envoyer une lettre d'information mensuelle à nos abonnés."
    assert _read(text, "fr")["need"]["fit"] == "none"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Wir brauchen keine neue Website, sondern wollen sehen, wo Nutzer abspringen."),
        ("es", "No necesitamos ayuda con las redes sociales, queremos saber por qué se van."),
        (
            "fr",
            "On n'a pas besoin de refaire le site, on veut savoir où ils abandonnent le panier.",
        ),
        ("pt", "Não precisamos de contabilidade, queremos ver onde os clientes desistem."),
    ],
)
def test_a_need_said_not_to_be_wanted_is_left_out(language: str, text: str) -> None:
    assert _read(text, language, "need")["need"]["fit"] == "strong"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Servus! Wir sind ein Wiener Startup, wir verkaufen eine Buchhaltungssoftware."),
        ("pt", "Olá, fazemos um software de RH em assinatura."),
        ("fr", "Fleurs de Lys, fleuriste avec une boutique en ligne, 7 personnes."),
    ],
)
def test_what_the_business_makes_is_no_need(language: str, text: str) -> None:
    assert "need" not in _read(text, language, "company")


@pytest.mark.parametrize(
    ("language", "text", "asking", "industry"),
    [
        ("de", "Hallo, wir sind ein Onlineshop für Fahrradersatzteile.", None, "ecommerce"),
        (
            "de",
            "Kochkiste GmbH, wir verschicken Kochboxen im Abo über unseren Webshop.",
            "company",
            "ecommerce",
        ),
        (
            "de",
            "Formfabrik, eine Design-Software für Agenturen im Abo, 70 Mitarbeitende.",
            "company",
            "saas",
        ),
        ("de", "Wir sind ein Versicherer mit Online-Policen.", "company", "fintech"),
        (
            "es",
            "Soy head of product en Pagaya, una app de pagos para independientes.",
            None,
            "fintech",
        ),
        (
            "es",
            "Somos una agencia de marketing digital y gestionamos tiendas online.",
            None,
            "agency",
        ),
        (
            "es",
            "Turnia, hacemos un software de reservas para clínicas veterinarias.",
            "company",
            "saas",
        ),
        (
            "fr",
            "Nous sommes un réseau de cliniques privées avec une appli patient.",
            None,
            "healthcare",
        ),
        ("fr", "Dossio SAS, éditeur de logiciel SaaS pour cabinets d'avocats.", "company", "saas"),
        ("pt", "Somos uma agência de marketing de performance em Lisboa.", None, "agency"),
        ("pt", "Transportes Ribeiro, logística, 45 pessoas.", "company", "other"),
        ("pt", "Uma ONG com 15 pessoas.", "company", "other"),
        (
            "es",
            "Somos una agencia de viajes y queremos ver dónde abandonan la reserva.",
            None,
            "other",
        ),
        (
            "es",
            "Somos una cadena de clínicas dentales y queremos ver dónde abandonan la cita online.",
            None,
            "healthcare",
        ),
        ("fr", "Bonjour, on a une marketplace de meubles d'occasion.", None, "ecommerce"),
        # trades the industries do not name, and software for them
        (
            "es",
            "Panaderías Horno Dorado, 380 empleados en 45 tiendas.",
            "company",
            "other",
        ),
        ("pt", "Somos uma transportadora de mercadorias, 30 pessoas ao todo.", "company", "other"),
        ("pt", "Supermercados Bom Preço do Vale, 600 funcionários.", "company", "other"),
        ("es", "Somos un supermercado online con unos 80 empleados.", "company", "ecommerce"),
        (
            "de",
            "tandemly, wir machen eine scheduling-app für fitnessstudios, 40 leute",
            "company",
            "saas",
        ),
    ],
)
def test_industry_from_what_the_company_does(
    language: str, text: str, asking: FieldName | None, industry: str
) -> None:
    assert _read(text, language, asking)["company"]["industry"] == industry


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [
        ("de", "Das ist für meine Masterarbeit an der TU.", "student"),
        ("es", "Ninguno, soy estudiante.", "student"),
        ("fr", "Mon directeur de mémoire m'a conseillé votre outil.", "student"),
        ("pt", "É para o meu TCC na faculdade.", "student"),
        ("de", "Ich suche einen Job als Datenanalyst, habt ihr offene Stellen?", "job_seeker"),
        ("es", "Busco trabajo como analista de producto.", "job_seeker"),
        ("fr", "Je cherche une alternance en data.", "job_seeker"),
        ("pt", "Vi a vaga de analista no LinkedIn.", "job_seeker"),
        ("de", "Ich arbeite bei Amplitude im Berliner Büro.", "competitor"),
        ("fr", "Je fais une veille concurrentielle sur vos offres.", "competitor"),
        (
            "pt",
            "Estamos construindo nossa própria plataforma de analytics de produto.",
            "competitor",
        ),
        ("de", "Wir bieten SEO-Dienstleistungen für Softwarefirmen an.", "vendor"),
        ("es", "Ofrecemos desarrollo web a medida desde 35 USD la hora.", "vendor"),
        ("pt", "Somos uma fábrica de software e alocamos devs sênior.", "vendor"),
        (
            "fr",
            "Nous sommes un cabinet de recrutement et nous pouvons vous aider à recruter vos "
            "prochains data engineers.",
            "vendor",
        ),
        ("fr", "Nous sommes une agence web et nous proposons la refonte de votre site.", "vendor"),
        ("es", "GANA 5.000€ AL MES DESDE CASA!!! sin experiencia", "spam"),
        # on a competitor's team, a product of their own, a reseller, a day rate, a quote
        ("es", "Trabajo en el área de marketing de Heap, en Barcelona.", "competitor"),
        ("pt", "Trabalho na equipe de vendas da Mixpanel em Lisboa.", "competitor"),
        (
            "de",
            "Wir entwickeln in Graz gerade selbst eine Analytics-Plattform für Apps.",
            "competitor",
        ),
        (
            "fr",
            "Je travaille chez Oktil, une solution d'analytics produit pour les applis.",
            "competitor",
        ),
        ("es", "Queremos ser su distribuidor oficial en Perú.", "vendor"),
        ("fr", "Je peux intervenir à 700 € HT la journée.", "vendor"),
        ("de", "Darf ich Ihnen ein kostenloses Angebot schicken?", "vendor"),
        ("pt", "Nossos pacotes começam em 4 mil reais por mês.", "vendor"),
        # job seekers in their own words
        ("fr", "Mes prétentions salariales tournent autour de 48 k€.", "job_seeker"),
        (
            "es",
            "Ahora mismo estoy entre trabajos y me encantaría unirme a vuestro equipo.",
            "job_seeker",
        ),
        ("pt", "Estou desempregado e procurando meu primeiro emprego na área.", "job_seeker"),
        ("de", "Ich bin gerade arbeitssuchend und würde gern bei euch einsteigen.", "job_seeker"),
        # promotions and phishing
        ("pt", "GANHE DINHEIRO COM NOSSO KIT EXCLUSIVO!!! SÓ R$ 99 HOJE 🔥🔥", "spam"),
        ("fr", "Votre compte sera suspendu, confirmez vos identifiants ici.", "spam"),
        ("pt", "Nossa taxa é de 20% do salário anual do contratado.", "vendor"),
        ("es", "Tenemos desarrolladores senior desde 40 €/hora.", "vendor"),
        ("fr", "Nous souhaitons devenir revendeur de votre outil en Suisse.", "vendor"),
        ("de", "Das ist für ein Schulprojekt, wir vergleichen Anbieter.", "student"),
        ("pt", "Somos um grupo de alunos do mestrado em marketing.", "student"),
        (
            "es",
            "Trabajo en una empresa que desarrolla una plataforma de analítica para apps.",
            "competitor",
        ),
        # stands at a fair, partnerships, agencies, outsourced teams, investment scams
        ("fr", "Il nous reste quelques stands à partir de 4 900 € HT.", "vendor"),
        ("de", "Wir hätten noch einen Messestand auf der DMEXCO für Sie.", "vendor"),
        (
            "pt",
            "Queríamos propor uma parceria: webinar conjunto e troca de newsletters.",
            "vendor",
        ),
        ("fr", "Notre agence SEO peut doubler votre trafic en six mois.", "vendor"),
        ("es", "¿Podríamos agendar 20 minutos con su CTO esta semana?", "vendor"),
        (
            "es",
            "Podemos armarles un equipo dedicado de 4 personas por 14.000 USD al mes.",
            "vendor",
        ),
        ("fr", "Investissez 250 € aujourd'hui, garanti 100 %.", "spam"),
        ("es", "Invierte 100 € y únete a nuestro grupo de Telegram.", "spam"),
        (
            "fr",
            "Je suis en reconversion après dix ans en cuisine. Vous embauchez des juniors ?",
            "job_seeker",
        ),
        ("pt", "Vocês estão a contratar analistas juniores?", "job_seeker"),
        # a pitch about our site, our sales team or our price, in any of its forms
        ("de", "Wir helfen SaaS-Firmen wie Ihrer, mehr Demo-Termine zu bekommen.", "vendor"),
        ("de", "Ein Paket mit 5.000 Kontakten kostet bei uns 4.500 € einmalig.", "vendor"),
        ("de", "Ihre Landingpages laden ziemlich langsam.", "vendor"),
        ("es", "El rediseño completo os saldría por 8.500 €.", "vendor"),
        ("fr", "Nos forfaits commencent à 2 500 € par mois.", "vendor"),
        ("fr", "J'ai analysé votre site et votre taux de conversion pourrait doubler.", "vendor"),
        (
            "pt",
            "A nossa agência enche a agenda das equipas comerciais com reuniões qualificadas.",
            "vendor",
        ),
        ("pt", "Não preciso de analytics, quero oferecer nossos serviços de LGPD.", "vendor"),
        ("pt", "Gostaríamos de ser revendedores oficiais da Beacon no Brasil.", "vendor"),
        (
            "pt",
            "Sou PM na Insightfy, a gente tá construindo uma plataforma de analytics de produto.",
            "competitor",
        ),
        ("de", "Wir sind eine Gruppe von vier Studierenden der Uni Wien.", "student"),
        ("fr", "Achetez 5000 abonnés insta pour 9,90 € seulement !", "spam"),
    ],
)
def test_who_is_writing(language: str, text: str, kind: str) -> None:
    assert _read(text, language)["disqualifier"]["kind"] == kind


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a working student on the product team, and a university's IT department, buy
        ("de", "Hi, ich bin Werkstudent bei uns im Produktteam und soll mir Tools anschauen."),
        ("es", "Soy el responsable de TI de la Universidad de Sevilla y buscamos una herramienta."),
        # a past, not a present
        ("de", "Ich hab vor Jahren meine Masterarbeit über Churn geschrieben."),
        ("pt", "Fui estagiário na Amplitude há uns anos, agora sou Head of Data."),
        # a job board describing its own trade
        ("fr", "Nous gérons une plateforme d'offres d'emploi en Belgique."),
        # a recruiting firm buying for itself
        ("pt", "Somos uma empresa de recrutamento e queremos ver onde os candidatos desistem."),
        # a buyer offering services to its own customers
        ("de", "Medivo Telemedizin GmbH, wir bieten Online-Arztgespräche an."),
        # a former employee of a competitor, a notice period of a contract, tools in use
        ("fr", "J'ai travaillé chez Mixpanel, aujourd'hui je dirige le growth chez Lumio."),
        ("de", "Unser Vertrag mit dem alten Tool hat drei Monate Kündigungsfrist."),
        ("es", "Tenemos una herramienta de analítica pero nadie la usa."),
        ("pt", "A gente faz análise de produto numa planilha hoje."),
        ("es", "Soy responsable de compras y busco una herramienta para el equipo."),
        # a business speaking of the candidates who use its product
        ("pt", "Muitos candidatos começam a candidatura no nosso portal e desistem."),
        ("pt", "Tem de estar pronto antes de abrirem as candidaturas, a 1 de julho."),
        # a buyer who read our site
        ("fr", "Sur votre site vous parlez d'analyse de conversion, ça nous intéresse."),
        ("de", "Auf Ihrer Website steht, dass man die Conversion verbessern kann."),
        ("de", "Unsere Bewerber brechen die Bewerbung im dritten Schritt ab."),
        # shouting without a promotion
        ("en", "WE NEED TO SEE WHERE USERS DROP OFF IN OUR SIGNUP FLOW"),
    ],
)
def test_real_buyers_who_only_look_like_one(language: str, text: str) -> None:
    assert "disqualifier" not in _read(text, language)


def test_a_competitor_named_as_the_company_is_a_competitor() -> None:
    found = _read("Amplitude", "pt", asking="company")
    assert found["disqualifier"]["kind"] == "competitor"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Ich möchte lieber direkt mit einem Menschen sprechen, nicht mit einem Bot."),
        ("es", "Holaa, necesito ayuda para programar las publicaciones de Instagram"),
        ("fr", "Je préfère voir ça avec un conseiller."),
        ("pt", "Orçamento nenhum por enquanto, estamos começando."),
    ],
)
def test_plain_words_are_no_gibberish(language: str, text: str) -> None:
    assert not is_gibberish(text, lexicon_for(PLAYBOOK).vocabulary, language)


def test_mashing_along_a_french_keyboard_is_gibberish() -> None:
    assert is_gibberish("qsdfqsdf azerty", lexicon_for(PLAYBOOK).vocabulary, "fr")
    assert _read("qsdfqsdf azerty", "fr")["disqualifier"]["kind"] == "spam"
