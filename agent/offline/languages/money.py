"""How German, Spanish, French and Portuguese speakers write amounts, periods and headcounts.

The number and budget analysers read English words ("40 employees", "60k a year", "no
budget", "rather not say"). Each table below rewrites the words of one language into those
English words, phrase by phrase, in order (longer phrases first); numbers written in words
are turned into digits afterwards by text2num, and the language's separators ("60.000",
"1,5", "80'000") into English ones. Only the analysers' cleaned copies of a clause are
rewritten: quotes stay the prospect's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from text_to_num import alpha2digit

Replacement = str | Callable[[re.Match[str]], str]

# Shared by every table: "k€", "R$ 250", "CHF 80'000".
_COMMON: tuple[tuple[str, str], ...] = (
    (r"\br\$\s*", "brl "),
    (r"\bus\$\s*", "usd "),
    (r"\$\s*(?:ca|can|cad)\b|\b(?:ca|can)\s*\$", " cad "),
    (r"(?<=\d)\s*k€", "k €"),
    # "80 à 100 kCHF", "50 kEUR": thousands of a currency by its code
    (r"(?<=\d)\s*k(chf|eur|usd|cad|gbp|brl)\b", r"k \1"),
    (r"(?<=\d)\s*m€", " million €"),
)

# "um milhão e meio", "un millón y medio", "un million et demi", "anderthalb Millionen":
# a whole number of millions or thousands and a half, as a decimal the tables read.
_HALVES: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (
        (r"\b(?:anderthalb|eineinhalb|einhalb)\s+(?=mio\b|millionen\b|tausend\b)", "1,5 "),
        (r"\bzweieinhalb\s+(?=mio\b|millionen\b|tausend\b)", "2,5 "),
    ),
    "es": (
        (r"\bun (millón|millon) y medio\b", r"1,5 millones"),
        (r"\b(\d+) (millones|mil) y medio\b", r"\1,5 \2"),
    ),
    "fr": (
        (r"\bun million et demi\b", "1,5 million"),
        (r"\b(\d+) (millions|mille) et demi\b", r"\1,5 \2"),
    ),
    "pt": (
        (r"\bum (milhão|milhao) e meio\b", r"1,5 milhão"),
        (r"\b(\d+) (milhões|milhoes|mil) e meio\b", r"\1,5 \2"),
    ),
}

# Words after a digit that multiply it.
_MULTIPLIERS: dict[str, str] = {
    "de": r"(?:tsd\.?|tausend)",
    "es": r"(?:mil)",
    "fr": r"(?:mille)",
    "pt": r"(?:mil)",
}
_MILLIONS: dict[str, str] = {
    "de": r"(?:mio\.?|millionen|million)",
    "es": r"(?:millones|millón|millon|mill\.?|mdp)",
    "fr": r"(?:millions?|mio\.?)",
    "pt": r"(?:milhões|milhoes|milhão|milhao|mi)",
}
_BILLIONS: dict[str, str] = {
    "de": r"(?:mrd\.?|milliarden?)",
    "es": r"(?:mil millones)",
    "fr": r"(?:milliards?|mds?)",
    "pt": r"(?:bilhões|bilhoes|bilhão|bilhao|bi|mil milhões)",
}

# Phrase -> English words, per language, applied in order.
GLOSSES: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (
        (r"(?<=\d)\s*(?:teur\b|t€|tsd\.?\s?€)", "k eur"),
        (r"\b(?:eine )?halbe million\b", "500000"),
        (
            r"\b(?:monatlich|täglich|wöchentlich)(?:e|en)? aktive[n]? (?:nutzer(?:innen)?|user|"
            r"kunden)\b",
            "monthly active users",
        ),
        (r"\b(?:lagerhallen|lagerstandorte|lager)\b", "warehouses"),
        # refusals, unknowns and no budget, before the single words below
        (
            r"\b(?:möchte|will|würde|darf) ich (?:\w+ ){0,5}nicht (?:äußern|sagen|nennen|verraten|"
            r"mitteilen|preisgeben)\b|\bäußere ich mich (?:\w+ ){0,3}nicht\b|"
            r"\blieber nicht (?:sagen|nennen|verraten)\b|"
            r"\b(?:darf|kann|will|möchte) ich (?:\w+ ){0,3}nichts (?:\w+ ){0,2}(?:sagen|verraten|"
            r"nennen)\b|"
            r"\bkeine angaben?\b|"
            r"\bvertraulich\b|\bbehalte ich (?:lieber )?für mich\b|\bdazu sage ich nichts\b|"
            r"\bmöchte ich nicht\b",
            "rather not say",
        ),
        (
            r"\b(?:weiß|wissen|kenne|kennen) (?:ich |wir )?(?:\w+ ){0,3}?(?:noch )?nicht\b|"
            r"\bkeine ahnung\b|\bunklar\b|"
            r"\bnoch offen\b|\b(?:steht|ist) noch nicht fest\b|\bnoch nicht (?:festgelegt|klar|"
            r"entschieden|definiert|beziffert|bekannt)\b|\bhängt (?:davon |vom preis |von ihrem "
            r"angebot )?ab\b|\bkommt (?:drauf|darauf) an\b|\bweiß nicht\b",
            "not sure",
        ),
        (
            r"\bkein(?:e|en|s)? (?:festes |eigenes |konkretes |freigegebenes |offizielles )?"
            r"budget\b|"
            r"\bnoch kein(?:e|en|s)?\b(?= (?:budget|geld|etat))|\bbudget\w* (?:\w+ ){0,4}(?:noch )?"
            r"(?:keins|keines|keinen|nicht)\b(?! (?:fest|klar|entschieden|definiert|festgelegt))|"
            r"\bkein geld\b|\bohne budget\b|\bnicht budgetiert\b|\bnichts budgetiert\b|"
            r"\b(?:noch )?nichts (?:eingeplant|vorgesehen|freigegeben)\b|"
            r"\bkeine (?:mittel|gelder)\b|\bkeinen (?:cent|euro|rappen|topf)\b|"
            r"\bbudget\b[^.]{0,60}\bnoch nicht (?:eingeplant|vorgesehen|budgetiert)\b",
            "no budget",
        ),
        # contracts of several years: "für einen Zweijahresvertrag", "über drei Jahre"
        (
            r"\b(?:(?:für|über) )?(?:einen |eine |ein |den |die )?"
            r"(zwei|drei|vier|fünf|2|3|4|5)[- ]?jahres-?(?:vertrag|laufzeit|lizenz)\b",
            r"for a \1-year contract",
        ),
        (r"\b(?:für|über|auf) (zwei|drei|vier|fünf|2|3|4|5) jahre\b", r"over \1 years"),
        # periods
        (
            r"(?:\bpro|\bim|\bje|/)\s*(?:jahr|anno)\b|\bjährlich\b|\bp\.\s?a\.?|\bjahresbudget\b",
            " a year ",
        ),
        (r"(?:\bpro|\bim|\bje|/)\s*monat\b|\bmonatlich\b|\bmtl\.?", " a month "),
        (
            r"(?:\bpro|\bim|\bje|/)\s*quartal\b|\bquartalsweise\b|\bvierteljährlich\b",
            " a quarter ",
        ),
        (r"(?:\bpro|\bje|/)\s*woche\b|\bwöchentlich\b", " a week "),
        (
            r"\bhalbjährlich\b|(?:\bpro|\bim|\bje|/)\s*halbjahr\b|\bhalbjahresbudget\b",
            " every six months ",
        ),
        (
            r"\b(?:pro|je) (?:nutzer(?:in)?|user|lizenz|arbeitsplatz|kopf|person|seat|platz)"
            r"(?: (?:und|&) (?:pro )?monat)\b",
            " per seat a month ",
        ),
        (
            r"\b(?:pro|je) (?:nutzer(?:in)?|user|lizenz|arbeitsplatz|kopf|person|seat|platz)\b",
            " per seat ",
        ),
        (r"\beinmalig\b", " one-time "),
        (r"(?:\bpro|\bje|/)\s*(?:stunde|std\.?|h)\b|\bstundensatz\b", " per hour "),
        (r"(?:\bpro|\bje|/)\s*tag\b|\btagessatz\b", " a day "),
        # durations
        (r"\bjahren?\b", "years"),
        (r"\bmonaten?\b", "months"),
        (r"\bwochen\b", "weeks"),
        (r"\btagen?\b", "days"),
        (r"\bstunden\b", "hours"),
        # people
        (
            r"\b(?:mitarbeiter(?:innen)?|mitarbeitenden?|angestellten?|beschäftigten?|"
            r"festangestellten?|leuten?|personen|köpfen?|kolleg(?:en|innen)|vollzeitkräften?|"
            r"fte)\b",
            "employees",
        ),
        (r"\b(?:entwickler(?:innen)?|programmierer(?:innen)?)\b", "developers"),
        (r"\bmitarbeiterzahl\b|\bbelegschaft\b|\bteamgröße\b", "headcount"),
        (r"\bwir sind\b|\bsind wir\b", "we are"),
        (r"\bzu zweit\b", "2 employees"),
        (r"\bzu dritt\b", "3 employees"),
        (r"\bzu viert\b", "4 employees"),
        (r"\bzu fünft\b", "5 employees"),
        (r"\bzu sechst\b", "6 employees"),
        (r"\b(?:ein|das) team (?:von|aus)\b", "a team of"),
        (r"\binsgesamt\b|\bgesamt\b", "in total"),
        # counted things
        (r"\b(?:filialen|standorte[n]?|läden|geschäfte[n]?|niederlassungen)\b", "stores"),
        (r"\b(?:kunden|kundinnen)\b", "customers"),
        (
            r"\b(?:nutzer(?:n|innen)?|benutzer(?:n|innen)?|anwender(?:n|innen)?|user[ns]?)\b",
            "users",
        ),
        (r"\b(?:lizenzen|plätze|sitze|seats)\b", "seats"),
        (r"\b(?:bestellungen)\b", "orders"),
        (r"\b(?:abonnent(?:en|innen)?|mitglieder[n]?|follower)\b", "subscribers"),
        (r"\b(?:besucher(?:innen)?|besuche[rn]?)\b", "visitors"),
        (r"\b(?:patient(?:en|innen)|schüler(?:innen)?|studierenden?|gäste[n]?)\b", "patients"),
        # money words
        (
            r"\b(?:budget(?:s)?|etat|budgetrahmen)\b|\b(?:eingeplant|vorgesehen|veranschlagt|"
            r"bereitgestellt|freigegeben|eingestellt)\b",
            "budget",
        ),
        (
            r"\b(?:unser|unsere) (?:aktuelle[sn]?|bisherige[sn]?|jetzige[sn]?) "
            r"(?:tool|lösung|software|plattform|anbieter)\b",
            "our current tool",
        ),
        (r"\bkostet uns\b", "costs us"),
        # A signing limit is no budget: "Prokura bis 100.000 €", "zeichnungsberechtigt bis".
        (
            r"\b(?:unterschreiben|unterzeichnen|unterschrift\w*|zeichnungsberechtig\w*|"
            r"zeichnungsbefugnis|prokura)\b",
            "sign",
        ),
        (r"\bunser (?:paket|angebot|produkt|abo) kostet\b", "our plan costs"),
        (r"\bausgeben\b|\binvestieren\b", "spend"),
        (r"\bwir (?:zahlen|bezahlen)\b|\b(?:zahlen|bezahlen) wir\b", "we pay"),
        (r"\bzahlen\b|\bbezahlen\b", "pay"),
        (
            r"\b(?:umsatz|jahresumsatz|gewinn|finanzierungsrunde|einnahmen|erlöse|"
            r"mitgliedsbeiträge|beitragseinnahmen|spendeneinnahmen)\b",
            "revenue",
        ),
        (r"\b(?:eingesammelt|eingeworben|aufgenommen)\b", "raised"),
        (r"\b(?:gehalt|gehälter|löhne)\b", "salary"),
        (r"\bschweizer franken\b|\bfranken\b|\bsfr\.?", "chf"),
        (r"\bus-dollar\b|\bdollar\b", "dollars"),
        (r"\bpfund\b", "pounds"),
        (r"\bschwedische kronen\b", "sek"),
        (r"\bdänische kronen\b", "dkk"),
        (r"\bnorwegische kronen\b", "nok"),
        (r"\b(?:tschechische )?kronen\b", "czk"),
        (r"\bzloty\b", "pln"),
        # bounds and ranges
        (r"\b(?:weniger als|unter|unterhalb von|nicht mehr als)\b", "under"),
        (r"\b(?:bis zu|höchstens|maximal|max\.?|bis maximal)(?=\s|\d|$)", "up to"),
        (r"\b(?:mehr als|über|mindestens)\b(?=\s*(?:€|\$|chf|\d))", "over"),
        (r"\bzwischen\b", "between"),
        (r"(?<=\d)(\s*(?:€|euro|k|thousand|million)?)\s+(?:und|bis)\s+(?=\d)", r"\1 to "),
        # approximations
        (
            r"\b(?:rund|ca\.?|circa|zirka|etwa|ungefähr|knapp|so um die|um die|gut|fast|so)"
            r"(?=\s)",
            "about",
        ),
        # corrections and negations
        (
            r"\b(?:eher|vielmehr|korrektur|ich meinte|ich meine|sorry|pardon|entschuldigung|"
            r"verzeihung|moment)\b",
            "actually",
        ),
        (r"\bnicht\b(?=\s*(?:€|\$|chf)?\s*\d)", "not"),
        (r"\bstatt\b", "instead of"),
        (
            r"\bohne (?:die |unsere )?(?:freelancer|freie[n]?|externe[n]?|werkstudenten)\b",
            "excluding",
        ),
        (r"\bletztes jahr\b|\bvorjahr\b|\bbisher\b|\bfrüher\b", "last year"),
        (r"\bwar\b", "was"),
    ),
    "es": (
        (r"\bmedio (?:millón|millon)\b", "500000"),
        (
            r"\busuarios activos (?:al |por )?mes\b|\busuarios activos mensuales\b",
            "monthly active users",
        ),
        (r"\b(?:almacenes|bodegas)\b", "warehouses"),
        (
            r"\bprefiero no (?:dar|decir|compartir|revelar|dar a conocer|comentar|hablar de)\b|"
            r"\bno (?:te |le |les |os |se )?(?:lo )?(?:puedo|quiero|podemos|queremos) (?:dar|decir|"
            r"compartir|revelar|comentar)\b|"
            r"\b(?:es )?confidencial\b|\bprefiero reservarme\b|\bprefiero no\b",
            "rather not say",
        ),
        (
            r"\bno (?:lo )?(?:sé|se|sabemos|sabría|sabria)\b|\bni idea\b|\bdepende\b|"
            r"\b(?:aún|aun|todavía|todavia) no (?:tenemos|hay|está|esta|lo hemos) (?:una )?"
            r"(?:cifra|claro|definido|decidido)\b|\bpor definir\b|\bsin definir\b|"
            r"\bno (?:está|esta) (?:claro|definido|decidido)\b|\bno lo tenemos claro\b",
            "not sure",
        ),
        (
            r"\b(?:(?:aún|aun|todavía|todavia) )?no (?:tenemos|tengo|hay|existe|contamos con|han "
            r"(?:asignado|aprobado|definido)|hemos (?:asignado|aprobado)) (?:\w+ )?(?:ningún |un |"
            r"una )?(?:presupuesto|partida|dinero)\b|\bsin presupuesto\b|\bpresupuesto,? "
            r"(?:(?:asignado|aprobado|definido|reservado) )?(?:aún|aun|todavía|todavia)? ?"
            r"no (?:hay|tenemos)\b|\bcero presupuesto\b|"
            r"\bpresupuesto,? ninguno\b|\bningún presupuesto\b|\bnada presupuestado\b|"
            r"\bnada (?:asignado|reservado)\b|\bnada previsto (?:en el |de )presupuesto\b|"
            r"\bno (?:está|esta|estamos) presupuestad[oa]s?\b|\bno (?:hay|tenemos) (?:plata|pasta|"
            r"dinero|fondos)\b|\bsin (?:plata|pasta|fondos|dinero)\b|\bni un (?:euro|peso|duro)\b",
            "no budget",
        ),
        (
            r"\b(?:(?:para|por) )?(?:un |el )?contrato (?:de )?"
            r"(dos|tres|cuatro|cinco|2|3|4|5) años\b",
            r"for a \1-year contract",
        ),
        (
            r"(?:\bal|\bpor|\bcada|/)\s*(?:año|ano)\b|\banual(?:es|mente)?\b|\bal año\b",
            " a year ",
        ),
        (r"(?:\bal|\bpor|\bcada|/)\s*mes\b|\bmensual(?:es|mente)?\b", " a month "),
        (r"(?:\bal|\bpor|\bcada|/)\s*trimestre\b|\btrimestral(?:es|mente)?\b", " a quarter "),
        (r"(?:\ba la|\bpor|\bcada|/)\s*semana\b|\bsemanal(?:es|mente)?\b", " a week "),
        (
            r"\bsemestral(?:es|mente)?\b|(?:\bal|\bpor|\bcada|/)\s*semestre\b|"
            r"(?<=\bpresupuesto )del semestre\b",
            " every six months ",
        ),
        (r"\bpor (?:usuario|usuaria|licencia|puesto|persona|asiento|cabeza)\b", " per user "),
        (r"\bpago único\b|\buna sola vez\b", " one-time "),
        (r"(?:\ba la|\bla|\bpor|/)\s*hora\b", " per hour "),
        (r"(?:\bal|\bpor|/)\s*día\b", " a day "),
        (r"\baños\b|\banos\b", "years"),
        (r"\bmeses\b", "months"),
        (r"\bsemanas\b", "weeks"),
        (r"\bdías\b|\bdias\b", "days"),
        (r"\bhoras\b", "hours"),
        (
            r"\b(?:empleados|empleadas|trabajadores|trabajadoras|personas|colaboradores|"
            r"colaboradoras|gente|elementos|integrantes)\b",
            "employees",
        ),
        (r"\b(?:desarrolladores|programadores|devs)\b", "developers"),
        (r"\bplantilla\b", "headcount"),
        (r"\b(?:somos|éramos)\b", "we are"),
        (r"\bun equipo de\b", "a team of"),
        (r"\ben total\b|\ben conjunto\b", "in total"),
        (r"\b(?:tiendas|sucursales|locales|oficinas|restaurantes)\b", "stores"),
        (r"\bclientes\b", "customers"),
        (r"\busuarios\b|\busuarias\b", "users"),
        (r"\b(?:licencias|asientos|puestos)\b", "seats"),
        (r"\bpedidos\b", "orders"),
        (r"\b(?:suscriptores|suscritos|inscritos|miembros|seguidores)\b", "subscribers"),
        (r"\b(?:visitantes|visitas|descargas)\b", "visitors"),
        (r"\b(?:pacientes|alumnos|estudiantes|huéspedes|huespedes)\b", "patients"),
        (
            r"\b(?:presupuesto|partida)\b|\b(?:previstos?|asignados?|aprobados?|reservados?)\b",
            "budget",
        ),
        (
            r"\bnuestros? (?:plan|planes|producto|servicio|paquete)s? (?:cuesta|cuestan)\b",
            "our plan costs",
        ),
        (r"\b(?:gastar|invertir)\b", "spend"),
        (
            r"\bnuestr[ao] (?:herramienta|solución|solucion|plataforma|software|proveedor) "
            r"actual\b",
            "our current tool",
        ),
        (r"\bnos cuesta\b", "costs us"),
        # A signing limit is no budget: "puedo firmar hasta 100.000 €", "apoderado con firma".
        (r"\b(?:firmar|firmo)\b", "sign"),
        (r"\b(?:pagamos|gastamos)\b", "we pay"),
        (r"\bpagar\b", "pay"),
        (
            r"\b(?:facturación|facturacion|facturamos|ventas|ingresos|ronda de \w+|vendemos|"
            r"vende)\b",
            "revenue",
        ),
        (
            r"\b(?:acabamos de levantar|levantamos|levantado|levantó|recaudamos|cerramos una "
            r"ronda)\b",
            "raised",
        ),
        (r"\b(?:salario|sueldo|sueldos|salarios)\b", "salary"),
        (r"\bde (?=(?:euros?|dólares|dolares|pesos|libras|francos|reales|usd|eur)\b)", ""),
        (r"\bpesos argentinos\b", "ars"),
        (r"\bpesos colombianos\b", "cop"),
        (r"\bpesos chilenos\b", "clp"),
        (r"\bpesos mexicanos\b|\bpesos\b", "mxn"),
        (r"\bfrancos suizos\b", "chf"),
        (r"\breales\b", "brl"),
        (r"\bdólares canadienses\b", "cad"),
        (r"\bdólares australianos\b", "aud"),
        (r"\bdólares\b|\bdolares\b|\bdólar\b|\bdolar\b", "dollars"),
        (r"\blibras(?: esterlinas)?\b", "pounds"),
        (r"\bcoronas suecas\b", "sek"),
        (r"\bcoronas danesas\b", "dkk"),
        (r"\bcoronas noruegas\b", "nok"),
        (r"\b(?:menos de|por debajo de|no más de|no mas de|inferior a)\b", "under"),
        (r"\b(?:hasta|como máximo|como maximo|máximo|maximo|máx\.?|max\.?)(?=\s|\d|$)", "up to"),
        (r"\b(?:más de|mas de|mínimo|por encima de)\b(?=\s*(?:€|\$|\d))", "over"),
        (r"\bentre\b", "between"),
        (r"(?<=\d)(\s*(?:€|euros?|k|thousand|million)?)\s+(?:y|a)\s+(?=\d)", r"\1 to "),
        (
            r"\b(?:unos|unas|alrededor de|cerca de|aproximadamente|aprox\.?|como|más o menos|"
            r"mas o menos|en torno a|casi|al rededor de|ronda(?:n)?(?: los| las)?|"
            r"rondando(?: los| las)?)(?=\s)",
            "about",
        ),
        (
            r"\b(?:perdón|perdon|perdona|me corrijo|corrijo|mejor dicho|en realidad|quise decir|"
            r"me equivoqué|me equivoque|más bien|mas bien|corrección|correccion)\b",
            "actually",
        ),
        (r"\bno\b(?=\s*(?:€|\$|usd)?\s*\d)", "not"),
        (r"\ben lugar de\b|\ben vez de\b", "instead of"),
        (r"\bsin contar\b", "not counting"),
        (r"\bdel año pasado\b|\bel año pasado\b|\bantes\b", "last year"),
        (r"\bera\b", "was"),
    ),
    "fr": (
        (r"\b(?:un )?demi[- ]million\b", "500000"),
        (
            r"\butilisat(?:eurs|rices) acti(?:fs|ves) (?:par mois|mensuels)\b",
            "monthly active users",
        ),
        (r"\b(?:entrepôts|entrepots)\b", "warehouses"),
        (
            r"\bje (?:préfère|prefere|préférerais|voudrais) ne pas (?:le |en )?(?:dire|"
            r"communiquer|partager|préciser|divulguer|donner|parler)\b|\bje ne (?:peux|souhaite|"
            r"veux|préfère) pas (?:vous |te )?(?:le |en )?(?:dire|communiquer|partager|divulguer|"
            r"donner|préciser|parler)\b|\bconfidentiel(?:le)?\b|\bsans commentaire\b",
            "rather not say",
        ),
        (
            r"\bje ne (?:communique|donne|partage|dévoile|divulgue) pas\b",
            "rather not say",
        ),
        (
            r"\bje ne sais pas\b|\bje sais pas\b|\bon ne sait pas\b|\baucune idée\b|"
            r"\bpas (?:encore )?(?:défini|decide|décidé|fixé|arrêté|clair|chiffré)\b|"
            r"\b(?:ça|cela) dépend\b|\bà définir\b|\bà voir\b|\bon verra\b|\bnon défini\b|"
            r"\bdépend\b",
            "not sure",
        ),
        (
            r"\b(?:pas|plus|aucun) (?:encore )?(?:de |d')?(?:vrai |réel )?budget\b|"
            r"\bsans budget\b|\bbudget n'est pas (?:encore )?(?:prévu|alloué|validé|débloqué)\b|"
            r"\bn'(?:avons|a|ont) pas (?:encore )?(?:de |d')?(?:budget|enveloppe)\b|"
            r"\bpas d'enveloppe\b|\baucune (?:ligne budgétaire|ligne budgetaire|enveloppe)\b|"
            r"\brien (?:n'est |de )?(?:budgété|budgete)\b|\brien (?:n'est |de )?(?:prévu|"
            r"prevu) (?:au|"
            r"dans le|"
            r"pour le|côté|cote) budget\b|\bpas (?:encore )?budgété\b|"
            r"\bpas (?:encore )?budgete\b|\bpas d'argent\b|\bbudget\b[^.]{0,40}\brien n'est "
            r"(?:encore )?(?:prévu|prevu|alloué|débloqué|budgété)\b|\bpa de budget\b|"
            r"\bpas un (?:sou|rond|"
            r"centime)\b|\bsans (?:argent|financement)\b",
            "no budget",
        ),
        (
            r"\b(?:pour |sur )?(?:un |le )?contrat de (deux|trois|quatre|cinq|2|3|4|5) ans\b",
            r"for a \1-year contract",
        ),
        (r"\bsur (deux|trois|quatre|cinq|2|3|4|5) ans\b", r"over \1 years"),
        (
            r"(?:\bpar|\bchaque|/)\s*(?:an|année|annee)\b|\bl'an\b|\bannuel(?:le|s|les)?"
            r"(?:ment)?\b|\bà l'année\b",
            " a year ",
        ),
        (r"(?:\bpar|\bchaque|/)\s*mois\b|\bmensuel(?:le|s|les)?(?:ment)?\b", " a month "),
        (
            r"(?:\bpar|\bchaque|/)\s*trimestre\b|\btrimestriel(?:le|s|les)?(?:ment)?\b",
            " a quarter ",
        ),
        (r"(?:\bpar|\bchaque|/)\s*semaine\b|\bhebdomadaire\b", " a week "),
        (
            r"\bsemestriel(?:le|s|les)?(?:ment)?\b|(?:\bpar|\bchaque|/)\s*semestre\b|"
            r"(?<=\bbudget )du semestre\b",
            " every six months ",
        ),
        (
            r"\bpar (?:utilisateur|utilisatrice|licence|siège|siege|poste|personne|tête|tete)\b",
            " per user ",
        ),
        (r"\bponctuel(?:le)?\b|\ben une (?:seule )?fois\b", " one-time "),
        (r"(?:\bde l'|\bpar|/)\s*(?:heure|h)\b", " per hour "),
        (r"(?:\bpar|/)\s*jour\b|\btjm\b", " a day "),
        (r"\bans\b|\bannées\b", "years"),
        (r"\bmois\b", "months"),
        (r"\bsemaines\b", "weeks"),
        (r"\bjours\b", "days"),
        (r"\bheures\b", "hours"),
        (
            r"\b(?:salariés|salariées|salaries|employés|employées|employes|collaborateurs|"
            r"collaboratrices|personnes|gens|etp|agents|équivalents temps plein)\b",
            "employees",
        ),
        (r"\b(?:développeurs|developpeurs|devs|ingénieurs|ingenieurs)\b", "developers"),
        (r"\beffectifs?\b", "headcount"),
        (r"\bnous sommes\b|\bon est\b|\bon compte\b", "we are"),
        (r"\bune équipe de\b", "a team of"),
        (r"\bau total\b|\ben tout\b", "in total"),
        (r"\b(?:magasins|boutiques|agences|restaurants|sites|points de vente)\b", "stores"),
        (r"\bclients\b", "customers"),
        (r"\butilisateurs\b|\butilisatrices\b", "users"),
        (r"\b(?:licences|sièges|postes)\b", "seats"),
        (r"\bcommandes\b", "orders"),
        (
            r"\b(?:abonnés|abonnées|abonnes|inscrits|membres|adhérents|adherents|followers)\b",
            "subscribers",
        ),
        (r"\b(?:visiteurs|visites|téléchargements|telechargements)\b", "visitors"),
        (r"\b(?:patients|élèves|eleves|étudiants|etudiants)\b", "patients"),
        (
            r"\b(?:budget|enveloppe)\b|\b(?:prévus?|prévues?|alloués?|débloqués?|validés?)\b",
            "budget",
        ),
        (
            r"\b(?:notre|l') ?(?:outil|solution|logiciel|plateforme|prestataire) actuel(?:le)?\b",
            "our current tool",
        ),
        (r"\bnous co[uû]te\b", "costs us"),
        # A signing limit is no budget: "délégation de signature jusqu'à 150 000 CHF".
        (r"\b(?:signer|signature|délégation|delegation)\b", "sign"),
        (r"\bnotre (?:offre|forfait|produit|abonnement) (?:coûte|est à)\b", "our plan costs"),
        (r"\b(?:dépenser|investir)\b", "spend"),
        (r"\bnous (?:payons|dépensons)\b|\bon (?:paie|paye|dépense)\b", "we pay"),
        (r"\b(?:payer|payons)\b", "pay"),
        (r"\bchiffre d'affaires\b|\blevée\b|\bventes\b|(?<=€) de ca\b|\bde ca\b", "revenue"),
        (r"\b(?:lever|levé|levés|levons|levions)\b", "raised"),
        (r"\b(?:salaire|salaires)\b", "salary"),
        (r"\bd'(?=(?:euros?|dollars?)\b)|\bde (?=(?:francs|dollars|livres|fcfa|cfa)\b)", ""),
        # The CFA francs of West and Central Africa, pegged to the euro.
        (r"\bf ?cfa\b|\bfrancs? cfa\b|\bxof\b", "xof"),
        (r"\bxaf\b", "xaf"),
        # Francs in French today are Swiss francs (France and Belgium pay in euros), but not
        # the CFA franc.
        (
            r"\bfrancs? suisses?\b|\bchf\b|\bfr\.(?=\s*\d)|\bfrancs?\b(?!\s*(?:cfa|congolais))",
            "chf",
        ),
        # "100 000 $ canadiens", "dollars canadiens", Québec's "piastres" and "piasses"
        (r"(?:\$\s*|\bdollars? )canadiens?\b|\bpias(?:tres?|ses?)\b", "cad"),
        (r"\bdollars australiens\b", "aud"),
        (r"\blivres(?: sterling)?\b", "pounds"),
        (r"\bcouronnes suédoises\b", "sek"),
        (r"\bcouronnes danoises\b", "dkk"),
        (r"\bcouronnes norvégiennes\b", "nok"),
        (r"\b(?:moins de|en dessous de|en-dessous de|pas plus de|inférieur à)\b", "under"),
        (r"\b(?:jusqu'à|au maximum|au max|maximum|max\.?)(?=\s|\d|$)", "up to"),
        (r"\b(?:plus de|au moins|minimum|au-delà de)\b(?=\s*(?:€|\$|chf|\d))", "over"),
        (r"\bentre\b", "between"),
        (r"(?<=\d)(\s*(?:€|euros?|k|thousand|million)?)\s+(?:et|à)\s+(?=\d)", r"\1 to "),
        (
            r"\b(?:environ|à peu près|a peu pres|près de|pres de|autour de|quelque|dans les|"
            r"de l'ordre de|approximativement|presque|quasi|grosso modo|env\.?)(?=\s)",
            "about",
        ),
        (
            r"\b(?:pardon|en fait|plutôt|plutot|je voulais dire|correction|rectification|"
            r"désolé|désolée|desole|je me suis trompé|je rectifie)\b",
            "actually",
        ),
        (r"\bpas\b(?=\s*(?:€|\$|chf)?\s*\d)", "not"),
        (r"\bau lieu de\b", "instead of"),
        (r"\bsans compter\b|\bhors (?:freelances|intérimaires|prestataires)\b", "not counting"),
        (r"\bl'an dernier\b|\bl'année dernière\b|\bl'an passé\b", "last year"),
        (r"\bétait\b", "was"),
    ),
    "pt": (
        (r"\bmeio (?:milhão|milhao)\b", "500000"),
        (
            r"\b(?:usuários|utilizadores) ativos (?:por mês|mensais)\b",
            "monthly active users",
        ),
        (r"\b(?:armazéns|armazens|galpões|galpoes|centros de distribuição)\b", "warehouses"),
        (
            r"\bprefiro não (?:dizer|falar|informar|compartilhar|partilhar|divulgar|revelar|"
            r"passar|abrir)\b|\bnão (?:te |lhe |vos )?(?:posso|quero|podemos) (?:te |lhe )?"
            r"(?:dizer|falar|informar|compartilhar|"
            r"partilhar|divulgar|revelar|passar|abrir)\b|\bconfidencial\b|\bprefiro não\b",
            "rather not say",
        ),
        (
            r"\bnão (?:sei|sabemos|faço ideia|faco ideia)\b|\bnao (?:sei|sabemos)\b|\bsem ideia\b|"
            r"\bdepende\b|\ba definir\b|\b(?:ainda )?não (?:está|esta|foi) (?:definido|decidido|"
            r"fechado)\b|\bnão temos (?:um )?valor\b",
            "not sure",
        ),
        (
            r"\b(?:ainda )?(?:não|nao) (?:temos|tem|tenho|há|ha|existe|definiram|aprovaram|"
            r"alocaram|separamos) (?:\w+ )?(?:nenhum |um )?(?:orçamento|orcamento|verba|budget)\b|"
            r"\bsem (?:orçamento|orcamento|verba)\b|\b(?:orçamento|orcamento|verba) "
            r"(?:(?:pra|para) (?:isso|isto) )?(?:ainda )?"
            r"(?:não|nao) (?:tem|temos|tenho|há|ha|existe)\b|\bzero de (?:orçamento|verba)\b|"
            r"\b(?:orçamento|orcamento|verba) nenhum\b|\bnenhum (?:orçamento|orcamento|verba)\b|"
            r"\bnada orçado\b|\bnada orcado\b|\bnada reservado\b|\bnada previsto (?:no|"
            r"de) orçamento\b|\b(?:não|"
            r"nao) (?:está|esta) orçad[oa]\b|\bsem "
            r"(?:grana|dinheiro)\b|\b(?:não|nao) (?:tem|temos|há|ha) (?:grana|dinheiro)\b|\bnem um "
            r"(?:tostão|tostao|centavo|real)\b",
            "no budget",
        ),
        (
            r"\b(?:(?:para|por) )?(?:um |o )?contrato de "
            r"(dois|duas|três|tres|quatro|cinco|2|3|4|5) anos\b",
            r"for a \1-year contract",
        ),
        (
            r"(?:\bpor|\bao|\bno|\bcada|/)\s*ano\b|\banual(?:mente)?\b|\banuais\b",
            " a year ",
        ),
        (
            r"(?:\bpor|\bao|\bno|\bcada|/)\s*(?:mês|mes)\b|\bmensal(?:mente)?\b|\bmensais\b",
            " a month ",
        ),
        (r"(?:\bpor|\bcada|/)\s*trimestre\b|\btrimestral(?:mente)?\b", " a quarter "),
        (r"(?:\bpor|\bcada|/)\s*semana\b|\bsemanal(?:mente)?\b", " a week "),
        (
            r"\bsemestral(?:mente)?\b|(?:\bpor|\bcada|\bao|/)\s*semestre\b|"
            r"(?<=\bor[cç]amento )do semestre\b|(?<=\bverba )do semestre\b",
            " every six months ",
        ),
        (
            r"\bpor (?:usuário|usuario|utilizador|licença|licenca|assento|pessoa|cabeça|cabeca)\b",
            " per user ",
        ),
        (r"\bpagamento único\b|\buma vez só\b", " one-time "),
        (r"(?:\ba|\bpor|/)\s*hora\b", " per hour "),
        (r"(?:\bpor|/)\s*dia\b", " a day "),
        (r"\banos\b", "years"),
        (r"\bmeses\b", "months"),
        (r"\bsemanas\b", "weeks"),
        (r"\bdias\b", "days"),
        (r"\bhoras\b", "hours"),
        (
            r"\b(?:funcionários|funcionarios|funcionárias|colaboradores|colaboradoras|"
            r"empregados|pessoas|trabalhadores|gente)\b",
            "employees",
        ),
        (r"\b(?:desenvolvedores|programadores|devs)\b", "developers"),
        (r"\bsomos\b", "we are"),
        (r"\buma equipe de\b|\buma equipa de\b", "a team of"),
        (r"\bno total\b|\bao todo\b|\bem conjunto\b", "in total"),
        (r"\b(?:lojas|filiais|unidades|restaurantes|escritórios)\b", "stores"),
        (r"\bclientes\b", "customers"),
        (r"\busuários\b|\busuarios\b|\butilizadores\b", "users"),
        (r"\b(?:licenças|licencas|assentos)\b", "seats"),
        (r"\bpedidos\b", "orders"),
        (r"\bcontatos\b|\bcontactos\b", "records"),
        (r"\b(?:assinantes|inscritos|membros|associados|seguidores)\b", "subscribers"),
        (r"\b(?:visitantes|visitas|downloads)\b", "visitors"),
        (r"\b(?:pacientes|alunos|estudantes|hóspedes|hospedes)\b", "patients"),
        (r"\b(?:orçamento|orcamento|verba)\b|\b(?:previstos?|aprovados?|reservados?)\b", "budget"),
        (r"\b(?:gastar|investir|invista)\b", "spend"),
        (r"\b(?:pagamos|gastamos)\b", "we pay"),
        # A signing limit is no budget: "tenho alçada para assinar até R$ 200 mil".
        (r"\b(?:assinar|assino|alçada|alcada)\b", "sign"),
        (r"\bpagar\b", "pay"),
        (r"\b(?:faturamento|faturação|faturamos|receita|rodada|vendemos)\b", "revenue"),
        (r"\b(?:captamos|captado|captou|levantamos|levantado)\b", "raised"),
        (r"\b(?:salário|salarios|salários)\b", "salary"),
        (r"\bo pacote sai por\b|\bnosso (?:plano|pacote|produto) custa\b", "our plan costs"),
        (r"\bde (?=(?:euros?|dólares|dolares|reais|libras|pesos|francos)\b)", ""),
        (r"\breais\b", "brl"),
        (r"\bpesos argentinos\b", "ars"),
        (r"\bpesos colombianos\b", "cop"),
        (r"\bpesos chilenos\b", "clp"),
        (r"\bpesos mexicanos\b", "mxn"),
        (r"\bfrancos suíços\b", "chf"),
        (r"\bdólares\b|\bdolares\b|\bdólar\b|\bdolar\b", "dollars"),
        (r"\blibras(?: esterlinas)?\b", "pounds"),
        (r"\b(?:menos de|abaixo de|inferior a)\b", "under"),
        (r"\b(?:até|ate|no máximo|no maximo|máximo|maximo|máx\.?)(?=\s|\d|$)", "up to"),
        (r"\b(?:mais de|no mínimo|acima de)\b(?=\s*(?:€|\$|brl|usd|\d))", "over"),
        (r"\bentre\b", "between"),
        (r"(?<=\d)(\s*(?:€|euros?|k|thousand|million)?)\s+(?:e|a)\s+(?=\d)", r"\1 to "),
        (
            r"\b(?:uns|umas|cerca de|aproximadamente|aprox\.?|por volta de|mais ou menos|"
            r"em torno de|quase|perto de|na faixa de)(?=\s)",
            "about",
        ),
        (
            r"\b(?:desculpa|desculpe|na verdade|quer dizer|corrigindo|aliás|alias|melhor dizendo|"
            r"ou melhor|errei|ops)\b",
            "actually",
        ),
        (r"\bnão\b(?=\s*(?:€|\$|brl|usd)?\s*\d)|\bnao\b(?=\s*\d)", "not"),
        (r"\bem vez de\b|\bao invés de\b", "instead of"),
        (r"\bsem contar\b", "not counting"),
        (r"\bdo ano passado\b|\bano passado\b", "last year"),
        (r"\bera\b", "was"),
    ),
}

# "une cinquantaine", "una veintena", "uma dezena": about that many.
_ROUND_COUNTS: dict[str, dict[str, int]] = {
    "de": {"dutzend": 12},
    "es": {"decena": 10, "veintena": 20, "treintena": 30, "cuarentena": 40, "centena": 100},
    "fr": {
        "dizaine": 10,
        "douzaine": 12,
        "quinzaine": 15,
        "vingtaine": 20,
        "trentaine": 30,
        "quarantaine": 40,
        "cinquantaine": 50,
        "soixantaine": 60,
        "centaine": 100,
    },
    "pt": {"dezena": 10, "dúzia": 12, "duzia": 12, "vintena": 20, "centena": 100},
}


# "für einen Zweijahresvertrag", "sur trois ans": years of a contract, in words.
_YEAR_COUNTS: dict[str, dict[str, str]] = {
    "de": {"zwei": "2", "drei": "3", "vier": "4", "fünf": "5"},
    "es": {"dos": "2", "tres": "3", "cuatro": "4", "cinco": "5"},
    "fr": {"deux": "2", "trois": "3", "quatre": "4", "cinq": "5"},
    "pt": {"dois": "2", "duas": "2", "três": "3", "tres": "3", "quatro": "4", "cinco": "5"},
}


# Abbreviations that end in a full stop inside an amount ("1,5 Mio. €", "ca. 3.000 €",
# "max. 2.000 €"): the clause goes on after them.
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "de": frozenset({"mio", "mrd", "tsd", "ca", "max", "min", "inkl", "zzgl", "fr", "sfr", "mtl"}),
    "es": frozenset({"aprox", "máx", "max", "mín", "min", "mill", "ca"}),
    "fr": frozenset({"env", "max", "min", "mio", "fr", "md", "mds"}),
    "pt": frozenset({"aprox", "máx", "max", "mín", "min"}),
}


def _compile(
    language: str,
) -> tuple[tuple[re.Pattern[str], Replacement], ...]:
    rounds = _ROUND_COUNTS.get(language, {})
    table: list[tuple[re.Pattern[str], Replacement]] = [
        (re.compile(pattern), words) for pattern, words in (*_HALVES[language], *_COMMON)
    ]
    if rounds:
        names = "|".join(sorted(rounds, key=len, reverse=True))
        table.append(
            (
                re.compile(
                    rf"\b(?:une?|una|uma|ein|einige|ein paar|unas|umas)?\s*({names})s?\b"
                    r"(?:\s+(?:de|d'))?"
                ),
                lambda m: f" about {rounds[m[1]]} ",
            )
        )
    table.append((re.compile(rf"(?<=\d)\s*{_BILLIONS[language]}(?!\w)"), " billion"))
    table.append((re.compile(rf"(?<=\d)\s*{_MILLIONS[language]}(?!\w)"), " million"))
    table.append((re.compile(rf"(?<=\d)\s*{_MULTIPLIERS[language]}(?!\w)"), " thousand"))
    table.extend((re.compile(pattern), words) for pattern, words in GLOSSES[language])
    counts = _YEAR_COUNTS[language]
    table.append(
        (
            re.compile(rf"\b({'|'.join(counts)})(?=[- ]years?\b)"),
            lambda m: counts[m[1]],
        )
    )
    return tuple(table)


_TABLES = {language: _compile(language) for language in GLOSSES}
_THOUSANDS_DOT = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d]|[.,]\d)")
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?!\d)")
_APOSTROPHE = re.compile(r"(?<=\d)['’](?=\d{3}(?!\d))")
_SPACES = re.compile(r"[ \t]{2,}")


def served(language: str) -> bool:
    """Whether ``language`` has a table here (English needs none)."""
    return language in _TABLES


@lru_cache(maxsize=4096)
def gloss(text: str, language: str) -> str:
    """``text`` (cleaned, lower case) in the English words the analysers read; unchanged for
    English and languages without a table."""
    table = _TABLES.get(language)
    if table is None:
        return text
    for pattern, words in table:
        text = pattern.sub(words, text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def as_digits(text: str, language: str) -> str:
    """``text`` after :func:`gloss`, with numbers in words as digits and the language's
    separators as English ones: "sechzigtausend" -> "60000", "60.000" -> "60,000",
    "1,5" -> "1.5", "80'000" -> "80,000"."""
    if language not in _TABLES:
        return text
    converted: str = alpha2digit(text, language)
    converted = _APOSTROPHE.sub(",", converted)
    converted = _THOUSANDS_DOT.sub(lambda m: m.group().replace(".", ","), converted)
    return _DECIMAL_COMMA.sub(r"\1.\2", converted)
