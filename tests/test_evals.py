"""Prompt evals: case files, metric math, runs through the real engine, compare, reports, CLI."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from pydantic import PrivateAttr
from rich.console import Console

from agent.config import Settings
from agent.errors import ConfigError
from agent.llm import build_chat_model
from agent.playbook import Playbook
from agent.prompts import PromptSet
from agent.resources import default_playbook_path, default_prompts_path
from evals.cases import CaseFileError, Expect, PersonaCase, load_cases, parse_cases
from evals.compare import compare, compare_kind, compare_targets
from evals.gates import load_gates
from evals.metrics import ERROR_LABEL, NONE_LABEL, Confusion, compute_metrics, p90
from evals.pricing import Price, price_for
from evals.report import render_html, run_summary, write_report
from evals.results import CaseResult, Observed, RunInfo, RunResult, Turn, check_case, matches
from evals.run import Target, reply_languages, run_cases
from evals.simulator import LLMSimulator
from tests.conftest import TODAY
from tests.fakes import ScriptedChatModel, update_lead
from tests.openai_server import FakeOpenAIServer

QUALIFY = str(Path(sys.executable).parent / "qualify")
DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"
SEGMENTS = ["hot", "warm", "cold", "disqualified"]

HOT_PERSONA = """
- id: hot-persona
  description: VP of Product with a budget
  kind: persona
  opening: "We need to understand churn and fix our checkout funnel."
  answers:
    budget: "We've set aside about $60k a year."
    authority: "I'm the VP of Product and I own the budget."
    timeline: "Next quarter."
    company: "B2B SaaS, 200 people."
    contact: "ana@trellis.io"
  expect:
    need_fit: strong
    budget_annual_usd: 60000
    authority_level: decision_maker
    segment: hot
    handoff: true
    max_turns: 3
"""
COLD_TRANSCRIPT = """
- id: cold-transcript
  kind: transcript
  turns:
    - "we're looking for something to manage our social media posts"
    - "no budget yet"
    - "I'm an intern, I'd just be using it"
    - "can I talk to a person?"
  expect:
    need_fit: none
    budget_status: no_budget
    authority_level: user
    disqualifier: null
    requested_human: true
    segment: cold
    handoff: true
"""


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **{"model": "offline", **values})


@pytest.fixture
def target(playbook: Playbook, prompts: PromptSet) -> Target:
    return Target(settings=settings(), playbook=playbook, prompts=prompts)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- case files ------------------------------------------------------------------------


def test_cases_load_from_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path / "set", "a.yaml", HOT_PERSONA)
    write(tmp_path / "set" / "more", "b.yml", COLD_TRANSCRIPT)
    write(tmp_path / "set", "notes.txt", "not a case file")
    cases = load_cases([tmp_path / "set"])
    assert [case.id for case in cases] == ["hot-persona", "cold-transcript"]
    persona, transcript = cases
    assert isinstance(persona, PersonaCase) and persona.kind == "persona"
    assert persona.answer("budget", 1) == "We've set aside about $60k a year."
    assert persona.answer("need", 1) == "not sure"  # the default fallback
    assert transcript.kind == "transcript" and len(transcript.turns) == 4
    assert persona.source.endswith("a.yaml") and transcript.source.endswith("b.yml")
    # Only the keys given are checked; a key given as null expects the fact to be absent.
    assert persona.expect.given() == [
        "budget_annual_usd",
        "authority_level",
        "need_fit",
        "segment",
        "handoff",
        "max_turns",
    ]
    assert "disqualifier" in transcript.expect.given()
    assert transcript.expect.disqualifier is None


def test_answer_lists_give_the_next_reply_each_time_a_field_is_asked() -> None:
    (case,) = parse_cases(
        """
- id: dodger
  kind: persona
  opening: hi
  answers: {budget: ["pass", "about 20k"]}
  fallback: "hmm"
