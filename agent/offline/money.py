"""Budget: an amount or range with currency and period, or no budget, unknown, refused.

A number is a budget when it carries a currency ("$40k", "15 lakh rupees"), sits in a
clause about money ("our budget is 50k"), or answers the budget question ("around 50k").
Numbers of people, durations, dates and counts never are. In a correction ("80k, not
40k", "sorry, I meant 80k") the amount after "not" / "instead of" / "rather than" is
dropped and the last amount stated wins; an amount of the past ("the 20k was last year's")
or paid to a tool today ("we pay Segment 55k") gives way to one they would spend. Bounds
make ranges ("under 12k" is 0 to 12k) and so do digit counts ("low six figures" is 100k to
300k); the playbook scores a range at its midpoint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from agent.models import BudgetPeriod, FieldName
from agent.normalize import currency_in
from agent.offline.languages.money import gloss
from agent.offline.quantities import Quantity, in_english
from agent.offline.text import Clause

BUDGET_CUE = re.compile(
    r"\b(?:budgets?|budgeted|budgeting|spend(?:ing)?|spent|price[ds]?|pricing|cost(?:s|ing)?|"
    r"pay(?:ing)?(?! us\b)|paid(?! us\b| (?:staff|employees|team|people|users|customers|"
    r"members|subscribers|accounts|plans?|tiers?|ads|search|social|media|traffic|acquisition|version|interns?))|"
    r"afford|allocat(?:e|ed|ion)|set aside|earmarked|ballpark|invest(?:ing|ment)?|"
    r"money|funds)\b"
)
_CORRECTION = re.compile(
    r"\b(?:actually|sorry|i meant|meant to say|correction|to correct|my mistake|typo|scratch that|"
    r"i mean|oops)\b"
)
_REFUSED = re.compile(
    r"\b(?:(?:i'd|i would|we'd|we would|i) (?:rather|prefer) not|prefer not to|(?:can't|cannot|"
    r"can not|won't|will not|not able to|unable to|not allowed to|not at liberty to|not going to|"
    r"don't want to)\s+(?:share|say|disclose|tell|discuss|reveal|give)|confidential|"
    r"not comfortable (?:sharing|saying|disclosing)|none of your business|no comment|"
    r"pass on (?:that|this)|keep (?:that|it) (?:private|to myself)|"
    r"not (?:sharing|disclosing|giving out) (?:that|it|this|our|my|numbers|figures|the budget|"
    r"budget)|not (?:telling|saying)|won't (?:tell|say)|keep (?:that|it|this) to (?:myself|"
    r"ourselves)|"
    r"i said no|none of your|rather not (?:say|share|tell|disclose|give)|not giving (?:you )?"
    r"(?:a|any|out|the)? ?(?:number|figure|amount))"
)
_NO_BUDGET = re.compile(
    r"\b(?:no budget|zero budget|budget is (?:zero|0|nil|nothing)|(?:don't|do not|doesn't|does "
    r"not|haven't|have not|didn't|did not)\s+(?:really\s+)?(?:have|got|get|set)\s+(?:a |any |an "
    r")?(?:formal |fixed |set |real |approved |allocated |dedicated |specific |proper |official )?"
    r"(?:budget|money|funds|funding)|without (?:a |any )?budget|not budgeted|unbudgeted|no "
    r"(?:money|funds|funding)|nothing (?:allocated|set aside|budgeted)|haven't (?:allocated|set "
    r"aside|budgeted)|budget (?:hasn't|has not) been (?:allocated|approved|set)|there's no budget|"
    r"there is no budget|no allocated budget|no (?:fixed|set|real|approved|allocated|dedicated|"
    r"formal|official|specific) budget|nothing set aside|zero for now|(?:literally |exactly )?"
    r"(?:\$|usd ?)?0 (?:for now|right now|at the moment|budget))\b"
)
_PAST_AMOUNT = re.compile(
    r"\b(?:was|were)\b(?! (?:just )?(?:approved|signed|set|agreed|confirmed|allocated|earmarked))|"
    r"\b(?:used to|last year'?s?|previous(?:ly)?|prior|old)\b"
)
_BUDGET_WORD = re.compile(
    r"\b(?:budgets?|budgeted|spend(?:ing)?|afford|price[ds]?|pricing|costs?|money|funds|"
    r"invest(?:ing|ment)?|allocat\w*|ballpark)\b"
)
_NOT_MINE = re.compile(
    r"\babove my pay ?grade\b|\bnot my (?:area|department|call|side|thing)\b|\b(?:my|our) "
    r"(?:boss|manager|cfo|ceo|finance team|finance) (?:would|will|might) know\b|\bno idea\b"
)
_LIMIT = re.compile(
    r"\b(?:sign-?off|signs? off|approv\w*|sign(?:ature|ing)?s?|(?:gets? |is )?involved|"
    r"steps? in|escalat\w*)\b[^.;]{0,40}?\b(?:below|under|above|"
    r"over|beyond|more than|less than)\s*[$€£₹]?\s*$"
    # "signing authority up to $150,000", "I can approve up to 100k": how far they may sign
    r"|\b(?:(?:can|may|could|allowed to|able to) approve|sign(?:ature|ing)?s?|authority)\b"
    r"[^.;]{0,30}?\bup to\s*"
    r"(?:r\$|[$€£₹]|chf|eur|usd|brl|cad|gbp)?\s*$"
)
# "anything over $50k a year needs board approval": a limit said the other way round.
_OVER = re.compile(r"\b(?:over|above|beyond|more than|in excess of)\s*[$€£₹]?\s*$")
_NEEDS_APPROVAL = re.compile(
    r"^[^.;,]{0,20}?\b(?:needs?|requires?|has to (?:get|go)|must (?:get|go)|goes)\s+(?:\w+\s+){0,2}"
    r"(?:approval|sign-?off|to the board|through (?:the )?board)"
)


def _limit_before_approval(q: Quantity) -> bool:
    text = q.clause.digits
    return bool(_OVER.search(text[: q.start]) and _NEEDS_APPROVAL.match(text[q.end :]))


_PAYING_A_TOOL = re.compile(
    r"\bwe (?:currently |now |already )?pay (?!(?:about|around|roughly|approximately|maybe|up|"
    r"max|only|just|like|between|under|over|less|more|in|for|per|a|an|the|us|you|beacon|it|that|"
    r"this|what|whatever|monthly|yearly|annually)\b)[a-z][\w.&-]*"
)
_TOPIC = re.compile(r"(?:re:?\s*)?(?:the\s+)?budget(?:[- ]wise)?\W*")
_WONDERING = re.compile(
    r"\b(?:don't|do not|dont|no idea|no clue)\s+(?:know\s+|really know\s+)?"
    r"(?:why|which|how|where|what|who|when|if|whether)\b"
)
_BARE_NO = re.compile(r"^(?:no|nope|none|nothing|zero|nada|nil|not yet|nothing yet|0)$")
_UNKNOWN = re.compile(
    r"\b(?:not sure|unsure|don't know|do not know|dunno|no idea|no clue|not decided|haven't "
    r"decided|have not decided|undecided|tbd|tbc|to be (?:determined|decided|confirmed)|depends|"
    r"figuring (?:it|that|this) out|still (?:working|figuring) (?:it|that|this) out|not (?:yet )?"
    r"(?:defined|set|finali[sz]ed|fixed|settled|clear)|haven't (?:thought|figured)|still deciding|"
    r"need to check|have to check|not really|(?:need|want|have) to see (?:what you charge|"
    r"(?:the |your )?pric(?:e|es|ing))|depends on (?:the |your )?(?:price|pricing|quote|cost|"
    r"what you charge)|"
    r"finance (?:team )?(?:hasn't|has not|still (?:did not|didn't|hasn't|has not)|did not|didn't) "
    r"(?:told|tell|give|given|set|confirmed|shared))\b"
)
_OTHER_TOPIC = re.compile(r"\b(?:when|who|timeline|timing|time|date|how many|which|people)\b")
_MONTHLY = re.compile(
    r"(?:/|\bper|\ba|\ban|\beach|\bevery)\s*(?:month|mo|mth)\b|\bmonthly\b|\bp/?m\b|\bpcm\b"
)
_ANNUAL = re.compile(
    r"(?:/|\bper|\ba|\ban|\beach|\bevery)\s*(?:year|yr|annum)\b|\bannual(?:ly)?\b|\byearly\b|"
    r"\bp\.?a\.?(?!\w)|\bper annum\b|\bfor the (?:whole |full |entire )?year\b"
)
_WEEKLY = re.compile(r"(?:/|\bper|\ba|\beach|\bevery)\s*(?:week|wk)\b|\bweekly\b")
_QUARTERLY = re.compile(r"(?:/|\bper|\ba|\beach|\bevery)\s*(?:quarter|qtr|q)\b|\bquarterly\b")
_SEMIANNUAL = re.compile(
    r"\bevery (?:6|six) months\b|\bhalf[- ]year(?:ly)?\b|\bsemi-?annual(?:ly)?\b|\bper half\b|"
    r"\bbi-?annual(?:ly)?\b|\bin halves\b"
)
_ONE_TIME = re.compile(r"\bone[- ]?(?:time|off)\b|\bupfront\b|\blump[- ]?sum\b|\bin total\b")
_BELOW = re.compile(
    r"(?:\b(?:under|less than|below|lower than|sub|shy of|south of)|<=?|≤)\s*[$€£₹]?\s*$"
)
_FIGURES = re.compile(
    r"\b(?:(?P<where>low|lower|mid|middle|high|upper)[\s-]+)?(?P<count>four|five|six|seven|eight|"
    r"4|5|6|7|8)[\s-]+figures?\b"
)
_DIGIT_COUNTS = {"four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_DIGIT_COUNTS.update({str(n): n for n in range(4, 9)})
# "low", "mid" or "high" part of a span: of the leading digit ("low six figures") or of a
# decade ("mid 20s").
_BAND = {
    "low": "low",
    "lower": "low",
    "mid": "mid",
    "middle": "mid",
    "high": "high",
    "upper": "high",
}
_FIGURE_SPANS = {"low": (1.0, 3.0), "mid": (4.0, 6.0), "high": (7.0, 9.99)}
_NOT_A_PERIOD = re.compile(r"\b(?:in|within)\s*$")
_PERIODS: tuple[tuple[re.Pattern[str], BudgetPeriod], ...] = (
    (_SEMIANNUAL, "semiannual"),
    (_WEEKLY, "weekly"),
    (_QUARTERLY, "quarterly"),
    (_MONTHLY, "monthly"),
    (_ANNUAL, "annual"),
    (_ONE_TIME, "one_time"),
)


def find_budget(
    clauses: list[Clause],
    amounts: list[Quantity],
    asking: FieldName | None,
    *,
    message: str = "",
    seats: Sequence[Quantity] = (),
    language: str = "en",
) -> dict[str, Any] | None:
    """``update_lead`` budget arguments, or None when the message says nothing about it.

    A price per seat or user times the number of seats they name is the budget ("$35 per
    seat per month, and we'd need 40 seats"); ``seats`` are the message's counts of seats,
    users and licences. ``language`` is the language the message is written in (its
    ``amounts`` were read in it)."""
    clauses = [in_english(clause, language) for clause in clauses]
    if clauses and _TOPIC.fullmatch(clauses[0].text):
        asking = "budget"  # "budget - no clue": the rest of the message is about the budget
    decade = (
        _decade(clauses)
        if asking == "budget" or any(BUDGET_CUE.search(c.text) for c in clauses)
        else None
    )
    if decade is not None:
        return decade
    cue_anywhere = any(BUDGET_CUE.search(clause.text) for clause in clauses)
    corrected = any(_CORRECTION.search(clause.text) for clause in clauses)
    chosen = [
        q for q in amounts if _is_budget(q, asking=asking, cue=cue_anywhere, correction=corrected)
    ]
    # An approval limit ("no sign-off needed below 75k") is no budget.
    chosen = [
        q
        for q in chosen
        if not _LIMIT.search(q.clause.digits[: q.start]) and not _limit_before_approval(q)
    ]
    if chosen:
        # An amount of the past ("the 20k was last year's budget") gives way to one of now.
        # So does what they pay a tool today ("we pay Segment 55k now ... ideally 40k").
        chosen = [q for q in chosen if not _PAST_AMOUNT.search(q.clause.text)] or chosen
        chosen = _not_what_they_pay_now(chosen, message)
    if chosen:
        # Amounts said as a budget (a budget word or a period) outrank other amounts ("60k a
        # year ... nobody signs off under 100k"); among them the last one wins (corrections).
        stated = [
            q
            for q in chosen
            if BUDGET_CUE.search(q.clause.text) or amount_period(q) or _corrects(q, clauses)
        ]
        said = (stated or chosen)[-1]
        if said.high == 0:
            return {"quote": said.clause.raw, "status": "no_budget"}  # "literally $0"
        known = _below_what_they_pay(said, _known(said, clauses), message)
        return _per_seat(known, message, seats, language)
    restated = _restated(clauses)
    if restated is not None:
        return restated
    about_budget = asking == "budget" or cue_anywhere
    figures = find_figures(clauses) if about_budget else None
    if figures is not None:
        return figures
    if asking == "budget" and len(clauses) == 1 and _BARE_NO.match(clauses[0].text):
        return {"quote": clauses[0].raw, "status": "no_budget"}
    for clause in clauses:
        if _NO_BUDGET.search(clause.text):
            return {"quote": clause.raw, "status": "no_budget"}
    if about_budget:
        for clause in clauses:
            if _REFUSED.search(clause.text):
                # "can't tell you, that's above my pay grade": they do not know it.
                status = "unknown" if any(_NOT_MINE.search(c.text) for c in clauses) else "refused"
                return {"quote": clause.raw, "status": status}
        for clause in clauses:
            if _UNKNOWN.search(clause.text) and _about_budget(clause, asking):
                wondering = _WONDERING.search(clause.text)
                if wondering and not _BUDGET_WORD.search(clause.text[wondering.start() :]):
                    # "we don't know why they leave", "people pay monthly and we have no clue
                    # which parts they use", "no idea who's using it vs who's just paying": a
                    # problem, not the budget.
                    continue
                return {"quote": clause.raw, "status": "unknown"}
    return None


_PER_SEAT = re.compile(r"^[^,.;]{0,12}?\b(?:per|a|/|each)\s*(?:seat|user|licen[cs]e|person|head)\b")


def _corrects(q: Quantity, clauses: list[Clause]) -> bool:
    """Whether ``q`` is said as a correction ("50k approved - actually scratch that, finance
    cut it to 30k"): in its clause or right after one with a correction word."""
    index = next((i for i, c in enumerate(clauses) if c == q.clause), -1)
    before = clauses[max(0, index - 1) : index + 1] if index >= 0 else [q.clause]
    return any(_CORRECTION.search(c.text) for c in before)


def _per_seat(
    args: dict[str, Any], message: str, seats: Sequence[Quantity], language: str = "en"
) -> dict[str, Any]:
    """The budget for all seats, when the amount is a price per seat and a count is named
    ("60 dólares por usuario al mes, para unos 40 usuarios" reads as in English)."""
    said = next((c for c in (s.clause for s in seats) if c.raw in message), None)
    quote = str(args["quote"])
    where = message.find(quote)
    if said is None or where < 0 or not seats:
        return args
    # The count may come first ("50 usuarios ... 90 dólares por usuario"): any number of
    # the quote followed by "per seat" is the price.
    ends = [m.end() for m in _PRICE_END.finditer(quote)] or [0]
    if not any(_PER_SEAT.search(gloss(quote[end:].lower(), language)) for end in ends):
        return args
    count = seats[0].high
    if count < 2:
        return args
    start, end = min(where, said.start), max(where + len(quote), said.end)
    scaled = {k: v * count for k, v in args.items() if k in ("amount_min", "amount_max")}
    return {**args, **scaled, "quote": message[start:end]}


_PRICE_END = re.compile(r"\d(?:[\d,. ]*\d)?\s*(?:k|grand|[$€£₹]|usd|eur|gbp|cad|aud|inr|dollars?)?")


def _about_budget(clause: Clause, asking: FieldName | None) -> bool:
    if BUDGET_CUE.search(clause.text):
        return True
    return asking in ("budget", None) and not _OTHER_TOPIC.search(clause.text)


def _is_budget(q: Quantity, *, asking: FieldName | None, cue: bool, correction: bool) -> bool:
    if q.negated or q.kind not in ("money", "bare"):
        return False
    if q.kind == "money":
        return True
    if q.high < 10 and not q.scaled:
        return False
    in_clause = BUDGET_CUE.search(q.clause.text) is not None or amount_period(q) is not None
    if in_clause or asking == "budget":
        return True
    return (cue or correction) and (q.scaled or q.high >= 1000)


def amount_period(q: Quantity) -> BudgetPeriod | None:
    """The period said with an amount ("70k a year"), or None."""
    text = q.clause.digits
    for pattern, period in _PERIODS:
        for match in pattern.finditer(text):
            if not _NOT_A_PERIOD.search(text[: match.start()]):
                return period
    return None


# A total for a contract of several years: "€90,000 for a two-year contract", "150k over
# three years". The budget is that total spread over the years, per year.
_YEARS = re.compile(
    r"\b(?:for|over|across) (?:a |the |our )?(?P<years>two|three|four|five|2|3|4|5)[- ]years?\b"
    r"(?:[- ](?:contract|deal|term|agreement|commitment|licen[cs]e|period))?"
)
_YEAR_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
# ... or said before it: "a 3-year contract at around $150k total".
_YEARS_BEFORE = re.compile(
    r"\b(?P<years>two|three|four|five|2|3|4|5)[- ]years? (?:contract|deal|term|agreement|"
    r"commitment|licen[cs]e)\b[^.]{0,25}$"
)


def _known(q: Quantity, clauses: list[Clause]) -> dict[str, Any]:
    low, high = _bounds(q)
    years = _YEARS.search(q.clause.text[q.end :]) or _YEARS_BEFORE.search(
        # "un contrat de deux ans, 150'000 francs au total": the years in an earlier clause
        _sentence_before(q, clauses)
    )
    if years is not None and amount_period(q) in (None, "one_time"):  # "... in total"
        count = _YEAR_COUNTS[years["years"]]
        low, high = low / count, high / count
        args_years: dict[str, Any] = {"period": "annual"}
    else:
        args_years = {}
    args: dict[str, Any] = {"quote": q.clause.raw, "status": "known", "amount_min": low}
    if high != low:
        args["amount_max"] = high
    if q.currency:
        args["currency"] = q.currency
    if args_years:
        return {**args, **args_years}
    period = amount_period(q)
    if period is None:
        for clause in clauses:
            if clause != q.clause and BUDGET_CUE.search(clause.text):
                period = _clause_period(clause)
                if period is not None:
                    break
    if period is not None:
        args["period"] = period
    return args


# What they pay today ("we pay about $18k a year for Hotjar", "we spend 70 grand a year
# with our current vendor") is no budget, unless they carry it over to us.
_PAID_NOW_BEFORE = re.compile(
    r"\b(?:we|i)(?:'re| are| am)? (?:currently |now |already |still )?(?:pay|paying|spend|"
    r"spending)\s+(?:(?!(?:would|could|can|will|want|up|max|only|just|less|more|under|over)\b)"
    r"[\w.&-]+\s+){0,3}[$€£₹]?\s*$"
)
# "our current tool costs us €900 a month": the price of what they use today.
_TOOL_PRICE_BEFORE = re.compile(
    r"\b(?:current|existing|present|old) (?:tool|platform|solution|software|vendor|provider|"
    r"setup|stack)\b[^.]{0,30}?\b(?:costs?|is|runs|charges)(?: us| me)?\s+(?:about |around |"
    r"roughly |approximately |like )?[$€£₹]?\s*$"
)
# What the prospect's own customers pay ("our customers pay €49 a month", "nos clients
# paient 49 €", "uma assinatura de R$ 29,90/mês"): the price of their product, not a budget.
_THEIR_PRICE_BEFORE = re.compile(
    r"\b(?:our|their|nos|nuestros|nossos|unsere|unseren) (?:customers|clients|users|"
    r"subscribers|members|clientes|kunden|abonnenten|assinantes|usuarios|usuários|"
    r"utilisateurs|abonnés|alunos|alumnos|élèves)\s+(?:pay|paient|pagan|pagam|zahlen)\s+"
    r"(?:[\w.]+\s+){0,2}?(?:brl|usd|eur|mxn|chf|cad)?\s*[$€£₹]?\s*$|"
    r"\b(?:subscription|assinatura|suscripci[oó]n|abonnement|abo)\s+(?:of|at|for|de|à|a|von|"
    r"für|fur|por|zu)?\s*(?:brl|usd|eur|mxn|chf|cad)?\s*[$€£₹]?\s*$|"
    r"\b(?:we charge|cobramos|on facture|wir verlangen)\s+(?:[\w.]+\s+){0,2}?"
    r"(?:brl|usd|eur|mxn|chf|cad)?\s*[$€£₹]?\s*$"
)
_CAP_AFTER = re.compile(r"^\s*(?:[a-z/]+\s+){0,3}?(?:max|maximum|tops|at most|at the most)\b")
_CARRIED_OVER = re.compile(
    r"\b(?:move|moving|shift|redirect|reuse|transfer|switch|put) (?:that|this|the same|our|"
    r"the) (?:budget|money|spend|amount)|stay (?:around|at|near|within|under|below) (?:that|the "
    r"same|it)|(?:around|about|roughly|exactly|much) the same|same (?:budget|amount|money|"
    r"spend)|(?:less|no more|not more) than (?:that|this|what we pay)|that (?:budget|money|"
    r"spend|amount) (?:would|could|will|can) (?:go|move|come)|similar (?:budget|amount)"
)


def _pays_now(q: Quantity) -> bool:
    if _CAP_AFTER.match(q.clause.digits[q.end :]):
        return False  # "we pay $20k a year max": a cap, so a budget
    before = q.clause.digits[: q.start]
    return bool(
        _PAYING_A_TOOL.search(q.clause.text)
        or _PAID_NOW_BEFORE.search(before)
        or _TOOL_PRICE_BEFORE.search(before)
        or _THEIR_PRICE_BEFORE.search(before.lower())
    )


def carried_over_price(q: Quantity, message: str) -> bool:
    """A price paid today that they carry over to us: "we pay them roughly $70k a year and
    would budget about the same" (the price alone is no budget, see _pays_now)."""
    return q.kind == "other" and _pays_now(q) and _CARRIED_OVER.search(message.lower()) is not None


_LESS_THAN_THAT = re.compile(
    r"\b(?:less|lower|cheaper) than (?:that|this|what we pay|now|today)|(?:under|below) that\b"
)


def _below_what_they_pay(q: Quantity, args: dict[str, Any], message: str) -> dict[str, Any]:
    """ "We pay $400/mo now, we'd like to pay less than that": up to that price."""
    if not _pays_now(q) or not _LESS_THAN_THAT.search(message.lower()) or "amount_max" in args:
        return args
    return {**args, "amount_min": 0.0, "amount_max": args["amount_min"]}


def _not_what_they_pay_now(chosen: list[Quantity], message: str) -> list[Quantity]:
    """The amounts that are no price paid today; a price paid today only when it is carried
    over ("we pay Mixpanel 60k and would move that budget")."""
    others = [q for q in chosen if not _pays_now(q)]
    if others:
        return others
    return chosen if _CARRIED_OVER.search(message.lower()) else []


def _sentence_before(q: Quantity, clauses: list[Clause]) -> str:
    """The words of the amount's sentence before it: "a three-year deal, around $150k"."""
    earlier = [
        c.text for c in clauses[: _index(q.clause, clauses)] if c.sentence == q.clause.sentence
    ]
    return " ".join([*earlier, q.clause.text[: q.start]])


def _index(clause: Clause, clauses: list[Clause]) -> int:
    # The same clause, or its copy read in English words (same place in the message).
    return next(
        (
            i
            for i, c in enumerate(clauses)
            if c is clause or (c.start, c.end) == (clause.start, clause.end)
        ),
        0,
    )


def _bounds(q: Quantity) -> tuple[float, float]:
    """The range an amount stands for: "under 12k" is 0 to 12k (the playbook scores a range
    at its midpoint); "over 50k", "at least 50k", "up to 50k" and "max 50k" are 50k."""
    before = q.clause.digits[max(0, q.start - 24) : q.start]
    if q.low == q.high and _BELOW.search(before):
        return 0.0, q.high
    return q.low, q.high


# "mid 20s, thousand a year", "low 40s k": a range within a decade of thousands.
_DECADE = re.compile(r"\b(?P<where>low|lower|mid|middle|high|upper)[\s-]+(?P<tens>[1-9]0)'?s\b")
_THOUSANDS = re.compile(r"\b(?:k|thousands?|grand)\b|\d0'?sk\b")
_DECADE_SPANS = {"low": (0, 3), "mid": (4, 6), "high": (7, 9)}


def _decade(clauses: list[Clause]) -> dict[str, Any] | None:
    for index, clause in enumerate(clauses):
        match = _DECADE.search(clause.text)
        if match is None:
            continue
        near = " ".join(c.text for c in clauses[index : index + 2])
        if not _THOUSANDS.search(near):
            continue
        tens = int(match["tens"])
        low, high = _DECADE_SPANS[_BAND[match["where"]]]
        found: dict[str, Any] = {
            "quote": clause.raw,
            "status": "known",
            "amount_min": (tens + low) * 1000.0,
            "amount_max": (tens + high) * 1000.0,
        }
        period = _clause_period(clause) or next(
            (p for c in clauses[index + 1 : index + 2] if (p := _clause_period(c))), None
        )
        if period is not None:
            found["period"] = period
        return found
    return None


def find_figures(clauses: list[Clause]) -> dict[str, Any] | None:
    """ "low six figures", "mid five figures": a range by the number of digits."""
    for clause in clauses:
        match = _FIGURES.search(clause.text)
        if match is None:
            continue
        digits = _DIGIT_COUNTS.get(match["count"], 0)
        if not 4 <= digits <= 9:
            continue
        unit = 10.0 ** (digits - 1)
        low, high = _FIGURE_SPANS[_BAND[match["where"] or "mid"]]
        args: dict[str, Any] = {
            "quote": clause.raw,
            "status": "known",
            "amount_min": low * unit,
            "amount_max": high * unit,
        }
        period = _clause_period(clause)
        if period is not None:
            args["period"] = period
        return args
    return None


# "that's per quarter btw, not per year", "sorry, I meant euros": the amount said before,
# restated in another period or currency (applied to the budget already known).
_RESTATING = re.compile(
    r"^\W*(?:(?:oh|sorry|oops|btw|and|also|just to clarify|to clarify)\W+)*(?:that's|that is|"
    r"that was|it's|it is|this is|i meant|i mean|the budget is|the figure is|that figure is|that "
    r"amount is|that number is)\b"
)
_FILLER = re.compile(
    r"\b(?:btw|by the way|sorry|actually|though|then|ok|okay|just|really|in|the|not|all|"
    r"dollars?|bucks|lol|haha)\b"
)
_CURRENCY_WORDS = re.compile(
    r"\b(?:usd|eur|gbp|cad|aud|inr|euros?|pounds?|sterling|rupees?|canadian|australian|aussie|"
    r"us)\b|[$€£₹]"
)
_NOT_THIS = re.compile(r"\bnot (?:per|a|an|each|every|in)?\s*[\w$€£₹]+(?: dollars)?")


def _restated(clauses: list[Clause]) -> dict[str, Any] | None:
    for clause in clauses:
        if not _RESTATING.search(clause.text):
            continue
        text = _NOT_THIS.sub(" ", clause.text)
        period = next((p for pattern, p in _PERIODS if pattern.search(text)), None)
        currency = currency_in(text)
        if period is None and currency is None:
            continue
        left = _RESTATING.sub(" ", text)
        for pattern, _ in _PERIODS:
            left = pattern.sub(" ", left)
        if re.search(r"[a-z]{3,}", _FILLER.sub(" ", _CURRENCY_WORDS.sub(" ", left))):
            continue  # "it's monthly reporting we need": no restated budget
        found: dict[str, Any] = {"quote": clause.raw, "status": "known"}
        if period is not None:
            found["period"] = period
        if currency is not None:
            found["currency"] = currency
        return found
    return None


def _clause_period(clause: Clause) -> BudgetPeriod | None:
    text = clause.digits
    for pattern, period in _PERIODS:
        if period != "one_time" and pattern.search(text):
            return period
    return None
