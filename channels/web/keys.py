"""Secrets for the web channel: from settings, or generated once into the data folder.

Generated files are created atomically with mode 0600, so several workers starting at once
agree on the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from pydantic import SecretStr


def load_or_create(configured: SecretStr | None, path: Path) -> str:
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


class Signer:
    """HMAC-SHA256 signatures for values the browser holds (tokens, sessions)."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("qualify-web:" + secret).encode()).digest()

    def sign(self, value: str, purpose: str) -> str:
        mac = hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256)
        return f"{value}.{mac.hexdigest()[:40]}"

    def unsign(self, signed: str, purpose: str) -> str | None:
        """The value if the signature is right, else None. Constant-time comparison."""
        value, dot, _ = signed.rpartition(".")
        if not dot or not value:
            return None
        expected = self.sign(value, purpose)
        return value if hmac.compare_digest(expected.encode(), signed.encode()) else None


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of an API key."""
    if not given:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