""",
        "inline.yaml",
    )
    assert isinstance(case, PersonaCase)
    assert [case.answer("budget", n) for n in (1, 2, 3)] == ["pass", "about 20k", "about 20k"]
    assert case.answer(None, 1) == "hmm"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- {id: a, kind: persona, opening: hi, expect: {budget_usd: 5}}",
            "bad.yaml: case 'a': expect.budget_usd: Extra inputs are not permitted",
        ),
        (
            "- {id: a, kind: persona, opening: hi, expect: {budget_status: maybe}}",
            "bad.yaml: case 'a': expect.budget_status: Input should be",
        ),
        ("- {id: a, kind: transcript}", "bad.yaml: case 'a': turns: Field required"),
        ("- {id: a, kind: persona}", "bad.yaml: case 'a': opening: Field required"),
        ("- {id: a, opening: hi}", "bad.yaml: case 'a': kind: missing (persona or transcript)"),
        (
            "- {id: a, kind: chat, opening: hi}",
            "bad.yaml: case 'a': kind: 'chat' is not allowed (persona or transcript)",
        ),
        (
            "- {id: a, kind: persona, opening: hi}\n- {kind: persona, opening: hi}",
            "bad.yaml: case #2: id: Field required",
        ),
        (
            "- {id: a, kind: persona, opening: hi, answers: {wallet: x}}",
            "bad.yaml: case 'a': answers.wallet",
        ),
        ("- {id: a, kind: persona, opening: hi, expect: {max_turns: 0}}", "expect.max_turns"),
        (
            "- {id: a, kind: persona, opening: hallo, language: German}",
            "bad.yaml: case 'a': language: String should match pattern",
        ),
        ("- id: a\n  kind: [persona\n- id: b", "bad.yaml (line 3, column 5): not valid YAML"),
        ("just a string", "bad.yaml: must be a list of cases, got str"),
        ("- 42", "bad.yaml: case #1: must be a mapping, got int"),
    ],
)
def test_malformed_case_files_name_file_case_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(CaseFileError) as error:
        load_cases([Path("bad.yaml")])
    assert expected in str(error.value)


def test_duplicate_ids_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    first = write(tmp_path, "one.yaml", HOT_PERSONA)
    second = write(tmp_path, "two.yaml", HOT_PERSONA)
    with pytest.raises(CaseFileError, match=r"two\.yaml: case 'hot-persona': id: duplicate"):
        load_cases([first, second])
    with pytest.raises(CaseFileError, match=r"nope\.yaml: no such file or folder"):
        load_cases([tmp_path / "nope.yaml"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(CaseFileError, match="no case files"):
        load_cases([tmp_path / "empty"])


async def test_expected_segment_must_exist_in_the_playbook(tmp_path: Path, target: Target) -> None:
    cases = load_cases(
        [write(tmp_path, "c.yaml", HOT_PERSONA.replace("segment: hot", "segment: hott"))]
    )
    with pytest.raises(CaseFileError, match=r"case 'hot-persona': expect.segment: 'hott' is not"):
        await run_cases(cases, target, today=TODAY)


def test_the_shipped_dataset_is_valid_balanced_and_explained() -> None:
    cases = load_cases([DATASETS])
    assert len(cases) >= 60
    by_segment = {name: sum(c.expect.segment == name for c in cases) for name in SEGMENTS}
    assert min(by_segment.values()) >= 10, by_segment
    assert {c.expect.disqualifier for c in cases} >= {
        "student",
        "job_seeker",
        "competitor",
        "vendor",
        "spam",
    }
    # Every case carries a comment right above it.
    for path in DATASETS.glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.startswith("- id:"):
                assert lines[number - 1].startswith("#"), f"{path.name}:{number + 1} {line}"


# --- metric math ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected", "got", "ok"),
    [
        ("budget_annual_usd", 60000, 54000, True),
        ("budget_annual_usd", 60000, 66000, True),
        ("budget_annual_usd", 60000, 53999, False),
        ("budget_annual_usd", 60000, 66001, False),
        ("budget_annual_usd", 60000, None, False),
        ("company_size", 100, 110, True),
        ("company_size", 100, 89, False),
        ("timeline_months", 3, 4, True),
        ("timeline_months", 3, 2, True),
        ("timeline_months", 3, 5, False),
        ("timeline_months", 0, 1, True),
        ("timeline_months", None, None, True),
        ("timeline_months", None, 0, False),
        ("email", "Ana@Trellis.io", "ana@trellis.io", True),
        ("company_name", "Kindred Candle Co.", "kindred candle co", True),
        ("company_name", "Kindred Candle Co.", "Kindred Candle", False),
        ("company_name", "Kindred Candle Co.", None, False),
        ("authority_level", "influencer", "decision_maker", False),
        ("requested_human", False, False, True),
        ("disqualifier", None, None, True),
        ("disqualifier", None, "spam", False),
    ],
)
def test_tolerances(key: str, expected: Any, got: Any, ok: bool) -> None:
    assert matches(key, expected, got) is ok


def result(
    case_id: str,
    *,
    expect: dict[str, Any],
    turns: int | None = 3,
    error: str | None = None,
    calls: int = 3,
    tokens: tuple[int, int] = (0, 0),
    **observed: Any,
) -> CaseResult:
    return CaseResult(
        id=case_id,
        kind="transcript",
        expect=Expect(**expect),
        observed=None if error else Observed(**observed),
        turns_to_qualify=turns,
        error=error,
        model_calls=calls,
        input_tokens=tokens[0],
        output_tokens=tokens[1],
    )


def run_of(*cases: CaseResult, model: str = "offline") -> RunResult:
    info = RunInfo(
        prompt_version="v1@test",
        playbook_version="beacon@test",
        model=model,
        today=TODAY,
        started_at=datetime(2026, 11, 24, tzinfo=UTC),
        segments=SEGMENTS,
    )
    return RunResult(info=info, cases=list(cases))


def test_reply_checks_read_what_the_agent_said() -> None:
    expect = Expect.model_validate(
        {
            "replies": {"must_include": ["By Email"], "must_not_include": ["will follow up"]},
            "never_repeats": True,
        }
    )
    good = ["Thanks.", "Our team will get back to you by email.", "Anything else?"]
    checks = {c.key: c for c in check_case(expect, None, None, good)}
    assert checks["replies"].ok and checks["never_repeats"].ok
    bad = ["Someone will follow up.", "Someone will follow up."]
    checks = {c.key: c for c in check_case(expect, None, None, bad)}
    assert not checks["replies"].ok
    assert checks["replies"].got == "missing 'By Email'; said 'will follow up'"
    assert not checks["never_repeats"].ok and checks["never_repeats"].got == bad[1]
    case = CaseResult(
        id="r",
        kind="transcript",
        expect=expect,
        transcript=[Turn(role="agent", text="Hi!"), Turn(role="agent", text="by email")],
    )
    metrics = compute_metrics(run_of(case))
    assert (metrics.reply_checks.correct, metrics.reply_checks.total) == (2, 2)
    assert metrics.field_accuracy is None  # reply checks are not fields


def test_metrics_on_hand_made_results() -> None:
    run = run_of(
        # hot, handed off: a true positive; budget off by 5% passes, timeline off by 2 fails.
        result(
            "a",
            expect={
                "segment": "hot",
                "handoff": True,
                "budget_annual_usd": 100,
                "timeline_months": 3,
            },
            segment="hot",
            handoff=True,
            budget_annual_usd=105,
            timeline_months=5,
            turns=2,
            tokens=(1000, 100),
        ),
        # hot expected, warm got and no handoff: a false negative.
        result(
            "b",
            expect={"segment": "hot", "handoff": True},
            segment="warm",
            turns=6,
            tokens=(3000, 300),
        ),
        # cold expected, cold got, but handed off: a false positive.
        result(
            "c",
            expect={"segment": "cold", "handoff": False},
            segment="cold",
            handoff=True,
            turns=1,
        ),
        # warm, no handoff: a true negative; max_turns 4 with 5 turns fails.
        result(
            "d",
            expect={"segment": "warm", "handoff": False, "max_turns": 4, "industry": "saas"},
            segment="warm",
            industry="saas",
            turns=5,
        ),
        # an error: nothing observed, every check fails, never qualified.
        result("e", expect={"segment": "disqualified", "max_turns": 2}, error="boom", turns=None),
    )
    metrics = compute_metrics(run, price=Price(input=1.0, output=2.0))
    assert metrics.cases == 5 and metrics.errors == 1
    assert metrics.failing == ["a", "b", "c", "d", "e"]
    fields = {field.key: (field.correct, field.total) for field in metrics.fields}
    assert fields == {"budget_annual_usd": (1, 1), "timeline_months": (0, 1), "industry": (1, 1)}
    assert metrics.field_accuracy == pytest.approx(2 / 3)
    assert (metrics.segment.correct, metrics.segment.total) == (3, 5)
    assert metrics.segment.accuracy == pytest.approx(0.6)
    assert metrics.confusion.labels == SEGMENTS
    assert metrics.confusion.columns == [*SEGMENTS, "(error)"]
    assert metrics.confusion.counts == [
        [1, 1, 0, 0, 0],
        [0, 1, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 1],
    ]
    hand = metrics.handoff
    assert (hand.true_positive, hand.false_positive, hand.false_negative) == (1, 1, 1)
    assert hand.true_negative == 1
    assert hand.precision == pytest.approx(0.5) and hand.recall == pytest.approx(0.5)
    assert (metrics.within_max_turns.correct, metrics.within_max_turns.total) == (0, 2)
    assert metrics.qualified == 4
    assert metrics.turns_mean == pytest.approx(3.5)
    assert metrics.turns_p90 == 6
    assert metrics.turns_histogram == {1: 1, 2: 1, 5: 1, 6: 1}
    assert metrics.model_calls_per_conversation == pytest.approx(3)
    assert metrics.input_tokens == 4000 and metrics.output_tokens == 400
    cost = (4000 * 1.0 + 400 * 2.0) / 1_000_000
    assert metrics.cost_usd == pytest.approx(cost)
    assert metrics.cost_per_conversation_usd == pytest.approx(cost / 5)


def test_p90_is_nearest_rank_and_precision_is_undefined_without_positives() -> None:
    assert p90(list(range(1, 11))) == 9
    assert p90([7]) == 7
    assert p90([1, 2, 3, 4, 100]) == 100
    assert p90([]) is None
    metrics = compute_metrics(
        run_of(result("x", expect={"handoff": False}, segment="cold"), model="openai:unknown-model")
    )
    assert metrics.handoff.precision is None and metrics.handoff.recall is None
    assert metrics.field_accuracy is None and metrics.turns_mean == 3
    assert metrics.cost_usd is None  # no price for an unlisted model


def test_field_confusion_tables_on_hand_made_results() -> None:
    run = run_of(
        result(
            "a",
            expect={"authority_level": "decision_maker", "disqualifier": None},
            authority_level="decision_maker",
        ),
        result(
            "b",
            expect={"authority_level": "decision_maker", "need_fit": "strong"},
            authority_level="influencer",
        ),
        result("c", expect={"authority_level": None, "disqualifier": "spam"}),
        result("d", expect={"authority_level": "user", "segment": None}, error="boom"),
        result("e", expect={"segment": "cold"}, segment="cold"),
    )
    metrics = compute_metrics(run)
    tables = {table.key: table for table in metrics.field_confusions}
    assert list(tables) == ["authority_level", "need_fit", "disqualifier"]

    def cells(table: Confusion) -> dict[tuple[str, str], int]:
        return {
            (row, column): count
            for row, counts in zip(table.labels, table.counts, strict=True)
            for column, count in zip(table.columns, counts, strict=True)
            if count
        }

    authority = tables["authority_level"]
    levels = ["decision_maker", "influencer", "user", "unknown"]
    assert authority.labels == [*levels, NONE_LABEL]
    assert authority.columns == [*levels, NONE_LABEL, ERROR_LABEL]
    assert cells(authority) == {
        ("decision_maker", "decision_maker"): 1,
        ("decision_maker", "influencer"): 1,
        (NONE_LABEL, NONE_LABEL): 1,
        ("user", ERROR_LABEL): 1,
    }
    # An expected value that was not found is counted in the (none) column.
    assert cells(tables["need_fit"]) == {("strong", NONE_LABEL): 1}
    assert cells(tables["disqualifier"]) == {(NONE_LABEL, NONE_LABEL): 1, ("spam", NONE_LABEL): 1}
    assert tables["disqualifier"].total == 2
    # The segment matrix is unchanged: a case expecting no segment is not counted in it.
    assert metrics.confusion.key == "segment" and metrics.confusion.total == 1
    assert metrics.confusion.labels == metrics.confusion.columns == SEGMENTS
    # Tables of keys no case gives are left out.
    only_segment = compute_metrics(run_of(result("x", expect={"segment": "hot"}, segment="hot")))
    assert only_segment.field_confusions == []


def test_price_table() -> None:
    assert price_for("offline") == Price(input=0, output=0)
    mini = price_for("openai:gpt-4o-mini")
    assert mini is not None and mini.cost(1_000_000, 1_000_000) > 0
    assert price_for("openai:llama3-local") is None


# --- runs through the real engine ------------------------------------------------------


async def test_persona_run_with_the_offline_model(tmp_path: Path, target: Target) -> None:
    cases = load_cases([write(tmp_path, "c.yaml", HOT_PERSONA)])
    seen: list[str] = []
    run = await run_cases(cases, target, today=TODAY, progress=lambda case: seen.append(case.id))
    (case,) = run.cases
    assert seen == ["hot-persona"]
    assert case.error is None and case.passed, case.checks
    # The handoff is due with the third message, so the lead qualified in three; the persona
    # goes on answering (its email first, then what is still unknown) until the agent stops
    # asking.
    assert case.turns_to_qualify == 3 and case.prospect_messages == 6
    prospect = [turn.text for turn in case.transcript if turn.role == "prospect"]
    assert prospect == [
        "We need to understand churn and fix our checkout funnel.",
        "We've set aside about $60k a year.",
        "I'm the VP of Product and I own the budget.",
        "ana@trellis.io",
        "Next quarter.",
        "B2B SaaS, 200 people.",
    ]
    agent = [turn for turn in case.transcript if turn.role == "agent"]
    assert [turn.asking for turn in agent] == [
        None,
        "budget",
        "authority",
        "contact",
        "timeline",
        "company",
        None,
    ]
    assert [turn.handoff for turn in agent] == [None, None, None, "hot_lead", None, None, None]
    observed = case.observed
    assert observed is not None and observed.segment == "hot" and observed.handoff is True
    assert observed.email == "ana@trellis.io" and observed.timeline_months is not None
    assert (observed.industry, observed.company_size) == ("saas", 200)
    assert case.score is not None and case.score >= 80
    assert case.model_calls == 6 and case.input_tokens > 0
    assert run.info.model == "offline" and run.info.today == TODAY
    assert run.info.prompt_version == target.prompts.version
    assert run.info.playbook_version == target.playbook.version


async def test_hot_persona_email_given_after_the_handoff_is_recorded(
    tmp_path: Path, target: Target
) -> None:
    text = """
