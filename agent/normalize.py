"""Turn values as people say them into numbers: money, headcounts, timelines, emails.

Used by the tool-argument validation (whatever the model passes goes through here) and by
the offline model. Numbers in words go through text2num, amounts through price-parser,
dates through dateparser and emails through email-validator; this module only adds the
spoken-number multipliers (k, m, lakh, crore) and business calendar words (quarters, ASAP)
that none of those libraries know.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache, partial
from typing import Any

import dateparser
from email_validator import EmailNotValidError, validate_email
from price_parser import Price
from text_to_num import alpha2digit

from agent.business_calendar import find_holiday, next_holiday
from agent.models import PERIODS_PER_YEAR, BudgetPeriod

MULTIPLIERS: dict[str, float] = {
    "k": 1e3,
    "K": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
}

CURRENCY_ALIASES: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "cad": "CAD",
    "c$": "CAD",
    "ca$": "CAD",
    "can$": "CAD",
    "canadian dollars": "CAD",
    "canadian": "CAD",
    "aud": "AUD",
    "a$": "AUD",
    "au$": "AUD",
    "australian dollars": "AUD",
    "aussie dollars": "AUD",
    "australian": "AUD",
    "aussie": "AUD",
    "₹": "INR",
    "inr": "INR",
    "rs": "INR",
    "rs.": "INR",
    "rupee": "INR",
    "rupees": "INR",
    "lakh": "INR",
    "lakhs": "INR",
    "lac": "INR",
    "crore": "INR",
    "crores": "INR",
    # Currencies said by their code in other languages' markets ("CHF 80'000", "R$ 250 mil").
    "chf": "CHF",
    "brl": "BRL",
    "mxn": "MXN",
    "ars": "ARS",
    "clp": "CLP",
    "cop": "COP",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "czk": "CZK",
    "pln": "PLN",
}

PERIOD_ALIASES: dict[str, BudgetPeriod] = {
    "monthly": "monthly",
    "month": "monthly",
    "mo": "monthly",
    "mth": "monthly",
    "pm": "monthly",
    "annual": "annual",
    "annually": "annual",
    "yearly": "annual",
    "year": "annual",
    "yr": "annual",
    "pa": "annual",
    "one_time": "one_time",
    "one-time": "one_time",
    "one time": "one_time",
    "once": "one_time",
    "upfront": "one_time",
    "weekly": "weekly",
    "week": "weekly",
    "wk": "weekly",
    "quarterly": "quarterly",
    "quarter": "quarterly",
    "qtr": "quarterly",
    "semiannual": "semiannual",
    "semi-annual": "semiannual",
    "semiannually": "semiannual",
    "half-yearly": "semiannual",
    "biannual": "semiannual",
}

_NUMBER = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)*)"
    r"\s*(?P<mult>(?:thousand|grand|millions?|mil|mn|mm|billion|bn|"
    r"lakhs?|lacs?|crores?|cr|k|m|b)\b)?(?:\s*(?P<bare>1000000000|1000000|1000)\b)?",
    re.IGNORECASE,
)
_WORD_SUBSTITUTIONS = (
    (re.compile(r"\bhalf an? (million|thousand|lakh|crore)\b", re.I), r"0.5 \1"),
    (re.compile(r"\b(?:a|one) and a half (million|thousand|lakh|crore)\b", re.I), r"1.5 \1"),
    (re.compile(r"\ba (hundred|thousand|million|grand|dozen|couple)\b", re.I), r"one \1"),
    (re.compile(r"\b(?:one )?dozen\b", re.I), "12"),
    (re.compile(r"\bone couple of\b|\ba couple of\b|\bcouple of\b|\bcouple\b", re.I), "2"),
    (re.compile(r"\ba few\b|\bfew\b", re.I), "3"),
)


_SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000, "million": 1_000_000}
_COUNTED_SCALES = (
    (re.compile(r"\b(?:a )?couple(?: of)? (hundred|thousand|million|grand)\b", re.I), 2),
    (re.compile(r"\b(?:a )?few (hundred|thousand|million|grand)\b", re.I), 3),
)


def _scaled(count: int, match: re.Match[str]) -> str:
    # Grouped ("2,000") so that "a couple grand" is never read as the year 2000.
    return f"{count * _SCALES[match[1].lower()]:,}"


def words_to_digits(text: str) -> str:
    """Rewrite numbers written in words as digits ("fifty thousand" -> "50000")."""
    for pattern, count in _COUNTED_SCALES:
        # "a couple hundred" -> "200": a count times the scale word.
        text = pattern.sub(partial(_scaled, count), text)
    for pattern, replacement in _WORD_SUBSTITUTIONS:
        text = pattern.sub(replacement, text)
    converted: str = alpha2digit(text, "en", threshold=0)
    return _PRONOUN_ONE.sub(r"\g<before>one", converted)


# "one" as a pronoun, not a count: "a pretty big one", "the one", "which one".
_PRONOUN_ONE = re.compile(
    r"(?P<before>\b(?:the|this|that|which|each|every|no|any|big|bigger|small|smaller|large|"
    r"larger|huge|tiny|little|new|old|good|bad|great|right|wrong|main|only|last|first|other|"
    r"another|same|real|serious|proper|young|mature|decent|busy|quiet|1st|2nd|3rd) )1\b"
    r"(?!\d|[.,]\d|\s*(?:of|person|people|employee|staff|hundred|thousand|million|k\b))",
    re.I,
)


def _number_value(token: str) -> float:
    token = re.sub(r"[ \u00a0\u202f]", "", token)  # "30 000": spaces group thousands
    price = Price.fromstring(
        token, decimal_separator="." if re.search(r"\.\d{1,2}$", token) else None
    )
    if price.amount is None:
        raise ValueError(f"{token!r} is not a number")
    return float(price.amount)


def find_numbers(text: str) -> list[tuple[float, bool, re.Match[str]]]:
    """Every number in ``text`` (already in digits) with its multiplier applied.

    Returns (value, had_multiplier, match) for each number, left to right.
    """
    found: list[tuple[float, bool, re.Match[str]]] = []
    for match in _NUMBER.finditer(text):
        value = _number_value(match["num"])
        scaled = False
        if match["mult"]:
            mult = match["mult"]
            value *= MULTIPLIERS.get(mult, MULTIPLIERS.get(mult.lower(), 1.0))
            scaled = True
        if match["bare"]:
            value *= float(match["bare"])
            scaled = True
        found.append((value, scaled, match))
    return found


def parse_amount(value: float | int | str) -> float:
    """One amount of money or a count: 30000, "30k", "fifty thousand", "$1.2m", "15 lakh"."""
    if isinstance(value, bool):
        raise ValueError("expected an amount, got a boolean")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"amount must be a positive number, got {value}")
        return float(value)
    numbers = find_numbers(words_to_digits(value))
    if not numbers:
        raise ValueError(f"no amount found in {value!r}")
    return numbers[0][0]


def parse_range(text: str) -> tuple[float, float] | None:
    """A range ("between 20 and 30k", "40-60 thousand") or a single amount, low first.

    A bare first number borrows the multiplier of the second ("20 to 30k" is 20k-30k).
    """
    numbers = find_numbers(words_to_digits(text))
    if not numbers:
        return None
    if len(numbers) == 1:
        return numbers[0][0], numbers[0][0]
    (low, low_scaled, _), (high, high_scaled, _) = numbers[0], numbers[1]
    if not low_scaled and low < high and (high_scaled or high >= 100 * low):
        for factor in (1e3, 1e5, 1e6, 1e7, 1e9):
            if low * factor <= high and low * factor * 10 > high:
                low *= factor
                break
    return (low, high) if low <= high else (high, low)


def normalize_currency(value: str | None) -> str | None:
    """ISO 4217 code for a code, symbol or currency word; None when nothing is recognised."""
    if value is None:
        return None
    key = value.strip().lower()
    if not key:
        return None
    if key in CURRENCY_ALIASES:
        return CURRENCY_ALIASES[key]
    if len(key) == 3 and key.isalpha():
        return key.upper()
    return None


def currency_in(text: str) -> str | None:
    """The currency a piece of text talks about, from symbols, codes or words."""
    lowered = text.lower()
    for alias, pattern in _CURRENCY_PATTERNS:
        if pattern.search(lowered):
            return CURRENCY_ALIASES[alias]
    return None


def _alias_pattern(alias: str) -> re.Pattern[str]:
    """Symbols match anywhere; an alias with letters must not sit inside a word."""
    if not any(ch.isalpha() for ch in alias):
        return re.compile(re.escape(alias))
    tail = r"\b" if alias[-1].isalnum() else ""
    return re.compile(rf"(?<![a-z]){re.escape(alias)}{tail}")


_CURRENCY_PATTERNS = [
    (alias, _alias_pattern(alias)) for alias in sorted(CURRENCY_ALIASES, key=len, reverse=True)
]


def normalize_period(value: str | None) -> BudgetPeriod | None:
    if value is None:
        return None
    return PERIOD_ALIASES.get(value.strip().lower())


def to_annual_usd(
    amount_min: float,
    amount_max: float | None,
    currency: str,
    period: BudgetPeriod,
    fx: dict[str, float],
) -> float:
    """Annual USD for a budget: midpoint of the range, converted, times its periods a year."""
    if currency not in fx:
        known = ", ".join(sorted(fx))
        raise ValueError(f"no exchange rate for {currency}; known currencies: {known}")
    high = amount_min if amount_max is None else amount_max
    amount = (amount_min + high) / 2
    per_year = amount * PERIODS_PER_YEAR[period]
    return round(per_year * fx[currency], 2)


def parse_headcount(value: int | float | str) -> int:
    """Employees from "about 40 people", "2.5k employees", "a team of twelve", "40-50"."""
    if isinstance(value, bool):
        raise ValueError("expected a number of employees, got a boolean")
    if isinstance(value, int | float):
        count = float(value)
    else:
        found = parse_range(value)
        if found is None:
            raise ValueError(f"no number of employees in {value!r}")
        count = (found[0] + found[1]) / 2
    if not math.isfinite(count) or count < 1:
        raise ValueError(f"a company has at least one person, got {value!r}")
    if count > 5_000_000:
        raise ValueError(f"{value!r} is not a plausible number of employees")
    return round(count)


def normalize_email(value: str) -> str:
    """A syntactically valid email address, normalised; ValueError otherwise."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    normalized: str = result.normalized
    return normalized


