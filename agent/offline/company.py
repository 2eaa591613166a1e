"""Company: headcount, industry and name.

Headcount comes from numbers of people ("about 40 people", "a team of twelve", "we're 300
strong", or a bare number answering the company question); industry from the words a
business uses for itself ("B2B software", "online store", "marketing agency", "clinic");
the name from "I work at Acme", "CTO at Acme Corp", "Acme here".
"""

from __future__ import annotations

import re
from typing import Any

from wordfreq import zipf_frequency

from agent.models import FieldName, Industry
from agent.normalize import parse_headcount
from agent.offline.quantities import Quantity
from agent.offline.text import Clause, span

_STRONG_PATTERNS: tuple[tuple[Industry, str], ...] = (
    (
        "saas",
        r"\b(?:b2b |b2c )?saas\b|\bb2b (?:software|platform|tech)\b|\bsoftware (?:company|"
        r"startup|business|vendor|house|firm)\b|\bsubscription software\b|\bdev(?:eloper)? "
        r"tools? (?:company|startup)\b",
    ),
    (
        "ecommerce",
        r"\be-?commerce\b|\bonline (?:store|shop|retailer|retail|marketplace|boutique|"
        r"business)s?\b|\bweb ?shops?\b|\bshopify\b|\bwoocommerce\b|\bmagento\b|"
        r"\bbigcommerce\b|\bd2c\b|\bdtc (?:brand|company)\b|\bdirect[- ]to[- ]consumer\b",
    ),
    (
        "agency",
        r"\b(?:marketing|digital|creative|advertising|ad|design|branding|growth|seo|media|pr|"
        r"web|development|performance|content|social media) agency\b",
    ),
    (
        "fintech",
        r"\bfin-?tech\b|\bneo-?bank\b|\bbanks?\b|\bbanking\b|\bpayments? (?:company|startup|"
        r"provider|processor|platform|business)\b|\binsurtech\b|\blending (?:company|platform|"
        r"startup)\b|\bcredit union\b|\bwealth management\b|\bcrypto exchange\b|\bbrokerage\b|"
        r"\bfinancial services\b",
    ),
    (
        "healthcare",
        r"\bhealth ?care\b|\bhealth ?tech\b|\bclinics?\b|\bhospitals?\b|\bmedical\b|"
        r"\btele(?:health|medicine)\b|\bpharma(?:ceuticals?)?\b|\bdental\b|\bbiotech\b",
    ),
    (
        "other",
        r"\bmanufactur(?:ing|er)\b|\blogistics\b|\bed-?tech\b|\bnon-?profit\b|\bngo\b|"
        r"\bgovernment\b|\bpublish(?:ing|er)\b|\bmedia company\b|\bgaming\b|\bgame studio\b|"
        r"\breal estate\b|\bconstruction\b|\bhospitality\b|\brestaurants?\b|\bautomotive\b|"
        r"\butilit(?:y|ies) company\b|\btelecoms?\b|\blaw firm\b|\bconsulting firm\b",
    ),
)
_STRONG = tuple((industry, re.compile(pattern)) for industry, pattern in _STRONG_PATTERNS)
_WEAK_PATTERNS: tuple[tuple[Industry, str], ...] = (
    ("saas", r"\bsoftware\b|\bapps?\b|\bplatform\b"),
    ("ecommerce", r"\bretail(?:er)?\b|\bstores?\b|\bshops?\b|\bmarketplace\b|\bbrand\b"),
    ("agency", r"\bagency\b|\bconsultancy\b"),
    ("fintech", r"\bpayments?\b|\binsurance\b|\blending\b|\bcrypto\b|\bfinance\b"),
    ("other", r"\beducation\b|\bmedia\b|\btravel\b|\benergy\b|\bconsulting\b"),
)
_WEAK = tuple((industry, re.compile(pattern)) for industry, pattern in _WEAK_PATTERNS)
_ABOUT_US = re.compile(
    r"\b(?:we(?:'re| are)|i(?:'m| am) (?:at|with|in)|our (?:company|business|startup|firm)|"
    r"(?:company|business|startup|firm) (?:is|that)|we (?:run|build|make|sell|do|operate|provide)|"
    r"i (?:run|own|work (?:at|for|in))|work (?:at|for|in)|industry|sector|space|vertical|"
    r"i(?:'m| am) (?:the |a |an )?[\w-]+ (?:of|at) (?:a|an|our))\b"
)
_NAME = r"[A-Z][\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|&))*"
_NAME_CUES = (
    re.compile(
        r"(?i:\bi\s+work\s+(?:at|for|with)|\bi(?:'m| am)\s+(?:at|with)|\bwe(?:'re| are)\s+called|"
        r"\b(?:our|my)\s+(?:company|startup|business|firm|employer)(?:'s| is)(?:\s+called)?|"
        r"\bcompany\s+(?:called|named))\s+(?P<name>[\w&'.-]+(?:\s+[\w&'.-]+){0,2})"
    ),
    re.compile(rf"(?i:\bfrom)\s+(?P<name>{_NAME})\s+(?i:here)\b"),
    re.compile(
        rf"^(?i:(?:hi|hey|hello)\W+)?(?:the\s+)?(?P<name>{_NAME})\s+(?:team\s+)?(?i:here)\b"
    ),
    re.compile(rf"(?i:\b(?:at|@))\s+(?P<name>{_NAME})"),
    re.compile(
        rf"(?i:\b(?:(?:co-?)?founder|owner|ceo|cto|president|md)\s+of)\s+(?:the\s+)?(?P<name>{_NAME})"
    ),
    re.compile(
        rf"(?i:\b(?:i'm|i am|this is|it's|name is))\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?\s+"
        rf"(?i:from|at|with)\s+(?P<name>{_NAME})"
    ),
)
_NOT_AT = re.compile(
    r"\b(?:look(?:ing|ed)?|glanc\w*|star(?:e|ed|ing)|aim(?:ing|ed)?|point(?:ing)?|good|great|bad|"
    r"better|worse|best|arriv\w*|based|located|start(?:ing|ed)?|launch(?:ing|ed)?)\s*$",
    re.I,
)
_SOMEONE = re.compile(
    r"\b(?:i(?:'m| am| work)|here|we|working)\b|^\W*[\w-]+(?:\s+[\w-]+){0,3}\s*$", re.I
)
_STOP = frozenset(
    re.findall(
        r"\S+",
        "a an the my our this that some one home moment least most all it is in on of for with "
        "and or but so here there we i you",
    )
)
_SUFFIXES = re.compile(
    r"\b(?:inc|corp|ltd|llc|gmbh|co|plc|labs|group|technologies|ag|sa)\b\.?", re.I
)
_NOT_NAMES = re.compile(
    r"^(?:ceo|cto|cfo|coo|cmo|cpo|vp|head|founder|co-founder|owner|director|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|jan(?:uary)?|feb(?:ruary)?|march|april|may|june|"
    r"july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4])$",
    re.I,
)