- id: hot-email-later
  kind: persona
  opening: "We need to understand churn and fix our checkout funnel."
  answers:
    budget: "We've set aside about $60k a year."
    authority: "I'm the VP of Product and I own the budget."
    contact: ["Let me think about that.", "Sure, it's ana.silva@trellis.io"]
    timeline: "Within six months."
    company: "B2B SaaS, 200 people."
  expect: {segment: hot, handoff: true, email: ana.silva@trellis.io, company_size: 200}
"""
    run = await run_cases(load_cases([write(tmp_path, "c.yaml", text)]), target, today=TODAY)
    (case,) = run.cases
    assert case.error is None and case.passed, case.checks
    agent = [turn for turn in case.transcript if turn.role == "agent"]
    prospect = [turn.text for turn in case.transcript if turn.role == "prospect"]
    # The handoff is due with the third message; the persona dodges the first question
    # about its email, answers the second, then answers what the agent still asks about.
    assert [turn.handoff for turn in agent][:5] == [None, None, None, "hot_lead", None]
    assert [turn.asking for turn in agent][3:] == [
        "contact",
        "contact",
        "timeline",
        "company",
        None,
    ]
    assert prospect[3:5] == ["Let me think about that.", "Sure, it's ana.silva@trellis.io"]
    # The lead qualified with the handoff; the four messages after it do not count.
    assert case.turns_to_qualify == 3 and case.prospect_messages == 7
    assert case.observed is not None
    assert case.observed.email is not None and case.observed.email.lower() == "ana.silva@trellis.io"
    assert case.observed.segment == "hot" and case.observed.handoff is True


CONFUSION_CASES = """
- id: hot
  kind: persona
  opening: "We need to understand churn and fix our checkout funnel."
  answers:
    budget: "We've set aside about $60k a year."
    authority: "I'm the VP of Product and I own the budget."
    contact: "ana@trellis.io"
  expect: {need_fit: strong, authority_level: decision_maker, disqualifier: null, segment: hot}
