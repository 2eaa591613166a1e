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
        "de": r"ich bin (?!kein)(?:\w+ )?(?:student|studentin)\b|studiere\b|"
        r"(?:mein|meinem|im) studium|"
        r"masterarbeit|bachelorarbeit|abschlussarbeit|hausarbeit|seminararbeit|doktorarbeit|"
        r"dissertation|(?:ist |nur )?fur die (?:uni|hochschule)\b|(?:mein|meine|meinem|meiner) "
        r"(?:betreuer|betreuerin|professor|professorin|dozent|dozentin)\b|lehrstuhl|"
        r"kommiliton|studienprojekt|uni-?projekt|semesterprojekt|"
        r"schulprojekt|\breferat\b|(?<!fur )berufsschul|"
        r"fur (?:meinen|mein) (?:mba|master|bachelor)\b|"
        r"fallstudie (?:\w+ ){0,6}(?:mba|master|studium|uni|hochschule)|"
        r"(?:gruppe von|wir sind) (?:\w+ )?studierenden|lehrveranstaltung|im rahmen (?:\w+ ){0,3}"
        r"(?:seminars|kurses|moduls|studiums)",
        "es": r"soy (?:\w+ )?estudiante|somos estudiantes|estudiante de|\btfg\b|\btfm\b|tesis\b|"
        r"trabajo (?:de )?fin de (?:grado|master)|(?:mi|el) tutor del|trabajo para (?:el|la|mi) "
        r"(?:master|universidad|uni|facultad|clase|asignatura)|licencia (?:para|de) estudiantes?|"
        r"proyecto (?:de|para) (?:clase|la uni|la universidad|la facultad|el master)|"
        r"(?:mi|el) (?:master|grado) (?:de|en)\b|"
        r"(?:proyecto|trabajo) final (?:del|de) (?:master|grado|curso)|companer[oa]s de clase|"
        r"(?:licencia|version|plan) (?:\w+ )?para estudiantes|(?:proyecto|trabajo) de (?:la )?"
        r"asignatura|(?:el|la|nuestr[oa]) (?:profe|profesor|profesora) nos "
        r"(?:pide|pidio|ha pedido)",
        "fr": r"je suis (?:\w+ )?etudiant|(?:on est|nous sommes) (?:des )?etudiants|memoire\b|"
        r"soutenance|projet (?:de groupe|de cours|tutore|etudiant|d'ecole|scolaire|de fin "
        r"d'etudes)|(?:notre|mon|ma) prof\b|(?:notre|mon|ma) (?:professeur|professeure)\b|"
        r"pour (?:un|mon|notre) cours\b|these\b|licence etudiant|tarif etudiant|"
        r"projet tutore|camarades de (?:classe|promo)|(?:version|licence|offre) (?:\w+ )?pour "
        r"(?:les )?etudiants",
        "pt": r"sou (?:\w+ )?estudante|somos estudantes|estudante de|\btcc\b|dissertacao|"
        r"tese\b|(?:meu|o meu|minha|a minha) (?:orientador|orientadora|professor|professora)\b|"
        r"licenca (?:de|para) estudantes?|trabalho (?:da|de|para a) (?:faculdade|universidade|"
        r"cadeira|disciplina)|projeto (?:da|de|para a) faculdade|(?:meu|o meu|para o|do) "
        r"mestrado|"
        r"trabalho de grupo|(?:da|na|para a) cadeira de|(?:grupo de |somos )alunos|"
        r"alunos d[oa] (?:mba|mestrado|curso|faculdade)|para a "
        r"cadeira de|colegas de (?:turma|classe)",
    }
)

