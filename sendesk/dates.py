"""Dates as people type them: DD/MM/YYYY as schools write them, or ISO YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

from sendesk.errors import BadInput

FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y")
EXAMPLE = "DD/MM/YYYY, for example 01/09/2026"


def parse(text: str) -> dt.date:
    """A real calendar date, or `BadInput` that says how to write one."""
    cleaned = text.strip()
    for pattern in FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise BadInput(f"{cleaned!r} is not a real date; write it as {EXAMPLE}.")


def parse_optional(text: str) -> dt.date | None:
    return parse(text) if text.strip() else None


def show(day: dt.date | None) -> str:
    """How SENDesk writes a date for people: 01/09/2026."""
    return day.strftime("%d/%m/%Y") if day else ""
