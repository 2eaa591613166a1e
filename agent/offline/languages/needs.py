"""Needs and industries as German, Spanish, French and Portuguese speakers write them.

Every pattern is matched against :func:`fold`-ed text: lower case, accents taken off
("abbrüche" -> "abbruche", "retenção" -> "retencao", "ß" -> "ss"), so one pattern serves
those who type accents and those who do not.

``NEED_PHRASES`` maps problems said in everyday words ("wo die Leute im Checkout
abspringen", "por qué se van los clientes", "on n'arrive pas à mesurer l'activation") to
the playbook's English need keyword they mean; earlier phrases win over later ones on the
same words ("correos a los que dejan el carrito" is email sending, not a checkout problem).
``WANT_CUES`` are the words of wanting something; ``DESCRIBES_BUSINESS`` the words of
saying what one's business makes or sells. ``INDUSTRY_WORDS`` say what a company does, in
order of precedence (an agency running online shops is an agency; accounting software is
SaaS).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LANGUAGES = ("de", "es", "fr", "pt")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` in lower case without accents, with straight apostrophes."""
    lowered = text.lower().replace("ß", "ss").replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    """Each language's pattern, matched as whole words."""
    return {language: re.compile(rf"\b(?:{pattern})\b") for language, pattern in patterns.items()}


def _compile(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"\b(?:{pattern})"), value) for pattern, value in pairs)


# English need keywords that are everyday words of another language: "30 personas" are 30
# people in Spanish, "rotas" are routes in Portuguese.
FALSE_FRIENDS: dict[str, frozenset[str]] = {
    "de": frozenset(),
    "es": frozenset({"personas", "rotas"}),
    "fr": frozenset({"audiences"}),
    "pt": frozenset({"rotas"}),
}

