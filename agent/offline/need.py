"""Need: which of the playbook's in-scope and out-of-scope needs the prospect named.

Keywords come from the playbook (``need.in_scope`` / ``need.out_of_scope``) and match with
inflections ("funnels", "churning") and, through the cleaned text, typos ("anlytics").
A few everyday phrasings are rewritten to a playbook keyword first ("retain users" ->
"retention"). An out-of-scope keyword in a sentence that only describes the business
("we sell laptops") is not a need.
"""

from __future__ import annotations

import re
from typing import Any

from agent.models import FieldName, NeedFit
from agent.offline.languages.needs import (
    CUSTOMERS,
    DESCRIBES_BUSINESS,
    FALSE_FRIENDS,
    NEED_PHRASES,
    NOT_WANTED,
    STAFF_LEAVING,
    WANT_CUES,
    fold,
)
from agent.offline.lexicon import NeedMatcher, ScopeHit
from agent.offline.text import Clause, span

# Everyday phrasings -> the keyword they mean. Only used when the playbook has that keyword.
_SYNONYMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{pattern}\b"), keyword)
    for pattern, keyword in (
        (r"retain(?:ing)? (?:users|customers|people)", "retention"),
        (r"(?:users|customers) (?:leave|leaving|churn|stop using)", "churn"),
        (r"user journeys?|customer journeys?", "funnel"),
        (r"conversion rates?", "conversion"),
        (r"segment(?:ing)? (?:our )?(?:users|customers|audience)", "segmentation"),
        (r"(?:track|tracking) (?:what|how) (?:users|customers|people)", "event tracking"),
        (r"what (?:users|customers|people) (?:do|click)", "user behavior"),
        (r"(?:ab|a/b) experiments?", "a/b testing"),
        (r"kpi dashboards?", "dashboard"),
        (r"social channels", "social media"),
        (
            r"(?:re)?design(?:ing)? (?:of )?(?:us |our |a |the |my )?(?:new )?(?:[\w-]+ )?"
            r"(?:website|site|homepage|web ?shop)|(?:build|building|rebuild|rebuilding|redo|"
            r"redoing) (?:us |our |a |the |my )?(?:new )?(?:website|site|homepage|web ?shop)",
            "website design",
        ),
        (
            r"which features (?:people|users|customers)|features (?:people|users|customers) "
            r"(?:actually |really )?use",
            "feature usage",
        ),
    )
)
_NEGATED = re.compile(
    r"\b(?:don't|do not|doesn't|does not|no|not)\s+(?:really\s+)?(?:need|want|care about|"
    r"interested in|looking for|about)\b[^,]*$"
)
_DESCRIBES_BUSINESS = re.compile(
    r"\b(?:we|i|our company|they)(?:'re| are| am)?\s+(?:sell|make|build|manufacture|produce|"
    r"distribute|run|offer|provide|a|an)\b|\bour (?:product|app|platform|software|tool) "
    r"(?:helps|lets|is|does|handles|automates)\b"
)
# Wanting something, as opposed to naming what one's business makes ("payroll software").
WANT_CUE = re.compile(
    r"\b(?:need|needs|want|wants|looking for|looking to|help us|help with|trying to|hoping to|"
    r"someone to|run our|running our|take care of|do our|manage our|handle our|automate our|"
    r"do you (?:sell|offer|do|provide|have|build|make|support)|"
    r"interested in|struggle|struggling|problem|issue|pain|improve|better|fix|can you|could you|"
    r"would you|(?:can|could|does|will) beacon|we'd like|we would like|i'd like|i would like|"
    r"i'd love|we'd love|would love|"
    r"insight|visibility|figure out|understand|know (?:why|which|how|where|what|who)|"
    r"see (?:why|which|how|where|what|who)|"
    # not knowing is the problem: "we have no clue which parts of it they use"
    r"(?:two|three|a few|a couple of|couple of) things|on (?:our|my) (?:list|wish ?list)|"
    r"(?:no|zero|not a|not much|little|any) (?:real )?(?:clue|idea|way of knowing|visibility) "
    r"(?:why|which|how|where|what|who|if|whether|into)|"
    r"no way of knowing|(?:can't|cannot|can not) (?:tell|see) (?:why|which|how|where|what|who|"
    r"if|whether))\b"
)
_TITLE_BEFORE = re.compile(r"\b(?:head|vp|director|chief|manager|lead) of (?:the )?$")
_TITLE_AFTER = re.compile(r"^\s*(?:manager|lead|director|analyst|engineer|team|department)\b")
NEED_CUE = re.compile(
    r"\b(?:need|needs|want|wants|looking for|looking to|help|helps|trying to|hoping to|"
    r"interested in|struggle|struggling|problem|issue|pain|manage|handle|automate|tool|software|"
    r"solution|platform|improve|better|fix|someone to|run our|running our|take care of|do our|"
    r"can you|could you|would you|do you (?:sell|offer|do|provide|have|build|make|support)|"
    r"we'd like|we would like|i'd like|i would like|i'd love|we'd love|would love|insight|"
    r"visibility|figure out|understand|know (?:why|which|how|where|what|who)|"
    r"see (?:why|which|how|where|what|who))\b"
)


