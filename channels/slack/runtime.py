"""Slack wired from settings: the handoff dispatcher a server runs in the background."""

from __future__ import annotations

from agent.config import Settings
from agent.engine import Engine
from agent.llm import build_chat_model, split_model_name
from agent.notify import HandoffDispatcher, HandoffStore
from agent.summary import Summarizer
from channels.slack.notifier import SlackNotifier, build_client


def build_summarizer(settings: Settings, engine: Engine) -> Summarizer:
    """The configured model writes summaries; the offline model's are templates."""
    provider, _ = split_model_name(settings.model)
    model = (
        None
        if provider == "offline"
        else build_chat_model(settings, engine.playbook, engine.prompts)
    )
    return Summarizer(engine.prompts, engine.playbook.company.name, model)


def dashboard_base(settings: Settings) -> str:
    return (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def build_dispatcher(
    settings: Settings, engine: Engine, store: HandoffStore
) -> HandoffDispatcher | None:
    """The dispatcher posting handoffs to Slack; None without a bot token."""
    if settings.slack_bot_token is None:
        return None
    return HandoffDispatcher(
        engine,
        store,
        SlackNotifier(build_client(settings)),
        build_summarizer(settings, engine),
        dashboard_url=dashboard_base(settings),
        poll_seconds=settings.handoff_poll_seconds,
    )