NEED_PHRASES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "de": _compile(
        (
            # out of scope first where their words overlap a served need
            (
                r"(?:e-?mails?|mails?|newsletter)\w* (?:\w+ ){0,5}warenkorb|warenkorb-?e-?mails?",
                "newsletter",
            ),
            (
                r"newsletter|e-?mail-?marketing|e-?mail-?kampagne|mailings?\b|"
                r"e-?mails? (?:\w+ ){0,2}(?:verschick|versend|senden|schicken)",
                "newsletter",
            ),
            (
                r"instagram|tiktok|social[- ]media|follower|(?:posts?|"
                r"beitrage) (?:\w+ ){0,2}planen",
                "social media",
            ),
            (
                r"webdesign|relaunch|neue[nrs]? (?:web)?(?:seite|website|homepage|internetseite)|"
                r"(?:website|webseite|homepage|internetseite)\w* (?:\w+ ){0,2}(?:neu gestalt|"
                r"neu bau|"
                r"neu mach|uberarbeit|erstell|bau)",
                "website design",
            ),
            (
                r"buchhaltung|buchfuhrung|rechnungen (?:schreiben|stellen|erstellen)|"
                r"rechnungsstellung|steuererklarung|umsatzsteuer|jahresabschluss|datev|lexoffice",
                "accounting",
            ),
            (
                r"lohnabrechnung|gehaltsabrechnung|lohnbuchhaltung|personalverwaltung|"
                r"dienstpl[aa]n|"
                r"schichtplan|zeiterfassung|hr-software|personalsoftware",
                "payroll",
            ),
            (
                r"it-support|it-betreuung|netzwerkprobleme|drucker (?:geht|funktioniert)|wlan",
                "it support",
            ),
            (
                r"hardware|laptops|tablets|kassensystem|barcode-?scanner|handscanner|kartenleser",
                "hardware",
            ),
            # served needs
            (r"a/?b-?tests?|split-?tests?|experimente|varianten", "a/b testing"),
            (
                r"abspring|springen\b[^.]{0,40}\bab\b|abbrech|abbruch|abbruche|warenkorbabbr|"
                r"verloren gehen|(?:gehen|geht) (?:uns )?(?:\w+ )?verloren|aussteig|"
                r"steigen\b[^.]{0,30}\baus\b|an welche[mr] (?:schritt|stelle)|es hakt|"
                r"checkout|kaufabschluss|conversion|konversion|konvertier|trichter|funnel|"
                r"zahlende kunden werden|(?:nicht|nie) (?:bestellen|kaufen)|ohne dass gekauft|"
                r"ohne zu kaufen|verlieren\b[^.]{0,40}\bzwischen|registrierung und",
                "funnel",
            ),
            (
                r"kundenbindung|abwander|kundig|wiederkomm|kommen\b[^.]{0,20}\bwieder\b|"
                r"wieder (?:kaufen|bestellen)|(?:verlieren|verliert) (?:\w+ ){0,3}kunden|"
                r"kunden verlieren|fruhwarn|wer (?:als nachstes )?abspringt|retention|churn|"
                r"wer wiederkommt|treue",
                "churn",
            ),
            (
                r"segment|zielgruppen|in gruppen einteil|gruppen einteil|kundenprofil|"
                r"kundendaten\w*|(?:ein|einem) profil pro kunde|gesamtbild|"
                r"\w*profile (?:\w+ ){0,4}zusammenf|zusammenfuhr\w* (?:\w+ ){0,3}\w*profil|"
                r"personas",
                "segmentation",
            ),
            (
                r"(?:events?|ereignisse|klicks|aktionen) (?:\w+ ){0,2}(?:erfassen|tracken|messen|"
                r"aufzeichnen|protokollieren|loggen)|tracking|tracken|trackingplan",
                "event tracking",
            ),
            (r"dashboards?|kennzahlen|kpis?\b|reporting|berichte", "dashboard"),
            (
                r"produktanalyse|nutzungsdaten|nutzerverhalten|nutzungsverhalten|produktnutzung|"
                r"wie (?:\w+ ){0,5}(?:nutzen|verwenden|benutzen|bedienen|genutzt|benutzt|"
                r"verwendet)|"
                r"(?:genutzt|benutzt|verwendet) (?:wird|werden)|ob (?:das|es|"
                r"die \w+) (?:uberhaupt )?"
                r"(?:jemand|einer|wer) (?:verwendet|nutzt|benutzt)|welche (?:funktionen|features|"
                r"bereiche|werkzeuge|seiten|screens)|was (?:die )?(?:leute|nutzer\w*|kunde\w*|"
                r"user) "
                r"(?:\w+ ){0,5}(?:machen|tun)|(?:sich )?durch (?:\w+ ){0,2}bewegen",
                "product analytics",
            ),
            (
                r"ohne (?:sie |ihn |es |den |die |das )?(?:\w+ )?(?:abzuschliessen|zu beenden|"
                r"zu bezahlen)|"
                r"nie (?:bestatigen|abschliessen|beenden)|(?:nicht|nie) zu ende",
                "funnel",
            ),
            (
                r"upgraden|upgrade|zahlende (?:kunden|nutzer)|kostenpflichtig|bezahlversion",
                "funnel",
            ),
            (
                r"laufen\b[^.]{0,30}\bdavon|abonnenten (?:\w+ ){0,2}(?:verlieren|kundigen)|"
                r"wechseln zur konkurrenz",
                "churn",
            ),
            (
                r"aktiven? nutzer",
                "dashboard",
            ),
            (
                r"kohorte\w*",
                "cohort",
            ),
            (
                r"(?:kampagnen|anzeigen|werbung)\w* (?:\w+ ){0,5}(?:kauf\w*|bestellung\w*|umsatz|"
                r"conversion)",
                "funnel",
            ),
            (
                r"nie wieder (?:\w+ )?(?:reinschauen|kommen|einloggen|nutzen|kaufen|bestellen)",
                "churn",
            ),
            (
                r"personalakte\w*|urlaubsantrag\w*|urlaubsplanung",
                "payroll",
            ),
        )
    ),
    "es": _compile(
        (
            (r"(?:correos|e-?mails?|mails?) (?:\w+ ){0,6}carrito", "abandoned cart emails"),
            (
                r"newsletter|boletin|email marketing|(?:correos|e-?mails?) (?:automaticos|masivos)|"
                r"(?:mandar|enviar) (?:\w+ ){0,2}(?:correos|e-?mails?)",
                "newsletter",
            ),
            (
                r"redes sociales|instagram|tiktok|seguidores|publicaciones|"
                r"programar (?:\w+ ){0,2}posts",
                "social media",
            ),
            (
                r"redisen\w*|(?:nueva|nuevo) (?:web|pagina web|sitio)|(?:disenar|hacer|rehacer|"
                r"crear) "
                r"(?:la |una |nuestra )?(?:web|pagina web|sitio web)|diseno web",
                "website design",
            ),
            (
                r"contabilidad|facturas?\b|llevar las cuentas|impuestos|declaraciones de iva|"
                r"libros contables",
                "accounting",
            ),
            (
                r"nominas?\b|recursos humanos|turnos|planillas? de sueldos|control horario|"
                r"gestion de personal",
                "payroll",
            ),
            (r"soporte (?:informatico|tecnico)|impresoras?|wifi|ordenadores", "it support"),
            (r"hardware|lectores de codigo|escaneres|tablets|tpv|datafonos|portatiles", "hardware"),
            (r"tests? a/?b|pruebas a/?b|experimentos|variantes", "a/b testing"),
            (
                r"embudo|funnel|conversion|convierten|checkout|carrito|abandon|"
                r"se (?:nos )?(?:caen|pierden|atascan|quedan atascad)|atascad|"
                r"en que (?:paso|punto|etapa|momento|parte)|no (?:llegan|terminan|acaban) (?:a|de) "
                r"(?:pagar|comprar)|pocos compran|(?:acaba|acaban|terminan?) comprando|"
                r"perdemos (?:a )?(?:muchos|muchas|la mitad)|entre que se registran|"
                r"donde se pierden|pagina de pago|cierra(?:n)? la pestana",
                "funnel",
            ),
            (
                r"retencion|churn|se (?:nos )?van\b|se marchan|cancelan|dan de baja|"
                r"dejan de usar|(?:no )?vuelven?\b|repiten|fideliza|perdemos clientes|"
                r"perder clientes|los que se quedan|quien vuelve",
                "churn",
            ),
            (
                r"segment|agrupar|grupos de clientes|audiencias|perfil unico|"
                r"perfiles? de clientes?|"
                r"quien es quien|tratar distinto",
                "segmentation",
            ),
            (
                r"(?:registrar|medir|rastrear|trackear|loguear|capturar) (?:\w+ ){0,3}"
                r"(?:eventos?|acciones?|clics?)|"
                r"seguimiento de eventos|tracking",
                "event tracking",
            ),
            (
                r"panel(?:es)?\b|usuarios activos|dashboards?|cuadros? de mando|kpis?\b|metricas|"
                r"informes|reportes",
                "dashboard",
            ),
            (
                r"analitica de producto|como (?:\w+ ){0,4}(?:usan|utilizan|usa|utiliza)\b|"
                r"que (?:funcionalidades|funciones|pantallas|secciones)|que (?:hace|hacen) "
                r"(?:\w+ ){0,3}(?:despues|dentro|en la app|en la aplicacion|con)|"
                r"comportamiento de (?:los )?usuarios|uso de la (?:app|aplicacion)",
                "product analytics",
            ),
            (
                r"sin (?:terminar|acabar|completar|finalizar)(?:la|lo)?\b|nunca (?:confirman|"
                r"terminan|"
                r"completan|pagan)|no (?:terminan|completan|confirman|finalizan)",
                "funnel",
            ),
            (
                r"pasan a (?:la version de )?pago|version de pago|sin comprar|no compran",
                "funnel",
            ),
            (
                r"usuarios activos",
                "dashboard",
            ),
            (
                r"cohortes?",
                "cohort",
            ),
            (
                r"(?:campanas|anuncios) (?:\w+ ){0,4}(?:ventas|compras|comprando|compran)",
                "funnel",
            ),
        )
    ),
    "fr": _compile(
        (
            (
                r"(?:e-?mails?|mails?|courriels?|relances?) (?:\w+ ){0,6}panier",
                "abandoned cart emails",
            ),
            (
                r"newsletter|infolettre|e-?mailing|emails? automatiques|"
                r"campagnes? (?:d')?e-?mails?|campagnes? de sms|lettres? d'info(?:rmation)?|"
                r"envoyer (?:\w+ ){0,2}(?:e-?mails|mails|courriels)",
                "newsletter",
            ),
            (
                r"reseaux sociaux|instagram|tiktok|gagner des abonnes|abonnes (?:sur|instagram)|"
                r"followers|publications",
                "social media",
            ),
            (
                r"refonte|refaire (?:\w+ ){0,2}site|(?:nouveau|creer (?:un|notre)|"
                r"creation (?:d'un|du)) "
                r"site|site vitrine",
                "website design",
            ),
            (
                r"comptabilite|compta\b|factures?\b|facturation|tva\b|bilan comptable|"
                r"expert-comptable|notes de frais",
                "accounting",
            ),
            (
                r"fiches? de paie|bulletins? de (?:paie|salaire)|la paie\b|salaires|"
                r"ressources humaines|logiciel rh|plannings? (?:des|du) (?:equipes|personnel)",
                "payroll",
            ),
            (r"support informatique|imprimantes?|wifi|ordinateurs", "it support"),
            (
                r"hardware|materiel informatique|tablettes|lecteurs? de codes?-barres|"
                r"terminaux de paiement|caisses enregistreuses",
                "hardware",
            ),
            (r"tests? a/?b|a/b|experimentations?|variantes", "a/b testing"),
            (
                r"entonnoir|funnel|conversion|converti|decroch|abandon|panier|"
                r"tunnel (?:d'achat|de vente|de commande|de souscription)|a quelle etape|"
                r"on les perd|nous fait perdre|jusqu'au bout|passer payants?|"
                r"activation|(?:ou|a quel moment) (?:\w+ ){0,3}(?:perd|bloqu|lach)|"
                r"page de paiement|(?:terminent|finissent|completent|achevent) (?:pas )?"
                r"(?:l'|la |le |leur )?(?:inscription|commande|paiement|reservation|achat)",
                "funnel",
            ),
            (
                r"retention|churn|fideli|desabonn|desinscri|resili|vont partir|qui partent|"
                r"disparaissent|reviennent|revient|racheter|rachat|perdons des clients|"
                r"garder (?:nos|les) clients|arret(?:ent|e) de (?:reserver|commander|acheter|venir|"
                r"revenir|utiliser)",
                "churn",
            ),
            (
                r"segment|audiences?|profil unique|profils? clients?|personas|groupes de clients|"
                r"regrouper",
                "segmentation",
            ),
            (
                r"plan de marquage|tracking|tracker|suivi des evenements|(?:suivre|mesurer|loguer|"
                r"logger|"
                r"enregistrer|tracer|capturer) (?:\w+ ){0,3}(?:evenements?|clics?|actions?)",
                "event tracking",
            ),
            (r"tableaux? de bord|dashboards?|kpis?\b|indicateurs|reporting", "dashboard"),
            (
                r"analytics? produit|analyse produit|ce que (?:font|fait) (?:\w+ ){0,3}|"
                r"quelles fonctionnalites|fonctionnalites (?:\w+ ){0,2}utilisees|usage de (?:l'|"
                r"la |"
                r"notre |nos )|comment (?:\w+ ){0,4}utilis|s'en sert|comportement des utilisateurs",
                "product analytics",
            ),
            (
                r"sans (?:la |le |les )?(?:terminer|finir|finaliser|valider|payer)|"
                r"ne (?:confirment|"
                r"terminent|finissent|finalisent|valident|paient|achetent) (?:jamais|pas)",
                "funnel",
            ),
            (
                r"sans (?:acheter|commander)|n\'achetent (?:pas|jamais)|ne commandent (?:pas|"
                r"jamais)|"
                r"passent (?:en )?payants?|version payante",
                "funnel",
            ),
            (
                r"utilisateurs actifs",
                "dashboard",
            ),
            (
                r"cohortes?",
                "cohort",
            ),
            (
                r"(?:campagnes|publicites|annonces) (?:\w+ ){0,4}(?:achats?|ventes?|commandes?)",
                "funnel",
            ),
        )
    ),
    "pt": _compile(
        (
            (r"(?:e-?mails?|mensagens) (?:\w+ ){0,6}carrinho", "abandoned cart emails"),
            (
                r"newsletter|e-?mail marketing|(?:enviar|disparar|mandar) (?:\w+ ){0,2}e-?mails|"
                r"boletim informativo|"
                r"disparo de e-?mails",
                "newsletter",
            ),
            (
                r"redes sociais|instagram|insta\b|tiktok|seguidor|agendar (?:\w+ ){0,2}posts|"
                r"publicacoes",
                "social media",
            ),
            (
                r"site novo|novo site|refazer o site|redesenh|(?:criar|fazer) (?:um |o |nosso )?"
                r"(?:site|website)",
                "website design",
            ),
            (
                r"contabilidade|notas? fiscai?s?|fluxo de caixa|faturas?\b|impostos|emitir nota",
                "accounting",
            ),
            (
                r"folha de pagamento|salarios|recursos humanos|processamento salarial|"
                r"ponto eletronico|escalas de trabalho",
                "payroll",
            ),
            (
                r"suporte (?:de )?ti\b|suporte informatico|impressoras?|wi-?fi|computadores",
                "it support",
            ),
            (
                r"hardware|leitores de codigo|tablets|impressoras de etiquetas|maquininhas",
                "hardware",
            ),
            (r"testes? a/?b|experimentos|variantes", "a/b testing"),
            (
                r"funil|conversao|convert|checkout|carrinho|desist|abandon|larg(?:a|am|ar)\b|"
                r"(?:em|n)(?:o|a)? ?(?:que|qual) (?:passo|etapa|parte|ponto)|nao finaliza|"
                r"chegam a pagar|(?:onde|em que) (?:\w+ ){0,3}(?:vaza|trava|perde)|vaza\b|"
                r"poucos terminam",
                "funnel",
            ),
            (
                r"retencao|churn|volta(?:m|r)? a comprar|quem volta|nao volta|desaparece|"
                r"cancel|perder clientes|perdendo clientes|fideliz|recompra|"
                r"(?:para|param|parou|pararam|deixa|deixam) de usar|\be some\b|\bsomem\b|"
                r"abandona(?:m)? o app",
                "churn",
            ),
            (
                r"segment|agrupar|grupos (?:de clientes|para)|criar grupos|perfil unico|so perfil|"
                r"quem e quem|publicos",
                "segmentation",
            ),
            (
                r"(?:registrar|registamos|rastrear|trackear|medir) (?:\w+ ){0,3}(?:acao|acoes|"
                r"eventos?|cliques?|nada)|rastreamento|tracking|todos os eventos",
                "event tracking",
            ),
            (r"dashboards?|paineis|painel|kpis?\b|indicadores|relatorios|metricas", "dashboard"),
            (
                r"analytics de produto|analise de produto|como (?:\w+ ){0,4}(?:usam|utilizam|usa|"
                r"utiliza)\b|(?:quais|que) (?:funcionalidades|funcoes|telas|ecras|paginas)|"
                r"o que (?:\w+ ){0,3}"
                r"(?:faz|fazem) (?:\w+ ){0,2}(?:depois|dentro|no app|na app)|(?:a usar|usando) "
                r"(?:\w+ ){0,4}(?:o produto|o app|a app)",
                "product analytics",
            ),
            (
                r"sem (?:terminar|concluir|finalizar|completar)|nunca (?:confirmam|terminam|"
                r"concluem|"
                r"finalizam|pagam)|nao (?:terminam|concluem|confirmam|finalizam)",
                "funnel",
            ),
            (
                r"sem comprar|nunca compra|nao compram|viram pagantes|plano pago|versao paga",
                "funnel",
            ),
            (
                r"usuarios ativos|utilizadores ativos",
                "dashboard",
            ),
            (
                r"coortes?|cohorts?",
                "cohort",
            ),
            (
                r"(?:campanhas|anuncios) (?:\w+ ){0,4}(?:vendas?|compras?)",
                "funnel",
            ),
            (
                r"nunca mais (?:volta|voltam|aparece|aparecem|entra|entram|usa|usam|"
                r"compra|compram)",
                "churn",
            ),
        )
    ),
}

