"""Value normalisation shared by tool-argument validation and the offline model."""

from __future__ import annotations

from datetime import date

import pytest

from agent.normalize import (
    currency_in,
    normalize_currency,
    normalize_email,
    parse_amount,
    parse_headcount,
    parse_range,
    timeline_months,
    to_annual_usd,
)

TODAY = date(2026, 11, 24)
FX = {"USD": 1.0, "EUR": 1.08, "INR": 0.012}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30k", 30_000),
        ("fifty thousand dollars", 50_000),
        ("$1.2m", 1_200_000),
        ("15 lakh rupees", 1_500_000),
        ("2 crore", 20_000_000),
        ("two point five million", 2_500_000),
        ("half a million", 500_000),
        ("1,200,000", 1_200_000),
        ("a hundred grand", 100_000),
        (45000, 45_000),
    ],
)
def test_parse_amount(text: str | int, value: float) -> None:
    assert parse_amount(text) == pytest.approx(value)


@pytest.mark.parametrize("bad", ["lots", "", -5, float("nan"), True])
def test_parse_amount_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_amount(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("between 20 and 30k", 20_000, 30_000),
        ("40-60 thousand", 40_000, 60_000),
        ("forty to fifty thousand", 40_000, 50_000),
        ("$20k-$30k", 20_000, 30_000),
        ("10 to 15 lakh", 1_000_000, 1_500_000),
    ],
)
def test_parse_range(text: str, low: float, high: float) -> None:
    assert parse_range(text) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("€40k", "EUR"),
        ("15 lakh rupees", "INR"),
        ("rs. 50000", "INR"),
        ("CA$ 20k", "CAD"),
        ("about 40k", None),
        ("budget is 20k for our users.", None),
        ("we track 3 colors.", None),
    ],
)
def test_currency_in(text: str, code: str | None) -> None:
    assert currency_in(text) == code


def test_currency_codes_and_annual_usd() -> None:
    assert normalize_currency("eur") == "EUR"
    assert normalize_currency("£") == "GBP"
    assert normalize_currency("zorkmids") is None
    assert to_annual_usd(3000, None, "USD", "monthly", FX) == 36_000
    assert to_annual_usd(20_000, 30_000, "EUR", "annual", FX) == pytest.approx(27_000)
    assert to_annual_usd(1_500_000, None, "INR", "one_time", FX) == pytest.approx(18_000)
    with pytest.raises(ValueError, match="no exchange rate for JPY"):
        to_annual_usd(1, None, "JPY", "annual", FX)


@pytest.mark.parametrize(
    ("text", "size"),
    [("about 40 people", 40), ("2.5k employees", 2500), ("a team of twelve", 12), ("40-50", 45)],
)
def test_headcount(text: str, size: int) -> None:
    assert parse_headcount(text) == size


@pytest.mark.parametrize("bad", ["nobody", 0, "10 billion"])
def test_headcount_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_headcount(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("ASAP", 1),
        ("in a couple of weeks", 0),
        ("next month", 1),
        ("next quarter", 4),
        ("by the end of the quarter", 1),
        ("in 3 months", 3),
        ("within 6 months", 6),
        ("by march", 4),
        ("by end of Q2", 7),
        ("Q1 2027", 4),
        ("early next year", 3),
        ("in the first half of next year", 7),
        ("second half of 2027", 13),
        ("before next year's Black Friday", 12),
        ("in a year", 12),
        ("no rush", None),
        ("just exploring", None),
    ],
)
def test_timeline_months(text: str, months: int | None) -> None:
    assert timeline_months(text, TODAY) == months


@pytest.mark.parametrize("bad", ["around 50", "purple", "in 200 years"])
def test_timeline_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        timeline_months(bad, TODAY)


def test_email() -> None:
    assert normalize_email(" Jane.Doe@Example.COM ") == "Jane.Doe@example.com"
    with pytest.raises(ValueError):
        normalize_email("jane@")


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("by the end of July", 4),
        ("end of August", 5),
        ("by September", 5),
        ("mid-July", 3),
        ("the 15 of August", 4),
    ],
)
def test_a_month_counts_from_its_end_its_middle_or_the_day_said(text: str, months: int) -> None:
    assert timeline_months(text, date(2027, 4, 5)) == months
