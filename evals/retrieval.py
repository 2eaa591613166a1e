"""Retrieval eval: does the knowledge base find the right document for real questions?

A case file (YAML, see ``evals/retrieval/beacon.yaml``) names a folder of documents, the
question -> expected-document pairs and, optionally, questions the documents cannot
answer. The documents are ingested into a temporary embedded Chroma store with the same
chunking, embedding model and retriever the agent uses; each question's nearest chunks are
ranked by document. Reported: recall@3 (an expected document among the first three
documents), MRR (mean of 1/rank of the first expected document; 0 when not found in the
first ``depth`` chunks) and, for unanswerable questions, how many still got a passage at or
above the similarity threshold (the agent would answer instead of saying it's not sure).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rich.console import Console
from rich.table import Table

from agent.knowledge import Passage

DEFAULT_FOLDER = Path(__file__).resolve().parent / "retrieval"
DEPTH = 20
"""Chunks fetched per question to rank documents."""


class RetrievalSetError(ValueError):
    """A retrieval case file that cannot be used."""


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str = Field(min_length=1)
    expected: tuple[str, ...] = Field(min_length=1)

    @field_validator("expected", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class RetrievalSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    docs: Path
    cases: tuple[RetrievalCase, ...] = Field(min_length=1)
    unanswerable: tuple[str, ...] = ()
    min_recall_at_3: float | None = Field(default=None, ge=0.0, le=1.0)
    source: str = ""


@dataclass(frozen=True, slots=True)
class CaseResult:
    question: str
    expected: tuple[str, ...]
    ranked: tuple[str, ...]
    """Documents in the order their best chunk ranked."""
    top: Passage | None

    @property
    def rank(self) -> int | None:
        """1-based rank of the first expected document; None when it was not retrieved."""
        for index, source in enumerate(self.ranked, start=1):
            if source in self.expected:
                return index
        return None

    def hit(self, k: int) -> bool:
        rank = self.rank
        return rank is not None and rank <= k


@dataclass(frozen=True, slots=True)
class RetrievalReport:
    source: str
    docs: Path
    documents: int
    chunks: int
    cases: tuple[CaseResult, ...]
    unanswerable: tuple[tuple[str, Passage | None], ...]
    min_score: float
    seconds: float
    min_recall_at_3: float | None = None

    def recall_at(self, k: int) -> float:
        return sum(case.hit(k) for case in self.cases) / len(self.cases)

    @property
    def recall_at_3(self) -> float:
        return self.recall_at(3)

    @property
    def mrr(self) -> float:
        return sum(1 / case.rank for case in self.cases if case.rank) / len(self.cases)

    @property
    def answered_anyway(self) -> list[tuple[str, Passage]]:
        """Unanswerable questions that still got a passage above the threshold."""
        return [
            (question, top)
            for question, top in self.unanswerable
            if top is not None and top.score >= self.min_score
        ]

    @property
    def passed(self) -> bool:
        return self.min_recall_at_3 is None or self.recall_at_3 >= self.min_recall_at_3


def retrieval_files(paths: Sequence[Path]) -> list[Path]:
    """The YAML files among ``paths`` (folders searched); the shipped set when none."""
    files: list[Path] = []
    for path in paths or [DEFAULT_FOLDER]:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        elif path.is_file():
            files.append(path)
        else:
            raise RetrievalSetError(f"{path} does not exist")
    if not files:
        raise RetrievalSetError("no retrieval case files (.yaml) found")
    return files


def load_retrieval_set(path: Path) -> RetrievalSet:
    """A case file; ``docs`` is resolved relative to the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RetrievalSetError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise RetrievalSetError(f"{path}: must be a mapping with docs and cases")
    try:
        loaded = RetrievalSet.model_validate({**data, "source": str(path)})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RetrievalSetError(f"{path}: {where}: {first['msg']}") from exc
    docs = loaded.docs if loaded.docs.is_absolute() else (path.parent / loaded.docs).resolve()
    return loaded.model_copy(update={"docs": docs})


