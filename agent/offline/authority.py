"""Authority: the prospect's role and whether they make the buying decision.

What they say about the decision wins over their title: a head of growth who has to
"run it by our CFO" is an influencer, a manager who says "I sign off" decides. A title
counts only when it is theirs ("I'm the CTO", "CTO here", "as head of data"), not when
they name someone else's ("our CTO decides").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from agent.models import AuthorityLevel, FieldName
from agent.offline.text import Clause, sentences, span

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
    r"president|proprietor|managing partner|partner|principal|md|gm)"
)
_INFLUENCER_TITLE = (
    rf"(?:(?:senior |sr\.? |lead )?(?:{_DEPT} )?(?:manager|lead|architect)|(?:team|tech) lead|"
    r"pm|product owner|consultant|advisor|staff engineer|principal engineer|(?:engineering|"
    r"product) manager)"
)
_USER_TITLE = (
    rf"(?:(?:executive|personal|administrative|office) assistant|"
    rf"(?:senior |sr\.? |junior |jr\.? |lead )?(?:{_DEPT} )?(?:analyst|engineer|developer|dev|"
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
    r"interim|sole|new|company's|team's|two|three|four|2|3|4)\s+)*$"
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
    r"involved in the decision|(?:present|pitch|bring|take) (?:it|this|that|the options|"
    r"options|my recommendation|a recommendation|a shortlist)? ?to (?:my|our|the|finance|"
    r"procurement|leadership|management)\b|convince "
    r"(?:my|our|the)|have a say|weigh in|(?:run|lead|leading|running|do|doing) (?:the )?"
    r"(?:evaluation|eval|selection)|i evaluate|"
    r"(?:my|our|the) (?:boss|manager|ceo|cto|cfo|coo|cmo|cpo|vp|director|founder|founders|"
    r"board|leadership|management|owner|exec team|head of [a-z]+(?: [a-z]+)?|md|managing "
    r"director|gm|general manager|president|chair(?:man|woman)?|principal|partners?|dad|father|"
    r"mum|mom|mother|parents) (?:decides|makes|"
    r"has(?! (?:the )?(?:numbers?|figures?|details|info))|(?:will|would)(?! know\b)|signs|"
    r"approves|owns|holds|needs to|has to|picks|chooses|selects|gets "
    r"(?:the )?(?:final|last|a veto|to (?:decide|sign|approve|choose|pick)))|"
    r"final (?:call|decision|say) (?:is|lies|rests) "
    r"with (?:my|our|the)|(?:it's|it is) (?:her|his|their) (?:call|decision)|(?:she|he|they) "
    r"(?:decides?|signs?(?! (?:up|in|on|out)\b)|approves?|makes? the (?:call|decision)|(?:has|"
    r"have|holds?|gets?) the "
    r"(?:last|final) (?:word|say|call))\b|(?:last|final) (?:word|say|call) (?:is|lies|rests|sits) "
    r"with (?:my|our|the|her|him|them)|(?:sign-?off|approval|a yes|go-ahead) from (?:my|our|the)|"
    r"(?:go|goes) through "
    r"(?:our |the )?(?:procurement|purchasing|buying) (?:committee|team|process)|"
    r"(?:committee|board) (?:makes|"
    r"make|has|have) the final|"
    # "she asked me to find out whether...", "HQ has to approve any software, I can only
    # suggest it"
    r"(?:asked|told|wants|want) me to (?:compare|shortlist|evaluate|put together)|"
    r"i can only (?:suggest|recommend|propose)|"
    r"(?:procurement|purchasing|finance)(?: office| team| department| dept)? (?:has|have|"
    r"needs?|must) to (?:sign|approve|ok)|"
    r"(?:hq|head office|headquarters|corporate|the franchisor|group) (?:has|have|needs?) to "
    r"(?:approve|sign|ok))"
)
_DECIDE = re.compile(
    r"\b(?:i (?:own|hold|control|manage|have) the budget|i sign(?: off| the|$)|i(?:'ll| will)? "
    r"approve|(?:it's|it is) my (?:call|decision)|(?:the )?final (?:say|call|decision) is mine|"
    r"i (?:have|get|make) (?:the )?final (?:say|call|decision)|i(?:'ll| will)? make the (?:final )?"
    r"(?:call|decision|decisions)|i handle (?:all )?(?:of )?(?:our |the )?(?:purchasing|buying|"
    r"procurement)|either of us (?:can )?(?:signs?|decides?|approves?)|me and my (?:co-?founder|"
    r"business partner|partner)s? (?:deciding|decide|split (?:the )?(?:calls?|decisions?))|"
    r"i make (?:all |most |every )?(?:the )?(?:[\w-]+ ){0,2}decisions?|i decide|"
    r"my (?:co-?founder|business partner|partner) and i (?:make|take|decide|sign|own)|"
    r"(?:i'm|i am) (?:the|a|one of the) (?:main |final |ultimate )?"
    r"decision[- ]?makers?|decision[- ]?maker (?:here|is me)|up to me|my decision|"
    r"buck stops with me|i (?:have|hold) (?:full |the )?(?:authority|sign-?off)|"
    r"i choose|i run the (?:company|business|show|shop)|(?:so |it's |its )?my call\b|"
    r"i own (?:the |our |my |both |two |three |four |five |\d+ )?(?:[\w-]+ ){0,2}"
    r"(?:restaurants?|shops?|stores?|clinics?|salons?|caf[eé]s?|bakeries|bakery|gyms?|studios?|"
    r"hotels?|practices?|businesses|companies|agencies|franchises?)|i have (?:my|our) own "
    r"(?:[\w-]+ )?budget|decide what (?:we|to) (?:use|buy)|i run the whole (?:company|business|"
    r"show|shop|thing)|(?:it's|it is) just me|i(?:'m| am) the only one|one-(?:wo)?man (?:band|"
    r"shop|show)|i (?:own|run|founded|started) (?:a|an|the|our|my) (?:[\w-]+ ){0,3}(?:company|"
    r"business|shop|store|boutique|agency|startup|studio|firm|brand|practice|clinic)|"
    r"(?:it's|it is) my (?:shop|store|business|company|firm|agency|practice|clinic|budget|money|"
    r"p&l|bakery|restaurant|caf[eé]|salon|gym|studio|brand|startup|place)|"
    r"(?:out of|from|on) my (?:p&l|p and l|budget line)|i own (?:it|the (?:business|company|"
    r"shop|store|place))|(?:don't|do not) need to ask anyone|we decide together|"
    r"we (?:decide|make (?:the|those|these) (?:calls?|decisions?))(?: [\w ]{0,25}?)? "
    r"(?:between us|between the (?:two|three) of us|ourselves)|"
    r"(?:the |this |our )?(?:[\w-]+ )?(?:budget|money|funds?|grant) (?:is|'s) mine|"
    r"(?:it's|it is) my budget|i (?:have|hold) budget authority|i pick the (?:tools?|vendors?)|"
    r"(?:own|run) (?:the|our) [\w ]{0,20}?,? so (?:we|i) (?:decide|make the call)|"
    r"^so (?:we|i) (?:decide|make the call)|"
    r"(?:don't|do not) need (?:anyone|anybody)(?: else)?(?:'s)? (?:to |sign|approv|permission)|"
    r"(?:it's|its|it is) (?:me|just me) and my (?:co-?founders?|partners?|business partner)|"
    r"me and my (?:co-?founder|business partner),? (?:so )?(?:yeah,? )?we decide|"
    r"(?:it's|its|it is) on (?:us|me)\b|(?:picking|choosing|the choice of) (?:[\w-]+ ){0,3}"
    r"(?:is|'s) on me\b|(?:this one|this|that)(?:'s| is) (?:my|our) (?:budget|call|decision)|"
    r"i own the (?:[\w-]+ ){0,2}(?:line|budget)|"
    # "the budget and the final decision are mine now"
    r"(?:budget|decision|call|say)s? (?:and the (?:final )?(?:budget|decision|call|say) )?"
    r"(?:is|are) (?:all )?mine|"
    # "it's us two who decide", "it's our decision", "within what I can sign myself", "he's
    # given me the budget and said to go with whatever I think is best"
    r"(?:it's|it is) (?:us|me)(?: two| both| three)? who (?:decide|decides|sign|make the call)|"
    r"(?:it's|it is) our (?:call|decision)|(?:i|we) can sign (?:it |this |that )?(?:off )?"
    r"(?:myself|ourselves)|within what i can (?:sign|approve)|(?:given|handed) me the budget|"
    r"whatever i think is best)"
    r"\b"
)
_USE = re.compile(
    r"\b(?:i(?:'d| would|'ll| will) (?:mostly |mainly |probably |just )?(?:be )?(?:the one )?"
    r"us(?:e|ing) (?:it|this|beacon|the tool|"
    r"the product|the platform|the dashboards)|set (?:it|this) up and use (?:it|this)|"
    r"(?:the )?one (?:living|working|spending (?:my|all) days?) in (?:it|the dashboards|the tool|"
    r"the reports)|use it "
    r"(?:day to day|daily|every day)|day[- ]to[- ]day (?:user|use)|end[- ]user|(?:just|only) "
    r"(?:a|the) user|hands-on user|no (?:buying|purchasing) power|not involved in "
    r"(?:buying|purchasing)|(?:don't|do not) (?:get|have) a (?:vote|say)|(?:won't|will not) be "
    r"deciding|(?:i )?just implement|i just help with|i(?:'d| would|'ll| will) "
    r"(?:just |only |mostly )?be the one (?:building|using|setting|wiring|implementing)|"
    r"(?:the )?(?:main|primary) (?:person|user|one) using it|"
    r"(?:in|using) it every ?day|(?:i'm|i am) (?:just )?going to (?:be )?us(?:e|ing) it|"
    r"i (?:just|only) use (?:it|them|the tools?)\b|i(?:'ll| will) be the one (?:wiring|setting|"
    r"building|using|implementing)|"
    r"i(?:'d| would|'ll| will) (?:mostly |mainly |just |only )?be (?:looking at|working with|"
    r"living in|working in) (?:the )?(?:data|dashboards|reports|numbers|charts)|"
    # "I'll just be one of the people using it", "I'd be the one implementing and using it",
    # "I'm the one who'll be using it every day", "I'd be a user, my director decides".
    r"i(?:'d| would|'ll| will) (?:mostly |mainly |probably |just |only )?be (?:one of the "
    r"(?:people|ones) |the (?:one|person) )?(?:[\w-]+ (?:and|&) )?using|i(?:'m| am) the (?:one|"
    r"person) who(?:'ll|'d| will| would) be (?:[\w-]+ (?:and|&) )?using|i(?:'d| would|'ll| will) "
    r"(?:just |only )?be (?:a|an|the|one of the) (?:main |daily |hands-on |end[- ]|primary |"
    r"heavy )?users?)\b"
)
# Sent to look: "my manager asked me to look into tools" says someone else decides, but not
# whether the speaker will recommend or only use the tool, so the role is still asked.
_SENT_TO_LOOK = re.compile(
    r"\b(?:asked|told|wants|want|sent|tasked) me (?:to|with) (?:find(?:ing)? out|look(?:ing)? "
    r"(?:into|at|around)|research(?:ing)?|find(?:ing)?|check(?:ing)? out|check(?:ing)? (?:if|"
    r"whether)|ask(?:ing)? around|collect(?:ing)?|gather(?:ing)?)\b"
)
_RECOMMENDING = re.compile(
    r"\b(?:write|make|give|put together) (?:the|a|my) recommendation|i(?:'ll| will|'d| would) "
    r"recommend|(?:run|running|lead|leading|do|doing) the evaluation|shortlist"
)
_STATEMENTS: tuple[tuple[re.Pattern[str], AuthorityLevel], ...] = (
    (_NOT_DECIDER, "influencer"),
    (_INFLUENCE, "influencer"),
    (_DECIDE, "decision_maker"),
)
# Who holds the decision, when no exact statement above says so: a word for deciding or
# signing, and whose it is ("tooling under $50k is my sign-off", "final sign-off sits with
# our CIO", "the publisher signs the contracts", "I'm the one who'd be signing the PO").
_DECISION = re.compile(
    r"\b(?:sign-?off|sign(?:s|ed|ing)?(?: off)?|approv(?:e|es|al|ing)|decid(?:e|es|ing)|"
    r"decisions?|final (?:say|call|word)|purse strings|signatory|(?:budget|p&l) (?:owner|holder))\b"
)
_DECIDER_ROLES = frozenset(
    re.findall(
        r"\S+",
        "ceo cto cfo coo cmo cio cpo cdo ciso cro founder cofounder co-founder owner president "
        "chair chairman principal gm md partner",
    )
)
_ME_WORDS = frozenset({"i", "i'm", "i'd", "i'll", "i've", "me", "myself", "mine"})
_OTHER_WORDS = frozenset({"her", "his", "their", "she", "he", "they", "she'll", "he'll", "they'll"})
_ROLES = frozenset(
    re.findall(
        r"\S+",
        """
        ceo cto cfo coo cmo cio cpo cdo ciso cro founder founders cofounder cofounders
        co-founder co-founders boss manager director vp head owner owners board publisher
        partner partners committee procurement finance legal president chair chairman dean
        principal gm md leadership management supervisor chief officer
    """,
    )
)
# Words between whoever decides and the word for deciding: "I'm the one who'd be signing",
# "the CIO has final approval", "I hold the purse strings".
_BETWEEN = frozenset(
    re.findall(
        r"\S+",
        """
        the a an final ultimate group last one who who'd who'll that would will be is was are
        has have had hold holds own owns make makes get gets do does can also usually always
        ultimately actually then just only really now still currently
    """,
    )
)
# "sign-off is with our executive director": the first word for a person within three
# words of "with" says whose decision it is.
_OWNED_BY = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:(?:is|'s|lies|rests|sits|stays)\s+)?(?:with|by|is|'s|are|will be|"
    r"would be)\s+"
    r"(?:(?:our|the|my|their)\s+)?(?:[\w-]+\s+){0,2}?(?P<who>"
    + "|".join(sorted((re.escape(w) for w in _ROLES | _ME_WORDS), key=len, reverse=True))
    + r")(?![\w'-])"
)
_NOUN_MARKER = re.compile(r"signatory|(?:budget|p&l) (?:owner|holder)")
_BY_SOMEONE = re.compile(r"^\s*by (?:our|the|my|their|a)\b")
_NOT_MINE_BEFORE = re.compile(r"\b(?:not|isn't|is not) (?:really )?(?:my|our)\s*$")
_ON = re.compile(r"^\s*on\b")  # "sign-off on the purchase" is the buying decision
_NOT_BUYING = re.compile(r"^\s*(?:up|in|by|before|within|on|this|next|until)\b")


def _decision_owner(text: str) -> AuthorityLevel | None:
    """Decision maker when a decision in ``text`` is the prospect's, influencer when it is
    someone else's, None when the text does not say whose it is."""
    text = text.replace("’", "'")
    for match in _DECISION.finditer(text):
        rest = text[match.end() :]
        owned_by = _BY_SOMEONE.match(rest) is not None  # "signed off by our procurement board"
        if (
            _NOT_BUYING.match(rest)
            and not owned_by
            and not (_ON.match(rest) and match.group()[-3:] == "off")
        ):
            continue  # "sign up", "decide within the month", "sign by Jan 31", "sign on"
        if _NOT_MINE_BEFORE.search(text[: match.start()]):
            continue  # "not my decision though": whose it is, they do not say
        after = _OWNED_BY.match(rest)
        if after is not None and (after["who"] in _ME_WORDS or after["who"] in _ROLES):
            return "decision_maker" if after["who"] in _ME_WORDS else "influencer"
        before = text[: match.start()]
        if _NOUN_MARKER.fullmatch(match.group()) and re.search(r"\bi(?:'m| am)\b", before):
            return "decision_maker"  # "I'm the CMO and the budget owner"
        owner = _owner_before(before.split()[-6:])
        if owner is not None:
            return owner
    return None


