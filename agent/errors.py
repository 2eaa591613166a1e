"""Typed errors raised at the edges of the agent.

Errors an operator sees (a bad playbook, a missing prompt variable, a bad setting) are
separate from errors the model sees (bad tool arguments), which are never raised: they are
returned to the model as tool results by :mod:`agent.extraction`.
"""

from __future__ import annotations

from pathlib import Path


class QualifyError(Exception):
    """Base class for every error this package raises on purpose."""


class PlaybookError(QualifyError):
    """A playbook file cannot be read or does not describe a valid playbook."""

    def __init__(self, file: Path | str, problems: list[tuple[str, str]]) -> None:
        self.file = str(file)
        self.problems = problems
        lines = [f"{self.file}: {path or '<root>'}: {message}" for path, message in problems]
        super().__init__("invalid playbook\n" + "\n".join(lines))


class PromptError(QualifyError):
    """A prompt template is missing or was rendered without one of its variables."""


class ConfigError(QualifyError):
    """Settings name something that does not exist or cannot be used."""


class ConversationNotFound(QualifyError):
    """No conversation has this id."""

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        super().__init__(f"no conversation {conversation_id!r}")


class InvalidMessage(QualifyError):
    """A prospect message that cannot be accepted (empty, too long, not text)."""

    def __init__(self, reason: str, *, too_long: bool = False) -> None:
        self.reason = reason
        self.too_long = too_long
        super().__init__(reason)


class InvalidQuickReply(InvalidMessage):
    """A quick reply reference that the playbook does not have, or whose label is not the
    message sent with it."""


class ConversationExpired(ConversationNotFound):
    """The conversation has been idle longer than conversations are kept open; nothing of
    the new message was stored."""


class ConversationChanged(QualifyError):
    """A conversation was written by someone else since it was read (another worker's
    turn, a rescore): the write that expected the older version is refused, nothing of it
    is stored."""

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        super().__init__(f"conversation {conversation_id!r} changed since it was read")


class ConversationBusy(QualifyError):
    """Another turn of the conversation kept it for longer than a turn may wait; the
    message was not stored."""

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        super().__init__(f"conversation {conversation_id!r} is busy with another turn")