JOB_SEEKER = _each(
    {
        "de": r"jobsuche|stellensuche|praktikumspl\w*|praktikumsstelle|(?:suche|suchen) "
        r"(?:\w+ ){0,3}(?:job|stelle|arbeit|"
        r"praktikum|werkstudentenstelle|ausbildungsplatz)\b|offene stellen|stellenangebot|"
        r"(?:mein(?:en)?|den) lebenslauf|(?:meine|eine) bewerbung|bewerbung (?:als|bei|um|"
        r"(?:\w+ ){0,2}(?:schicken|senden))|(?:mich|ich) (?:\w+ ){0,6}bewerben|bewerbe mich|"
        r"initiativ|stellt ihr (?:\w+ )?ein|"
        r"(?:seid ihr|sind sie) (?:gerade )?am einstellen|"
        r"(?:erste|neue|nachste)n? (?:stelle|job|arbeitsstelle)\b|offene [\w-]*stellen|"
        r"bei (?:euch|ihnen) (?:\w+ ){0,3}(?:anfangen|einsteigen|mitarbeiten)\b|arbeitssuchend|"
        r"arbeitslos|gehaltsvorstellung|(?:nehmt|nehmen) (?:ihr |sie )?(?:auch )?"
        r"(?:praktikanten|werkstudenten|juniors|berufseinsteiger)|stellen sie (?:gerade |auch )?"
        r"(?:\w+ )?ein\b|quereinsteiger(?:in)? (?:auf|in) (?:der |job)?suche|meine "
        r"(?:bewerbungs)?unterlagen|bewerbungsunterlagen|sucht ihr (?:gerade |aktuell |noch )?"
        r"(?:[\w-]+ ){0,3}"
        r"(?:engineers?|entwickler\w*|mitarbeiter\w*|verstarkung|leute|kolleg\w*)\b",
        "es": r"(?:busco|buscando|estoy buscando) (?:\w+ )?(?:trabajo|empleo|practicas)|"
        r"vacantes?|(?:mi|el) (?:cv|curriculum|curriculo)\b|(?:estan|estais) contratando|"
        r"ofertas? de (?:empleo|trabajo)|postular|\bme postul\w*|postulacion|"
        r"(?:mi|enviar|mandar|presentar) (?:la |una )?(?:mi )?candidatura|candidatura "
        r"espontanea|trabajar con (?:vosotros|ustedes)|"
        r"buscando (?:\w+ ){1,2}(?:empleo|practicas)|(?:busco|buscando) (?:curro|chamba|laburo|"
        r"pega)\b|entre (?:trabajos|empleos|empresas)\b|(?:podria|puedo) incorporarme|"
        r"unirme a (?:vuestro|su|tu) equipo|unirme al equipo|en paro\b|desemplead[oa]|sin "
        r"(?:trabajo|empleo)\b|mi primer (?:trabajo|empleo)|(?:aceptan|aceptais|cogen|cogeis) "
        r"(?:\w+ )?(?:becarios|practicantes|juniors?|perfiles junior)|pretensiones salariales|"
        r"(?:estais|estan|estas) (?:buscando|contratando) "
        r"(?:gente|juniors?)|entrevista (?:de trabajo|(?:\w+ ){0,3}para el puesto)",
        "fr": r"(?:cherche|recherche) (?:\w+ ){0,2}(?:emploi|poste|travail|job|stage|alternance|"
        r"cdi)\b|en recherche d'emploi|vous recrutez|recrutez-vous|(?:mon|le|notre) cv\b|"
        r"(?:ma|une|envoyer|deposer) (?:ma |une )?candidature|candidature spontanee|"
        r"offres? d'emploi|postes? (?:ouverts?|a pourvoir)|postuler|"
        r"travailler (?:chez|avec) vous|"
        r"postes? (?:[\w'-]+ ){0,3}(?:ouverts?|a pourvoir|disponibles?)\b|pretentions salariales|"
        r"(?:mes|de) pretentions|disponible (?:\w+ ){0,4}preavis|"
        r"a l'ecoute (?:du marche|d'opportunites)|(?:rejoindre|integrer) (?:votre|vos) "
        r"(?:equipe|rangs)|(?:premier|prochain|nouvel) (?:emploi|poste|job)\b|sans emploi|"
        r"au chomage|demandeu(?:r|se) d'emploi|(?:prenez|acceptez)-vous (?:des )?(?:stagiaires|"
        r"alternants|juniors)|vous embauchez|(?:embauchez|recrutez)-vous|"
        r"(?:je suis|en) reconversion|entretien (?:d'embauche|(?:\w+ ){0,3}pour le poste)|"
        r"(?:ma|une) candidature (?:au|pour le) poste",
        "pt": r"(?:procurando|procuro|a procura de|a procurar|busco) (?:\w+ )?(?:emprego|"
        r"trabalho|estagio|vaga)|vagas (?:abertas|em aberto|disponiveis)|(?:tem|teem|tem) vagas|"
        r"vi a vaga|(?:meu|o meu) (?:curriculo|cv)\b|(?:mandar|enviar) (?:o )?(?:meu )?"
        r"(?:curriculo|cv)|estao contratando|(?:me )?candidatar(?:-me)?\b|(?:minha|enviar|mandar|"
        r"fazer) (?:a )?(?:minha )?"
        r"candidatura|candidatura espontanea|trabalhar com voces|"
        r"(?:procurando|procuro|a procura de|a procurar|busco) (?:\w+ ){1,2}(?:emprego|estagio|"
        r"vaga)\b|desempregad[oa]|entre empregos|(?:aceitam|contratam|pegam) "
        r"(?:\w+ )?(?:estagiarios|juniores|juniors|trainees)|(?:primeiro|novo|proximo) "
        r"emprego|(?:entrar|fazer parte) (?:n[oa]|d[oa]) (?:time|equipa|equipe) de voces|"
        r"pretensao salarial|(?:estao|voces estao) (?:a contratar|contratando)|voces contratam|"
        r"(?:em|na minha) recolocacao|(?:alguma|uma) vaga (?:aberta|em aberto|disponivel)|"
        r"entrevista (?:de emprego|(?:\w+ ){0,3}para a vaga)",
    }
)

# "ich arbeite bei NAMES", "trabajo en NAMES", "je travaille chez NAMES", "trabalho na NAMES".
# Also on a team of theirs: "trabajo en el equipo comercial de Pendo", "trabalho no time de
# solutions da Amplitude", "ich bin im Sales-Team von Heap".
_TEAM = (
    r"(?:[\w-]+ ){0,2}[\w-]*(?:team|abteilung|equipo|area|departamento|time|equipe|equipa|"
    r"service|pole|buro|office|standort|niederlassung|oficina|sede|bureau|escritorio)"
)
_COMPETITOR_WORK = {
    "de": r"\b(?:ich arbeite |wir arbeiten |ich bin (?:\w+ ){0,3})(?:bei|fur) (?:NAMES)\b|"
    r"\b(?:ich arbeite|ich bin) (?:im|in der|beim) " + _TEAM + r" (?:[\w-]+ ){0,3}(?:von|bei) "
    r"(?:NAMES)\b",
    "es": r"\b(?:trabajo |trabajamos |laburo |laburamos |curro |soy (?:\w+ ){0,3})(?:en|para) "
    r"(?:NAMES)\b|"
    r"\b(?:trabajo|trabajamos|laburo|curro|estoy|soy) (?:en (?:el |la )?|del |de la )"
    + _TEAM
    + r" (?:[\w-]+ ){0,3}de (?:NAMES)\b",
    "fr": r"\b(?:je travaille |nous travaillons |on travaille |je suis (?:\w+ ){0,3})(?:chez|pour) "
    r"(?:NAMES)\b|\b(?:je travaille|je suis) (?:dans l'|dans le |dans la )"
    + _TEAM
    + r" (?:[\w-]+ ){0,3}(?:de |d'|chez )(?:NAMES)\b",
    "pt": r"\b(?:trabalho |trabalhamos |sou (?:\w+ ){0,3})(?:na|no|em|para a|para o|pela|pelo) "
    r"(?:NAMES)\b|\b(?:trabalho|trabalhamos|estou|sou) (?:n[oa]|d[ao]) "
    + _TEAM
    + r" (?:[\w-]+ ){0,4}"
    r"(?:da|do|de) (?:NAMES)\b",
}