# --- timelines -------------------------------------------------------------------------

NOW_WORDS = re.compile(
    r"\b(asap|a\.s\.a\.p|as soon as possible|(?:as )?soon as (?:we|you|i) (?:can|could)|soon as|"
    r"immediately|right away|right now|urgent(?:ly)?(?![\s-]*care)|"
    r"yesterday|straight away|this week|today|now)\b",
    re.I,
)
NO_TIMELINE = re.compile(
    r"\b(no rush|no hurry|no timeline|no time ?frame|no deadline|no set date|not urgent|"
    r"just (?:exploring|looking|browsing|researching)|someday|some day|eventually|not sure when|"
    r"no idea when|no plans? yet|not (?:any )?time soon|down the (?:road|line)|tbd|undecided|"
    r"not this year|no (?:real |hard |fixed |firm |set |particular )(?:deadline|timeline|date)|"
    r"(?:just )?poking around|just (?:curious|checking)|whenever|no time pressure)\b",
    re.I,
)
_DURATION = re.compile(
    r"(?:(?P<half>half (?:a |an )?)|(?P<count>\d+(?:\.\d+)?|an?)\s*"
    r"(?:(?:-|–|to|or)\s*(?P<upper>\d+(?:\.\d+)?)\s*)?)"
    r"(?P<unit>days?|weeks?|wks?|fortnights?|months?|mos?|mths?|quarters?|years?|yrs?)\b"
    r"(?P<and_half> and a half)?",
    re.I,
)
_UNIT_MONTHS = {
    "d": 1 / 30.44,
    "w": 7 / 30.44,
    "f": 14 / 30.44,
    "m": 1.0,
    "q": 3.0,
    "y": 12.0,
}
_QUARTER = re.compile(
    r"\b(?:(?P<edge>end|start|beginning|middle|mid)\s+(?:of\s+)?)?(?:the\s+)?"
    r"(?:q(?P<q>[1-4])|(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)"
    r"(?:\s+(?:of\s+)?(?P<year>20\d\d))?\b",
    re.I,
)
_REL_QUARTER = re.compile(r"\b(?P<which>this|next|coming|following)\s+quarter\b", re.I)
_YEAR_EDGE = re.compile(
    r"\b(?P<edge>end|start|beginning|early|mid|middle|late|first half|second half)\s*(?:of\s+)?"
    r"(?:the\s+)?(?P<which>this|next|the)?\s*(?:year|(?P<year>20\d\d))\b",
    re.I,
)
_SEASONS = {"spring": 4, "summer": 7, "fall": 10, "autumn": 10, "winter": 1}
_SEASON = re.compile(
    r"\b(?:(?P<which>this|next)\s+)?(?P<season>spring|summer|fall|autumn|winter)\b", re.I
)
_WITHIN = re.compile(r"\b(?:within|inside of|in the next|over the next|next)\s+(?=\d)", re.I)
_BARE_NUMBER = re.compile(r"(?:around|about|roughly|~)?\s*\d+(?:[.,]\d+)?", re.I)
_END_OF_MONTH = re.compile(
    r"\b(?:end of|by the end of|before the end of)\s+(?:the|this)\s+month\b", re.I
)
_END_OF_QUARTER = re.compile(
    r"\b(?:end of|by the end of|before the end of)\s+(?:the|this)\s+quarter\b", re.I
)
MAX_MONTHS = 120
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_DATEPARSER_SETTINGS: Any = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}


