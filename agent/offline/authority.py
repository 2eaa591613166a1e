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
    message: str, clauses: list[Clause], asking: FieldName | None
) -> dict[str, Any] | None:
    """``update_lead`` authority arguments, or None when nothing was said about it."""
    role = _role(clauses, asking)
    found = _level(message, clauses, asking, role)
    if found is None:
        return None
    level, said = found
    sent = _SENT_TO_LOOK.search(said[0].text)
    settled = asking == "authority" or sent is None
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