# Taking a want back: "forget the social posting part", "scratch the newsletter bit".
_TAKEN_BACK = re.compile(
    r"\b(?:forget|scratch|never ?mind|drop(?! (?:out|off))|skip|ignore|leave out|ditch|cancel) "
    r"(?:about )?"
    r"(?:what (?:i|we) said about |the |that |my |our )?"
)


def find_need(
    message: str,
    clauses: list[Clause],
    matcher: NeedMatcher,
    asking: FieldName | None,
    language: str = "en",
) -> dict[str, Any] | None:
    """``update_lead`` need arguments, or None when no known need was named.

    In a conversation held in another language, needs said in that language's everyday
    words count too (see :mod:`agent.offline.languages.needs`)."""
    found, dropped = _named(clauses, matcher, asking, language)
    if not found:
        if not dropped:
            return None
        quote = span(message, [clause for clause, _ in dropped])
        names = list(dict.fromkeys(hit.item for _, hit in dropped))
        return {"quote": quote, "use_cases": [], "fit": "unknown", "dropped": names}
    names = list(dict.fromkeys(hit.item for _, hit in found))
    fit = need_fit({hit.in_scope for _, hit in found})
    args: dict[str, Any] = {
        "quote": span(message, [clause for clause, _ in found]),
        "use_cases": names,
        "fit": fit,
    }
    if dropped:
        args["dropped"] = list(dict.fromkeys(hit.item for _, hit in dropped))
    return args


def need_fit(served: set[bool]) -> NeedFit:
    """The fit of needs from whether each is served: both kinds make a partial fit."""
    if len(served) == 2:
        return "partial"
    return "strong" if True in served else "none"


def _named(
    clauses: list[Clause], matcher: NeedMatcher, asking: FieldName | None, language: str = "en"
) -> tuple[list[tuple[Clause, ScopeHit]], list[tuple[Clause, ScopeHit]]]:
    """The needs named as wanted, and those taken back."""
    found: list[tuple[Clause, ScopeHit]] = []
    dropped: list[tuple[Clause, ScopeHit]] = []
    # "We need two things: ..., and something to send our newsletter": the want said at the
    # start of a sentence covers its every clause.
    wanting = {c.sentence for c in clauses if WANT_CUE.search(c.text)}
    staff: set[int] = set()
    if language in NEED_PHRASES:
        wanting |= {c.sentence for c in clauses if _wants_in(c.raw, language)}
        found = _named_in(clauses, matcher, asking, language, wanting)
        staff = _staff_leaving(clauses, language)
    churn = {hit.item for hit in matcher.find("churn")} if staff else set()
    for clause in clauses:
        # Typos are corrected towards English words: in another language they would turn
        # words into keywords ("personnes" -> "personas"), so its own words are read.
        said = clause.text if language == "en" else clause.raw.lower().replace("’", "'")
        text = _with_synonyms(said, matcher)
        for hit in matcher.find(text):
            if fold(text[hit.start : hit.end]) in FALSE_FRIENDS.get(language, ()):
                continue  # "30 personas" are people in Spanish
            if _TAKEN_BACK.search(text[max(0, hit.start - 30) : hit.start]):
                dropped.append((clause, hit))
                continue
            if _NEGATED.search(text[: hit.start]) or _is_job_title(text, hit):
                continue
            if hit.item in churn and _of_staff(clause, staff, language):
                continue  # the retention of one's own staff, said anywhere in the message
            if (
                not hit.in_scope
                and not _wanted(text, asking, clause.sentence in wanting)
                and not (language != "en" and _wanted_in(clause.raw, language, asking, False))
            ):
                continue
            if not hit.in_scope and _names_own_product(text, hit):
                continue
            found.append((clause, hit))
    return found, dropped


