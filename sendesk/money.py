"""Amounts of money as people type them: one strict reading for every money field.

Pounds are `Decimal`, never float, so 0.29 is 29p; the file holds whole pence. Accepted: an
optional £, digits with commas only between groups of three, and at most two decimal places.
Anything else ("£1,2,3", "1_000", "inf", "1e3", "-5") is refused with a sentence.
"""

from __future__ import annotations

import re
from decimal import Decimal

from sendesk.errors import BadInput

# ASCII digits only: str.isdigit() and Decimal() would accept other scripts' digits and "1_000".
_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]{1,2})?")
MAX_POUNDS = Decimal("10000000")  # far above any school cost; keeps pence within 64 bits


class BadAmount(BadInput, ValueError):
    """Not an amount of money (a ValueError too, for callers that catch one)."""


def parse_pounds(text: str, what: str = "The amount") -> Decimal | None:
    """The amount in pounds, or None when nothing was typed; `BadAmount` otherwise."""
    cleaned = text.strip().removeprefix("£").strip()
    if not cleaned and not text.strip():
        return None
    if not cleaned or cleaned == "." or not _AMOUNT.fullmatch(cleaned):
        raise BadAmount(
            f"{what} must be an amount of money in pounds, such as 18.50 or £1,250 "
            "(no minus sign, at most two figures after the point)."
        )
    pounds = Decimal(cleaned.replace(",", ""))
    if pounds > MAX_POUNDS:
        raise BadAmount(
            f"{what} is more than £{MAX_POUNDS:,}: type it in pounds, such as 1,250.50."
        )
    return pounds


def parse_pence(text: str, what: str = "The amount") -> int | None:
    """The amount in whole pence, or None when nothing was typed; `BadAmount` otherwise."""
    pounds = parse_pounds(text, what)
    return None if pounds is None else int(pounds * 100)
