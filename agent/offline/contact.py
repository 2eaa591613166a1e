"""Contact: the prospect's email address and name.

Emails are any ``x@y`` token that email-validator accepts. A name needs a clear cue: "my
name is Jane Doe" in any case, or "I'm Jane" / "this is Jane" with a capital letter, so
"I'm the CTO", "I'm a student" and "I'm looking" are not names.
"""

from __future__ import annotations

import re
from typing import Any

from wordfreq import zipf_frequency

from agent.models import FieldName
from agent.normalize import normalize_email
from agent.offline.text import EMAIL_TOKEN, Clause

_STRONG = re.compile(
    r"\b(?:my name is|my name's|name's|the name is|name:|i go by)\s+"
    r"(?P<name>[^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*){0,2})",
    re.I,
)
_WEAK = re.compile(
    r"(?i:\bi(?:'m|’m| am|m)|\bthis is|\bit's|\bit’s|\bcall me)\s+"
    r"(?P<name>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\b"
)
_HERE = re.compile(
    r"^(?i:(?:hi|hey|hello)\W+)?(?P<name>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\s+"
    r"(?P<from>from\s+\S+(?:\s+\S+)?\s+)?(?i:here)\b"
)
_NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        """
    a an the not just here from with at in on of for and but so also still only still very
    really currently working trying hoping looking interested based new sure fine good ok okay
    glad happy sorry afraid ready curious wondering responsible part one calling writing
    reaching contacting emailing messaging asking interested student analyst engineer developer
    manager founder cofounder co-founder owner ceo cto cfo coo cmo cpo vp head director lead
    intern consultant freelancer designer marketer going doing using thinking planning
    wanting needing considering evaluating mr mrs ms dr from back busy new hi hello hey there
    we we're were our ours us it it's its this that about asap today tomorrow anytime
    """,
    )
)


# An address written out to dodge spam bots: "leo at rankharbor dot com", "m.okafor (at)
# quillstack.io", "ana [at] pantrybook [dot] com", and in German, Spanish, French and
# Portuguese "sepp punkt huber at radl-huber punkt de", "laura punto gil arroba rutalia punto
# es", "n.lambert arobase hevesdre point be", "marta ponto reis arroba pastelcloud ponto pt".
# A plain " at " before a dotted domain ("look at example.com") counts only as the answer to
# the email question.
_AT_WORDS = r"at|arroba|arobase"
_DOT_WORDS = r"dot|punkt|punto|point|ponto"
_AT = rf"(?:\s*[\[({{<]\s*(?:{_AT_WORDS})\s*[\])}}>]\s*|\s+(?:{_AT_WORDS})\s+)"
_DOT = rf"(?:\s*[\[({{<]\s*(?:{_DOT_WORDS})\s*[\])}}>]\s*|\s+(?:{_DOT_WORDS})\s+|\.)"
# "raul guion bajo trevino", "rodrigo underline matos", "jean tiret bas dupont": the "_"
# of a mailbox said in words; "guion", "tiret", "Bindestrich", "hífen": its "-".
_UNDERSCORE_WORDS = r"underscore|underline|guion bajo|guión bajo|tiret bas|unterstrich|sublinhado"
_HYPHEN_WORDS = r"hyphen|dash|guion|guión|tiret|trait d'union|bindestrich|h[ií]fen|tra[cç]o"
_UNDERSCORE = rf"\s+(?:{_UNDERSCORE_WORDS})\s+"
_HYPHEN = rf"\s+(?:{_HYPHEN_WORDS})\s+"
_LOCAL_JOIN = rf"(?:{_DOT}|{_UNDERSCORE}|{_HYPHEN})"
_SPELLED = re.compile(
    rf"(?<![\w.@'’-])(?P<local>[a-z0-9][\w+-]*(?:{_LOCAL_JOIN}[a-z0-9][\w+-]*)*?){_AT}"
    rf"(?P<domain>[a-z0-9][a-z0-9-]*(?:{_DOT}[a-z0-9][a-z0-9-]*)*{_DOT}[a-z]{{2,12}})\b",
    re.I,
)
_EVERYDAY_WORD = 5.75
"""Zipf frequency from which a word ("now", "here", "us") is too common to be a mailbox."""
_EMAIL_WORDS = re.compile(r"@|\sat\s|[\[(]at[\])]|'s\b", re.I)
"""What the words beside an address are not: its own parts, or "Company's Pantrybook"."""
# What makes a written-out address plain outside the email question: brackets, or a word
# for "@" or "dot" that is no English word.
_SPELLED_MARK = re.compile(
    r"[\[({<]\s*at\s*[\])}>]|\sdot\s|[\[({<]\s*dot|\b(?:arroba|arobase)\b|"
    r"\s(?:punkt|punto|ponto)\s",
    re.I,
)
# A team's mailbox rather than a person's: "compras@", "info@", "kontakt@". When a message
# gives both ("contracts go to compras@…, but write to me at nuno.valadares@…"), the
# person's own address is the contact.
_ROLE_MAILBOX = re.compile(
    r"^(?:info|contact|contacto|contato|kontakt|office|hello|hallo|hola|admin|sales|ventas|"
    r"vendas|ventes|compras|achats|einkauf|purchasing|procurement|billing|facturacion|"
    r"facturación|faturacao|faturação|rechnung|buchhaltung|comptabilite|comptabilité|"
    r"legal|juridico|jurídico|juridique|support|soporte|suporte|team|equipo|equipa|equipe)$",
    re.I,
)


