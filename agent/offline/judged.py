"""Needs, authority, industry and disqualifiers decided by the playbook's examples.

The analysers in :mod:`agent.offline.authority`, :mod:`agent.offline.company` and
:mod:`agent.offline.disqualifiers` find *where* a message speaks of the prospect's role,
business or reason for writing; the nearest examples in the playbook's ``exemplars``
decide *what* it says (see :mod:`agent.exemplars`). Only those words are embedded, plus the
whole answer when the pending question asks for that field, all in one batch: a turn that
says nothing of the kind costs no embedding. The examples decide where the rules are
silent: a need said in other words than the playbook's keywords (its example sentences, or
its keywords when it has none), an industry the rules did not find, a role answer they
could not read, and who is writing when no exact disqualifier rule fired.

A rule that is exact keeps its say: a disqualifier the rules found stands, and so do a
role title and a statement of who decides (see :func:`_authority_words`).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from agent.exemplars import NONE, ClassifierCache, FieldExemplars, Verdict
from agent.models import FieldName
from agent.offline.company import ABOUT_US
from agent.offline.company_name import BUSINESS_KINDS
from agent.offline.disqualifiers import NO_PITCH, NOT_STUDYING
from agent.offline.foreign_message import Groups, foreign_message
from agent.offline.languages.needs import (
    DESCRIBES_BUSINESS,
    INDUSTRY_WORDS,
    SPEAKS_FOR_SELF,
    fold,
)
from agent.offline.lexicon import lexicon_for
from agent.offline.need import NEED_CUE, WANT_CUE, need_fit
from agent.offline.other_words import read_in_other_words
from agent.offline.text import Clause, sentences, span
from agent.playbook import Playbook

_SELF = re.compile(r"\b(?:i|i'm|im|i've|i'd|we|we're|we've|we'd|our|my|us|me)\b")
_WANT = re.compile(
    r"\b(?:we|i)(?:'re| are| am|'m)?\s+(?:really\s+|just\s+)?(?:want|wants|need|needs|"
    r"looking for|struggling|trying to (?:understand|figure out|fix|track|measure))\b"
)
# The prospect's own want, in the first person: "I want to figure out", "we're looking to
# switch", "we'd love to see". Questions ("can you share your pricing?") are not one.
_OWN_WANT = re.compile(
    r"\b(?:(?:i|we)(?:'re| are| am|'m)?\s+(?:really\s+|just\s+|basically\s+|also\s+)?"
    r"(?:want|need|looking (?:for|to)|trying to|hoping to|struggling)|(?:i|we)(?:'d| would) "
    r"(?:like|love)|help us)\b"
)
# A want whose subject is the writer named earlier in the sentence: "we're on Heap and want
# to move our funnels to something cheaper".
_AND_WANT = re.compile(r"\band (?:really |also |just )?(?:want|need) to\b")
# Words of someone speaking of themselves: "it doesn't tell us much about retention" speaks
# of the product, not of who is writing.
_SPEAKER = re.compile(r"\b(?:i|i'm|im|i've|i'd|i'll|we|we're|we've|we'd|our|my|me)\b")
# An employer: "we're hiring our first data analyst" is a company, not a job seeker.
_HIRING = re.compile(
    r"\b(?:we(?:'re| are)|i'm|i am) hiring\b|\bhiring (?:our|a|an|two|three|\d+)\b"
)
_JOBS = re.compile(r"\b(?:hir\w*|job|jobs|roles?|analyst|post(?:ing)?|start|candidates?)\b")
# A pitch is made to someone: it addresses Beacon, or offers, proposes or asks whom to send to.
_ADDRESSED = re.compile(
    r"\b(?:you|your|yours|u|ur|beacon|beacon's|offer|pitch|proposal|send (?:\w+ ){0,3}to|who "
    r"(?:handles|should|would|can|do i))\b"
)
_PLEASANTRY = re.compile(
    r"^\W*(?:(?:hi|hey|hello|good (?:morning|afternoon|evening))(?: there| all| team)?\W*)?"
    r"(?:i'm |i am |we're |we are )?(?:hop(?:e|ing)|wondering if|i hope) (?:you|someone|somebody) "
    r"(?:can|could|might be able to) help(?: (?:me|us))?(?: out)?\W*$"
)
# A student says something of school: "I'm doing some early research into retention
# analytics" from a retailer is not one.
_ACADEMIC = re.compile(
    r"\b(?:stud(?:y|ying|ies|ent|ents)|class(?:es|mates?)?|course(?:work|mates?)?|modules?|"
    r"thesis|dissertation|uni|university|college|school|professors?|lecturers?|tutors?|"
    r"supervisors?|degrees?|master'?s|masters|msc|mba|phd|bachelor'?s|undergrad\w*|grad|"
    r"graduat\w*|assignments?|homework|academic\w*|semesters?|terms?|bootcamp|capstone|"
    r"paper|essay|report for|project for|seminar|faculty|campus|exams?|internship|"
    r"curriculum|cohort project|learning|learn)\b"
)
_PAST_WORK = re.compile(
    r"\b(?:used to|formerly|previously|former|ex-|back when|years ago|until (?:last|this|"
    r"recently)|before (?:joining|moving|i joined))"
)
_NOT_WANTED = re.compile(
    r"\b(?:don't|do not|not|no longer)\s+(?:really\s+)?(?:need|want|looking for|interested in)\b|"
    r"\bwe (?:already )?have (?:that|one|it)\b|\bthat's (?:sorted|covered|handled|fine)\b"
)
# A question for us is not the prospect's situation: "I wanted to ask about pricing".
_ASKING_US = re.compile(
    r"\b(?:ask|asking|question|questions|wondering|curious)\s+(?:you\s+)?(?:about|whether|if|"
    r"regarding|on)\b"
)
_MORE = re.compile(r"^\W*(?:plus|and also|also|as well as|and then|and)\b")
_FIGURES = re.compile(r"^\W*[~≈]?\d")  # a clause that starts with a figure
_MAX_SELF_CLAUSES = 3
_MAX_BUDGET_SENTENCES = 2
_MIN_BUDGET_WORDS = 3
_MAX_NEED_CLAUSES = 2
_MAX_PARTS = 3
_PART_SIMILARITY = 0.55
_PART_MARGIN = 0.12
_MAX_BUSINESS_CLAUSES = 2
_MIN_BUSINESS_WORDS = 3
_NEED_SIMILARITY = 0.35
_NEED_MARGIN = 0.03
_OUT_OF_SCOPE_SIMILARITY = 0.42
_SITUATION_SIMILARITY = 0.55
_SITUATION_MARGIN = 0.12
_MIN_WORDS = 4
_MAX_CHARS = 300


def judge(
    text: str,
    clauses: list[Clause],
    groups: Groups,
    asking: FieldName | None,
    playbook: Playbook,
    classifiers: ClassifierCache,
    language: str = "en",
) -> Groups:
    """The groups the examples change: ``need``, ``authority``, ``company`` and
    ``disqualifier``.

    In a conversation held in another language, what the company does is first read from
    that language's words for industries (see :mod:`agent.offline.languages.needs`): the
    examples are English sentences."""
    exemplars = playbook.exemplars
    whole = text.strip()[:_MAX_CHARS]
    asks: list[tuple[str, str, FieldExemplars]] = []
    context: dict[str, str] = {}  # a want clause -> the want sentence it is part of
    changed: Groups = {}
    industry = _industry_in(text, clauses, asking, language)
    if industry is not None:
        words, label = industry
        found = dict(groups["company"] or {"quote": words})
        changed["company"] = {**found, "industry": label}
        groups = {**groups, "company": changed["company"]}
    foreign = foreign_message(text, clauses, groups, asking, playbook, classifiers, language)
    if foreign is not None:
        read = read_in_other_words(foreign)
        changed.update(read)
        groups = {**groups, **read}
    if exemplars.authority is not None:
        asks += [
            ("authority", s, exemplars.authority) for s in _authority_words(whole, groups, asking)
        ]
    if exemplars.industry is not None and not _industry_known(groups):
        asks += [
            ("industry", s, exemplars.industry) for s in _business_words(whole, clauses, asking)
        ]
    if exemplars.budget_status is not None and groups["budget"] is None:
        asks += [
            ("budget", s, exemplars.budget_status) for s in _budget_words(text, clauses, asking)
        ]
    known_need = groups["need"]
    if known_need is None or known_need.get("fit") in ("strong", "none", "unknown"):
        # Also beside a need its keywords found: "which features customers use, and
        # something to run payroll" is a partial fit whichever half had the keyword.
        said = str(known_need["quote"]) if known_need is not None else ""
        rest = [c for c in clauses if not _overlaps(c.raw, said)]
        wanted = [
            (w, whole_want)
            for w, whole_want in _want_words(text, rest, groups, asking, read_need=(clauses, said))
            if not _overlaps(w, said)
        ]
        context.update(wanted)
        asks += [("need", w, need_examples(playbook)) for w, _ in wanted]
    if (
        exemplars.disqualifier is not None
        and groups["disqualifier"] is None
        and not _buyer_need(text, groups)
    ):
        asks += [
            ("disqualifier", s, exemplars.disqualifier) for s in _self_words(text, clauses, groups)
        ]
    # The words around a keyword are compared with English sentences: in another language
    # they say nothing of its sense.
    senses = _keyword_senses(clauses, groups, playbook) if language == "en" else []
    asks += [("sense", words, need_sentences(playbook)) for words, _ in senses]
    if not asks:
        return changed
    embedded = {
        (field, words): _core(words) if field == "need" else words for field, words, _ in asks
    }
    texts = list(dict.fromkeys(embedded.values()))
    vectors = dict(zip(texts, classifiers.embed(texts), strict=True))
    for field, words, section in asks:
        if field == "sense":
            continue
        kinds = need_kinds(playbook) if field == "need" else None
        verdict = classifiers.classifier(section).classify(vectors[embedded[field, words]], kinds)
        if verdict is None or verdict.label == NONE:
            continue
        if field == "need" and not _said_as_want(words, asking) and not _plainly_close(verdict):
            continue
        if field == "need" and asking not in (None, "need") and _WANT_IT.search(words.lower()):
            continue  # "we'd want it running in time for our January sale": when, not what
        sentence = context.get(words, words) if field == "need" else words
        if sentence != words and not _clearly_one(verdict):
            continue  # a clause of a want sentence counts only when it is clearly one need
        _apply(field, words, verdict, groups, changed, playbook, asking, text, sentence)
    section = need_sentences(playbook)
    # Beside an unserved need named outright ("a new cohort of students joins and we need a
    # better way to send newsletters"), the keyword must be at least as close to a served need.
    known = groups["need"]
    lead = _SENSE_LEAD_BESIDE_UNSERVED if known and known.get("fit") == "partial" else _SENSE_LEAD
    senses_read = [
        (item, _in_scope_sense(classifiers, section, vectors[words], playbook, lead))
        for words, item in senses
    ]
    # A need goes when every keyword of it in the message meant something else.
    other = {item for item, _ in senses_read} - {item for item, served in senses_read if served}
    if other:
        _drop_needs(other, groups, changed, playbook)
    return changed


# The words before what is wanted: "and then we need to see" in "and then we need to see
# which landing pages turn visitors into trials". Left out of what is compared with the
# need examples, so the want's object decides, not the shared "we need".
_LEAD_IN = re.compile(
    r"^\W*(?:(?:and|but|also|plus|then|so|or)\W+)*(?:(?:we|i)(?:'d| would)?(?:'re| are| am|'m)? "
    r"(?:really |also |just |basically )?(?:need|want|like|love|looking|hoping|trying)(?: to| for)?"
    r"(?: (?:be able to )?(?:see|know|understand|figure out|find out))?\s+)?"
)


def _core(words: str) -> str:
    core = _LEAD_IN.sub("", words.lower(), count=1).strip()
    return core if len(core.split()) >= 3 else words


def _apply(
    field: str,
    words: str,
    verdict: Verdict,
    groups: Groups,
    changed: Groups,
    playbook: Playbook,
    asking: FieldName | None,
    text: str,
    said: str,
) -> None:
    if field == "need":
        if "need" not in changed and groups["need"] is not None:
            known = groups["need"]
            changed["need"] = {**known, "use_cases": list(known.get("use_cases") or [])}
        _add_need(words, verdict, changed, playbook, asking=asking, text=text, said=said)
    elif field == "disqualifier":
        if verdict.label == "student" and (
            NOT_STUDYING.search(text.lower()) or not _ACADEMIC.search(text.lower())
        ):
            return  # "this is for my day job, not for school"; research with no school in it
        if verdict.label == "vendor" and (
            not _ADDRESSED.search(text.lower()) or NO_PITCH.search(text.lower())
        ):
            return  # a pitch speaks to us; "our software does the bookkeeping for 3,000 firms"
        if verdict.label == "competitor" and _PAST_WORK.search(words.lower()):
            return  # "I used to be a PM at Mixpanel years ago": a past employer
        changed.setdefault("disqualifier", {"quote": words, "kind": verdict.label})
    elif field == "budget" and "budget" not in changed:
        changed["budget"] = {"quote": words, "status": verdict.label}
    elif field == "authority" and "authority" not in changed:
        changed["authority"] = {"quote": words, "level": verdict.label}
    elif field == "industry" and "company" not in changed:
        found = dict(groups["company"] or {"quote": words})
        changed["company"] = {**found, "industry": verdict.label}


# A need keyword in another sense: "document retention", "employee churn", "currency
# conversion", "dashboard cameras". The words around the keyword are compared with the
# playbook's example sentences of needs (not its keywords): when they are no closer to a
# need Beacon serves than to one it does not, the keyword named something else.
_SENSE_WORDS = 5  # words on each side of the keyword that give its sense
_MIN_SENSE_WORDS = 4  # "funnels and retention" is plainly the need: no check
_SENSE_LEAD = 0.1  # how much closer to an unserved need the words must be
_SENSE_FLOOR = 0.42  # words this close to a served need's example are that need
_SENSE_LEAD_BESIDE_UNSERVED = 0.0


def _keyword_senses(
    clauses: list[Clause], groups: Groups, playbook: Playbook
) -> list[tuple[str, str]]:
    """The words around each served need's keyword in the message, with the need."""
    need = groups["need"]
    if need is None or need.get("fit") not in ("strong", "partial"):
        return []
    quote = str(need.get("quote", ""))
    matcher = lexicon_for(playbook).needs
    found: list[tuple[str, str]] = []
    for clause in clauses:
        if not _overlaps(clause.raw, quote) or len(clause.text.split()) < _MIN_SENSE_WORDS:
            continue
        for hit in matcher.find(clause.text):
            if hit.in_scope and hit.item in (need.get("use_cases") or []):
                before = _sense_side(clause.text[: hit.start].split()[::-1])[::-1]
                after = _sense_side(clause.text[hit.end :].split())
                words = " ".join([*before, clause.text[hit.start : hit.end], *after])
                keyword = clause.text[hit.start : hit.end]
                ambiguous = " " not in keyword.strip()  # "funnel analysis" is plainly the need
                if ambiguous and not _PRODUCT_SENSE.search(" ".join([*before, *after])):
                    found.append((words, hit.item))
    return found