COMPETITIVE = _each(
    {
        "de": r"wettbewerbsanalyse|konkurrenzanalyse|wettbewerbsrecherche|wir (?:bauen|entwickeln)"
        r" (?:\w+ ){0,3}[\w-]*(?:analyse|analytics)[\w-]*(?:plattform|tool|software|produkt)|"
        r"wir (?:bauen|entwickeln|verkaufen|betreiben) (?:[\w-]+ ){0,5}"
        r"[\w-]*(?:analyse|analytics|tracking)[\w-]*(?:plattform|tool|software|produkt|losung)|"
        r"wir (?:bauen|entwickeln) (?:[\w-]+ ){0,5}[\w-]*(?:plattform|tool|software|produkt|"
        r"losung) fur (?:[\w-]+ )?[\w-]*(?:analyse|analytics|tracking)|"
        r"(?:fur|in) (?:unsere|unser) (?:eigene[ns]? )?roadmap|preis-?benchmark|"
        r"unsere (?:eigene )?preisgestaltung|firma,? die (?:\w+ ){0,3}[\w-]*(?:analyse|analytics)"
        r"[\w-]* ?(?:plattform|tool|software)? (?:entwickelt|baut|verkauft)|"
        r"die (?:\w+ )?auch (?:\w+ ){0,2}[\w-]*(?:analyse|analytics)[\w-]* (?:macht|anbietet|"
        r"verkauft|baut|entwickelt)|(?:fur )?unsere preisstrategie",
        "es": r"analisis (?:de la )?competencia|analisis competitivo|(?:estamos construyendo|"
        r"construimos|desarrollamos|estamos desarrollando) (?:[\w,]+ ){0,4}(?:plataforma|"
        r"herramienta|producto) (?:(?!intern|propi)[\w-]+ ){0,2}de analitica|"
        r"vuestro posicionamiento|"
        r"(?:hacemos|creamos|vendemos|ofrecemos) (?:\w+ ){0,4}(?:plataforma|herramienta|"
        r"producto|solucion|software) de analitica|para nuestro (?:propio )?roadmap|"
        r"benchmark de precios|"
        r"nuestra tabla de precios|empresa que (?:desarrolla|hace|crea|vende) (?:una |un )?"
        r"(?:plataforma|herramienta|producto|software|solucion) de (?:analitica|product analytics)|"
        r"que tambien (?:hace|hacemos|ofrece|vende|desarrolla) (?:\w+ ){0,2}analitica|"
        r"algo parecido a lo (?:vuestro|suyo|de ustedes)|(?:comparativa|comparacion) de "
        r"(?:\w+ ){0,4}de la competencia|nuestra estrategia de (?:pricing|precios)",
        "fr": r"veille concurrentielle|analyse concurrentielle|(?:on developpe|nous developpons|"
        r"on construit|nous construisons) (?:\w+ ){0,3}(?:outil|plateforme|solution) "
        r"d'analytics|"
        r"(?:nous faisons|on fait|nous editons|on edite|nous vendons|on vend) (?:\w+ ){0,3}"
        r"(?:outil|plateforme|solution|logiciel) (?:\w+ ){0,2}d'(?:analytics|analyse)|(?:chez|de) "
        r"[\w-]+, (?:une|un|l') ?(?:\w+ ){0,2}(?:solution|plateforme|outil|editeur|logiciel) "
        r"(?:\w+ ){0,2}d'(?:analytics|analyse)|pour notre (?:propre )?roadmap|benchmark de prix|"
        r"notre (?:nouvelle )?grille tarifaire|positionner nos (?:propres )?prix|"
        r"(?:boite|societe|entreprise|startup) qui (?:developpe|fait|edite|vend) (?:une |un )?"
        r"(?:plateforme|outil|solution|logiciel) d'(?:analytics|analyse)|"
        r"qui (?:fait|propose|vend|edite) aussi (?:\w+ ){0,2}(?:de l'|du |d')(?:analytics|"
        r"analyse)|(?:comparatif|benchmark) (?:\w+ ){0,3}de la concurrence|"
        r"notre strategie (?:de prix|tarifaire|de pricing)",
        "pt": r"analise (?:competitiva|da concorrencia)|(?:estamos construindo|estamos a "
        r"construir|construimos|desenvolvemos) (?:\w+ ){0,3}(?:plataforma|ferramenta|produto) "
        r"de (?:analytics|analise)|"
        r"(?:a gente faz|fazemos|nos fazemos|criamos|vendemos) (?:\w+ ){0,3}(?:analytics|analise|"
        r"plataforma|ferramenta)(?: de \w+)? (?:pra|para) (?:saas|empresas|apps|clientes|startups|"
        r"e-?commerces?)|(?:a gente (?:ta|esta)|estamos|nos estamos) (?:construindo|desenvolvendo|"
        r"a "
        r"construir|a desenvolver|criando) (?:[\w,]+ ){0,4}(?:plataforma|ferramenta|produto|"
        r"solucao) (?:(?!intern|propri)\w+ )?de (?:analytics|analise)|pra gente se posicionar|"
        r"para nos posicionarmos|"
        r"para posicionarmos o nosso|"
        r"(?:a gente faz|fazemos|nos fazemos|criamos|vendemos) (?:\w+ ){0,3}(?:analytics|analise|"
        r"plataforma|ferramenta)(?: de \w+)? (?:pra|para) (?:saas|empresas|apps|clientes|startups|"
        r"e-?commerces?)|"
        r"(?:para|pro|pra) (?:o )?nosso (?:proprio )?roadmap|benchmark de preco|"
        r"nossa tabela de precos|empresa (?:de \w+ )?que (?:desenvolve|faz|cria|vende) "
        r"(?:uma |um )?(?:plataforma|ferramenta|produto|software|solucao) de (?:product "
        r"analytics|analytics|analise)|que tambem (?:faz|fazemos|oferece|vende|desenvolve) "
        r"(?:\w+ ){0,2}(?:analytics|analise)|(?:nossa|pra nossa|para a nossa) estrategia de "
        r"(?:pricing|precos?)|(?:comparativo|benchmark) (?:\w+ ){0,3}da concorrencia",
    }
)

