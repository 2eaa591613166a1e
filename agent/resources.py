"""Where the shipped playbook and prompts live, in a checkout or in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / "_data" / name
    return inside if inside.is_dir() else _CHECKOUT / name


def default_playbook_path() -> Path:
    return _shipped("playbooks") / "beacon.yaml"


def default_prompts_path() -> Path:
    return _shipped("prompts") / "v1"
