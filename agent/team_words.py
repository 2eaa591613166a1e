"""The words reps read about a lead, in the team's language (the playbook's ``team_language``).

The fixed texts are the ``reps.yaml`` catalogue of the prompt set (``prompts/v1/reps.yaml``
in English, ``prompts/v1/de/reps.yaml`` in German, ...); a need's name is the playbook's own
translation (``translations.<language>.needs``). :func:`team_words` reads both once into a
:class:`TeamWords`, which is plain data: laying out a card or a page with it reads no file.
A team language without a catalogue reads English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, StrictUndefined, Template, UndefinedError

from agent.errors import PromptError
from agent.playbook import Playbook
from agent.prompts import BASE_LANGUAGE, PromptSet
from agent.resources import default_prompts_path

REPS = "reps.yaml"
"""The catalogue of texts reps read."""

_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=512)
def _compiled(template: str) -> Template:
    return _ENV.from_string(template)


@dataclass(frozen=True, slots=True)
class TeamWords:
    """The texts of ``reps.yaml`` in one language, with the playbook's names of needs."""

    language: str
    texts: Mapping[str, Any]
    needs: Mapping[str, str] = field(default_factory=dict)
    """A need's name in the playbook → its name in ``language``."""

    def _lookup(self, key: str) -> Any:
        found: Any = self.texts
        for part in key.split("."):
            if not isinstance(found, Mapping) or part not in found:
                raise PromptError(f"{REPS} ({self.language}) has no text {key!r}")
            found = found[part]
        return found

    def text(self, key: str, /, **values: Any) -> str:
        """The text ``key`` (dotted: ``card.claim``) with its variables filled in."""
        template = str(self._lookup(key))
        try:
            return _compiled(template).render(**values).strip()
        except UndefinedError as exc:
            raise PromptError(f"{REPS} ({self.language}) text {key!r}: {exc.message}") from exc

    def word(self, section: str, code: str, default: str | None = None) -> str:
        """The word for ``code`` in the mapping ``section`` (``industries``, ``card.levels``);
        ``default`` (else the code with spaces for underscores) when it has none."""
        words = self._lookup(section)
        if isinstance(words, Mapping) and code in words:
            return str(words[code])
        return default if default is not None else code.replace("_", " ")

    def reason(self, reason: str) -> str:
        """Why a lead is handed over: ``hot_lead`` → "Hot lead"."""
        return self.word("reasons", reason, reason)

    def segment(self, name: str) -> str:
        """A segment (a playbook band, or disqualified) as reps read it."""
        return self.word("segments", name, name)

    def industry(self, code: str) -> str:
        """An industry code as people write it: ``saas`` → "SaaS"."""
        return self.word("industries", code)

    def need(self, name: str) -> str:
        """A need's name (a use case) in the team's language, from the playbook."""
        return self.needs.get(name, name)

    def money(self, amount: float, currency: str | None = "USD") -> str:
        """A whole amount as the team's locale writes it: ``$60,000``, ``60.000 $``."""
        return _money(amount, currency or "USD", self.language)

    def number(self, value: int) -> str:
        """A whole number with the team's digit grouping: ``1,200``, ``1.200``."""
        if self.language == BASE_LANGUAGE:
            return f"{value:,}"
        return str(format_decimal(value, locale=self.language))

    def language_name(self, code: str) -> str:
        """A language's name in the team's language ("German", "Deutsch")."""
        try:
            return str(Locale.parse(code).get_display_name(self.language) or code)
        except (UnknownLocaleError, ValueError):
            return code

    def conversation_line(self, language: str | None, reps_language: str) -> str | None:
        """ "Conversation in German" when the prospect wrote in another language than the
        team reads; None when it is the same or not known."""
        if language is None or language == reps_language:
            return None
        return self.text("conversation_language", language=self.language_name(language))


@lru_cache(maxsize=64)
def _money(amount: float, currency: str, language: str) -> str:
    if language == BASE_LANGUAGE:
        symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
        figure = f"{amount:,.0f}"
        return f"{symbol}{figure}" if symbol else f"{figure} {currency}"
    locale = Locale.parse(language)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    whole = pattern.replace(".00", "")
    return str(
        format_currency(round(amount), currency, format=whole, locale=locale, currency_digits=False)
    )


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``, nested mappings key by key."""
    out = dict(base)
    for key, value in over.items():
        below = out.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            out[key] = _merged(below, value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=64)
def catalogue_words(prompts: PromptSet, language: str) -> TeamWords:
    """The texts of ``prompts`` in ``language``, English where it has none; read once per
    prompt set and language (a card or a page laid out later reads no file)."""
    base = prompts.catalogue(REPS)
    if language == BASE_LANGUAGE or not (prompts.folder / language / REPS).is_file():
        return TeamWords(BASE_LANGUAGE, base)
    return TeamWords(language, _merged(base, prompts.catalogue(REPS, language)))


def team_words(prompts: PromptSet, playbook: Playbook) -> TeamWords:
    """The words reps read leads in: ``prompts``' catalogue in the playbook's
    ``team_language`` (English without one) and its translated names of needs."""
    words = catalogue_words(prompts, playbook.reps_language)
    if words.language == playbook.language:
        return words
    names = [item.name for item in (*playbook.need.in_scope, *playbook.need.out_of_scope)]
    needs = {name: playbook.need_name(name, words.language) for name in names}
    return TeamWords(words.language, words.texts, needs)


def team_language_gaps(playbook: Playbook, prompts: PromptSet) -> list[str]:
    """What reps will not read in the playbook's ``team_language``: a missing catalogue or
    texts of ``reps.yaml`` (shown in English), need names the playbook cannot give."""
    language = playbook.reps_language
    if language == BASE_LANGUAGE:
        return []
    where = f"{prompts.folder.name}/{language}/{REPS}"
    if not (prompts.folder / language / REPS).is_file():
        return [f"team_language {language}: there is no {where}, so reps read English"]
    gaps = [
        f"team_language {language}: {line} missing (shown in English)"
        for line in prompts.missing_texts(language)
        if line.startswith(f"{language}/{REPS}")
    ]
    if language != playbook.language and language not in playbook.languages:
        gaps.append(
            f"team_language {language} is not in languages: the names of needs are shown as "
            "the playbook writes them (translations.<language>.needs)"
        )
    return gaps


@lru_cache(maxsize=1)
def english() -> TeamWords:
    """The shipped English texts: the words when no prompt set or playbook is at hand."""
    return catalogue_words(PromptSet(default_prompts_path()), BASE_LANGUAGE)