VENDOR = _each(
    {
        "de": r"demo-termine|qualifizierte termine|outbound-kampagnen|kostet bei uns|"
        r"(?:unser|unsere) (?:pakete?|angebote?|preise|leistungen) (?:kostet|kosten|starten|"
        r"beginnen)|(?:ihnen|euch) (?:unsere )?(?:dienstleistungen|leistungen|services) anbieten|"
        r"(?:brauchen|benotigen) (?:selbst )?kein(?:e|en)? analytics|(?:fur|"
        r"bei) beacon (?:\w+ ){0,2}"
        r"(?:lage|lagen|kostet|kame|wurde)|(?:ihre|eure) (?:website|webseite|landingpages?|"
        r"seite)\w* (?:\w+ ){0,3}(?:langsam|unsichtbar|veraltet)\b|musterliste|(?:firmen|"
        r"unternehmen) wie (?:ihrer|eurer)|(?:konnen|"
        r"konnten) (?:ihnen|euch) (?:dabei )?helfen,? (?:\w+ ){0,4}(?:zu finden|zu "
        r"gewinnen|zu besetzen|zu steigern|zu generieren)|"
        r"(?:wir )?bieten [^.]{0,40}\b(?:ihre[mn]?|ihnen|euch|eure[mn]?)\b|(?:be)?fullen "
        r"(?:ihren|euren) (?:\w+ )?\w*kalender|leadgenerierung|"
        r"(?:wir )?bieten (?:\w+ ){0,4}(?:[\w-]*dienstleistung\w*|services?|[\w-]*teams?|"
        r"[\w-]*entwicklung|seo|[\w-]*beratung|outsourcing|nearshoring|leads|backlinks)|"
        r"(?:ihnen|euch) (?:gerne? )?(?:unser )?angebot (?:schicken|senden|zukommen)|"
        r"personalberatung|(?:sehr gute|passende|qualifizierte|geprufte) kandidaten|honorar|"
        r"nearshoring|offshoring|"
        r"outsourcing|dienstleistungen|seo-agentur|konnen (?:ihre|eure|ihren|euren|ihnen|euch) "
        r"(?:\w+ ){0,2}(?:verdoppeln|verdreifachen|steigern|erhohen|verbessern|bauen)|"
        r"(?:agentur|dienstleister) fur (?:suchmaschinenoptimierung|seo|leadgenerierung|"
        r"webentwicklung|outbound)|an wen (?:\w+ ){0,3}(?:kann|darf) ich mich "
        r"wenden|darf ich (?:ihnen|euch) (?:\w+ )?(?:profile|unser)|unternehmen wie (?:ihres|"
        r"eures|ihrem|eurem)|"
        r"(?:ihnen|euch) (?:\w+ ){0,3}angebot (?:schicken|senden|zukommen|machen|unterbreiten)|"
        r"an wen (?:\w+ ){0,4}(?:richten|schicken|senden)\b|headhunter|"
        r"personalvermittl|(?:vertriebspartner|reseller|wiederverkaufer) (?:fur|von) (?:beacon|ihr|"
        r"euer)|tagessatz|"
        r"(?:ab|fur) [\d.,]+ ?(?:€|eur|euro|chf)? ?(?:pro|je) (?:wort|stunde|tag|personentag)\b|"
        r"\d+ ?% (?:des|vom) (?:\w+ )?(?:jahres)?gehalt|"
        r"[\d.,]+ ?(?:€|eur|\$|r\$|chf|usd) ?/ ?(?:hora|dia|h|stunde|std|tag|jour|heure)\b|"
        r"stundensatz\w*|unser (?:paket|retainer|angebot) (?:startet|beginnt|kostet|liegt)|"
        r"(?:schicke|sende) (?:ich )?(?:ihnen|euch) (?:\w+ ){0,3}(?:angebot|unterlagen|profile)|"
        r"bieten wir (?:\w+ ){0,3}pakete? |unser paket ab [\d.,]+|"
        r"[\d.,]+ ?(?:€|eur|euro|chf|usd|\$) (?:pro|je) wort\b|"
        r"(?:mit|an) "
        r"(?:ihrem|eurem) (?:cto|ceo)\b|messestand|standflache|aussteller(?:platz|flache)|"
        r"sponsoring-?paket|(?:eine |unsere )?partnerschaft (?:vorschlagen|anbieten)|"
        r"gemeinsames? webinar|co-?marketing|firma,? die (?:\w+ ){0,3}[\w-]*(?:analyse|"
        r"analytics)[\w-]* "
        r"(?:plattform|tool|software) (?:entwickelt|baut|verkauft)",
        "es": r"(?:os|le|les) saldria|nuestros? (?:paquetes?|planes?|tarifas?|servicios?) "
        r"(?:empiezan|cuestan|arrancan|parten|salen)|(?:ofreceros|ofrecerles) (?:\w+ )?"
        r"(?:servicios|nuestros)|no (?:necesito|necesitamos) (?:\w+ )?analitica|(?:vuestra|su) "
        r"(?:web|pagina|landing)\w* (?:\w+ ){0,3}(?:lenta|invisible|anticuada)\b|"
        r"el rediseno (?:completo )?(?:os|le|les)|podemos ayudar(?:os|"
        r"les) a (?:contratar|encontrar|generar|aumentar|duplicar|"
        r"mejorar|"
        r"conseguir)|ofrecemos [^.]{0,40}\b(?:vuestr\w*|su web|su empresa|ustedes)\b|"
        r"ofrecemos (?:\w+ ){0,3}(?:servicios|desarrollo|seo|consultoria|outsourcing|leads|"
        r"equipos|desarrolladores|backlinks|posicionamiento)|agencia (?:de )?seo|podemos "
        r"(?:duplicar|triplicar|sumar|aumentar|mejorar|llevar) (?:\w+ ){0,2}vuestr|software "
        r"factory|fabrica de software|(?:enviaros|enviarles|mandaros|pasar|paso) (?:\w+ ){0,2}"
        r"propuesta|nuestro plan cuesta|outsourcing|(?:empresas|companias) (?:\w+ ){0,2}como "
        r"(?:la vuestra|la suya|ustedes|vosotros)|"
        r"(?:enviaros|enviarles|mandaros|mandarles|os puedo mandar|le envio|les envio|te envio) "
        r"(?:\w+ ){0,3}(?:catalogo|tarifas|propuesta|presupuesto|perfiles)|(?:ser|como) "
        r"(?:vuestro|su|tu) (?:\w+ )?(?:partner|socio|distribuidor|revendedor)|revender (?:beacon|"
        r"vuestr|su (?:producto|software|herramienta|plataforma)|la herramienta|la plataforma)|"
        r"quien (?:lleva|gestiona|se encarga de) (?:las )?compras|cazatalentos|headhunter|"
        r"\d+ ?% del salario|"
        r"(?:area|departamento) de alianzas|tarifa diaria|nuestras? tarifas? (?:de [\w-]+ )?"
        r"(?:es|son|sale|salen|arranca|parte|ronda)\b|(?:desde|a partir de) [\d.,]+ ?"
        r"(?:€|eur|euros|usd|\$)? ?(?:por|la|al) (?:palabra|hora|dia|jornada)\b|"
        r"[\d.,]+ ?(?:€|eur|\$|r\$|chf|usd) ?/ ?(?:hora|dia|h|stunde|std|tag|jour|heure)\b|"
        r"llenamos (?:la|vuestra|su) agenda|stand en (?:la |nuestra )?feria|"
        r"[\d.,]+ ?(?:€|eur|euros|usd|\$|dolares) (?:por|la|cada) palabra\b|(?:les|os|le) podemos "
        r"(?:localizar|traducir|disenar|redisenar|producir|grabar|montar|hacer) (?:la|el|los|las|"
        r"su|sus|vuestr\w*) |(?:le|les|os) (?:hacemos|producimos|creamos|grabamos) a beacon|"
        r"(?:espacio|stand) (?:de|como) expositor|paquetes? de patrocinio|patrocinador|"
        r"proponer(?:os|les)? una (?:alianza|colaboracion)|webinar conjunto|co-?marketing|"
        r"(?:minutos|reunion|llamada|cita) con (?:vuestro|su|tu) (?:cto|ceo|director\w*)|"
        r"equipo dedicado de \d+|(?:desarrolladores|programadores|ingenieros) (?:\w+ ){0,6}"
        r"[\d.,]+ ?(?:€|eur|euros|usd|\$|dolares) (?:la|por|por cada|a la) hora|"
        r"reuniones cualificadas|(?:me pasas|pasadme|me pasa|"
        r"me pasan) con (?:vuestro|su|tu) (?:director|responsable|ceo|cto)|a quien "
        r"(?:se lo |le |os )?(?:envio|mando)|(?:os|le|les|te) mando (?:\w+ ){0,3}(?:video|"
        r"propuesta|presupuesto|catalogo|perfiles|ideas)|(?:hemos|llevamos) (?:\w+ ){0,2}"
        r"(?:redisenado|ayudado a|trabajado con) (?:\w+ ){0,4}(?:saas|empresas|startups)",
        "fr": r"(?:notre|nos) (?:offres?|forfaits?|packs?|tarifs?|accompagnements?) "
        r"(?:demarrent|commencent|debutent|sont a partir)|vous proposer (?:nos|mes) services|"
        r"(?:vous|nous) couterait|(?:votre|vos) (?:[\w-]+ ){0,4}(?:pourrai(?:t|"
        r"ent)) (?:\w+ ){0,2}doubler|(?:votre|vos) (?:site|pages?) (?:est|sont) "
        r"(?:\w+ ){0,2}(?:lent|lentes|invisibles?)|vous etes (?:quasiment |presque )?invisibles?|"
        r"(?:nous proposons|"
        r"on propose|nous offrons) [^.]{0,40}\b(?:votre|vos)\b|"
        r"(?:pouvons|peut|pourrions) vous aider a (?:recruter|trouver|generer|augmenter|"
        r"developper|ameliorer|remplir)|vos (?:prochains|futurs) (?:[\w-]+ ){0,2}(?:developpeurs|"
        r"engineers|ingenieurs|talents|commerciaux|clients)|"
        r"(?:nous proposons|on propose) (?:\w+ ){0,3}(?:services|dpo|developpement|seo|"
        r"audits?|conseil|accompagnement|prestations|leads|rendez-vous)|notre (?:offre|forfait) "
        r"(?:demarre|commence|est a|coute)|notre proposition|a qui (?:puis-je|je peux|envoyer)|"
        r"agence de prospection|(?:on remplit|nous remplissons) (?:l'agenda|votre)|rendez-vous "
        r"qualifies|\w+ saas comme vous|entreprises comme la votre|externalis|"
        r"(?:nous proposons|on propose|nous offrons) (?:[\w'-]+ ){0,6}(?:services|developpement|"
        r"audits?|conseil|accompagnement|prestations|developpeurs)|(?:nous accompagnons|on "
        r"accompagne) (?:[\w'-]+ ){0,3}(?:editeurs|entreprises|startups|scale-ups|marques)|"
        r"(?:editeurs|entreprises|societes|startups|acteurs|scale-ups|boites) (?:\w+ ){0,2}comme "
        r"(?:beacon|vous|la votre|les votres)|vous envoyer (?:\w+ ){0,2}(?:proposition|devis|"
        r"soumission|offre|plaquette|catalogue|profils)|notre (?:offre|forfait|audit|prestation|"
        r"accompagnement|tarif|tjm) (?:demarre|commence|est a|coute|debute)|(?:devenir|etre) "
        r"(?:votre|un) partenaire|je vous propose (?:de devenir|nos services|mes services|une "
        r"collaboration|un partenariat)|chez vos clients|\besn\b|"
        r"(?:developpeurs|ingenieurs|consultants) (?:[\w-]+ ){0,4}dedies|(?:echange|appel|call|"
        r"rdv|rendez-vous) (?:de \d+ minutes )?avec votre (?:cto|ceo|dg|pdg|"
        r"dsi|cmo)\b|chasseur de tetes|cabinet de recrutement|\d+ ?% du salaire|\btjm\b|"
        r"[\d.,]+ ?(?:€|eur|euros|chf|\$|cad)? ?(?:ht )?(?:la journee|par jour|le mot|par mot)\b|"
        r"revendre (?:beacon|votre (?:solution|outil|plateforme|logiciel))|revendeur (?:officiel|"
        r"agree|de beacon)|"
        r"[\d.,]+ ?(?:€|eur|\$|r\$|chf|usd) ?/ ?(?:hora|dia|h|stunde|std|tag|jour|heure)\b|"
        r"revendr\w* (?:vos|les) licences|devenir (?:\w+ ){0,2}(?:integrateur|revendeur|"
        r"partenaire)|"
        r"en charge des partenariats|stands? (?:a partir de|disponibles?|restants?)|"
        r"reserver un (?:emplacement|stand)|exposants?\b|(?:offre|pack) de sponsoring|"
        r"proposer un partenariat|webinaire (?:commun|conjoint)|co-?marketing|"
        r"(?:notre|une) agence (?:seo|de referencement|sea|growth)|"
        r"doubler (?:votre|vos) (?:trafic|leads|ventes)|votre site (?:\w+ ){0,3}(?:existe pas|"
        r"n'existe pas)|(?:on peut|nous pouvons|on pourrait|nous pourrions) (?:vous )?(?:le |la |"
        r"les |l')?(?:traduire|localiser|refaire|refondre|rediger|redesigner)\b",
        "pt": r"reunioes qualificadas|enche(?:mos)? a agenda|prospe(?:c|cc)ao outbound|"
        r"(?:nosso|o nosso|nossos|os nossos) (?:pacotes?|planos?|servicos?) (?:custa|custam|sai|"
        r"saem|comeca|comecam|parte|partem)|(?:quero|queremos|gostariamos de|gostaria de) "
        r"oferecer (?:\w+ ){0,2}(?:servicos|solucoes)|nao (?:preciso|precisamos) de analytics|"
        r"(?:revendedor\w*|distribuidor\w*|parceir\w*) (?:\w+ ){0,2}d[ao] beacon|comissao sobre|"
        r"(?:empresas|saas) (?:\w+ ){0,2}como (?:a beacon|o vosso|a vossa|o seu|a sua)|"
        r"(?:vos|lhes) (?:custaria|ficaria)|podemos ajudar (?:voces|"
        r"a vossa empresa) a (?:contratar|encontrar|gerar|aumentar|"
        r"dobrar|melhorar|conseguir)|oferecemos [^.]{0,40}(?:de voces|vosso|vossa|sua empresa)\b|"
        r"oferecemos (?:\w+ ){0,3}(?:servicos|desenvolvimento|seo|consultoria|outsourcing|"
        r"leads|equipes|devs|desenvolvedores)|fabrica de software|alocamos|(?:mandar|enviar) "
        r"(?:a |uma )?(?:proposta|amostra)|contatos de decisores|base (?:com|de) [\d. ]+(?:mil )?"
        r"contatos|o pacote (?:sai|custa)|empresas (?:\w+ ){0,2}como a de voces|outsourcing|"
        r"(?:nossos|os nossos) (?:pacotes|planos|servicos|precos) (?:comecam|custam|saem|partem)|"
        r"(?:mandar|enviar|passar)(?:-vos|-lhes)? (?:\w+ ){0,2}(?:proposta|amostra|perfis|"
        r"catalogo|orcamento)|parceiros? (?:de revenda|oficia(?:l|is)|de implementacao)|"
        r"revend(?:a|er) (?:do |o )?(?:beacon|produto|software|ferramenta|plataforma)|margem "
        r"sobre (?:as )?licencas|headhunter|\d+ ?% do salario|(?:a partir de|desde) "
        r"[\d.,]+ ?(?:€|eur|euros|r\$|reais)? ?(?:por|a) (?:palavra|hora|dia|diaria)\b|"
        r"[\d.,]+ ?(?:€|eur|\$|r\$|chf|usd) ?/ ?(?:hora|dia|h|stunde|std|tag|jour|heure)\b|"
        r"(?:tenho|temos) (?:\w+ ){0,4}(?:engenheiros|engineers|devs|programadores|candidatos) "
        r"(?:\w+ ){0,2}disponiveis|squads dedicados|(?:apresentar|mostrar) (?:a )?(?:nossa )?"
        r"proposta|estande|(?:espaco|stand) (?:de|como) expositor|cota de patrocinio|"
        r"propor (?:uma|a) parceria|parceria:? webinar|webinar conjunto|troca de newsletters|"
        r"co-?marketing|quem (?:trata|cuida) das parcerias|(?:nosso|o nosso) fee (?:comeca|"
        r"e de|custa|sai|parte)|[\d.,]+ ?(?:€|eur|euros|r\$|reais) (?:por|a|cada) palavra\b",
    }
)