def find_company(
    message: str,
    clauses: list[Clause],
    people: list[Quantity],
    asking: FieldName | None,
) -> dict[str, Any] | None:
    """``update_lead`` company arguments, or None when nothing was said about the company."""
    args: dict[str, Any] = {}
    sources: list[Clause] = []
    size = _size(people)
    if size is not None:
        args["size"] = size[0]
        sources.append(size[1])
    industry = _industry(clauses, asking)
    if industry is not None:
        args["industry"] = industry[0]
        sources.append(industry[1])
    name = _name(clauses, asking)
    if name is not None:
        args["name"] = name[0]
        sources.append(name[1])
    if not args:
        return None
    return {"quote": span(message, sources), **args}


def _size(people: list[Quantity]) -> tuple[int, Clause] | None:
    ranked = sorted(people, key=lambda q: q.specialists)
    for quantity in ranked:
        try:
            return parse_headcount((quantity.low + quantity.high) / 2), quantity.clause
        except ValueError:
            continue
    return None


def _industry(clauses: list[Clause], asking: FieldName | None) -> tuple[Industry, Clause] | None:
    for clause in clauses:
        found = _earliest(clause.text, _STRONG)
        if found is None and (asking == "company" or _ABOUT_US.search(clause.text)):
            found = _earliest(clause.text, _WEAK)
        if found is not None:
            return found, clause
    return None


def _earliest(text: str, table: tuple[tuple[Industry, re.Pattern[str]], ...]) -> Industry | None:
    hits = [
        (m.start(), i, industry) for i, (industry, p) in enumerate(table) if (m := p.search(text))
    ]
    return min(hits)[2] if hits else None


def _name(clauses: list[Clause], asking: FieldName | None) -> tuple[str, Clause] | None:
    for clause in clauses:
        for index, pattern in enumerate(_NAME_CUES):
            for match in pattern.finditer(clause.raw):
                before = clause.raw[: match.start()]
                if index == 3 and (_NOT_AT.search(before) or not _SOMEONE.search(before)):
                    continue
                name = _tidy(match["name"], strict=index != 0, here=index == 2, asking=asking)
                if name:
                    return name, clause
    return None


def _tidy(candidate: str, *, strict: bool, here: bool, asking: FieldName | None) -> str | None:
    words: list[str] = []
    for word in candidate.split():
        bare = word.strip(".,'")
        if not bare or bare.lower() in _STOP or (strict and not bare[0].isupper()):
            break
        if words and not _SUFFIXES.fullmatch(bare) and zipf_frequency(bare, "en") >= 4.5:
            break
        words.append(bare)
    if not words or _NOT_NAMES.match(words[0]):
        return None
    first = zipf_frequency(words[0], "en")
    if first >= (5.5 if words[0][0].isupper() else 3.5):
        return None
    name = " ".join(words)
    if here and asking != "company" and not _SUFFIXES.search(name) and first >= 4.0:
        return None
    return name
