"""What the web app holds for its lifetime: settings, engine, signer, limits, templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from fastapi import Request
from fastapi.templating import Jinja2Templates

from agent.config import Settings
from agent.engine import Engine
from agent.team_words import TeamWords, team_words
from channels.web.keys import Signer
from channels.web.ratelimit import RateLimits, StreamSlots


@dataclass
class WebState:
    settings: Settings
    engine: Engine
    signer: Signer
    admin_key: str
    limits: RateLimits
    templates: Jinja2Templates
    streams: StreamSlots

    @cached_property
    def reps(self) -> TeamWords:
        """The words reps read leads in: the dashboard in the playbook's team language."""
        return team_words(self.engine.prompts, self.engine.playbook)


async def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state