- id: cold
  kind: transcript
  turns:
    - "we're looking for something to manage our social media posts"
    - "no budget yet"
    - "I'm an intern, I'd just be using it"
  expect: {need_fit: none, authority_level: user, disqualifier: null, segment: cold}
- id: student
  kind: transcript
  turns: ["Hi, I'm a master's student writing my thesis on product analytics tools"]
  expect: {authority_level: null, disqualifier: student, segment: disqualified}
- id: pm-not-boss
  kind: transcript
  turns: ["We need retention analysis. I'm the product manager."]
  expect: {need_fit: strong, authority_level: decision_maker, disqualifier: spam}
- id: hello
  kind: transcript
  turns: ["hello"]
  expect: {need_fit: partial}
"""


async def test_confusion_tables_on_a_real_run(tmp_path: Path, target: Target) -> None:
    cases = load_cases([write(tmp_path, "c.yaml", CONFUSION_CASES)])
    run = await run_cases(cases, target, today=TODAY)
    assert [case.error for case in run.cases] == [None] * 5
    metrics = compute_metrics(run)
    tables = {table.key: table for table in metrics.field_confusions}
    # Rows are expected values, columns observed ones; (none) is an absent value.
    assert tables["authority_level"].labels == [
        "decision_maker",
        "influencer",
        "user",
        "unknown",
        NONE_LABEL,
    ]
    assert tables["authority_level"].counts == [
        [1, 1, 0, 0, 0],  # the VP decides; "the product manager" is read as an influencer
        [0, 0, 0, 0, 0],
        [0, 0, 1, 0, 0],  # the intern
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1],  # the student never says
    ]
    assert tables["need_fit"].labels == ["strong", "partial", "none", "unknown", NONE_LABEL]
    assert tables["need_fit"].counts == [
        [2, 0, 0, 0, 0],
        [0, 0, 0, 0, 1],  # "hello" says nothing about a need
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
    ]
    assert tables["disqualifier"].labels == [
        "student",
        "job_seeker",
        "competitor",
        "vendor",
        "spam",
        NONE_LABEL,
    ]
    assert tables["disqualifier"].counts == [
        [1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 2],
    ]
    assert metrics.confusion.counts == [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    # The diagonal agrees with the per-field accuracy.
    fields = {field.key: (field.correct, field.total) for field in metrics.fields}
    assert fields["authority_level"] == (3, 4)
    assert fields["need_fit"] == (3, 4)
    assert fields["disqualifier"] == (3, 4)
    for table in tables.values():
        diagonal = sum(table.counts[index][index] for index in range(len(table.labels)))
        assert (diagonal, table.total) == fields[table.key]

    # The terminal report shows every table with its field's accuracy.
    console = Console(record=True, width=200, color_system=None)
    console.print(run_summary(run, metrics))
    text = console.export_text()
    for title in (
        "Field accuracy",
        "Segments: 100.0% (3/3)",
        "authority_level: 75.0% (3/4); rows expected, columns got",
        "need_fit: 75.0% (3/4)",
        "disqualifier: 75.0% (3/4)",
    ):
        assert title in text, title
    authority_row = next(line for line in text.splitlines() if line.startswith("│ (none)"))
    assert re.sub(r"[│\s]+", " ", authority_row).strip() == "(none) · · · · 1"

    # report.json carries the tables; the HTML page shows them and the per-field accuracy.
    json_path, html_path = write_report(tmp_path / "out", run)
    data = json.loads(json_path.read_text(encoding="utf-8"))["metrics"]
    assert [table["key"] for table in data["field_confusions"]] == [
        "authority_level",
        "need_fit",
        "disqualifier",
    ]
    assert data["field_confusions"][0]["counts"] == tables["authority_level"].counts
    assert data["field_confusions"][2]["columns"][-1] == "(none)"
    assert data["confusion"]["key"] == "segment" and data["confusion"]["total"] == 3
    html = html_path.read_text(encoding="utf-8")
    for key in ("segment", "authority_level", "need_fit", "disqualifier"):
        assert f'id="confusion-{key}"' in html, key
    authority_html = html.split('id="confusion-authority_level"')[1].split("</table>")[0]
    assert "<caption>authority_level: 75.0% (3/4)</caption>" in authority_html
    assert "<th>(none)</th>" in authority_html
    assert re.search(r'<td class="n"[^>]*>1</td>', authority_html)  # decision_maker → influencer
    assert '<td>need_fit</td><td class="n">3/4</td><td class="n">75.0%</td>' in html
    assert EXTERNAL.search(html) is None


async def test_persona_gives_up_after_max_turns_plus_four(tmp_path: Path, target: Target) -> None:
    text = """