def _owner_before(words: list[str]) -> AuthorityLevel | None:
    """Whose decision, from the words just before it: "my sign-off", "I sign off", "our CFO
    signs", "she decides", "me and my cofounder decide"."""
    for index in range(len(words) - 1, -1, -1):
        word = words[index].strip(",;:()")
        if word in _BETWEEN:
            continue
        if word in _ME_WORDS or (word == "my" and index == len(words) - 1):
            return "decision_maker"
        if word in _OTHER_WORDS:
            return "influencer"
        if word in _ROLES:
            together = " ".join(words[max(0, index - 3) : index])
            if re.search(r"\b(?:i'm|i am|as)(?: the| a| an)?$", together):
                return "decision_maker" if word in _DECIDER_ROLES else None  # "I am the founder"
            return "decision_maker" if re.search(r"\b(?:me|i) and my$", together) else "influencer"
        role = next((w for w in words[max(0, index - 2) : index] if w in _ROLES), None)
        return "influencer" if role is not None else None  # "our VP Engineering signs"
    return None


_ME = re.compile(
    r"^(?:(?:yes|yeah|yep|yup|sure)\W*)?(?:it's |that's |that would be |just |only |that's )?"
    r"(?:me|myself|i do|i am)\b(?: and my (?:co-?founders?|partners?|business partner))?"
    r"(?:\W+(?:so\W+)?(?:yeah\W+)?we(?:'ll| will)? decide(?: together)?)?\W*$"
)
_SOMEONE_ELSE = re.compile(
    r"^(?:(?:no|nope)\W*)?(?:it's |that's |that would be |probably |mostly )?(?:my|our|the) "
    r"(?:boss|manager|ceo|cto|cfo|coo|vp|director|founders?|head of [a-z]+|board|team lead|"
    r"leadership|management|owner)\b"
)


