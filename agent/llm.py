"""Chat models by name: the one module that talks to langchain-openai.

``offline`` is the built-in deterministic extractor; ``openai:<model>`` is any OpenAI chat
model or, with ``QUALIFY_OPENAI_BASE_URL``, any OpenAI-compatible server (Ollama, vLLM,
llama.cpp). Timeouts, 429s and 5xx answers are retried by the OpenAI client with
exponential backoff (honouring Retry-After); the engine falls back to the offline model
when retries run out.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from agent.config import Settings
from agent.errors import ConfigError
from agent.playbook import Playbook
from agent.prompts import PromptSet

PROVIDERS = ("offline", "openai")


def split_model_name(spec: str) -> tuple[str, str]:
    """Split a model setting: ``"openai:gpt-4o-mini"`` -> ``("openai", "gpt-4o-mini")``."""
    provider, _, name = spec.strip().partition(":")
    provider = provider.lower()
    if provider not in PROVIDERS:
        raise ConfigError(
            f"unknown model {spec!r}: use 'offline' or 'openai:<model>' (e.g. openai:gpt-4o-mini)"
        )
    if provider == "openai" and not name:
        raise ConfigError(f"model {spec!r} names no OpenAI model, e.g. openai:gpt-4o-mini")
    return provider, name


def build_offline_model(playbook: Playbook, prompts: PromptSet) -> BaseChatModel:
    from agent.offline_model import OfflineChatModel

    return OfflineChatModel(playbook=playbook, prompts=prompts)


def build_chat_model(settings: Settings, playbook: Playbook, prompts: PromptSet) -> BaseChatModel:
    provider, name = split_model_name(settings.model)
    if provider == "offline":
        return build_offline_model(playbook, prompts)
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key
    if key is None:
        if settings.openai_base_url is None:
            raise ConfigError(
                f"QUALIFY_MODEL={settings.model} needs OPENAI_API_KEY, or "
                "QUALIFY_OPENAI_BASE_URL for a local OpenAI-compatible server"
            )
        key = SecretStr("not-needed")
    return ChatOpenAI(
        model=name,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
        temperature=settings.temperature,
        use_responses_api=False,
        stream_usage=True,
    )