# Words of a product and its users beside the keyword settle its sense without the model:
# "why users churn after onboarding", "checkout conversion".
_PRODUCT_SENSE = re.compile(
    r"\b(?:users?|customers?|visitors?|shoppers?|buyers?|subscribers?|members?|players?|"
    r"learners?|signups?|sign-ups?|trials?|app|apps|product|products|checkout|onboarding|website|"
    r"site|store|cart|features?|events?|clicks?|sessions?|cohorts?|funnels?|saas|mobile|web|"
    r"growth|engagement|activation|adoption|usage|analytics|analysis|metrics|kpis?)\b"
)
_JOINS = frozenset({"and", "or", "plus", "also", "but", "&", "as", "well"})


def _sense_side(words: list[str]) -> list[str]:
    """Up to ``_SENSE_WORDS`` words on one side of a keyword, nearest first, not past "and":
    in "a new website design and maybe some analytics on it" the website is another want."""
    side: list[str] = []
    for word in words[:_SENSE_WORDS]:
        if word in _JOINS:
            break
        side.append(word)
    return side


def _in_scope_sense(
    classifiers: ClassifierCache,
    section: FieldExemplars,
    vector: Any,
    playbook: Playbook,
    lead: float,
) -> bool:
    classifier = classifiers.classifier(section)
    similarities = classifier.vectors @ vector
    served = {item.name for item in playbook.need.in_scope}
    mine = np.array([label in served for label in classifier.labels])
    best_in = float(similarities[mine].max(initial=-1.0))
    best_out = float(similarities[~mine].max(initial=-1.0))
    return best_in >= _SENSE_FLOOR or best_out - best_in < lead