WANT_CUES = _words(
    {
        "de": r"wollen|will|mochten|mochte|brauchen|brauche|brauchen?|benotigen|suchen|suche|"
        r"hatten gern|hatte gern|wurden gern|wurde gern|hatten gerne|wurden gerne|fehlt|losung|"
        r"problem|chaos|helfen|verstehen|sehen|herausfinden|keine ahnung|wissen nicht|"
        r"wissen schlicht nicht|interessiert|interesse",
        "es": r"queremos|quiero|quisiera|quisieramos|necesit\w+|buscamos|busco|nos gustaria|"
        r"queria|queriamos|"
        r"me gustaria|ayuda|entender|saber|ver|problema|caos|mejorar|no sabemos|interesa",
        "fr": r"voulons|veux|voudrais|voudrait|voudrions|veut|besoin|cherch\w+|aimerions|"
        r"aimerais|aimerait|souhait\w+|aider|comprendre|savoir|probleme|ameliorer|on ne sait pas|"
        r"aucune idee|interesse",
        "pt": r"queremos|quero|queria|queriamos|precis\w+|procur\w+|gostariamos|gostaria|ajuda|"
        r"entender|perceber|saber|ver|problema|bagunca|melhorar|nao sabemos|interessa",
    }
)

_BUSINESS_NOUNS = {
    "de": r"app|startup|start-up|onlineshop|webshop|shop|firma|unternehmen|agentur|bank|"
    r"marktplatz|handler|onlinehandler|versicherer|klinik|gruppe|kette|verlag|dienstleister",
    "es": r"app|startup|empresa|tienda|agencia|fintech|consultora|cadena|plataforma|"
    r"marketplace|clinica|red|grupo|operadora|aseguradora",
    "fr": r"appli|application|startup|start-up|entreprise|boite|boutique|agence|fintech|"
    r"plateforme|marketplace|clinique|reseau|groupe|assureur|banque|editeur|e-?commer\w*",
    "pt": r"app|startup|empresa|loja|agencia|fintech|consultoria|rede|plataforma|"
    r"marketplace|clinica|grupo|operadora|seguradora|banco|distribuidora",
}
# Saying a thing is not wanted: "wir brauchen keine neue Website", "no necesitamos ayuda con
# las redes", "on n'a pas besoin de refaire le site", "não precisamos de contabilidade".
NOT_WANTED = _words(
    {
        "de": r"(?:brauchen|brauche|wollen|will|suchen|suche|benotigen) (?:\w+ ){0,2}"
        r"(?:kein\w*|nicht)|"
        r"(?:kein|keine|keinen) (?:\w+ ){0,3}(?:notig|gebraucht)|nicht (?:notig|gefragt)",
        "es": r"no (?:\w+ )?(?:necesitamos|necesito|queremos|quiero|buscamos|busco)|"
        r"no nos hace falta",
        "fr": r"(?:n'avons|n'ai|n'a) pas besoin|pas besoin|ne (?:cherchons|cherche|voulons|veux|"
        r"souhaitons) pas",
        "pt": r"nao (?:\w+ )?(?:precisamos|preciso|queremos|quero|procuramos|procuro)",
    }
)

