"""The few English texts widget.js keeps for the moment before the server answers are the
ones in prompts/v1/widget.yaml, so a prospect reads the same words either way."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from agent.prompts import PromptSet
from tests.browser import WIDGET_JS

NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_widgets_english_fallback_matches_the_catalogue() -> None:
    source = WIDGET_JS.read_text(encoding="ascii")
    constants = re.search(r"  const CANT = .*?\n  const CHECK = .*?\n", source)
    fallback = re.search(r"  const EN = \{.*?\n  \};\n", source, re.S)
    assert constants is not None and fallback is not None
    program = constants[0] + fallback[0] + "process.stdout.write(JSON.stringify(EN));"
    assert NODE is not None
    out = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True)
    english = json.loads(out.stdout)
    catalogue = PromptSet(Path("prompts/v1")).catalogue("widget.yaml")
    assert english, "widget.js has no English fallback"
    for key, text in english.items():
        assert catalogue.get(key) == text, key