def _drop_needs(dropped: set[str], groups: Groups, changed: Groups, playbook: Playbook) -> None:
    """The need without the served needs whose every keyword was in another sense."""
    need = changed["need"] if "need" in changed else groups["need"]
    if need is None:
        return
    use_cases = [u for u in (need.get("use_cases") or []) if u not in dropped]
    if not use_cases:
        changed["need"] = None
        return
    served = {item.name for item in playbook.need.in_scope}
    fit = need_fit({u in served for u in use_cases})
    changed["need"] = {**need, "use_cases": use_cases, "fit": fit}


_NEEDS: dict[str, FieldExemplars] = {}
_SENTENCES: dict[str, FieldExemplars] = {}


def need_sentences(playbook: Playbook) -> FieldExemplars:
    """The playbook's needs by their example sentences only, without the keywords."""
    found = _SENTENCES.get(playbook.digest)
    if found is None:
        items = (*playbook.need.in_scope, *playbook.need.out_of_scope)
        found = FieldExemplars(
            examples={item.name: tuple(item.examples) for item in items if item.examples},
            min_similarity=_NEED_SIMILARITY,
            min_margin=_NEED_MARGIN,
        )
        _SENTENCES[playbook.digest] = found
    return found


def need_examples(playbook: Playbook) -> FieldExemplars:
    """The playbook's needs, each with its example sentences (its keywords when it has
    none): short keyword phrases beside whole sentences pull any sentence towards the need
    with the most of them."""
    found = _NEEDS.get(playbook.digest)
    if found is None:
        items = (*playbook.need.in_scope, *playbook.need.out_of_scope)
        found = FieldExemplars(
            examples={item.name: item.examples or item.keywords for item in items},
            min_similarity=_NEED_SIMILARITY,
            min_margin=_NEED_MARGIN,
        )
        _NEEDS[playbook.digest] = found
    return found


