"""Every boundary of the Beacon scoring table, bands, disqualifiers, tiers and routing."""

from __future__ import annotations

from typing import Any

import pytest

from agent.facts import read_fact
from agent.playbook import Playbook
from agent.routing import handoff_reason
from agent.scoring import score
from agent.segments import segment
from tests.builders import make_profile


@pytest.mark.parametrize(
    ("annual_usd", "status", "points"),
    [
        (1_000_000, None, 30),
        (50_000, None, 30),
        (49_999, None, 20),
        (12_000, None, 20),
        (11_999, None, 5),
        (1, None, 5),
        (0.5, None, 0),
        (None, "no_budget", -10),
        (None, "unknown", 0),
        (None, "refused", 0),
    ],
)
def test_budget_points(
    playbook: Playbook, annual_usd: float | None, status: str | None, points: int
) -> None:
    breakdown = score(make_profile(annual_usd=annual_usd, budget_status=status), playbook)
    assert breakdown.total == points
    assert sum(item.points for item in breakdown.items) == points


@pytest.mark.parametrize(
    ("level", "points"),
    [("decision_maker", 25), ("influencer", 12), ("user", 3), ("unknown", 0)],
)
def test_authority_points(playbook: Playbook, level: str, points: int) -> None:
    assert score(make_profile(level=level), playbook).total == points


@pytest.mark.parametrize(
    ("fit", "points"), [("strong", 25), ("partial", 10), ("none", -20), ("unknown", 0)]
)
def test_need_points(playbook: Playbook, fit: str, points: int) -> None:
    assert score(make_profile(fit=fit), playbook).total == points


@pytest.mark.parametrize(
    ("months", "points"),
    [(0, 20), (3, 20), (4, 10), (6, 10), (7, 5), (12, 5), (13, 0), (36, 0)],
)
def test_timeline_points(playbook: Playbook, months: int, points: int) -> None:
    assert score(make_profile(months=months), playbook).total == points


def test_no_timeline_scores_nothing(playbook: Playbook) -> None:
    breakdown = score(make_profile(timeline_text="no rush"), playbook)
    assert breakdown.total == 0
    assert breakdown.items == ()


@pytest.mark.parametrize(
    ("size", "points"),
    [(1, 0), (49, 0), (50, 5), (999, 5), (1000, 10), (250_000, 10)],
)
def test_company_size_points(playbook: Playbook, size: int, points: int) -> None:
    assert score(make_profile(size=size), playbook).total == points


def test_empty_profile_scores_zero_and_is_cold(playbook: Playbook) -> None:
    profile = make_profile()
    breakdown = score(profile, playbook)
    assert breakdown.total == 0
    assert segment(profile, breakdown, playbook).name == "cold"


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        # 30 + 25 + 20 = 75: the hot floor.
        ({"annual_usd": 60_000, "level": "decision_maker", "months": 2}, 75, "hot"),
        # 20 + 25 + 25 + 5 - 1 point short of hot: 74 is warm.
        ({"annual_usd": 20_000, "level": "influencer", "fit": "strong", "months": 5}, 67, "warm"),
        ({"annual_usd": 20_000, "fit": "strong"}, 45, "warm"),
        ({"annual_usd": 20_000, "fit": "partial", "months": 12, "size": 60}, 40, "cold"),
        ({"level": "decision_maker", "fit": "strong", "months": 11}, 55, "warm"),
        (
            {
                "annual_usd": 10_000,
                "level": "decision_maker",
                "fit": "strong",
                "months": 7,
                "size": 300,
            },
            65,
            "warm",
        ),
        (
            {
                "annual_usd": 50_000,
                "level": "decision_maker",
                "fit": "strong",
                "months": 1,
                "size": 5000,
            },
            110,
            "hot",
        ),
        ({"budget_status": "no_budget", "fit": "none", "level": "user"}, -27, "cold"),
    ],
)
def test_bands(playbook: Playbook, values: dict[str, Any], total: int, band: str) -> None:
    profile = make_profile(**values)
    breakdown = score(profile, playbook)
    assert breakdown.total == total
    assert segment(profile, breakdown, playbook).name == band


def test_band_floors_exactly(playbook: Playbook) -> None:
    # 25 + 25 + 20 + 5 = 75 -> hot; drop 5 (size 49) -> 70 warm; 20 + 25 = 45 -> warm; 44 -> cold
    at_75 = make_profile(level="decision_maker", fit="strong", months=3, size=50)
    at_70 = make_profile(level="decision_maker", fit="strong", months=3, size=49)
    assert score(at_75, playbook).total == 75
    assert segment(at_75, score(at_75, playbook), playbook).name == "hot"
    assert segment(at_70, score(at_70, playbook), playbook).name == "warm"
    at_45 = make_profile(annual_usd=12_000, fit="strong")
    below_45 = make_profile(annual_usd=12_000, level="influencer", months=7, size=50, fit=None)
    assert score(at_45, playbook).total == 45
    assert segment(at_45, score(at_45, playbook), playbook).name == "warm"
    assert score(below_45, playbook).total == 42
    assert segment(below_45, score(below_45, playbook), playbook).name == "cold"