# Selling to the company behind the chat, said the way any seller says it: an offer made to
# it ("queríamos propor ao Beacon equipas nearshore"), a free audit as the way in, a
# commission for bringing it customers, a price list for its sales team.
OFFERS = _each(
    {
        "de": r"nearshor\w*|(?:beacon|euch|ihnen) (?:\w+ ){0,3}(?:anbieten|vorschlagen)\b|"
        r"(?:ihnen|euch) (?:gerne )?ein angebot (?:zu )?(?:machen|schicken|senden)|"
        r"kostenlose[nrs]? (?:\w+ )?(?:audit|check|analyse|erstgesprach)|(?:gegen|bekomme|"
        r"erhalte) (?:\w+ ){0,2}provision\b|"
        r"partnerschaft (?:\w+ ){0,2}(?:eingehen|anbieten|vorschlagen)|fur partnerschaften "
        r"zustandig|(?:verifizierte|qualifizierte) (?:\w+ )?(?:kontaktdaten|datensatze|leads)|"
        r"fur (?:ihr|euer) (?:vertriebs|marketing)team",
        "es": r"nearshore|(?:proponer|ofrecer|ofreceros|ofrecerles|presentar) a beacon|"
        r"auditoria (?:\w+ )?(?:es )?(?:gratis|gratuita|sin coste)|(?:puedo|podemos) (?:\w+ ){0,3}"
        r"diagnostico (?:\w+ )?(?:gratis|gratuito|sin coste)|"
        r"trabajamos con (?:fees|tarifas|"
        r"cuotas|precios) desde|(?:fees|tarifas|cuotas) desde [\d.,]+|comision (?:por|sobre|del)|"
        r"ayudamos a (?:\w+ ){0,2}(?:empresas|startups|companias|saas|negocios) (?:\w+ ){0,2}"
        r"(?:como (?:beacon|la vuestra|la suya|vosotros|ustedes))|(?:empresas|companias|startups|"
        r"saas) (?:\w+ ){0,2}como (?:beacon|la vuestra|la suya|vosotros|ustedes)|para "
        r"(?:presentaros|presentarles|ofreceros|ofrecerles) (?:\w+ ){0,2}(?:propuesta|servicios)|"
        r"quien lleva (?:las alianzas|los partners|el marketing en beacon)|"
        r"(?:vuestro|su) equipo (?:comercial|de ventas) (?:\w+ ){0,3}(?:contactos|leads|citas)",
        "fr": r"nearshore|(?:proposer|offrir|presenter) a beacon|"
        r"audit (?:\w+ )?(?:gratuit|offert)|(?:je peux|nous pouvons|on peut) (?:\w+ ){0,3}"
        r"diagnostic (?:\w+ )?(?:gratuit|offert)|"
        r"(?:qu'on|que nous) vous present\w* (?:notre|nos)|votre (?:identite visuelle|image de "
        r"marque|charte graphique) (?:\w+ ){0,3}(?:pourrai\w*|gagnerai\w*|meriterai\w*)|"
        r"(?:notre |nos )?forfaits? a partir de \d|"
        r"commission (?:sur|de \d)|a partir de [\d  .,]+ ?(?:€|eur|euros) (?:ht )?(?:par|/) ?mois "
        r"(?:pour|,)? ?(?:vous|votre)|nous pouvons vous (?:l'|les )?(?:installer|mettre en place|"
        r"proposer)|votre (?:bandeau|site|tunnel|referencement) (?:\w+ ){0,3}(?:n'est pas|pas) "
        r"(?:conforme|optimise)",
        "pt": r"nearshore|(?:propor|oferecer|apresentar) ao beacon|(?:propor|oferecer)-vos|"
        r"auditoria (?:\w+ )?(?:e )?(?:gratis|gratuita)|(?:posso|podemos) (?:\w+ ){0,3}"
        r"(?:diagnostico|analise) (?:\w+ )?(?:gratis|gratuit[oa])|"
        r"comissao (?:por|de \d)|"
        r"(?:podemos|conseguimos) alocar|"
        r"(?:empresas|saas|startups) (?:\w+ ){0,2}como (?:o beacon|a beacon|voces|a vossa)",
    }
)

