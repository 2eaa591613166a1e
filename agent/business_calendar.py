"""Dates that general date parsers do not know: holidays and the retail calendar.

Holiday dates come from the ``holidays`` package (public and unofficial holidays of the
countries prospects most often write from), keyed by the words people use for them
("christmas", "easter", "thanksgiving"); the retail days that follow Thanksgiving (Black
Friday, Cyber Monday) are derived from it. Everything is computed once per year range.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.constants import OPTIONAL, PUBLIC, UNOFFICIAL
from wordfreq import zipf_frequency

COUNTRIES: tuple[str, ...] = ("US", "GB", "CA", "AU", "IE", "IN", "DE", "FR")
_DROP = re.compile(r"\(estimated\)|\b(?:the|of|national)\b|'s\b|[.'’]", re.I)
_DAY = re.compile(r"\s+(?:day|sunday|monday)$")
# A name without its "Day" is kept only when it is not an everyday word ("may", "labor").
_COMMON_ZIPF = 4.5
_RETAIL = (("black friday", 1), ("cyber monday", 4))
# Everyday names for a holiday that no holiday table uses.
_ALIASES = (("xmas", "christmas"), ("x mas", "christmas"), ("new years", "new year"))


def _keys(name: str) -> list[str]:
    """The ways a holiday's name is written: in full, and without "Day" when that is rare."""
    if "(observed)" in name:
        return []
    full = " ".join(_DROP.sub(" ", name.lower()).split())
    short = _DAY.sub("", full)
    keys = [full]
    if short != full and (" " in short or zipf_frequency(short, "en") < _COMMON_ZIPF):
        keys.append(short)
    return [key for key in keys if len(key) >= 4]


def _key(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


@lru_cache(maxsize=8)
def holiday_dates(first_year: int, last_year: int) -> dict[str, tuple[date, ...]]:
    """Every known holiday name (normalised) -> its dates in the years given, sorted."""
    years = list(range(first_year, last_year + 1))
    found: dict[str, set[date]] = {}
    for country in COUNTRIES:
        categories = (PUBLIC, UNOFFICIAL) if country == "US" else (PUBLIC,)
        try:
            table = holidays.country_holidays(
                country, years=years, categories=categories, language="en_US"
            )
        except (NotImplementedError, KeyError):
            table = holidays.country_holidays(country, years=years)
        for day, names in table.items():
            for name in str(names).split(";"):
                for key in _keys(name.strip()):
                    found.setdefault(key, set()).add(day)
    for day in list(found.get("thanksgiving day", ())):
        for name, offset in _RETAIL:
            found.setdefault(name, set()).add(day + timedelta(days=offset))
    for alias, name in _ALIASES:
        if name in found:
            found.setdefault(alias, set()).update(found[name])
    return {key: tuple(sorted(days)) for key, days in found.items()}


@lru_cache(maxsize=8)
def holiday_pattern(first_year: int, last_year: int) -> re.Pattern[str]:
    """Matches a holiday's name as people write it ("christmas", "easter", "diwali")."""
    names = sorted(holiday_dates(first_year, last_year), key=len, reverse=True)
    alternatives = "|".join(re.escape(name).replace(r"\ ", r"[\s-]+") for name in names)
    return re.compile(rf"\b(?:{alternatives})\b", re.I)


def next_holiday(name: str, today: date, *, next_year: bool = False) -> date | None:
    """The next date of holiday ``name`` on or after ``today`` (a year later if asked)."""
    days = holiday_dates(today.year, today.year + 2).get(_key(name))
    if not days:
        return None
    upcoming = [day for day in days if day >= today]
    if next_year:
        upcoming = [day for day in upcoming if day.year > today.year]
    return upcoming[0] if upcoming else None


def find_holiday(text: str, today: date) -> re.Match[str] | None:
    """The first holiday name in ``text``."""
    return holiday_pattern(today.year, today.year + 2).search(text)


# Where people who write each language are, and the holiday names of those countries in
# that language ("Ostermontag", "Viernes Santo", "Toussaint", "Carnaval").
LOCAL_COUNTRIES: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (("DE", "de"), ("AT", "de"), ("CH", "de")),
    "es": (("ES", "es"), ("MX", "es"), ("AR", "es"), ("CO", "es"), ("CL", "es")),
    "fr": (("FR", "fr"), ("BE", "fr"), ("CA", "fr"), ("CH", "fr")),
    "pt": (("BR", "pt_BR"), ("PT", "pt_PT")),
}
# Everyday names no holiday table uses, as the table name they stand for or a fixed
# "month-day": "bis Ostern" is Easter, "d'ici la rentrée" the start of September.
LOCAL_ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (
        ("ostern", "ostermontag"),
        ("pfingsten", "pfingstmontag"),
        ("weihnachten", "erster weihnachtstag"),
        ("silvester", "12-31"),
        ("neujahr", "01-01"),
    ),
    "es": (
        ("semana santa", "viernes santo"),
        ("pascua", "viernes santo"),
        ("navidad", "12-25"),
        ("navidades", "12-25"),
        ("nochevieja", "12-31"),
        ("san juan", "06-24"),
        ("black friday", "black friday"),
    ),
    "fr": (
        ("paques", "lundi de paques"),
        ("pentecote", "lundi de pentecote"),
        ("noel", "12-25"),
        ("la rentree", "09-01"),
        ("rentree", "09-01"),
        ("saint jean", "06-24"),
        ("la saint jean", "06-24"),
        ("fete nationale du quebec", "06-24"),
        ("black friday", "black friday"),
    ),
    "pt": (
        ("pascoa", "sexta feira santa"),
        ("natal", "12-25"),
        ("sao joao", "06-24"),
        ("santo antonio", "06-13"),
        ("black friday", "black friday"),
        ("ano novo", "01-01"),
    ),
}
_FIXED = re.compile(r"^(\d\d)-(\d\d)$")


