"""Static files with versioned URLs and gzip.

``asset_url("dashboard.css")`` is ``/static/dashboard.css?v=<hash of the content>``: a
versioned URL is cached for a year (``immutable``), and a new file gets a new URL. A URL
without the current version (an old page, or ``/widget.js`` pasted into a site once) is
cached for five minutes only, so it picks up a new file soon. Text files go out gzipped to
a browser that accepts it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
GZIPPED_PATHS = ("/static/", "/widget.js", "/favicon.ico")


def content_version(path: Path) -> str:
    """The first 12 hex digits of the SHA-256 of the file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


class Assets:
    """The versions of the files in one directory, read once (files ship with the code)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.versions = {
            path.name: content_version(path) for path in directory.iterdir() if path.is_file()
        }

    def url(self, name: str) -> str:
        return f"/static/{name}?v={self.versions[name]}"

    def cache_control(self, name: str, version: str | None) -> str:
        current = self.versions.get(name)
        return IMMUTABLE if current is not None and version == current else SHORT


class VersionedStatic(StaticFiles):
    """StaticFiles answering with the cache lifetime the URL's version earns."""

    def __init__(self, assets: Assets) -> None:
        super().__init__(directory=assets.directory)
        self.assets = assets

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            query = scope.get("query_string", b"").decode("latin-1")
            version = next((part[2:] for part in query.split("&") if part.startswith("v=")), None)
            response.headers["Cache-Control"] = self.assets.cache_control(Path(path).name, version)
        return response


class StaticGzip:
    """Gzip for static files only: chat streams and API answers pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=256)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(GZIPPED_PATHS):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