DESCRIBES_BUSINESS = _words(
    {
        # ", einem Marktplatz für ...", ", une néobanque", ", uma cadeia de ginásios": what
        # stands beside a name says what it is.
        "de": r", (?:ein|eine|einem|einer|eines)|(?:inhaber\w*|geschaftsfuhrer\w*|chef\w*|"
        r"grunder\w*|leiter\w*) (?:eines|einer)|"
        r"wir (?:sind|verkaufen|machen|bauen|entwickeln|bieten|vertreiben|betreiben|"
        r"verschicken|versenden|liefern|haben (?:eine?n?)\b)|"
        r"ich (?:hab|habe|betreibe) (?:ein|eine|einen)\b|(?:bei|fur) (?:einem|einer) "
        rf"(?:[\w-]+ )?[\w-]*(?:{_BUSINESS_NOUNS['de']})",  # "bei einem Online-Möbelhändler"
        "es": r", (?:una?)|(?:dueno|duena|gerente|fundador\w*|director\w*) de (?:una?)|"
        r"somos|vendemos|hacemos|desarrollamos|ofrecemos|gestionamos|(?:tenemos|tengo) "
        r"una?\b|(?:,|en) (?:una|un) (?:[\w-]+ )?"
        rf"(?:{_BUSINESS_NOUNS['es']})",
        "fr": r", (?:une?)|(?:gerant\w*|patron\w*|fondat\w*|directeur|directrice) d'(?:une?)|"
        r"nous sommes|on est|nous vendons|on vend|on fait|nous faisons|nous developpons|"
        r"on developpe|nous editons|nous gerons|on gere|editeur|on a une?\b|nous avons une?\b|"
        r"(?:chez|dans) (?:un|une) "
        rf"(?:[\w-]+ )?(?:{_BUSINESS_NOUNS['fr']})",
        "pt": r", (?:uma?)|(?:dono|dona|gerente|fundador\w*|diretor\w*) de (?:uma?)|"
        r"somos|vendemos|fazemos|desenvolvemos|oferecemos|gerimos|gerenciamos|"
        r"(?:temos|tenho) (?:uma?|um)\b|a gente tem|(?:numa|num|em uma|em um) (?:[\w-]+ )?"
        rf"(?:{_BUSINESS_NOUNS['pt']})",
    }
)

