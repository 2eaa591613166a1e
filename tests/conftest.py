from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel

from agent.engine import Engine
from agent.llm import build_offline_model
from agent.playbook import Playbook, load_playbook
from agent.prompts import PromptSet
from agent.resources import default_playbook_path, default_prompts_path
from agent.sql_store import SQLStore
from tests.network_guard import no_external_network  # noqa: F401
from tests.openai_server import openai_server  # noqa: F401
from tests.postgres import PostgresCluster, fresh_postgres_database, postgres_cluster  # noqa: F401

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _guard_network(no_external_network: None) -> None:  # noqa: F811
    """No test reaches a real network service: only 127.0.0.1 answers."""


@pytest.fixture(scope="session")
def playbook() -> Playbook:
    return load_playbook(default_playbook_path())


@pytest.fixture(scope="session")
def prompts() -> PromptSet:
    return PromptSet(default_prompts_path())


class Clock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}"


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """An empty database on each backend: a SQLite file, or a PostgreSQL database of its own
    in the session's throwaway cluster (see tests/postgres.py)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    async with fresh_postgres_database(cluster) as url:
        yield url


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SQLStore]:
    store = SQLStore(database_url)
    await store.init()
    yield store
    await store.close()


EngineFactory = Callable[..., Awaitable[Engine]]


@pytest.fixture
def make_engine(store: SQLStore, playbook: Playbook, prompts: PromptSet) -> EngineFactory:
    """Build an engine on the test store; the model defaults to the offline one."""

    async def make(model: BaseChatModel | None = None, **kwargs: Any) -> Engine:
        options: dict[str, Any] = {
            "store": store,
            "model": model or build_offline_model(playbook, prompts),
            "playbook": playbook,
            "prompts": prompts,
            "clock": Clock(),
        }
        options.update(kwargs)
        return Engine(**options)

    return make


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Debian's Chromium, headless, through Playwright (``.ci/run`` installs it)."""
    from playwright.async_api import async_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    playwright = await async_playwright().start()
    chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    await chromium.close()
    await playwright.stop()
