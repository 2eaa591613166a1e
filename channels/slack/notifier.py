"""The Slack side of handoffs: a Web API client built from settings, and the notifier."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from agent.config import Settings
from agent.handoff import HandoffPayload
from agent.notify import Posted
from channels.slack.blocks import escape, handoff_blocks

RETRIES = 3
"""Attempts per call after a 429 (waiting Retry-After), a 5xx or a dropped connection."""


def dashboard_base(settings: Settings) -> str:
    """Where the web app (dashboard, transcripts) answers, for links in Slack."""
    return (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def slack_enabled(settings: Settings) -> bool:
    return settings.slack_bot_token is not None


def build_client(settings: Settings, *, retries: int = RETRIES) -> AsyncWebClient:
    """A Web API client for the bot token; ``slack_api_url`` points it elsewhere (tests)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    base_url = AsyncWebClient.BASE_URL
    if settings.slack_api_url:
        base_url = settings.slack_api_url.rstrip("/") + "/"
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=settings.slack_timeout,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=retries),
            AsyncRateLimitErrorRetryHandler(max_retry_count=retries),
            AsyncServerErrorRetryHandler(max_retry_count=retries),
        ],
    )


class SlackNotifier:
    """Posts handoffs to the routed Slack channel as a Block Kit message."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post_handoff(self, payload: HandoffPayload) -> Posted:
        response = await self.client.chat_postMessage(
            channel=payload.channel,
            text=payload.text(),
            blocks=handoff_blocks(payload),
            unfurl_links=False,
            unfurl_media=False,
        )
        return Posted(channel=str(response["channel"]), ts=str(response["ts"]))

    async def remind(self, posted: Posted, text: str) -> None:
        await self.client.chat_postMessage(channel=posted.channel, thread_ts=posted.ts, text=text)

    async def update_card(self, posted: Posted, payload: HandoffPayload) -> None:
        await self.client.chat_update(
            channel=posted.channel,
            ts=posted.ts,
            text=payload.text(),
            blocks=handoff_blocks(payload),
        )

    async def relay(self, posted: Posted, text: str, heading: str) -> None:
        await self.client.chat_postMessage(
            channel=posted.channel,
            thread_ts=posted.ts,
            text=f"*{escape(heading)}:* {escape(text)}",
            unfurl_links=False,
            unfurl_media=False,
        )