# The prospect speaking of themselves or their company: in the message that opens the
# conversation, a trade named beside these words is their own ("Tenho uma hamburgueria",
# "ich bin im Rechenzentrum der Hochschule Emsland-Süd", "chez Rebrocante, une marketplace").
SPEAKS_FOR_SELF = _words(
    {
        # ... or their own title before their company: "Dr. Henrike Lorenz, Geschäftsführerin
        # von Physioplus Online", "les escribe Rosa Quispe, gerente general de Mercadito".
        "de": r"ich|wir|unser\w*|mein\w*|bei|geschaftsfuhrer\w*|inhaber\w*|grunder\w*",
        "es": r"soy|somos|tenemos|tengo|nuestr[oa]s?|mi|mis|yo|trabajo|escribo|desde|laburo|"
        r"les escribe|le escribe|me (?:acaban de )?contrat\w*",
        "fr": r"je|j'\w+|nous|on|notre|nos|mon|ma|mes|chez",
        "pt": r"sou|somos|temos|tenho|noss[oa]s?|eu|meu|minha|trabalho|falo|escrevo|a gente",
    }
)

# (pattern, industry) in order of precedence.
INDUSTRY_WORDS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "de": _compile(
        (
            (r"reiseburo|reiseagentur|arbeitsagentur|versicherungsagentur", "other"),
            (r"(?<!\bfur )(?<!\ban )\w*agentur\b", "agency"),
            (
                r"bank\b|banking|digitale bank|neobank|zahlungs|payment|fintech|versicher|"
                r"kredit|broker|finanzdienst|neobank|geldtransfer",
                "fintech",
            ),
            (r"saas|\w*software", "saas"),
            (
                r"online-?shop|webshop|online-?\w*(?:handel|handler|shop|versand)|e-?commerce|"
                r"marktplatz|versandhandel|verkaufen (?:\w+ ){0,3}online|lieferdienst|kochbox|"
                r"online (?:\w+ )?verkaufen|wir (?:verschicken|versenden|liefern)",
                "ecommerce",
            ),
            (
                r"klinik|\w+praxen\b|\w+praxis\b|zahnarzt|physiotherap|krankenhaus|pflege|"
                r"arzttermin\w*|patient(?:innen|en)|videosprechstunde\w*|"
                r"telemedizin|arztpraxis|apotheke|gesundheit|\w*psychotherap|psycholog",
                "healthcare",
            ),
            (r"abo\b|abos\b|abonnement|abo-modell|plattform fur|[\w-]*cloud|losung fur", "saas"),
            (
                r"energieversorger|stadtwerke|spedition|logistik|handwerk|bauunternehmen|"
                r"baufirma|hotel|restaurant|cafe|gastro|telekom|versorger|verlag|ferienwohnung|"
                r"ferienhof|brauerei|produktion|hersteller|maschinenbau|zeitung|medienhaus|"
                r"backerei|universitat|hochschule|schule|verein|stiftung|gemeinnutzig|ngo\b|"
                r"\w*spiel fur|\w*spiel furs|handyspiel|spielestudio|games?\b|gaming|"
                r"\w*installat\w*|zimmerei|schreinerei|tischlerei|sanitar\w*|dachdecker\w*|"
                r"malerbetrieb|elektrobetrieb|handwerksbetrieb|metzgerei|autowerkstatt|"
                r"\w*kanzlei|steuerberat\w*|rechtsanwalt\w*|hausverwaltung|"
                r"(?<!\bfur )(?<!online-)(?:supermarkt|spediteur|fitnessstudio|immobilien|"
                r"autohaus)",
                "other",
            ),
        )
    ),
    "es": _compile(
        (
            (r"agencia de (?:viajes|empleo|seguros)", "other"),
            (r"(?<!\bpara )(?<!\ba )(?<!\bas )agencia\b", "agency"),
            (
                r"banco|bancaria|pagos|fintech|seguros|aseguradora|prestamos|credito|"
                r"billetera|\w*creditos?\b|remesas|neobanco|tandas|ahorro",
                "fintech",
            ),
            (r"saas|software", "saas"),
            (
                r"tienda (?:online|en linea|virtual)|e-?commerce|ecommerce|marketplace|"
                r"vendemos (?:\w+ ){0,3}(?:online|en linea|por internet)",
                "ecommerce",
            ),
            (r"clinica|hospital|salud|telemedicina|consultorio|farmacia|dental", "healthcare"),
            (r"suscripcion|plataforma (?:de|para)", "saas"),
            (
                r"telecomunicaciones|operadora|restaurantes?|hostal|hotel|juegos|videojuegos|"
                r"gimnasios|revista|"
                r"logistica|transporte|construccion|fabrica|distribuidora|energia|bodega|"
                r"prensa|periodico|editorial|universidad|escuela|colegio|ong\b|fundacion|"
                r"asociacion|sin animo de lucro|bares\b|bar de|frigorifico|constructora|"
                r"estudio (?:de abogados|juridico|contable)|despacho de abogados|bufete|"
                r"asesoria|gestoria|carpinteria|ferreteria|(?<!\bpara )(?:panaderia|supermercado|"
                r"transportista|gimnasio|inmobiliaria|fabricante|concesionario)(?!s? (?:online|"
                r"en linea))",
                "other",
            ),
            (r"(?:online|en linea)\b", "ecommerce"),
        )
    ),
    "fr": _compile(
        (
            (r"agence de voyages?|agence immobiliere|agence d'interim", "other"),
            (r"(?<!\bpour )(?<!\baux )(?<!\bles )agence\b", "agency"),
            (
                r"banque|bancaire|paiements?|fintech|assurances?|assureur|credit|neobanque|"
                r"courtier",
                "fintech",
            ),
            (r"saas|logiciel|editeur", "saas"),
            (
                r"boutique en ligne|e-?commer\w*|marketplace|vend\w* (?:\w+ ){0,3}en ligne|"
                r"site marchand|vend\w* (?:\w+ ){0,4}sur (?:notre|leur) site|"
                r"box (?:repas|beaute|cadeaux?)|paniers? repas",
                "ecommerce",
            ),
            (
                r"clinique|hopital|sante|telemedecine|cabinet medical|pharmacie|dentaire",
                "healthcare",
            ),
            (r"abonnement|plateforme (?:de|pour)", "saas"),
            (
                r"telecom|restaurants?|hotel|jeux|logisti\w+|transport|btp|construction|usine|"
                r"distributeur|energie|brasserie|presse|journal|medias?\b|boulangerie|"
                r"artisan|universite|ecole|association|fondation|ong\b|collectivite|mairie|"
                r"cabinet d'avocats|avocats|expert-comptable|cabinet comptable|plomberie|"
                r"menuiserie|syndic de copropriete|quincailler\w*|"
                r"industriel|on fabrique|nous fabriquons|"
                r"(?<!\bpour )(?<!\bles )(?:supermarche|transporteur|salle de sport|immobili\w+|"
                r"fabricant|concession)(?!s? en ligne)",
                "other",
            ),
            (r"en ligne\b", "ecommerce"),
        )
    ),
    "pt": _compile(
        (
            (r"agencia de (?:viagens?|emprego|seguros)", "other"),
            (r"(?<!\bpara )(?<!\ba )(?<!\bas )agencia\b", "agency"),
            (
                r"banco|bancaria|pagamentos?|fintech|seguros|seguradora|\w*credito|"
                r"carteira digital|remessas",
                "fintech",
            ),
            (r"saas|software", "saas"),
            (
                r"loja (?:online|virtual)|e-?commerce|ecommerce|marketplace|delivery|"
                r"vendemos (?:\w+ ){0,3}online",
                "ecommerce",
            ),
            (r"clinica|hospital|saude|telemedicina|consultorio|farmacia|odontolog", "healthcare"),
            (r"subscricao|assinatura|plataforma (?:de|para)", "saas"),
            (
                r"telecomunicacoes|operadora|restaurantes?|hotel|jogos?\b|games|estudio|logistica|"
                r"transportes?|construcao|fabrica|distribuidora|energia|turismo|passeios|"
                r"jornal|imprensa|editora|universidade|faculdade|escola|colegio|ong\b|"
                r"ginasios?|hamburgueria|pizzaria|lanchonete|construtora|frigorifico|"
                r"escritorio de (?:advocacia|contabilidade)|advocacia|contabilidade|"
                r"pacotes de viage(?:m|ns)|viagens|marcenaria|"
                r"fundacao|associacao|sem fins lucrativos|(?<!\bpara )(?<!\bpra )(?:supermercado|"
                r"transportadora|padaria|academias?\b|hoteis|imobiliaria|fabricante|"
                r"concessionaria)(?!s? (?:online|virtua))",
                "other",
            ),
            (r"online\b", "ecommerce"),
        )
    ),
}

