"""The next-question policy."""

from __future__ import annotations

import pytest

from agent.models import Authority, LeadProfile
from agent.playbook import Playbook
from agent.questions import next_question
from tests.builders import fact, make_profile


def test_asks_highest_priority_missing_field_first(playbook: Playbook) -> None:
    question = next_question(make_profile(), {}, playbook)
    assert question is not None
    assert question.field == "need"
    assert question.text == playbook.question("need").wordings[0]
    assert question.attempt == 1


def test_never_asks_a_known_field(playbook: Playbook) -> None:
    profile = make_profile(fit="strong", annual_usd=20_000)
    question = next_question(profile, {"need": 1, "budget": 1}, playbook)
    assert question is not None
    assert question.field == "authority"


@pytest.mark.parametrize("status", ["refused", "unknown"])
def test_a_budget_not_given_yet_is_asked_once_more_at_the_end(
    playbook: Playbook, status: str
) -> None:
    profile = make_profile(fit="strong", budget_status=status)
    question = next_question(profile, {"need": 1, "budget": 1}, playbook)
    assert question is not None and question.field == "authority"  # the rest comes first
    everything = _all_answered(budget_status=status)
    again = next_question(everything, ALL_ASKED, playbook)
    assert again is not None and again.field == "budget"
    assert again.text == playbook.question("budget").wordings[1]  # "a ballpark is fine"
    assert next_question(everything, {**ALL_ASKED, "budget": 2}, playbook) is None


def test_no_budget_counts_as_answered(playbook: Playbook) -> None:
    assert next_question(_all_answered(budget_status="no_budget"), ALL_ASKED, playbook) is None


ALL_ASKED = {"need": 1, "budget": 1, "authority": 1, "timeline": 1, "company": 1, "contact": 1}


def _all_answered(budget_status: str) -> LeadProfile:
    """Every field answered, the budget with ``budget_status``."""
    return make_profile(
        budget_status=budget_status,
        fit="strong",
        level="decision_maker",
        months=2,
        size=40,
        industry="saas",
        email="a@b.co",
    )


def test_dodged_field_is_asked_again_once_with_other_wording_after_the_rest(
    playbook: Playbook,
) -> None:
    asked = ALL_ASKED
    profile = make_profile(
        fit="strong", level="decision_maker", months=2, size=40, industry="saas", email="a@b.co"
    )
    # Only budget was dodged; every other field was answered.
    question = next_question(profile, asked, playbook)
    assert question is not None
    assert question.field == "budget"
    assert question.attempt == 2
    assert question.text == playbook.question("budget").wordings[1]
    assert question.quick_replies == playbook.question("budget").labels
    # Dodged twice: never asked again.
    assert next_question(profile, {**asked, "budget": 2}, playbook) is None


def test_unasked_fields_come_before_a_second_attempt(playbook: Playbook) -> None:
    question = next_question(make_profile(), {"need": 1}, playbook)
    assert question is not None and question.field == "budget"


def test_stops_when_disqualified(playbook: Playbook) -> None:
    assert next_question(make_profile(disqualifier="student"), {}, playbook) is None


def test_stops_when_everything_is_known(playbook: Playbook) -> None:
    profile = make_profile(
        annual_usd=5_000,
        fit="partial",
        level="user",
        months=8,
        size=12,
        industry="agency",
        email="x@y.org",
    )
    assert next_question(profile, {}, playbook) is None


def test_after_handoff_contact_is_asked_first_then_the_rest(playbook: Playbook) -> None:
    question = next_question(make_profile(), {}, playbook, handed_off=True)
    assert question is not None and question.field == "contact"
    then = next_question(make_profile(email="a@b.co"), {}, playbook, handed_off=True)
    assert then is not None and then.field == "need"


def test_company_needs_size_and_industry(playbook: Playbook) -> None:
    base = {"annual_usd": 5_000, "fit": "strong", "level": "user", "months": 2, "email": "a@b.co"}
    only_size = next_question(make_profile(size=30, **base), {}, playbook)  # type: ignore[arg-type]
    assert only_size is not None and only_size.field == "company"
    both = next_question(make_profile(size=30, industry="saas", **base), {}, playbook)  # type: ignore[arg-type]
    assert both is None


def test_an_authority_level_only_inferred_is_still_asked(playbook: Playbook) -> None:
    """'My manager asked me to look into tools' gives a level, not the answer: the role
    question is asked; once answered it is not."""
    profile = make_profile(fit="strong", annual_usd=20_000)
    guessed = Authority(level="influencer", settled=False)
    inferred = LeadProfile.model_validate({**profile.model_dump(), "authority": fact(guessed)})
    question = next_question(inferred, {"need": 1, "budget": 1}, playbook)
    assert question is not None and question.field == "authority"
    said = fact(Authority(level="user"))
    answered = LeadProfile.model_validate({**profile.model_dump(), "authority": said})
    question = next_question(answered, {"need": 1, "budget": 1}, playbook)
    assert question is not None and question.field == "timeline"


def test_a_department_heads_title_is_followed_by_who_signs_off(playbook: Playbook) -> None:
    """'I'm head of growth' names the role but not who signs: the role question is still
    asked, in its wording about the decision, not the one asking for the role again."""
    profile = make_profile(fit="strong", annual_usd=20_000)
    titled = Authority(role="head of growth", level="decision_maker", settled=False)
    known = LeadProfile.model_validate({**profile.model_dump(), "authority": fact(titled)})
    question = next_question(known, {"need": 1, "budget": 1}, playbook)
    wordings = playbook.wordings("authority", None)
    assert question is not None and question.field == "authority"
    assert question.text == wordings[1]
    untitled = LeadProfile.model_validate(
        {**profile.model_dump(), "authority": fact(Authority(level="influencer", settled=False))}
    )
    question = next_question(untitled, {"need": 1, "budget": 1}, playbook)
    assert question is not None and question.text == wordings[0]
