"""Amounts of money: one strict parser for every money field, refusing with a sentence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sendesk import cycle, money
from sendesk.errors import BadInput


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("£1,250.50", Decimal("1250.50")),
        ("1250.5", Decimal("1250.5")),
        ("90", Decimal("90")),
        (" £ 18.50 ", Decimal("18.50")),
        ("0.99", Decimal("0.99")),
        (".50", Decimal("0.50")),
        ("1,000,000", Decimal("1000000")),
        ("", None),
        ("   ", None),
    ],
)
def test_amounts_people_type_are_read_exactly(text: str, pounds: Decimal | None) -> None:
    assert money.parse_pounds(text) == pounds


def test_pence_are_exact_with_no_float_rounding() -> None:
    assert money.parse_pence("£1,250.50") == 125_050
    assert money.parse_pence("0.29") == 29  # float(0.29) * 100 is 28.999...
    assert money.parse_pence("") is None


@pytest.mark.parametrize(
    "bad",
    [
        "£1,2,3",
        "1_000",
        "inf",
        "-inf",
        "nan",
        "Infinity",
        "1e3",
        "-5",
        "12.345",
        "1,25",
        "12,3456",
        "£",
        "abc",
        "1.2.3",
        "٣",  # a digit of another script
        "99999999999999999999",
    ],
)
def test_anything_else_is_refused_with_a_sentence(bad: str) -> None:
    with pytest.raises(BadInput) as caught:
        money.parse_pence(bad, "The fixed cost")
    assert caught.value.message.startswith("The fixed cost")
    assert "such as" in caught.value.message


def test_the_cycle_rules_use_the_same_parser() -> None:
    assert cycle.parse_pounds("£1,250.50") == 125_050
    with pytest.raises(ValueError):  # still a ValueError for callers that catch one
        cycle.parse_pounds("inf")
