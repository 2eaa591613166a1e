"""Requests to talk to a person: "can I talk to a human", "book a demo", "talk to sales"."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from agent.offline.text import Clause, sentences, span

_ASK = re.compile(
    r"\b(?:(?:talk|speak|chat|get in touch|connect)\s+(?:to|with)\s+(?:a |an |some |your |the "
    r"|one of your )?(?:real |actual |live )?(?:person|human|someone|somebody|people|rep|"
    r"representative|sales(?:person| team| rep)?|agent|team|member of (?:your|the) team|account "
    r"(?:exec|executive|manager))|(?:real|actual|live) (?:person|human)|human(?:,)? please|"
    r"(?:book|schedule|set up|arrange|get|see|request|want|have) (?:a |an )?(?:quick )?(?:demo|"
    r"call|meeting)|(?:hop|jump) on a call|(?:can|could) (?:someone|somebody|you|a person) "
    r"(?:call|contact|reach|email) me|have (?:someone|somebody|sales) (?:call|contact|reach)|"
    r"contact sales|call me|transfer me|(?:is there|are there) (?:a |any )?"
    r"(?:human|person|people)|(?:give|get) me a (?:call|ring|demo)|(?:someone|somebody|a person|"
    r"a human|a rep|one of you) (?:from|on|in) (?:your|the) (?:sales )?team|(?:talk|speak|chat) "
    r"(?:to|with) (?:\w+ ){1,3}(?:sales|salespeople|sales people|person|human|rep|reps)|"
    r"(?:sales|demo|discovery|intro) call|(?:a |an )?(?:human|person|rep|salesperson|real person) "
    r"(?:jump|step|hop|chime) in|(?:get|give|send|find) me (?:a |an )?(?:rep|salesperson|human|"
    r"person|sales ?rep)|(?:ring|phone|call) me\b|(?:someone|somebody|a rep|sales) "
    r"(?:to |could |can |would )?(?:ring|phone|call) me|loop in (?:a |an |your |someone)|"
    r"put me in touch|(?:book|grab|get|have|schedule) "
    r"(?:some |\d+ minutes |a few minutes |half an hour |time )?(?:time )?"
    r"with (?:your |someone|somebody|a |the |whoever|one of)|(?:hop|jump|get) on a (?:quick )?"
    r"(?:call|zoom|teams call|google meet|meet)|(?:minutes|time) for a (?:quick |short )?(?:\w+ )?"
    r"call|(?:talk|speak) (?:this |it )?(?:through )?(?:on the phone|by phone|over the phone)|"
    r"on the phone with (?:someone|somebody|a person)"
    r"|who(?:'s| is) the (?:right|best) person (?:on|in) your (?:\w+ )?team|"
    r"(?:grab|book|get|find|put) (?:\d+ (?:minutes|mins)|a (?:slot|few minutes)|some time|time|"
    r"half an hour) (?:on|in) (?:someone's|somebody's|your|a rep's) (?:calendar|diary|agenda))\b"
)
_NEGATED = re.compile(r"\b(?:no|not|don't|do not|no need to|never|without)\s+(?:\w+\s+){0,3}$")
# A call they would rather not have: "do I have to go through a sales call? I'd rather avoid
# one".
_UNWANTED = re.compile(
    r"\b(?:avoid|skip|without|no need for|(?:don't|do not) want|have to (?:go through|get on|"
    r"jump on|book))\b"
)
# Someone else who wants a person: "our patients keep saying they want to talk to a human".
_THEIRS = re.compile(
    r"\b(?:patients|customers|users|clients|members|students|people|they|guests|shoppers|"
    r"players|visitors|buyers)\b[^.]{0,30}\b(?:want|wants|ask|asks|asking|say|saying|keep|"
    r"need|needs|prefer|expect)\b"
)
# The shape of a request, whatever its words: a way of asking, a person, a way of talking.
_PERSON = (
    r"(?:a |an |the |some |one of (?:your|the|ur) |your |ur |a member of (?:your|the) )?"
    r"(?:real |actual |live )?(?:person|human|some ?one|some ?body|any ?one|any ?body|reps?|"
    r"representatives?|sales ?(?:reps?|person|people|team|guys?|folks?)?|salesperson|account "
    r"(?:execs?|executives?|managers?)|team|people|experts?|specialists?|recruiters?|whoever "
    r"(?:handles|is in charge of|looks after|runs))(?: (?:from|on) (?:your|ur|the)(?: \w+)? "
    r"(?:side|team|end))?"
)
_TALK = (
    r"(?:talk|speak|speek|chat|call|ring|phone|reach (?:out|me|us)|contact|get in touch|walk "
    r"(?:me|us) through|show (?:me|us)|meet|go over|go through|hop on|jump on|demo|ping (?:me|us)|"
    r"take over|get back to (?:me|us)|follow up)"
)
_WITH = r"(?:with|to|w/|w)"
_REQUEST = re.compile(
    rf"\b(?:(?:can|could|may|might) (?:i|we) (?:please )?(?:talk|speak|chat|meet|get|have|hop|"
    rf"jump)\b(?: \w+){{0,3}} (?:to |with )?{_PERSON}|(?:can|could|would|will) {_PERSON} "
    rf"(?:please )?(?:\w+ )?{_TALK}|is there {_PERSON} (?:i|we) (?:could|can) (?:talk|speak|"
    rf"chat|have)|have {_PERSON} (?:\w+ ){{0,2}}(?:reach out|call|contact|email|get in touch|"
    rf"ping)|(?:i'd|i would|we'd|we would) (?:like|prefer|rather|love) to {_TALK}(?: \w+){{0,3}} "
    rf"(?:with|to) {_PERSON}|(?:can|could|would|will) you (?:please )?(?:connect|conect|put|pass|"
    rf"transfer|send|make) (?:me |us )?(?:in touch |a connection |through )?(?:{_WITH} )?"
    rf"{_PERSON}|(?:connect|conect|pass|put|transfer) (?:me|us) (?:through |in touch )?{_WITH} "
    rf"{_PERSON}|(?:please |pls )?{_PERSON} (?:\w+ ){{0,2}}(?:reach|ping|call|contact|email) "
    rf"(?:me|us)\b|(?:i|we) (?:need|ned|want|wanna|would like|have) to (?:speak|speek|talk|chat|"
    rf"meet) {_WITH} {_PERSON}|a quote from {_PERSON}|can {_PERSON} take over)"
)


# A request built from its parts, in one sentence: a way of asking ("can I", "I'd like",
# "book me", "get me") and whom or what is asked for (a person of the team, or a call, a
# demo or a meeting with someone).
_ASKING = re.compile(
    r"\b(?:can|could|may) (?:i|we)|(?:i|we)(?:'d| would) (?:like|love|prefer)|(?:i|we) "
    r"(?:need|want|wanna)|^(?:need|want)|would love|(?:please|pls|plz)|(?:get|connect|put|book|"
    r"schedule|set) me|(?:book|schedule|arrange|set up|organi[sz]e)\b|any (?:slots|time|"
    r"availability)|(?:is|are) (?:someone|somebody|anyone|anybody|any \w+|your \w+|\w+ from "
    r"\w+) (?:\w+ )?(?:available|around|free|there|online)|happy to (?:hop|jump|get) on"
)
_WHOM = re.compile(
    r"\b(?:human|person|some ?one|some ?body|(?:sales|account|solutions?|enterprise|support) "
    r"(?:team|rep|reps|person|people|exec|execs|executive|executives|manager|engineer|engineers|"
    r"guy|folks)|salesperson|sales(?:person|people)?|representative|rep|reps|account exec\w*|"
    r"specialists?|experts?|founder|ceo|operator|one of (?:your|ur) \w+|(?:your|ur) team)\b"
)
_MEETING = re.compile(
    r"\b(?:(?:a|an|the|short|quick|live|technical|intro|discovery|sales) (?:\w+ )?(?:call|demo|"
    r"meeting|walkthrough|zoom|conversation)|(?:on|hop on|jump on) (?:a |the )?(?:call|zoom|"
    r"phone|line|google meet|teams)|call me|ring me)\b"
)
# A person or a call named only as a word: "agent", "human pls", "sales?", "HUMAN. NOW."
_LONE = re.compile(
    r"^\W*(?:human|a human|person|a person|agent|operator|representative|sales|rep|real person|"
    r"live agent|live person)(?:\W+(?:pls|please|plz|now|asap))*\W*$"
)
# Not a request now: asking whether the chat is a bot, a call maybe some day or by someone
# else, one that happened already, or a thing named after people ("a demo video", "the
# Contact sales button").
_NOT_NOW = re.compile(
    r"\b(?:am i (?:talking|speaking|chatting) (?:to|with)|are you (?:a |an )?(?:bot|robot|real|"
    r"human|person|ai)|is this (?:a |an )?(?:bot|robot|automated|real)|maybe|perhaps|eventually|"
    r"might|probably|not (?:now|today|yet|right now)|talked|spoke|spoken|met with|stop|quit|"
    r"(?:video|recording|button|link|page|form)s?\b(?! call| chat| meeting))"
)
# Only the request said in parts also needs to be meant now and unconditionally.
_CONDITIONAL = re.compile(
    r"\b(?:at some point|some ?day|later on|next (?:month|year|quarter)|if (?:it|the|we|this|"
    r"that)|once (?:we|the))\b"
)
# "we need someone to schedule our posts": a person to do the work, not to talk to.
_WORKER = re.compile(
    r"^\s+(?:to|who|that|for)\s+(?!talk|speak|chat|call|ring|phone|contact|reach|walk|show|demo|go "
    r"over|get back|explain|answer)"
)


_REFUSED = re.compile(r"\b(?:don't|do not|dont|no|not|never|without)\b")


# "we'd like to work with your sales team": an offer to work together, not a call.
_PARTNERING = re.compile(
    r"\b(?:work|partner|collaborate|sell|help|support|train|hire|join)\s+(?:with\s+|to\s+)?"
    r"(?:your|ur)\b"
)
_OURS = re.compile(r"\b(?:our|my|their|his|her)\s+(?:\w+\s+)?$")
# Whom a sentence is about, not whom to talk to: "whether your team is growing".
_SUBJECT = re.compile(
    r"^\s+(?:is|are|was|were|has|have|had|grew|growing|hiring|knows?|needs?|wants?|handles?|"
    r"calls?|does|gets?|sees?|can|will|should|would|could|might|must)\b"
)
_SUBJECT_BEFORE = re.compile(r"\b(?:so|that|because|when|if|whether|until|once)\s+$")
# "before the summer sales": a sale, not the sales team.
_SEASON = re.compile(
    r"\b(?:summer|winter|spring|autumn|fall|holiday|christmas|january|seasonal|flash|"
    r"black friday|cyber monday|boxing day|end of season|clearance)\s+$"
)
_WORD_END = re.compile(r"\w*")
_NEAR = 50
"""How far after the way of asking the person or the call must come, in characters."""


def find_human(message: str, clauses: list[Clause], language: str = "en") -> dict[str, Any] | None:
    """``update_lead`` human arguments, or None when no person was asked for.

    In German, Spanish, French and Portuguese that language's requests are read first, then
    the English ones ("can I talk to a human" is written in any conversation).
    """
    foreign = _FOREIGN.get(language)
    if foreign is not None:
        found = _foreign_human(message, clauses, foreign)
        if found is not None:
            return found
    for clause in clauses:
        if _UNWANTED.search(clause.text) or _NOT_NOW.search(clause.text):
            continue
        for pattern in (_ASK, _REQUEST):
            match = pattern.search(clause.text)
            if match is None:
                continue
            before = clause.text[: match.start()]
            if not _NEGATED.search(before) and not _THEIRS.search(before):
                return {"quote": clause.raw, "requested": True}
    for sentence in sentences(clauses):
        text = " ".join(clause.text for clause in sentence)
        if _composed(text):
            return {"quote": span(message, sentence), "requested": True}
    return None


def _composed(text: str) -> bool:
    """A request said in its parts: "Could I arrange a short call with someone to walk
    through our use case?", "Get me someone from sales.", "agent"."""
    if _LONE.match(text):
        return True
    blockers = (_UNWANTED, _NOT_NOW, _CONDITIONAL, _THEIRS, _REFUSED, _PARTNERING)
    if any(p.search(text) for p in blockers):
        return False
    asking = _ASKING.search(text)
    if asking is None:
        return False
    # The window ends at a word's end: "target rep" of "target repeat buyers" is no rep.
    end = _WORD_END.match(text, asking.end() + _NEAR)
    rest = text[asking.start() : end.end() if end is not None else len(text)]
    whom = [
        m
        for m in _WHOM.finditer(rest)
        if not _WORKER.match(rest[m.end() :])
        and not _OURS.search(rest[: m.start()])
        and not _SUBJECT.match(rest[m.end() :])
        and not _SUBJECT_BEFORE.search(rest[: m.start()])
        and not _SEASON.search(rest[: m.start()])
    ]
    return bool(whom) or _MEETING.search(rest) is not None