SPAM = _each(
    {
        "de": r"geld verdienen|verdienen sie \d|nebenverdienst|gewinnspiel|sie haben gewonnen|"
        r"gewinner (?:\w+ ){0,4}ausgewahlt|als gewinner|jetzt einlosen|nur noch heute gultig|"
        r"klicken sie hier|von zu hause aus (?:arbeiten|verdienen)|"
        r"verdienen sie (?:bis zu )?\d|garantierte? (?:rendite|gewinne?)|begrenzte platze|"
        r"konto (?:wird |wurde )?gesperrt|zugangsdaten (?:bestatigen|eingeben)|"
        r"verdiene \d|keine erfahrung (?:notig|noetig|erforderlich)|krypto-?bot|"
        r"investieren sie (?:\w+ )?\d|telegram-?gruppe|garantiert (?:\d+ ?%|\d+-?fach)|"
        r"(?:follower|likes) kaufen|kaufen sie (?:\d+ )?(?:follower|likes)",
        "es": r"gana \d|ganar dinero|desde casa\b[^.]{0,30}sin experiencia|te lo duplicamos|"
        r"has ganado|haz clic aqui|escribe ya|"
        r"gan[ae] (?:hasta )?\d|trading automatico|\d+ ?% garantizado|escriba ya|"
        r"bono de bienvenida|plazas limitadas|cuenta (?:sera )?(?:suspendida|bloqueada)|"
        r"confirm[ae] (?:sus|tus) (?:datos|credenciales)|"
        r"sin experiencia (?:previa|necesaria)|grupo de whatsapp|invierte (?:\w+ )?\d|"
        r"grupo de telegram|garantizado (?:al )?\d+ ?%|compra (?:\d+ )?seguidores",
        "fr": r"vous avez gagne|cliquez ici|gagnez \d|argent facile|reclamer votre (?:lot|prix|"
        r"cadeau)|"
        r"gagnez (?:jusqu'a )?\d|resultats garantis|offre limitee|places limitees|compte "
        r"(?:sera )?(?:suspendu|bloque)|confirmer vos (?:identifiants|coordonnees bancaires)|"
        r"backlinks|"
        r"vous avez ete selectionne|\d+ ?% garanti|groupe whatsapp|dernieres places|"
        r"investissez (?:\w+ )?\d|groupe telegram|garanti (?:a )?\d+ ?%|plus que \d+ places|"
        r"achetez (?:\d+ )?(?:abonnes|followers|likes)",
        "pt": r"renda extra|ganhe \d|ganhe dinheiro|trabalhando de casa|invista so|chama no zap|"
        r"voce ganhou|clique aqui|"
        r"ganhe (?:ate )?\d|lucro de ate|link na bio|garanta ja|vagas limitadas|seja "
        r"revendedor|conta (?:sera )?(?:suspensa|bloqueada)|confirme (?:seus|os seus) dados|"
        r"sem experiencia (?:previa|necessaria)|grupo (?:de|do) whatsapp|foi selecionad[oa]|"
        r"invista (?:\w+ )?\d|grupo (?:de|do) telegram|garantid[oa] (?:de )?\d+ ?%|"
        r"compre (?:\d+ )?seguidores",
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
        "de": r"wir (?:betreiben|sind|verkaufen|bauen|entwickeln|haben)\b|jobborse|jobportal|"
        r"stellenportal|stellenborse|"
        r"(?:die|unsere|viele) (?:bewerber|kandidaten)",
        "es": r"(?:gestionamos|somos|tenemos|operamos|desarrollamos|vendemos)\b|(?:plataforma|"
        r"portal|app|bolsa) de (?:ofertas de )?empleo|"
        r"(?:los|nuestros|muchos) candidatos",
        "fr": r"(?:plateforme|site|appli|application|portail) d'offres d'emploi|c'est notre metier|"
        r"(?:nous gerons|on gere|nous sommes|on est|nous exploitons|on exploite|"
        r"nous editons|on edite|nous developpons|on developpe|nous vendons|on vend)\b|"
        r"(?:les|nos|des|beaucoup de) candidats",
        "pt": r"(?:gerimos|gerenciamos|somos|temos|operamos|desenvolvemos|vendemos|a gente tem)\b|"
        r"(?:plataforma|portal|app|site) de (?:vagas|empregos)|"
        r"(?:os|nossos|muitos) candidatos",
    }
)

