"""Company: headcount, industry and name.

Headcount comes from numbers of people ("about 40 people", "a team of twelve", "we're 300
strong", or a bare number answering the company question); industry from the words a
business uses for itself ("B2B software", "online store", "marketing agency", "clinic");
the name through :mod:`agent.offline.company_name`.
"""

from __future__ import annotations

import re
from typing import Any

from agent.models import FieldName, Industry
from agent.normalize import parse_headcount
from agent.offline.company_name import find_company_name, signature_company
from agent.offline.languages.money import gloss
from agent.offline.quantities import Quantity
from agent.offline.text import Clause, span

# What a business calls itself ("B2B SaaS", "online store", "payments company"): said
# anywhere in the message, the earliest wins over any domain word below.
_LABEL_PATTERNS: tuple[tuple[Industry, str], ...] = (
    (
        "saas",
        r"\b(?:b2b |b2c )?saas\b|\bb2b (?:software|platform|tech)\b|\bsoftware (?:company|"
        r"startup|business|vendor|house|firm)\b|\bsubscription software\b|\bdev(?:eloper)? "
        r"tools? (?:company|startup)\b|\bwe (?:build|make|develop|sell) (?:a |an |our )?"
        r"(?:(?!through\b|via\b)[\w&/-]+ ){0,3}(?:software|platform|saas|tool|app|builder|"
        r"plugin)\b|\bsubscription (?:tool|app|"
        r"platform)\b|\bour (?:product|app|platform|software) (?:helps|lets)\b|"
        r"\b(?!(?:need|needs|want|wants|some|new|a|an|any|good|better|the|buy|get)\b)[\w-]+ "
        r"software (?:for|that)\b|\bsells? (?:[\w-]+ ){0,2}software to\b|"
        r"\b(?:sells?|selling|builds?|building|built|makes?|making) (?:a|an) (?:[\w-]+ ){0,3}"
        r"(?:software|platform|saas|tool|app)\b",
    ),
    (
        "ecommerce",
        r"\be-?commerce\b|\bonline (?:[\w-]+ )?(?:store|shop|retailer|retail|marketplace|"
        r"boutique|business|brand|\w+shop|\w+store|grocery|groceries|grocer|supermarket|"
        r"fashion|furniture|clothing|apparel)s?\b|\bdeliver(?:s|ing)? "
        r"[^.,;]{0,40}\b(?:through|via|in|on) our (?:own )?(?:app|mobile app)\b|"
        r"\bweb ?shops?\b|\bshopify\b|\bwoocommerce\b|"
        r"\bmagento\b|\bbigcommerce\b|\bd2c\b|\bdtc (?:brand|company)\b|"
        r"\bdirect[- ]to[- ]consumer\b|\bsold online\b|\bsell(?:s|ing)?\b[^.,;]{0,40}\b(?:online|"
        r"on (?:our|my) (?:own )?(?:site|website|web ?shop|store)|through (?:our|my) (?:own )?"
        r"(?:website|site|web ?shop))\b",
    ),
    (
        "agency",
        r"\b(?:marketing|digital|creative|advertising|ad|design|branding|growth|seo|media|pr|"
        r"web|development|performance|content|social media) (?:agency|studio)\b|"
        r"\bwe(?:'re| are) (?:a |an )?(?:[\w-]+ ){0,2}(?:agency|consultancy)\b|\b(?:the|our) "
        r"agency is called\b|\bi (?:own|run) (?:the|an|our|a small) agency\b|"
        # a business that runs ads or campaigns for clients, or helps shops rank or grow
        r"\b(?:run|runs|running|manage|manages|buy|buys|handle|handles) (?:[\w-]+ ){0,3}(?:ads|"
        r"advertising|campaigns|seo|ppc|paid search|paid social)\b[^.]{0,40}?\bfor (?:[\w-]+ )"
        r"{0,3}(?:brands|clients|customers|businesses|companies|shops|stores|restaurants|"
        r"startups)\b|\bwe help (?:[\w-]+ ){0,3}(?:shops|stores|brands|businesses|companies|"
        r"startups|restaurants|clinics) (?:rank|grow|sell|get|find|reach|win)\b",
    ),
    (
        "fintech",
        r"\bfin-?tech\b|\bneo-?bank\b|\bpayments? (?:company|startup|provider|processor|"
        r"platform|business)\b|\binsurtech\b|\blending (?:company|platform|startup)\b|"
        r"\bcrypto exchange\b|\b(?:stock|investment|crypto|securities) brokerage\b|"
        r"\b(?:money transfer|remittance|budgeting|personal finance|banking|payments?|lending|"
        r"savings|saving|pension|wallet|"
        r"loans?|invoice financing|currency (?:exchange|conversion)|investing|trading|expense|"
        r"card) (?:app|apps|platform|startup|company|provider|business)\b|\bpayment "
        r"processing\b|\bprocess (?:card )?payments\b|\brefinanc\w*\b|\binsurance\b",
    ),
    (
        "healthcare",
        r"\bhealth ?tech\b|\btele(?:health|medicine)\b|\b(?:digital |mental |women's |pet )?health "
        r"(?:app|apps|platform|startup|company|system|provider)\b|\b(?:medical|patient|clinical|"
        r"telehealth|therapy|care) (?:app|apps|platform)\b",
    ),
)
# Words of a trade, weaker than what a business calls itself: "software for restaurants"
# is SaaS, "we run three restaurants" is not.
_DOMAIN_PATTERNS: tuple[tuple[Industry, str], ...] = (
    (
        "fintech",
        r"\bbanks?\b|\bbanking\b|\bcredit union\b|\bwealth management\b|"
        r"\bfinancial services\b",
    ),
    (
        "healthcare",
        r"\bhealth ?care\b|\bclinics?\b|\bhospitals?\b|\bmedical\b|"
        r"\bpharma(?:ceuticals?)?\b|\bdental\b|\bbiotech\b|"
        r"\bphysio(?:therapy)?\b|\btherap(?:y|ists?)\b|\bcare homes?\b|\bnursing\b|"
        r"\bveterinar(?:y|ians?)\b|\burgent care\b|\bpharmac(?:y|ies)\b|\bpatients?\b",
    ),
    (
        "other",
        r"\bmanufactur(?:ing|er)\b|\blogistics\b|\bed-?tech\b|\bnon-?profit\b|\bngo\b|"
        r"\bgovernment\b|\bpublish(?:ing|er)\b|\bmedia company\b|\bgaming\b|\bgame studio\b|"
        r"\breal estate\b|\bconstruction\b|\bhospitality\b|\brestaurants?\b|\bautomotive\b|"
        r"\butilit(?:y|ies) company\b|\btelecoms?\b|\blaw firm\b|\bconsulting firm\b|"
        r"\bbaker(?:y|ies)\b|\bcaf[eé]s?\b|\bcoffee (?:shop|roaster)s?\b|\bsalons?\b|"
        r"\bgyms?\b|\bfitness studios?\b|\bbrewer(?:y|ies)\b|\bhotels?\b|\bcatering\b|"
        r"\bflorists?\b|\buniversit(?:y|ies)\b|\bcolleges?\b|\bcharit(?:y|ies)\b|"
        r"\bcouncils?\b|\bholiday parks?\b|\barchitect(?:s|ure)?\b|\bfreight\b|"
        r"\b(?:pc|video|mobile|puzzle|multiplayer) games?\b|\bairlines?\b|\baviation\b",
    ),
)
_LABELS = tuple((industry, re.compile(pattern)) for industry, pattern in _LABEL_PATTERNS)
# A finance or health product is that trade's, whatever else is said ("we make a budgeting
# app" is fintech, not SaaS).
_FIRST: frozenset[Industry] = frozenset({"fintech", "healthcare"})
_DOMAINS = tuple((industry, re.compile(pattern)) for industry, pattern in _DOMAIN_PATTERNS)
_WEAK_PATTERNS: tuple[tuple[Industry, str], ...] = (
    ("saas", r"\bsoftware\b|\bapps?\b|\bplatform\b"),
    ("ecommerce", r"\bretail(?:er)?\b|\bmarketplace\b"),
    ("agency", r"\bagency\b|\bconsultancy\b"),
    ("fintech", r"\bpayments?\b|\binsurance\b|\blending\b|\bcrypto\b|\bfinance\b"),
    ("other", r"\beducation\b|\bmedia\b|\btravel\b|\benergy\b|\bconsulting\b"),
)
_WEAK = tuple((industry, re.compile(pattern)) for industry, pattern in _WEAK_PATTERNS)
ABOUT_US = re.compile(
    r"\b(?:we(?:'re| are)|i(?:'m| am) (?:at|with|in)|our (?:company|business|startup|firm)|"
    r"(?:company|business|startup|firm) (?:is|that)|we (?:run|build|make|sell|do|operate|provide|"
    r"ship|design|develop|create|deliver|offer|host|serve|distribute|manufacture|produce|"
    r"publish|teach|train|rent|lease|import|export|resell|retail|roast|brew|bake|grow|supply|"
    r"install|repair|insure|lend|advise|consult|power|process|connect|help)|"
    r"i (?:run|own)(?! (?:the |this |that |our )?(?:budget|decision|call|p&l|process|"
    r"evaluation|project))|i work (?:at|for|in)|work (?:at|for|in)|industry|sector|space|"
    r"vertical|"
    r"i(?:'m| am) (?:the |a |an )?[\w-]+ (?:of|at) (?:a|an|our)|"
    r"(?:at|with|for|from) (?:a|an|our) \d+[- ]?(?:person|people|employee|staff))\b"
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
    size = _size(_corrected(message, people)) or _alone(message, clauses)
    if size is not None:
        args["size"] = size[0]
        sources.append(size[1])
    industry = _industry(clauses, asking)
    if industry is not None:
        args["industry"] = industry[0]
        sources.append(industry[1])
    name = find_company_name(clauses, asking, described=bool(args))
    if name is not None:
        args["name"] = name[0]
        sources.append(name[1])
    elif (signed := signature_company(message)) is not None:
        args["name"] = signed
        quote = span(message, sources) if sources else ""
        return {"quote": _with(message, quote, signed), **args}
    if not args:
        return None
    return {"quote": span(message, sources), **args}


# A business of one: "it's only me, no employees", "a one-woman show", "sole trader".
_SOLO = re.compile(
    r"\b(?:it's |its |it is )?(?:only|just) me\b(?!,? (?:and|plus|\+|&))|\bno (?:other )?"
    r"employees\b|\bone[- ](?:wo)?man (?:band|shop|show|operation|business)\b|\bone[- ]person "
    r"(?:business|company|shop|team|operation|show)\b|\bsole (?:trader|proprietor(?:ship)?)\b|"
    r"\bsolo (?:founder|business|operation|shop)\b"
)


def _alone(message: str, clauses: list[Clause]) -> tuple[int, Clause] | None:
    said = next((c for c in clauses if _SOLO.search(c.text)), None)
    if said is None or _AND_OTHERS.match(message[said.end :]):
        return None  # "it's just me and my co-founder": not a business of one
    return (1, said)


_AND_OTHERS = re.compile(r"^\W*(?:and|plus|&|\+|with)(?:\W|$)")


def _with(message: str, quote: str, name: str) -> str:
    """The message's words from ``quote`` (or the name) to the name's end."""
    at = message.find(name)
    start = message.find(quote) if quote and quote in message else at
    return message[min(start, at) : at + len(name)]


_CORRECTION = re.compile(
    r"\b(?:sorry|actually|correction|i mean|i meant|make (?:it|that)|scratch that|rather|oops|"
    r"not counting|without (?:the )?contractors|excluding)\b",
    re.I,
)


def _corrected(message: str, people: list[Quantity]) -> list[Quantity]:
    """The headcount said last when the prospect corrects an earlier one ("~2,000 people -
    sorry, that's counting contractors, about 1,400 actual employees")."""
    if len(people) < 2:
        return people
    first, last = people[0], people[-1]
    between = message[first.clause.start + first.end : last.clause.start + last.start]
    # In another language, its words for a correction ("eher", "en realidad", "plutôt").
    said = gloss(between.lower(), first.clause.language)
    return [last] if _CORRECTION.search(said) else people


# The prospect's own team, not the company: "I lead growth (6 people)", "my team is 8".
_MY_TEAM = re.compile(
    r"\b(?:i (?:lead|manage|run|head) (?:the )?[\w-]+(?: team)?\s*\(\s*|my (?:[\w-]+ )?team "
    r"(?:of|is|has)\s*(?:about|around|~)?\s*)$"
)


# "the whole company is about 1,100": the company, whatever team was counted before it.
_WHOLE_COMPANY = re.compile(
    r"\b(?:(?:whole|entire|total|overall) (?:company|org|organi[sz]ation|headcount|business)|"
    r"company-?wide|in total|overall|altogether|all in)\b"
)
# "we're 40 in engineering": one department.
_ONE_DEPARTMENT = re.compile(
    r"^\s*(?:people\s+)?in (?:the )?(?:[\w-]+ )?(?:team|engineering|"
    r"product|marketing|sales|support|design|data|finance|ops|operations|it|hr)\b"
)


def _size(people: list[Quantity]) -> tuple[int, Clause] | None:
    people = [q for q in people if not _MY_TEAM.search(q.clause.text[: q.start])]
    ranked = sorted(
        people,
        key=lambda q: (
            _WHOLE_COMPANY.search(q.clause.text) is None,
            _ONE_DEPARTMENT.match(q.clause.text[q.end :]) is not None,
            q.specialists,
        ),
    )
    for quantity in ranked:
        try:
            return parse_headcount((quantity.low + quantity.high) / 2), quantity.clause
        except ValueError:
            continue
    return None


def _industry(clauses: list[Clause], asking: FieldName | None) -> tuple[Industry, Clause] | None:
    """What the business calls itself anywhere in the message, else the words of its trade,
    else a weaker word where the message speaks of the business."""
    for table in (_LABELS, _DOMAINS):
        for clause in clauses:
            found = _earliest(clause.text, table)
            if found is not None:
                return found, clause
    for clause in clauses:
        if asking == "company" or ABOUT_US.search(clause.text):
            found = _earliest(clause.text, _WEAK)
            if found is not None:
                return found, clause
    return None


def said_industry(text: str) -> Industry | None:
    """The trade ``text`` names the way a business calls itself ("B2B SaaS", "online store",
    "payments company"), or None."""
    return _earliest(text.lower(), _LABELS)


def _earliest(text: str, table: tuple[tuple[Industry, re.Pattern[str]], ...]) -> Industry | None:
    hits = [
        (industry not in _FIRST or table is not _LABELS, m.start(), i, industry)
        for i, (industry, p) in enumerate(table)
        if (m := p.search(text))
    ]
    return min(hits)[3] if hits else None
