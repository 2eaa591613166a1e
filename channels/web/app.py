"""The web server: ``create_app(settings)`` builds the FastAPI app.

No conversation state lives in process memory (it is all in the store, and tokens are
signed rather than remembered), so ``qualify serve --workers N`` runs N of these apps.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent.config import Settings
from agent.errors import QualifyError
from agent.handoff import tag_words
from agent.mail import build_mailer
from agent.runtime import build_engine, configure_logging
from agent.store import Store
from agent.team_words import team_words
from agent.triggers import build_worker
from channels.slack.erasure import slack_destinations
from channels.slack.runtime import build_bridge, build_dispatcher, build_http_handler
from channels.web import (
    admin,
    api,
    dashboard,
    email_transcript,
    inbox,
    saved_filters_web,
    webhooks_admin,
    webhooks_page,
)
from channels.web.access_log import redact_access_log
from channels.web.assets import SHORT, Assets, StaticGzip, VersionedStatic
from channels.web.display import iso, utc, words
from channels.web.errors import ApiError
from channels.web.keys import Signer, load_or_create
from channels.web.limits import BodyLimit
from channels.web.ratelimit import RateLimited, RateLimits, StreamSlots
from channels.web.state import WebState

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"

DASHBOARD_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


PUBLIC_API = frozenset({"/api/widget-config"})
"""API paths that answer the same to everyone and keep their own Cache-Control."""


class SecurityHeaders:
    """Adds security headers; the dashboard gets a strict CSP. Plain ASGI, so streamed
    responses pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._dashboard = [(k.lower().encode(), v.encode()) for k, v in DASHBOARD_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dashboard = scope["path"].startswith("/admin")
        # Conversations and leads: never cached. The widget's config is the same for everyone
        # with the same hints, so it may be.
        private = scope["path"].startswith("/api/") and scope["path"] not in PUBLIC_API

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k != b"x-content-type-options"
                ]
                headers.append((b"x-content-type-options", b"nosniff"))
                if dashboard:
                    names = {name for name, _ in self._dashboard}
                    headers = [(k, v) for k, v in headers if k not in names] + self._dashboard
                elif private:
                    headers = [(k, v) for k, v in headers if k != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


UNSTARTED_KEPT = timedelta(days=1)
"""How long a chat in which the prospect never wrote is kept."""


async def _purge_unstarted(store: Store) -> None:
    """Delete chats nobody wrote in (the widget opened and left), hourly."""
    while True:
        try:
            await store.purge_unstarted(datetime.now(UTC) - UNSTARTED_KEPT)
        except Exception:
            log.exception("purging chats without a message failed")
        await asyncio.sleep(3600)


def admin_key_path(settings: Settings) -> Path:
    return settings.data_dir / "admin_api_key"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level)
    redact_access_log()
    templates = Jinja2Templates(directory=HERE / "templates")
    assets = Assets(STATIC)
    templates.env.globals.update(asset=assets.url, words=words, utc=utc, iso=iso)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = build_engine(settings)
        await engine.store.init()
        erasure = slack_destinations(settings, team_words(engine.prompts, engine.playbook))
        worker = build_worker(settings, engine.playbook, engine.store, erasure)
        app.state.outbox = worker
        delivering = asyncio.create_task(worker.run()) if worker is not None else None
        if worker is not None:
            engine.on_events = worker.wake
        dispatcher = build_dispatcher(settings, engine, engine.store)
        app.state.handoffs = dispatcher
        posting = asyncio.create_task(dispatcher.run()) if dispatcher is not None else None
        purging = asyncio.create_task(_purge_unstarted(engine.store))
        bridge = build_bridge(settings, engine)
        app.state.slack = bridge
        app.state.transcript_mail = email_transcript.build_transcript_mail(
            settings, build_mailer(settings)
        )
        if dispatcher is not None:
            engine.on_handed_off_turn = dispatcher.wake
        if bridge is not None and dispatcher is not None:
            bridge.on_handoff = dispatcher.wake
            bridge.cards = dispatcher
        has_secret = settings.slack_signing_secret is not None
        app.state.slack_handler = (
            build_http_handler(bridge) if bridge is not None and has_secret else None
        )
        # A rep answers in the chat only when handoffs reach Slack and Slack reaches us back,
        # or when the operator says reps watch the dashboard inbox (QUALIFY_INBOX_LIVE).
        slack_live = dispatcher is not None and app.state.slack_handler is not None
        engine.reps_live = slack_live or settings.inbox_live
        app.state.web = WebState(
            settings=settings,
            engine=engine,
            signer=Signer(load_or_create(settings.secret_key, settings.data_dir / "secret_key")),
            admin_key=load_or_create(settings.admin_api_key, admin_key_path(settings)),
            limits=RateLimits(
                settings.rate_limit_ip, settings.rate_limit_conversation, settings.login_failures
            ),
            templates=templates,
            streams=StreamSlots(settings.max_streams_per_conversation, settings.max_streams_per_ip),
        )
        # The dashboard's fixed texts, in the team's language: {{ say("page.leads") }}.
        reps = app.state.web.reps
        # word("admin.statuses", "won"): a code as a word; tag("industry:saas"): a tag.
        templates.env.globals.update(
            say=reps.text,
            word=reps.word,
            tag=partial(tag_words, words=reps),
            team=reps,
            team_language=reps.language,
        )
        # What is built by now (libraries, models, the engine) lives as long as the app:
        # freeze it out of the garbage collector's full passes, which would otherwise walk
        # it all every few seconds under load (a pause of ~0.2 s each time).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            for task in (posting, delivering, purging):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if worker is not None:
                await worker.aclose()
            await engine.store.close()

    docs = settings.api_docs
    app = FastAPI(
        title="qualify",
        summary="Conversational lead qualification: widget API and admin API.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            expose_headers=["Retry-After"],
            max_age=600,
        )

    app.add_middleware(SecurityHeaders)
    app.add_middleware(StaticGzip)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return api.error_response(exc)

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> Response:
        return api.error_response(
            ApiError(
                429,
                "rate_limited",
                "You're sending messages very quickly. Please wait a moment and try again.",
                retry_after=exc.retry_after,
            )
        )

    @app.exception_handler(dashboard.LoginRequired)
    async def login_required(request: Request, exc: dashboard.LoginRequired) -> Response:
        return RedirectResponse(dashboard.login_location(request), status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in error["loc"][1:]), "problem": error["msg"]}
            for error in exc.errors()
        ]
        return JSONResponse(
            {
                "error": "invalid_request",
                "message": "The request is not valid: "
                + "; ".join(f"{p['field'] or 'body'}: {p['problem']}" for p in problems),
                "problems": problems,
            },
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {
            400: "bad_request",
            404: "not_found",
            405: "method_not_allowed",
            413: "body_too_large",
        }
        return JSONResponse(
            {"error": codes.get(exc.status_code, f"http_{exc.status_code}"), "message": exc.detail},
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.exception_handler(QualifyError)
    async def qualify_error(request: Request, exc: QualifyError) -> Response:
        log.exception("request failed")
        return JSONResponse(
            {"error": "server_error", "message": "Something went wrong on our side."},
            status_code=500,
        )

    app.include_router(api.router)
    app.include_router(email_transcript.router)
    app.include_router(admin.router)
    app.include_router(inbox.router)
    app.include_router(dashboard.router)
    app.include_router(saved_filters_web.api_router)
    app.include_router(saved_filters_web.page_router)
    app.include_router(webhooks_admin.router)
    app.include_router(webhooks_page.router)
    app.mount("/static", VersionedStatic(assets), name="static")

    @app.get("/widget.js", include_in_schema=False)
    async def widget_js() -> Response:
        # Sites paste this address once: a short cache, so they pick up new versions.
        return FileResponse(
            STATIC / "widget.js",
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": SHORT, "Access-Control-Allow-Origin": "*"},
        )

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return FileResponse(
            STATIC / "favicon.svg",
            media_type="image/svg+xml",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request, hostile: bool = False) -> Response:
        # The configured address, or a relative one: never the request's Host header.
        base = (settings.public_url or "").rstrip("/")
        return templates.TemplateResponse(
            request, "index.html", {"widget_url": f"{base}/widget.js", "hostile": hostile}
        )

    @app.get("/privacy", response_class=HTMLResponse, include_in_schema=False)
    async def privacy(request: Request) -> Response:
        return templates.TemplateResponse(request, "privacy.html", {})

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        """Slack's events, interactions and slash commands (HTTP mode)."""
        handler = getattr(request.app.state, "slack_handler", None)
        if handler is None:
            return JSONResponse({"error": "not_found", "message": "Slack is not set up."}, 404)
        response: Response = await handler.handle(request)
        return response

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: the database is reachable, at the newest migration and takes writes."""
        store = request.app.state.web.engine.store
        problems = await store.readiness_problems()
        status = 503 if problems else 200
        body = {"status": "unavailable" if problems else "ok", "problems": problems}
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    return app


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings come from the environment."""
    return create_app(Settings())