# Staff who leave: "viele Pflegekräfte kündigen nach wenigen Monaten", "la gente entra a
# trabajar y a los tres meses se va", "a rotatividade dos operadores de caixa". Retention
# said of one's own staff is an HR need, not customer churn.
_STAFF = {
    "de": r"mitarbeit\w*|personal|pflegekraft|pflegekrafte|fachkraft|fachkrafte|beschaftigt\w*|"
    r"angestellt\w*|azubis?|auszubildend\w*|fahrer(?:innen)?|belegschaft|kolleg(?:en|innen)|"
    r"aushilfen|servicekrafte|kassierer\w*",
    "es": r"emplead[oa]s|trabajador(?:es|as)|plantilla|personal|cajer[oa]s|repartidor(?:es|as)|"
    r"conductor(?:es|as)|camarer[oa]s|enfermer[oa]s|dependient[ea]s|(?:entra|entran) a trabajar|"
    r"recepcionistas|cociner[oa]s|teleoperador(?:es|as)|"
    r"(?:los|nuestros|mis|sus) (?:operador(?:es|as)|operari[oa]s)",
    "fr": r"salari(?:e|es)|employ(?:e|es)|personnel|collaborateurs|infirmier(?:e|s|es)?|"
    r"caissier(?:e|s|es)?|chauffeurs|livreurs|vendeu(?:r|rs|ses)|(?:nos|les) recrues|"
    r"equipiers|serveu(?:rs|ses)|cuisiniers|agents d'accueil",
    "pt": r"funcionari[oa]s|colaborador(?:es|as)|operador(?:es|as) de caixa|pessoal|motoristas|"
    r"enfermeir[oa]s|atendentes|caixas|vendedor(?:es|as)|repositor(?:es|as)|empregad[oa]s|"
    r"(?:novos )?contratados",
}
_LEAVING = {
    "de": r"kundig\w*|gehen|geht|gegangen|verlassen|hinschmeiss\w*|abwander\w*|wechseln|"
    r"bleiben nicht|horen (?:\w+ ){0,6}auf|fluktuation",
    "es": r"se van|se va|se nos van|se nos va|se (?:nos )?marchan?|se (?:nos )?(?:fueron|han ido)|"
    r"renunci\w*|dimit\w*|dejan|"
    r"abandonan|rotacion|no duran|aguantan",
    "fr": r"partent|part|demissionn\w*|quittent|s'en vont|turnover|rotation|ne restent pas|"
    r"on perd|nous perdons",
    "pt": r"saem|sai|se demitem|pedem demissao|vao embora|rotatividade|turnover|nao ficam|"
    r"nao duram",
}
# Customers named: their churn is churn, whatever the message says of the staff.
CUSTOMERS = _words(
    {
        "de": r"kund\w*|nutzer\w*|abonnent\w*|user",
        "es": r"clientes?|usuari[oa]s?|suscriptor\w*|compradores",
        "fr": r"clients?|clientes?|utilisateu\w*|abonne\w*|acheteurs",
        "pt": r"clientes?|usuari[oa]s?|utilizador\w*|assinantes?|compradores",
    }
)

