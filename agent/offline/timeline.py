"""Timeline: when the prospect wants something in place, read from any clause.

Time expressions are found around calendar anchors: the month and unit words of
dateparser's locale data, holiday names from :mod:`agent.business_calendar`, quarters,
years, seasons, and the words for "now" and "no timeline". Each anchor is widened to the
words that belong to it ("in about five months", "end of January", "before Christmas",
"Q2 next year") and resolved by :func:`agent.normalize.timeline_months` (dateparser plus the
business calendar). Whatever question is pending, an expression is dropped when it is:

- in the past ("we started looking in March", "two years ago", "for 3 years");
- the period of an amount ("30 grand a year", "$5k per month") or of a count ("2 million
  visitors a month") or an age ("14-month-old");
- what the prospect takes back ("make that 9 months, not five");
- the length of something else ("a 12-month contract", "2 years of data").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from dateparser.languages.loader import default_loader

from agent.business_calendar import fold, holiday_pattern, local_holiday_pattern
from agent.models import FieldName
from agent.normalize import (
    NO_TIMELINE,
    NOW_WORDS,
    TIMELINE_WORDS,
    currency_in,
    in_english,
    timeline_month_names,
    timeline_months,
)
from agent.offline.languages.needs import WANT_CUES
from agent.offline.text import Clause


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"\d+(?:[.,]\d+)?(?:st|nd|rd|th)?(?![^\W_])|[^\W_]+(?:'[^\W\d_]+)?|[-–/&$€£₹]")
_LEAD = _words(
    "in within by before until till til around about roughly approximately approx maybe "
    "probably hopefully ideally realistically latest over next the this coming following "
    "another another's end start beginning early mid middle late of from starting after "
    "sometime some time no later than under less inside first second half or so year's"
)
_COUNT = _words(
    "a an one two three four five six seven eight nine ten eleven twelve fifteen eighteen "
    "twenty thirty sixty ninety couple few several half - – to or and"
)
_UNITS = _words(
    "day days week weeks wk wks fortnight fortnights month months mo mos mth mths "
    "quarter quarters year years yr yrs"
)
_SEASONS = _words("spring summer fall autumn winter")
_QUARTER_TOKEN = re.compile(r"^(?:q[1-4]|h[12])$")
_YEAR_TOKEN = re.compile(r"^20\d\d$")
_DAY_TOKEN = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?$")
_FOLLOW = _words("next this year or so from now at the latest latest")
_PAST = _words(
    "ago past last since been started began begun signed bought launched tried used was were "
    "did had previously founded renewed joined closed raised hired moved switched migrated "
    "went got came left lost saw noticed spent built made took sent grew rose fell broke wrote "
    "gave found became brought"
)
# Words in -ed that say what is planned or what someone said of the plan ("they mentioned
# Q2", "we decided on March"), not what happened.
_PLANNED = _words(
    "need needed based planned scheduled expected slated supposed targeted aimed pencilled "
    "penciled booked budgeted hoped interested dedicated limited required allocated approved "
    "tied timed lined red bed speed feed seed mentioned suggested proposed asked indicated "
    "agreed decided promised committed estimated quoted confirmed settled"
)
_PASSIVE = _words("is are be being been gets get 's 're will")
_RELATIVE = _words("next this coming following end start beginning early mid late")
_LATER_THAN = _words("until till before for after")
_FUTURE_AUX = _words("have has to be being get getting will would want need hoping hope like")
_EVERY = _words("every each per")
_TAKEN_BACK = _words("not instead rather")
_MONEY_WORDS = re.compile(
    r"\d\s*(?:k|m)\b|\b(?:grand|bucks|thousand|lakhs?|crores?|dollars|euros|pounds)\b|[$€£₹]|\d{3,}"
)
_PERIOD_WORDS = _words("a an per each every one 1 /")
_LENGTH_OF = re.compile(
    r"^\s*(?:-\s*)?(?:old|of (?:data|history|experience|contract)|contract|pilot|trial|"
    r"commitment|term|subscription|licen[cs]e|deal|plan|agreement|retention|lookback|window|"
    r"in business|running|straight|in a row)\b"
)
# How often something happens: "two instalments a year", "three times a month".
_COUNTED_TIMES = re.compile(r"\b(?:instal+ments?|payments?|times|invoices?|releases?|visits?)\s*$")
# A count per period: "2 million site visitors a month", "1.2M patients a year", "twice a year".
_RATE = re.compile(
    r"(?:\d(?:[\d,.]*\d)?\s*(?:k|m|mm|million|thousand|hundred|billion|bn)?|\b(?:once|twice|"
    r"thrice|hundreds|thousands|millions))\s+(?:[a-z][\w'-]*\s+){0,3}$"
)
_MONEY_TOKEN = re.compile(r"^(?:\d+(?:[.,]\d+)?(?:k|m|mm|bn|l)|[$€£₹]|grand|bucks|k)$")
_STATEMENT, _VAGUE, _PRECISE = 1, 2, 3
_LIVE_WINDOW = 40
_LIVE = re.compile(
    r"\b(?:live|in place|up and running|running|launch(?:ed)?|roll(?:ed)? (?:it )?out|go-?live|"
    r"implemented|set up|ready|deploy(?:ed)?|want (?:it|this)|need (?:it|this)|sooner)\b"
)
_TAKEN_BACK_AFTER = re.compile(
    r"^\s*(?:isn't|is not|won't|will not|can't|cannot|ain't|is too (?:soon|early|tight)|"
    r"(?:is|was|looks|seems) (?:unrealistic|off the table|out of the question))\b"
)
_CURIOUS = re.compile(r"(?:just )?(?:curious|checking|looking|browsing|poking around)", re.I)
_RESEARCHING = re.compile(r"just (?:researching|looking)", re.I)
_VAGUE_NOW = re.compile(r"now|today|right now|this week", re.I)
_FOR_NOW = re.compile(
    r"\b(?:for|until|till|as of|by) (?:right )?now\b|\bnow that\b|\d\s+now\b|"
    r"\bnow,? (?:not|instead)\b",  # "end of June now, not April"
    re.I,
)
_TRAILING_NOW = re.compile(r"\s+(?:right )?now$")
_AMOUNT = re.compile(r"\d\s*(?:k|m|grand|thousand|lakhs?|crores?)\b|[$€£₹]|\b\d{1,3}(?:,\d{3})+\b")
_MAX_MONTHS = 60
# "end of next year", "the second half of 2027": a date, however far off.
_EDGE_OF_YEAR = re.compile(
    r"\b(?:end|middle|mid|first half|second half)\s+of\s+(?:the\s+)?(?:(?:this|next|coming)\s+)?"
    r"(?:year|20\d\d)\b"
)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str


@lru_cache(maxsize=8)
def _month_words(language: str = "en") -> frozenset[str]:
    info = default_loader.get_locale(language).info
    months = "january february march april may june july august september october november december"
    words = {str(word).lower() for name in months.split() for word in info.get(name, [])}
    return frozenset(words | {"sept"})


# What happens every year or term is no deadline: "every September thousands sign up and
# by November half of them are gone".
_HABIT = re.compile(
    r"\b(?:every|each) (?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|year|spring|summer|autumn|fall|winter|semester|term|season|quarter)\b"
)


_OWN_TIME = re.compile(
    r"\b(?:we|i)(?:'d| would|'re| are)? ?(?:want|need|like|hope|hoping|aim|aiming|plan|planning)\b|"
    r"\blive\b|\bin place\b"
)


def find_timeline(
    clauses: list[Clause], asking: FieldName | None, today: date, language: str = "en"
) -> dict[str, Any] | None:
    """``update_lead`` timeline arguments, or None when no future time is named.

    With several times in one message, a time given as a correction wins ("end of January...
    actually, make it end of June"), then a time said of going live ("sign by January, live
    by March"), then the most precise (a date, a month, a holiday or a duration before a
    quarter or a season, and those before a whole year: "next year"), then the first. "No
    rush" stands unless a precise time is also given. A message in another language
    (ISO 639-1 ``language``) is read with :func:`find_foreign_timeline`.
    """
    if language in TIMELINE_WORDS:
        return find_foreign_timeline(clauses, asking, today, language)
    habitual = (
        set() if asking == "timeline" else {c.sentence for c in clauses if _HABIT.search(c.text)}
    )
    found = [
        (clause, candidate)
        for index, clause in enumerate(clauses)
        if clause.sentence not in habitual or _OWN_TIME.search(clause.text)
        for candidate in _candidates(clause, asking, today, clauses[index - 1] if index else None)
    ]
    found = [item for item in found if not _inside_another(item, found)]
    if not found:
        return None
    found = _event_dates(_live_by_then(clauses, found))
    calm = any(
        candidate.rank == _STATEMENT and _is_calm(clause, candidate) for clause, candidate in found
    )
    if calm:
        found = [
            item
            for item in found
            if item[1].rank == _PRECISE
            or _is_calm(item[0], item[1])
            or _QUARTER_NAMED.search(item[0].text[item[1].start : item[1].end])
        ]
    order = {id(item): index for index, item in enumerate(found)}
    corrected = {id(item) for item in found if _after_correction(clauses, *item)}
    clause, best = min(
        found,
        key=lambda item: (
            not _realistic(item[0], item[1]),
            id(item) not in corrected,
            not item[1].live,
            -item[1].rank,
            _whole_year(item[0], item[1]),
            -order[id(item)] if id(item) in corrected else order[id(item)],
        ),
    )
    start, end = best.start, best.end
    trailing = _TRAILING_NOW.search(clause.text[start:end])
    if trailing is not None and trailing.start() > 0:
        end = start + trailing.start()  # "end of June now, not April": now means instead
    exact = len(clause.raw) == len(clause.text)
    quote = clause.raw[start:end] if exact else clause.raw
    return {"quote": quote, "text": clause.text[start:end]}


# "Ticket sales open on February 1st, so we want it in place before then": the time
# "then" points back to is when they want it live.
_BY_THEN = re.compile(r"\b(?:by|before|until|ahead of|in time for) (?:then|that|that date)\b")


def _live_by_then(
    clauses: list[Clause], found: list[tuple[Clause, _Candidate]]
) -> list[tuple[Clause, _Candidate]]:
    for later in clauses:
        said = _BY_THEN.search(later.text)
        if said is None or _LIVE.search(later.text) is None:
            continue
        earlier = [
            item
            for item in found
            if item[0].start + item[1].end <= later.start + said.start()
            and not _calm(item[0].text[item[1].start : item[1].end])
        ]
        if earlier:
            clause, last = earlier[-1]
            pointed = (clause, replace(last, live=True))
            return [pointed if item is earlier[-1] else item for item in found]
    return found


# "in time for our January sale, which starts on Boxing Day": the date of the event named
# just before is when it is wanted.
_EVENT_DATE = re.compile(
    r"(?:\b(?:which|that|it)\s+(?:starts?|begins?|opens?|kicks? off|launches|goes live|is)\s+"
    r"(?:on|in|from)?|\b(?:starts?|begins?|opens?|kicks? off|launches|goes live|drops|lands|"
    r"comes out|goes out|ships)\s+(?:on|in))\s*$"
)


def _event_dates(found: list[tuple[Clause, _Candidate]]) -> list[tuple[Clause, _Candidate]]:
    for index in range(1, len(found)):
        clause, candidate = found[index]
        previous = found[index - 1]
        if previous[1].live and _EVENT_DATE.search(clause.text[: candidate.start]):
            dated = (clause, replace(candidate, live=True))
            faded = (previous[0], replace(previous[1], live=False))
            return [*found[: index - 1], faded, dated, *found[index + 1 :]]
    return found


def _inside_another(
    item: tuple[Clause, _Candidate], found: list[tuple[Clause, _Candidate]]
) -> bool:
    """ "now" inside "end of June now": the longer expression is the time said."""
    clause, candidate = item
    return any(
        other is clause
        and c is not candidate
        and c.start <= candidate.start
        and candidate.end <= c.end
        and (c.end - c.start) > (candidate.end - candidate.start)
        for other, c in found
    )


# "Later next year" is vaguer than "Q3 2027" or "next spring" said beside it.
_WHOLE_YEAR = re.compile(r"^(?:[a-z]+ )*(?:next|this|coming|following) year$")


def _whole_year(clause: Clause, candidate: _Candidate) -> bool:
    return _WHOLE_YEAR.match(clause.text[candidate.start : candidate.end]) is not None


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rank: int
    live: bool


_CORRECTION = re.compile(
    r"\b(?:actually|make it|make that|scratch that|instead(?! of)|i mean|correction|no wait|"
    r"pushed (?:it|the \w+|everything)? ?(?:back |out )?to)\b"
)


def _after_correction(clauses: list[Clause], clause: Clause, candidate: _Candidate) -> bool:
    """Whether ``candidate`` follows a correction ("end of January... actually no, make it
    end of June"): the corrected time wins."""
    before = " ".join(c.text for c in clauses if c.end <= clause.start)
    return _CORRECTION.search(f"{before} {clause.text[: candidate.start]}") is not None


# ... or said again more exactly: "well before Black Friday, call it October 1st", "say by June 1".
_REALISTIC = re.compile(
    r"\b(?:realistically|more likely|in reality|in practice|call it|let's say)\b|"
    r"(?:^|[,;:]\s*|\b(?:so|or)\s+)say\b"
)
_REALISTIC_WINDOW = 25
_AHEAD = re.compile(r"^\s*(?:ahead|in advance|beforehand|prior)\b")
# "Q1 next year would be nice, but it's not urgent": a named quarter is a target.
_QUARTER_NAMED = re.compile(r"\b(?:q[1-4]|h[12])\b")


def _realistic(clause: Clause, candidate: _Candidate) -> bool:
    """ "Christmas would be a dream but realistically end of January": the realistic one."""
    start = max(0, candidate.start - _REALISTIC_WINDOW)
    return _REALISTIC.search(clause.text[start : candidate.end]) is not None


def _is_calm(clause: Clause, candidate: _Candidate) -> bool:
    return _calm(clause.text[candidate.start : candidate.end])


def _calm(words: str) -> bool:
    """ "no rush", "just exploring": a statement that there is no timeline."""
    return NO_TIMELINE.search(words) is not None


def _candidates(
    clause: Clause, asking: FieldName | None, today: date, previous: Clause | None = None
) -> list[_Candidate]:
    text = clause.text
    lead_in = previous.text[-_LIVE_WINDOW:] if previous is not None else ""

    def said_of_going_live(start: int) -> bool:
        return _LIVE.search(lead_in + " " + text[max(0, start - _LIVE_WINDOW) : start]) is not None

    live = said_of_going_live(len(text))
    found = [
        # "no rush" is no time of going live, whatever is said before it
        _Candidate(start, end, _STATEMENT, False)
        if _calm(text[start:end])
        else _Candidate(start, end, _PRECISE, live)
        for start, end in _statements(text, asking)
    ]
    tokens = [_Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    holidays = [
        (m.start(), m.end()) for m in holiday_pattern(today.year, today.year + 2).finditer(text)
    ]
    for index, token in enumerate(tokens):
        holiday = next((span for span in holidays if span[0] == token.start), None)
        kind = _anchor(tokens, index, holiday is not None, asking)
        if kind is None:
            continue
        first = _widen_back(tokens, index)
        last = _widen_forward(tokens, index, holiday)
        if not _wanted(text, tokens, first, last, kind, asking):
            continue
        start, end = tokens[first].start, max(tokens[last].end, holiday[1] if holiday else 0)
        if _resolves(text[start:end], today):
            precise = (
                kind in ("holiday", "month")
                or _counted(tokens, first, last)
                or _EDGE_OF_YEAR.search(text[start:end]) is not None
            )
            rank = _PRECISE if precise else _VAGUE
            live = said_of_going_live(start)
            if rank == _VAGUE and not live and _AMOUNT.search(text):
                continue  # "50k earmarked for next year": when the money is there
            found.append(_Candidate(start, end, rank, live))
    return found


def _statements(text: str, asking: FieldName | None) -> list[tuple[int, int]]:
    """ "ASAP", "no rush", "just exploring": times that are whole statements.

    "now" and "today" say when only in answer to the timeline question ("no budget right
    now" is about the budget).
    """
    found = [(m.start(), m.end()) for p in (NO_TIMELINE, NOW_WORDS) if (m := p.search(text))]
    found = [span for span in found if not _FOR_NOW.search(text[max(0, span[0] - 7) : span[1] + 5])]
    if NO_TIMELINE.search(text):
        # "just exploring right now": "now" is when they are exploring, not a deadline.
        found = [span for span in found if not _VAGUE_NOW.fullmatch(text[span[0] : span[1]])]
    if asking != "timeline":
        # "just curious what Beacon does" opens a chat; it says nothing of when.
        found = [
            span
            for span in found
            if not _VAGUE_NOW.fullmatch(text[span[0] : span[1]])
            and not _CURIOUS.fullmatch(text[span[0] : span[1]])
        ]
    if asking == "authority":
        # "I'm just researching, she'll decide" says who they are, not when.
        found = [span for span in found if not _RESEARCHING.fullmatch(text[span[0] : span[1]])]
    # "asap isn't realistic": taken back as it is said.
    return [span for span in found if not _TAKEN_BACK_AFTER.match(text[span[1] :])]


def _anchor(
    tokens: list[_Token], index: int, holiday: bool, asking: FieldName | None
) -> str | None:
    word = tokens[index].word
    before = tokens[index - 1].word if index else ""
    after = tokens[index + 1].word if index + 1 < len(tokens) else ""
    if holiday:
        # "before our summer sale starts on Boxing Day" answers the timeline question
        # "ready for Black Friday", "before everyone leaves for Christmas"
        lead = before in _LEAD or before == "for" or (before == "on" and asking == "timeline")
        return "holiday" if lead else None
    if word in _UNITS:
        return "unit"
    if word in _month_words():
        hyphened = before == "-" and index > 1 and tokens[index - 2].word in _LEAD
        named = (
            before in _LEAD
            or before == "for"  # "go-live is planned for March"
            or hyphened
            or asking == "timeline"
            or _DAY_TOKEN.match(before)
            or _DAY_TOKEN.match(after)
            or _YEAR_TOKEN.match(after)
            or _next_year(tokens, index + 1)  # "more like September next year"
        )
        return "month" if named and (word != "may" or before != "") else None
    if _QUARTER_TOKEN.match(word) or (word in _SEASONS and before in _LEAD):
        return "quarter"
    if _YEAR_TOKEN.match(word) and before in _LEAD | {"-"}:
        return "year"
    return None


def _next_year(tokens: list[_Token], index: int) -> bool:
    words = [token.word for token in tokens[index : index + 2]]
    return len(words) == 2 and words[0] in ("next", "this") and words[1] == "year"


def _widen_back(tokens: list[_Token], index: int) -> int:
    first = index
    while first > 0 and index - first < 6:
        word = tokens[first - 1].word
        if _MONEY_TOKEN.match(word):
            break
        if word in _LEAD or word in _COUNT or word[0].isdigit():
            first -= 1
        else:
            break
    while first < index and tokens[first].word in {"-", "–", "or", "and", "to", "the", "of", "so"}:
        first += 1
    return first


def _widen_forward(tokens: list[_Token], index: int, holiday: tuple[int, int] | None) -> int:
    last = index
    if holiday is not None:
        while last + 1 < len(tokens) and tokens[last + 1].end <= holiday[1]:
            last += 1
    while last + 1 < len(tokens) and last - index < 3:
        word = tokens[last + 1].word
        if word in _FOLLOW or _DAY_TOKEN.match(word) or _YEAR_TOKEN.match(word) or word == ",":
            last += 1
        else:
            break
    while last > index and tokens[last].word in {"the", "or", "at"}:
        last -= 1
    return last


def _wanted(
    text: str,
    tokens: list[_Token],
    first: int,
    last: int,
    kind: str,
    asking: FieldName | None,
) -> bool:
    # What comes before a colon is another statement: "I just checked: our renewal is March 1".
    opening = max(
        (
            i + 1
            for i in range(max(0, first - 9), first)
            if ":" in text[tokens[i].end : tokens[i + 1].start]
        ),
        default=0,
    )
    before = [token.word for token in tokens[max(opening, first - 6) : first]]
    phrase = [token.word for token in tokens[first : last + 1]]
    after = text[tokens[last].end :]
    # "we're" in "we're locked into", "want this" in "we want this sorted before ...".
    context = [token.word for token in tokens[max(opening, first - 9) : max(opening, first - 6)]]
    if _in_past([*context, *before, *phrase], len(context)) or after.lstrip().startswith("ago"):
        return False
    if before and before[-1] in _TAKEN_BACK and phrase[0] not in _LATER_THAN:
        return False
    if _TAKEN_BACK_AFTER.match(after) or after.lstrip().startswith("later"):
        return False
    if kind == "unit":
        if phrase[0] == "after" and "from now" not in " ".join(phrase) + after[:10]:
            return False  # "they drift off after a week": relative to something else
        if _LENGTH_OF.match(after) or _hyphenated(text, tokens, last):
            return False
        if _AHEAD.match(after) and phrase[0] not in _LEAD:
            return False  # "plan our posts a few weeks ahead": a lead time, not a deadline
        if before and before[-1] == "for" and phrase[0] not in {"another", "the", "next"}:
            return False
        if _per_period(text, tokens, last) or (before and before[-1] in _EVERY):
            return False
        counted = any(w in _COUNT or w[0].isdigit() for w in phrase[:-1])
        return counted or bool(_RELATIVE.intersection(phrase[:-1]))
    return True


def _counted(tokens: list[_Token], first: int, last: int) -> bool:
    """ "in 5 months", "6-8 weeks": a duration with a number is precise."""
    words = [token.word for token in tokens[first : last + 1]]
    return bool(_UNITS.intersection(words)) and any(
        w[0].isdigit() or w in _COUNT - {"-", "–", "to", "or", "and"} for w in words[:-1]
    )


def _in_past(words: list[str], start: int = 0) -> bool:
    """A past-tense cue that is not part of a future ("to have it signed", "get it launched")
    nor a having ("we've got a launch in 5 months"); words before ``start`` are context."""
    for index, word in enumerate(words):
        if index < start:
            continue
        having = word == "got" and index > 0 and words[index - 1].endswith(("'ve", "'s", "have"))
        if having:
            continue
        past = word in _PAST or _past_participle(words, index)
        if past and not _FUTURE_AUX.intersection(words[max(0, index - 3) : index]):
            return True
    return False


def _past_participle(words: list[str], index: int) -> bool:
    """ "we shipped it in September", "drop-off doubled in October": a verb in -ed that is
    not a plan ("planned for May") nor a passive to come ("is rolled out in March")."""
    word = words[index]
    if len(word) < 5 or not word.endswith("ed") or word in _PLANNED:
        return False
    previous = words[index - 1] if index > 0 else ""
    # "we're locked into our contract until January": a state that lasts, not a past event
    return not (previous in _PASSIVE or previous.endswith(("'re", "'s")))


def _hyphenated(text: str, tokens: list[_Token], last: int) -> bool:
    """ "a 12-month contract": a number joined to its unit describes something else."""
    start = tokens[last].start
    return start > 0 and text[start - 1] == "-" and text[start - 2 : start - 1].isdigit()


def _per_period(text: str, tokens: list[_Token], unit: int) -> bool:
    """ "30 grand a year", "$5k per month": the period of an amount, not a time."""
    unit = next(i for i in range(unit, -1, -1) if tokens[i].word in _UNITS)
    if unit == 0 or tokens[unit - 1].word not in _PERIOD_WORDS:
        return False
    start = tokens[unit - 1].start
    before = text[max(0, start - 24) : start]
    return bool(
        _MONEY_WORDS.search(before)
        or currency_in(before)
        or _COUNTED_TIMES.search(before)
        or _RATE.search(before)
    )


def _resolves(phrase: str, today: date) -> bool:
    try:
        months = timeline_months(phrase, today)
    except ValueError:
        return False
    return months is None or months <= _MAX_MONTHS


# --- other languages ---------------------------------------------------------------------
#
# In German, Spanish, French and Portuguese a time is found with the words of
# :data:`agent.normalize.TIMELINE_WORDS`: an anchor (a count of units, a month, a season, a
# holiday in the language's own names, a quarter, "nächstes Quartal") widened back to the
# words that lead to it ("bis Ende", "a finales de", "d'ici la", "até ao"), or a whole
# statement ("so schnell wie möglich", "sin fecha fija"). A count of units needs its lead
# ("in 3 Monaten", not "3 Jahre bei Mixpanel"); a time after a word of the past ("seit",
# "hace", "il y a", "há") is dropped.

_FOREIGN_YEAR, _FOREIGN_STATEMENT, _FOREIGN_NOW, _FOREIGN_DATED = 1, 2, 3, 4
# What the phrases of a language name in English that is a time by itself ("nächstes
# Quartal", "a fin de año"), not a part of one ("Ende", "de").
_NAMED_TIMES = frozenset(
    {
        "end of this year",
        "end of next year",
        "end of this month",
        "end of this quarter",
        "next month",
        "next quarter",
        "next year",
        "next week",
        "in 2 weeks",
        "2 weeks",
        "this year",
        "this quarter",
        "q1",
        "q2",
        "q3",
        "q4",
        "first half of the year",
        "second half of the year",
        "middle of this year",
        "half a year",
    }
)
# "Este año seguro, pero sin fecha": a whole year is vaguer than "no fixed date".
_WHOLE_YEAR_SAID = re.compile(r"^(?:by |in )?(?:this|next) year$")
_FOREIGN_PAST_WINDOW = 24
_SEASON = re.compile(r"\b(?:summer|winter|spring|autumn|fall)\b")


_DAY = r"\b(?:[12]\d|3[01]|0?[1-9])(?:\.|er|º|°|o)?\s+(?:de\s+)?(?=[a-z])"


@lru_cache(maxsize=8)
def _foreign_patterns(language: str, first_year: int) -> tuple[re.Pattern[str], ...]:
    words = TIMELINE_WORDS[language]
    count = rf"(?:\d+(?:[.,]\d+)?|{words.counts})"
    units = "|".join(sorted(words.units, key=len, reverse=True))
    names = {**words.seasons, **timeline_month_names(language)}
    named = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    relative = "|".join(pattern for pattern, english in words.phrases if english in _NAMED_TIMES)
    holiday = local_holiday_pattern(language, first_year, first_year + 2).pattern[5:-3]
    lead = (
        rf"(?:(?:{words.date_lead}|{words.duration_lead}|{words.edges}|{words.filler}|"
        rf"{words.articles})(?:\s+|(?<=')))"
    )
    durations = (
        rf"(?P<count>{count}(?:\s*(?:-|–|bis|a|o|ou|e|y)\s*{count})?\s+(?:{units})"
        r"(?:\s+(?:et demie?|y medio|e meio))?)"  # "un an et demi": a year and a half
    )
    anchor = (
        rf"(?:{durations}|(?P<named>{named})(?:\s+(?:de |del |do |of )?20\d\d)?|"
        rf"(?P<holiday>{holiday})|"
        rf"(?P<quarter>[qt][1-4])|(?P<relative>{relative}))"
    )
    return (
        # "bis zum 3. Oktober", "avant le 14 juillet", "para el 1 de junio": a day before the month
        re.compile(rf"(?P<lead>(?:\b{lead}){{0,4}})(?:{_DAY})?\b{anchor}\b"),
        re.compile(rf"\b(?:{words.calm})\b"),
        re.compile(rf"\b(?:{words.now})\b"),
        re.compile(rf"\b(?:{words.vague_now})\b"),
        re.compile(rf"\b(?:{words.past})\b"),
        re.compile(rf"\b(?:{words.correction})\b"),
        # "jedes Jahr im Mai", "achète une fois pour Noël": when something happens, not by when
        re.compile(rf"\b(?:{words.habit})\s+(?:\w+\s+)?(?:{units}|{named}|{holiday})\b"),
        re.compile(rf"^\W*(?:\w+\W+){{0,3}}(?:{words.past_after})\b"),
    )


# "os clientes cancelam ao fim de três meses", "se nos van a los seis meses": a duration
# after which something happens, not a deadline.
_ELAPSED = re.compile(r"\b(?:a los|al cabo de|ao fim de|ao cabo de|au bout de|nach)\s*$")
# "pas avant juillet", "nicht vor Oktober", "no antes de agosto": the earliest start.
_NOT_BEFORE = re.compile(r"\b(?:pas|nicht|no|nao|nunca|jamais)\s+(?:avant|vor|antes)\b")
# A holiday named with its date ("le Nationalfeiertag am 26. Oktober"): the date is read.
_DATE_AFTER = re.compile(
    r"^\s*[,(]?\s*(?:am|le|el|em|no|du|del|den|dem)?\s*(?:[12]\d|3[01]|0?[1-9])"
    r"(?:\.|er|º|°|o)?\s+(?:de\s+)?[a-z]"
)
# "marzo de 2024" in 2027 is a past month; "a été annoncé" is "has been", not the summer.
_YEAR_AFTER = re.compile(r"^\s*(?:de |del |do |da |of |im |en )?(20\d\d)\b")
_SUMMER_PARTICIPLE = frozenset({"a", "ont", "ai", "avait", "aurait", "ait", "aura", "avons"})


def _not_ahead(match: re.Match[str], after: str, today: date) -> bool:
    """Whether a found time is no time ahead: a month of a past year ("en marzo de 2024"),
    or French "été" after "a" ("a été annoncé")."""
    year = _YEAR_AFTER.match(after) if match["named"] else None
    if year is not None and int(year.group(1)) < today.year:
        return True
    lead = match["lead"].split()
    return match["named"] == "ete" and bool(lead) and lead[-1] in _SUMMER_PARTICIPLE


def _said_lead(lead: str, language: str) -> str:
    """The lead words before a time, without those that lead nothing: "umas duas semanas"
    ("about two weeks") says how long, not by when."""
    words = TIMELINE_WORDS[language]
    lead = lead.strip()
    if words.filler and re.fullmatch(rf"(?:(?:{words.filler}|{words.articles})\s*)+", lead):
        return ""
    return lead


def _wants(folded: str, language: str) -> bool:
    cue = WANT_CUES.get(language)
    return cue is not None and cue.search(folded) is not None


def find_foreign_timeline(
    clauses: list[Clause], asking: FieldName | None, today: date, language: str
) -> dict[str, Any] | None:
    """``update_lead`` timeline arguments for a message in ``language``, or None.

    A dated time wins over "as soon as possible", and both over "no fixed date"; among
    dated times, one said as a correction ("eigentlich eher Ende Juni") and then the first.
    """
    patterns = _foreign_patterns(language, today.year)
    expression, calm, now, vague_now, past, correction, habit, past_after = patterns
    found: list[tuple[int, bool, int, Clause, int, int]] = []
    corrected = False
    sentences: dict[int, str] = {}
    for clause in clauses:
        sentences[clause.sentence] = f"{sentences.get(clause.sentence, '')} {fold(clause.raw)}"
    for clause in clauses:
        folded = fold(clause.raw)
        if len(folded) != len(clause.raw):
            continue
        spans: list[tuple[int, int, int]] = []
        for match in expression.finditer(folded):
            lead = match["lead"]
            start, end = match.start() + len(lead) - len(lead.lstrip()), match.end()
            led = _said_lead(match["lead"], language) or match["relative"] or match["quarter"]
            if not led and asking != "timeline":
                continue
            if past.search(folded[max(0, start - _FOREIGN_PAST_WINDOW) : end]) or past_after.match(
                folded[end:]
            ):
                continue
            if asking != "timeline" and habit.search(sentences[clause.sentence]):
                continue
            if _not_ahead(match, folded[end:], today):
                continue
            if _NOT_BEFORE.search(folded[max(0, start - 8) : end]):
                continue  # "pas avant la fête nationale": the earliest, not a deadline
            if match["holiday"] and _DATE_AFTER.match(folded[end:]):
                continue  # "bis zum Nationalfeiertag am 26. Oktober": the date says which
            elapsed = match["count"] and _ELAPSED.search(folded[: match.start("count")])
            if elapsed and asking != "timeline":
                continue  # "se dan de baja a los tres meses": how long, not by when
            whole_year = _WHOLE_YEAR_SAID.match(in_english(folded[start:end], language))
            if whole_year and asking != "timeline" and not _wants(folded, language):
                continue  # "estamos a contratar imenso este ano": a year, not a deadline
            spans.append((start, end, _FOREIGN_YEAR if whole_year else _FOREIGN_DATED))
        for pattern, rank in ((calm, _FOREIGN_STATEMENT), (now, _FOREIGN_NOW)):
            spans.extend((m.start(), m.end(), rank) for m in pattern.finditer(folded))
        if asking == "timeline":
            spans.extend((m.start(), m.end(), _FOREIGN_NOW) for m in vague_now.finditer(folded))
        for start, end, rank in spans:
            if rank != _FOREIGN_STATEMENT and any(
                s <= start and end <= e and r == _FOREIGN_STATEMENT for s, e, r in spans
            ):
                continue  # "sin prisa" holds "prisa"; "pas de date" is no date
            corrected = corrected or correction.search(folded[:start]) is not None
            found.append((rank, corrected, len(found), clause, start, end))

    def seasonal(clause: Clause, start: int, end: int) -> bool:
        return _SEASON.search(in_english(fold(clause.raw[start:end]), language)) is not None

    # A month said beside a season ("bis zum Sommer, sagen wir Ende August", "después del
    # verano, para septiembre") is the more exact of the two.
    ordered = sorted(found, key=lambda f: (-f[0], not f[1], seasonal(f[3], f[4], f[5]), f[2]))
    for _, _, _, clause, start, end in ordered:
        phrase = clause.raw[start:end]
        try:
            months = timeline_months(phrase, today, language)
        except ValueError:
            continue
        if months is not None and months > _MAX_MONTHS:
            continue
        return {"quote": phrase, "text": phrase, "months": months}
    return None