_SOMEONE_ELSE_SUBJECT = re.compile(
    r"\b(?:(?:my|our|the|her|his|their) (?:bosses|boss|managers?|ceo|cto|cfo|coo|cmo|cpo|vp|"
    r"directors?|founders?|board|leadership|management|owners?|head of [a-z]+)|she|he|they)\b"
)


def find_authority(
    message: str, clauses: list[Clause], asking: FieldName | None, language: str = "en"
) -> dict[str, Any] | None:
    """``update_lead`` authority arguments, or None when nothing was said about it.

    In German, Spanish, French and Portuguese the words of that language are read first;
    what they do not cover (an English title alone) is read as in English.
    """
    foreign = _FOREIGN.get(language)
    if foreign is not None:
        read = _foreign_authority(message, clauses, asking, foreign)
        if read is not None:
            return read
    role = _role(clauses, asking)
    found = _level(message, clauses, asking, role)
    if found is None:
        return None
    level, said = found
    sent = _SENT_TO_LOOK.search(said[0].text)
    settled = asking == "authority" or sent is None
    if role is not None and said == [role[0]] and not _says_decision(role[0]):
        settled = settled and not _head_of_department(role[1], level, asking)
    sources = said if role is None else [*said, role[0]]
    if said[0] is clauses[0] and asking == "authority" and role is None:
        sources = clauses
    quote = span(message, sources)
    if sent is not None and not settled:
        # "She asked me to find out": the rest of the sentence is what they want to know.
        start = min(c.start for c in sources)
        quote = message[start : max(said[0].start + sent.end(), start + 1)]
    args: dict[str, Any] = {"quote": quote, "level": level}
    if role is not None:
        args["role"] = role[1]
    if not settled:
        args["settled"] = False
    return args


# A department's head ("Head of Growth", "directora de marketing", "Leiter Vertrieb",
# "jefe de mercadeo") often recommends while a CFO, a board or a managing director signs:
# the title alone, said before the role question, does not settle who decides. The head of
# the whole company ("managing director", "director general", "directeur général") does.
_DEPARTMENT_HEAD = re.compile(
    r"(?<![\w-])(?:vp|vice president|svp|evp|director|head|directora?|directeur|directrice|"
    r"diretora?|direktor(?:in)?|jef[ea]|\w*leiter(?:in)?)(?![\w-])"
)
_WHOLE_COMPANY = re.compile(r"\b(?:general|generale|geral|managing|executive|generaldirekt\w*)\b")


def _head_of_department(role: str, level: AuthorityLevel, asking: FieldName | None) -> bool:
    """Whether ``role``, read as a decision maker's title outside the role question, is a
    department head's: the level stands but the role question is still asked."""
    folded = _fold(role)
    return (
        asking != "authority"
        and level == "decision_maker"
        and _DEPARTMENT_HEAD.search(folded) is not None
        and _WHOLE_COMPANY.search(folded) is None
    )


def _says_decision(clause: Clause) -> bool:
    return any(_says(pattern, clause) for pattern, _ in _STATEMENTS) or (
        _DECISION.search(clause.text) is not None
    )


Role = tuple[Clause, str, AuthorityLevel]


def _role(clauses: list[Clause], asking: FieldName | None) -> Role | None:
    """The prospect's own title, the clause it is in and the level it suggests."""
    for clause in clauses:
        found = _own_title(clause, asking)
        if found is not None:
            return (clause, found[0], found[1])
    return None


def _level(
    message: str, clauses: list[Clause], asking: FieldName | None, role: Role | None
) -> tuple[AuthorityLevel, list[Clause]] | None:
    """The authority level and the words that say it, in order of how exactly they say it:
    a statement about the decision, whose decision it is, using the tool, the title, and
    a bare "me" / "my boss" answer to the authority question."""
    using = next((c for c in clauses if _USE.search(c.text)), None)
    # "I'd use it most, and I'll write the recommendation": recommending outranks using.
    statements = (
        _STATEMENTS
        if using is None
        else ((_DECIDE, "decision_maker"), (_RECOMMENDING, "influencer"))
    )
    for pattern, meaning in statements:
        said = next((c for c in clauses if _says(pattern, c)), None)
        if said is None:
            continue
        if pattern is _NOT_DECIDER and asking not in ("authority", None) and role is None:
            # "no idea, that's above my pay grade" to the budget question says only that
            # they do not decide: not whether they recommend or just use the tool.
            continue
        if meaning == "influencer" and role is not None and _only_someone_elses(said, role):
            return "user", [said] if role[0] is said else [role[0], said]
        return meaning, [said]
    if using is None:
        for sentence in sentences(clauses):
            owner = _decision_owner(span(message, sentence).lower())
            if (
                owner == "influencer"
                and role is not None
                and all(_only_someone_elses(c, role) for c in sentence)
            ):
                return "user", [role[0], *(c for c in sentence if c is not role[0])]
            if owner is not None:
                return owner, sentence
    if using is not None:
        # "I'd be the one using it, my manager decides": a user, not an influencer.
        return "user", [using]
    sent = next((c for c in clauses if _SENT_TO_LOOK.search(c.text)), None)
    if sent is not None and (role is None or not _HANDS_ON.search(role[1])):
        # "My manager asked me to look into tools": someone else decides; an influencer
        # until they say whether they recommend or only use the tool (an analyst uses it).
        return "influencer", [sent]
    if role is not None:
        return role[2], [role[0]]
    if asking == "authority" and clauses:
        whole = message.replace("’", "'").lower().strip()
        if _ME.match(whole):
            return "decision_maker", [clauses[0]]
        if _SOMEONE_ELSE.match(whole):
            return "influencer", [clauses[0]]
    return None