def find_contact(
    message: str, clauses: list[Clause], asking: FieldName | None, language: str = "en"
) -> dict[str, Any] | None:
    """``update_lead`` contact arguments, or None when there is no email or name.

    In German, Spanish, French and Portuguese a name needs that language's cue ("ich heiße",
    "me llamo", "je m'appelle", "meu nome é"); English "I'm" is not read there ("im Checkout").
    """
    args: dict[str, Any] = {}
    quotes: list[str] = []
    found = _email(message) or _spelled_email(message, asking)
    if found is not None:
        args["email"], quote = found
        quotes.append(quote)
    named = (
        _foreign_name(clauses, language)
        if language in _FOREIGN_STRONG
        else _name(clauses, asking, has_email="email" in args)
    )
    if named is not None:
        args["name"] = named[0]
        quotes.insert(0, named[1].raw)
    if not args:
        return None
    return {"quote": _joined(message, quotes), **args}


def _email(message: str) -> tuple[str, str] | None:
    """The first valid ``x@y`` address, a person's own before a team's mailbox, as the
    address (lowercased, the way a contact is known) and its quote."""
    found: list[tuple[str, str]] = []
    for match in EMAIL_TOKEN.finditer(message):
        token = match.group().strip(".!?")
        try:
            normalize_email(token)
        except ValueError:
            continue
        found.append((token.lower(), token))
    personal = [f for f in found if not _ROLE_MAILBOX.match(f[0].split("@")[0])]
    return next(iter(personal or found), None)


def _spelled_email(message: str, asking: FieldName | None) -> tuple[str, str] | None:
    """An address written out in words or brackets, as the address and the prospect's words."""
    for match in _SPELLED.finditer(message):
        if asking != "contact" and not _SPELLED_MARK.search(match.group()):
            continue
        local = re.sub(_UNDERSCORE, "_", match["local"], flags=re.I)
        local = re.sub(_DOT, ".", re.sub(_HYPHEN, "-", local, flags=re.I), flags=re.I)
        if zipf_frequency(local, "en") >= _EVERYDAY_WORD:
            continue  # "claim it now at prizes dot win": a word of the sentence, not a mailbox
        domain = re.sub(_DOT, ".", match["domain"], flags=re.I)
        address = f"{local}@{domain}".lower()
        try:
            normalize_email(address)
        except ValueError:
            continue
        return address, match.group()
    return None


def _joined(message: str, quotes: list[str]) -> str:
    if len(quotes) == 1:
        return quotes[0]
    first, last = message.find(quotes[0]), message.rfind(quotes[-1])
    if first < 0 or last < first:
        return quotes[-1]
    return message[first : last + len(quotes[-1])]