def need_kinds(playbook: Playbook) -> dict[str, str]:
    """Each need's kind: whether Beacon serves it decides the fit, not which one it is."""
    kinds = {item.name: "in_scope" for item in playbook.need.in_scope}
    return kinds | {item.name: "out_of_scope" for item in playbook.need.out_of_scope}


def _add_need(
    words: str,
    verdict: Verdict,
    changed: Groups,
    playbook: Playbook,
    *,
    asking: FieldName | None,
    text: str,
    said: str,
) -> None:
    item = verdict.label
    answered = asking == "need"
    in_scope = any(scope.name == item for scope in playbook.need.in_scope)
    if not in_scope and not _plainly_wanted(said, verdict, answered=answered, asking=asking):
        return
    fit = "strong" if in_scope else "none"
    found = changed.get("need")
    if found is None:
        changed["need"] = {"quote": words, "use_cases": [item], "fit": fit}
    elif item not in found["use_cases"]:
        found["use_cases"].append(item)
        found["fit"] = fit if found["fit"] in (fit, "unknown") else "partial"
        found["quote"] = _joined(text, str(found["quote"]), words)


def _overlaps(words: str, quote: str) -> bool:
    return bool(quote) and (words in quote or quote in words)


def _joined(text: str, first: str, second: str) -> str:
    """The message's words from the earlier of two quotes to the end of the later."""
    a, b = text.find(first), text.find(second)
    if a < 0 or b < 0:
        return first
    start, end = min(a, b), max(a + len(first), b + len(second))
    return text[start:end]


