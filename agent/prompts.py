"""Prompt templates: files in a versioned folder (``prompts/v1/system.md``, ...).

Templates are Jinja2 with StrictUndefined, so a variable the caller forgot is an error, not
an empty string. The version recorded on every stored turn is the folder name plus a hash
of the folder's contents, so an edited prompt never passes for the old one.
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

    def catalogue(self, name: str) -> dict[str, Any]:
        """A YAML file of fixed messages, loaded once."""
        if name not in self._catalogues:
            path = self.folder / name
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise PromptError(f"no message catalogue {path}") from exc
            except yaml.YAMLError as exc:
                raise PromptError(f"{path}: not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise PromptError(f"{path}: must be a mapping of message names to texts")
            self._catalogues[name] = data
        return self._catalogues[name]

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

    def message(self, key: str, /, **variables: Any) -> str:
        """A fixed message from ``messages.yaml``, with its named variables filled in."""
        texts = self.catalogue("messages.yaml")
        if key not in texts:
            raise PromptError(f"{self.folder / 'messages.yaml'} has no message {key!r}")
        try:
            return self.render_string(str(texts[key]), **variables)
        except PromptError as exc:
            raise PromptError(f"message {key!r} in {self.folder / 'messages.yaml'}: {exc}") from exc
