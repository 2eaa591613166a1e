"""Helpers for browser tests: the real web server in a thread, Debian's Chromium through
Playwright's async API, and a small driver for the chat widget in its shadow root.

Run browser tests with ``pytest -p no:playwright`` if the pytest-playwright plugin is ever
installed: its sync fixtures and pytest-asyncio do not mix.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from agent.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "out" / "screenshots"
WIDGET_JS = ROOT / "channels" / "web" / "static" / "widget.js"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 15_000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """An ASGI app served by uvicorn on 127.0.0.1 from a background thread.

    ``stop()`` and ``start()`` again (with a fresh app on the same port) simulate the
    server going away and coming back.
    """

    def __init__(self, app: FastAPI, port: int) -> None:
        self.app = app
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, app: FastAPI | None = None) -> None:
        if app is not None:
            self.app = app
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"uvicorn-{self.port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the web server did not start on port {self.port}")
            time.sleep(0.02)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._server = self._thread = None
        # Wait until the port refuses connections, so "server down" is really down.
        deadline = time.monotonic() + 5
        while self._accepting() and time.monotonic() < deadline:
            time.sleep(0.05)

    def _accepting(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False


class StaticSite:
    """Another origin on 127.0.0.1 serving one HTML page, to embed the widget cross-origin."""

    def __init__(self, html: str) -> None:
        body = html.encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> StaticSite:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


async def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path))
    return path


class Widget:
    """Finds the widget's parts in its (open) shadow root and drives it like a visitor."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.host = page.locator("qualify-widget")
        self.launcher = self.host.locator(".launcher")
        self.panel = self.host.locator(".panel")
        self.input = self.host.locator("textarea.input")
        self.send_button = self.host.locator("button.send")
        self.alert = self.host.locator(".alert")
        self.alert_button = self.host.locator(".alert button")
        self.handoff = self.host.locator(".handoff")
        self.chips = self.host.locator(".chips .chip")
        self.human_button = self.host.locator("button.human")
        # The message log is the live region (role=log, aria-live=polite).
        self.live = self.host.locator('[role="log"][aria-live="polite"]')
        self.log = self.host.locator(".log")

    def messages(self, role: str | None = None) -> Any:
        if role is None:
            return self.host.locator(".log > [data-role]")
        return self.host.locator(f'.log > [data-role="{role}"]')

    def texts(self, role: str) -> Any:
        """The text of each message from ``role`` (without the screen-reader label)."""
        return self.host.locator(f'.log > [data-role="{role}"] .text')

    async def open(self) -> None:
        from playwright.async_api import expect

        await self.launcher.click()
        await expect(self.panel).to_be_visible()
        await expect(self.messages("assistant").first).to_be_visible(timeout=TIMEOUT_MS)

    async def idle(self) -> None:
        from playwright.async_api import expect

        await expect(self.log).to_have_attribute("aria-busy", "false", timeout=TIMEOUT_MS)

    async def send(self, text: str) -> None:
        """Type a message, press Enter and wait for the complete reply."""
        from playwright.async_api import expect

        replies = await self.messages("assistant").count()
        await self.input.fill(text)
        await self.input.press("Enter")
        # A reply is one bubble, or two when it answers a product question.
        await expect(self.messages("assistant").nth(replies)).to_be_attached(timeout=TIMEOUT_MS)
        await self.idle()

    async def transcript(self) -> list[tuple[str, str]]:
        items = self.messages()
        roles = await items.evaluate_all("els => els.map(e => e.dataset.role)")
        texts = await items.evaluate_all(
            "els => els.map(e => (e.querySelector('.text') || e).textContent)"
        )
        return list(zip(roles, texts, strict=True))

    async def style(self, selector: str, *properties: str) -> dict[str, str]:
        element = self.host.locator(selector).first
        values: dict[str, str] = await element.evaluate(
            "(el, props) => { const s = getComputedStyle(el);"
            " return Object.fromEntries(props.map(p => [p, s.getPropertyValue(p)])); }",
            list(properties),
        )
        return values


def offline_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """The settings a browser test serves the app with: the offline model, a SQLite file in
    ``tmp_path``, fixed keys; ``overrides`` add or replace settings."""
    options: dict[str, Any] = {
        "_env_file": None,
        "data_dir": tmp_path,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}",
        "model": "offline",
        "secret_key": "browser-test-secret",
        "admin_api_key": "browser-test-admin-key-0123456789",
        **overrides,
    }
    return Settings(**options)
