"""Requests to talk to a person: "can I talk to a human", "book a demo", "talk to sales"."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.text import Clause

_ASK = re.compile(
    r"\b(?:(?:talk|speak|chat|get in touch|connect)\s+(?:to|with)\s+(?:a |an |some |your |the "
    r"|one of your )?(?:real |actual |live )?(?:person|human|someone|somebody|people|rep|"
    r"representative|sales(?:person| team| rep)?|agent|team|member of (?:your|the) team|account "
    r"(?:exec|executive|manager))|(?:real|actual|live) (?:person|human)|human(?:,)? please|"
    r"(?:book|schedule|set up|arrange|get|see|request|want|have) (?:a |an )?(?:quick )?(?:demo|"
    r"call|meeting)|(?:hop|jump) on a call|(?:can|could) (?:someone|somebody|you|a person) "
    r"(?:call|contact|reach|email) me|have (?:someone|somebody|sales) (?:call|contact|reach)|"
    r"contact sales|call me|transfer me|(?:is there|are there) (?:a |any )?"
    r"(?:human|person|people)|(?:give|get) me a (?:call|ring|demo)|(?:someone|somebody|a person|"
    r"a human|a rep|one of you) (?:from|on|in) (?:your|the) (?:sales )?team|(?:talk|speak|chat) "
    r"(?:to|with) (?:\w+ ){1,3}(?:sales|salespeople|sales people|person|human|rep|reps)|"
    r"(?:sales|demo|discovery|intro) call|(?:a |an )?(?:human|person|rep|salesperson|real person) "
    r"(?:jump|step|hop|chime) in|(?:get|give|send|find) me (?:a |an )?(?:rep|salesperson|human|"
    r"person|sales ?rep)|(?:ring|phone|call) me\b|(?:someone|somebody|a rep|sales) "
    r"(?:to |could |can |would )?(?:ring|phone|call) me|loop in (?:a |an |your |someone)|"
    r"put me in touch|(?:book|grab|get|have|schedule) "
    r"(?:some |\d+ minutes |a few minutes |half an hour |time )?(?:time )?"
    r"with (?:your |someone|somebody|a |the |whoever|one of)|(?:hop|jump|get) on a (?:quick )?"
    r"(?:call|zoom|teams call|google meet|meet)|(?:minutes|time) for a (?:quick |short )?(?:\w+ )?"
    r"call|(?:talk|speak) (?:this |it )?(?:through )?(?:on the phone|by phone|over the phone)|"
    r"on the phone with (?:someone|somebody|a person)|(?:is this|am i talking to) a (?:bot|robot)"
    r"|who(?:'s| is) the (?:right|best) person (?:on|in) your (?:\w+ )?team)\b"
)
_NEGATED = re.compile(r"\b(?:no|not|don't|do not|no need to|never|without)\s+(?:\w+\s+){0,3}$")


def find_human(clauses: list[Clause]) -> dict[str, Any] | None:
    """``update_lead`` human arguments, or None when no person was asked for."""
    for clause in clauses:
        match = _ASK.search(clause.text)
        if match and not _NEGATED.search(clause.text[: match.start()]):
            return {"quote": clause.raw, "requested": True}
    return None