- id: silent
  kind: persona
  opening: "hello"
  fallback: "hmm"
  expect: {max_turns: 2, segment: cold}
"""
    run = await run_cases(load_cases([write(tmp_path, "c.yaml", text)]), target, today=TODAY)
    (case,) = run.cases
    assert case.prospect_messages == 6
    assert case.turns_to_qualify is None
    assert [check.key for check in case.checks if not check.ok] == ["max_turns"]


async def test_transcript_run_sends_every_message(tmp_path: Path, target: Target) -> None:
    cases = load_cases([write(tmp_path, "c.yaml", COLD_TRANSCRIPT)])
    (case,) = (await run_cases(cases, target, today=TODAY)).cases
    assert case.passed, [check for check in case.checks if not check.ok]
    assert case.prospect_messages == 4
    # The handoff on request came with the last message; the agent was still asking before.
    assert case.turns_to_qualify == 4
    assert case.observed is not None and case.observed.requested_human is True


async def test_run_with_a_scripted_model(
    tmp_path: Path, playbook: Playbook, prompts: PromptSet
) -> None:
    model = ScriptedChatModel(
        script=[
            update_lead(
                content="Thanks!",
                need={"fit": "strong", "use_cases": ["retention"], "quote": "retention"},
                budget={"amount_min": "60k", "currency": "USD", "quote": "60k a year"},
            ),
            update_lead(authority={"level": "influencer", "role": "PM", "quote": "I'm the PM"}),
        ]
    )
    target = Target(
        settings=settings(), playbook=playbook, prompts=prompts, model=model, model_name="scripted"
    )
    text = """
- id: scripted
  kind: transcript
  turns: ["we need retention analysis, 60k a year", "I'm the PM"]
  expect: {need_fit: strong, budget_annual_usd: 60000, authority_level: influencer,
           segment: warm, handoff: false}
