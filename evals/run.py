"""Run eval cases through the real engine, concurrently, each in its own conversation.

One run uses one temporary SQLite store and one engine; every case is a conversation of
its own, started on the run's fixed date so relative timelines are reproducible.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from agent.config import Settings
from agent.engine import Engine, TurnResult
from agent.language_detectors import EnsembleDetector
from agent.llm import build_offline_model
from agent.playbook import Playbook, load_playbook
from agent.prompts import PromptSet
from agent.runtime import build_engine
from agent.segments import DISQUALIFIED
from agent.sql_store import SQLStore
from evals.cases import PersonaCase, TranscriptCase, check_segments
from evals.results import CaseResult, Observed, RunInfo, RunResult, Turn
from evals.simulator import LookupSimulator, Simulator

EXTRA_PERSONA_MESSAGES = 4
"""A persona may send this many messages beyond ``max_turns`` before it stops answering."""

EvalCase = PersonaCase | TranscriptCase
ProgressCallback = Callable[[CaseResult], None]


@dataclass(frozen=True)
class Target:
    """What is evaluated: a playbook, a prompt version and a model."""

    settings: Settings
    playbook: Playbook
    prompts: PromptSet
    model: BaseChatModel | None = None
    """A chat model object to use instead of the one ``settings.model`` names."""
    model_name: str | None = None
    label: str = ""

    @classmethod
    def from_settings(cls, settings: Settings, label: str = "") -> Target:
        """Load the playbook and prompts the settings name (raises QualifyError)."""
        return cls(
            settings=settings,
            playbook=load_playbook(settings.playbook),
            prompts=PromptSet(settings.prompts),
            label=label,
        )

    @property
    def name(self) -> str:
        return self.model_name or self.settings.model

    def segments(self) -> list[str]:
        return [band.name for band in self.playbook.scoring.bands] + [DISQUALIFIED]

    def engine(self, store: SQLStore) -> Engine:
        if self.model is None:
            return build_engine(
                self.settings, store=store, playbook=self.playbook, prompts=self.prompts
            )
        return Engine(
            store=store,
            model=self.model,
            playbook=self.playbook,
            prompts=self.prompts,
            model_name=self.name,
            fallback_model=build_offline_model(self.playbook, self.prompts),
            history_messages=self.settings.history_turns,
            max_message_chars=self.settings.max_message_chars,
        )


async def run_cases(
    cases: Sequence[EvalCase],
    target: Target,
    *,
    today: date,
    concurrency: int = 4,
    simulator: Simulator | None = None,
    progress: ProgressCallback | None = None,
    case_files: Sequence[str] = (),
) -> RunResult:
    """Run every case against ``target``; results come back in the order of ``cases``."""
    check_segments(cases, target.segments())
    simulator = simulator or LookupSimulator()
    started_at = datetime.now(UTC)
    clock = time.perf_counter()
    limit = asyncio.Semaphore(max(1, concurrency))
    with tempfile.TemporaryDirectory(prefix="qualify-eval-") as folder:
        store = SQLStore(f"sqlite+aiosqlite:///{Path(folder) / 'eval.db'}")
        await store.init()
        try:
            engine = target.engine(store)

            async def one(case: EvalCase) -> CaseResult:
                async with limit:
                    result = await run_case(engine, case, today=today, simulator=simulator)
                if progress is not None:
                    progress(result)
                return result

            results = await asyncio.gather(*(one(case) for case in cases))
        finally:
            await store.close()
    info = RunInfo(
        label=target.label,
        prompt_version=target.prompts.version,
        playbook_version=target.playbook.version,
        model=target.name,
        today=today,
        simulator=simulator.name,
        concurrency=max(1, concurrency),
        segments=target.segments(),
        started_at=started_at,
        seconds=round(time.perf_counter() - clock, 3),
        case_files=list(case_files),
    )
    return RunResult(info=info, cases=list(results))


async def run_case(
    engine: Engine, case: EvalCase, *, today: date, simulator: Simulator
) -> CaseResult:
    """One case as one conversation; an error ends the case and is recorded on it.

    A persona answers every question the agent asks, also after a handoff is due (the
    agent then asks for contact details, then for what is still unknown), until the agent
    stops asking or the persona has sent ``max_turns`` + ``EXTRA_PERSONA_MESSAGES``
    messages (the number of playbook questions stands in for ``max_turns`` when the case
    gives none). A transcript sends all its turns.

    ``turns_to_qualify`` is the number of prospect messages until the agent had what it
    needs: the first reply that asks nothing more or with which a handoff became due
    (None if neither happened). Messages after that do not count towards it.
    """
    conversation, greeting = await engine.start(channel="eval", today=today)
    outcome = CaseResult(
        id=case.id,
        kind=case.kind,
        description=case.description,
        source=case.source,
        expect=case.expect,
        transcript=[Turn(role="agent", text=greeting.text)],
    )
    transcript = outcome.transcript
    cap = (case.expect.max_turns or len(engine.playbook.questions)) + EXTRA_PERSONA_MESSAGES
    asked: Counter[str] = Counter()
    last: TurnResult | None = None
    text: str | None = case.opening if isinstance(case, PersonaCase) else case.turns[0]
    try:
        while text is not None:
            last = await engine.turn(conversation.id, text)
            outcome.prospect_messages += 1
            reason = last.handoff.reason if last.handoff else None
            transcript.append(Turn(role="prospect", text=text))
            transcript.append(
                Turn(role="agent", text=last.reply, asking=last.asking, handoff=reason)
            )
            qualified = last.asking is None or last.handoff is not None
            if qualified and outcome.turns_to_qualify is None:
                outcome.turns_to_qualify = outcome.prospect_messages
            if isinstance(case, TranscriptCase):
                count = outcome.prospect_messages
                text = case.turns[count] if count < len(case.turns) else None
            elif last.asking is None or outcome.prospect_messages >= cap:
                text = None
            else:
                asked[str(last.asking)] += 1
                text = await simulator.reply(case, last.asking, asked[str(last.asking)], transcript)
    except Exception as exc:  # the case fails; the run goes on
        outcome.error = f"{type(exc).__name__}: {exc}"
    stored = await engine.get(conversation.id)
    outcome.model_calls = stored.model_calls
    outcome.input_tokens = stored.input_tokens
    outcome.output_tokens = stored.output_tokens
    if case.language is not None:
        outcome.language = case.language
        outcome.reply_languages = reply_languages(outcome.replies, engine.playbook.languages)
    if last is not None:
        outcome.score = last.score.total
        outcome.observed = Observed.from_profile(
            last.profile, segment=last.segment.name, handoff=stored.handoff_at is not None
        )
    return outcome


def reply_languages(replies: Sequence[str], languages: Sequence[str]) -> list[str | None]:
    """The language each reply reads as, among the playbook's (and English), or None when
    a reply has no telling words."""
    candidates = tuple(dict.fromkeys(("en", *languages)))
    detector = EnsembleDetector()
    return [detector.guess(reply, candidates).language for reply in replies]