def _month_end(year: int, month: int) -> date:
    return date(year, month, 28)


def _duration_months(text: str) -> int | None:
    """Months in a duration ("in about 5 months", "6-8 weeks", "half a year"), upper end."""
    match = _DURATION.search(words_to_digits(text.lower()))
    if match is None:
        return None
    if match["half"]:
        count = 0.5
    else:
        count = float(match["upper"] or (1 if match["count"] in ("a", "an") else match["count"]))
    if match["and_half"]:
        count += 0.5
    return round(count * _UNIT_MONTHS[match["unit"][0].lower()])


def _months_between(today: date, target: date) -> int:
    return max(0, round((target - today).days / 30.44))


def _quarter_month(quarter: int, edge: str | None) -> int:
    start = 3 * (quarter - 1) + 1
    if edge in ("start", "beginning"):
        return start
    if edge in ("middle", "mid"):
        return start + 1
    return start + 2


def _future(today: date, month: int, year: int | None, day: int = 15) -> date:
    if year is not None:
        return date(year, month, day)
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def timeline_months(text: str, today: date) -> int | None:
    """Whole months from ``today`` until the time the prospect names.

    1 for "ASAP"; None for "no rush" and other statements of no timeline; ValueError when
    the text names no time at all. A window ("3-4 months", "next quarter") counts to its
    end; durations are counted, not parsed ("in about five months", "6-8 weeks").
    """
    text = re.sub(r"\bfrom (?:right |today|now)(?:now)?\b", " ", text, flags=re.I)
    text = re.sub(r"(?<=[a-z])-(?=\d)", " ", text, flags=re.I)
    text = re.sub(r"\b(mid|early|late|end)-(?=[a-z])", r"\1 ", text, flags=re.I)
    if NO_TIMELINE.search(text):
        return None
    if NOW_WORDS.search(text):
        return 1
    if (months := _duration_months(text)) is not None:
        if months > MAX_MONTHS:
            raise ValueError(f"{text!r} is more than {MAX_MONTHS // 12} years away")
        return months
    if (holiday := find_holiday(text, today)) is not None:
        lead = text[: holiday.start()].lower()
        named_next = (
            "next year" in text[holiday.end() :].lower()
            or "next" in lead[-6:]
            or re.search(r"\bnext year's\s*$", lead) is not None  # "next year's Black Friday"
        )
        when = next_holiday(holiday.group(), today, next_year=named_next)
        if when is not None:
            return _months_between(today, when)
    if _END_OF_MONTH.search(text):
        return 1
    if _END_OF_QUARTER.search(text):
        current = (today.month - 1) // 3 + 1
        return _months_between(today, _future(today, _quarter_month(current, "end"), today.year))
    if match := _REL_QUARTER.search(text):
        current = (today.month - 1) // 3 + 1
        if match["which"].lower() == "this":
            month = _quarter_month(current, "end")
            return _months_between(today, _future(today, month, today.year))
        nxt = current % 4 + 1
        year = today.year + (1 if nxt == 1 else 0)
        return _months_between(today, _month_end(year, _quarter_month(nxt, "end")))
    if match := _QUARTER.search(text):
        quarter = int(match["q"]) if match["q"] else _ORDINALS[match["ord"].lower()]
        edge = (match["edge"] or "").lower() or None
        named_year = int(match["year"]) if match["year"] else None
        if named_year is None and re.search(r"\bnext year\b", text, re.I):
            named_year = today.year + 1
        month = _quarter_month(quarter, edge)
        day = 1 if edge in ("start", "beginning") else 28
        return _months_between(today, _future(today, month, named_year, day))
    if match := _YEAR_EDGE.search(text):
        edge = match["edge"].lower()
        year = int(match["year"]) if match["year"] else today.year
        if (match["which"] or "").lower() == "next":
            year = today.year + 1
        # A half year is a window: its end counts, as for "3-4 months" or "next quarter".
        month, day = {
            "end": (12, 15),
            "late": (11, 15),
            "first half": (6, 30),
            "second half": (12, 31),
            "mid": (6, 15),
            "middle": (6, 15),
        }.get(edge, (2, 15))
        return _months_between(today, date(year, month, day))
    if match := _SEASON.search(text):
        month = _SEASONS[match["season"].lower()]
        season_year = today.year + 1 if (match["which"] or "").lower() == "next" else None
        return _months_between(today, _future(today, month, season_year))
    cleaned = _WITHIN.sub("in ", words_to_digits(text))
    cleaned = re.sub(
        r"\b(?:by|before|until|around|about|roughly|hopefully|ideally)\b", " ", cleaned, flags=re.I
    )
    cleaned = re.sub(r"\b(?:the\s+)?end of\b", "", cleaned, flags=re.I)
    # "early May", "mid-March", "the beginning of June": a day of that month.
    cleaned = _MONTH_EDGE.sub(
        lambda m: f"{m['month']} {_EDGE_DAY[m['edge'].split()[-2 if ' of' in m['edge'] else -1]]}",
        cleaned,
    )
    if _MONTH_NAME.search(cleaned):
        # "July next year" is July of next year, not a year from today.
        cleaned = re.sub(r"\bnext year\b", str(today.year + 1), cleaned, flags=re.I)
    cleaned = cleaned.strip(" .,!?")
    if _BARE_NUMBER.fullmatch(cleaned):
        raise ValueError(f"{text!r} is a number, not a time; say e.g. 'in 3 months'")
    parsed = _parse_date(cleaned, today)
    if parsed is None:
        raise ValueError(f"no time found in {text!r}")
    if (today - parsed).days > _PAST_GRACE_DAYS:
        raise ValueError(f"{text!r} is in the past")
    months = _months_between(today, parsed)
    if months > MAX_MONTHS:
        raise ValueError(f"{text!r} is more than {MAX_MONTHS // 12} years away")
    return months


_EDGE_DAY = {"early": 5, "beginning": 1, "start": 1, "mid": 15, "middle": 15, "late": 25}
_MONTH_EDGE = re.compile(
    r"\b(?P<edge>early|mid|late|(?:the )?(?:beginning|start|middle) of)\s+"
    r"(?P<month>(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\b",
    re.I,
)
_PAST_GRACE_DAYS = 31  # "by the end of this month" said on the last day is not the past

_MONTH_NAME = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)


@lru_cache(maxsize=4096)
def _parse_date_cached(text: str, today: date) -> date | None:
    settings = {
        **_DATEPARSER_SETTINGS,
        "RELATIVE_BASE": datetime.combine(today, datetime.min.time()),
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        from dateparser.search import search_dates

        hits = search_dates(text, languages=["en"], settings=settings)
        useful = [
            hit for hit in hits or [] if any(ch.isdigit() for ch in hit[0]) or len(hit[0]) > 3
        ]
        if not useful:
            return None
        parsed = useful[-1][1]
    return parsed.date()


def _parse_date(text: str, today: date) -> date | None:
    if not text:
        return None
    return _parse_date_cached(text.lower(), today)