# What an influencer does besides hearing the decision: "I'm an analyst, I'll recommend one".
_ACTIVE = re.compile(
    r"\b(?:recommend\w*|evaluat\w*|eval|shortlist\w*|present\w*|pitch\w*|convince|"
    r"propos\w*|lead(?:ing)?|research\w*|compar\w*|gather\w*|look(?:ing)? into|have a say|"
    r"weigh in|input|involved|part of|options|opinion|pass\w*|write|suggest\w*|feedback|"
    r"report back|find|found)\b"
)
# Hands-on titles whose holders use the tool when someone else decides.
_HANDS_ON = re.compile(r"\b(?:dev|developer|engineer|programmer|scientist|analyst)\b", re.I)


def _only_someone_elses(said: Clause, role: Role) -> bool:
    """An analyst or developer who says only that someone else decides ("im a dev. boss
    decides") uses the tool; one who also recommends, evaluates or writes up options
    influences, and so does a coordinator sent to find a tool."""
    return _HANDS_ON.search(role[1]) is not None and not _ACTIVE.search(said.text)


def _says(pattern: re.Pattern[str], clause: Clause) -> bool:
    match = pattern.search(clause.text)
    if match is None:
        return False
    if pattern is not _DECIDE:
        return True
    before = clause.text[: match.start()]
    if re.search(r"(?:\bnot\b|n't\b|\bnever\b)", before) is not None:
        return False
    if re.search(r"\bme\b", match.group()):
        return True  # "he's given me the budget": the decision is handed to the speaker
    # "my manager and her boss decide what we buy": someone else's decision.
    someone = [m.end() for m in _SOMEONE_ELSE_SUBJECT.finditer(before)]
    return not someone or re.search(r"\b(?:i|i'm|i'll|me)\b", before[someone[-1] :]) is not None


def _own_title(clause: Clause, asking: FieldName | None) -> tuple[str, AuthorityLevel] | None:
    text = clause.text
    best: tuple[int, str, AuthorityLevel] | None = None
    for pattern, level in _TITLES:
        for match in pattern.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            if after.startswith("'s"):
                continue  # "I'm the owner's son"
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