def _plainly_wanted(
    words: str, verdict: Verdict, *, answered: bool, asking: FieldName | None = None
) -> bool:
    """Naming something Beacon does not do counts only when it is plainly what the
    prospect wants: close to the example, said as a want, and said of themselves (or in
    answer to the need question, or as a want without a subject: "Need someone to give it
    a makeover"), not "if you want to send stuff". An answer to another question ("email's
    better than a call", "we'd want it running for our Q1 reviews") and a want of the
    product itself ("we want it before our spring sale") name no other need."""
    lowered = words.lower()
    if verdict.similarity < _OUT_OF_SCOPE_SIMILARITY or not WANT_CUE.search(lowered):
        return False
    if asking not in (None, "need") or _WANT_IT.search(lowered):
        return False
    return answered or _SELF.search(lowered) is not None or _BARE_WANT.match(lowered) is not None


# A want of the product being discussed: "we'd want it running by Q1", "we want this sooner".
_WANT_IT = re.compile(
    r"(?:\b(?:want|need|love|have)(?:s|ed)?|(?:'d|would|\bwe|\bi) like) (?:it|this|that|one|beacon|"
    r"the tool|something like (?:this|that|yours|beacon))\b"  # not "looks like it's from 2009"
)


# A want said without its subject, at the start of a sentence: "Need someone to...",
# "Looking for a tool that...".
_GREETING = re.compile(r"^\W*(?:hi|hey|hello|hiya|morning|good (?:morning|afternoon|evening))\W*$")
_BARE_WANT = re.compile(
    r"^(?:really |just |also )?(?:need|needs|looking for|looking to|after|"
    r"hoping to|trying to|want|wanting)\b"
)


