"""Settings, read from the environment (prefix ``QUALIFY_``) or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.resources import default_playbook_path, default_prompts_path


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="QUALIFY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

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
        description="Key for the admin API and dashboard; generated into the data folder if unset.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs conversation tokens and dashboard sessions; generated if unset.",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Sites allowed to embed the widget (CORS), e.g. https://www.example.com.",
    )
    rate_limit_ip: str = "120/minute"
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
        default=0.42,
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
    slack_timeout: int = Field(default=10, ge=1)
    handoff_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often pending handoffs are looked for."
    )

    history_turns: int = Field(default=12, ge=1, description="Past messages sent to the model.")
    max_message_chars: int = Field(default=4000, ge=1)
    log_level: str = "WARNING"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'qualify.db'}"
