"""Eval cases: simulated prospects (personas) and fixed transcripts, loaded from YAML.

A case file holds a list of cases. Every problem in a file is reported with the file, the
case id (or its position when it has none) and the field, so a broken dataset says exactly
where it is broken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from agent.models import (
    AuthorityLevel,
    BudgetStatus,
    Disqualifier,
    FieldName,
    Industry,
    NeedFit,
)

CASE_SUFFIXES = (".yaml", ".yml")
DEFAULT_FALLBACK = "not sure"


class CaseFileError(Exception):
    """A case file or path that cannot be used; the message names file, case and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReplyExpect(_Strict):
    """What the agent's replies, all of them together, must and must not say
    (case-insensitive substrings)."""

    must_include: tuple[str, ...] = ()
    must_not_include: tuple[str, ...] = ()


class Expect(_Strict):
    """What the conversation should end with. Only the keys given are checked.

    A key given as ``null`` expects the fact to be absent (e.g. ``disqualifier: null``).
    ``replies`` and ``never_repeats`` check what the agent said rather than what it recorded.
    """

    budget_annual_usd: float | None = Field(default=None, ge=0)
    budget_status: BudgetStatus | None = None
    authority_level: AuthorityLevel | None = None
    need_fit: NeedFit | None = None
    timeline_months: int | None = Field(default=None, ge=0)
    industry: Industry | None = None
    company_size: int | None = Field(default=None, ge=1)
    company_name: str | None = None
    email: str | None = None
    disqualifier: Disqualifier | None = None
    requested_human: bool | None = None
    segment: str | None = None
    handoff: bool | None = None
    max_turns: int | None = Field(default=None, ge=1)
    replies: ReplyExpect | None = None
    never_repeats: bool | None = None
    """True: no reply repeats the agent's previous reply word for word."""

    def given(self) -> list[str]:
        """The keys this expectation checks, in declaration order."""
        return [name for name in type(self).model_fields if name in self.model_fields_set]


class _CaseBase(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    expect: Expect = Field(default_factory=Expect)
    source: str = ""
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    """The language the conversation is held in (ISO 639-1, e.g. ``de``)."""


class PersonaCase(_CaseBase):
    """A simulated prospect who answers whatever field the agent says it is asking about."""

    kind: Literal["persona"]
    opening: str = Field(min_length=1)
    answers: dict[FieldName, str | list[str]] = Field(default_factory=dict)
    fallback: str = DEFAULT_FALLBACK

    @field_validator("answers")
    @classmethod
    def _no_empty_answer_lists(
        cls, value: dict[FieldName, str | list[str]]
    ) -> dict[FieldName, str | list[str]]:
        for name, answer in value.items():
            if isinstance(answer, list) and not answer:
                raise ValueError(f"answer list for {name!r} is empty")
        return value

    def answer(self, field: FieldName | None, times_asked: int) -> str:
        """The reply when the agent asks about ``field`` for the ``times_asked``-th time.

        An answer may be a list: the first item answers the first question about the field,
        the second the next one (a dodge, then an answer), the last item repeats.
        """
        if field is None or field not in self.answers:
            return self.fallback
        answer = self.answers[field]
        if isinstance(answer, str):
            return answer
        return answer[min(max(times_asked, 1), len(answer)) - 1]


class TranscriptCase(_CaseBase):
    """Fixed prospect messages, sent in order whatever the agent says."""

    kind: Literal["transcript"]
    turns: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


Case = Annotated[PersonaCase | TranscriptCase, Field(discriminator="kind")]
_CASE: TypeAdapter[PersonaCase | TranscriptCase] = TypeAdapter(Case)


def _location(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a field path; the union tag pydantic adds is dropped."""
    out = ""
    for part in loc:
        if part in ("persona", "transcript") and not out:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "<case>"


def _case_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return f"case {raw['id']!r}"
    return f"case #{index + 1}"


def parse_cases(text: str, source: str) -> list[PersonaCase | TranscriptCase]:
    """Parse a YAML list of cases; raise CaseFileError naming every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CaseFileError(f"{source}{where}: not valid YAML: {problem}") from exc
    if data is None:
        return []
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise CaseFileError(f"{source}: must be a list of cases, got {type(data).__name__}")
    cases: list[PersonaCase | TranscriptCase] = []
    problems: list[str] = []
    for index, raw in enumerate(data):
        label = _case_label(raw, index)
        if not isinstance(raw, dict):
            problems.append(f"{source}: {label}: must be a mapping, got {type(raw).__name__}")
            continue
        if raw.get("kind") not in ("persona", "transcript"):
            got = "missing" if "kind" not in raw else f"{raw['kind']!r} is not allowed"
            problems.append(f"{source}: {label}: kind: {got} (persona or transcript)")
            continue
        try:
            cases.append(_CASE.validate_python({**raw, "source": source}))
        except ValidationError as exc:
            for error in exc.errors():
                message = error["msg"].removeprefix("Value error, ")
                problems.append(f"{source}: {label}: {_location(error['loc'])}: {message}")
    if problems:
        raise CaseFileError("\n".join(problems))
    return cases


def case_files(paths: Sequence[Path | str]) -> list[Path]:
    """The YAML files named by ``paths``; a folder stands for every case file under it."""
    files: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            found = sorted(p for p in entry.rglob("*") if p.suffix in CASE_SUFFIXES)
            if not found:
                raise CaseFileError(f"{entry}: no case files (*.yaml, *.yml) in this folder")
            files.extend(found)
        elif entry.is_file():
            files.append(entry)
        else:
            raise CaseFileError(f"{entry}: no such file or folder")
    unique: dict[Path, None] = dict.fromkeys(path.resolve() for path in files)
    return [Path(path) for path in unique]


def load_cases(paths: Sequence[Path | str]) -> list[PersonaCase | TranscriptCase]:
    """Every case in ``paths`` (files or folders); case ids must be unique across them."""
    cases: list[PersonaCase | TranscriptCase] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in case_files(paths):
        source = _display(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(f"{source}: cannot read file: {exc.strerror or exc}")
            continue
        except UnicodeDecodeError:
            problems.append(f"{source}: not UTF-8 text")
            continue
        try:
            loaded = parse_cases(text, source)
        except CaseFileError as exc:
            problems.append(str(exc))
            continue
        for case in loaded:
            if case.id in seen:
                problems.append(
                    f"{source}: case {case.id!r}: id: duplicate, also in {seen[case.id]}"
                )
            seen.setdefault(case.id, source)
            cases.append(case)
    if problems:
        raise CaseFileError("\n".join(problems))
    if not cases:
        raise CaseFileError("no cases found in " + ", ".join(str(Path(p)) for p in paths))
    return cases


def check_segments(cases: Iterable[PersonaCase | TranscriptCase], segments: Sequence[str]) -> None:
    """Raise CaseFileError for any expected segment the playbook does not have."""
    problems = [
        f"{case.source}: case {case.id!r}: expect.segment: {case.expect.segment!r} is not one "
        f"of {', '.join(segments)}"
        for case in cases
        if case.expect.segment is not None and case.expect.segment not in segments
    ]
    if problems:
        raise CaseFileError("\n".join(problems))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