_PRODUCT_NOUN = re.compile(
    r"^\s*(?:software|product|platform|app|tool|system|saas|solution|service)s?\b"
)
_ENDS_IN_PRODUCT = re.compile(r"(?:software|product|platform|app|tool|system|solution)s?$")
_SOLD_BY_US = re.compile(r"^\s*(?:that |which )?(?:we|i) (?:sell|make|build|offer|provide|develop)")
_REPLACING = re.compile(
    r"\b(?:replace|replacing|swap out|ditch|upgrade|move off|get rid of|switch (?:from|off))\s+"
    r"(?:our|my)\s+(?:[\w-]+\s+){0,2}$"
)
_MADE_BY_US_BEFORE = re.compile(
    r"\b(?:we|i) (?:build|make|sell|develop|offer|provide)\s+(?:(?:a|an|the|our)\s+)?"
    r"(?:[\w-]+\s+(?:and\s+|&\s+)?){0,3}$"
)
_OURS_BEFORE = re.compile(r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}$")


def _names_own_product(text: str, hit: ScopeHit) -> bool:
    """ "track feature adoption in the HR software we sell", "how customers use our invoicing
    product": the prospect's own product, not something they want from us."""
    after = text[hit.end :]
    noun = _PRODUCT_NOUN.match(after)
    if noun is not None:
        after = after[noun.end() :]
    elif not _ENDS_IN_PRODUCT.search(text[hit.start : hit.end]):
        return False  # "HR software" can be the match itself
    sold = _SOLD_BY_US.match(after) is not None
    if _REPLACING.search(text[: hit.start]):
        return False  # "replace our helpdesk tool": they want a new one
    made = _MADE_BY_US_BEFORE.search(text[: hit.start]) is not None  # "we build payroll software"
    return sold or made or _OURS_BEFORE.search(text[: hit.start]) is not None


def _is_job_title(text: str, hit: ScopeHit) -> bool:
    """ "head of analytics", "growth metrics lead": a department, not a need."""
    return bool(_TITLE_BEFORE.search(text[: hit.start]) or _TITLE_AFTER.match(text[hit.end :]))


def _with_synonyms(text: str, matcher: NeedMatcher) -> str:
    for pattern, keyword in _SYNONYMS:
        if matcher.knows(keyword) and pattern.search(text):
            text = f"{text} | {keyword}"
    return text


def _wanted(text: str, asking: FieldName | None, sentence_wants: bool = False) -> bool:
    """Whether an out-of-scope need named in ``text`` is wanted, not what the business is or
    makes ("HR software for restaurants", "we send newsletters")."""
    if _DESCRIBES_BUSINESS.search(text) and not WANT_CUE.search(text):
        return False
    return asking == "need" or sentence_wants or WANT_CUE.search(text) is not None


def _named_in(
    clauses: list[Clause],
    matcher: NeedMatcher,
    asking: FieldName | None,
    language: str,
    wanting: set[int],
) -> list[tuple[Clause, ScopeHit]]:
    """The needs ``clauses`` name in the everyday words of ``language``: each phrase found
    stands for the playbook keyword it means, and an unserved one counts only when wanted."""
    found: list[tuple[Clause, ScopeHit]] = []
    staff = _staff_leaving(clauses, language)
    for clause in clauses:
        folded = fold(clause.raw)
        refused = NOT_WANTED[language].search(folded)
        if refused is not None:
            folded = _without_refused(folded, refused)
        phrased = _phrased(folded, matcher, language)
        if _of_staff(clause, staff, language):
            # "Retention-Problem: viele Pflegekräfte kündigen": the retention of staff
            phrased = ["payroll" if keyword == "churn" else keyword for keyword in phrased]
        keywords = " | ".join(phrased)
        for hit in matcher.find(keywords):
            wanted = _wanted_in(clause.raw, language, asking, clause.sentence in wanting)
            if wanted and not hit.in_scope:
                wanted = _wanted_where_named(folded, hit.item, matcher, language)
            if hit.in_scope or wanted:
                found.append((clause, hit))
    return found


