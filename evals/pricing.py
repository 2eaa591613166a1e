"""Estimated cost of a run, from a small per-model price table (``evals/prices.yaml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

PRICES_FILE = Path(__file__).with_name("prices.yaml")


class Price(BaseModel):
    """USD per 1,000,000 tokens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    output: float = Field(ge=0)

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input + output_tokens * self.output) / 1_000_000


_TABLE: TypeAdapter[dict[str, Price]] = TypeAdapter(dict[str, Price])


@cache
def load_prices(path: Path = PRICES_FILE) -> dict[str, Price]:
    return _TABLE.validate_python(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def price_for(model: str, prices: dict[str, Price] | None = None) -> Price | None:
    """The price of ``model`` ("offline", "openai:gpt-4o-mini" or a bare name), if listed."""
    table = load_prices() if prices is None else prices
    name = model.strip()
    return table.get(name) or table.get(name.partition(":")[2])