"""
    run = await run_cases(
        load_cases([write(tmp_path, "c.yaml", text)]), target, today=TODAY, concurrency=1
    )
    (case,) = run.cases
    assert case.passed, case.checks
    assert case.score == 67  # strong +25, $60k +30, influencer +12
    assert case.model_calls == 2
    assert run.info.model == "scripted"
    assert len(model.prompts) == 2


class GateModel(BaseChatModel):
    """Holds every call until one more than ``width`` calls are in flight, or ``hold`` runs
    out; records the peak number of calls in flight.

    Under a bound of ``width`` cases the peak is exactly ``width`` (each held call gives the
    other cases every chance to arrive); without the bound the next case arrives while the
    first calls are held and the peak goes above ``width``.
    """

    width: int = 2
    hold: float = 1.0
    in_flight: int = 0
    peak: int = 0
    _changed: asyncio.Condition | None = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "gate"

    def bind_tools(  # type: ignore[override]
        self, tools: Any, **kwargs: Any
    ) -> Runnable[Any, BaseMessage]:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        raise TypeError("this test model answers only through ainvoke")

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self._changed is None:
            self._changed = asyncio.Condition()
        async with self._changed:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self._changed.notify_all()
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.in_flight > self.width), self.hold
                )
            except TimeoutError:
                pass
            finally:
                self.in_flight -= 1
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="ok"))])


async def test_concurrency_is_bounded(
    tmp_path: Path, playbook: Playbook, prompts: PromptSet
) -> None:
    cases = "\n".join(
        f"- {{id: c{n}, kind: transcript, turns: [hello], expect: {{handoff: false}}}}"
        for n in range(3)
    )
    model = GateModel(width=2)
    target = Target(settings=settings(), playbook=playbook, prompts=prompts, model=model)
    run = await run_cases(
        load_cases([write(tmp_path, "c.yaml", cases)]), target, today=TODAY, concurrency=2
    )
    assert [case.error for case in run.cases] == [None] * 3
    assert model.peak == 2
    assert run.info.concurrency == 2


async def test_llm_simulator_role_plays_from_the_answers(
    tmp_path: Path, openai_server: FakeOpenAIServer, playbook: Playbook, prompts: PromptSet
) -> None:
    config = settings(
        model="openai:gpt-4o-mini",
        openai_base_url=openai_server.base_url,
        openai_api_key="test-key",
        openai_max_retries=0,
    )
    target = Target(settings=config, playbook=playbook, prompts=prompts)
    simulator = LLMSimulator(build_chat_model(config, playbook, prompts), prompts, "Beacon")
    need = {"fit": "strong", "use_cases": ["funnels"], "quote": "funnels"}
    openai_server.reply_tool_call("update_lead", {"need": need}, "Great.")
    openai_server.reply_text("Honestly, around sixty thousand dollars a year.")
    budget = {"amount_min": 60000, "currency": "USD", "period": "annual", "quote": "sixty"}
    openai_server.reply_tool_call("update_lead", {"budget": budget}, "Thanks.")
    openai_server.reply_text("I'm the CTO, it's my call.")
    authority = {"level": "decision_maker", "role": "CTO", "quote": "I'm the CTO"}
    openai_server.reply_tool_call("update_lead", {"authority": authority}, "Noted.")
    # The handoff is due; the persona goes on to answer the questions about its email and
    # what is still unknown.
    openai_server.reply_text("Sure, it's ana@trellis.io.")
    contact = {"email": "ana@trellis.io", "quote": "ana@trellis.io"}
    openai_server.reply_tool_call("update_lead", {"contact": contact}, "Thanks.")
    openai_server.reply_text("Within six months.")
    timeline = {"text": "within six months", "months": 6, "quote": "Within six months."}
    openai_server.reply_tool_call("update_lead", {"timeline": timeline}, "Noted.")
    openai_server.reply_text("B2B SaaS, about 200 people.")
    company = {"size": 200, "industry": "saas", "quote": "B2B SaaS, about 200 people."}
    openai_server.reply_tool_call("update_lead", {"company": company}, "Thanks.")
    cases = load_cases([write(tmp_path, "c.yaml", HOT_PERSONA)])

    run = await run_cases(cases, target, today=TODAY, simulator=simulator, concurrency=1)

    (case,) = run.cases
    assert case.passed, case.checks
    prospect = [turn.text for turn in case.transcript if turn.role == "prospect"]
    assert prospect[1:] == [
        "Honestly, around sixty thousand dollars a year.",
        "I'm the CTO, it's my call.",
        "Sure, it's ana@trellis.io.",
        "Within six months.",
        "B2B SaaS, about 200 people.",
    ]
    assert case.turns_to_qualify == 3
    assert case.observed is not None and case.observed.email == "ana@trellis.io"
    assert (case.observed.timeline_months, case.observed.company_size) == (6, 200)
    assert run.info.simulator == "llm" and openai_server.calls == 11
    persona_call = openai_server.chat_requests[1]
    brief = persona_call.messages[0]["content"]
    assert "We've set aside about $60k a year." in brief and "ana@trellis.io" in brief
    # The simulator sees the chat with roles swapped: the agent's question is the user turn.
    assert persona_call.messages[-1]["role"] == "user"
    assert "budget" in persona_call.messages[-1]["content"]
    assert persona_call.messages[-2] == {
        "role": "assistant",
        "content": "We need to understand churn and fix our checkout funnel.",
    }


# --- compare -------------------------------------------------------------------------


def strict_playbook(folder: Path) -> Path:
    """Beacon with the hot band out of reach (120 points), so no lead is ever hot."""
    data = yaml.safe_load(default_playbook_path().read_text(encoding="utf-8"))
    data["scoring"]["bands"][0]["min_score"] = 120
    return write(folder, "strict.yaml", yaml.safe_dump(data, sort_keys=False))


async def test_compare_playbooks_shows_flips_and_deltas(tmp_path: Path) -> None:
    strict = strict_playbook(tmp_path)
    cases = load_cases(
        [write(tmp_path, "a.yaml", HOT_PERSONA), write(tmp_path, "b.yaml", COLD_TRANSCRIPT)]
    )
    kind, a, b = compare_targets(settings(), str(default_playbook_path()), str(strict))
    assert kind == "playbook"
    result = await compare(cases, kind, a, b, today=TODAY, concurrency=2)
    assert [flip.id for flip in result.flips] == ["hot-persona"]
    flip = result.flips[0]
    assert flip.a_passed and not flip.b_passed
    assert flip.a_failed == [] and set(flip.b_failed) >= {"segment", "handoff"}
    deltas = {row.metric: row for row in result.deltas}
    assert deltas["segment accuracy"].a == 1.0 and deltas["segment accuracy"].b == 0.5
    assert deltas["segment accuracy"].delta == pytest.approx(-0.5)
    assert deltas["cases passed"].delta == -1
    # Fewer passes, lower accuracy and more turns are all worse for B.
    assert deltas["turns to qualify (mean)"].delta == pytest.approx(1.5)
    for worse in (
        "cases passed",
        "segment accuracy",
        "within max turns",
        "turns to qualify (mean)",
    ):
        assert deltas[worse].better is False, worse
    assert deltas["field accuracy"].better is None  # unchanged
    assert result.a.info.playbook_version != result.b.info.playbook_version
    assert result.a.info.label == str(default_playbook_path())


def test_compare_kind(tmp_path: Path) -> None:
    one, two = tmp_path / "v1", tmp_path / "v2"
    one.mkdir()
    two.mkdir()
    file = write(tmp_path, "p.yaml", "x")
    assert compare_kind(str(one), str(two)) == "prompts"
    assert compare_kind(str(file), str(file)) == "playbook"
    assert compare_kind("offline", "openai:gpt-4o-mini") == "model"
    with pytest.raises(ConfigError, match="two prompt folders, two playbook files or two models"):
        compare_kind(str(one), str(file))


# --- reports -------------------------------------------------------------------------


def failing_run() -> RunResult:
    return run_of(
        result("good", expect={"segment": "hot", "handoff": True}, segment="hot", handoff=True),
        result(
            "bad <b>",
            expect={"segment": "warm", "budget_annual_usd": 30000},
            segment="cold",
            budget_annual_usd=5000,
            turns=None,
        ),
    )


EXTERNAL = re.compile(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|<script|<link|@import|src=", re.I)


def test_report_files(tmp_path: Path) -> None:
    run = failing_run()
    json_path, html_path = write_report(tmp_path / "out", run)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["info"]["prompt_version"] == "v1@test"
    assert data["info"]["playbook_version"] == "beacon@test"
    assert data["info"]["model"] == "offline" and data["info"]["today"] == "2026-11-24"
    assert data["metrics"]["segment"]["accuracy"] == 0.5
    assert data["metrics"]["failing"] == ["bad <b>"]
    bad = data["cases"][1]
    assert bad["expect"] == {"segment": "warm", "budget_annual_usd": 30000.0}
    assert [check["key"] for check in bad["checks"] if not check["ok"]] == [
        "budget_annual_usd",
        "segment",
    ]
    html = html_path.read_text(encoding="utf-8")
    assert html.count("<svg") == 3
    for label in ("Field accuracy", "Segment confusion matrix", "Turns to qualify"):
        assert f'aria-label="{label}"' in html
    assert "bad &lt;b&gt;" in html and "bad <b>" not in html
    assert EXTERNAL.search(html) is None


async def test_comparison_report(tmp_path: Path, target: Target) -> None:
    cases = load_cases([write(tmp_path, "a.yaml", HOT_PERSONA)])
    strict = target.settings.model_copy(update={"playbook": strict_playbook(tmp_path)})
    other = Target.from_settings(strict, label="strict")
    result = await compare(cases, "playbook", target, other, today=TODAY)
    html = render_html(result)
    assert html.count("<svg") == 6
    assert "Flipped cases (1)" in html and "hot-persona" in html
    assert EXTERNAL.search(html) is None
    json_path, _ = write_report(tmp_path / "cmp", result)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["kind"] == "playbook" and data["flips"][0]["id"] == "hot-persona"


# --- the command line ----------------------------------------------------------------


def qualify(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")}
    environment.update(COLUMNS="200", NO_COLOR="1", QUALIFY_DATA_DIR=str(cwd / "data"))
    return subprocess.run(
        [QUALIFY, "eval", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_cli_run_report_and_thresholds(tmp_path: Path) -> None:
    cases = write(tmp_path, "cases.yaml", HOT_PERSONA + COLD_TRANSCRIPT)
    ok = qualify(str(cases), "--today", "2026-11-24", "--report", "out", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "Field accuracy" in ok.stdout and "2/2 cases passed" in ok.stdout
    assert "authority_level: 100.0% (2/2); rows expected, columns got" in ok.stdout
    assert "prompts v1@" in ok.stdout and "playbook beacon@" in ok.stdout
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["info"]["today"] == "2026-11-24" and len(data["cases"]) == 2
    assert "<svg" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")

    wrong = write(tmp_path, "wrong.yaml", HOT_PERSONA.replace("segment: hot", "segment: cold"))
    below = qualify(
        str(wrong), "--today", "2026-11-24", "--min-segment-accuracy", "0.9", cwd=tmp_path
    )
    assert below.returncode == 1
    assert "below threshold: segment accuracy 0.0% < 90.0%" in below.stderr
    assert "FAIL hot-persona" in below.stdout and "expected" in below.stdout
    assert "Traceback" not in below.stderr
    met = qualify(str(wrong), "--today", "2026-11-24", "--min-field-accuracy", "0.9", cwd=tmp_path)
    assert met.returncode == 0, met.stderr


def test_cli_gates_on_a_field_and_on_handoffs(tmp_path: Path) -> None:
    wrong = write(tmp_path, "wrong.yaml", HOT_PERSONA.replace("segment: hot", "segment: cold"))
    met = qualify(str(wrong), "--today", "2026-11-24", "--min", "authority_level=1", cwd=tmp_path)
    assert met.returncode == 0, met.stderr
    handoffs = HOT_PERSONA.replace("handoff: true", "handoff: false")
    below = qualify(
        str(write(tmp_path, "handoffs.yaml", handoffs)),
        "--today",
        "2026-11-24",
        "--min",
        "handoff_recall=0.5",
        "--min",
        "authority_level=1",
        "--min",
        "handoff_precision=0.9",
        cwd=tmp_path,
    )
    assert below.returncode == 1
    assert "handoff_precision 0.0% < 90.0%" in below.stderr
    unknown = qualify(str(wrong), "--min", "charm=0.5", cwd=tmp_path)
    assert unknown.returncode == 2 and "--min 'charm=0.5'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_cli_gates_on_replies_in_the_cases_language(tmp_path: Path) -> None:
    # The case says the conversation is held in German, but the prospect writes English:
    # the agent follows them into English, so its replies are not in the case's language.
    german = write(
        tmp_path,
        "german.yaml",
        HOT_PERSONA.replace("kind: persona", "language: de\n  kind: persona"),
    )
    below = qualify(
        str(german), "--today", "2026-11-24", "--min", "replies_in_language=0.9", cwd=tmp_path
    )
    assert below.returncode == 1
    assert "replies_in_language 0.0% < 90.0%" in below.stderr
    english = write(
        tmp_path,
        "english.yaml",
        HOT_PERSONA.replace("kind: persona", "language: en\n  kind: persona"),
    )
    met = qualify(
        str(english), "--today", "2026-11-24", "--min", "replies_in_language=1", cwd=tmp_path
    )
    assert met.returncode == 0, met.stderr


def test_cli_usage_errors_exit_2_without_a_traceback(tmp_path: Path) -> None:
    bad = write(
        tmp_path, "bad.yaml", "- {id: a, kind: persona, opening: hi, expect: {sgment: hot}}"
    )
    broken = qualify("bad.yaml", cwd=tmp_path)
    assert broken.returncode == 2
    assert "bad.yaml: case 'a': expect.sgment" in broken.stderr
    missing = qualify("nope.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.yaml: no such file or folder" in missing.stderr
    good = write(tmp_path, "good.yaml", HOT_PERSONA)
    date = qualify(str(good), "--today", "24/11/2026", cwd=tmp_path)
    assert date.returncode == 2 and "--today" in date.stderr
    simulator = qualify(str(good), "--simulator", "llm", cwd=tmp_path)
    assert simulator.returncode == 2 and "needs a real model" in simulator.stderr
    model = qualify(str(good), "--model", "gemini:pro", cwd=tmp_path)
    assert model.returncode == 2 and "unknown model" in model.stderr
    mixed = qualify(str(good), "--compare", "offline", str(bad), cwd=tmp_path)
    assert mixed.returncode == 2 and "--compare" in mixed.stderr
    for run in (broken, missing, date, simulator, model, mixed):
        assert "Traceback" not in run.stderr
    assert bad.exists()


def test_cli_compare_prompt_versions(tmp_path: Path) -> None:
    for version in ("v1", "v2"):
        shutil.copytree(default_prompts_path(), tmp_path / version)
    messages = tmp_path / "v2" / "messages.yaml"
    messages.write_text(
        messages.read_text(encoding="utf-8").replace("Hi!", "Hello!"), encoding="utf-8"
    )
    cases = write(tmp_path, "cases.yaml", HOT_PERSONA)
    done = qualify(
        str(cases),
        "--today",
        "2026-11-24",
        "--compare",
        "v1",
        "v2",
        "--report",
        "cmp",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Comparison of prompts" in done.stdout and "Flipped cases: 0" in done.stdout
    data = json.loads((tmp_path / "cmp" / "report.json").read_text(encoding="utf-8"))
    assert data["a"]["info"]["prompt_version"].startswith("v1@")
    assert data["b"]["info"]["prompt_version"].startswith("v2@")
    assert data["flips"] == []


def test_cli_gate_on_the_shipped_dataset(tmp_path: Path) -> None:
    gate = qualify(
        str(DATASETS),
        "--today",
        "2026-11-24",
        "--min-field-accuracy",
        "0.9",
        "--min-segment-accuracy",
        "0.9",
        cwd=tmp_path,
    )
    assert gate.returncode == 0, gate.stdout[-3000:] + gate.stderr
    assert re.search(r"run time\s+│\s+\d+\.\d\d s", gate.stdout)


def test_cli_runs_a_gates_file_in_worker_processes(tmp_path: Path) -> None:
    write(tmp_path, "sets/hot.yaml", HOT_PERSONA)
    write(tmp_path, "sets/wrong.yaml", HOT_PERSONA.replace("segment: hot", "segment: cold"))
    write(
        tmp_path,
        "sets/german.yaml",
        HOT_PERSONA.replace("kind: persona", "language: de\n  kind: persona"),
    )
    gates = write(
        tmp_path,
        "gates.yaml",
        """