def asks_for_person(sentence: str) -> bool:
    """Whether ``sentence`` (lower case) asks to talk to a person rather than about the
    product: such a sentence is not a product question for the knowledge base."""
    if _UNWANTED.search(sentence):
        return False
    return any(pattern.search(sentence) for pattern in (_ASK, _REQUEST)) or _composed(sentence)


# German, Spanish, French and Portuguese. A request is a way of asking, a person of the team
# and a way of talking in one sentence ("Kann ich mit jemandem aus dem Vertrieb sprechen?",
# "quiero hablar con un comercial", "je préfère parler à quelqu'un", "posso falar com um
# humano?"), or one of the set phrases ("Bitte rufen Sie mich an", "¿me puede llamar
# alguien?"). Read on a folded copy: lower case, no accents, "ß" as "ss".
_FOREIGN_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "meeting": (
            r"\b(?:demo|call|videocall|telefonat|telefontermin|gesprachstermin|"
            r"gespraechstermin|beratungsgesprach|beratungsgespraech|r(?:u|ue)ckruf)\b"
        ),
        "asking": (
            r"\b(?:kann|konnte|koennte|darf|durfte|duerfte) ich|\bich (?:mochte|moechte|will|"
            r"wurde|wuerde|hatte|haette|ware|waere|brauche)\b|\b(?:konnen|koennen|konnten|"
            r"koennten|wurden|wuerden) (?:sie|wir)|\bkann (?:mich )?(?:jemand|einer|einen)|"
            r"\bbitte\b|"
            r"\bgerne?\b|\bam liebsten\b|\blieber\b|\bwir (?:mochten|moechten|wurden|wuerden)|"
            r"\bgibt es (?:jemand\w*|einen|eine)\b|\b(?:kann|konnte|koennte) (?:mir |mich |uns )?"
            r"(?:jemand|einer)\b"
        ),
        "person": (
            r"\b(?:jemand\w*|mensch\w*|person|personen|mitarbeiter\w*|vertrieb\w*|berater\w*|"
            r"verkauf\w*|ansprechpartner\w*|kolleg\w*|sales|team|personalabteilung|hr|experten?|"
            r"vertriebler\w*|kundenberater\w*|recruiter\w*|personaler\w*)\b"
        ),
        "talking": (
            r"\b(?:sprechen|reden|telefonieren|unterhalten|anrufen|austauschen|kontaktieren|"
            r"termin\w*|demo|call|gesprach\w*|gespraech\w*|treffen|zurückrufen|zuruckrufen|"
            r"zurueckrufen|melden|in kontakt|personlich|persoenlich|verbinden|vereinbaren|zeigen|"
            r"vorfuhren|vorfuehren|videokonferenz|video-?call)\b"
        ),
        "direct": (
            r"\b(?:rufen sie mich (?:\w+ ){0,3}?an|ruf(?:t)? mich (?:\w+ ){0,3}?an|ruckruf|"
            r"rueckruf|mich (?:\w+ ){0,2}zuruckrufen|mit einem (?:echten )?menschen sprechen|"
            r"(?:einen|einem) menschen,? bitte|bitte (?:einen|einem) (?:echten )?menschen|"
            r"(?:demo|termin) (?:\w+ ){0,2}(?:vereinbaren|buchen|ausmachen))\b"
        ),
        "not": (
            r"\b(?:gesprochen|geredet|telefoniert|gesagt|war|waren|spricht|sprechen "
            r"(?:gerade|schon)|intern|kein (?:anruf|call|gesprach|termin)|keinen (?:anruf|call|"
            r"termin)|nicht (?:anrufen|telefonieren)|muss (?:das |es )?(?:erst |noch )?mit)\b"
        ),
    },
    "es": {
        "meeting": r"\b(?:demo|demostracion|reunion|llamada|videollamada)\b",
        "asking": (
            r"\b(?:quiero|quisiera|querria|me gustaria|nos gustaria|puedo|podria|podriamos|podemos|"
            r"prefiero|preferiria|necesito|me (?:puede|pueden|podria|podrian)|alguien (?:me )?"
            r"(?:puede|podria)|por favor|porfa)\b"
        ),
        "person": (
            r"\b(?:persona|humano|alguien|comercial\w*|vendedor\w*|asesor\w*|agente|ejecutivo|"
            r"equipo|ventas|especialista|representante|gente|recursos humanos|rrhh|reclutador\w*)\b"
        ),
        "talking": (
            r"\b(?:hablar(?:lo|la|los)?|llamar\w*|llame\w*|llamen\w*|contactar\w*|reunion|demo|cita|charlar|"
            r"conversar|videollamada|llamada|en contacto|de viva voz)\b"
        ),
        "direct": (
            r"\b(?:llamenme|llameme|llamame|me (?:puede|pueden|podria|podrian) llamar|"
            r"(?:una|un) (?:persona|humano),? por favor|por favor,? (?:una|un) (?:persona|"
            r"humano))\b"
        ),
        "not": (
            r"\b(?:hable|hablamos|hablo con|hablaron|hablo|llamaron|habla con|hablan con|"
            r"tuvimos|tuve|no (?:quiero|necesito) (?:hablar|llamada|que me llamen)|no me llamen|"
            r"tengo que (?:consultar|hablarlo))\b"
        ),
    },
    "fr": {
        "meeting": r"\b(?:demo|demonstration|rendez-vous|rdv|appel(?! d'offre)|visio)\b",
        "asking": (
            r"\b(?:je (?:veux|voudrais|souhaite|souhaiterais|prefere|prefererais|peux)|"
            r"j'aimerais|j'aimerai|je peux|puis-je|est-ce que je (?:peux|pourrais)|est-ce qu'on "
            r"(?:peut|pourrait)|pourriez-vous|pouvez-vous|pourrait-on|peut-on|pouvons-nous|"
            r"quelqu'un (?:peut|"
            r"pourrait)|svp|s'il vous plait|merci de|nous (?:voudrions|aimerions|souhaitons))\b"
        ),
        "person": (
            r"(?:\bquelqu'un\b|\b(?:humain|personne|conseiller\w*|commercia\w*|vendeu\w*|equipe|"
            r"agent|interlocut\w*|expert|specialiste|representant\w*|rh|ressources humaines|"
            r"recruteu\w*)\b|\b(?:votre|vos) (?:\w+ )?(?:responsable|directeur|directrice|chef)"
            r"\w*)"
        ),
        "talking": (
            r"\b(?:parler|echanger|appel|appeler|rappeler|contacter|rendez-vous|rdv|demo|"
            r"rencontrer|discuter|visio|entretien|en contact|de vive voix|joindre)\b"
        ),
        "direct": (
            r"\b(?:rappelez-moi|appelez-moi|me rappeler|m'appeler|un humain,? (?:svp|s'il vous "
            r"plait)|parler a (?:un|une) (?:humain|vraie personne|personne reelle))\b"
        ),
        "not": (
            r"\b(?:j'ai parle|on a parle|nous avons parle|a parle|parle avec|parlent|a eu|avons "
            r"eu|pas besoin|ne (?:veux|souhaite) pas|sans appel|je dois en parler)\b"
        ),
    },
    "pt": {
        "meeting": r"\b(?:demo|demonstracao|reuniao|call|ligacao|videochamada)\b",
        "asking": (
            r"\b(?:quero|queria|gostaria|posso|poderia|podemos|poderiamos|rola|prefiro|preferia|"
            r"preciso|(?:me )?(?:pode|"
            r"podem|poderiam)|alguem (?:pode|poderia)|por favor|da para|da pra|tem como)\b"
        ),
        "person": (
            r"\b(?:humano|pessoa|alguem|vendedor\w*|comercia\w*|consultor\w*|atendente|"
            r"especialista|equipe|time|representante|rh|recursos humanos|recrutador\w*)\b"
        ),
        "talking": (
            r"\b(?:falar|conversar|ligar|ligue|liguem|ligacao|contato|contatar|reuniao|demo|"
            r"chamada|call|bater um papo|em contacto|de viva voz|pessoalmente)\b"
        ),
        "direct": (
            r"\b(?:me liga|me ligue|me liguem|liguem-me|ligue-me|me (?:pode|podem) ligar|(?:pode|"
            r"podem|poderia|poderiam) me ligar|(?:um|"
            r"uma) (?:humano|pessoa),? por favor)\b"
        ),
        "not": (
            r"\b(?:falei|falamos|falou|conversei|conversamos|fala com|falam com|tivemos|tive|"
            r"nao (?:quero|preciso) (?:falar|ligacao)|sem ligacao|preciso (?:consultar|falar com "
            r"(?:o|a|meu|minha)))\b"
        ),
    },
}
_FOREIGN = {
    language: {name: re.compile(pattern) for name, pattern in words.items()}
    for language, words in _FOREIGN_WORDS.items()
}


def _fold(text: str) -> str:
    lowered = text.replace("’", "'").replace("ß", "ss").lower()
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )


def _foreign_human(
    message: str, clauses: list[Clause], words: dict[str, re.Pattern[str]]
) -> dict[str, Any] | None:
    for sentence in sentences(clauses):
        quote = span(message, sentence)
        text = _fold(quote)
        if words["not"].search(text):
            continue
        asked = words["asking"].search(text) is not None
        person = words["person"].search(text) is not None
        if (
            words["direct"].search(text)
            or (asked and person and words["talking"].search(text))
            or (asked and words["meeting"].search(text))  # "Me gustaría agendar una demo"
        ):
            return {"quote": quote, "requested": True}
    return None