def _want_words(
    text: str,
    clauses: list[Clause],
    groups: Groups,
    asking: FieldName | None,
    *,
    read_need: tuple[list[Clause], str] = ([], ""),
) -> list[tuple[str, str]]:
    """Sentences that say what the prospect wants in words no need keyword matched: those
    with a want in them, every sentence of an answer to the need question, and what an
    unprompted message says of the prospect's situation."""
    read = _read_quotes(groups)
    sentences: dict[int, list[Clause]] = {}
    for clause in clauses:
        if not any(q in clause.raw or clause.raw in q for q in read):
            sentences.setdefault(clause.sentence, []).append(clause)
    # A want the need keywords already read ("need POS terminals"), by its sentence.
    all_clauses, said = read_need
    wanting = {
        c.sentence for c in all_clauses if WANT_CUE.search(c.text) and _overlaps(c.raw, said)
    }
    wanted: list[tuple[int, str]] = []
    for sentence, whole in sentences.items():
        if any(_NOT_WANTED.search(c.text) for c in whole):
            continue  # "I don't need help sending the newsletter, that's sorted"
        for group in _each_want(_from_the_want(whole)):
            # "We're opening cafes and need POS terminals, plus something to analyze how
            # customers use our store": what follows "plus" is wanted too.
            more = next((i for i, c in enumerate(group) if _MORE.match(c.text)), None)
            if sentence in wanting and more is not None:
                _add_want_words(text, group[more:], asking, wanted, more=True)
            else:
                _add_want_words(text, group, asking, wanted)
    # Sentences that say a want in the first person come first: in a long message the need
    # is rarely the greeting, the company description or a question to us.
    wanted.sort(key=lambda item: item[0])
    chosen = wanted[:_MAX_NEED_CLAUSES]
    # The clauses of a want are judged one by one too; those of a sentence that only
    # describes the business ("we ship coffee beans, all ordered on our website") are not.
    parts = [
        (part, words)
        for rank, words in chosen
        if rank <= 1
        for part in _parts(text, clauses, words)
    ]
    return [(words, words) for _, words in chosen] + parts


def _parts(text: str, clauses: list[Clause], words: str) -> list[str]:
    """The clauses of a want sentence, each judged too: "a redesign of our marketing website,
    and a way to split-test our pricing page" is two needs whatever the whole sentence is
    closest to."""
    inside = [c for c in clauses if c.raw and c.raw in words]
    if len(inside) < 2:
        return []
    parts = [
        span(text, [c])
        for c in inside
        if len(c.text.split()) >= _MIN_WORDS
        and (_SELF.search(c.text) or WANT_CUE.search(c.text))
        and not (
            ABOUT_US.search(c.text) and not WANT_CUE.search(c.text)
        )  # "we make payroll software"
    ]
    return parts[:_MAX_PARTS] if len(parts) >= 2 else []


def _each_want(group: list[Clause]) -> list[list[Clause]]:
    """A sentence cut where a second want starts: "we need our website redesigned, and then
    we need to see which landing pages turn visitors into trials" is two wants, each judged
    on its own (one sentence gets one verdict)."""
    parts: list[list[Clause]] = [[]]
    for clause in group:
        if (
            parts[-1]
            and _OWN_WANT.search(clause.text)
            and any(_OWN_WANT.search(c.text) or _BARE_WANT.match(c.text) for c in parts[-1])
        ):
            parts.append([])
        parts[-1].append(clause)
    return parts


def _add_want_words(
    text: str,
    group: list[Clause],
    asking: FieldName | None,
    wanted: list[tuple[int, str]],
    *,
    more: bool = False,
) -> None:
    """Add the words of ``group`` to ``wanted`` with their rank (a first-person want first,
    then a want or need cue, then what an unprompted message says of the prospect)."""
    words = span(text, group)[:_MAX_CHARS]
    if _PLEASANTRY.match(words.lower()):
        return  # "Hi there, hoping you can help": a greeting, not what they need
    want = any(_OWN_WANT.search(c.text) for c in group)
    cue = more or want or any(NEED_CUE.search(c.text) or WANT_CUE.search(c.text) for c in group)
    situation = (
        asking is None
        and any(_SELF.search(c.text) for c in group)
        and not _ASKING_US.search(words.lower())
    )
    if (asking == "need" or cue or situation) and len(words.split()) >= _MIN_WORDS:
        # What the business does ("we sell refurbished phones through our own site") is the
        # least likely situation to be the need.
        about_us = all(ABOUT_US.search(c.text) or len(c.text.split()) <= 2 for c in group)
        wanted.append((0 if want else 1 if cue else 3 if about_us else 2, words))