STAFF_LEAVING: dict[str, re.Pattern[str]] = {
    language: re.compile(
        rf"\b(?:(?:{_STAFF[language]})\b[^.!?]{{0,60}}\b(?:{_LEAVING[language]})|"
        rf"(?:{_LEAVING[language]})\b[^.!?]{{0,30}}\b(?:{_STAFF[language]}))\b|"
        + {
            "de": r"\b(?:sind|haben) uns (?:\w+ ){0,3}\d+ leute (?:gegangen|verlassen)\b|"
            r"\b(?:personalfluktuation|mitarbeiterfluktuation|mitarbeiterbindung|fluktuation|"
            r"krankheitstage|fehlzeiten)\b|\b(?:churn|retention|fluktuation)\w*[^.!?]{0,40}\bbei "
            r"(?:dem |unserem )?(?:personal|team|mitarbeitenden|mitarbeitern)\b|\bbeim personal\b",
            "es": r"\bretencion\W+(?:\w+\W+){0,2}(?:de|del) (?:los |nuestros |la )?(?:empleados|"
            r"trabajadores|personal|plantilla|talento)\b|"
            r"\b(?:churn|rotacion|fuga) (?:de|del) (?:la |el |los )?(?:plantilla|personal|"
            r"empleados|trabajadores)\b|\b(?:absentismo|rotacion laboral|"
            r"rotacion(?! de (?:clientes|usuarios|"
            r"suscriptores|stock|inventario|productos)))\b|\bla gente de (?:nuestras|las) "
            r"(?:tiendas|oficinas|fabricas|cocinas)\b[^.!?]{0,30}\bse (?:va|van|marcha|marchan)\b",
            "fr": r"\bretention\W+(?:\w+\W+){0,2}(?:de |des )(?:nos |ses |leurs )?(?:salaries|"
            r"employes|collaborateurs|equipiers|equipes)\b|"
            r"\b(?:absenteisme|(?:turn-?over|churn|rotation) (?:du|des|de nos) (?:personnel|"
            r"salaries|equipes|collaborateurs|employes))\b",
            "pt": r"\bretencao\W+(?:\w+\W+){0,2}(?:de|do|dos|da) (?:nossos |os )?(?:funcionarios|"
            r"colaboradores|pessoal|talentos)\b|"
            r"\b(?:churn|rotatividade|turnover) (?:de|do|dos|das) (?:pessoal|funcionarios|"
            r"colaboradores|equipa|equipe)\b|\b(?:turnover|rotatividade)\b[^.!?]{0,60}\bnovos "
            r"(?:contratados|funcionarios|colaboradores)\b|"
            r"\b(?:absenteismo|rotatividade(?! de (?:clientes|usuarios|utilizadores|"
            r"assinantes|estoque|produtos)))\b",
        }[language]
    )
    for language in LANGUAGES
}