def run_retrieval_eval(
    cases: RetrievalSet, *, min_score: float, depth: int = DEPTH
) -> RetrievalReport:
    """Ingest ``cases.docs`` into a temporary store and rank documents for every question."""
    from knowledge.ingest import KnowledgeError, ingest, load_documents
    from knowledge.retriever import ChromaRetriever
    from knowledge.store import chroma_client, create_collection

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="qualify-retrieval-") as folder:
        try:
            documents = load_documents(cases.docs)
        except KnowledgeError as exc:
            raise RetrievalSetError(f"{cases.source}: docs: {exc}") from exc
        known = {document.source for document in documents}
        unknown = sorted({name for case in cases.cases for name in case.expected} - known)
        if unknown:
            raise RetrievalSetError(
                f"{cases.source}: expected document(s) not in {cases.docs}: {', '.join(unknown)}"
            )
        client = chroma_client(data_dir=Path(folder))
        collection = create_collection(client, "retrieval-eval")
        ingested = ingest(collection, documents)
        retriever = ChromaRetriever(collection, top_k=depth, min_score=min_score)
        questions = [case.question for case in cases.cases]
        found = retriever.search([*questions, *cases.unanswerable], depth)
        results = tuple(
            CaseResult(
                question=case.question,
                expected=case.expected,
                ranked=tuple(dict.fromkeys(passage.source for passage in passages)),
                top=max(passages, key=lambda passage: passage.score) if passages else None,
            )
            for case, passages in zip(cases.cases, found, strict=False)
        )
        unanswerable = tuple(
            (question, max(passages, key=lambda passage: passage.score) if passages else None)
            for question, passages in zip(cases.unanswerable, found[len(questions) :], strict=True)
        )
        client.clear_system_cache()
    return RetrievalReport(
        source=cases.source,
        docs=cases.docs,
        documents=ingested.documents,
        chunks=ingested.chunks,
        cases=results,
        unanswerable=unanswerable,
        min_score=min_score,
        seconds=time.perf_counter() - started,
        min_recall_at_3=cases.min_recall_at_3,
    )


def report_table(report: RetrievalReport) -> Table:
    """The report's figures, for the terminal."""
    table = Table(title=f"Retrieval: {report.source}", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    answerable = len(report.cases)
    confident = sum(
        1 for case in report.cases if case.top is not None and case.top.score >= report.min_score
    )
    table.add_row("questions", str(answerable))
    table.add_row("documents / chunks", f"{report.documents} / {report.chunks}")
    table.add_row("recall@1", f"{report.recall_at(1):.3f}")
    table.add_row("recall@3", f"{report.recall_at_3:.3f}")
    table.add_row("MRR", f"{report.mrr:.3f}")
    table.add_row(f"answerable with a passage ≥ {report.min_score:g}", f"{confident}/{answerable}")
    if report.unanswerable:
        table.add_row(
            f"unanswerable with a passage ≥ {report.min_score:g}",
            f"{len(report.answered_anyway)}/{len(report.unanswerable)}",
        )
    table.add_row("seconds", f"{report.seconds:.1f}")
    return table


def misses(report: RetrievalReport, k: int = 3) -> list[str]:
    """One line per question whose expected document was not in the first ``k``."""
    lines = []
    for case in report.cases:
        if not case.hit(k):
            got = ", ".join(case.ranked[:k]) or "nothing"
            lines.append(f"MISS {case.question!r}: expected {', '.join(case.expected)}; got {got}")
    for question, top in report.answered_anyway:
        lines.append(f"ANSWERED {question!r}: {top.title} ({top.score:.2f}) passes the threshold")
    return lines


def retrieval_command(paths: Sequence[Path], *, min_score: float, console: Console) -> bool:
    """Run and print every case file; True when each meets its ``min_recall_at_3``.

    Raises RetrievalSetError for files or documents that cannot be used.
    """
    passed = True
    for file in retrieval_files(paths):
        report = run_retrieval_eval(load_retrieval_set(file), min_score=min_score)
        console.print(report_table(report))
        for line in misses(report):
            console.print(line, highlight=False, markup=False)
        console.print(
            f"recall@3 {report.recall_at_3:.3f}, MRR {report.mrr:.3f} over "
            f"{len(report.cases)} questions",
            highlight=False,
        )
        if not report.passed:
            passed = False
            console.print(
                f"below threshold: recall@3 {report.recall_at_3:.3f} < {report.min_recall_at_3}",
                highlight=False,
            )
    return passed