def _from_the_want(group: list[Clause]) -> list[Clause]:
    """A sentence from its first-person want on, when what comes before only describes the
    business: "We sell furniture online, ~2M visitors a month, and we want to see how people
    move through the site". Context that changes the want ("we're hiring our first analyst
    and I want them to have a proper tool") is kept."""
    start = 0
    while start < len(group) - 1 and (
        _GREETING.match(group[start].text)
        or (ABOUT_US.search(group[start].text) and not _HIRING.search(group[start].text))
        or (start and _FIGURES.search(group[start].text))
    ):
        start += 1
    if start and (_OWN_WANT.search(group[start].text) or _BARE_WANT.match(group[start].text)):
        return group[start:]  # "we build HR software and need a better handle on ..."
    return group


def _clearly_one(verdict: Verdict) -> bool:
    return verdict.similarity >= _PART_SIMILARITY and verdict.margin >= _PART_MARGIN


def _plainly_close(verdict: Verdict) -> bool:
    """A need said without a want must be close to one example, or clearly closer to one
    need than to any other: describing the business lands halfway between several."""
    return verdict.similarity >= _SITUATION_SIMILARITY or verdict.margin >= _SITUATION_MARGIN


def _said_as_want(words: str, asking: FieldName | None) -> bool:
    """Whether ``words`` answer the need question or say a want ("we're looking for", "help
    us see"); other sentences ("we run a group of dental practices", "my manager asked me
    to look into tools") must be much closer to an example to count as a need."""
    return asking == "need" or WANT_CUE.search(words.lower()) is not None


def _read_quotes(groups: Groups) -> list[str]:
    quotes = [
        str(found["quote"])
        for name in ("budget", "timeline", "authority", "contact", "human")
        if (found := groups[name]) is not None
    ]
    company = groups["company"]
    if company is not None and company.get("size") is not None:
        quote = str(company["quote"])
        # "we're a 300-person ecommerce company"; a quote joined across sentences (the size
        # at the end, the name in a signature) also holds sentences about other things.
        if not re.search(r"[.!?\n]\s", quote.rstrip(".!? \n")):
            quotes.append(quote)
    return quotes


def _budget_words(text: str, clauses: list[Clause], asking: FieldName | None) -> list[str]:
    """What an answer to the budget question without an amount says: its statements (not
    its questions). Only when the budget was asked: elsewhere a sentence about money
    ("we'd pay more for good support") is no answer, and a known budget must stand."""
    if asking != "budget":
        return []
    said = []
    for sentence in sentences(clauses):
        words = span(text, sentence).strip()
        if words and not words.endswith("?") and len(words.split()) >= _MIN_BUDGET_WORDS:
            said.append(words[:_MAX_CHARS])
    return said[:_MAX_BUDGET_SENTENCES]


def _authority_words(whole: str, groups: Groups, asking: FieldName | None) -> list[str]:
    """An answer about the role that the rules could not read.

    Titles and statements of who decides stay with the rules: sentence similarity cannot
    tell "I decide" from "my boss decides", nor a VP of Engineering from an engineer.
    """
    other = any(groups[name] for name in ("budget", "timeline", "contact", "need", "human"))
    return [whole] if asking == "authority" and groups["authority"] is None and not other else []


def _business_words(whole: str, clauses: list[Clause], asking: FieldName | None) -> list[str]:
    """What the prospect says their business is: the clauses of a company answer, or an
    "about us" clause elsewhere."""
    if asking == "company":
        said = [
            c.raw
            for c in clauses
            if len(c.text.split()) >= _MIN_BUSINESS_WORDS or _KIND_OF_BUSINESS.match(c.text)
        ]
    else:
        said = [c.raw for c in clauses if ABOUT_US.search(c.text) and _long_enough(c)]
    # "We're 140 people, payments for freelancers", "Ingrid from Segmentum Foods here — meal
    # kits, delivered across the Nordics": what follows the introduction in its sentence.
    for index, intro in enumerate(clauses[:-1]):
        if not (ABOUT_US.search(intro.text) or _HERE.search(intro.text)):
            continue
        rest = [c for c in clauses[index + 1 :] if c.sentence == intro.sentence]
        rest = rest[: next((i for i, c in enumerate(rest) if WANT_CUE.search(c.text)), len(rest))]
        words = span(whole, rest) if rest else ""
        if len(words.split()) >= _MIN_BUSINESS_WORDS and words not in said:
            said.append(words)
    # "Over here at Quillpad (collaborative docs for legal teams)": what is in brackets.
    said += [
        m["what"]
        for m in _BRACKETED.finditer(whole)
        if len(m["what"].split()) >= _MIN_BUSINESS_WORDS and m["what"] not in said
    ]
    return said[:_MAX_BUSINESS_CLAUSES]


