"""Score decay: points lost while a prospect is silent, applied by rescoring for a date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from agent.engine import Engine
from agent.errors import PlaybookError
from agent.events import Subscriptions
from agent.playbook import Playbook, parse_playbook
from agent.rescoring import rescore_all
from agent.resources import default_playbook_path
from agent.scoring import score
from agent.sql_store import SQLStore
from tests.builders import make_profile
from tests.conftest import EngineFactory
from tests.test_cli import run
from tests.test_events import HOT_LEAD

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_each_decay_step_reached_takes_its_points(playbook: Playbook) -> None:
    profile = make_profile(annual_usd=60000, level="decision_maker", fit="strong", months=2)
    plain = score(profile, playbook).total
    assert score(profile, playbook, idle_days=29).total == plain
    at_30 = score(profile, playbook, idle_days=30)
    assert at_30.total == plain - 15
    assert at_30.items[-1].rule == "idle_30_days"
    assert at_30.explain()[-1] == "-15 No message for 30 days"
    at_90 = score(profile, playbook, idle_days=90)
    assert at_90.total == plain - 30
    assert [item.rule for item in at_90.items[-2:]] == ["idle_30_days", "idle_90_days"]
    assert sum(item.points for item in at_90.items) == at_90.total


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        ("{id: later, label: x, after_days: 30, points: 5}", "less than or equal to 0"),
        ("{id: later, label: x, after_days: 0, points: -5}", "greater than or equal to 1"),
        ("{id: budget_50k_plus, label: x, after_days: 9, points: -5}", "used twice"),
    ],
)
def test_decay_mistakes_are_reported(step: str, problem: str) -> None:
    text = default_playbook_path().read_text(encoding="utf-8")
    start = text.index("  decay:\n")
    end = text.index("  bands:\n")
    broken = text[:start] + f"  decay:\n    - {step}\n" + text[end:]
    with pytest.raises(PlaybookError, match=problem):
        parse_playbook(broken, "book.yaml")


async def hot_lead(make_engine: EngineFactory) -> tuple[Engine, str]:
    engine = await make_engine(subscriptions=Subscriptions({"crm": ["lead.segment_changed"]}))
    conversation, _ = await engine.start()
    for text in HOT_LEAD[:3]:
        await engine.turn(conversation.id, text)
    found = await engine.get(conversation.id)
    assert (found.score, found.segment) == (80, "hot")
    return engine, conversation.id


async def test_rescoring_for_a_date_applies_decay_and_emits_segment_changed(
    make_engine: EngineFactory, store: SQLStore, playbook: Playbook
) -> None:
    engine, lead = await hot_lead(make_engine)
    subscriptions = engine.subscriptions
    before = len(await store.lead_events(lead))

    early = await rescore_all(
        store, playbook, on=date(2026, 12, 23), subscriptions=subscriptions, now=NOW
    )
    assert early.changes == [] and early.events == 0  # 29 days: nothing yet

    preview = await rescore_all(
        store, playbook, on=date(2026, 12, 24), write=False, subscriptions=subscriptions, now=NOW
    )
    (change,) = preview.moved
    assert (change.old_segment, change.new_segment) == ("hot", "warm")
    assert (change.old_score, change.new_score, change.decay) == (80, 65, -15)
    assert change.idle_days == 30
    assert change.follow_up == "nurture:roi"
    assert (await store.get_conversation(lead)).score == 80  # type: ignore[union-attr]
    assert len(await store.lead_events(lead)) == before  # a dry run writes nothing

    done = await rescore_all(
        store, playbook, on=date(2026, 12, 24), subscriptions=subscriptions, now=NOW
    )
    assert [c.conversation_id for c in done.moved] == [lead]
    stored = await engine.get(lead)
    assert (stored.score, stored.segment, stored.scored_on) == (65, "warm", date(2026, 12, 24))
    assert stored.updated_at == NOW  # the lead changed: its updated_at says when
    assert stored.follow_up == {"action": "nurture", "list": "roi", "reason": "segment warm"}
    events = (await store.lead_events(lead))[before:]
    assert [e.type for e in events] == ["lead.updated", "lead.segment_changed"]
    assert events[1].data == {"old_segment": "hot", "new_segment": "warm", "cause": "decay"}
    assert events[1].lead["score"] == 65
    deliveries = await store.list_deliveries(status="pending", conversation_id=lead)
    assert deliveries[0].event_id == events[1].id  # only segment changes go to "crm"
    # The dashboard's breakdown explains the stored score, decay included.
    breakdown, seg = engine.evaluate_conversation(stored)
    assert (breakdown.total, seg.name) == (65, "warm")
    assert breakdown.items[-1].label == "No message for 30 days"

    again = await rescore_all(
        store, playbook, on=date(2026, 12, 24), subscriptions=subscriptions, now=NOW
    )
    assert again.changes == [] and again.events == 0  # the same date gives the same result

    later = await rescore_all(
        store, playbook, on=date(2027, 2, 22), subscriptions=subscriptions, now=NOW
    )
    assert [(c.new_score, c.new_segment) for c in later.changes] == [(50, "warm")]


async def test_a_new_message_ends_the_decay(
    make_engine: EngineFactory, store: SQLStore, playbook: Playbook
) -> None:
    engine, lead = await hot_lead(make_engine)
    await rescore_all(store, playbook, on=date(2026, 12, 30), now=NOW)
    assert (await engine.get(lead)).segment == "warm"
    result = await engine.turn(lead, "Sorry for the silence, we're still keen")
    assert (result.score.total, result.segment.name) == (80, "hot")
    stored = await engine.get(lead)
    assert stored.scored_on is None
    assert stored.segment == "hot"


async def test_rescore_command_for_a_date(tmp_path: Path, playbook: Playbook) -> None:
    from agent.config import Settings
    from agent.runtime import build_engine

    engine = build_engine(Settings(data_dir=tmp_path, knowledge=False))
    engine.clock = lambda: datetime(2026, 11, 24, 9, tzinfo=UTC)
    await engine.store.init()
    conversation, _ = await engine.start()
    for text in HOT_LEAD[:3]:
        await engine.turn(conversation.id, text)
    await engine.store.close()

    preview = run("rescore", "--date", "2026-12-24", "--dry-run", data_dir=tmp_path)
    assert preview.returncode == 0, preview.stderr
    assert f"{conversation.id}  hot (80) → warm (65, decay -15); follow-up nurture:roi" in (
        preview.stdout
    )
    assert "1 leads checked as of 2026-12-24; 1 would change segment" in preview.stdout

    done = run("rescore", "--date", "2026-12-24", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 changed segment" in done.stdout and "2 events written" in done.stdout
    assert "0 changed segment" in run("rescore", "--date", "2026-12-24", data_dir=tmp_path).stdout

    wrong = run("rescore", "--date", "24/12/2026", data_dir=tmp_path)
    assert wrong.returncode == 1
    assert "--date '24/12/2026' is not a date; use YYYY-MM-DD" in wrong.stderr
    assert "Traceback" not in wrong.stderr