# German, Spanish, French and Portuguese: the words for titles and for who decides, read on
# a folded copy of the message (lower case, no accents, "ß" as "ss"). Each entry is a regular
# expression fragment; the analyser below is the same for every language.
_FOREIGN_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "self": r"(?:ich bin|bin|als|ich arbeite als|arbeite als|ich bin hier|ich)",
        "decider": (
            r"gesch(?:a|ae)ftsf(?:u|ue)hr(?:er|erin|ender|ende)|gesch(?:a|ae)ftsleitung|"
            r"(?:mit)?inhaber(?:in)?|eigent(?:u|ue)mer(?:in)?|(?:mit)?gr(?:u|ue)nder(?:in)?|"
            r"prokurist(?:in)?|vorstand(?:svorsitzender?)?|gesellschafter(?:in)?|chef(?:in)?|"
            r"(?:\w+-)?(?!team|projekt)\w*leiter(?:in)?|leiter(?:in)? \w+|direktor(?:in)?|"
            r"vorsitzender?|partner(?:in)?"
        ),
        "influencer": (
            r"team ?lead(?:er)?|team ?leiter(?:in)?|projektleiter(?:in)?|\w*manager(?:in)?|"
            r"berater(?:in)?|referent(?:in)?|product owner|einkauf(?:er|erin)|"
            r"leite (?:das|den|die|unser\w*) [\w-]+(?!.*\bweiter\b)"
        ),
        "user": (
            r"werkstudent(?:in)?|praktikant(?:in)?|azubi|auszubildender?|"
            r"(?:\w+-)?\w*analyst(?:in)?|"
            r"(?:\w+-)?\w*entwickler(?:in)?|\w*assistent(?:in)?|sachbearbeiter(?:in)?|sekret(?:a|"
            r"ae)r(?:in)?|"
            r"mitarbeiter(?:in)?|ingenieur(?:in)?|(?:\w+-)?designer(?:in)?|buchhalter(?:in)?"
        ),
        "decide": (
            r"\bich (?:\w+ ){0,2}?(?:entscheide|unterschreibe|genehmige|zeichne|gebe (?:das |es )?"
            r"frei)\b|\b(?:entscheide|unterschreibe|genehmige|zeichne) ich\b|(?:entscheidung|"
            r"budget|freigabe|unterschrift)\w* (?:liegt|ist|liegen) (?:\w+ )?bei mir|"
            r"(?:budget|geld) (?:gehort|gehoert) mir|\bmeine entscheidung|entscheidung treffe ich|"
            r"treffe (?:ich )?die entscheidung|(?:kann|darf) ich (?:\w+ ){0,3}?(?:selbst |allein |"
            r"alleine )?(?:freigeben|genehmigen|entscheiden|unterschreiben|zeichnen)|"
            r"\b(?:ist|das ist) mein (?:budget|laden|geschaft|unternehmen|betrieb|shop|geld)|"
            r"\bmeine (?:firma|agentur|praxis)\b|prokura|muss (?:keiner|niemand) mehr|"
            r"(?:entscheiden|unterschreiben) wir (?:selbst|allein|gemeinsam|zusammen)|"
            r"wir (?:entscheiden|unterschreiben) (?:das )?(?:selbst|allein|gemeinsam|zusammen)|"
            r"\bliegt bei mir\b|mein budget|\bich verantworte|"
            r"\bverantworte ich\b|\bverantworte (?:das |den |unser |mein )?budget|"
            r"\bich (?:kann|darf) (?:\w+ ){0,3}?(?:freigeben|genehmigen|"
            r"entscheiden|unterschreiben)|"
            r"\b(?:habe|hab) (?:ich )?das (?:letzte|finale) wort|entscheider(?:in)?\b|"
            r"entscheidungstr(?:a|ae)ger(?:in)?|\bmein(?:en|em)? (?:laden|geschaft|betrieb)\b"
        ),
        "others": (
            r"(?:\b(?:mein|meine|meinem|meiner|unser|unsere|unserem|der|die)\s+"
            r"(?!entscheidung)(?![\w-]+ und meine\b)[\w-]+(?: [\w-]+)?\s+(?:\w+ )?"
            r"(?:entscheid\w*|unterschreib\w*|"
            r"genehmig\w*|abseg\w*|zeichnet|gibt (?:es |das )?frei|muss (?:das |es )?(?:\w+ )?"
            r"(?:freigeben|absegnen|genehmigen|unterschreiben|entscheiden)|freigeb\w*)|"
            r"\b(?:das|es|dies) (?:entscheidet|unterschreibt|genehmigt|gibt) (?!ich\b)|"
            r"(?:freigabe|entscheidung|unterschrift|genehmigung|okay|ok) (?:kommt|muss|liegt) "
            r"(?:\w+ )?(?:von|bei|beim|vom) (?!mir\b)|"
            r"(?:entscheid|unterschreib|genehmig)\w* (?:tut|tun) (?:er|sie)\b|entscheide mit\b|"
            r"\bmitentscheid\w*|"
            r"(?<!wir )(?<!ich )(?:entscheid|unterschreib|genehmig|zeichne)(?:t|et|en|n) "
            r"(?:tut|tun|tut das|"
            r"tun das|dann|am ende )?\s*"
            r"(?:mein|meine|unser|unsere|der|die|das|andere)\b|(?:entscheid|unterschreib)\w* "
            r"andere|\bandere entscheiden|(?:^|, )(?:die|der|sie|er|diese|dieser) (?:entscheidet|"
            r"entscheiden|unterschreibt|unterschreiben|genehmigt|genehmigen)\b|"
            r"\bich entscheide (?:das )?nicht|nicht meine entscheidung|nicht (?:der|die) "
            r"entscheider|(?:das )?(?:letzte|finale) wort (?:hat|haben) (?:aber |dann |am ende )?"
            r"(?:mein|meine|unser|unsere|der|die|das)\b|(?:die|der|sie|er) (?:haben|hat) das "
            r"(?:letzte|finale) wort|entscheidung (?:trifft|treffen|liegt bei|liegt beim) "
            r"(?:aber |dann |am ende |letztlich )?(?:mein|meine|"
            r"meinem|meiner|unser|unsere|unserem|der|die|das|dem)\b|"
            r"muss (?:das |es )?(?:erst |noch )?(?:mit|von) (?:meinem|meiner|dem|der|unserem|"
            r"unserer) \w+ (?:\w+ )?(?:abstimmen|absprechen|freigeben|besprechen|absegnen)|"
            # "freigeben muss das unser CMO", "unterschreiben muss der Vorstand"
            r"(?:freigeben|entscheiden|unterschreiben|genehmigen|absegnen|abnicken) (?:muss|"
            r"mussen|muessen|wird|werden|tut|tun) (?:das |es )?(?:dann |am ende |aber )?(?:mein|"
            r"meine|unser|unsere|der|die|das)\b)"
        ),
        "recommend": (
            r"empfehl\w*|empfehlung|bereite (?:\w+ ){0,2}vor|shortlist|stelle (?:\w+ ){0,3}vor|"
            r"vergleich\w*|evaluier\w*|schlage (?:\w+ )?vor|anschauen|recherchier\w*|"
            r"(?:leite|gebe) (?:es |das |sie )?(?:\w+ ){0,4}weiter|entscheide mit|mitentscheid\w*|"
            r"teil (?:des|der) (?:\w+)?(?:gremium|komitee|ausschuss|team)s?|\w*gremium|"
            r"lege (?:\w+ ){0,4}vor|suche (?:\w+ ){0,4}heraus"
        ),
        "use": (
            r"\bich (?:wurde|wuerde|wurd|wuerd|werde) (?:\w+ ){0,4}?(?:nutzen|benutzen|verwenden|"
            r"bauen|damit arbeiten)|\bnutze (?:es|das) (?:nur|taglich)|\bnur (?:nutzer|anwender)|"
            r"\b(?:wurde|wuerde|wurd|werde) (?:es|das|das tool|damit) (?:\w+ ){0,3}?(?:nutzen|"
            r"benutzen|verwenden|arbeiten)|(?:derjenige|diejenige|die person)(?: sein)?,? "
            r"(?:der|die) "
            r"(?:damit|es|das tool) (?:\w+ ){0,2}(?:arbeitet|nutzt|benutzt|verwendet)|"
            r"\bich werte (?:\w+ ){0,4}aus\b|^\W*der damit (?:\w+ ){0,2}arbeitet\b"
        ),
        "me": r"ich|ich selbst|ich allein|ich alleine|das bin ich|ich entscheide",
        # Writing for someone else ("im Auftrag von Frau Berger, unserer Geschäftsführerin",
        # "ich bin die Assistentin des Vorstands"): the title said is theirs.
        "on_behalf": r"\bim auftrag (?:von|des|der|meine[sr]|unsere[sr])\b|\bassistent(?:in)? "
        r"(?:de[rs]|von|vom|der geschaftsfuhrung|der geschaeftsfuehrung)\b|\bhat mich gebeten\b",
        "boss": r"(?:mein|meine|unser|unsere|der|die) (?:chef|chefin|vorgesetzter?|"
        r"gesch(?:a|ae)ftsf(?:u|ue)hrung|gesch(?:a|ae)ftsleitung|vorstand|inhaber\w*|teamlead)",
    },
    "es": {
        "self": r"(?:yo soy|soy|como|trabajo como)",
        "decider": (
            r"director(?:a)? general|director(?:a)?(?: de [\w-]+| [\w-]+)?|gerente general|"
            r"gerente(?! de)|due(?:n|ñ)[oa]|propietari[oa]|soci[oa](?: fundador(?:a)?)?|"
            r"(?:co-?)?fundador(?:a)?|presidente|consejer[oa] delegad[oa]|jef[ea](?: de [\w-]+)?|"
            r"administrador(?:a)?"
        ),
        "influencer": (
            r"responsable(?: de [\w-]+)?|coordinador(?:a)?|gerente de [\w-]+|consultor(?:a)?|"
            r"asesor(?:a)?|encargad[oa]|product manager|project manager"
        ),
        "user": (
            r"analista|desarrollador(?:a)?|programador(?:a)?|becari[oa]|practicante|asistente|"
            r"recepcionista|administrativ[oa]|ingenier[oa]|disenador(?:a)?|auxiliar|emplead[oa]"
        ),
        "decide": (
            r"\bdecid(?:o|imos) (?:yo|nosotros)|\bdecidimos (?:los|las) (?:dos|tres)\b|"
            r"\b(?:quien|el que|la que) (?:decide|firma|aprueba)(?: y (?:decide|firma|aprueba))? "
            r"soy yo\b|no hay "
            r"nadie (?:mas )?(?:por encima|que (?:tenga que )?(?:aprobar|firmar))|\b(?:yo|"
            r"nosotros) (?:lo )?decid(?:o|imos)|"
            r"\blo decid(?:o|imos)\b|\bdecision (?:final )?es (?:mia|nuestra)|"
            r"\b(?:yo )?(?:apruebo|autorizo|firmo)\b|tengo autonomia|\bes mi (?:negocio|empresa|"
            r"tienda|presupuesto|decision|dinero)|\b(?:el negocio|el presupuesto|la tienda|la "
            r"empresa|el dinero|la decision) es mi[oa]|depende de mi\b|ultima palabra (?:la "
            r"tengo yo|es mia)|\bmi decision\b|\bdecidimos (?:juntos|entre nosotros)\b|"
            r"\bmi (?:tienda|negocio)\b|\b(?:soy|yo soy) (?:quien|el que|la que) (?:decide|firma|"
            r"aprueba)|\b(?:manejo|gestiono|controlo) (?:yo )?el presupuesto|presupuesto lo "
            r"(?:manejo|gestiono|controlo) yo|\btengo la ultima palabra"
        ),
        "others": (
            r"(?:\b(?:quien|el que|la que|los que) (?:decide|firma|aprueba|autoriza|elige)n?"
            r"(?: y (?:decide|firma|aprueba|autoriza|elige)n?)? (?:es|son) "
            r"|\b(?:decide|firma|aprueba|autoriza|decidira|decidiran|deciden|firman) (?:mi|el|la|"
            r"los|las|nuestro|nuestra)\b|\b(?:mi|el|la|nuestro|nuestra|mis|los) (?!decision)"
            r"(?!que\b)[\w-]+(?: [\w-]+){0,2} (?:lo |la )?(?:decide|firma|aprueba|autoriza|"
            r"deciden|firman|"
            r"aprueban|tiene la ultima)\b|\b(?:tendria|tiene|tendrian|tienen|debe|deberia|"
            r"deben|tendra) que (?:aprobar\w*|firmar\w*|decidir\w*|autorizar\w*) (?:la|el|mi|"
            r"nuestro|nuestra|los|las)\b|\bdecision (?:final )?es del?\b|tengo que "
            r"(?:consultar|preguntar|validar)\w*|\blas? (?:compras?|decisiones) las? (?:decide|"
            r"toma)|\bno (?:decido|apruebo|firmo)\b|\bdecision (?:final )?la (?:toma|tiene)n? "
            r"(?:mi|el|la|nuestro|nuestra)\b|\bno soy (?:quien|el que|la que) decide|"
            r"\bultima palabra (?:la tiene|es de|la tienen) (?:el|la|los|las|mi|nuestro|nuestra)\b|"
            r"(?<!yo )\bes (?:quien|el que|la que) (?:decide|firma|aprueba|autoriza)|"
            r"\baprobacion (?:final )?(?:es|la da|la tiene|depende) (?:del?|de la|de mi|"
            r"de nuestro)\b)"
        ),
        "recommend": (
            r"recomiend\w*|recomendacion|preparo|llevo la negociacion|propongo|evaluo|evaluando|"
            r"(?:lidero|dirijo|coordino|llevo) la evaluacion|"
            r"comparo|comparando|presento|(?:se )?lo paso|transmito|parte del comite|"
            r"formo parte|comite de (?:compras|direccion)"
        ),
        "use": (
            r"\b(?:lo )?usaria\b|\bsolo lo (?:uso|usare|voy a usar)|\bvoy a usar(?:lo)?\b|"
            r"\blo uso yo\b"
        ),
        "me": r"yo|yo mismo|yo misma|soy yo|decido yo",
        "on_behalf": r"\b(?:de parte|en nombre) (?:de|del)\b|\basistente (?:\w+ )?(?:de|del)\b|"
        r"\b(?:me pidio|me ha pedido|me encargo|me encargaron)\b",
        "boss": r"(?:mi|el|la|nuestro|nuestra) (?:jef[ea]|director\w*|gerente|due(?:n|ñ)[oa]|"
        r"socio\w*|responsable)",
    },
    "fr": {
        "self": r"(?:je suis|en tant que|comme|je travaille comme)",
        "decider": (
            r"pdg|dg|directeur general|directrice generale|gerant(?:e)?|(?:co-?)?fondat(?:eur|"
            r"rice)|associe(?:e)?|proprietaire|patron(?:ne)?|directeur(?: d(?:u|es|e la|e) [\w-]+| "
            r"(?!d(?:u|es|e)\b)[\w-]+)?|directrice(?: d(?:u|es|e la|e) [\w-]+| "
            r"(?!d(?:u|es|e)\b)[\w-]+)?|president(?:e)?|dirigeant(?:e)?|chef d'entreprise"
        ),
        "influencer": (
            r"chef de (?:projet|produit)|responsable(?: [\w-]+)?|manager|consultant(?:e)?|"
            r"charge(?:e)? de [\w-]+|product manager|acheteu(?:r|se)"
        ),
        "user": (
            r"stagiaire|alternant(?:e)?|analyste|developpeu(?:r|se)|assistant(?:e)?|"
            r"ingenieur(?:e)?|utilisat(?:eur|rice)|employe(?:e)?|comptable|secretaire"
        ),
        "decide": (
            r"c'est moi qui (?:decide|signe|valide|tranche|choisi|paie|approuve|ai le dernier mot)|"
            r"on decide a (?:deux|"
            r"trois)\b|"
            r"personne d'autre (?:ne )?(?:valide|decide|signe)|\bje (?:decide|signe|"
            r"valide|tranche|choisis|donne le feu vert)\b(?! pas\b)|decision me revient|"
            r"\b(?:c'est )?(?:ma|notre) decision|"
            r"c'est (?:mon|ma) (?:budget|enveloppe|boutique|entreprise|societe|agence|choix)|"
            r"\bmon (?:budget|enveloppe)\b|j'ai la main|on decide entre (?:nous|associes)|"
            r"ca depend de moi|"
            r"\b(?:on|nous) decid(?:e|ons) ensemble\b|\bma boutique\b|\bj'ai le dernier mot|"
            r"\bje gere le budget|\bc'est moi le (?:decideur|patron)|"
            r"(?:est|sont|releve|relevent) (?:\w+ )?de mon (?:seul )?ressort|"
            r"(?:decision|signature|choix|budget) (?:\w+ ){0,2}m'appartient|"
            r"\bje peux (?:le |la |les |l')?(?:valider|signer|approuver|decider)(?:\s+\w+){0,3}"
            r"\s+seule?\b|\bje (?:valide|signe|decide) seule?\b"
        ),
        "others": (
            r"(?:c'est (?:mon|ma|notre|le|la|les|l'|un|une|mes|nos)\s?[\w' -]{1,40}?(?<!\bmoi) qui "
            r"(?:decide|signe|valide|tranche|choisit|approuve)|"
            r"(?<!moi )\bqui (?:decide|signe|valide|tranche|approuve)\b|"
            r"\b(?:mon|ma|notre|le|la|mes|nos) (?!decision)[\w-]+(?: [\w-]+)? (?:decide|signe|"
            r"valide|tranche|choisit|approuve|decident|valident|signent|approuvent)\b|"
            r"c'est (?:lui|elle|eux) qui|"
            r"\bje (?:ne )?(?:decide|choisis|signe|valide|tranche) pas|"
            r"je dois (?:en parler|demander|"
            r"faire valider)|doit (?:valider|signer|approuver)|(?:doit|devra|devrait) "
            r"(?:etre )?(?:valide|signe|approuve)e? par|decision (?:finale )?revient au? (?:mon|ma|"
            r"notre|la|le|l')|ce n'est pas moi qui|ce n'est pas a moi|"
            r"(?:dernier mot|feu vert) (?:revient|appartient|est) (?:a|au|aux|a la|a l')"
            r"\s?(?!moi\b)|(?<!moi )qui a le dernier mot|decision (?:finale )?(?:va )?se "
            r"prend(?:re)? (?:avec|en|par)|decide\w* (?:collegialement|collectivement|en "
            r"(?:codir|comex|comite|conseil))|(?:valide|signe|approuve|tranche)e?s? (?:en|par le) "
            r"(?:codir|comex|comite|conseil))"
        ),
        "recommend": (
            r"recommand\w*|prepare\w*|shortlist|present\w*|propose\w*|compare\w*|evalue\w*|"
            r"(?:je pilote|je mene|je conduis|je coordonne) l'evaluation|"
            r"fais partie du comite|transmets|transmettrai"
        ),
        "use": (
            r"\bje serai (?:l'|un |une )?utilisat(?:eur|rice)|\bje (?:l'|vais l')?utilis"
            r"(?:erai|erais|er)\b|\bje fais les reportings"
        ),
        "me": r"moi|moi-meme|c'est moi|moi seul|moi seule",
        "on_behalf": r"\bde la part (?:de|du|des)\b|\bau nom (?:de|du)\b|\bassistante? "
        r"(?:\w+ )?(?:de|du|d')|\b(?:il|elle) m'a demande\b|\bm'a charge(?:e)? de\b",
        "boss": r"(?:mon|ma|notre|le|la) (?:chef(?:fe)?|patron(?:ne)?|directeur|directrice|"
        r"manager|direction|pdg|dg|gerant(?:e)?|associe(?:e)?)",
    },
    "pt": {
        "self": r"(?:eu sou|sou|como|trabalho como)",
        "decider": (
            r"s(?:o|ó)ci[oa](?:-gerente| gerente| fundador(?:a)?)?|administrador(?:a)?"
            r"(?: da empresa)?|diretor(?:a)?(?: de [\w-]+| [\w-]+)?|don[oa]|proprietari[oa]|"
            r"(?:co-?)?fundador(?:a)?|presidente|gerente geral|chefe|ceo|dono"
        ),
        "influencer": (
            r"responsavel(?: de [\w-]+| pel[oa] [\w-]+)?|coordenador(?:a)?(?: de [\w-]+)?|"
            r"gerente(?: de [\w-]+)?|gestor(?:a)?|consultor(?:a)?|product manager"
        ),
        "user": (
            r"analista|desenvolvedor(?:a)?|programador(?:a)?|estagiari[oa]|assistente|"
            r"recepcionista|atendente|vendedor(?:a)?|engenheir[oa]|designer|funcionari[oa]"
        ),
        "decide": (
            r"\bdecid(?:o|imos) (?:eu|nos)\b|\bdecidimos (?:os|as) (?:dois|duas|tres)\b|"
            r"quem decide "
            r"somos nos|nao ha (?:mais )?ninguem (?:a|para|que) (?:aprovar|assinar|decidir)|"
            r"\b(?:eu|nos) (?:que )?decid(?:o|imos)\b|quem decide "
            r"sou eu|\bdecisao (?:final )?e (?:minha|nossa)|\b(?:o orcamento|a loja|a empresa|o "
            r"negocio|o dinheiro|a decisao) e (?:meu|minha)|\beu (?:aprovo|assino|autorizo)\b|"
            r"\be (?:a )?minha (?:loja|empresa|decisao)|\be o meu (?:orcamento|negocio)|"
            r"\bminha decisao\b|\bdecidimos (?:juntos|nos)\b|\bminha loja\b|\bsou eu (?:quem|que) "
            r"(?:decide|assina|aprova)|\b(?:o )?orcamento e comigo|\btenho a (?:palavra final|"
            r"ultima palavra)|\bquem (?:assina|aprova|autoriza) sou eu|\beu (?:assinaria|"
            r"decidiria|aprovaria)\b|\b(?:assinaria|decidiria|aprovaria) eu\b|"
            r"\btenho (?:a )?alcada\b|\b(?:posso|consigo) (?:aprovar|assinar|decidir)\b"
            r"(?:\s+\w+){0,4}\s+sozinh[oa]\b|\b(?:aprovo|assino|decido) sozinh[oa]\b"
        ),
        "others": (
            r"(?:\bquem (?:decide|assina|aprova|autoriza|escolhe)(?: e (?:decide|assina|aprova|"
            r"autoriza|escolhe))? e (?:o|a|os|as|minha|meu|nosso|nossa|ela|ele|eles|elas)\b|"
            r"\b(?:o|a|meu|minha|nosso|nossa|os) (?!decisao)(?!(?:[\w-]+ )?quem\b)"
            r"(?!(?:povo|pessoal|galera|gente|clientes?|usuarios?|utilizadores?|assinantes?|alunos?|"
            r"membros?)\b)"
            r"[\w-]+(?: [\w-]+)?(?: da empresa)? "
            r"(?:decide|assina|aprova|autoriza|decidem)\b|\bdecisao (?:final )?e d[oa]\b|"
            r"preciso (?:consultar|falar com|perguntar)|nao sou eu (?:quem|que) decide|decisao "
            r"fica com (?:o|a|meu|minha)\b|\b(?:teria|tem|precisa|deve|teriam|"
            r"tem) (?:que|de) (?:ser )?(?:aprovar|assinar|decidir|autorizar|aprovad[oa]|"
            r"assinad[oa]) (?:pel[oa]|o|a|meu|minha)\b|\bnao (?:decido|aprovo|assino)\b|"
            r"\b(?:palavra final|ultima palavra) (?:e|fica) (?:d[oa]|com (?:o|a|meu|minha|"
            r"nosso|nossa))\b|(?<!eu )\be (?:quem|ele que|ela que) (?:decide|assina|aprova|"
            r"autoriza)(?! (?:sou eu|e eu|somos nos)\b))"
        ),
        "recommend": (
            r"recomend\w*|proponho|preparo|levo a recomendacao|avalio|avaliando|comparo|"
            r"(?:lidero|conduzo|coordeno) a avaliacao|"
            r"comparando|apresento|repasso|passo para|faco parte d[oa]|comite"
        ),
        "use": (
            r"\b(?:eu )?(?:so )?vou usar\b|\b(?:eu )?(?:que )?usaria\b|\beu so uso\b|\bso vou "
            r"utilizar"
        ),
        "me": r"eu|eu mesmo|eu mesma|sou eu|decido eu",
        "on_behalf": r"\b(?:em nome|da parte) d[aoe]s?\b|\bassistente (?:\w+ )?d[aoe]\b|"
        r"\b(?:ela|ele) me pediu\b|\bpediu-me\b",
        "boss": r"(?:o|a|meu|minha|o meu|a minha|nosso|nossa) (?:chefe|diretor\w*|gerente|"
        r"don[oa]|s(?:o|ó)ci[oa]|gestor\w*)",
    },
}