_JOINED = re.compile(r"\s(?:et|y|e|und|mais|pero|aber|mas)\s|[;:]")


def _wanted_where_named(folded: str, item: str, matcher: NeedMatcher, language: str) -> bool:
    """Whether the part of a joined clause that names ``item`` may want it: in "nous éditons
    un logiciel de facturation et on n'a aucune idée des fonctionnalités utilisées" the want
    belongs to the second part, and invoicing is what the business makes."""
    parts = _JOINED.split(folded)
    if len(parts) < 2:
        return True
    for part in parts:
        named = {hit.item for hit in matcher.find(" | ".join(_phrased(part, matcher, language)))}
        if item in named:
            describes = DESCRIBES_BUSINESS.get(language)
            return describes is None or not describes.search(part) or _wants_in(part, language)
    return True


def _of_staff(clause: Clause, staff: set[int], language: str) -> bool:
    """Whether churn named in ``clause`` is the staff's: said in a sentence where staff
    leave, or in a message that says so elsewhere and names no customers here ("buscamos
    algo para mejorar la retención. Este año se nos han ido 23 personas de la plantilla")."""
    if clause.sentence in staff:
        return True
    return bool(staff) and not CUSTOMERS[language].search(fold(clause.raw))


def _staff_leaving(clauses: list[Clause], language: str) -> set[int]:
    """The sentences that say one's own staff leave ("viele Pflegekräfte kündigen")."""
    said: dict[int, str] = {}
    for clause in clauses:
        said[clause.sentence] = f"{said.get(clause.sentence, '')} {fold(clause.raw)}"
    return {index for index, text in said.items() if STAFF_LEAVING[language].search(text)}


def _phrased(folded: str, matcher: NeedMatcher, language: str) -> list[str]:
    """The playbook keywords that the phrases of ``language`` in ``folded`` mean; words a
    phrase took are not read again by a later one."""
    keywords: list[str] = []
    for pattern, keyword in NEED_PHRASES[language]:
        if not matcher.knows(keyword):
            continue
        match = pattern.search(folded)
        if match is None:
            continue
        keywords.append(keyword)
        folded = (
            folded[: match.start()] + " " * (match.end() - match.start()) + folded[match.end() :]
        )
    return keywords


def _wants_in(raw: str, language: str) -> bool:
    cue = WANT_CUES.get(language)
    return cue is not None and cue.search(fold(raw)) is not None


def _wanted_in(raw: str, language: str, asking: FieldName | None, sentence_wants: bool) -> bool:
    """Whether a need named in ``raw`` (in ``language``) is wanted, not what the business
    is or makes ("wir verkaufen eine Buchhaltungssoftware")."""
    folded = fold(raw)
    want = _wants_in(raw, language)
    describes = DESCRIBES_BUSINESS.get(language)
    if describes is not None and describes.search(folded) and not want:
        return False
    return asking == "need" or sentence_wants or want


_BUT = re.compile(r"\b(?:sondern|aber|pero|sino|mais|mas|porem)\b")


def _without_refused(folded: str, refused: re.Match[str]) -> str:
    """``folded`` without what it says is not wanted: "wir brauchen keine neue Website,
    sondern ..." keeps what follows "sondern"; "eine neue Website brauchen wir nicht" (the
    refusal at the end) refuses what came before it."""
    after = folded[refused.end() :]
    but = _BUT.search(after)
    if but is not None:
        return folded[: refused.start()] + " " + after[but.end() :]
    if len(re.findall(r"\w+", after)) < 2:
        return ""
    return folded[: refused.start()]
