"""Slack wired from settings: the handoff dispatcher a server runs in the background."""

from __future__ import annotations

from datetime import timedelta

from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

from agent.config import Settings
from agent.engine import Engine
from agent.llm import build_chat_model, split_model_name
from agent.notify import HandoffDispatcher, HandoffStore
from agent.sql_store import SQLStore
from agent.summary import Summarizer
from agent.team_words import team_words
from channels.slack.bolt_app import SlackBridge, build_slack_app
from channels.slack.notifier import SlackNotifier, build_client, dashboard_base


def build_summarizer(settings: Settings, engine: Engine) -> Summarizer:
    """The configured model writes summaries; the offline model's are templates."""
    provider, _ = split_model_name(settings.model)
    model = (
        None
        if provider == "offline"
        else build_chat_model(settings, engine.playbook, engine.prompts)
    )
    playbook = engine.playbook
    return Summarizer(
        engine.prompts,
        playbook.company.name,
        model,
        reps_language=playbook.reps_language,
        translate_quotes=playbook.translate_quotes,
        words=team_words(engine.prompts, playbook),
    )


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
        card_interval=settings.slack_card_update_seconds,
        round_robin=settings.slack_rep_user_ids if settings.slack_round_robin else (),
        claim_sla=(
            timedelta(minutes=settings.slack_claim_sla_minutes)
            if settings.slack_claim_sla_minutes
            else None
        ),
    )


def build_bridge(settings: Settings, engine: Engine) -> SlackBridge | None:
    """The Slack app's shared state; None unless a bot token and a SQL store are there."""
    if settings.slack_bot_token is None or not isinstance(engine.store, SQLStore):
        return None
    return SlackBridge(settings, engine, engine.store, build_client(settings))


def build_http_handler(bridge: SlackBridge) -> AsyncSlackRequestHandler:
    """The bolt app behind ``/slack/events`` (requests must be signed)."""
    return AsyncSlackRequestHandler(build_slack_app(bridge))
