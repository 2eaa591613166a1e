"""The company's name: "I work at Acme", "CTO at Acme Corp", "Acme here", "founder of Acme",
"company is Acme", "a startup called Acme", "We're Acme", "Acme is a ...", or the name alone
in answer to the company question.

A name needs a cue. After "at" it must be written with capitals and follow the speaker or
their title ("I'm the CTO at Globex", not "we're looking at Amplitude"). "Acme here" could
be a person signing off, so a first word that is a common English word ("Jane here") is
not taken for a company; where only capitals mark the name ("We're Acme"), its first word
must be rare in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from wordfreq import zipf_frequency

from agent.models import FieldName
from agent.offline.text import Clause

_QUOTE = "'\"‘’“”"
_NAME = r"['\"‘“]?(?:[A-Z]|\d+[A-Za-z])[\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|&))*['\"’”]?"


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern[str]
    capitals: bool = True  # the name must be written with capital letters
    after_someone: bool = False  # "at X" counts only after the speaker or their title
    could_be_person: bool = False  # "X here" may be a person's name
    rare: bool = False  # the name's first word must be rare in English ("We're Acme")
    answer_only: bool = False  # only in answer to the company question
    first_only: bool = False  # only at the start of the message


_CUES = (
    _Cue(
        re.compile(
            r"(?i:\b(?:the\s+)?(?:company|brand|business|startup|agency|firm|practice|shop|store)"
            r"(?:'s|\s+is|\s+name\s+is|:)(?:\s+called)?|\b(?:called|named)|\b(?:the|our) name is)"
            rf"\s+(?P<name>{_NAME})"
        )
    ),
    _Cue(
        re.compile(
            r"^(?:[\w ]{0,20}:\s*)?(?i:(?:hi|hey|hello|so|well|ok)\W+)?(?i:we(?:'re| are))\s+"
            rf"(?P<name>{_NAME})"
        ),
        rare=True,
    ),
    _Cue(re.compile(rf"^(?P<name>{_NAME})\s+(?i:is\s+an?)\b"), rare=True),
    _Cue(re.compile(rf"^(?P<name>{_NAME})$"), rare=True, answer_only=True),
    _Cue(
        re.compile(
            r"(?i:\bi\s+work\s+(?:at|for|with)|\bi(?:'m| am)\s+(?:at|with)|\bwe(?:'re| are)\s+"
            r"called|\b(?:our|my)\s+(?:company|startup|business|firm|employer)(?:'s| is)"
            r"(?:\s+called)?|\bcompany\s+(?:called|named))\s+(?P<name>[\w&'.-]+(?:\s+[\w&'.-]+){0,2})"
        ),
        capitals=False,
    ),
    _Cue(re.compile(rf"(?i:\bfrom)\s+(?P<name>{_NAME})\s+(?i:here)\b")),
    # "Hello from Amplify Health!", "hi from the team at Lumen"
    _Cue(
        re.compile(
            r"^(?i:(?:hi|hey|hello|hiya|greetings|howdy)\s+from)\s+(?i:the\s+team\s+at\s+)?"
            rf"(?P<name>{_NAME})"
        )
    ),
    _Cue(re.compile(rf"^(?i:at)\s+(?P<name>{_NAME}),?\s+(?i:we)\b")),
    _Cue(
        re.compile(
            r"(?i:\b(?:ceo|cto|coo|cfo|cmo|cpo|founder|co-?founder|owner|president|md|"
            rf"director|head of [a-z]+|vp [a-z]+))\s*[,|@–-]\s*(?P<name>{_NAME})"
        )
    ),
    _Cue(
        re.compile(
            rf"^(?i:(?:hi|hey|hello)\W+)?(?:the\s+)?(?P<name>{_NAME})\s+(?:team\s+)?(?i:here)\b"
        ),
        could_be_person=True,
    ),
    _Cue(re.compile(rf"(?i:\b(?:at|@))\s+(?P<name>{_NAME})"), after_someone=True),
    _Cue(
        re.compile(
            r"(?i:\b(?:(?:co-?)?founder|owner|ceo|cto|coo|cfo|cmo|cpo|president|md|"
            r"managing director|general manager)\s+of)\s+(?:the\s+)?"
            rf"(?P<name>{_NAME})"
        )
    ),
    _Cue(
        re.compile(
            r"(?i:\b(?:i'm|i am|this is|it's|name is))\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?\s+"
            rf"(?i:from|at|with)\s+(?P<name>{_NAME})"
        )
    ),
)
# The answer to the company question that starts with a name, however written: "kirana kart -
# online grocery", "Spoke. bike-share app", "paperplane, 12 of us", "we're Orbit, 19 people".
_ANSWER_NAME = _Cue(
    re.compile(
        r"^(?i:(?:we(?:'re| are)|it's|its|name's|company:?)\s+)?"
        r"(?P<name>[\w&'.-]+(?:\s+[\w&'.-]+){0,3}?)\s*(?P<end>\s[-–—]\s|[,.:;(!]|$)"
    ),
    capitals=False,
    answer_only=True,
    first_only=True,
)
# The cues tried first on every clause, then the others (the answer's name last).
_STRONG_CUES = tuple(c for c in _CUES if not (c.could_be_person or c.rare or c.answer_only))
_WEAK_CUES = tuple(c for c in (*_CUES, _ANSWER_NAME) if c not in _STRONG_CUES)
# "We're Notably, a B2B note-taking app": a description in apposition marks the name,
# however common its word. Read on the clause and the one after it.
_APPOSITION = re.compile(
    r"^(?i:(?:hi|hey|hello|so|well|ok)\W+)?(?i:we(?:'re| are)|(?:we|i) (?:run|own|built|founded|"
    rf"started|make))\s+(?P<name>{_NAME})\s*,\s+(?i:an?|the)\s+\w+"
)
# "our language-learning app, Verbly", "our own online store, ReCell Direct": the name in
# apposition after what the business is.
_NAMED_AFTER = re.compile(
    r"(?i:\bour\s+(?:own\s+)?[\w -]{0,30}?\b(?:app|store|shop|platform|product|brand|site|"
    rf"website|tool|service|startup|business|company))\s*,\s+(?P<name>{_NAME})\s*[.!?]?$"
)
# "we're a digital agency (Brightwire, ~45 people)": the name in brackets after what the
# business is.
_BRACKETED = re.compile(
    r"(?i:\bwe(?:'re| are)\s+(?:a|an)\s+[\w -]{0,40}?|\bwe\s+(?:sell|make|run|build|design|"
    r"roast|brew|bake)\s+[\w -]{0,40}?)\(\s*"
    r"(?P<name>[A-Z][\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|&))*)\s*(?:[,)]|$)"
)
_DESCRIPTIONS = frozenset(
    re.findall(
        r"\S+",
        """
        saas software retail ecommerce e-commerce healthcare fintech agency marketing finance
        insurance logistics education manufacturing media b2b b2c startup company consulting
        tech technology hospitality nonprofit non-profit government travel gaming banking
        online offline small big large medium mid-size midsize enterprise
        """,
    )
)
_RARE_ZIPF = 3.5
_AMOUNT = re.compile(r"^[~≈]?[\d.,]+\s*(?:k|m|mm|bn|b)?$", re.I)  # "2.5k", "~350"
_NOUNS = frozenset({"home", "one", "moment"})
_HEADCOUNT = re.compile(r"\d+\s*(?:ppl|people|employees|staff|ftes?|persons)", re.I)
_CODED = re.compile(r"\w\.\w|\d")  # a dot or a digit inside a word
_LEAD_INS = frozenset({"it's", "its", "name's", "names", "this", "that's", "we're", "called"})
_NOT_AT = re.compile(
    r"\b(?:look(?:ing|ed)?|glanc\w*|star(?:e|ed|ing)|aim(?:ing|ed)?|point(?:ing)?|good|great|bad|"
    r"better|worse|best|arriv\w*|based|located|start(?:ing|ed)?|launch(?:ing|ed)?|years?|months?|"
    r"used to work|formerly|previously|worked|"
    # someone else's company: "we talked to a person at Mixpanel", "a friend at Heap"
    r"someone|somebody|(?:a|one|the) person|people|folks|guys?|friends?|contacts?|reps?|"
    r"salesperson|account exec\w*|(?:their|the) sales team)\s*$",
    re.I,
)
_SOMEONE = re.compile(
    r"\b(?:i(?:'m| am| work| manage| run| lead| head)|here|we|working)\b|"
    r"^\W*[\w-]+(?:\s+[\w-]+){0,3}\s*$|\b(?:head of \w+|director(?: of \w+)?|manager|vp(?: of)? "
    r"\w+|ceo|cto|coo|cfo|cmo|cpo|founder|lead|analyst|engineer|designer|pm|developer|"
    r"scientist|specialist|marketer|associate|coordinator|officer|consultant)\s*$",
    re.I,
)
_STOP = frozenset(
    re.findall(
        r"\S+",
        "a an the my our this that some one home moment least most all it is in on of for with "
        "and or but so here there we i you",
    )
)
_ABBREVIATED = re.compile(r"(?:St|Mt|Ft|Dr)\.")
_SUFFIXES = re.compile(
    r"\b(?:inc|corp|ltd|llc|gmbh|co|plc|labs|group|technologies|ag|sa)\b\.?", re.I
)
_NOT_NAMES = re.compile(
    r"^(?:ceo|cto|cfo|coo|cmo|cpo|vp|head|founder|co-founder|owner|director|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|jan(?:uary)?|feb(?:ruary)?|march|april|may|june|"
    r"july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4]|b2b|b2c|"
    r"d2c|dtc|saas|paas|ecommerce|e-commerce|fintech|healthtech|edtech|insurtech|ai|hi|hey|"
    r"hello|hiya|thanks|thank|cheers|ok|okay|yes|yeah|no|sure|sorry|dear|greetings|bonjour|"
    r"hola|ciao|hallo|g'day|gday|howdy|salut|namaste|aloha|hej|moin|servus|ola|olá|buongiorno|"
    r"morning|evening|afternoon|yo)$",
    re.I,
)


def find_company_name(
    clauses: list[Clause], asking: FieldName | None, *, described: bool = False
) -> tuple[str, Clause] | None:
    """The company name and the clause it was said in, or None.

    A cue that can only mean a company ("CEO of Tidewater Outfitters") anywhere in the
    message wins over one that could be a person or needs a rare word ("Carla here"). With
    ``described`` (the message also gives the company's size or industry), a name opening the
    message counts whatever question was asked ("Maplepay — payments company, 900 people").
    In German, Spanish, French and Portuguese that language's cues are read first ("bei der
    Lagerwerk GmbH", "trabajo en Grupo Norte S.L.", "chez Dupont SAS", "na Solaris Ltda.").
    """
    language = clauses[0].language if clauses else "en"
    if language in _FOREIGN_CUES:
        found = _foreign_company(clauses, asking, language)
        if found is not None:
            return found
        english = _english_company_name(clauses, asking, described=described)
        if english is None or _foreign_tidy(english[0], language) is None:
            return None
        words = english[0].split()
        if zipf_frequency(words[0], language) >= _COMMON_ZIPF and not all(
            w[:1].isupper() for w in words
        ):
            return None  # "Beaucoup s'inscrivent": the sentence's opening words
        if zipf_frequency(words[0], language) >= _FUNCTION_ZIPF:
            return None  # "Zum Wintersemester soll es laufen": German capitals, no name
        if english[1] is clauses[0] and _opens_sentence(english[0], english[1], clauses, language):
            return None  # "Zeitlich: so schnell wie möglich", "Perdona, corrijo: …"
        return english
    return _english_company_name(clauses, asking, described=described)


def _english_company_name(
    clauses: list[Clause], asking: FieldName | None, *, described: bool = False
) -> tuple[str, Clause] | None:
    """The company name as English cues give it ("I work at Acme", "CTO at Acme Corp")."""
    for clause in clauses:
        bracketed = _BRACKETED.search(clause.raw)
        if bracketed is not None and not _NOT_NAMES.match(bracketed["name"]):
            return bracketed["name"], clause
    for clause, following in pairwise(clauses):
        if clause.sentence == following.sentence and following.start >= clause.end:
            joined = clause.raw + ", " + following.raw
            match = _APPOSITION.match(joined) or _NAMED_AFTER.search(joined)
            name = _tidy(match["name"], _CUES[0], asking) if match is not None else None
            if name:
                return name, clause
    for cues in (_STRONG_CUES, _WEAK_CUES):
        for clause in clauses:
            found = _named(clause, clauses, cues, asking, described)
            if found is not None:
                return found, clause
    return None


def _named(
    clause: Clause,
    clauses: list[Clause],
    cues: tuple[_Cue, ...],
    asking: FieldName | None,
    described: bool,
) -> str | None:
    for cue in cues:
        if cue.answer_only and asking != "company" and not (described and cue.first_only):
            continue
        if cue.first_only and clause is not clauses[0]:
            continue
        for match in cue.pattern.finditer(clause.raw):
            before = clause.raw[: match.start()]
            if cue.after_someone and (_NOT_AT.search(before) or not _SOMEONE.search(before)):
                continue
            if cue is _ANSWER_NAME and asking != "company" and match["name"][:1].islower():
                continue  # outside the company answer only a written name: "Maplepay —"
            if cue is _ANSWER_NAME and _label_or_greeting(match["name"], match["end"]):
                continue
            name = _tidy(match["name"], cue, asking)
            if name:
                return name
    return None


def _label_or_greeting(name: str, end: str) -> bool:
    """A common word before a colon or an exclamation mark ("Update on timing:",
    "Timeline:", "Namaste!") heads the message; it does not name the company."""
    first = name.split()[0].strip(".,'" + _QUOTE)
    return end in (":", "!") and zipf_frequency(first, "en") >= _RARE_ZIPF


# A sign-off, the writer's name, then the company and an email, each on its own line.
_SIGN_OFF = re.compile(
    r"^(?:thanks|thank you|cheers|best|regards|best regards|kind regards|warm regards|"
    r"all the best|sincerely|-{2,}|—)\W*$",
    re.I,
)


def signature_company(message: str) -> str | None:
    """The company in an email-like signature: "Thanks, / Daniel Reyes / Orbital Freight
    Software / d.reyes@orbitalfreight.io"."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if _SIGN_OFF.match(line) and index + 2 < len(lines):
            # "Orbital Freight Software", or after a title: "Director of Product, Ridgeway
            # Telematics", "Senior Engineer | Acme", "Head of Data at Acme"
            company = _TITLE_THEN.sub("", lines[index + 2]).strip()
            words = company.split()
            if 1 <= len(words) <= 5 and all(w[:1].isupper() or w == "&" for w in words):
                return company
    return None


_TITLE_THEN = re.compile(r"^[^,|@]{2,60}?(?:\s*[,|@]\s*|\s+at\s+)(?=[A-Z])")


def _tidy(candidate: str, cue: _Cue, asking: FieldName | None) -> str | None:
    words: list[str] = []
    parts = candidate.split()
    while parts and parts[0].lower().replace("’", "'") in _LEAD_INS:
        parts = parts[1:]  # "It's Carver University", "Name's Routewise"
    if len(parts) > 1 and parts[0] == "The" and parts[1][:1].isupper():
        words.append("The")  # "The Harbour Gazette"
        parts = parts[1:]
    for index, word in enumerate(parts):
        bare = word.strip(".,'" + _QUOTE)
        if index + 1 < len(parts) and _ABBREVIATED.fullmatch(word):
            bare = word  # "St. Aldric Health" keeps its dot
        joins = (
            bare in ("&", "of")  # "Hearth & Home", "University of Eastvale"
            and bool(words)
            and words[-1][:1].isupper()
            and index + 1 < len(parts)
            and parts[index + 1][:1].isupper()
        )
        if joins:
            words.append(bare)
            continue
        after_and = bool(words) and words[-1] == "&" and bare[:1].isupper()  # "Hearth & Home"
        # "Helio Home", "Acme One": a capitalised noun after a capitalised name word
        in_title = bare[:1].isupper() and bool(words) and words[-1][:1].isupper()
        stop = bare.lower() in _STOP and not after_and and not (in_title and bare.lower() in _NOUNS)
        numbered = bare[:1].isdigit() and any(ch.isalpha() for ch in bare)  # "42Labs"
        if not bare or stop or (cue.capitals and not (bare[0].isupper() or numbered)):
            break
        common = zipf_frequency(bare, "en") >= 4.5
        # Capitals mark a name's every word ("Bright Harbor Dental"); without that cue a
        # common word ends it.
        title_case = bare[0].isupper() and bool(words) and words[0][0].isupper()
        ends = words and not cue.capitals and not _SUFFIXES.fullmatch(bare) and common
        if ends and not title_case:
            break
        words.append(bare)
    while words and words[-1] == "&":
        words.pop()
    if not words or _AMOUNT.match(words[0]) or _NOT_NAMES.match(words[0]):
        return None
    if _HEADCOUNT.fullmatch(words[0]):  # "50ppl"
        return None
    if cue is _ANSWER_NAME and all(w.lower() in _DESCRIPTIONS for w in words):
        return None
    if cue is _ANSWER_NAME and _described_kind(words, parts):
        return None  # "Plumbing company, 40 employees": what the business is, not its name
    if candidate[:1] in _QUOTE or candidate[-1:] in _QUOTE or _CODED.search(words[0]):
        return " ".join(words)  # "'Anchor'", "Nine.io", "42Labs": plainly a name
    first = zipf_frequency(words[0], "en")
    several = cue.capitals and len(words) > 1
    if not several and first >= (5.5 if words[0][0].isupper() else 3.5):
        return None
    if cue.rare and not several and first >= _RARE_ZIPF:
        return None
    name = " ".join(words)
    if cue.could_be_person and asking != "company" and not _SUFFIXES.search(name) and first >= 4.0:
        return None
    return name


# Words for a kind of business: "plumbing company", "law firm", "design studio".
BUSINESS_KINDS = frozenset(
    re.findall(
        r"\S+",
        "company firm business shop agency studio practice startup store brand retailer "
        "manufacturer distributor consultancy clinic contractor",
    )
)
_WORD_ZIPF = 3.0


def _described_kind(words: list[str], parts: list[str]) -> bool:
    """A single everyday word followed by a kind of business: "Plumbing company", "law
    firm", "design studio"."""
    if len(words) != 1 or len(parts) < 2 or parts[0].strip(".,") != words[0]:
        return False
    kind = parts[1].strip(".,;:!").lower()
    return kind in BUSINESS_KINDS and zipf_frequency(words[0], "en") >= _WORD_ZIPF


# German, Spanish, French and Portuguese. A name is written with capitals; small words join
# its parts ("Vinos del Sur", "Casa do Douro Turismo", "Feirinha em Casa Ltda.") and legal
# forms keep their dots ("Turnia Software S.L.").
_UPPER = "A-ZÀ-ÖØ-Þ"
_FOREIGN_NAME = (
    rf"(?:[{_UPPER}]|\d+[^\W\d_])[\w&'’.+-]*"
    rf"(?:\s+(?:(?:de|del|do|da|dos|das|em|e|y|et|und|&|la|le|les|du|des|von|der|los|las|à)\s+)"
    rf"{{0,2}}[{_UPPER}][\w&'’.+-]*|\s+d['’][{_UPPER}][\w&'’.+-]*)*"
)
# The speaker's title before "of" in each language, other than founder and managing director:
# "CFO de Crédito Norteño", "directeur du numérique de la Banque du Jorat", "Marketingleiterin
# der Alpenrose Hotels", "um dos sócios da Treinaê".
_C_LEVEL = r"c[a-z]o|vp|dsi|daf|drh|dga"
# The person's own name, then where they are from: "hier Jens Albrecht von Kontorix", "aqui é
# a Luana, da Jambu Cosméticos".
_PERSON = rf"[{_UPPER}][\w'’-]+(?:\s+[{_UPPER}][\w'’-]+)?,?"
# What kind of organisation, said in small letters before its name: "no grupo Hotéis Baía
# Azul", "sou do jornal Gazeta do Mondego", "estúdio Maracatu Games".
_KIND = (
    r"(?:grupo|groupe|gruppe|jornal|journal|peri[óo]dico|revista|est[úu]dio|studio|editora|"
    r"verlag|banco|banque|startup|start-up|empresa|entreprise|firma|agência|agencia|agence)"
)
# Groups of companies and bodies that are not companies, said before their name.
_GROUP = (
    r"(?:groupe|grupo|gruppe|association|asociaci[óo]n|associa[çc][ãa]o|verein|"
    r"coop[ée]rative|cooperativa|genossenschaft)"
)
_FOREIGN_CUES: dict[str, tuple[str, ...]] = {
    "de": (
        r"\b(?:(?:mit)?gr(?:ü|ue|u)nder(?:in)?|inhaber(?:in)?|ceo|cto|"
        r"gesch(?:ä|ae|a)ftsf(?:ü|ue|u)hrer(?:in)?|vorstand|prokurist(?:in)?) (?:von|der|des)\s+",
        r"\b(?:(?:die|unsere|meine) )?(?:firma|unternehmen|agentur|praxis|laden|shop|marke)"
        r"(?:name)? (?:hei(?:ss|ß)t|lautet|ist)\s+",
        r"\b(?:wir hei(?:ss|ß)en|firmenname:?|firma:?|unternehmen:|firmierung:?|"
        r"wir firmieren als|ich vertrete (?:die|den|das))\s+",
        # "ich bin im Rechenzentrum der Hochschule Emsland-Süd"
        r"\bich (?:bin|arbeite) (?:im|in der|in dem|beim|bei der) [\w-]+ (?:der|des)\s+",
        rf"\b(?:{_C_LEVEL}|\w*leiter(?:in)?|vorsitzender?|vorstand|mitglied des vorstands)"
        r" (?:von|der|des)\s+",
        rf"\b(?:hier|ich bin|mein name ist) {_PERSON} (?:von|bei)(?: der| dem| den)?\s+",
        rf"\b(?:der|des|dem|vom) {_GROUP}\s+",
    ),
    "es": (
        r"\b(?:co-?fundador(?:a)?|fundador(?:a)?|ceo|cto|due(?:ñ|n)[oa]|soci[oa]|"
        r"director(?:a)? general|gerente general|consejer[oa] delegad[oa]|president[ea]|"
        r"administrador(?:a)? [úu]nic[oa]) de\s+",
        r"\b(?:la|mi|nuestra) (?:empresa|compañ[ií]a|tienda|agencia|marca|startup|cl[ií]nica)"
        r" (?:se llama|es)\s+",
        r"\b(?:nos llamamos|empresa:|trabajo (?:en|para))\s+",
        # "la razón social es Huellitas Pet Shop S.A. de C.V.", "represento a Grupo Norte"
        r"\braz[óo]n social(?: es|:)\s+|\brepresento a\s+(?:la\s+|el\s+)?",
        # "Se llama Clinicanda Health", "le escribo de Hospitales Ribera Sur", "dirijo el
        # equipo de datos de Kuota", "director financiero de Grupo Viajes Alisios"
        r"(?:^|[.;:]\s*)se llama\s+|\b(?:le |te |les )?escribo (?:de|desde)\s+",
        r"\b(?:director(?:a)?|jef[ea]|responsable|gerente|vicepresident[ea]|head|equipo|"
        r"coordinador(?:a)?|"
        r"departamento|[áa]rea|servicio)(?: [\w-]+){0,3} de\s+(?:la\s+|el\s+)?",
        # "CFO de Crédito Norteño", "llevo el marketing de Hoteles Giralda Sur"
        rf"\b(?:{_C_LEVEL}) de\s+",
        r"\bllevo (?:el|la|los|las) [\w-]+(?: [\w-]+){0,2} de\s+",
        rf"\b(?:del|de la|de) {_GROUP}\s+",
    ),
    "fr": (
        r"\b(?:co-?fondat(?:eur|rice)|fondat(?:eur|rice)|pdg|ceo|cto|g[ée]rante?|"
        r"associ[ée]e?|propri[ée]taire|pr[ée]sidente?|directeur g[ée]n[ée]ral|"
        r"directrice g[ée]n[ée]rale) (?:de|d'|d’)\s*",
        r"\b(?:l'|l’|notre |ma |mon )(?:entreprise|soci[ée]t[ée]|bo[iî]te|agence|marque|"
        r"startup|start-up|magasin|boutique) (?:s'appelle|s’appelle|est|se nomme)\s+",
        r"\b(?:on s'appelle|on s’appelle|nous nous appelons|chez|entreprise :?|soci[ée]t[ée] :?)"
        r"\s+",
        # "directeur du numérique de la Banque du Jorat", "DAF des Cartonneries Dufresne",
        # "community manager de Wax & Co", "je travaille à la Haute École de la Vesdre"
        rf"\b(?:{_C_LEVEL}|dg|pdg|directeur|directrice|responsable|chef|cheffe|manager|"
        r"administrat(?:eur|rice)|coordinat(?:eur|rice))(?: [\w-]+){0,3} "
        r"(?:de la |de l'|de l’|du |des |de |d'|d’)",
        r"\bje travaille (?:à|pour) (?:la |le |l'|l’)?",
        r"\bje repr[ée]sente (?:la |le |l'|l’)?|\braison sociale(?: est|\s?:)\s+",
        # "adjointe RH du groupe Brasseries du Rhône", "présidente de l'association Les Paniers"
        rf"\b(?:du |de la |de l'|de l’|des |de ){_GROUP}\s+",
    ),
    "pt": (
        r"\b(?:co-?fundador(?:a)?|fundador(?:a)?|ceo|cto|don[oa]|s[óo]ci[oa]|"
        r"diretor(?:a)? geral|presidente|s[óo]ci[oa]-gerente) (?:da|do|de)\s+",
        r"\b(?:a|minha|nossa) (?:empresa|loja|ag[êe]ncia|marca|startup|cl[íi]nica) "
        r"(?:se chama|chama-se|[ée])\s+",
        r"\b(?:trabalho (?:na|no|para a|para o|em)|empresa:)\s+",
        # "Represento o Grupo Hospitalar Atlântico", "a razão social é Solaris Ltda."
        r"\brepresento (?:a|o)\s+|\braz[ãa]o social(?: [ée]|:)\s+",
        # "Somos a Moda Atlântico", "Aqui é da Pagali", "Chamamo-nos Faturix", "head de
        # dados da Diarista Já", "diretor de e-commerce da Lar Brasil Móveis"
        r"\b(?:somos (?:a|o)|aqui [ée] d[ao]|chamamo-nos|chamamos-nos|nos chamamos|"
        r"chama-se|se chama)\s+",
        r"\b(?:diretor(?:a)?|head|gerente|coordenador(?:a)?|respons[áa]vel|chefe|equipe|"
        r"equipa|time|[áa]rea|servi[çc]os?|departamento|setor)(?: [\w-]+){0,6} d[ao]\s+",
        # "CFO da Pagali", "um dos sócios da Treinaê", "aqui é a Luana, da Jambu Cosméticos",
        # "sou do jornal Gazeta do Mondego"
        rf"\b(?:{_C_LEVEL}|(?:um|uma) d[oa]s s[óo]ci[oa]s) d[ao]\s+",
        rf"\b(?:aqui [ée] (?:a|o)|sou (?:a|o)) {_PERSON} d[ao]\s+",
        rf"\bsou d[ao] {_KIND}\s+",
        rf"\b(?:do|da|de) {_GROUP}\s+",
    ),
}
# "bei", "en", "na": the speaker's company only after the speaker, their title or their
# headcount ("Ich bin Head of Product bei Klarfeld", "Somos 18 en Clic Mediterráneo").
_AT_WORDS = {"de": r"bei(?: der| dem| den)?", "es": r"en", "fr": r"chez", "pt": r"n[ao]"}
_SPEAKER = {
    "de": (
        r"\b(?:ich|bin|arbeite\w*|leite\w*|sind \d+|\d+ (?:leute|mitarbeit\w*|personen|"
        r"besch(?:a|ä)ftigte)|pm|cto|ceo|head of \w+|\w*leiter\w*|gr(?:u|ü)nder\w*|inhaber\w*)\b"
    ),
    "es": (
        r"\b(?:soy|trabajo|somos(?: unos| como)? \d+|\d+ (?:empleados|personas|trabajadores)|pm|"
        r"cto|ceo|head of \w+|director\w*|jef[ea]\w*|gerente|fundador\w*|analista|"
        r"ingenier[oa]|desarrollador\w*|diseñador\w*|coordinador\w*|responsable)\b"
    ),
    "fr": r".",
    "pt": (
        r"\b(?:sou|trabalho|somos(?: uns| cerca de)? \d+|\d+ (?:funcion(?:a|á)rios|pessoas|"
        r"colaboradores)|pm|cto|ceo|head of \w+|diretor\w*|gerente|fundador\w*|analista|"
        r"engenheir[oa]|designer|desenvolvedor\w*|coordenador\w*|respons[áa]vel)\b"
    ),
}
_PAST = re.compile(
    r"\b(?:war|früher|frueher|ehemals|vorher|era|antes|trabajaba|j'[ée]tais|avant|"
    r"anciennement|trabalhava|gearbeitet|trabaj[ée]|estuve|bossé|travaillé|trabalhei|"
    r"estive)\b",
    re.I,
)
# "somos 15 personas, Vinos del Sur", "On est 9, Octet Malin": the name after the speaker's
# headcount in the same sentence.
_WE_ARE = {
    "de": r"^(?:wir sind|sind wir)\b",
    "es": r"^(?:somos)\b",
    "fr": r"^(?:on est|nous sommes)\b",
    "pt": r"^(?:somos)\b",
}
# Answering the company question: "Alpbank Digital AG in Zürich, eine digitale Bank".
# "Nom : Papeteries Roussel Pro", "estúdio Maracatu Games", "« Smashlib »".
_ANSWER_LEAD = re.compile(
    r"^(?:(?:wir sind|firma|das ist|somos|es|empresa|c'est|nous sommes|on est|soci[ée]t[ée]|"
    rf"é|a empresa [ée]|nom|nome|nombre|name|(?-i:{_KIND}))\s*:?\s+)?[«“\"‘'\s]*",
    re.I,
)
_GREETINGS = frozenset(
    re.findall(
        r"\S+",
        """
        hallo hi hey moin servus grüezi gruezi grüß gruss guten tag morgen abend liebe lieber
        hola buenas buenos buen saludos holi qué que tal bonjour bonsoir salut coucou
        allô allo olá ola oi boa boas bom bem tudo e aí ei hoi huhu grüessech kaixo eae
        """,
    )
)
_MONTHS_AND_DAYS = frozenset(
    re.findall(
        r"\S+",
        """
        januar jänner februar märz april mai juni juli august september oktober november
        dezember montag dienstag mittwoch donnerstag freitag samstag sonntag ostern pfingsten
        weihnachten enero febrero marzo abril mayo junio julio agosto septiembre octubre
        noviembre diciembre lunes martes miércoles jueves viernes sábado domingo janvier
        février mars avril juin juillet août septembre octobre novembre décembre lundi mardi
        mercredi jeudi vendredi samedi dimanche janeiro fevereiro março maio junho julho
        setembro outubro novembro dezembro segunda terça quarta quinta sexta sábado
        """,
    )
)
_LEGAL = re.compile(
    r"^(?:s\.?l\.?u?|s\.?a\.?s?|s\.?a\.?r\.?l|ltda|lda|eirl|gmbh|ag|kg|ohg|ug|e\.?v|sas|sarl|"
    r"sasu|eurl|s\.?c|cía|cia|me|epp|inc|ltd|llc)\.?$",
    re.I,
)
_COMMON_ZIPF = 4.2
"""Zipf frequency in the conversation's language from which a single word ("Bedarf",
"Valencia", "Beaucoup") is a word of the sentence rather than a company's name."""
_WE_WORDS = frozenset({"somos", "wir", "sind", "nous", "sommes"})
_FUNCTION_ZIPF = 6.0
"""From here a word is one of the language's function words ("zum", "wir", "nous", "la"):
a capitalised run that starts with one, found by English cues, is a sentence's opening."""
# "Somos Presto, una app", "Wir sind Hausfuchs, ein Online-Marktplatz": the name said with
# "we are" and what it is beside it.
# A word of passing ("übrigens", "por cierto") or an article may come between ("Wir sind
# übrigens Belegfix, 35 Leute", "Wir sind die Kletterfreunde Allgäu, ein Verein"), and where
# it is from may follow the name ("Wir sind Röstwerk Aare aus Bern, eine Kaffeerösterei",
# "wir sind Lernwolke aus Basel"). "Wir betreiben Kraftakt, eine Kette": what a business
# runs, with what it is beside it.
_WE_ARE_NAMED = (
    r"\b(?:(?i:wir sind|somos|nous sommes|on est)"
    r"(?:\s+(?i:übrigens|also|hier|nämlich|por cierto|d'ailleurs|aliás))?"
    r"(?:\s+(?:die|der|das|la|el|los|las|les|le))?\s+(?P<name>{name})"
    r"(?=(?:\s+(?i:aus|in|de|em|à|en)\s+[{upper}][\w-]*)?"
    r"(?:,\s+(?i:ein|eine|einer|einem|ne|un|una|une|um|uma)\b|,\s+(?:ca\.?\s+)?\d|"
    # "Somos Surtimed, proveedores de material médico", "Somos Ramo+ (ramomas.cl), una"
    r",\s+[a-zà-ÿ]|\s*\()|"
    r"\s+(?i:aus|in|de|em|à|en)\s+[{upper}][\w-]*\s*(?:[.!,;]|$))"
    r"|(?i:wir betreiben|ich betreibe|wir führen|ich führe|tenemos|temos|on édite|on edite|"
    r"nous éditons|editamos|wir entwickeln)\s+(?P<run>{name})"
    r"(?=,\s+(?i:ein|eine|einer|einem|un|una|une|um|uma)\b))"
)
# "tengo una panadería en Puebla, La Espiga de Oro, y vendemos…", "Tenho uma loja online de
# conservas portuguesas, a Lata Fina.", "Ich habe eine kleine Weinhandlung …, Rebstock & Fass
# heisst sie": the name in apposition after the business the speaker has.
_HAVE_NAMED = re.compile(
    r"\b(?i:tengo|tenemos|tenho|temos|a gente tem|ich habe|wir haben|j'ai|on a|nous avons|"
    r"mont[ée]|montamos|montei|abr[ií]|abrimos|fund[ée]|fundamos|lanc[ée]|lanzamos|"
    r"j'ai (?:mont[ée]|cr[ée]{2}|lanc[ée])|on a (?:mont[ée]|cr[ée]{2}|lanc[ée])|"
    r"je tiens|on tient|nous tenons|ich habe (?:\w+ )?gegr(?:ü|ue)ndet|on est|nous sommes|"
    r"somos|wir sind)\s+"
    r"(?i:un|una|um|uma|ein|eine|einen|une)\s+[^,.;:!?()]{2,80}?,\s+"
    rf"(?:(?:a|o|die|der|das|le|les)\s+)?[«“\"]?\s*(?P<name>{_FOREIGN_NAME})\s*[»”\"]?"
    r"(?=\s*(?:[,.;:!]|$)|\s+hei(?:ß|ss)t\b)"
)
# "A MesaPronta tem 9 pessoas", "Huellitas tiene 12 empleados", "Die Nordwerk GmbH hat rund
# 80 Mitarbeitende", "Orbitae compte 350 salariés": the company as the subject of its
# headcount, at the start of a sentence.
_HEADCOUNT_OF = re.compile(
    r"(?:^|[.;:!?]\s+)(?:(?i:a|o|la|el|le|l'|l’|die|der|das)\s+)?"
    rf"(?P<name>{_FOREIGN_NAME})\s+"
    r"(?i:tem|possui|emprega|conta com|tiene|cuenta con|emplea|hat|besch(?:ä|ae)ftigt|z(?:ä|ae)hlt|"
    r"compte|emploie|regroupe|a)\s+"
    r"(?i:(?:cerca de|uns|umas|mais de|quase|unos|unas|alrededor de|casi|m[áa]s de|rund|etwa|"
    r"ca\.|über|ueber|knapp|environ|pr[èe]s de|plus de|presque)\s+)?"
    r"\d[\d.,'’ ]*\s*(?i:pessoas|funcion[áa]rios|colaborador(?:es|as)|empleados|personas|"
    r"trabajadores|mitarbeit\w*|leute|personen|besch(?:ä|ae)ftigte|salari[ée]s|personnes|"
    r"employ[ée]s|collaborat(?:eurs|rices))\b"
)
# "On a une boutique en ligne à Québec (Sentier Boréal)", "Nous sommes une ESN (Orbitae, 350
# personnes)": the name in brackets after the speaker says what the business is.
_FOREIGN_BRACKETED = re.compile(
    r"(?i:\b(?:on|nous|notre|nos|je|j'ai|wir|unser\w*|ich|somos|tenemos|nuestr[ao]s?|mi|yo|"
    r"nós|nos|a gente|noss[ao]s?|temos|tenho|minha|meu)\b)[^()]{0,120}?\("
    rf"\s*[«“\"]?\s*(?P<name>{_FOREIGN_NAME})\s*[»”\"]?\s*(?=[,)]|$)"
)
# What brackets hold that is no name: kinds of business, legal forms, currencies.
_NOT_BRACKETED = re.compile(
    r"^(?:saas|b2b|b2c|b2b2c|ht|ttc|ca|pme|tpe|eti|esn|ong|ngo|crm|erp|api|ios|android|cdi|cdd|"
    r"rh|hr|it|ti|ia|ai|kpi|seo|sea|ux|ui|mvp|poc|pdf|eur|usd|chf|cad|brl|mxn|gmbh|ag|sa|sl|"
    r"ltda|sarl|sas|srl|spa|bv|nv|inc|ltd|llc)$",
    re.I,
)
# "Hüttenglück heisst die App": German names the thing first.
_NAMED_FIRST = re.compile(
    rf"(?P<name>{_FOREIGN_NAME})\s+hei(?:ß|ss)t\s+(?:sie|er|es|die|der|das|unsere?)\b"
)
# "75 empleados y un almacén en Burgos", "4.500 colaboradores en Perú y Bolivia": after
# people or premises, Spanish "en" says where, not for whom ("30 Leute bei Lernbar" and
# "200 funcionários na Aulaviva" say for whom).
_WHERE = re.compile(
    r"\b(?:empleados|personas|colaborador(?:es|as)|trabajador(?:es|as)|almac[eé]n(?:es)?|"
    r"oficinas?|sedes?|tiendas?)\s*$",
    re.I,
)


# Departments, not companies: "gerente de RRHH", "responsable IT".
_DEPARTMENTS = re.compile(r"^(?:rrhh|rh|hr|ti|it|tic|bi|qa|ux|ui|i\+d|r&d|p&d)$", re.I)
# A name written like no word: an inner capital or a sign ("PagoLibre", "Consiga+").
_NAME_SHAPED = re.compile(r"\w[A-Z]|[+&]")


def _foreign_tidy(candidate: str, language: str, *, cued: bool = False) -> str | None:
    """The name without trailing punctuation and small words, or None when it is a word of
    the sentence. With ``cued`` it followed a cue inside a sentence ("na Bairro Verde"), where
    capitals mark a name even of everyday words (German writes every noun with one)."""
    words = candidate.split()
    if language != "pt" and "à" in words:
        # Portuguese names hold it ("Feito à Mão Brasil"); French says where ("à Toulouse").
        words = words[: words.index("à")]
    while words and not _LEGAL.match(words[-1]) and words[-1].rstrip(".,;:!?»") != words[-1]:
        words[-1] = words[-1].rstrip(".,;:!?»")
        if not words[-1]:
            words.pop()
    while words and words[-1].lower() in {"de", "del", "do", "da", "em", "e", "y", "et", "und"}:
        words.pop()
    while words and words[0].lower() in _WE_WORDS:
        words.pop(0)
    if not words:
        return None
    first = words[0].lower().strip("'’")
    if first in _GREETINGS or first in _MONTHS_AND_DAYS or _NOT_NAMES.match(first):
        return None
    if _DEPARTMENTS.match(first):
        return None
    if language == "de" and len(words) > 1 and zipf_frequency(first, language) >= _FUNCTION_ZIPF:
        # German writes every noun with a capital: "Die Hochschule hat 1.800 Beschäftigte",
        # "Eine Deadline gibt es nicht" (French and Spanish names do start "La", "El").
        return None
    shaped = len(words) == 1 and _NAME_SHAPED.search(words[0]) is not None
    if len(words) == 1 and not shaped and zipf_frequency(words[0], language) >= _COMMON_ZIPF:
        return None
    everyday = all(zipf_frequency(w, language) >= 5.0 for w in words)
    if everyday and not (cued and len(words) > 1 and language != "de"):
        return None  # "Die Kunden", "Muchas Gracias": words of the sentence
    return " ".join(words)


def _foreign_company(
    clauses: list[Clause], asking: FieldName | None, language: str
) -> tuple[str, Clause] | None:
    found = (
        _cued_company(clauses, language)
        or _named_beside(clauses, language)
        or _subject_of_headcount(clauses, language)
    )
    if found is not None:
        return _with_legal_form(*found, clauses)
    if asking == "company" and clauses:
        answered = _answered_company(clauses, language)
        if answered is not None:
            return answered
    return _signed_with_contact(clauses, language)


def _subject_of_headcount(clauses: list[Clause], language: str) -> tuple[str, Clause] | None:
    """The company that opens a sentence saying how many people it has."""
    for clause in clauses:
        for match in _HEADCOUNT_OF.finditer(clause.raw):
            tidy = _foreign_tidy(match["name"], language)
            if tidy is None:
                continue
            words = tidy.split()
            if _OWNED.match(words[0]):
                continue  # "Unser Marketing hat 12 Leute": a team, not a company
            if len(words) == 1 and zipf_frequency(words[0], "en") >= _COMMON_ZIPF:
                continue  # "Marketing tiene 5 personas": a department
            return tidy, clause
    return None


_OWNED = re.compile(
    r"^(?:unser\w*|mein\w*|mi|mis|nuestr[oa]s?|notre|nos|mon|ma|mes|noss[oa]s?|meu|minha)$",
    re.I,
)


# A legal form said after a comma: "Hoteles Mediterráneo, S.A.", "Vinhos do Sul, Lda.".
_LEGAL_AFTER = re.compile(
    r"^\s*(?P<form>(?:[A-Z]\.){1,3}(?:\s*(?:de\s+)?(?:[A-Z]\.){1,3})*|"
    r"S\.?A\.?S?\.?|S\.?L\.?U?\.?|Lda\.?|Ltda\.?|GmbH|AG|SARL|SAS)\s*$"
)


def _with_legal_form(name: str, clause: Clause, clauses: list[Clause]) -> tuple[str, Clause]:
    """The name with its legal form when the clause after it holds only that form."""
    at = clauses.index(clause) if clause in clauses else -1
    following = clauses[at + 1] if 0 <= at < len(clauses) - 1 else None
    if following is None or not clause.raw.rstrip().endswith(name.split()[-1]):
        return name, clause
    form = _LEGAL_AFTER.match(following.raw)
    return (f"{name}, {form['form'].strip()}", clause) if form else (name, clause)


# A capitalised word just before: the cue word is part of a name ("Érablière Chez Ti-Jean").
_INSIDE_A_NAME = re.compile(rf"[{_UPPER}][\w'’-]*\s+$")


def _cue_inside_a_name(clause: Clause, match: re.Match[str]) -> bool:
    """Whether a capitalised "Chez" follows a capitalised word: part of a name, no cue."""
    return (
        match.group()[:1] == "C" and _INSIDE_A_NAME.search(clause.raw[: match.start()]) is not None
    )


def _cued_company(clauses: list[Clause], language: str) -> tuple[str, Clause] | None:
    """A name after a cue: "CEO de Presto", "bei der Lagerwerk GmbH", "na Solaris Ltda."."""
    name = re.compile(_FOREIGN_NAME)
    cues = [
        re.compile(rf"(?i:{cue})(?:[«“\"]\s*)?(?P<name>{_FOREIGN_NAME})")
        for cue in _FOREIGN_CUES[language]
    ]
    at = re.compile(rf"\b(?i:{_AT_WORDS[language]})\s+(?:{_KIND}\s+)?(?P<name>{_FOREIGN_NAME})")
    speaker = re.compile(_SPEAKER[language], re.I)
    for clause in clauses:
        for cue in cues:
            since = 0
            for match in cue.finditer(clause.raw):
                before, since = clause.raw[since : match.start()], match.end()
                if _PAST.search(before):
                    continue  # "j'ai bossé 4 ans chez Amplitude": a former employer
                if _cue_inside_a_name(clause, match):
                    continue  # "Érablière Chez Ti-Jean": "Chez" inside the name
                found = name.match(match["name"])
                tidy = _foreign_tidy(found.group(), language, cued=True) if found else None
                if tidy:
                    return tidy, clause
        since = 0
        for match in at.finditer(clause.raw):
            before, since = clause.raw[since : match.start()], match.end()
            # "ich war früher bei Mixpanel, jetzt leite ich das Team bei Nordlicht Mode"
            if (
                speaker.search(before) is None
                or _PAST.search(before) is not None
                or (language == "es" and _WHERE.search(before))
                or _cue_inside_a_name(clause, match)
            ):
                continue
            tidy = _foreign_tidy(match["name"], language, cued=True)
            if tidy:
                return tidy, clause
    return None


def _bracketed_name(clauses: list[Clause], joined: str, language: str) -> tuple[str, Clause] | None:
    """The name in brackets after the speaker says what their business is, unless it is a
    kind of business, a legal form or a word of the language alone (a place: "(Lyon)")."""
    for match in _FOREIGN_BRACKETED.finditer(joined):
        said = match["name"]
        words = said.split()
        if _NOT_BRACKETED.match(words[0].strip(".,")):
            continue
        if len(words) == 1 and zipf_frequency(said.lower(), language) >= _BRACKET_WORD_ZIPF:
            continue
        tidy = _foreign_tidy(said, language, cued=True)
        clause = next((c for c in clauses if said in c.raw), None)
        if tidy and clause is not None:
            return tidy, clause
    return None


# A word this frequent alone in brackets is a place or a word, not a name ("(Lyon)").
_BRACKET_WORD_ZIPF = 3.0


def _named_beside(clauses: list[Clause], language: str) -> tuple[str, Clause] | None:
    """A name said with "we are" or beside what the business is: "Somos Presto, una app",
    "tengo una panadería, La Espiga de Oro", "Hüttenglück heisst die App", "somos 15
    personas, Vinos del Sur"."""
    we_are_named = re.compile(_WE_ARE_NAMED.format(name=_FOREIGN_NAME, upper=_UPPER))
    joined = " ".join(clause.raw + "," for clause in clauses)
    for pattern in (we_are_named, _HAVE_NAMED, _NAMED_FIRST):
        for match in pattern.finditer(joined):
            said = match["name"] or match.groupdict().get("run") or ""
            if pattern is _HAVE_NAMED and _LISTED.search(said):
                continue  # "una tienda en Madrid, Barcelona y Valencia": places, not a name
            tidy = _foreign_tidy(said, language)
            clause = next((c for c in clauses if said in c.raw), None)
            if tidy and clause is not None:
                return tidy, clause
    bracketed = _bracketed_name(clauses, joined, language)
    if bracketed is not None:
        return bracketed
    we_are = re.compile(_WE_ARE[language], re.I)
    for previous, clause in pairwise(clauses):
        if (
            previous.sentence == clause.sentence
            and we_are.search(previous.raw)
            and re.search(r"\d", previous.raw)
            # "130 collaborateurs entre Abidjan, Dakar et Douala": a list of places
            and not previous.raw.split()[-1][:1].isupper()
        ):
            found = re.fullmatch(rf"{_FOREIGN_NAME}\W*", clause.raw)
            tidy = _foreign_tidy(clause.raw, language) if found else None
            if tidy:
                return tidy, clause
    return None


_LISTED = re.compile(r"\s(?:y|e|et|und)\s")


def _answered_company(clauses: list[Clause], language: str) -> tuple[str, Clause] | None:
    """The name that opens the answer to the company question: "Alpbank Digital AG in
    Zürich", "Nom : Papeteries Roussel Pro, 45 salariés", "« Smashlib », …"."""
    name = re.compile(_FOREIGN_NAME)
    first = clauses[0]
    lead = _ANSWER_LEAD.match(first.raw)
    rest = first.raw[lead.end() if lead else 0 :]
    found = name.match(rest)
    if found is not None and rest[found.end() :].lstrip().startswith(":"):
        return None  # "Budget: 4.000 € monatlich": a label, not a name
    if found is None or _opens_sentence(found.group(), first, clauses, language):
        return None
    tidy = _foreign_tidy(found.group(), language)
    if tidy:
        return tidy, first
    following = clauses[1] if len(clauses) > 1 else None
    if (
        found.group() == rest
        and following is not None
        and following.sentence == first.sentence
        and _APPOSED.match(following.raw)
        and _foreign_tidy(found.group() + " X", language)
    ):
        return found.group(), first  # "Tournée, une appli de planification"
    return None


_SENTENCE_WORD_ZIPF = 2.0
"""Zipf frequency in the conversation's language from which a word is one of its words."""
_ALONE_WORD_ZIPF = 3.0
"""From here a word alone before a comma ("Perdona, corrijo: …") is the sentence's."""
_IS = re.compile(r"^(?:ist|sind|hei(?:ß|ss)t|é|es|est|son|são|sont)$", re.I)
_PLACE_WORD = re.compile(r"^(?:aus|in|im|de|en|em|à|a|da|do|na|no|mit|con|com|avec)$", re.I)
# Where the company sits, in apposition after its name: "bureau de Paris", "oficina de
# Madrid", "Büro Hamburg", "sede em Lisboa", "à Lyon".
_PREMISES = re.compile(
    r"(?:bureau|bureaux|agence|si[eè]ge|filiale|oficina|oficinas|sede|sucursal|filial|"
    r"escrit[oó]rio|b[uü]ro|niederlassung|standort|zentrale|[àa]|en|em|in|aus)\b",
    re.I,
)


def _opens_sentence(name: str, clause: Clause, clauses: list[Clause], language: str) -> bool:
    """Whether a word of the language opens the message as its sentence does, rather than
    naming the company: a label ("Zeitlich: so schnell wie möglich", "Corrigindo: …"), a
    word followed by the sentence's small words ("Prisa ninguna", "Gostávamos de ter"), or
    an everyday word alone before a comma with nothing said about a company ("Perdona,
    corrijo: …")."""
    words = name.split()
    at = clause.raw.find(words[0])
    if at < 0 or zipf_frequency(words[0], language) < _SENTENCE_WORD_ZIPF:
        return False
    if any(w[:1].islower() and not _PLACE_WORD.match(w) for w in words[1:]):
        return True  # "Prisa ninguna"
    after = clause.raw[at + len(name) :].strip()
    if after.startswith(":"):
        return True
    following = after.split()
    if following and _IS.match(following[0]):
        return False  # "Banco Farol é um banco digital": the name, then what it is
    if following and _PLACE_WORD.match(following[0]):
        following = following[1:]  # "Lata Fina em Lisboa": where it is
    if following and following[0][:1].islower():
        return True
    alone = not after and len(words) == 1 and len(clauses) > 1
    described = any(_DESCRIBED.search(c.raw) for c in clauses[1:])
    # "Amplitude, bureau de Paris": the name, then which of its offices.
    described = described or (
        len(clauses) > 1 and _PREMISES.match(clauses[1].raw.strip()) is not None
    )
    return alone and not described and zipf_frequency(words[0], language) >= _ALONE_WORD_ZIPF


# What an answer about the company goes on to say: how many people, what it is.
_DESCRIBED = re.compile(r"\d|\b(?:un|una|une|um|uma|ein|eine)\b", re.I)


# What a name in apposition is: "Tournée, une appli de planification", "Lernbar, einer
# Sprachlern-App".
_APPOSED = re.compile(r"^(?:un|une|una|uno|um|uma|ein|eine|einer|eines)\s+\w", re.I)
_CONTACT = re.compile(r"@|\b(?:contact[oe]?|contato|kontakt|e-?mail|mail|courriel|correo)\b", re.I)


def _signed_with_contact(clauses: list[Clause], language: str) -> tuple[str, Clause] | None:
    """A message that opens with an organisation's name and goes on to the contact:
    "Groupe Santé Horizon, contact : dsi@…", "Grupo Hospitalario Levante. Contacto: …".
    A person's name is two names; an organisation's is longer, with everyday words in it,
    or ends in its legal form."""
    if len(clauses) < 2 or not _CONTACT.search(clauses[1].raw):
        return None
    found = re.fullmatch(_FOREIGN_NAME, clauses[0].raw)
    if found is None:
        return None
    words = clauses[0].raw.split()
    tidy = _foreign_tidy(clauses[0].raw, language)
    everyday = any(zipf_frequency(w, language) >= _EVERYDAY_IN_NAME for w in words)
    if tidy is None or not ((everyday and len(words) >= 3) or _LEGAL.match(words[-1])):
        return None  # "Lucía Pérez, correo: …" is the person
    return tidy, clauses[0]


_EVERYDAY_IN_NAME = 4.0