_HERE = re.compile(r"\bhere\W*$")
# Two words that say what a business is: "plumbing company", "accounting firm".
_KIND_OF_BUSINESS = re.compile(rf"^[a-z][\w-]* (?:{'|'.join(sorted(BUSINESS_KINDS))})$")
_BRACKETED = re.compile(r"\b[A-Z][\w.&'-]*\s*\((?P<what>[a-z][^()]{8,80})\)")


def _industry_known(groups: Groups) -> bool:
    company = groups["company"]
    return company is not None and company.get("industry") is not None


def _self_words(text: str, clauses: list[Clause], groups: Groups) -> list[str]:
    """What the prospect says of themselves, less what is already read as a fact of a
    buyer: a budget, a timeline, a role, the company's size or industry, a contact, a
    request for a person, or a want ("we need funnels"). Whole sentences first ("It's about
    the opening on your careers page - I applied two weeks ago" says more together than
    either half), then their clauses."""
    read = _read_quotes(groups)
    # A sentence with a buyer's fact in it ("I'm one of the designers, I'd be the one using
    # it") is read whole as the buyer's.
    buyers = {c.sentence for c in clauses if any(q in c.raw or c.raw in q for q in read)}
    said = [
        c
        for c in clauses
        if _SPEAKER.search(c.text)
        and _long_enough(c)
        and not _WANT.search(c.text)
        and c.sentence not in buyers
        and not (_HIRING.search(text) and _JOBS.search(c.text))
    ]
    sentences: dict[int, list[Clause]] = {}
    for clause in said:
        sentences.setdefault(clause.sentence, []).append(clause)
    whole = [span(text, group)[:_MAX_CHARS] for group in sentences.values() if len(group) > 1]
    return list(dict.fromkeys([*whole, *(c.raw for c in said)]))[:_MAX_SELF_CLAUSES]


def _buyer_need(text: str, groups: Groups) -> bool:
    """Whether the message states a need (served or not) and a want in the first person.

    Someone who says what they want to find out about their own product ("where people
    drop off in our checkout") is writing as a buyer; a sentence beside it that resembles a
    pitch or a job search ("since the redesign", "we're hiring our first analyst") is not
    enough to turn them away. The exact rules still find vendors, job seekers and
    competitors who say so."""
    need = groups["need"]
    if need is None:
        return False
    lowered = text.lower()
    return _OWN_WANT.search(lowered) is not None or (
        _SPEAKER.search(lowered) is not None and _AND_WANT.search(lowered) is not None
    )


def _long_enough(clause: Clause) -> bool:
    return len(clause.text.split()) >= _MIN_WORDS


def _industry_in(
    text: str, clauses: list[Clause], asking: FieldName | None, language: str
) -> tuple[str, str] | None:
    """The words that say what the company does in ``language``, and its industry: in an
    answer to the company question, or in a sentence that describes the business ("wir
    sind ein Onlineshop für Fahrradteile", "soy head of product en Pagaya, una app de
    pagos")."""
    lexicon = INDUSTRY_WORDS.get(language)
    describes = DESCRIBES_BUSINESS.get(language)
    speaks = SPEAKS_FOR_SELF.get(language)
    if lexicon is None or describes is None or speaks is None:
        return None
    said = [
        (span(text, sentence), fold(", ".join(c.raw for c in sentence)))
        for sentence in sentences(clauses)
    ]
    # The opening message is where prospects say who they are: a trade named there beside
    # "ich", "tenemos", "chez" or "nossa" is theirs.
    read = [
        (words, folded, asking == "company" or describes.search(folded) is not None)
        for words, folded in said
        if asking == "company"
        or describes.search(folded)
        or (asking is None and speaks.search(folded))
    ]
    for pattern, label in lexicon:
        for words, folded, described in read:
            match = pattern.search(folded)
            # "pourquoi nos membres lâchent leur abonnement": a subscription or a platform
            # named in passing says nothing of the trade; said of the business, it does.
            if match and (described or not _SUBSCRIPTION_OR_PLATFORM.match(match.group())):
                return words, label
    return None


_SUBSCRIPTION_OR_PLATFORM = re.compile(
    r"abo|abonnement|suscripcion|subscricao|assinatura|plataforma|plateforme|plattform|losung|"
    r"[\w-]*cloud"
)