# A business speaking of a product of its own ("wir betreiben ein eigenes Jobportal", "on a
# lancé notre propre appli"): a recruiter or an agency with its own app, buying for it.
OWN_PRODUCT = _each(
    {
        "de": r"(?:eigene[nms]?|unsere[nm]? eigene[nm]?) (?:\w+ )?[\w-]*(?:portal|app|plattform|"
        r"shop|software|produkt|website|webseite)|\bmit (?:einer |unserer )?[\w-]*(?:app|portal|"
        r"plattform)\b",
        "es": r"(?:nuestra|nuestro|mi) (?:\w+ )?propi[ao] (?:\w+ )?(?:app|aplicacion|plataforma|"
        r"portal|web|tienda|software|producto)|(?:app|aplicacion|plataforma|portal|web|tienda) "
        r"propia",
        "fr": r"(?:notre|nos|ma|mon) propres? (?:\w+ )?(?:appli|application|plateforme|portail|"
        r"site|boutique|logiciel|produit)",
        "pt": r"(?:nossa|nosso|minha|meu) (?:\w+ )?propri[ao] (?:\w+ )?(?:app|aplicacao|"
        r"plataforma|portal|site|loja|software|produto)|(?:app|aplicacao|plataforma|portal|site|"
        r"loja) propri[ao]",
    }
)

