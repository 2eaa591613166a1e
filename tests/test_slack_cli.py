"""``qualify slack``: Socket Mode needs its tokens; the manifest points Slack at us."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from channels.cli.app import app

MANIFEST = Path(__file__).resolve().parents[1] / "channels" / "slack" / "manifest.yml"


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file
    for name in ("QUALIFY_SLACK_BOT_TOKEN", "QUALIFY_SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_socket_mode_without_tokens_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["slack", "--socket"])
    assert result.exit_code == 2
    assert "QUALIFY_SLACK_BOT_TOKEN and QUALIFY_SLACK_APP_TOKEN" in result.output
    monkeypatch.setenv("QUALIFY_SLACK_BOT_TOKEN", "xoxb-1")
    result = CliRunner().invoke(app, ["slack", "--socket"])
    assert result.exit_code == 2
    assert "needs QUALIFY_SLACK_APP_TOKEN" in " ".join(result.output.split())


def test_without_socket_it_points_to_the_http_endpoint() -> None:
    result = CliRunner().invoke(app, ["slack"])
    assert result.exit_code == 0 and "/slack/events" in result.output


def test_the_manifest_subscribes_to_what_the_app_handles() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert set(settings["event_subscriptions"]["bot_events"]) >= {"app_mention", "message.im"}
    assert {"chat:write", "commands", "users:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/qualify" and command["url"].endswith("/slack/events")
