"""Settings, read from the environment (prefix ``QUALIFY_``) or a ``.env`` file."""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.event_types import EVENT_TYPES, event_pattern_ok
from agent.resources import default_playbook_path, default_prompts_path


class WebhookSetting(BaseModel):
    """A webhook endpoint from settings (``QUALIFY_WEBHOOKS``, JSON)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
    url: str = Field(pattern=r"^https?://\S+$")
    secret: SecretStr | None = None
    previous_secret: SecretStr | None = None
    """While the secret rotates: requests are signed with both until this is removed."""
    events: list[str] = Field(default_factory=lambda: ["*"])

    @field_validator("events")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if not event_pattern_ok(name)]
        if unknown:
            raise ValueError(
                f"unknown event(s) {', '.join(unknown)}; use {', '.join(EVENT_TYPES)}, lead.* or *"
            )
        return value


MIN_ADMIN_KEY_CHARS = 16
SMTP_SCHEMES = ("smtp", "smtps")


def smtp_url_problem(url: str) -> None:
    """Raise ValueError (without the URL, which may hold a password) for an unusable one."""
    parts = urlsplit(url)
    if parts.scheme not in SMTP_SCHEMES:
        raise ValueError("must start with smtp:// or smtps://")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError("names no host, e.g. smtp://user:pass@mail.example.com:587")
    if port == 0:
        raise ValueError("has a port that is not a number from 1 to 65535")


def mail_address_ok(value: str) -> bool:
    """Whether ``value`` is one address, bare or with a display name."""
    _name, address = parseaddr(value)
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain and not any(c.isspace() for c in address))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="QUALIFY_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,  # a mistyped secret is never echoed in the error
    )

    @field_validator("admin_api_key")
    @classmethod
    def _long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        length = len(key.get_secret_value()) if key is not None else None
        if length is not None and length < MIN_ADMIN_KEY_CHARS:
            raise ValueError(
                f"the admin API key must be at least {MIN_ADMIN_KEY_CHARS} characters "
                f"(it has {length}); leave it unset to have one generated"
            )
        return key

    model: str = Field(
        default="offline",
        description="'offline' (built in, no network) or 'openai:<model name>'.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("QUALIFY_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None,
        description="Any OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server).",
    )
    openai_timeout: float = Field(default=30.0, gt=0)
    openai_max_retries: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.0, ge=0, le=2)

    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("QUALIFY_DATABASE_URL", "DATABASE_URL")
    )
    playbook: Path = Field(default_factory=default_playbook_path)
    prompts: Path = Field(default_factory=default_prompts_path)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = Field(
        default=None,
        description="Base URL the widget and links use, e.g. https://chat.example.com.",
    )
    admin_api_key: SecretStr | None = Field(
        default=None,
        description="Key for the admin API and dashboard (16 characters or more); generated "
        "into the data folder if unset.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs conversation tokens and dashboard sessions; generated if unset.",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Sites allowed to embed the widget (CORS), e.g. https://www.example.com.",
    )
    conversation_expiry_days: int = Field(
        default=30,
        ge=0,
        description="A chat idle this many days is over: its link opens nothing and takes no "
        "message (0: never).",
    )
    turn_lease_seconds: float = Field(
        default=15.0,
        ge=1,
        le=600,
        description="How long a worker holds a conversation for a turn without renewing it: "
        "after a worker dies mid-turn, the conversation's next message waits this long at most.",
    )
    max_body_bytes: int = Field(
        default=262_144,
        ge=1024,
        description="Largest request body accepted; a larger one is refused before it is read.",
    )
    api_docs: bool = Field(
        default=False, description="Serve the OpenAPI page at /docs (and /openapi.json)."
    )
    rate_limit_ip: str = "120/minute"
    max_streams_per_conversation: int = Field(
        default=3, ge=1, description="Live event streams one conversation may hold open."
    )
    max_streams_per_ip: int = Field(
        default=20, ge=1, description="Live event streams one address may hold open."
    )
    login_failures: str = Field(
        default="5/5minutes",
        description="Failed dashboard sign-ins allowed per address before it must wait.",
    )
    rate_limit_conversation: str = "30/minute"
    widget_title: str = "Beacon"
    widget_color: str = "#4f46e5"
    widget_position: str = "right"
    widget_greeting: str | None = None
    privacy_url: str | None = "/privacy"
    privacy_text: str = "We store this conversation to follow up with you."

    knowledge: bool = Field(
        default=True,
        description="Answer product questions from the ingested documents (qualify ingest).",
    )
    chroma_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("QUALIFY_CHROMA_URL", "CHROMA_URL"),
        description="A Chroma server, e.g. http://chroma:8000; default: embedded, in data_dir.",
    )
    knowledge_collection: str = Field(default="knowledge", min_length=3, max_length=512)
    knowledge_top_k: int = Field(default=3, ge=1, le=20, description="Passages per question.")
    knowledge_min_score: float = Field(
        default=0.39,
        ge=-1.0,
        le=1.0,
        description="Relevance a passage needs (see knowledge.retriever); below it the agent "
        "says it's not sure.",
    )

    slack_bot_token: SecretStr | None = Field(
        default=None,
        description="Bot token (xoxb-...); without it Slack is off and handoffs stay pending.",
    )
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = Field(
        default=None, description="App-level token (xapp-...) for Socket Mode."
    )
    slack_api_url: str | None = Field(
        default=None, description="Slack Web API base URL; default https://slack.com/api/."
    )
    inbox_live: bool = Field(
        default=False,
        description="Reps watch the dashboard inbox and join chats there: a prospect handed "
        "to sales is told someone will join the chat (as with Slack), not an email follow-up.",
    )
    slack_rep_user_ids: list[str] = Field(
        default_factory=list,
        description="Slack user IDs allowed to claim leads; empty allows everyone.",
    )
    slack_round_robin: bool = Field(
        default=False, description="Assign handoffs to slack_rep_user_ids in turn."
    )
    slack_claim_sla_minutes: int | None = Field(
        default=None, ge=1, description="Remind the thread when nobody claims a lead in time."
    )
    slack_note_prefix: str = "note:"
    slack_card_update_seconds: float = Field(
        default=3.0,
        ge=1,
        le=300,
        description="At least this long between two updates of one lead's Slack card, so a "
        "burst of messages makes one update (Slack allows about one update a second).",
    )
    transcript_grant_hours: int = Field(
        default=24,
        ge=1,
        le=168,
        description="How long a rep's personal link to one lead's transcript (from Slack) "
        "stays valid, in hours (1 to 168).",
    )
    slack_timeout: int = Field(default=10, ge=1)
    handoff_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often pending handoffs are looked for."
    )

    lead_events: bool = Field(
        default=True,
        description="Record lead events (the lead's history in the dashboard, and what "
        "webhooks and CRMs receive). Off: no event history and no deliveries.",
    )
    webhooks: list[WebhookSetting] = Field(
        default_factory=list,
        description='Receivers of lead events, as JSON: [{"name": "crm", "url": "https://...", '
        '"secret": "...", "events": ["lead.segment_changed"]}] (events default to all).',
    )
    webhook_timeout: float = Field(default=10.0, gt=0, description="Seconds per request.")
    webhook_max_attempts: int = Field(
        default=10,
        ge=1,
        le=200,
        description="Attempts before a delivery is a dead letter (with the 1 h longest delay, "
        "80 attempts keep retrying for two to three days).",
    )
    webhook_backoff_seconds: float = Field(
        default=10.0, gt=0, description="Delay after the first failure; doubles each time."
    )
    webhook_backoff_max_seconds: float = Field(
        default=3600.0, gt=0, description="Longest delay between two attempts."
    )
    outbox_poll_seconds: float = Field(
        default=2.0, gt=0, description="How often the event outbox is looked at."
    )
    outbox_lease_seconds: float = Field(
        default=300.0,
        gt=0,
        description="How long a worker owns a delivery attempt before another may retry it.",
    )
    outbox_concurrency: int = Field(
        default=16, ge=1, le=256, description="Deliveries in flight at once per worker."
    )

    hubspot_token: SecretStr | None = Field(
        default=None,
        description="HubSpot private-app token; with it, leads are synced to HubSpot contacts.",
    )
    hubspot_api_url: str = Field(
        default="https://api.hubapi.com", description="HubSpot API base URL."
    )
    hubspot_events: list[str] = Field(
        default_factory=lambda: [
            "lead.created",
            "lead.updated",
            "lead.segment_changed",
            "lead.handoff",
            "lead.claimed",
            "lead.erased",
        ],
        description="Lead events that sync the contact to HubSpot (lead.erased deletes it).",
    )
    hubspot_property_prefix: str = Field(
        default="qualify_",
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Prefix of the contact properties qualify writes (qualify_score, ...).",
    )
    hubspot_timeout: float = Field(default=10.0, gt=0)

    smtp_url: SecretStr | None = Field(
        default=None,
        description="Outgoing mail server, e.g. smtp://user:pass@host:587 (STARTTLS when the "
        "server offers it) or smtps://user:pass@host:465 (TLS from the start). Unset: the "
        "server sends no email and the widget offers no transcript by email.",
    )
    smtp_require_starttls: bool = Field(
        default=False,
        description="With smtp://, refuse to send unless the server offers STARTTLS.",
    )
    smtp_timeout: float = Field(default=10.0, gt=0, description="Seconds per SMTP step.")
    smtp_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Attempts at one email when the server answers 4xx or the connection fails.",
    )
    mail_from: str | None = Field(
        default=None,
        description="From address of the email sent, e.g. 'Beacon <chat@example.com>' "
        "(required with smtp_url).",
    )
    mail_reply_to: str | None = Field(
        default=None, description="Reply-To address of the email sent (optional)."
    )
    transcript_email_limit: str = Field(
        default="3/hour", description="Transcripts one conversation may have emailed."
    )
    transcript_email_ip_limit: str = Field(
        default="10/hour", description="Transcripts one address (IP) may have emailed."
    )

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url_ok(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            smtp_url_problem(value.get_secret_value())
        return value

    @field_validator("mail_from", "mail_reply_to")
    @classmethod
    def _mail_address_ok(cls, value: str | None) -> str | None:
        if value is not None and not mail_address_ok(value):
            raise ValueError("must be an email address, e.g. 'Beacon <chat@example.com>'")
        return value

    @model_validator(mode="after")
    def _mail_from_with_smtp(self) -> Settings:
        if self.smtp_url is not None and self.mail_from is None:
            raise ValueError("QUALIFY_MAIL_FROM is required when QUALIFY_SMTP_URL is set")
        return self

    history_turns: int = Field(default=12, ge=1, description="Past messages sent to the model.")
    max_message_chars: int = Field(default=4000, ge=1)
    log_level: str = "WARNING"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'qualify.db'}"
