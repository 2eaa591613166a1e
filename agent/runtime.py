"""Build the running pieces (store, models, engine) from settings."""

from __future__ import annotations

import logging
from datetime import timedelta

from agent.config import Settings
from agent.engine import Engine
from agent.knowledge import Retriever
from agent.llm import build_chat_model, build_offline_model, split_model_name
from agent.playbook import Playbook, load_playbook
from agent.prompts import PromptSet
from agent.sql_store import SQLStore
from agent.store import Store
from agent.triggers import build_subscriptions


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
    retriever: Retriever | None = None,
) -> Engine:
    """An engine wired as the settings say. The caller awaits ``engine.store.init()``.

    Without ``retriever``, the knowledge base ingested with ``qualify ingest`` answers product
    questions when there is one (see :func:`open_knowledge`).
    """
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
        retriever=retriever or open_knowledge(settings),
        subscriptions=build_subscriptions(settings, playbook),
        events=settings.lead_events,
        turn_lease_seconds=settings.turn_lease_seconds,
        expire_after=(
            timedelta(days=settings.conversation_expiry_days)
            if settings.conversation_expiry_days
            else None
        ),
    )


def open_knowledge(settings: Settings) -> Retriever | None:
    """The Chroma knowledge base the settings name, or None when none was ingested."""
    if not settings.knowledge:
        return None
    from knowledge.retriever import open_retriever

    return open_retriever(settings)