@dataclass(frozen=True)
class _Foreign:
    """The compiled words of one language."""

    self_then: re.Pattern[str]
    titles: tuple[tuple[re.Pattern[str], AuthorityLevel], ...]
    decide: re.Pattern[str]
    others: re.Pattern[str]
    recommend: re.Pattern[str]
    use: re.Pattern[str]
    me: re.Pattern[str]
    boss: re.Pattern[str]
    on_behalf: re.Pattern[str]


def _compiled(words: dict[str, str]) -> _Foreign:
    # English titles are written in every language: "Head of Growth", "CTO", "Teamlead".
    titles = (
        (rf"{words['user']}|{_USER_TITLE}", "user"),
        (rf"{words['influencer']}|{_INFLUENCER_TITLE}", "influencer"),
        (rf"{words['decider']}|{_DECIDER_TITLE}", "decision_maker"),
    )
    return _Foreign(
        self_then=re.compile(
            rf"(?:^|\b{words['self']}\s+)(?:(?:der|die|ein|eine|el|la|un|una|le|l'|o|a|um|uma|"
            r"hier|aqui|ici|aca)\s*)?$"
        ),
        titles=tuple(
            (re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])"), level)  # type: ignore[misc]
            for pattern, level in titles
        ),
        decide=re.compile(words["decide"]),
        others=re.compile(rf"{words['others']}|{words['on_behalf']}"),
        recommend=re.compile(rf"\b(?:{words['recommend']})|{words['on_behalf']}"),
        use=re.compile(words["use"]),
        me=re.compile(rf"^(?:(?:ja|si|oui|sim)\W+)?(?:{words['me']})\W*$"),
        boss=re.compile(rf"^(?:(?:nein|no|non|nao)\W+)?(?:{words['boss']})\b"),
        on_behalf=re.compile(words["on_behalf"]),
    )


