"""Prompt templates: files in a versioned folder (``prompts/v1/system.md``, ...).

Templates are Jinja2 with StrictUndefined, so a variable the caller forgot is an error, not
an empty string. The version recorded on every stored turn is the folder name plus a hash
of the folder's contents, so an edited prompt never passes for the old one.

The message catalogues at the top of the folder (``messages.yaml``, ``offline.yaml``,
``widget.yaml``, and ``reps.yaml``: what sales reps read about a lead) are
in :data:`BASE_LANGUAGE`; a subfolder named for a language (``de/messages.yaml``) holds
the same catalogue in that language, with every key of the original
(:meth:`PromptSet.missing_texts` lists any that is not there).
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    UndefinedError,
)

from agent.errors import PromptError

BASE_LANGUAGE = "en"
"""The language of the catalogues at the top of a prompt folder."""
CATALOGUES = ("messages.yaml", "offline.yaml", "widget.yaml", "reps.yaml")
"""The catalogues every language of a prompt set has (of those its base language has)."""


class PromptSet:
    """One version of the prompts: a folder of templates and message catalogues."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise PromptError(f"prompt folder {self.folder} does not exist")
        self._env = Environment(
            loader=FileSystemLoader(self.folder),
            undefined=StrictUndefined,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
            # The version is fixed when first read: templates are not re-read while running.
            auto_reload=False,
        )

    @cached_property
    def version(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(self.folder).as_posix().encode())
                digest.update(path.read_bytes())
        return f"{self.folder.name}@{digest.hexdigest()[:12]}"

    def render(self, name: str, /, **variables: Any) -> str:
        """Render template ``name``; every variable it uses must be given."""
        try:
            template = self._env.get_template(name)
        except TemplateNotFound as exc:
            raise PromptError(f"no prompt {name!r} in {self.folder}") from exc
        try:
            return template.render(**variables).strip()
        except UndefinedError as exc:
            raise PromptError(f"prompt {self.folder / name}: {exc.message}") from exc

    def catalogue(self, name: str, language: str | None = None) -> dict[str, Any]:
        """A YAML file of fixed messages in ``language`` (the base language when None),
        loaded once."""
        relative = name if language in (None, BASE_LANGUAGE) else f"{language}/{name}"
        if relative not in self._catalogues:
            path = self.folder / relative
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise PromptError(f"no message catalogue {path}") from exc
            except yaml.YAMLError as exc:
                raise PromptError(f"{path}: not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise PromptError(f"{path}: must be a mapping of message names to texts")
            self._catalogues[relative] = data
        return self._catalogues[relative]

    @property
    def languages(self) -> tuple[str, ...]:
        """The base language and every language with a subfolder of catalogues."""
        found = sorted(
            path.name
            for path in self.folder.iterdir()
            if path.is_dir() and (path / CATALOGUES[0]).is_file()
        )
        return (BASE_LANGUAGE, *found)

    def missing_texts(self, language: str) -> list[str]:
        """What ``language``'s catalogues lack compared with the base ones, as
        ``de/messages.yaml: handoff_hot`` lines (a whole missing file as its path)."""
        if language == BASE_LANGUAGE:
            return []
        missing: list[str] = []
        for name in CATALOGUES:
            if not (self.folder / name).is_file():
                continue
            if not (self.folder / language / name).is_file():
                missing.append(f"{language}/{name}")
                continue
            wanted = _keys(self.catalogue(name))
            present = set(_keys(self.catalogue(name, language)))
            missing += [f"{language}/{name}: {key}" for key in wanted if key not in present]
        return missing

    @cached_property
    def _catalogues(self) -> dict[str, dict[str, Any]]:
        return {}

    def render_string(self, template: str, /, **variables: Any) -> str:
        """Render a template given as text (e.g. from a catalogue); compiled once."""
        compiled = self._compiled.get(template)
        if compiled is None:
            compiled = self._compiled[template] = self._env.from_string(template)
        try:
            return compiled.render(**variables).strip()
        except UndefinedError as exc:
            raise PromptError(f"template {template!r}: {exc.message}") from exc

    @cached_property
    def _compiled(self) -> dict[str, Template]:
        return {}

    def message(self, key: str, /, language: str | None = None, **variables: Any) -> str:
        """A fixed message from ``messages.yaml`` in ``language`` (the base language when
        None), with its named variables filled in."""
        texts = self.catalogue("messages.yaml", language)
        where = self.folder / ("" if language in (None, BASE_LANGUAGE) else str(language))
        if key not in texts:
            raise PromptError(f"{where / 'messages.yaml'} has no message {key!r}")
        try:
            return self.render_string(str(texts[key]), **variables)
        except PromptError as exc:
            raise PromptError(f"message {key!r} in {where / 'messages.yaml'}: {exc}") from exc


def _keys(catalogue: dict[str, Any], prefix: str = "") -> list[str]:
    """Every leaf key of a catalogue, nested ones as ``alone.budget_known``."""
    keys: list[str] = []
    for key, value in catalogue.items():
        path = f"{prefix}{key}"
        keys += _keys(value, f"{path}.") if isinstance(value, dict) else [path]
    return keys
