"""Nurture routing: every segment leads somewhere, chosen by segment and tags."""

from __future__ import annotations

import pytest

from agent.errors import PlaybookError
from agent.followups import FollowUp, follow_up
from agent.playbook import Playbook, parse_playbook
from agent.resources import default_playbook_path
from agent.scoring import score
from agent.segments import segment
from tests.builders import make_profile


def beacon_without(section: str) -> str:
    """The Beacon playbook's text with one top-level section removed."""
    lines = default_playbook_path().read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    skipping = False
    for line in lines:
        if line and not line[0].isspace() and not line.startswith("#"):
            skipping = line.startswith(f"{section}:")
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (
            make_profile(
                annual_usd=60000, level="decision_maker", fit="strong", months=2, size=300
            ),
            FollowUp("sales_handoff", None, "segment hot"),
        ),
        (
            make_profile(annual_usd=30000, fit="strong", industry="saas"),
            FollowUp("nurture", "product-proof", "segment warm + industry:saas"),
        ),
        (
            make_profile(annual_usd=30000, fit="strong", industry="ecommerce"),
            FollowUp("nurture", "roi", "segment warm"),
        ),
        (
            make_profile(annual_usd=30000, fit="strong"),
            FollowUp("nurture", "roi", "segment warm"),
        ),
        (make_profile(fit="partial"), FollowUp("nurture", "education", "segment cold")),
        (
            make_profile(annual_usd=90000, fit="strong", disqualifier="student"),
            FollowUp("none", None, "Student or academic project"),
        ),
    ],
)
def test_beacon_follow_ups(playbook: Playbook, profile: object, expected: FollowUp) -> None:
    breakdown = score(profile, playbook)  # type: ignore[arg-type]
    seg = segment(profile, breakdown, playbook)  # type: ignore[arg-type]
    assert seg.follow_up == expected


def test_a_note_explains_the_follow_up(playbook: Playbook) -> None:
    book = parse_playbook(
        beacon_without("follow_ups")
        + "follow_ups:\n"
        + "  - when: {segment: disqualified}\n    action: none\n    note: Not a prospect\n"
        + "  - when: {}\n    action: nurture\n    list: newsletter\n    note: Everyone else\n"
    )
    assert follow_up("disqualified", (), book, disqualified_reason="Looking for a job") == (
        FollowUp("none", None, "Not a prospect: Looking for a job")
    )
    assert follow_up("hot", ("industry:saas",), book) == FollowUp(
        "nurture", "newsletter", "Everyone else"
    )


def test_without_follow_ups_every_segment_still_leads_somewhere() -> None:
    book = parse_playbook(beacon_without("follow_ups"))
    assert follow_up("hot", (), book).action == "sales_handoff"
    assert follow_up("warm", (), book) == FollowUp("nurture", "warm", "segment warm")
    assert follow_up("cold", (), book) == FollowUp("nurture", "cold", "segment cold")
    assert follow_up("disqualified", (), book, disqualified_reason="Spam") == FollowUp(
        "none", None, "Spam"
    )


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        (
            "  - when: {segment: hot}\n    action: sales_handoff\n",
            "segment 'cold' has no follow-up",
        ),
        (
            "  - when: {segment: warm, tags: [industry:saas]}\n    action: nurture\n"
            "    list: proof\n  - when: {segment: hot}\n    action: sales_handoff\n"
            "  - when: {segment: cold}\n    action: none\n"
            "  - when: {segment: disqualified}\n    action: none\n",
            "segment 'warm' has no follow-up for leads without tags",
        ),
        ("  - when: {segment: lukewarm}\n    action: none\n", "names segment 'lukewarm'"),
        ("  - when: {}\n    action: nurture\n", "a nurture follow-up names its list"),
        ("  - when: {}\n    action: none\n    list: x\n", "only nurture follow-ups take a list"),
        ("  - when: {}\n    action: email\n", "follow_ups[0].action"),
    ],
)
def test_follow_up_mistakes_are_reported_with_their_place(rules: str, problem: str) -> None:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(beacon_without("follow_ups") + "follow_ups:\n" + rules, "book.yaml")
    assert problem in str(caught.value)
    assert "book.yaml" in str(caught.value)
