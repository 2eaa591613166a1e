"""Loading playbooks: the shipped one, and clear errors for broken ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.errors import PlaybookError
from agent.playbook import Playbook, load_playbook, parse_playbook
from agent.resources import default_playbook_path


def _beacon() -> dict[str, Any]:
    """Beacon's playbook in its own language only: these tests change its questions, and
    a translated playbook would (rightly) also want the translations changed."""
    data: dict[str, Any] = yaml.safe_load(default_playbook_path().read_text())
    data.pop("languages")
    data.pop("translations")
    return data


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(yaml.safe_dump(data), "broken.yaml")
    assert caught.value.file == "broken.yaml"
    return caught.value.problems


def test_beacon_playbook_matches_the_spec(playbook: Playbook) -> None:
    assert playbook.company.name == "Beacon"
    assert [plan.price_usd_per_year for plan in playbook.company.plans] == [12000, 48000, 100000]
    assert playbook.fx == {
        "USD": 1.0,
        "EUR": 1.08,
        "GBP": 1.27,
        "CAD": 0.73,
        "AUD": 0.66,
        "INR": 0.012,
        "CHF": 1.12,
        "BRL": 0.19,
        "MXN": 0.055,
        "XOF": 0.00165,
        "XAF": 0.00165,
    }
    assert [(band.name, band.min_score) for band in playbook.scoring.bands] == [
        ("hot", 75),
        ("warm", 45),
        ("cold", None),
    ]
    assert {tier.name for tier in playbook.size_tiers} == {"smb", "mid_market", "enterprise"}
    assert len(playbook.need.in_scope) == 8
    assert len(playbook.need.out_of_scope) == 7
    assert all(len(question.wordings) >= 2 for question in playbook.questions)
    assert playbook.version.startswith("beacon@")


def test_version_changes_with_content() -> None:
    text = default_playbook_path().read_text()
    assert parse_playbook(text).version != parse_playbook(text + "\n# edited\n").version


def test_unknown_fact_is_named_with_its_path() -> None:
    data = _beacon()
    data["scoring"]["rules"][2]["fact"] = "budget.amount"
    [(path, message)] = _problems(data)
    assert path == "scoring.rules[2].fact"
    assert "unknown fact 'budget.amount'" in message


def test_condition_without_operator() -> None:
    data = _beacon()
    data["scoring"]["rules"][0]["when"] = {}
    [(path, message)] = _problems(data)
    assert path == "scoring.rules[0].when"
    assert "at least one of" in message


def test_wrong_type_and_unknown_key() -> None:
    data = _beacon()
    data["scoring"]["rules"][1]["points"] = "lots"
    data["questions"][0]["wordz"] = ["x"]
    problems = dict(_problems(data))
    assert "scoring.rules[1].points" in problems
    assert "questions[0].wordz" in problems


def test_question_needs_two_wordings() -> None:
    data = _beacon()
    data["questions"][1]["wordings"] = ["only one"]
    [(path, _)] = _problems(data)
    assert path == "questions[1].wordings"


def test_missing_question_for_a_field() -> None:
    data = _beacon()
    data["questions"] = [q for q in data["questions"] if q["field"] != "timeline"]
    [(_, message)] = _problems(data)
    assert "no question for field(s): timeline" in message


def test_bands_must_descend_and_end_with_catch_all() -> None:
    data = _beacon()
    data["scoring"]["bands"] = [
        {"name": "warm", "min_score": 45},
        {"name": "hot", "min_score": 75},
        {"name": "cold"},
    ]
    [(path, message)] = _problems(data)
    assert path == "scoring"
    assert "highest min_score down" in message


def test_handoff_segment_must_be_a_band() -> None:
    data = _beacon()
    data["handoff"]["segments"] = ["scorching"]
    [(_, message)] = _problems(data)
    assert "'scorching'" in message


def test_bad_fx_rate() -> None:
    data = _beacon()
    data["fx"]["EUR"] = -1
    [(path, message)] = _problems(data)
    assert path == "fx"
    assert "positive" in message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncompany: [unclosed\n")
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert str(path) in str(caught.value)
    assert "line" in caught.value.problems[0][0]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="cannot read file"):
        load_playbook(tmp_path / "nope.yaml")


def test_a_custom_playbook_changes_the_score(tmp_path: Path, playbook: Playbook) -> None:
    from agent.scoring import score
    from tests.builders import make_profile

    data = _beacon()
    for rule in data["scoring"]["rules"]:
        if rule["id"] == "decision_maker":
            rule["points"] = 40
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data))
    custom = load_playbook(path)
    profile = make_profile(level="decision_maker")
    assert score(profile, playbook).total == 25
    assert score(profile, custom).total == 40


def test_quick_replies_are_labels_with_values(playbook: Playbook) -> None:
    budget = playbook.question("budget").quick_replies
    assert [chip.label for chip in budget] == [
        "Under $12k/year",
        "$12k–$50k/year",
        "Over $50k/year",
        "No budget yet",
    ]
    assert budget[0].value is not None
    assert budget[0].value.model_dump(exclude={"quote", "text"}) == {
        "status": "known",
        "amount_min": 0,
        "amount_max": 12000,
        "currency": "USD",
        "period": "annual",
    }
    timeline = playbook.question("timeline").quick_replies
    assert [getattr(chip.value, "months", "?") for chip in timeline] == [1, 3, 6, None]
    again = Playbook.model_validate(playbook.model_dump())  # a dumped playbook loads again
    assert again.questions == playbook.questions


def test_a_plain_string_quick_reply_is_only_a_label() -> None:
    data = _beacon()
    data["questions"][2]["quick_replies"] = ["I decide", "Someone else signs off"]
    data["questions"][1]["quick_replies"] = [
        {"label": "Over $50k/year", "value": {"amount_min": 50000}},
        "Something else",
    ]
    book = parse_playbook(yaml.safe_dump(data, allow_unicode=True))
    assert [(chip.label, chip.value) for chip in book.question("authority").quick_replies] == [
        ("I decide", None),
        ("Someone else signs off", None),
    ]
    over, other = book.question("budget").quick_replies
    assert other.label == "Something else" and other.value is None
    assert over.value is not None
    assert over.value.model_dump(exclude={"quote", "text"}) == {
        "status": "known",
        "amount_min": 50000,
        "amount_max": None,
        "currency": "USD",
        "period": "annual",
    }


@pytest.mark.parametrize(
    ("question", "chip", "value", "path", "problem"),
    [
        (1, 0, {"amount_min": "lots"}, ".value.amount_min", "valid number"),
        (1, 0, {"amount_min": 0, "currency": "XYZ"}, ".value.currency", "no fx rate for XYZ"),
        (1, 0, {"amount_min": 0, "period": "fortnightly"}, ".value.period", "'annual'"),
        (1, 0, {"amount_min": 5000, "amount_max": 10}, ".value", "below amount_min"),
        (1, 0, {"status": "known"}, ".value", "a known budget needs amount_min"),
        (1, 3, {"status": "no_budget", "amount_min": 1}, ".value", "takes no amount"),
        (1, 0, {"amount_min": 0, "months": 3}, ".value", "unknown key 'months'"),
        (1, 0, {"amount_min": 0, "quote": "x"}, ".value", "the label is the prospect's words"),
        (3, 0, {}, ".value", "needs months: a whole number of months, or null"),
        (3, 0, {"months": "soon"}, ".value.months", "valid integer"),
        (3, 0, {"months": -1}, ".value.months", "greater than or equal to 0"),
    ],
)
def test_a_bad_quick_reply_value_is_named_with_its_path(
    question: int, chip: int, value: dict[str, Any], path: str, problem: str
) -> None:
    data = _beacon()
    data["questions"][question]["quick_replies"][chip]["value"] = value
    [(where, message)] = _problems(data)
    assert where == f"questions[{question}].quick_replies[{chip}]{path}"
    assert problem in message


def test_quick_reply_labels_and_fields_are_checked() -> None:
    data = _beacon()
    data["questions"][3]["quick_replies"].append("just EXPLORING")
    data["questions"][2]["quick_replies"] = [{"label": "I decide", "value": {"level": "x"}}]
    problems = dict(_problems(data))
    assert "already quick reply [3]" in problems["questions[3].quick_replies[4].label"]
    assert "only budget and timeline" in problems["questions[2].quick_replies[0].value"]