# Saying one is no seller: "Não estamos a vender nada, queremos mesmo comprar a ferramenta".
NO_PITCH = _each(
    {
        "de": r"(?:wir )?(?:wollen|mochten) (?:euch |ihnen )?nichts verkaufen|wir verkaufen "
        r"(?:euch |ihnen )?nichts|(?:wollen|mochten) (?:es |das tool |beacon )?(?:wirklich |"
        r"selbst )?kaufen\b",
        "es": r"no (?:os |les )?(?:vendemos|vendo|estamos vendiendo|queremos vender|quiero "
        r"vender) nada|(?:queremos|quiero) (?:de verdad |realmente )?comprar",
        "fr": r"(?:on|nous|je) ne (?:vous )?(?:vend(?:s|ons)?|cherch\w+ a (?:rien )?vendre) rien|"
        r"(?:on veut|nous voulons|on souhaite|nous souhaitons|je veux) (?:vraiment )?acheter",
        "pt": r"nao (?:estamos a vender|estamos vendendo|vendemos|queremos vender|quero vender) "
        r"nada|(?:queremos|quero) (?:mesmo |realmente |de verdade )?comprar",
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
        ("vendor", OFFERS[language]),
    ]
    work = competitor_work(language, names)
    if work is not None:
        found.insert(1, ("competitor", work))
    return found
