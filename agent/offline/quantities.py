"""Every number in a message, with what it counts.

A number is money, people, a duration, a date, a count of something else (users,
orders), or bare. The words right next to it decide: "40 people", "$40k", "6 months",
"10k users", "team of 40". Ranges ("$40-60k", "between 20 and 30k") become one quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from agent.normalize import currency_in, find_numbers, parse_range
from agent.offline.languages.money import ABBREVIATIONS, as_digits, gloss, served
from agent.offline.text import _PHONE, EMAIL_TOKEN, URL, Clause, mask

Kind = Literal["money", "people", "duration", "date", "count", "other", "bare"]

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_SYMBOL = r"(?:us\$|a\$|au\$|c\$|ca\$|can\$|[$€£₹])"
_SKIP_AFTER = re.compile(
    r"^(?:\s*%|\s*percent\b|x\b|\s*(?:st|nd|rd|th)\b|[:/]\d|\s*(?:am|a\.m\.)\b|"
    r"\s*(?:-|–|—|to)\s*\d+(?:\.\d+)?\s*(?:%|percent\b))"  # "20-30%"
)
_DATE_AFTER = re.compile(rf"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTH}\b")
_DATE_BEFORE = re.compile(rf"\b{_MONTH}\.?\s*$|\d[/.]$")
# Codes of currencies outside the English-speaking markets ("CHF 80'000", "R$ 250 mil").
_OTHER_CODES = r"chf|brl|mxn|ars|clp|cop|sek|nok|dkk|czk|pln|xof|xaf"
_CURRENCY_BEFORE = re.compile(
    rf"(?:{_SYMBOL}|\b(?:usd|eur|gbp|cad|aud|inr|rs\.?|{_OTHER_CODES}))\s*$"
)
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:[€£₹$]|(?:in\s+)?(?:us dollars|canadian dollars|australian dollars|aussie "
    r"dollars|canadian|australian|usd|eur|gbp|cad|aud|inr|dollars?|bucks|euros?|pounds?|quid|sterling|rupees?|"
    rf"{_OTHER_CODES})\b)"
)
_DURATION_AFTER = re.compile(
    r"^\s*(?:(?:-|to|or)\s*\d+(?:\.\d+)?\s*)?(?:-\s*)?(?:days?|weeks?|wks?|months?|mos|mths?|quarters?|years?|yrs?|hours?|hrs?|"
    r"minutes?|mins?)\b"
)
_PEOPLE_AFTER = re.compile(
    r"^\s*(?:\+\s*)?(?:-\s*)?(?:(?:(?:full|part)[- ]?time\s+|paid\s+|salaried\s+|permanent\s+|"
    r"in[- ]house\s+|actual\s+|real\s+|core\s+)?(?:people|persons?|employees?|staff(?:ers)?|"
    r"ppl|heads|ftes?|full[- ]?timers?|team ?members|workers|folks|colleagues|of us(?! (?:at the "
    r"top|in charge|who (?:run|decide|sign)|on the (?:board|founding team)|deciding|in leadership|"
    r"in management|making (?:the )?decisions))|strong|"
    r"(?:person|people|employee|man) (?:team|company|org|business|firm|startup|agency)))\b"
)
_USERS_AFTER = re.compile(
    r"^\s*(?:people|persons|folks|ppl)\s+(?:(?:have |already )?(?:use|used|using|signed? up|"
    r"download(?:ed)?|visit(?:ed)?|buy|bought|pay|paid|subscribe[ds]?|tried|try|play|played|"
    r"visit|shop|shopped)|are (?:using|on|signed up))\b"
)
_GLUED_PEOPLE = re.compile(r"^(?:ppl|people|employees|staff|ftes?)\b")  # "saas, 50ppl"
_SPECIALISTS_AFTER = re.compile(r"^\s*(?:engineers|developers|devs|analysts|marketers|designers)\b")
_PEOPLE_BEFORE = re.compile(
    r"(?:\b(?:team|company|staff|headcount|org|organi[sz]ation|firm|startup|business|agency|"
    r"crew|workforce|group) (?:of|is|size is|size of|size:)|\b(?:headcount|team size|company size|"
    r"employee count|employees)\s*(?:is|of|:|=|are)?|\bheadcount\b[^.\d]{0,25}|"
    r"\bemploy(?:s|ing)?|\bwe(?:'re| are)|"
    r"\bthere(?:'re| are))\s*(?:just\s+|only\s+)?(?:about|around|roughly|approximately|approx\.?|~|"
    r"over|under|almost|nearly|like|close to|more than|less than)?\s*$"
)
_COUNT_AFTER = re.compile(
    r"^\s*\+?\s*(?:k\s+)?(?:(?:monthly|daily|weekly|active|paying|unique|registered|new|total|"
    r"online|retail|physical|partner|franchise|marketing|transactional|promotional|outbound|"
    r"inbound|push|(?!(?:for|per|a|an|the|each|of|to|in|on|with|and|or|over|from|by|up|at|"
    r"usd|eur|gbp|cad|aud|inr|dollars|euros|pounds|bucks|grand|year|month|quarter|week|"
    r"employees?|people|persons?|staff|folks|ftes?|heads?|workers?|strong|total|counting|"
    r"including|plus|across|between|among|all|our|my|their)\b)"
    r"[a-z]{2,14})\s+){0,2}(?:users?|customers?|clients?|visitors?|seats?|licen[cs]es?|accounts?|"
    r"orders?|events?|sessions?|products?|skus?|stores?|shops?|locations?|offices?|countries|"
    r"markets?|apps?|sites?|websites?|brands?|transactions?|installs?|downloads?|subscribers?|"
    r"members?|mau|dau|wau|pageviews?|page views?|visits?|leads?|deals?|tickets?|calls?|emails?|"
    r"messages?|signups?|sign-ups?|trials?|requests?|queries|rows|records|points|stars|times|"
    r"steps?|kids|children|dashboards?|reports?|features?|teams|departments|languages|tools|"
    r"clinics?|hospitals?|practices|pharmacies|restaurants?|branches|warehouses?|schools?|"
    r"gyms?|studios?|venues?|properties|hotels?|outlets?|franchises?|sites|vehicles?|trucks?|"
    r"patients?|students?|guests?|riders?|drivers?|merchants?|sellers?|buyers?|shoppers?|"
    r"learners?|players?|tenants?|listings?|partners?|vendors?|suppliers?|markets?)\b"
)
_OTHER_BEFORE = re.compile(
    r"\b(?:score|rating|rank(?:ed)?|priority|level|version|step|number|no\.|page|option|question|"
    r"point|top|series|round|v|#)\s*(?:of|to|=|:|is|at|number)?\s*$|[#@]\s*$"
)
_REVENUE = re.compile(
    r"\b(?:arr|mrr|revenue|revenues|turnover|gmv|raised|raising|funding round|valuation|"
    r"series [a-e]|profit|profits|ebitda|run rate|in sales|sales of|valued at|make about|earn|"
    r"seed|pre-seed|round|closed a|investors?|funded|our fund|fund size|aum|assets under "
    r"management|pay (?:them|our (?:current )?(?:vendor|"
    r"provider|tool))|paying (?:them|for)|(?:we(?:'re| are)|and|currently|now) paying|"
    r"charges? us|costs? us|we (?:currently )?pay [A-Z]?\w+ "
    r"(?:today|now|currently)|we (?:sell|charge)|(?:priced|retails?|sells?) (?:at|for)|our "
    r"(?:plans?|product|app|plugin|subscription|pricing|price|packages?|retainers?|rates?|fees?) "
    r"(?:costs?|is|are|starts?|runs?)|salary|"
    r"salaries|wages?)\b"
)
# "about the same as we pay Heap today: around $36k": what they pay now is the budget.
_SAME_AS_NOW = re.compile(
    r"\b(?:same as|as much as|match(?:ing)?|similar to) (?:what )?we (?:currently |now )?pay\b"
)
_PER_SEAT_AFTER = re.compile(
    r"^\s*(?:[a-z$€£₹]{0,4}\s*)?(?:per|a|/|each)\s*(?:seat|user|licen[cs]e|login)s?\b"
)
# A price per hour, day, click or lead is someone's rate, not a budget.
_RATE_AFTER = re.compile(
    r"^\s*(?:[a-z$€£₹]{0,4}\s*)?(?:(?:an?|per|/|each)\s*(?:hour|hr|day|click|lead|word|head)|"
    r"(?:per|/|each)\s*(?:client|customer|project|engagement|audit|campaign|placement|hire|"
    r"article|post|video))\b"
)
_NEGATED_BEFORE = re.compile(
    rf"\b(?:not|instead of|rather than|no longer|isn't|is not|wasn't|was not)\s*(?:about|around|"
    rf"like|even)?\s*{_SYMBOL}?\s*$"
)
_RANGE_JOIN = re.compile(rf"^\s*(?:-|–|—|to|and|or|till|until)\s*{_SYMBOL}?\s*$")


# How far around a number its context is read, in characters.
_WINDOW = 60


@dataclass(frozen=True)
class Quantity:
    """A number or range in one clause, with what it counts."""

    clause: Clause
    low: float
    high: float
    kind: Kind
    text: str
    start: int
    end: int
    scaled: bool = False
    currency: str | None = None
    negated: bool = False
    specialists: bool = False


def in_english(clause: Clause, language: str) -> Clause:
    """``clause`` with its cleaned copies in the English words the analysers read (its span
    and raw words unchanged): "rund 60.000 € pro Jahr" reads "about 60,000 € a year"."""
    if not served(language):
        return clause
    # From the prospect's own words: English typo fixes would misread theirs ("temos").
    own = mask(clause.raw, (EMAIL_TOKEN, URL, _PHONE)).lower()
    text = gloss(own.replace("’", "'").replace("‘", "'"), language)
    return replace(clause, text=text, digits=as_digits(text, language))


_LAST_WORD = re.compile(r"(\w+)$")


def rejoined(clauses: list[Clause], message: str, language: str) -> list[Clause]:
    """``clauses`` with those cut at the full stop of an abbreviation inside an amount joined
    again ("1,5 Mio. € über drei Jahre", "ca. 3.000 € im Monat"); unchanged in English."""
    short = ABBREVIATIONS.get(language)
    if not short:
        return clauses
    joined: list[Clause] = []
    for clause in clauses:
        previous = joined[-1] if joined else None
        last = _LAST_WORD.search(previous.raw) if previous is not None else None
        if (
            previous is not None
            and last is not None
            and last[1].lower() in short
            and message[previous.end : clause.start].strip() == "."
        ):
            raw = message[previous.start : clause.end]
            joined[-1] = replace(
                previous, end=clause.end, raw=raw, text=raw.lower(), digits=raw.lower()
            )
        else:
            joined.append(clause)
    return joined


def quantities(clause: Clause, language: str = "en") -> list[Quantity]:
    """The numbers in ``clause``, ranges merged, left to right; ``language`` is the language
    it is written in."""
    clause = in_english(clause, language)
    singles = [_classify(clause, value, scaled, match) for value, scaled, match in _numbers(clause)]
    merged: list[Quantity] = []
    for item in singles:
        if item is None:
            continue
        previous = merged[-1] if merged else None
        if previous is not None and _year_before_money(clause, previous, item):
            # "entre 2000 et 3000 € par mois": the low end of a sum, not the year 2000.
            previous = merged[-1] = replace(previous, kind="money")
        if previous is not None and _joins(clause, previous, item):
            merged[-1] = _range(clause, previous, item)
        else:
            merged.append(item)
    return merged


def _numbers(clause: Clause) -> list[tuple[float, bool, re.Match[str]]]:
    try:
        return find_numbers(clause.digits)
    except ValueError:
        return []


def _classify(clause: Clause, value: float, scaled: bool, match: re.Match[str]) -> Quantity | None:
    text = clause.digits
    end = match.start() + len(match.group().rstrip())
    before = text[max(0, match.start() - _WINDOW) : match.start()]
    after = text[end : end + _WINDOW]
    if before[-1:].isalpha() or before[-1:] in ("_", "."):
        return None
    glued = after[:1].isalpha() and not scaled and not _GLUED_PEOPLE.match(after)
    if _SKIP_AFTER.match(after) or glued:
        return None
    kind = _kind(before, after, value, scaled, match)
    currency = None
    if kind == "money":
        window = before[-5:] + match.group() + after[:24]
        currency = currency_in(window.rstrip(" .,!?"))
    return Quantity(
        clause=clause,
        low=value,
        high=value,
        kind=kind,
        text=match.group().strip(),
        start=match.start(),
        end=end,
        scaled=scaled,
        currency=currency,
        negated=_NEGATED_BEFORE.search(before) is not None,
        specialists=kind == "people" and _SPECIALISTS_AFTER.match(after) is not None,
    )


_PLURAL_AFTER = re.compile(
    r"^\s*\+?\s*(?:k\s+)?(?:(?!(?:for|per|to|in|on|at|of|with|from|by|the|a|an|this|that|our|"
    r"my|your|their|is|was|and|or)\s)[a-z-]+\s+)?(?P<noun>[a-z]{3,}s)\b"
)
_WORKERS = re.compile(r"(?:ers|ors|ists|ants|ents|ians|ives|nurses|staff)$")
_NOT_COUNTED = frozenset(
    re.findall(
        r"\S+",
        "dollars bucks euros pounds rupees quid lakhs crores thousands millions billions grands "
        "tops years months weeks days hours yrs mos minutes seconds ish plus this his its yes "
        "less unless across perhaps always sometimes thus was has does besides towards",
    )
)


def _counted(after: str) -> bool:
    """A number followed by a plural noun counts things: "25k teens", "2,000 firms". Nouns
    for people at work ("28 consultants", "40 carers") may be the headcount: left bare."""
    match = _PLURAL_AFTER.match(after.lower())
    if match is None:
        return False
    noun = match["noun"]
    workers = _WORKERS.search(noun) is not None and not noun.endswith("ments")  # "experiments"
    return noun not in _NOT_COUNTED and not noun.endswith("ss") and not workers


def _kind(before: str, after: str, value: float, scaled: bool, match: re.Match[str]) -> Kind:
    multiplier = (match["mult"] or "").lower()
    if _DATE_BEFORE.search(before) or _DATE_AFTER.match(after):
        return "date"
    is_year = (
        not scaled and value.is_integer() and 1990 <= value <= 2100 and "," not in match["num"]
    )
    if is_year and not (_CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.match(after)):
        return "date"  # "2024", but not "2000 €" or "2 000 € par mois"
    if _DURATION_AFTER.match(after):
        return "duration"
    priced = _CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.match(after)
    if priced and _PER_SEAT_AFTER.match(after):
        return "money"  # "$35 per seat": a price, not 35 seats
    if _COUNT_AFTER.match(after):
        return "count"
    if _USERS_AFTER.match(after):
        return "count"  # "300 people use it": users, not staff
    if _PEOPLE_AFTER.match(after) or _SPECIALISTS_AFTER.match(after):
        return "people"
    nearby = before[-30:] + " " + after[:30]
    revenue = _REVENUE.search(nearby) is not None and _SAME_AS_NOW.search(before) is None
    if revenue or _OTHER_BEFORE.search(before) or _RATE_AFTER.match(after):
        return "other"
    if (
        _CURRENCY_BEFORE.search(before)
        or _CURRENCY_AFTER.match(after)
        or multiplier.startswith(("lakh", "lac", "crore", "cr"))
    ):
        return "money"
    if _PEOPLE_BEFORE.search(before):
        return "people"
    if _counted(after):
        return "count"  # "~25k teens on the app", "2,000 landscaping firms paying us"
    return "bare"


def _year_before_money(clause: Clause, first: Quantity, second: Quantity) -> bool:
    return (
        first.kind == "date"
        and second.kind == "money"
        and re.fullmatch(r"\d{4}", re.sub(r"[\s.'’\u202f\u00a0]", "", first.text)) is not None
        and _RANGE_OPENS.search(clause.digits[: first.start]) is not None
        and _RANGE_JOIN.match(clause.digits[first.end : second.start]) is not None
    )


_RANGE_OPENS = re.compile(r"\b(?:between|from|de|von|desde)\s*$", re.I)


def _joins(clause: Clause, first: Quantity, second: Quantity) -> bool:
    if not _RANGE_JOIN.match(clause.digits[first.end : second.start]):
        return False
    kinds = {first.kind, second.kind} - {"bare"}
    return len(kinds) <= 1 and not kinds & {"date", "other"}


def _range(clause: Clause, first: Quantity, second: Quantity) -> Quantity:
    text = clause.digits[first.start : second.end]
    found = parse_range(text) or (first.low, second.high)
    kind = second.kind if second.kind != "bare" else first.kind
    return Quantity(
        clause=clause,
        low=found[0],
        high=found[1],
        kind=kind,
        text=text.strip(),
        start=first.start,
        end=second.end,
        scaled=first.scaled or second.scaled,
        currency=first.currency or second.currency,
        negated=first.negated,
        specialists=second.specialists,
    )