def fold(text: str) -> str:
    """Lower case without accents, one character for each ("Pâques" -> "paques")."""
    return "".join(
        (unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch).lower()[:1] or ch
        for ch in text.replace("’", "'")
    )


@lru_cache(maxsize=16)
def local_holiday_dates(
    language: str, first_year: int, last_year: int
) -> dict[str, tuple[date, ...]]:
    """Holiday names (folded) in ``language`` -> their dates in the years given, sorted."""
    years = list(range(first_year, last_year + 1))
    found: dict[str, set[date]] = {}
    for country, locale in LOCAL_COUNTRIES.get(language, ()):
        supported = holidays.country_holidays(country).supported_categories
        categories = tuple(c for c in (PUBLIC, OPTIONAL) if c in supported)
        table = holidays.country_holidays(
            country, years=years, language=locale, categories=categories
        )
        for day, names in table.items():
            for name in str(names).split(";"):
                if "(" in name:
                    continue
                key = " ".join(fold(name).replace("-", " ").split())
                found.setdefault(key, set()).add(day)
    english = holiday_dates(first_year, last_year)
    for alias, name in LOCAL_ALIASES.get(language, ()):
        if fixed := _FIXED.match(name):
            month, day_of_month = int(fixed[1]), int(fixed[2])
            found.setdefault(alias, set()).update(date(y, month, day_of_month) for y in years)
        elif name in found or name in english:
            found.setdefault(alias, set()).update(found.get(name) or english[name])
    return {key: tuple(sorted(days)) for key, days in found.items()}


@lru_cache(maxsize=16)
def local_holiday_pattern(language: str, first_year: int, last_year: int) -> re.Pattern[str]:
    """Matches a holiday's name in ``language`` in folded text ("ostern", "semana santa")."""
    names = sorted(local_holiday_dates(language, first_year, last_year), key=len, reverse=True)
    alternatives = "|".join(re.escape(name).replace(r"\ ", r"[\s-]+") for name in names)
    return re.compile(rf"\b(?:{alternatives})\b")


def next_local_holiday(
    name: str, language: str, today: date, *, next_year: bool = False
) -> date | None:
    """The next date of holiday ``name`` (folded, in ``language``) on or after ``today``."""
    key = " ".join(name.replace("-", " ").split())
    days = local_holiday_dates(language, today.year, today.year + 2).get(key)
    upcoming = [day for day in days or () if day >= today]
    if next_year:
        upcoming = [day for day in upcoming if day.year > today.year]
    return upcoming[0] if upcoming else None