- path: sets/hot.yaml
  today: 2026-11-24
  min_field_accuracy: 0.9
  min_segment_accuracy: 0.9
  min: {handoff_recall: 1.0}
- path: sets/wrong.yaml
  today: 2026-11-24
  min_segment_accuracy: 0.9
- path: sets/german.yaml
  today: 2026-11-24
  min: {replies_in_language: 0.9}
- path: ../kept-elsewhere.yaml
  today: 2026-11-24
  optional: true
  min_field_accuracy: 0.9
""",
    )
    run = qualify("--gates", str(gates), "--jobs", "2", cwd=tmp_path)
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr
    lines = [line for line in run.stdout.splitlines() if line[:4] in {"PASS", "FAIL", "SKIP"}]
    assert [line.split()[:2] for line in lines] == [
        ["PASS", "sets/hot.yaml"],
        ["FAIL", "sets/wrong.yaml"],
        ["FAIL", "sets/german.yaml"],
        ["SKIP", "../kept-elsewhere.yaml:"],
    ]
    assert "1/1 cases, field 100.0%, segment 100.0%" in lines[0]
    assert lines[1].endswith("below: segment accuracy 0.0% < 90.0%")
    assert "replies_in_language 0.0% < 90.0%" in lines[2]
    # A set below a threshold shows its failing case; a set that meets them does not.
    assert run.stdout.count("FAIL hot-persona") == 2
    assert "1/3 gates met" in run.stdout
    assert "below threshold: sets/wrong.yaml, sets/german.yaml" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- path: sets\n  today: 2026-11-24\n  min: {charm: 0.5}\n", "gate 1: min: unknown charm"),
        ("- path: sets\n  today: someday\n", "gate 1: today: Input should be a valid date"),
        ("- path: sets\n  today: 2026-11-24\n  min_field: 0.9\n", "gate 1: min_field: Extra"),
        ("- path: sets\n  today: 2026-11-24\n  min_field_accuracy: 1.5\n", "less than or equal"),
        ("- path: nowhere.yaml\n  today: 2026-11-24\n", "no such case set: nowhere.yaml"),
        ("path: sets\n", "expected a list of gates"),
        ("- [unclosed\n", "is not valid YAML"),
    ],
)
def test_cli_gates_file_errors_are_clear(tmp_path: Path, text: str, error: str) -> None:
    write(tmp_path, "sets/hot.yaml", HOT_PERSONA)
    gates = write(tmp_path, "gates.yaml", text)
    run = qualify("--gates", str(gates), cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert error in run.stderr and "Traceback" not in run.stderr
    assert "PASS" not in run.stdout


def test_cli_gates_check_every_case_file_before_running_any(tmp_path: Path) -> None:
    write(tmp_path, "sets/hot.yaml", HOT_PERSONA)
    write(
        tmp_path, "sets/bad.yaml", HOT_PERSONA.replace("kind: persona", "kind: persona\n  mood: 3")
    )
    gates = write(
        tmp_path,
        "gates.yaml",
        "- path: sets/hot.yaml\n  today: 2026-11-24\n- path: sets/bad.yaml\n  today: 2026-11-24\n",
    )
    run = qualify("--gates", str(gates), "--jobs", "2", cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "case 'hot-persona': mood: Extra inputs are not permitted" in run.stderr
    assert "PASS" not in run.stdout and "Traceback" not in run.stderr


def test_cli_gates_take_their_thresholds_from_the_file_only(tmp_path: Path) -> None:
    gates = write(tmp_path, "gates.yaml", "- path: sets\n  today: 2026-11-24\n")
    mixed = qualify("--gates", str(gates), "--min-field-accuracy", "0.9", cwd=tmp_path)
    assert mixed.returncode == 2 and "thresholds come from the gates file" in mixed.stderr
    paths = qualify("--gates", str(gates), "cases.yaml", cwd=tmp_path)
    assert paths.returncode == 2 and "--gates takes no case paths" in paths.stderr


def test_the_shipped_gates_name_every_blind_set_but_the_newest() -> None:
    root = Path(__file__).resolve().parent.parent
    gates = load_gates(root / "evals" / "gates.yaml")
    listed = {gate.path for gate in gates}
    assert all((root / path).exists() for path in listed if not str(path).startswith(".."))
    assert Path("evals/datasets") in listed and Path("evals/dev") in listed
    blind = root / "evals" / "blind"
    english = sorted(blind.glob("set*"), key=lambda p: int(p.name[3:]))
    translated = sorted(blind.glob("i18n*"), key=lambda p: int(p.name[4:]))
    for folder in english[:-1] if len(english) > 8 else english:
        assert folder.relative_to(root) in listed, folder.name
    for folder in translated[:-1]:
        for language in ("de", "es", "fr", "pt"):
            assert (folder / f"{language}.yaml").relative_to(root) in listed, folder.name
    newest = translated[-1]
    assert not any(newest.name in str(path) for path in listed), "the newest blind set is gated"
    assert "--gates evals/gates.yaml" in (root / ".ci" / "run").read_text(encoding="utf-8")


def test_a_case_in_a_language_checks_every_reply_is_in_it() -> None:
    replies = [
        "Verstanden, Sie möchten die Kundenabwanderung besser verstehen.",
        "Haben Sie dafür ein Budget im Kopf, grob pro Jahr?",
        "Thanks — noted: you're the CTO. When are you hoping to have something in place?",
        "👍",
    ]
    found = reply_languages(replies, ("en", "de", "es", "fr", "pt"))
    assert found == ["de", "de", "en", None]
    checks = check_case(Expect(), None, None, replies, language="de", reply_languages=found)
    [check] = checks
    assert check.key == "reply_language" and not check.ok
    assert str(check.got).startswith('en: "Thanks')
    [ok] = check_case(Expect(), None, None, replies[:2], language="de", reply_languages=found[:2])
    assert ok.ok and ok.got == "ok"


async def test_replies_are_counted_in_the_language_a_case_names(
    tmp_path: Path, target: Target
) -> None:
    text = (
        "- id: german\n  kind: transcript\n  language: de\n"
        "  turns: ['Wir wollen verstehen, warum Kunden kündigen', Ich bin die Geschäftsführerin]\n"
        "- id: english\n  kind: transcript\n  turns: [We need funnels]\n"
    )
    run = await run_cases(load_cases([write(tmp_path, "c.yaml", text)]), target, today=TODAY)
    german, english = run.cases
    assert german.language == "de" and len(german.reply_languages) == 2
    assert [check.key for check in german.checks] == ["reply_language"]
    assert english.reply_languages == [] and english.checks == []
    metrics = compute_metrics(run)
    spoken = metrics.replies_in_language
    assert spoken.total == 2
    assert spoken.correct == sum(1 for found in german.reply_languages if found in (None, "de"))
