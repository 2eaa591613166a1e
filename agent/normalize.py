"""Turn values as people say them into numbers: money, headcounts, timelines, emails.

Used by the tool-argument validation (whatever the model passes goes through here) and by
the offline model. Numbers in words go through text2num, amounts through price-parser,
dates through dateparser and emails through email-validator; this module only adds the
spoken-number multipliers (k, m, lakh, crore) and business calendar words (quarters, ASAP)
that none of those libraries know.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, partial
from typing import Any, Literal

import dateparser
from babel.dates import get_month_names
from email_validator import EmailNotValidError, validate_email
from price_parser import Price
from text_to_num import alpha2digit

from agent.business_calendar import (
    find_holiday,
    fold,
    local_holiday_pattern,
    next_holiday,
    next_local_holiday,
)
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
    "xof": "XOF",
    "xaf": "XAF",
    "fcfa": "XOF",
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
    return date(year, month, calendar.monthrange(year, month)[1])


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


def timeline_months(text: str, today: date, language: str | None = None) -> int | None:
    """Whole months from ``today`` until the time the prospect names.

    1 for "ASAP"; None for "no rush" and other statements of no timeline; ValueError when
    the text names no time at all. A window ("3-4 months", "next quarter") counts to its
    end; durations are counted, not parsed ("in about five months", "6-8 weeks").

    ``language`` is the language the time is said in (ISO 639-1); without it, a text that
    is no time in English is read in each language of :data:`TIMELINE_WORDS` in turn.
    """
    if language in TIMELINE_WORDS:
        return _foreign_timeline_months(text, today, language)
    if language is None and any(_compiled(other)[0].search(fold(text)) for other in TIMELINE_WORDS):
        return None  # "sin fecha fija", "kein fester Termin": no timeline, in any language
    try:
        return _timeline_months(text, today)
    except ValueError as exc:
        if language is not None:
            raise
        error = exc
    for other in TIMELINE_WORDS:
        try:
            return _foreign_timeline_months(text, today, other)
        except ValueError:
            continue
    assert error is not None
    raise error


def _timeline_months(text: str, today: date) -> int | None:
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
        return _months_between(today, _month_end(today.year, _quarter_month(current, "end")))
    if match := _REL_QUARTER.search(text):
        current = (today.month - 1) // 3 + 1
        if match["which"].lower() == "this":
            return _months_between(today, _month_end(today.year, _quarter_month(current, "end")))
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
        day = 1 if edge in ("start", "beginning") else _month_end(today.year, month).day
        return _months_between(today, _future(today, month, named_year, day))
    if match := _YEAR_EDGE.search(text):
        edge = match["edge"].lower()
        year = int(match["year"]) if match["year"] else today.year
        if (match["which"] or "").lower() == "next":
            year = today.year + 1
        # A half year is a window: its end counts, as for "3-4 months" or "next quarter".
        month, day = {
            "end": (12, 31),
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
    # "early May", "mid-March", "the beginning of June", "the end of July": a day of that
    # month; a month said alone ("by September") is its middle, whatever today's date is.
    cleaned = _MONTH_EDGE.sub(_edge_day, cleaned)
    cleaned = re.sub(r"\b(?:the\s+)?end of\b", "", cleaned, flags=re.I)
    if len(_MONTH_NAME.findall(cleaned)) == 1:
        cleaned = _MONTH_ALONE.sub(r"\g<month> 15", cleaned)
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


_EDGE_DAY = {
    "early": 5,
    "beginning": 1,
    "start": 1,
    "mid": 15,
    "middle": 15,
    "late": 25,
}
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


def _edge_day(match: re.Match[str]) -> str:
    """ "the end of September" as "September 30" (its last day: the end counts), "mid-May" as
    "May 15"."""
    words = match["edge"].lower().split()
    edge = words[-2] if " of" in match["edge"].lower() else words[-1]
    if edge == "end":
        month = _MONTH_NUMBERS[match["month"][:3].lower()]
        return f"{match['month']} {_month_end(2001, month).day}"  # 2001: February has 28
    return f"{match['month']} {_EDGE_DAY[edge]}"


_MONTH_EDGE = re.compile(
    r"\b(?P<edge>early|mid|late|(?:the )?(?:beginning|start|middle|end) of)\s+"
    r"(?P<month>(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\b",
    re.I,
)
_MONTH_ALONE = re.compile(
    # not after a day: "3. october", "the 3rd of october"
    r"(?<!\d)(?<!\d )(?<!\d\. )(?<!\d of )(?<!\d(?:st|nd|rd|th) )(?<!\d(?:st|nd|rd|th) of )"
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|"
    r"july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
    r"(?!\s*\d{1,2}(?:st|nd|rd|th)?\b)",
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


# --- timelines in other languages -------------------------------------------------------
#
# A time said in German, Spanish, French or Portuguese is read by naming it in English
# words ("bis Ende März" -> "by end of march", "dentro de 3 meses" -> "in 3 months") and
# resolving that as above; holidays come from the business calendar in the language's own
# names ("Ostern", "Semana Santa", "la rentrée", "Carnaval"), numbers in words from
# text2num. Everything is matched on folded text (lower case, no accents).


@dataclass(frozen=True)
class TimelineWords:
    """How one language says "as soon as possible", "no timeline" and times to come."""

    now: str  # "so schnell wie möglich": 1 month
    vague_now: str  # "jetzt", "ahora mismo": "now" only in answer to the timeline question
    calm: str  # "kein fester Termin": no timeline
    duration_lead: str  # "in", "dentro de", "d'ici", "daqui a": before a count of units
    date_lead: str  # "bis", "antes de", "avant", "até": before a date
    past: str  # "seit", "hace", "il y a", "há": what is said of the past
    next_year: str  # "nächstes Jahr": the holiday of next year
    units: dict[str, str]  # word -> English unit
    seasons: dict[str, str]
    # (folded pattern, English), applied in order before the single words
    phrases: tuple[tuple[str, str], ...]
    filler: str = ""  # approximations dropped before reading numbers ("unos", "etwa")
    counts: str = ""  # numbers in words before a unit ("drei", "unos", "quelques")
    edges: str = ""  # "Ende", "finales de", "début", "meados de": the part of a period
    correction: str = ""  # "eigentlich", "mejor dicho": a time said again
    articles: str = ""  # "der", "el", "la", "o": between a lead and its time
    habit: str = ""  # "jeden Monat", "cada verano": what happens every year is no deadline
    past_after: str = ""  # "im März haben wir gekündigt", "en mars dernier": said after


_ENGLISH_MONTHS = [str(name).lower() for name in get_month_names("wide", locale="en").values()]


def _unit_words(units: dict[str, str]) -> str:
    return "|".join(sorted(units, key=len, reverse=True))


# Spanish and Portuguese name time units alike (accents are folded before matching).
_SPANISH_PORTUGUESE_UNITS = {
    "dia": "day",
    "dias": "days",
    "semana": "week",
    "semanas": "weeks",
    "mes": "month",
    "meses": "months",
    "trimestre": "quarter",
    "trimestres": "quarters",
    "ano": "year",
    "anos": "years",
    "semestre": "half year",
}

TIMELINE_WORDS: dict[str, TimelineWords] = {
    "de": TimelineWords(
        now=r"asap|a\.s\.a\.p|so (?:schnell|bald|fruh|zugig|rasch) wie (?:moglich|es geht)|"
        r"schnellstmoglich|baldmoglichst|moglichst (?:schnell|rasch|bald|zugig|zeitnah)|"
        r"(?:ab )?sofort|umgehend|unverzuglich|dringend|zeitnah|(?:am besten |eigentlich )?gestern|"
        r"noch heute|sobald (?:wie moglich|es geht|als moglich)",
        vague_now=r"(?<!fur )(?<!bis )jetzt|gleich|jetzt gleich|diese woche|heute",
        calm=r"keine eile|eilt nicht|(?:hat |haben )?keinen? zeitdruck|nicht dringend|"
        r"keine?n? (?:(?:fest|konkret|genau|bestimmt|richtig|klar)\w* )?"
        r"(?:zeitplan|termin|zeitrahmen|deadline|datum|frist|zeithorizont)|"
        r"(?:schauen|sehen|informieren) uns (?:\w+ ){0,3}(?:um|informieren)\b|"
        r"(?:schauen|sehen) uns (?:erstmal |erst mal |nur |einfach |mal )*um|"
        r"(?:nur|erstmal|erst mal) (?:am )?(?:umschauen|schauen|informieren|recherchieren|"
        r"stobern|gucken)|irgendwann|noch (?:offen|unklar|nicht klar)|kein plan wann|"
        r"kein(?:en)? (?:stress|druck)|keine hektik|(?:wir )?haben (?:noch )?zeit",
        duration_lead=r"in|innerhalb(?: von| der nachsten)?|binnen|in den nachsten|"
        r"in (?:etwa|ca\.?|rund|ungefahr|circa)",
        date_lead=r"bis(?: zum| zur| spatestens| ende)?|spatestens(?: bis| zum| zur| im| am)?|"
        r"noch vor|vor|zum|zur|im|in|am|ab|um|gegen|fur|bis in den|bis in die",
        past=r"seit|letzte[nmrs]?|vergangene[nmrs]?|fruher|damals|war|waren|hatten|"
        r"vor (?:\d+|einem|einer|zwei|drei|vier|funf|sechs|ein paar|einigen|wenigen)",
        next_year=r"nachste[ns]? jahr|kommende[ns]? jahr",
        units={
            "tag": "day",
            "tage": "days",
            "tagen": "days",
            "woche": "week",
            "wochen": "weeks",
            "monat": "month",
            "monate": "months",
            "monaten": "months",
            "quartal": "quarter",
            "quartale": "quarters",
            "quartalen": "quarters",
            "jahr": "year",
            "jahre": "years",
            "jahren": "years",
            "halbjahr": "half year",
        },
        seasons={
            "fruhling": "spring",
            "fruhjahr": "spring",
            "sommer": "summer",
            "herbst": "autumn",
            "winter": "winter",
        },
        phrases=(
            (
                r"(?:zum |bis zum |bis )?(?:jahresende|jahreswechsel)|"
                r"ende (?:des|dieses) jahr(?:es|s)?",
                "end of this year",
            ),
            (r"ende (?:des )?nachsten jahres", "end of next year"),
            (
                r"(?:ende (?:des|dieses) )?monatsende|ende (?:des|dieses) monats",
                "end of this month",
            ),
            (r"ende des (?:nachsten|kommenden) quartals", "next quarter"),
            (
                r"(?:ende (?:des|dieses) )?quartalsende|ende (?:des|dieses) quartals",
                "end of this quarter",
            ),
            (r"(?:im |in )?(?:nachsten|kommenden) monat|nachste[ns]? monat", "next month"),
            (r"(?:im |in )?(?:nachsten|kommenden) quartal|nachste[ns]? quartal", "next quarter"),
            (r"(?:im |in )?(?:nachsten|kommenden) jahr|nachste[ns]? jahr", "next year"),
            (r"(?:in der )?(?:nachsten|kommenden) woche|nachste woche", "next week"),
            (r"ubernachste woche", "in 2 weeks"),
            (r"(?:im laufe|innerhalb) (?:des|dieses) jahres", "end of this year"),
            (r"mitte (?:des|dieses) jahres|jahresmitte", "middle of this year"),
            (r"(?:einem |ein )?halbe[ns]? jahr(?:es)?", "half a year"),
            (r"dieses jahr|diesem jahr|in diesem jahr", "this year"),
            (
                r"(?:im |das |die )?(?:erste[nms]?|1\.) (?:halbjahr|jahreshalfte)",
                "first half of the year",
            ),
            (
                r"(?:im |das |die )?(?:zweite[nms]?|2\.) (?:halbjahr|jahreshalfte)",
                "second half of the year",
            ),
            (r"(?:im |das )?(?:erste[nms]?|1\.) quartal", "q1"),
            (r"(?:im |das )?(?:zweite[nms]?|2\.) quartal", "q2"),
            (r"(?:im |das )?(?:dritte[nms]?|3\.) quartal", "q3"),
            (r"(?:im |das )?(?:vierte[nms]?|4\.) quartal", "q4"),
            (r"\b(?:ein )?paar|einige[nr]?", "2"),
            (r"\b(?:einem|einen|einer|eine|ein)\s+(?=(?:tag|woche|monat|quartal|jahr))", "1 "),
            (r"anderthalb", "1.5"),
            (r"\bbis\b(?=\s*\d)", "-"),
            (r"ende", "end of"),
            (r"anfang|beginn", "early"),
            (r"mitte", "mid"),
        ),
        counts=r"ein|eine|einem|einen|einer|zwei|drei|vier|funf|sechs|sieben|acht|neun|zehn|"
        r"elf|zwolf|vierzehn|achtzehn|vierundzwanzig|anderthalb|ein paar|paar|einigen|wenigen|"
        r"halben|halbes",
        edges=r"ende|anfang|beginn|mitte|spatestens ende|ab",
        correction=r"eigentlich|nein|doch|eher|besser gesagt|korrektur|sorry",
        articles=r"der|die|das|dem|den|des",
        habit=r"jede[nmrs]?|alle|immer|(?:nur )?einmal",
        past_after=r"(?:haben|hatten|hat|habe|sind|waren|ist) (?:\w+ ){0,5}ge\w+(?:t|en)|"
        r"letzte[nmrs]? jahr(?:es)?|vergangene[nmrs]? jahr(?:es)?",
        filler=r"etwa|ca\.|circa|rund|ungefahr|so",
    ),
    "es": TimelineWords(
        now=r"asap|lo (?:antes|mas pronto|mas rapido) (?:posible|que se pueda|que podamos)|"
        r"cuanto antes|ya mismo|de inmediato|inmediatamente|urgente(?:mente)?|para ayer|"
        r"hoy mismo|enseguida|en seguida|a la brevedad|en cuanto (?:se pueda|podamos|sea posible)",
        vague_now=r"ahora mismo|(?<!por )ahora|ya|esta (?:misma )?semana|hoy",
        calm=r"sin prisa|no hay prisa|no (?:nos )?corre prisa|sin apuro|no hay apuro|"
        r"(?:sin|no (?:tenemos|hay)(?: una)?) (?:fecha|plazo|calendario|urgencia|deadline)"
        r"(?: (?:fija|definida|concreta|clara|limite|cerrada))?|"
        r"(?:todavia|aun) no (?:tenemos|hay) (?:fecha|plazo)|"
        r"(?:solo |solamente |de momento |por ahora )?(?:estamos |estoy )?"
        r"(?:explorando|mirando|investigando|curioseando|informandonos|viendo opciones)|"
        r"algun dia|no es urgente|nada urgente|sin urgencia|ni idea de cuando",
        duration_lead=r"en|dentro de|en (?:los|las) proxim[oa]s|en menos de|de aqui a|"
        r"d?en (?:unos|unas)",
        date_lead=r"para(?: el| la)?|hasta(?: el| la)?|antes de(?:l| la| el)?|a(?: mas tardar)?|"
        r"en|por|hacia|como tarde|a mas tardar|desde|a partir de(?:l)?",
        past=r"hace|desde|pasad[oa]s?|ultim[oa]s?|empezamos|llevamos|fue|estuve|estuvimos",
        next_year=r"(?:proximo|siguiente) ano|ano que viene",
        units=_SPANISH_PORTUGUESE_UNITS,
        seasons={
            "primavera": "spring",
            "verano": "summer",
            "otono": "autumn",
            "invierno": "winter",
        },
        phrases=(
            (r"(?:un |1 )?ano y medio", "18 months"),
            (
                r"(?:a |para |antes de )?(?:finales|final|fin|fines) (?:de|del) (?:este )?ano",
                "end of this year",
            ),
            (
                r"(?:a |para )?(?:finales|final|fin) del? (?:proximo|siguiente) ano",
                "end of next year",
            ),
            (r"(?:a |para )?(?:finales|final|fin) (?:de|del) (?:este )?mes", "end of this month"),
            (
                r"(?:a |para )?(?:finales|final|fin) (?:de|del) (?:este )?trimestre",
                "end of this quarter",
            ),
            (r"(?:el )?(?:proximo|siguiente) mes|(?:el )?mes que viene", "next month"),
            (
                r"(?:el )?(?:proximo|siguiente) trimestre|(?:el )?trimestre que viene",
                "next quarter",
            ),
            (r"(?:el )?(?:proximo|siguiente) ano|(?:el )?ano que viene", "next year"),
            (r"(?:la )?(?:proxima|siguiente) semana|(?:la )?semana que viene", "next week"),
            (r"(?:antes de )?que (?:se )?(?:acabe|termine) el ano", "end of this year"),
            (r"(?:a lo largo|durante|en el transcurso) del? (?:este )?ano", "end of this year"),
            (r"(?:a )?mediados de(?:l| este)? ano|mitad de(?:l| este)? ano", "middle of this year"),
            (r"medio ano", "half a year"),
            (r"este ano", "this year"),
            (r"este trimestre", "this quarter"),
            (r"(?:el )?primer semestre|s1", "first half of the year"),
            (r"(?:el )?segundo semestre|s2", "second half of the year"),
            (r"(?:el )?primer trimestre|\bt1\b", "q1"),
            (r"(?:el )?segundo trimestre|\bt2\b", "q2"),
            (r"(?:el )?tercer trimestre|\bt3\b", "q3"),
            (r"(?:el )?cuarto trimestre|\bt4\b", "q4"),
            (r"\bun par de|unos pocos|unas pocas|algunos|algunas", "2"),
            (r"\b(?:un|una)\s+(?=(?:dia|semana|mes|trimestre|ano))", "1 "),
            (r"\b(?:a|y|o)\b(?=\s*\d)", "-"),
            (r"(?:a |para )?(?:finales|fines|final|fin) del?", "end of"),
            (r"(?:a )?(?:principios|inicios|comienzos|inicio|principio) del?", "early"),
            (r"(?:a )?mediados del?", "mid"),
            (r"\bdel?\b", " "),
        ),
        counts=r"un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|"
        r"quince|dieciocho|veinticuatro|unos|unas|pocos|pocas|algunos|algunas|medio|un par de",
        edges=r"(?:a |para |hasta |antes de )?(?:finales|fines|final|fin|principios|inicios|"
        r"comienzos|inicio|mediados)(?: del?)?",
        correction=r"perdon|mejor dicho|me corrijo|en realidad|bueno no|mejor",
        articles=r"el|la|los|las",
        habit=r"cada|todos los|todas las|siempre|(?:solo )?una vez",
        past_after=r"pasad[oa]|(?:del|el) ano pasado|lanzamos|empezamos|cambiamos|contratamos",
        filler=r"unos|unas|aproximadamente|mas o menos|alrededor de|cerca de|como",
    ),
    "fr": TimelineWords(
        now=r"asap|au plus vite|des que possible|le plus (?:tot|vite|rapidement) possible|"
        r"au plus tot|tout de suite|immediatement|urgent|urgemment|sans attendre|pour hier|"
        r"des aujourd'hui|dans les plus brefs delais|rapidement",
        vague_now=r"(?<!pour )maintenant|cette semaine|aujourd'hui",
        calm=r"pas (?:de|d') ?(?:date|urgence|calendrier|echeance|deadline|delai|presse)"
        r"(?: (?:precise|fixe|arretee|definie|particuliere))?|"
        r"aucune? (?:date|urgence|echeance|delai)|rien de presse|rien ne presse|rien d'urgent|"
        r"pas presses?|pas urgent|"
        r"(?:on|nous) (?:se renseigne|nous renseignons|explore|explorons|compare|comparons)|"
        r"(?:on|nous) regard(?:e|ons)(?: juste| simplement| un peu| pour l'instant)?"
        r"(?=\s*(?:$|[.,;!]))|"
        r"on regarde (?:juste|simplement|un peu)|juste (?:pour )?(?:voir|regarder|se renseigner)|"
        r"un jour ou l'autre|on verra|pas pour (?:l'instant|tout de suite|le moment)",
        duration_lead=r"dans|d'ici(?: a)?|sous|en|dans les|au cours des prochains|d'ici les",
        date_lead=r"d'ici(?: a)?(?: la| le| l')?|avant(?: la| le| l')?|pour(?: la| le| l')?|"
        r"jusqu'a(?: la| l')?|jusqu'au|en|a(?: la| l')?|au|vers(?: la| le| l')?|des|courant|"
        r"au plus tard(?: en| a| pour)?",
        past=r"il y a|depuis|dernier|derniere|passee?s?|avons|etait|etions|a commence",
        next_year=r"l'annee prochaine|l'an prochain|prochaine annee",
        units={
            "jour": "day",
            "jours": "days",
            "semaine": "week",
            "semaines": "weeks",
            "mois": "months",
            "trimestre": "quarter",
            "trimestres": "quarters",
            "an": "year",
            "ans": "years",
            "annee": "year",
            "annees": "years",
            "semestre": "half year",
        },
        seasons={"printemps": "spring", "ete": "summer", "automne": "autumn", "hiver": "winter"},
        phrases=(
            (r"(?:un |1 )?an et demi|(?:une |1 )?annee et demie", "18 months"),
            (
                r"(?:a |d'ici |avant |pour )?(?:la )?fin "
                r"(?:de l'annee|d'annee|de cette annee|de l'an)",
                "end of this year",
            ),
            (r"(?:la )?fin (?:de l'annee prochaine|de l'an prochain)", "end of next year"),
            (r"(?:la )?fin (?:du|de ce) mois", "end of this month"),
            # "fin du trimestre prochain": the next quarter, counted to its end
            (r"(?:la )?fin du trimestre (?:prochain|suivant)", "next quarter"),
            (r"(?:la )?fin (?:du|de ce) trimestre", "end of this quarter"),
            (
                r"(?:le )?mois prochain|(?:le )?prochain mois|(?:dans )?le mois qui (?:vient|suit)",
                "next month",
            ),
            (r"(?:le )?trimestre prochain|(?:le )?prochain trimestre", "next quarter"),
            (r"l'annee prochaine|l'an prochain|(?:la )?prochaine annee", "next year"),
            (r"(?:la )?semaine prochaine|(?:la )?prochaine semaine", "next week"),
            (r"(?:dans|au cours de|courant) (?:l'annee|de l'annee)", "end of this year"),
            (
                r"(?:au )?milieu de (?:l'annee|cette annee)|(?:a la )?mi-annee",
                "middle of this year",
            ),
            (r"(?:une )?quinzaine de jours|quinze jours", "2 weeks"),
            (r"cette annee", "this year"),
            (r"ce trimestre", "this quarter"),
            (r"(?:le )?(?:premier|1er) semestre|\bs1\b", "first half of the year"),
            (r"(?:le )?(?:second|deuxieme|2e|2eme) semestre|\bs2\b", "second half of the year"),
            (r"(?:le )?(?:premier|1er) trimestre|\bt1\b", "q1"),
            (r"(?:le )?(?:deuxieme|second|2e|2eme) trimestre|\bt2\b", "q2"),
            (r"(?:le )?(?:troisieme|3e|3eme) trimestre|\bt3\b", "q3"),
            (r"(?:le )?(?:quatrieme|4e|4eme) trimestre|\bt4\b", "q4"),
            (r"\bune? couple de|quelques", "2"),
            (r"\b(?:un|une)\s+(?=(?:jour|semaine|mois|trimestre|an|annee))", "1 "),
            (r"\b(?:a|ou)\b(?=\s*\d)", "-"),
            (r"(?:a )?(?:la )?fin (?:du|de la|de l'|de|d')?", "end of "),
            (r"(?:au )?(?:debut|commencement) (?:du|de la|de l'|de|d')?", "early "),
            (r"\bmi-|(?:au )?milieu (?:du|de la|de|d')?", "mid "),
            (r"\b(?:du|de la|de l'|de|d'|le|la|l')\b", " "),
        ),
        counts=r"un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|dix-huit|"
        r"quinze|vingt-quatre|quelques|quinzaine de|un couple de",
        edges=r"(?:a |d'ici |avant |pour )?(?:la )?(?:fin|debut|milieu|mi)"
        r"(?: du| de la| de l'| de| d')?",
        correction=r"pardon|plutot|en fait|finalement|non|je corrige",
        articles=r"le|la|les|l'",
        habit=r"chaque|tous les|toutes les|toujours|une (?:seule )?fois",
        past_after=r"dernier|derniere|passee?|(?:on|nous) (?:a|avons) \w+e\b",
        filler=r"environ|a peu pres|a peu pres|approximativement|grosso modo|quelque",
    ),
    "pt": TimelineWords(
        now=r"asap|o (?:mais )?(?:rapido|depressa|breve|cedo) (?:possivel|que (?:der|puder))|"
        r"(?:o )?quanto antes|(?:o )?mais rapido possivel|imediatamente|de imediato|"
        r"(?:pra|para) ja\b(?!,?\s+\w)|ja ja|urgente(?:mente)?|pra ontem|para ontem|hoje mesmo|"
        r"assim que (?:possivel|der|puder|pudermos)",
        vague_now=r"agora mesmo|(?<!por )agora|(?<!para )(?<!pra )ja|esta semana|essa semana|hoje",
        calm=r"sem pressa|nao ha pressa|nao tem pressa|"
        r"(?:ainda )?(?:sem|nao (?:temos|ha|tem)(?: uma)?) "
        r"(?:data|prazo|urgencia|previsao|calendario)"
        r"(?: (?:fixa|definida|certa|fechada|concreta|marcada))?|"
        r"(?:so |apenas |por enquanto )?(?:estamos |estou |to |tou |tamo )?(?:a )?"
        r"(?:pesquisar|pesquisando|explorar|explorando|ver opcoes|vendo opcoes|"
        r"dar uma olhada|olhando|sondar|sondando)|"
        r"um dia|sem urgencia|nao e urgente|mais pra frente|mais para a frente",
        duration_lead=r"em|dentro de|daqui a|nos proximos|nas proximas|em ate|em no maximo|"
        r"em (?:uns|umas)",
        date_lead=r"ate(?: ao| a| o| à)?|antes (?:do|da|de)|para(?: o| a)?|pra(?: o| a)?|no|na|"
        r"em|ao|a|por volta (?:do|da|de)|lá pra|la pra|no maximo (?:ate )?",
        past=r"ha|desde|passad[oa]s?|ultim[oa]s?|atras|comecamos|foi|fui|estive|estivemos",
        next_year=r"proximo ano|ano que vem",
        units=_SPANISH_PORTUGUESE_UNITS,
        seasons={"primavera": "spring", "verao": "summer", "outono": "autumn", "inverno": "winter"},
        phrases=(
            (r"(?:um |1 )?ano e meio", "18 months"),
            (r"(?:ate |antes do |no |ao )?(?:fim|final) (?:do|de|deste) ano", "end of this year"),
            (r"(?:fim|final) do (?:proximo ano|ano que vem)", "end of next year"),
            (r"(?:fim|final) (?:do|deste) mes", "end of this month"),
            (r"(?:fim|final) do (?:trimestre que vem|proximo trimestre)", "next quarter"),
            (r"(?:fim|final) (?:do|deste) trimestre", "end of this quarter"),
            (r"(?:o |no )?proximo mes|(?:o |no )?mes que vem", "next month"),
            (r"(?:o |no )?proximo trimestre|(?:o |no )?trimestre que vem", "next quarter"),
            (r"(?:o |no )?proximo ano|(?:o |no )?ano que vem", "next year"),
            (r"(?:a |na )?proxima semana|(?:a |na )?semana que vem", "next week"),
            (
                r"(?:ao longo|durante|no decorrer) (?:do|deste) ano|ainda (?:este|esse) ano",
                "end of this year",
            ),
            (r"(?:em )?meados do ano|(?:no )?meio do ano", "middle of this year"),
            (r"meio ano", "half a year"),
            (r"este ano|esse ano|neste ano", "this year"),
            (r"este trimestre|esse trimestre", "this quarter"),
            (r"(?:no |o )?(?:primeiro|1o|1º) semestre", "first half of the year"),
            (r"(?:no |o )?(?:segundo|2o|2º) semestre", "second half of the year"),
            (r"(?:no |o )?(?:primeiro|1o|1º) trimestre", "q1"),
            (r"(?:no |o )?(?:segundo|2o|2º) trimestre", "q2"),
            (r"(?:no |o )?(?:terceiro|3o|3º) trimestre", "q3"),
            (r"(?:no |o )?(?:quarto|4o|4º) trimestre", "q4"),
            (r"\bum par de|uns poucos|umas poucas|alguns|algumas", "2"),
            (r"\b(?:um|uma)\s+(?=(?:dia|semana|mes|trimestre|ano))", "1 "),
            (r"\b(?:a|e|ou)\b(?=\s*\d)", "-"),
            (r"(?:ao |no |ate ao |ate o )?(?:fim|final|finais) (?:de|do|da)", "end of"),
            (r"(?:no )?(?:inicio|comeco|principio) (?:de|do|da)", "early"),
            (r"(?:em )?meados (?:de|do|da)", "mid"),
            (r"\b(?:de|do|da|o|a)\b", " "),
        ),
        counts=r"um|uma|dois|duas|tres|quatro|cinco|seis|sete|oito|nove|dez|onze|doze|dezoito|"
        r"quinze|uns|umas|poucos|poucas|alguns|algumas|meio|um par de",
        edges=r"(?:ate |ate ao |ate o |no |ao |antes do )?(?:fim|final|finais|inicio|comeco|"
        r"principio|meados)(?: de| do| da)?",
        correction=r"na verdade|ops|quer dizer|alias|corrigindo|melhor",
        articles=r"o|a|os|as",
        habit=r"cada|todos os|todas as|sempre|(?:so )?uma vez",
        past_after=r"passad[oa]|(?:do|o) ano passado|lancamos|comecamos|mudamos|contratamos",
        filler=r"uns|umas|aproximadamente|mais ou menos|cerca de|por volta de",
    ),
}


@lru_cache(maxsize=8)
def timeline_month_names(language: str) -> dict[str, str]:
    """Month names of ``language`` (folded) -> English ("märz" -> "march")."""
    names: dict[str, str] = {}
    for locale in _LOCALES.get(language, (language,)):
        for width in _WIDTHS:
            for number, name in get_month_names(width, locale=locale).items():
                word = fold(str(name)).rstrip(".")
                if len(word) >= 3 and (width == "wide" or word not in _AMBIGUOUS_MONTHS):
                    names.setdefault(word, _ENGLISH_MONTHS[number - 1])
    return names


_WIDTHS: tuple[Literal["wide", "abbreviated"], ...] = ("wide", "abbreviated")
# Regional month names besides the language's own: the Austrian "Jänner".
_LOCALES = {"de": ("de", "de_AT")}
# Abbreviations that are everyday words ("mar" is the sea, "mai" in German is May anyway).
_AMBIGUOUS_MONTHS = frozenset({"mar", "sept", "jun", "jul", "ago", "set", "out", "dez"})


def _foreign_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{words})\b")


@lru_cache(maxsize=8)
def _compiled(language: str) -> tuple[re.Pattern[str], ...]:
    words = TIMELINE_WORDS[language]
    return (
        _foreign_pattern(words.calm),
        _foreign_pattern(words.now),
        _foreign_pattern(words.vague_now),
        _foreign_pattern(words.next_year),
        _foreign_pattern(words.filler) if words.filler else re.compile(r"(?!)"),
    )


# "un par de meses", "ein paar Wochen": a couple.
_COUPLE = re.compile(r"\b(?:un par de|um par de|une? couple de|ein paar)\b")


_DAY_ORDINAL = re.compile(r"\b([12]?\d|3[01])(?:er|re|o|º|°)(?=\s)")


def in_english(text: str, language: str) -> str:
    """A time said in ``language`` in the English words :func:`timeline_months` reads
    ("bis Ende März" -> "by end of march"); numbers in words become digits."""
    words = TIMELINE_WORDS[language]
    filler = _compiled(language)[4]
    # Drop "etwa", "unos" (said of a count, they are no number) where the folded text has
    # them, then read numbers in words as written: text2num knows "fünf", not "funf".
    lowered = list("".join(ch.lower()[:1] or ch for ch in text.replace("’", "'")))
    for match in filler.finditer(fold(text)):
        lowered[match.start() : match.end()] = " " * (match.end() - match.start())
    for match in _COUPLE.finditer(fold(text)):  # before text2num reads "un" as 1
        lowered[match.start() : match.end()] = "2".ljust(match.end() - match.start())
    said = fold(alpha2digit("".join(lowered), language, threshold=0))
    for pattern, english in _bounded_phrases(language):
        said = pattern.sub(f" {english} ", said)
    said = _DAY_ORDINAL.sub(r"\1", said)  # "le 1er janvier", "1º de junho": the day
    vocabulary = {**words.units, **words.seasons, **timeline_month_names(language)}
    lead = re.compile(rf"^\s*(?:{words.date_lead}|{words.duration_lead})\b")
    said = lead.sub(" by ", said) if not re.search(r"\d", said) else lead.sub(" in ", said)
    said = re.sub(r"[^\W_]+", lambda m: vocabulary.get(m.group(), m.group()), said)
    return " ".join(said.split())


@lru_cache(maxsize=8)
def _bounded_phrases(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The language's time phrases, each matched as whole words: "fin de" is no part of
    "fin décembre" ("fin decembre" folded), nor "ende" of "Wochenende"."""
    return tuple(
        (re.compile(rf"(?<![^\W_])(?:{pattern})(?:(?<=[\W_])|(?![^\W_]))"), english)
        for pattern, english in TIMELINE_WORDS[language].phrases
    )


def _foreign_timeline_months(text: str, today: date, language: str) -> int | None:
    calm, now, vague_now, next_year, _ = _compiled(language)
    folded = fold(text)
    if calm.search(folded):
        return None
    if now.search(folded) or vague_now.fullmatch(folded.strip(" .,!?")):
        return 1
    holiday = local_holiday_pattern(language, today.year, today.year + 2).search(folded)
    if holiday is not None:
        when = next_local_holiday(
            holiday.group(), language, today, next_year=next_year.search(folded) is not None
        )
        if when is not None:
            return _months_between(today, when)
    return _timeline_months(in_english(text, language), today)
