"""Prompt templates: versioned folders, strict variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.errors import PromptError
from agent.prompts import PromptSet


def test_missing_variable_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "system.md").write_text("Hello {{ name }}, today is {{ today }}.")
    prompts = PromptSet(tmp_path)
    assert prompts.render("system.md", name="Ana", today="Monday") == "Hello Ana, today is Monday."
    with pytest.raises(PromptError, match="today"):
        prompts.render("system.md", name="Ana")


def test_missing_template_and_folder(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="no prompt"):
        PromptSet(tmp_path).render("nope.md")
    with pytest.raises(PromptError, match="does not exist"):
        PromptSet(tmp_path / "v9")


def test_version_is_folder_and_content_hash(tmp_path: Path) -> None:
    folder = tmp_path / "v2"
    folder.mkdir()
    (folder / "system.md").write_text("one")
    first = PromptSet(folder).version
    (folder / "system.md").write_text("two")
    second = PromptSet(folder).version
    assert first.startswith("v2@") and second.startswith("v2@")
    assert first != second


def test_messages_catalogue(tmp_path: Path, prompts: PromptSet) -> None:
    assert "Beacon" in prompts.message("greeting", company="Beacon")
    with pytest.raises(PromptError, match="company"):
        prompts.message("greeting")
    with pytest.raises(PromptError, match="no message"):
        prompts.message("does_not_exist")


def test_shipped_system_prompt_renders(prompts: PromptSet) -> None:
    text = prompts.render(
        "system.md",
        company={"name": "Beacon", "description": "Analytics.", "plans": []},
        in_scope=["funnels"],
        out_of_scope=["payroll"],
        competitors=["Mixpanel"],
        today="2026-11-24",
        language_name="German",
        state="<state>{}</state>",
    )
    assert "write your reply in German" in text
    assert "update_lead" in text
    assert "funnels" in text and "payroll" in text
    assert "score" in text  # it tells the model it cannot score
