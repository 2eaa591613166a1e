"""Timeline: the words that say when the prospect wants to buy or start.

The time expression is cut out of its clause ("we want to spend 20k within 6 months" ->
"within 6 months") and kept only when :func:`agent.normalize.timeline_months` can read it,
or when it says there is no timeline ("no rush", "just exploring"). Past times ("for the
last 3 years", "2 months ago") and prices per month are not timelines.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from agent.models import FieldName
from agent.normalize import timeline_months
from agent.offline.text import Clause

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ANY_MONTH = rf"(?:{_MONTH}|may)"
_UNIT = r"(?:days?|weeks?|wks?|months?|mos|mths?|quarters?|years?|yrs?)"
_COUNT = (
    r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"eighteen|twenty|a few|few|a couple(?: of)?|couple(?: of)?|several)"
)
_LEAD = (
    r"(?:(?:hopefully|ideally|probably|maybe|roughly|approximately|about|around|sometime|"
    r"some time|no later than|latest|by|before|until|till|within|in|inside of|over|starting|"
    r"from|during|at|for)\s+){0,3}(?:the\s+)?"
)
_EXPRESSION = (
    r"asap|a\.s\.a\.p\.?|as soon as possible|immediately|right away|straight away|urgent(?:ly)?|"
    r"yesterday|this week|by tomorrow|(?:need(?:ed)? (?:it|this|something) )?(?:now|today)(?= "
    r"if possible)|no rush|no hurry|no timeline|no time ?frame|no deadline|no set date|"
    r"not urgent|just (?:exploring|looking|browsing|researching)|someday|some day|eventually|"
    r"not sure when|no idea when|no plans? yet|not (?:any )?time soon|down the (?:road|line)"
    rf"|(?:end|start|beginning|middle|mid|early|late|first half|second half)[\s-]*(?:of\s+)?"
    rf"(?:the\s+)?(?:this\s+|next\s+)?(?:year|quarter|month|q[1-4]|20\d\d|{_ANY_MONTH})\b"
    r"|(?:this|next|coming|following)\s+(?:week|month|quarter|year|spring|summer|fall|autumn|"
    r"winter)"
    r"|q[1-4](?:\s+(?:of\s+)?20\d\d)?|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
    r"(?:\s+(?:of\s+)?20\d\d)?"
    r"|eoy|eoq|eom"
    r"|(?:in|within|inside(?: of)?|over|the next|next|under|less than|no more than)\s+(?:the\s+)?"
    rf"(?:next\s+)?{_COUNT}(?:\s*(?:-|to|or)\s*{_COUNT})?\s+(?:more\s+)?{_UNIT}\b"
    rf"|(?:by|before|until|till|in|around|starting|from|early|mid|late|end of|start of|"
    rf"beginning of)\s+{_ANY_MONTH}\b(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+20\d\d)?"
    rf"|{_MONTH}\b(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+20\d\d)?"
    r"|(?:by|before|in|during|until|early|late|mid)\s+20\d\d"
    r"|(?:in the|by|before|this|next)\s+(?:spring|summer|fall|autumn|winter)|spring|summer|autumn"
)
_PHRASE = re.compile(rf"\b{_LEAD}(?:{_EXPRESSION})(?!\w)", re.I)
_BARE_DURATION = re.compile(rf"\b{_COUNT}(?:\s*(?:-|to|or)\s*{_COUNT})?\s+{_UNIT}\b", re.I)
_PAST_BEFORE = re.compile(r"\b(?:for|past|last|since|been|ago|over the)\s*$", re.I)
_PAST_AFTER = re.compile(r"^\s*(?:ago|old|of experience)\b", re.I)
_PERIOD_AFTER = re.compile(r"^\s*(?:-|/)?\s*(?:per|a|each|every)\b", re.I)
_REWRITES = (
    (re.compile(r"\beoy\b", re.I), "end of this year"),
    (re.compile(r"\b(?:eoq|(?:the )?end of (?:the|this) quarter)\b", re.I), "this quarter"),
    (re.compile(r"\b(?:eom|(?:the )?end of (?:the|this) month)\b", re.I), "next month"),
)
_MAX_MONTHS = 60


def find_timeline(
    clauses: list[Clause], asking: FieldName | None, today: date
) -> dict[str, Any] | None:
    """``update_lead`` timeline arguments, or None when no time is named."""
    for clause in clauses:
        for source, exact in ((clause.raw, True), (clause.text, False)):
            found = _in_text(source, asking, today)
            if found is not None:
                quote = found if exact else clause.raw
                return {"quote": quote, "text": canonical(found)}
    return None


def _in_text(text: str, asking: FieldName | None, today: date) -> str | None:
    candidates = [m for m in _PHRASE.finditer(text) if _future(text, m)]
    if asking == "timeline":
        candidates += [m for m in _BARE_DURATION.finditer(text) if _future(text, m)]
    for match in candidates:
        phrase = match.group().strip()
        if _readable(phrase, today):
            return phrase
    return None


def _future(text: str, match: re.Match[str]) -> bool:
    before, after = text[max(0, match.start() - 30) : match.start()], text[match.end() :]
    return not (
        _PAST_BEFORE.search(before) or _PAST_AFTER.match(after) or _PERIOD_AFTER.match(after)
    )


def canonical(phrase: str) -> str:
    """The phrase with shorthand spelled out so :func:`timeline_months` reads it."""
    for pattern, replacement in _REWRITES:
        phrase = pattern.sub(replacement, phrase)
    return phrase


def _readable(phrase: str, today: date) -> bool:
    try:
        months = timeline_months(canonical(phrase), today)
    except ValueError:
        return False
    return months is None or months <= _MAX_MONTHS
