"""Who is writing, as German, Spanish, French and Portuguese speakers say it.

Patterns match :func:`agent.offline.languages.needs.fold`-ed text (lower case, no
accents). Students ("für meine Masterarbeit", "soy estudiante", "mon mémoire", "meu
TCC"), job seekers ("ich suche einen Job", "busco trabajo", "je cherche une alternance",
"vi a vaga"), people at a competitor ("ich arbeite bei Amplitude", "veille
concurrentielle"), vendors ("wir bieten Nearshoring-Teams an", "ofrecemos desarrollo
web") and spam ("GANA 5.000€ AL MES DESDE CASA"). A working student on a company's product
team ("Werkstudent") and a university's own staff are buyers, not students.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agent.models import Disqualifier


def _each(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {language: re.compile(rf"\b(?:{pattern})") for language, pattern in patterns.items()}


STUDENT = _each(
    {
        "de": r"ich bin (?:\w+ )?(?:student|studentin)\b|studiere\b|(?:mein|meinem|im) studium|"
        r"masterarbeit|bachelorarbeit|abschlussarbeit|hausarbeit|seminararbeit|doktorarbeit|"
        r"dissertation|(?:ist |nur )?fur die (?:uni|hochschule)\b|(?:mein|meine|meinem|meiner) "
        r"(?:betreuer|betreuerin|professor|professorin|dozent|dozentin)\b|lehrstuhl|"
        r"kommiliton|studienprojekt|uni-?projekt|semesterprojekt",
        "es": r"soy (?:\w+ )?estudiante|somos estudiantes|estudiante de|\btfg\b|\btfm\b|tesis\b|"
        r"trabajo (?:de )?fin de (?:grado|master)|(?:mi|el) tutor del|trabajo para (?:el|la|mi) "
        r"(?:master|universidad|uni|facultad|clase|asignatura)|licencia (?:para|de) estudiantes?|"
        r"proyecto (?:de|para) (?:clase|la uni|la universidad|la facultad|el master)|"
        r"(?:mi|el) (?:master|grado) (?:de|en)\b",
        "fr": r"je suis (?:\w+ )?etudiant|(?:on est|nous sommes) (?:des )?etudiants|memoire\b|"
        r"soutenance|projet (?:de groupe|de cours|tutore|etudiant|d'ecole|scolaire|de fin "
        r"d'etudes)|(?:notre|mon|ma) prof\b|(?:notre|mon|ma) (?:professeur|professeure)\b|"
        r"pour (?:un|mon|notre) cours\b|these\b|licence etudiant|tarif etudiant",
        "pt": r"sou (?:\w+ )?estudante|somos estudantes|estudante de|\btcc\b|dissertacao|"
        r"tese\b|(?:meu|o meu|minha|a minha) (?:orientador|orientadora|professor|professora)\b|"
        r"licenca (?:de|para) estudantes?|trabalho (?:da|de|para a) (?:faculdade|universidade|"
        r"cadeira|disciplina)|projeto (?:da|de|para a) faculdade|(?:meu|o meu|para o|do) "
        r"mestrado",
    }
)

JOB_SEEKER = _each(
    {
        "de": r"jobsuche|stellensuche|praktikumspl\w*|praktikumsstelle|(?:suche|suchen) "
        r"(?:\w+ ){0,3}(?:job|stelle|arbeit|"
        r"praktikum|werkstudentenstelle|ausbildungsplatz)\b|offene stellen|stellenangebot|"
        r"(?:mein(?:en)?|den) lebenslauf|bewerbung|bewerben|initiativ|stellt ihr (?:\w+ )?ein|"
        r"(?:seid ihr|sind sie) (?:gerade )?am einstellen",
        "es": r"(?:busco|buscando|estoy buscando) (?:\w+ )?(?:trabajo|empleo|practicas)|"
        r"vacantes?|(?:mi|el) (?:cv|curriculum|curriculo)\b|(?:estan|estais) contratando|"
        r"ofertas? de (?:empleo|trabajo)|postular|candidatura|trabajar con (?:vosotros|ustedes)",
        "fr": r"(?:cherche|recherche) (?:\w+ ){0,2}(?:emploi|poste|travail|job|stage|alternance|"
        r"cdi)\b|en recherche d'emploi|vous recrutez|recrutez-vous|(?:mon|le|notre) cv\b|"
        r"candidature|offres? d'emploi|postes? (?:ouverts?|a pourvoir)|postuler|"
        r"travailler (?:chez|avec) vous",
        "pt": r"(?:procurando|procuro|a procura de|a procurar|busco) (?:\w+ )?(?:emprego|"
        r"trabalho|estagio|vaga)|vagas (?:abertas|em aberto|disponiveis)|(?:tem|teem|tem) vagas|"
        r"vi a vaga|(?:meu|o meu) (?:curriculo|cv)\b|(?:mandar|enviar) (?:o )?(?:meu )?"
        r"(?:curriculo|cv)|estao contratando|candidat(?:ar|ura)|trabalhar com voces",
    }
)

# "ich arbeite bei NAMES", "trabajo en NAMES", "je travaille chez NAMES", "trabalho na NAMES".
_COMPETITOR_WORK = {
    "de": r"\b(?:ich arbeite |wir arbeiten |ich bin (?:\w+ ){0,3})(?:bei|fur) (?:NAMES)\b",
    "es": r"\b(?:trabajo |trabajamos |soy (?:\w+ ){0,3})(?:en|para) (?:NAMES)\b",
    "fr": r"\b(?:je travaille |nous travaillons |on travaille |je suis (?:\w+ ){0,3})(?:chez|pour) "
    r"(?:NAMES)\b",
    "pt": r"\b(?:trabalho |trabalhamos |sou (?:\w+ ){0,3})(?:na|no|em|para a|para o|pela|pelo) "
    r"(?:NAMES)\b",
}

COMPETITIVE = _each(
    {
        "de": r"wettbewerbsanalyse|konkurrenzanalyse|wettbewerbsrecherche|wir (?:bauen|entwickeln)"
        r" (?:\w+ ){0,3}[\w-]*(?:analyse|analytics)[\w-]*(?:plattform|tool|software|produkt)",
        "es": r"analisis (?:de la )?competencia|analisis competitivo|(?:estamos construyendo|"
        r"construimos|desarrollamos|estamos desarrollando) (?:\w+ ){0,3}(?:plataforma|"
        r"herramienta|producto) de analitica|vuestro posicionamiento",
        "fr": r"veille concurrentielle|analyse concurrentielle|(?:on developpe|nous developpons|"
        r"on construit|nous construisons) (?:\w+ ){0,3}(?:outil|plateforme|solution) "
        r"d'analytics",
        "pt": r"analise (?:competitiva|da concorrencia)|(?:estamos construindo|estamos a "
        r"construir|construimos|desenvolvemos) (?:\w+ ){0,3}(?:plataforma|ferramenta|produto) "
        r"de (?:analytics|analise)",
    }
)

VENDOR = _each(
    {
        "de": r"(?:konnen|konnten) (?:ihnen|euch) (?:dabei )?helfen,? (?:\w+ ){0,4}(?:zu finden|zu "
        r"gewinnen|zu besetzen|zu steigern|zu generieren)|"
        r"(?:wir )?bieten [^.]{0,40}\b(?:ihre[mn]?|ihnen|euch|eure[mn]?)\b|(?:be)?fullen "
        r"(?:ihren|euren) (?:\w+ )?\w*kalender|leadgenerierung|"
        r"(?:wir )?bieten (?:\w+ ){0,4}(?:[\w-]*dienstleistung\w*|services?|[\w-]*teams?|"
        r"[\w-]*entwicklung|seo|[\w-]*beratung|outsourcing|nearshoring|leads|backlinks)|"
        r"(?:ihnen|euch) (?:gerne? )?(?:unser )?angebot (?:schicken|senden|zukommen)|"
        r"personalberatung|(?:sehr gute |passende )?kandidaten|honorar|nearshoring|offshoring|"
        r"outsourcing|dienstleistungen|seo-agentur|konnen (?:ihre|eure|ihren|euren|ihnen|euch) "
        r"(?:\w+ ){0,2}(?:verdoppeln|verdreifachen|steigern|erhohen|verbessern|bauen)|"
        r"(?:agentur|dienstleister) fur (?:suchmaschinenoptimierung|seo|leadgenerierung|"
        r"webentwicklung|outbound)|an wen (?:\w+ ){0,3}(?:kann|darf) ich mich "
        r"wenden|darf ich (?:ihnen|euch) (?:\w+ )?(?:profile|unser)|unternehmen wie (?:ihres|"
        r"eures|ihrem|eurem)",
        "es": r"podemos ayudar(?:os|les) a (?:contratar|encontrar|generar|aumentar|duplicar|"
        r"mejorar|"
        r"conseguir)|ofrecemos [^.]{0,40}\b(?:vuestr\w*|su web|su empresa|ustedes)\b|"
        r"ofrecemos (?:\w+ ){0,3}(?:servicios|desarrollo|seo|consultoria|outsourcing|leads|"
        r"equipos|desarrolladores|backlinks|posicionamiento)|agencia (?:de )?seo|podemos "
        r"(?:duplicar|triplicar|sumar|aumentar|mejorar|llevar) (?:\w+ ){0,2}vuestr|software "
        r"factory|fabrica de software|(?:enviaros|enviarles|mandaros|pasar|paso) (?:\w+ ){0,2}"
        r"propuesta|nuestro plan cuesta|outsourcing|(?:empresas|companias) (?:\w+ ){0,2}como "
        r"(?:la vuestra|la suya|ustedes|vosotros)",
        "fr": r"(?:nous proposons|on propose|nous offrons) [^.]{0,40}\b(?:votre|vos)\b|"
        r"(?:pouvons|peut|pourrions) vous aider a (?:recruter|trouver|generer|augmenter|"
        r"developper|ameliorer|remplir)|vos (?:prochains|futurs) (?:[\w-]+ ){0,2}(?:developpeurs|"
        r"engineers|ingenieurs|talents|commerciaux|clients)|"
        r"(?:nous proposons|on propose) (?:\w+ ){0,3}(?:services|dpo|developpement|seo|"
        r"audits?|conseil|accompagnement|prestations|leads|rendez-vous)|notre (?:offre|forfait) "
        r"(?:demarre|commence|est a|coute)|notre proposition|a qui (?:puis-je|je peux|envoyer)|"
        r"agence de prospection|(?:on remplit|nous remplissons) (?:l'agenda|votre)|rendez-vous "
        r"qualifies|\w+ saas comme vous|entreprises comme la votre|externalis",
        "pt": r"podemos ajudar (?:voces|a vossa empresa) a (?:contratar|encontrar|gerar|aumentar|"
        r"dobrar|melhorar|conseguir)|oferecemos [^.]{0,40}(?:de voces|vosso|vossa|sua empresa)\b|"
        r"oferecemos (?:\w+ ){0,3}(?:servicos|desenvolvimento|seo|consultoria|outsourcing|"
        r"leads|equipes|devs|desenvolvedores)|fabrica de software|alocamos|(?:mandar|enviar) "
        r"(?:a |uma )?(?:proposta|amostra)|contatos de decisores|base (?:com|de) [\d. ]+(?:mil )?"
        r"contatos|o pacote (?:sai|custa)|empresas (?:\w+ ){0,2}como a de voces|outsourcing",
    }
)

SPAM = _each(
    {
        "de": r"geld verdienen|verdienen sie \d|nebenverdienst|gewinnspiel|sie haben gewonnen|"
        r"klicken sie hier|von zu hause aus (?:arbeiten|verdienen)",
        "es": r"gana \d|ganar dinero|desde casa\b[^.]{0,30}sin experiencia|te lo duplicamos|"
        r"has ganado|haz clic aqui|escribe ya",
        "fr": r"vous avez gagne|cliquez ici|gagnez \d|argent facile|reclamer votre (?:lot|prix|"
        r"cadeau)",
        "pt": r"renda extra|ganhe \d|ganhe dinheiro|trabalhando de casa|invista so|chama no zap|"
        r"voce ganhou|clique aqui",
    }
)

# A past the prospect has left: "ich hab vor Jahren meine Masterarbeit über Churn geschrieben",
# "fui estagiário na Amplitude há uns anos".
PAST = _each(
    {
        "de": r"vor (?:\w+ )?jahren|fruher|damals|ehemalig|war (?:\w+ ){0,3}(?:bei|an)\b",
        "es": r"hace (?:\w+ )?anos|antes trabajaba|en su momento|anterior empresa|trabajaba",
        "fr": r"il y a (?:\w+ )?ans|autrefois|a l'epoque|ancien(?:ne)? |j'ai travaille",
        "pt": r"ha (?:\w+ )?anos|antigamente|na epoca|\bfui\b|trabalhava",
    }
)

# A business speaking of its own trade: "nous gérons une plateforme d'offres d'emploi" runs a
# job board; it is not looking for a job.
WE_RUN = _each(
    {
        "de": r"wir (?:betreiben|sind|verkaufen|bauen|entwickeln|haben)\b",
        "es": r"(?:gestionamos|somos|tenemos|operamos|desarrollamos|vendemos)\b",
        "fr": r"(?:nous gerons|on gere|nous sommes|on est|nous exploitons|nous editons|"
        r"nous developpons|on developpe|nous vendons|on vend)\b",
        "pt": r"(?:gerimos|gerenciamos|somos|temos|operamos|desenvolvemos|vendemos|a gente tem)\b",
    }
)

DENIED = {
    language: re.compile(rf"\b(?:{pattern})\s+(?:\w+\s+){{0,2}}$")
    for language, pattern in {
        "de": r"nicht|kein|keine|keinen|nie",
        "es": r"no|nunca|ni",
        "fr": r"pas|ne|jamais|non",
        "pt": r"nao|nunca|nem",
    }.items()
}


@lru_cache(maxsize=64)
def competitor_work(language: str, names: tuple[str, ...]) -> re.Pattern[str] | None:
    """The "works at a competitor" matcher in ``language`` for the competitor ``names``."""
    template = _COMPETITOR_WORK.get(language)
    wanted = sorted({name.lower().strip() for name in names if name.strip()}, key=len, reverse=True)
    if template is None or not wanted:
        return None
    return re.compile(template.replace("NAMES", "|".join(re.escape(name) for name in wanted)))


def checks(language: str, names: tuple[str, ...]) -> list[tuple[Disqualifier, re.Pattern[str]]]:
    """The disqualifier checks of ``language`` in the order they are tried."""
    if language not in STUDENT:
        return []
    found: list[tuple[Disqualifier, re.Pattern[str]]] = [
        ("spam", SPAM[language]),
        ("job_seeker", JOB_SEEKER[language]),
        ("student", STUDENT[language]),
        ("competitor", COMPETITIVE[language]),
        ("vendor", VENDOR[language]),
    ]
    work = competitor_work(language, names)
    if work is not None:
        found.insert(1, ("competitor", work))
    return found
