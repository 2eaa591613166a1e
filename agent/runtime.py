"""Build the running pieces (store, models, engine) from settings."""

from __future__ import annotations

import logging

from agent.config import Settings
from agent.engine import Engine
from agent.llm import build_chat_model, build_offline_model, split_model_name
from agent.playbook import Playbook, load_playbook
from agent.prompts import PromptSet
from agent.sql_store import SQLStore
from agent.store import Store


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(levelname)s %(name)s: %(message)s")


def open_store(settings: Settings) -> Store:
    return SQLStore(settings.resolved_database_url())


def build_engine(
    settings: Settings,
    *,
    store: Store | None = None,
    playbook: Playbook | None = None,
    prompts: PromptSet | None = None,
) -> Engine:
    """An engine wired as the settings say. The caller awaits ``engine.store.init()``."""
    playbook = playbook or load_playbook(settings.playbook)
    prompts = prompts or PromptSet(settings.prompts)
    provider, _ = split_model_name(settings.model)
    model = build_chat_model(settings, playbook, prompts)
    fallback = build_offline_model(playbook, prompts) if provider != "offline" else None
    return Engine(
        store=store or open_store(settings),
        model=model,
        playbook=playbook,
        prompts=prompts,
        model_name=settings.model,
        fallback_model=fallback,
        history_messages=settings.history_turns,
        max_message_chars=settings.max_message_chars,
    )
