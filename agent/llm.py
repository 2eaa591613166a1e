"""Chat models by name: the one module that talks to langchain-openai.

``offline`` is the built-in deterministic extractor; ``openai:<model>`` is any OpenAI chat
model or, with ``QUALIFY_OPENAI_BASE_URL``, any OpenAI-compatible server (Ollama, vLLM,
llama.cpp). Timeouts, 429s and 5xx answers are retried by the OpenAI client with
exponential backoff (honouring Retry-After); the engine falls back to the offline model
when retries run out.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from langchain_core.language_models import BaseChatModel, LanguageModelInput
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
    from agent.exemplars import shared_classifiers
    from agent.offline_model import OfflineChatModel

    return OfflineChatModel(playbook=playbook, prompts=prompts, classifiers=shared_classifiers())


def build_chat_model(settings: Settings, playbook: Playbook, prompts: PromptSet) -> BaseChatModel:
    provider, name = split_model_name(settings.model)
    if provider == "offline":
        return build_offline_model(playbook, prompts)
    key = settings.openai_api_key
    if key is None:
        if settings.openai_base_url is None:
            raise ConfigError(
                f"QUALIFY_MODEL={settings.model} needs OPENAI_API_KEY, or "
                "QUALIFY_OPENAI_BASE_URL for a local OpenAI-compatible server"
            )
        key = SecretStr("not-needed")
    return _chat_openai_class()(
        model=name,
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
        temperature=settings.temperature,
        use_responses_api=False,
        stream_usage=True,
    )


_AS_BUILT = ("messages", "tools")


@cache
def _chat_openai_class() -> type[BaseChatModel]:
    """ChatOpenAI that hands the messages and tools to the SDK as already-built JSON.

    The openai SDK walks every request parameter through its type hints before sending it;
    for chat messages that walk tries each message against every member of the message union
    (about 0.1 ms per message per call, most of the client-side cost of a turn) and changes
    nothing. Values given in ``extra_body`` are sent as they are, in the same JSON body.
    """
    from langchain_openai import ChatOpenAI

    class _ChatOpenAI(ChatOpenAI):
        def _get_request_payload(
            self, input_: LanguageModelInput, *, stop: list[str] | None = None, **kwargs: Any
        ) -> dict[str, Any]:
            payload: dict[str, Any] = super()._get_request_payload(input_, stop=stop, **kwargs)
            if "response_format" in payload:
                return payload  # parsed by the SDK's structured-output helper
            built = {key: payload.pop(key) for key in _AS_BUILT if key in payload}
            if built:
                payload["extra_body"] = {**(payload.get("extra_body") or {}), **built}
                payload.setdefault("messages", [])
            return payload

    return _ChatOpenAI
