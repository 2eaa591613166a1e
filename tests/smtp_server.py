"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd, in its own thread).

It keeps every message it accepted (``received``) and can be told how to answer the next
``DATA`` commands: ``answers = ["451 4.3.0 Try again later"]`` refuses the next one
temporarily, then it accepts again (250).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.servers import free_port


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        content: str = body.get_content()
        return content


class Recorder:
    """The aiosmtpd handler: scripted answers to DATA, accepted messages recorded."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[str] = []
        self.data_commands = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.data_commands += 1
            answer = self.answers.pop(0) if self.answers else "250 Message accepted"
            if answer.startswith("250"):
                parsed = message_from_bytes(envelope.content, policy=policy.default)
                assert isinstance(parsed, EmailMessage)
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return answer


class SmtpServer:
    def __init__(self) -> None:
        self.handler = Recorder()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def answer(self, *answers: str) -> None:
        """How to answer the next DATA commands (then 250 again)."""
        self.handler.answers[:] = list(answers)

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        """The messages received, once there are ``count`` (polls; fails after timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"{len(self.received)} of {count} emails arrived"
            time.sleep(0.02)
        return self.received


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()
