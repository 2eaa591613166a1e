"""Authority: the prospect's role and whether they make the buying decision.

What they say about the decision wins over their title: a head of growth who has to
"run it by our CFO" is an influencer, a manager who says "I sign off" decides. A title
counts only when it is theirs ("I'm the CTO", "CTO here", "as head of data"), not when
they name someone else's ("our CTO decides").
"""

from __future__ import annotations

import re
from typing import Any

from agent.models import AuthorityLevel, FieldName
from agent.offline.text import Clause, span

_DEPT = (
    r"(?:product|engineering|growth|marketing|data|analytics|sales|operations|ops|finance|it|"
    r"technology|tech|digital|e-?commerce|strategy|customer success|cx|bi|business intelligence|"
    r"revenue|people|hr|design|platform|insights|research|crm|partnerships|software|development|"
    r"infrastructure|security|product management|product analytics|data science|performance "
    r"marketing|demand gen(?:eration)?|brand|content|seo|user research|ux|mobile|web|"
    r"business|innovation|customer experience)"
)
_DECIDER_TITLE = (
    r"(?:(?:co-?)?founders?(?:\s*(?:&|and|/)\s*(?:ceo|cto))?|(?:co-?|business |store |shop |"
    r"company )?owners?|ceo|cto|cfo|coo|cmo|cpo|cro|cio|cdo|ciso|chief [a-z]+(?: [a-z]+)? officer|"
    r"(?:senior |sr\.? |executive |group )?(?:vp|vice president|svp|evp|director|head)"
    rf"(?: of)?(?: {_DEPT})?|{_DEPT} (?:director|head|vp)|managing director|general manager|"
    r"president|proprietor|managing partner|partner|principal|md)"
)
_INFLUENCER_TITLE = (
    rf"(?:(?:senior |sr\.? |lead )?(?:{_DEPT} )?(?:manager|lead|architect)|(?:team|tech) lead|"
    r"pm|product owner|consultant|advisor|staff engineer|principal engineer|(?:engineering|"
    r"product) manager)"
)
_USER_TITLE = (
    rf"(?:(?:senior |sr\.? |junior |jr\.? |lead )?(?:{_DEPT} )?(?:analyst|engineer|developer|dev|"
    r"scientist|designer|marketer|specialist|associate|coordinator|intern|assistant|admin|"
    r"administrator|executive|researcher|strategist|programmer))"
)
_TITLES: tuple[tuple[re.Pattern[str], AuthorityLevel], ...] = (
    (re.compile(rf"\b{_INFLUENCER_TITLE}\b"), "influencer"),
    (re.compile(rf"\b{_DECIDER_TITLE}\b"), "decision_maker"),
    (re.compile(rf"\b{_USER_TITLE}\b"), "user"),
)
_SELF = re.compile(
    r"(?:\bi(?:'m| am|m)|\bi work as|\bi serve as|\bmy (?:role|title|position|job) is|\bas|"
    r"\bworking as|\bhere as)\s+(?:(?:the|a|an|one of the|currently|also|actually|just|now|acting|"
    r"interim|sole|new|company's|team's)\s+)*$"
)
_LEADING = re.compile(r"^(?:(?:hi|hey|hello)\s+)?(?:the |a |an )?$")
_SIGNATURE_AFTER = re.compile(r"^\s*(?:here\b|at\b|of\b|for\b|with\b|from\b|\(|$)")
_NOT_DECIDER = re.compile(
    r"\b(?:not (?:the |a )?decision[- ]?maker|not (?:my|our) (?:call|decision)|(?:don't|do not) "
    r"(?:make|have) (?:the )?(?:final )?(?:call|decision|say)|(?:don't|do not) (?:sign|approve)|"
    r"above my pay ?grade|someone else (?:signs|decides|approves|makes)|not up to me)"
)
_INFLUENCE = re.compile(
    r"\b(?:run (?:it|this|that) (?:by|past)|(?:need|needs|get|getting|require|requires) "
    r"(?:approval|sign-?off|buy-?in|a yes)|(?:eval|evaluation|selection|buying|steering) "
    r"committee|recommend(?:ation|s|ing)?|shortlist(?:ing)?|part of the decision|"
    r"involved in the decision|(?:present|pitch|bring) (?:it|"
    r"this|that)? ?to (?:my|our|the)|convince (?:my|our|the)|have a say|weigh in|"
    r"(?:my|our|the) (?:boss|manager|ceo|cto|cfo|coo|cmo|vp|director|founder|founders|board|"
    r"leadership|management|owner|head of [a-z]+) (?:decides|makes|has|will|would|signs|"
    r"approves|owns|holds|needs to|has to|gets)|final (?:call|decision|say) (?:is|lies|rests) "
    r"with (?:my|our|the)|(?:it's|it is) (?:her|his|their) (?:call|decision)|(?:she|he|they) "
    r"(?:decides?|signs?|approves?|makes? the (?:call|decision))\b|(?:go|goes) through "
    r"(?:our |the )?(?:procurement|purchasing|buying) (?:committee|team|process)|"
    r"(?:committee|board) (?:makes|"
    r"make|has|have) the final)"
)
_DECIDE = re.compile(
    r"\b(?:i (?:own|hold|control|manage|have) the budget|i sign(?: off| the|$)|i(?:'ll| will)? "
    r"approve|(?:it's|it is) my (?:call|decision)|(?:the )?final (?:say|call|decision) is mine|"
    r"i (?:have|get|make) (?:the )?final (?:say|call|decision)|i make the (?:call|decision|"
    r"decisions)|i decide|(?:i'm|i am) (?:the|a|one of the) (?:main |final |ultimate )?"
    r"decision[- ]?makers?|decision[- ]?maker (?:here|is me)|up to me|my decision|"
    r"budget holder|buck stops with me|i (?:have|hold) (?:full |the )?(?:authority|sign-?off)|"
    r"i choose|i run the (?:company|business|show|shop)|i run the whole (?:company|business|"
    r"show|shop|thing)|(?:it's|it is) just me|i(?:'m| am) the only one|one-(?:wo)?man (?:band|"
    r"shop|show)|i (?:own|run|founded|started) (?:a|an|the|our|my) (?:[\w-]+ ){0,3}(?:company|"
    r"business|shop|store|boutique|agency|startup|studio|firm|brand|practice|clinic)|"
    r"(?:it's|it is) my (?:shop|store|business|company|firm|agency|practice|clinic|budget|money|"
    r"p&l)|(?:out of|from|on) my (?:p&l|p and l|budget line)|i own (?:it|the (?:business|company|"
    r"shop|store|place))|(?:don't|do not) need to ask anyone|we decide together|"
    r"the budget (?:is|'s) mine|(?:it's|it is) my budget)\b"
)
_USE = re.compile(
    r"\b(?:i(?:'d| would|'ll| will) (?:mostly |mainly |probably |just )?(?:be )?(?:the one )?"
    r"us(?:e|ing) (?:it|this|beacon|the tool|"
    r"the product|the platform|the dashboards)|use it "
    r"(?:day to day|daily|every day)|day[- ]to[- ]day (?:user|use)|end[- ]user|(?:just|only) "
    r"(?:a|the) user|hands-on user|no (?:buying|purchasing) power|not involved in "
    r"(?:buying|purchasing)|(?:don't|do not) (?:get|have) a (?:vote|say)|(?:won't|will not) be "
    r"deciding|(?:i )?just implement|i just help with|i(?:'ll| will) be the one (?:wiring|setting|"
    r"building|using|implementing))\b"
)
_STATEMENTS: tuple[tuple[re.Pattern[str], AuthorityLevel], ...] = (
    (_NOT_DECIDER, "influencer"),
    (_INFLUENCE, "influencer"),
    (_DECIDE, "decision_maker"),
)
_ME = re.compile(
    r"^(?:(?:yes|yeah|yep|yup|sure)\W*)?(?:it's |that's |that would be |just |only |that's )?"
    r"(?:me|myself|i do|i am)\b(?: and my (?:co-?founders?|partners?|business partner))?\W*$"
)
_SOMEONE_ELSE = re.compile(
    r"^(?:(?:no|nope)\W*)?(?:it's |that's |that would be |probably |mostly )?(?:my|our|the) "
    r"(?:boss|manager|ceo|cto|cfo|coo|vp|director|founders?|head of [a-z]+|board|team lead|"
    r"leadership|management|owner)\b"
)