_FOREIGN = {language: _compiled(words) for language, words in _FOREIGN_WORDS.items()}


_NEGATION = re.compile(r"\b(?:nicht|kein|keine|keinen|no|ne|n'|pas|nao|nunca|nie|jamais)\b")
# "no hay nadie más que tenga que aprobarlo", "personne d'autre ne valide": nobody else decides.
_NOBODY_ELSE = re.compile(r"(?:no hay|nao ha|personne|niemand|ninguem|nadie)\b")
# "la compra la tiene que aprobar el consejo": said of the purchase, an answer about
# authority whatever was asked.
_PURCHASE = re.compile(
    r"\b(?:la compra|las compras|el presupuesto|der kauf|den kauf|der einkauf|den einkauf|"
    r"das budget|l'achat|les achats|le budget|a compra|as compras|o orcamento|"
    r"(?:la |die |a )?(?:decision|entscheidung|decisao) de (?:compra|comprar))\b"
)
# "Ich entscheide da aber nichts", "ich entscheide gar nicht": the negation comes after.
_NOTHING_AFTER = re.compile(r"^(?:\s+\w+){0,3}?\s+(?:nichts|nicht)\b")


# "o CEO só assina embaixo", "le comité ne fait que valider", "der Vorstand nickt nur ab":
# another's signature said to be a formality leaves the decision with the speaker.
_ONLY_FORMAL = re.compile(
    r"\b(?:so|solo|apenas|nur|juste|seulement|simplemente|ne fait que|protocolar\w*|"
    r"formalidad|formalidade|formalite|formalitat|formsache|pro forma)\b"
)


