"""Access-log lines without conversation tokens or transcript grants: a token in a logged
path would let anyone who reads the logs open that prospect's conversation or transcript."""

from __future__ import annotations

import logging
import re

_TOKEN_PATH = re.compile(r"(/api/conversations/)[^/?\s]+")
_GRANT_QUERY = re.compile(r"([?&]grant=)[^&#\s]+")


def redact(path: str) -> str:
    """``path`` with the conversation token replaced by ``[token]`` and a transcript grant
    by ``[grant]``."""
    return _GRANT_QUERY.sub(r"\1[grant]", _TOKEN_PATH.sub(r"\1[token]", path))


class RedactTokens(logging.Filter):
    """Rewrites uvicorn's access-log arguments (client, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_access_log() -> None:
    """Install the filter on uvicorn's access logger (once)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