def _name(
    clauses: list[Clause], asking: FieldName | None, *, has_email: bool
) -> tuple[str, Clause] | None:
    for clause in clauses:
        for pattern in (_STRONG, _WEAK, _HERE):
            match = pattern.search(clause.raw)
            if match is None:
                continue
            name = _tidy(match["name"], strict=pattern is not _STRONG)
            if pattern is _HERE and not match["from"] and name is not None:
                # "Acme here" is a company; "Jane here" a person: names are common words.
                name = name if zipf_frequency(name.split()[0], "en") >= 4.0 else None
            if name is not None:
                return name, clause
    if asking == "contact" and has_email:
        for clause in clauses:
            if clause.raw and not _EMAIL_WORDS.search(clause.raw):
                name = _tidy(clause.raw, strict=True)
                if name is not None and len(clause.raw.split()) <= 3:
                    return name, clause
    return None


def _tidy(candidate: str, *, strict: bool) -> str | None:
    words: list[str] = []
    for word in candidate.split():
        lowered = word.lower()
        if lowered in _NOT_NAMES or (len(lowered) > 4 and lowered.endswith(("ing", "ed"))):
            break
        if strict and not word[:1].isupper():
            break
        if not word.replace("'", "").replace("-", "").isalpha():
            break
        words.append(word)
    if not words:
        return None
    if strict and zipf_frequency(words[0], "en") >= 5.5:
        return None
    name = " ".join(words)
    return name if any(ch.isupper() for ch in name) else name.title()


# German, Spanish, French and Portuguese: "Ich heiße Jana Keller", "me llamo Lucía",
# "je m'appelle Claire", "meu nome é Inês"; "soy Lucía" / "c'est Claire" / "sou a Inês" only
# with a capital letter and a word that is not a common one ("Soy CTO", "C'est Mardi").
_FOREIGN_NAME = r"(?P<name>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+)?)"
_FOREIGN_STRONG: dict[str, str] = {
    "de": r"\b(?i:ich hei(?:ß|ss)e|mein name ist|mein name:|name:|mein name lautet)\s+",
    "es": r"\b(?i:me llamo|mi nombre es|nombre:)\s+",
    "fr": r"\b(?i:je m'appelle|je m’appelle|mon nom est|moi c'est|moi c’est|nom\s?:)\s+",
    "pt": r"\b(?i:me chamo|chamo-me|meu nome é|o meu nome é|nome:)\s+",
}
_FOREIGN_WEAK: dict[str, str] = {
    "de": r"\b(?i:hier (?:ist|spricht))\s+",
    "es": r"(?:^|\b)(?i:soy|yo soy)\s+",
    "fr": r"(?:^|\b)(?i:c'est|c’est|ici)\s+",
    "pt": r"(?:^|\b)(?i:sou (?:a|o)|aqui é (?:a|o)|aqui (?:é|fala))\s+",
}
_FOREIGN_NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        """
        hallo servus moin grüezi guten hola buenas buenos bonjour salut bonsoir olá ola oi boa
        bom januar februar märz april mai juni juli august september oktober november dezember
        enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
        janvier février mars avril juin juillet août septembre octobre novembre décembre
        janeiro fevereiro março maio junho julho setembro outubro novembro dezembro
        """,
    )
)
_FOREIGN_COMMON = 4.5
"""Zipf frequency from which a capitalised word after "soy" / "c'est" is a word, not a name."""


def _foreign_name(clauses: list[Clause], language: str) -> tuple[str, Clause] | None:
    strong = re.compile(_FOREIGN_STRONG[language] + _FOREIGN_NAME)
    weak = re.compile(_FOREIGN_WEAK[language] + _FOREIGN_NAME)
    for pattern in (strong, weak):
        for clause in clauses:
            match = pattern.search(clause.raw)
            if match is None:
                continue
            words = match["name"].split()
            if words[0].lower() in _FOREIGN_NOT_NAMES or words[0].lower() in _NOT_NAMES:
                continue
            if pattern is weak and (
                words[0].isupper() or zipf_frequency(words[0], language) >= _FOREIGN_COMMON
            ):
                continue
            return match["name"], clause
    return None