def test_breakdown_explains_every_point_with_evidence(playbook: Playbook) -> None:
    profile = make_profile(annual_usd=60_000, level="decision_maker", fit="strong", months=2)
    breakdown = score(profile, playbook)
    assert [item.rule for item in breakdown.items] == [
        "budget_50k_plus",
        "decision_maker",
        "strong_fit",
        "timeline_3_months",
    ]
    assert all(
        item.quote == "as they said it" and item.message_id == "m1" for item in breakdown.items
    )
    assert breakdown.explain()[0] == '+30 Budget of $50,000+ per year ("as they said it")'


@pytest.mark.parametrize("kind", ["student", "job_seeker", "competitor", "vendor", "spam"])
def test_disqualifier_overrides_band_and_blocks_handoff(playbook: Playbook, kind: str) -> None:
    profile = make_profile(
        annual_usd=90_000,
        level="decision_maker",
        fit="strong",
        months=1,
        disqualifier=kind,
        requested_human=True,
    )
    breakdown = score(profile, playbook)
    seg = segment(profile, breakdown, playbook)
    assert breakdown.total == 100
    assert seg.band == "hot"
    assert seg.name == "disqualified"
    assert seg.disqualified_reason
    assert handoff_reason(profile, seg, playbook) is None


@pytest.mark.parametrize(
    ("size", "tier", "channel"),
    [
        (1, "smb", "#sales"),
        (199, "smb", "#sales"),
        (200, "mid_market", "#sales"),
        (1999, "mid_market", "#sales"),
        (2000, "enterprise", "#sales-enterprise"),
        (40_000, "enterprise", "#sales-enterprise"),
        (None, None, "#sales"),
    ],
)
def test_size_tiers_and_routing(
    playbook: Playbook, size: int | None, tier: str | None, channel: str
) -> None:
    profile = make_profile(size=size, industry="saas")
    seg = segment(profile, score(profile, playbook), playbook)
    assert seg.size_tier == tier
    assert seg.channel == channel
    assert seg.industry == "saas"
    assert "industry:saas" in seg.tags


def test_handoff_rules(playbook: Playbook) -> None:
    hot = make_profile(annual_usd=60_000, level="decision_maker", months=2)
    warm = make_profile(annual_usd=20_000, fit="strong")
    asked = make_profile(requested_human=True, fit="strong")
    stranger = make_profile(requested_human=True)
    assert handoff_reason(hot, segment(hot, score(hot, playbook), playbook), playbook) == "hot_lead"
    assert handoff_reason(warm, segment(warm, score(warm, playbook), playbook), playbook) is None
    assert (
        handoff_reason(asked, segment(asked, score(asked, playbook), playbook), playbook)
        == "requested_human"
    )
    # A stranger asking for a person is first asked what it is about (one message more).
    unknown = segment(stranger, score(stranger, playbook), playbook)
    assert handoff_reason(stranger, unknown, playbook) is None
    assert handoff_reason(stranger, unknown, playbook, waited=True) == "requested_human"


def test_scoring_is_pure(playbook: Playbook) -> None:
    profile = make_profile(annual_usd=60_000, level="influencer", fit="partial", months=5, size=80)
    first = score(profile, playbook)
    assert all(score(profile, playbook) == first for _ in range(3))
    assert first.total == 30 + 12 + 10 + 10 + 5


def test_scorer_agrees_with_each_rule_condition(playbook: Playbook) -> None:
    """The scorer tests a value once per fact and remembers the outcome; what it adds up is
    still exactly the rules whose condition holds, in playbook order, for any rule shape."""
    data = playbook.model_dump(by_alias=True)
    extra = [
        {
            "id": "asked",
            "label": "Asked",
            "fact": "requested_human",
            "when": {"eq": True},
            "points": 3,
        },
        {
            "id": "one",
            "label": "One person",
            "fact": "company.size",
            "when": {"eq": 1},
            "points": -4,
        },
        {
            "id": "few",
            "label": "Few",
            "fact": "company.size",
            "when": {"gt": 1, "lte": 9},
            "points": 2,
        },
        {
            "id": "not-saas",
            "label": "Not SaaS",
            "fact": "company.industry",
            "when": {"ne": "saas"},
            "points": 1,
        },
        {
            "id": "pa",
            "label": "Analytics",
            "fact": "need.use_cases",
            "when": {"contains": "product analytics"},
            "points": 6,
        },
        {
            "id": "dm-or-inf",
            "label": "Senior",
            "fact": "authority.level",
            "when": {"in": ["decision_maker", "influencer"]},
            "points": 1,
        },
    ]
    # Rules of one fact apart from each other: the breakdown must still follow the file.
    data["scoring"]["rules"] = [extra[0], *data["scoring"]["rules"], *extra[1:]]
    custom = Playbook.model_validate(data)
    profiles = [
        make_profile(size=size, requested_human=asked, industry=industry, level=level, fit=fit)
        for size in (None, 1, 2, 9, 10, 5000)
        for asked in (None, True, False)
        for industry in (None, "saas", "ecommerce")
        for level in (None, "decision_maker", "user")
        for fit in (None, "strong")
    ]
    for _ in range(2):  # the second pass reads remembered outcomes
        for profile in profiles:
            expected = [
                (rule.id, rule.points)
                for rule in custom.scoring.rules
                if rule.when.holds(read_fact(profile, rule.fact)[0])
            ]
            breakdown = score(profile, custom)
            assert [(item.rule, item.points) for item in breakdown.items] == expected
            assert breakdown.total == sum(points for _, points in expected)