def find_authority(
    message: str, clauses: list[Clause], asking: FieldName | None
) -> dict[str, Any] | None:
    """``update_lead`` authority arguments, or None when nothing was said about it."""
    role: tuple[Clause, str, AuthorityLevel] | None = None
    for clause in clauses:
        found = _own_title(clause, asking)
        if found is not None:
            role = (clause, found[0], found[1])
            break
    level: AuthorityLevel | None = None
    said: Clause | None = None
    using = next((c for c in clauses if _USE.search(c.text)), None)
    statements = _STATEMENTS if using is None else ((_DECIDE, "decision_maker"),)
    for pattern, meaning in statements:
        said = next((c for c in clauses if _says(pattern, c)), None)
        if said is not None:
            level = meaning
            break
    if level is None and using is not None:
        # "I'd be the one using it, my manager decides": a user, not an influencer.
        level, said = "user", using
    if level is None and role is not None:
        level, said = role[2], role[0]
    if level is None and asking == "authority" and clauses:
        whole = message.replace("’", "'").lower().strip()
        if _ME.match(whole):
            level, said = "decision_maker", clauses[0]
        elif _SOMEONE_ELSE.match(whole):
            level, said = "influencer", clauses[0]
    if level is None or said is None:
        return None
    sources = [said] if role is None else [said, role[0]]
    if said is clauses[0] and asking == "authority" and role is None:
        sources = clauses
    args: dict[str, Any] = {"quote": span(message, sources), "level": level}
    if role is not None:
        args["role"] = role[1]
    return args


def _says(pattern: re.Pattern[str], clause: Clause) -> bool:
    match = pattern.search(clause.text)
    if match is None:
        return False
    if pattern is not _DECIDE:
        return True
    return re.search(r"(?:\bnot\b|n't\b|\bnever\b)", clause.text[: match.start()]) is None


def _own_title(clause: Clause, asking: FieldName | None) -> tuple[str, AuthorityLevel] | None:
    text = clause.text
    best: tuple[int, str, AuthorityLevel] | None = None
    for pattern, level in _TITLES:
        for match in pattern.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            mine = (
                _SELF.search(before) is not None
                or (
                    _LEADING.match(before) is not None and _SIGNATURE_AFTER.match(after) is not None
                )
                or (asking == "authority" and len(text.split()) <= 6 and not _others(before))
            )
            if mine and (best is None or match.start() < best[0]):
                best = (match.start(), _as_said(clause, match), level)
            if mine:
                break
    return None if best is None else (best[1], best[2])


def _others(before: str) -> bool:
    return re.search(r"\b(?:our|my|the|their|his|her)\s*$", before) is not None


def _as_said(clause: Clause, match: re.Match[str]) -> str:
    """The title in the prospect's own spelling when the clause is unchanged by cleaning."""
    if len(clause.raw) == len(clause.text):
        return clause.raw[match.start() : match.end()]
    return match.group()