def _formality(decide: Clause | None, others: Clause | None) -> bool:
    return (
        decide is not None
        and others is not None
        and others is not decide
        and _ONLY_FORMAL.search(_fold(others.raw)) is not None
    )


def _fold(text: str) -> str:
    """Lower case without accents, "ß" as "ss", straight apostrophes: "Geschäftsführer" and
    "Geschaeftsfuehrer" read alike, and so do "decisión" and "decision"."""
    lowered = text.replace("’", "'").replace("ß", "ss").lower()
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )


def _foreign_authority(
    message: str, clauses: list[Clause], asking: FieldName | None, words: _Foreign
) -> dict[str, Any] | None:
    """Authority in German, Spanish, French or Portuguese: what is said about the decision
    ("ich entscheide", "quien decide es mi jefe", "c'est moi qui signe", "eu só vou usar"),
    then the speaker's own title ("Soy el gerente", "Je suis stagiaire")."""
    folded = [_fold(c.raw) for c in clauses]
    role: tuple[Clause, str, AuthorityLevel] | None = None
    for clause, text in zip(clauses, folded, strict=True):
        found = _foreign_title(clause, text, asking, words)
        if found is not None:
            role = (clause, found[0], found[1])
            break

    def first(pattern: re.Pattern[str]) -> Clause | None:
        return next((c for c, t in zip(clauses, folded, strict=True) if pattern.search(t)), None)

    if role is not None and role[2] != "user" and _for_someone(role[0], clauses, words):
        role = None  # "de la part de M. Roussel, PDG": the title is the boss's

    others, decide = first(words.others), first(words.decide)
    if decide is not None:
        text = _fold(decide.raw)
        match = words.decide.search(text)
        negated = match is not None and (
            _NEGATION.search(text[: match.end()]) or _NOTHING_AFTER.match(text[match.end() :])
        )
        if match is not None and negated and not _NOBODY_ELSE.match(match.group(0)):
            # "Ich kann das nicht entscheiden", "no decido yo": someone else decides
            others, decide = others or decide, None
    if _formality(decide, others):
        others = None  # "Eu decido, o CEO só assina embaixo": the signature is a formality
    using, recommending = first(words.use), first(words.recommend)
    said: list[Clause]
    level: AuthorityLevel
    unsettled = False
    if decide is not None and others is None:
        level, said = "decision_maker", [decide]
    elif others is not None:
        hands_on = role is not None and role[2] == "user"
        only_uses = (using is not None or hands_on) and recommending is None
        level = "user" if only_uses else "influencer"
        said = [c for c in (recommending, using, others) if c is not None]
        bare = role is None and recommending is None and using is None
        if bare and asking not in ("authority", None) and not _PURCHASE.search(_fold(others.raw)):
            return None  # "das entscheiden andere" to another question: no more than that
    elif using is not None:
        level, said = "user", [using]
    elif recommending is not None and (
        (role is None and asking == "authority")
        or (role is not None and role[2] != "decision_maker")
    ):
        # "Ich leite den Einkauf und entscheide mit", "Soy parte del comité de compras"
        level, said = "influencer", [recommending]
    elif role is not None:
        level, said = role[2], [role[0]]
        unsettled = not words.decide.search(_fold(role[0].raw)) and _head_of_department(
            role[1], role[2], asking
        )
    elif asking == "authority" and clauses:
        whole = _fold(message).strip()
        if words.me.match(whole):
            level, said = "decision_maker", clauses
        elif words.boss.match(whole):
            level, said = "influencer", clauses
        else:
            return None
    else:
        return None
    sources = said if role is None else [*said, role[0]]
    args: dict[str, Any] = {"quote": span(message, sources), "level": level}
    if role is not None:
        args["role"] = role[1]
    if unsettled:
        args["settled"] = False
    return args


def _for_someone(titled: Clause, clauses: list[Clause], words: _Foreign) -> bool:
    """Whether the words just before the title ``titled`` (up to three clauses: "M. Roussel"
    splits a sentence) say the prospect writes for someone else."""
    at = clauses.index(titled)
    return any(words.on_behalf.search(_fold(c.raw)) for c in clauses[max(0, at - 3) : at + 1])


# A title after "the" at the start of a clause that goes on is someone else's ("Le PDG veut
# savoir...", "O CTO falou em..."); "El gerente general" alone can be the answer to "your role?".
_DEFINITE_FIRST = re.compile(r"^(?:der|die|el|la|los|las|le|l'|les|o|a|os|as)\s*$")


def _foreign_title(
    clause: Clause, text: str, asking: FieldName | None, words: _Foreign
) -> tuple[str, AuthorityLevel] | None:
    """The speaker's own title in ``clause``: after "ich bin" / "soy" / "je suis" / "sou",
    at the clause's start, or anywhere in a short answer to the authority question."""
    best: tuple[int, int, AuthorityLevel] | None = None
    for pattern, level in words.titles:
        for match in pattern.finditer(text):
            before = text[: match.start()]
            mine = words.self_then.search(before) is not None or (
                asking == "authority"
                and len(text.split()) <= 6
                and not re.search(
                    r"\b(?:mein|meine|meiner|meinem|meinen|unser|unsere|unserer|unserem|von|vom|"
                    r"mi|nuestro|nuestra|del|de|al|mon|ma|notre|du|au|meu|minha|nosso|nossa|do|"
                    r"da|ao|o|a|el|la|le|der|die|dem|den)\s*$",
                    before,
                )
            )
            if mine and _DEFINITE_FIRST.match(before) and len(text[match.end() :].split()) > 2:
                mine = False  # "El gerente mencionó 25 mil dólares": someone else's title
            if mine and (best is None or match.start() < best[0]):
                best = (match.start(), match.end(), level)
            if mine:
                break
    if best is None:
        return None
    same = len(clause.raw) == len(text)
    return (clause.raw if same else text)[best[0] : best[1]], best[2]
