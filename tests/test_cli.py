"""The qualify command, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from agent.resources import default_playbook_path

QUALIFY = str(Path(sys.executable).parent / "qualify")


def run(
    *args: str, data_dir: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    # The terminal's locale is a language hint for `qualify chat`: the same for every run
    # unless a test sets it.
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("QUALIFY_") and k not in ("LC_ALL", "LC_MESSAGES")
    }
    environment.update(QUALIFY_DATA_DIR=str(data_dir), COLUMNS="200", NO_COLOR="1")
    environment.update({"LANG": "C.UTF-8", **env})
    return subprocess.run(
        [QUALIFY, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,  # a first start indexes the shipped documents in five languages
        check=False,
    )


def test_playbook_check_ok_and_broken(tmp_path: Path) -> None:
    ok = run("playbook", "check", str(default_playbook_path()), data_dir=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "ok" in ok.stdout and "15 scoring rules" in ok.stdout

    data = yaml.safe_load(default_playbook_path().read_text())
    data["scoring"]["rules"][0]["when"] = {"gte": "fifty"}
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data))
    bad = run("playbook", "check", str(broken), data_dir=tmp_path)
    assert bad.returncode == 1
    assert "broken.yaml" in bad.stderr
    assert "scoring.rules[0].when.gte" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_score_a_profile_file(tmp_path: Path) -> None:
    profile = {
        "budget": {
            "value": {"status": "known", "annual_usd": 60000},
            "evidence": {"message_id": "m1", "quote": "60k a year", "at": "2026-11-24T10:00:00Z"},
        },
        "authority": {
            "value": {"level": "decision_maker", "role": "CEO"},
            "evidence": {"message_id": "m2", "quote": "I'm the CEO", "at": "2026-11-24T10:01:00Z"},
        },
    }
    path = tmp_path / "lead.json"
    path.write_text(json.dumps(profile))
    result = run("score", str(path), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["total"] == 55
    assert payload["segment"] == "warm"
    assert [item["rule"] for item in payload["items"]] == ["budget_50k_plus", "decision_maker"]
    table = run("score", str(path), data_dir=tmp_path)
    assert "Score 55" in table.stdout and "I'm the CEO" in table.stdout


def test_score_rejects_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "lead.json"
    path.write_text('{"budget": {"value": {"status": "plenty"}}}')
    result = run("score", str(path), data_dir=tmp_path)
    assert result.returncode == 1
    assert "is not a lead profile" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("score", str(tmp_path / "none.json"), data_dir=tmp_path)
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_chat_then_rescore(tmp_path: Path) -> None:
    chat = run(
        "chat",
        "--show-state",
        "--today",
        "2026-11-24",
        data_dir=tmp_path,
        stdin="we need funnel analysis\nabout 30k a year\nI'm the head of growth\n",
    )
    assert chat.returncode == 0, chat.stderr
    assert "agent>" in chat.stdout
    assert "Bye." in chat.stdout
    assert "Lead profile" in chat.stdout
    assert "Score 70" in chat.stdout  # 20 budget + 25 fit + 25 authority
    assert (tmp_path / "qualify.db").exists()

    data = yaml.safe_load(default_playbook_path().read_text())
    data["scoring"]["bands"][0]["min_score"] = 70
    data["scoring"]["bands"][1]["min_score"] = 40
    stricter = tmp_path / "generous.yaml"
    stricter.write_text(yaml.safe_dump(data))
    dry = run("rescore", "--dry-run", "--playbook", str(stricter), data_dir=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "warm (70) → hot (70)" in dry.stdout
    assert "would change" in dry.stdout
    real = run("rescore", "--playbook", str(stricter), data_dir=tmp_path)
    assert "1 changed segment" in real.stdout
    again = run("rescore", "--playbook", str(stricter), data_dir=tmp_path)
    assert "0 changed segment" in again.stdout


def test_chat_with_bad_model_setting_fails_clearly(tmp_path: Path) -> None:
    result = run("chat", data_dir=tmp_path, QUALIFY_MODEL="gemini:pro")
    assert result.returncode == 1
    assert "unknown model 'gemini:pro'" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_offers_numbered_quick_replies_and_a_number_picks_one(tmp_path: Path) -> None:
    chat = run(
        "chat",
        "--show-state",
        "--today",
        "2026-11-24",
        data_dir=tmp_path,
        stdin="we need funnel analysis\n1\n",
    )
    assert chat.returncode == 0, chat.stderr
    assert "1) Under $12k/year   2) $12k–$50k/year   3) Over $50k/year   4) No budget yet" in (
        chat.stdout
    )
    assert "→ Under $12k/year" in chat.stdout
    # The chip's value, 0..12,000 a year, scores at its midpoint: +5, not +20 for "12k".
    assert "amount_min=0.0, amount_max=12000.0, currency=USD, period=annual, annual_usd=6000.0" in (
        chat.stdout
    )
    assert "Budget under $12,000 per year" in chat.stdout
    assert "Score 30" in chat.stdout  # 25 strong fit + 5


def test_playbook_check_names_a_bad_quick_reply_value(tmp_path: Path) -> None:
    data = yaml.safe_load(default_playbook_path().read_text())
    data["questions"][1]["quick_replies"][2]["value"] = {
        "amount_min": "fifty",
        "period": "fortnightly",
    }
    broken = tmp_path / "chips.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True))
    bad = run("playbook", "check", str(broken), data_dir=tmp_path)
    assert bad.returncode == 1
    said = " ".join(bad.stderr.split())  # the terminal may wrap long lines
    assert "chips.yaml: questions[1].quick_replies[2].value.amount_min: Input should be" in said
    assert "chips.yaml: questions[1].quick_replies[2].value.period: Input should be" in said
    assert "Traceback" not in bad.stderr


def test_chat_on_a_fresh_data_dir_answers_product_questions_like_the_widget(
    tmp_path: Path,
) -> None:
    chat = run(
        "chat", "--today", "2026-11-24", data_dir=tmp_path, stdin="How much does Beacon cost?\n"
    )
    assert chat.returncode == 0, chat.stderr
    assert "Knowledge base: indexed" in chat.stdout
    reply = chat.stdout.split("you>", 1)[1]
    assert "(Source:" in reply and "pric" in reply.lower()
    # As in the widget, the answer and the next question are two messages.
    answer, question = reply.split("agent>")[1:3]
    assert "(Source:" in answer and "(Source:" not in question
    assert question.split("you>")[0].strip().endswith("?")
    again = run("chat", "--today", "2026-11-24", data_dir=tmp_path, stdin="hi\n")
    assert "Knowledge base: indexed" not in again.stdout  # indexed once, on the first start


def test_chat_in_a_forced_language(tmp_path: Path) -> None:
    chat = run(
        "chat",
        "--language",
        "de",
        data_dir=tmp_path,
        stdin="We need funnel analysis\n",
        LANG="fr_FR.UTF-8",
    )
    assert chat.returncode == 0, chat.stderr
    assert "agent> Hallo! Ich bin der Assistent von Beacon" in chat.stdout
    # A message in English does not move a forced language: the next question is German.
    assert "Funnel- und Conversion-Analyse. Haben Sie dafür ein Budget" in chat.stdout
    assert "1) Unter 12.000 $/Jahr" in chat.stdout  # the quick replies too


def test_chat_starts_in_the_terminals_language_and_follows_the_prospect(
    tmp_path: Path,
) -> None:
    chat = run(
        "chat",
        data_dir=tmp_path,
        stdin="Necesitamos entender por qué nuestros clientes abandonan el carrito\n",
        LANG="de_DE.UTF-8",
    )
    assert chat.returncode == 0, chat.stderr
    assert "agent> Hallo!" in chat.stdout
    assert "¿" in chat.stdout.split("agent>")[-1]  # the reply to the Spanish message


def test_chat_with_a_language_the_playbook_does_not_serve_fails_clearly(tmp_path: Path) -> None:
    chat = run("chat", "--language", "ja", data_dir=tmp_path)
    assert chat.returncode == 1
    assert "--language 'ja': the playbook serves en, de, es, fr, pt" in chat.stderr
