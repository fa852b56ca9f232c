"""Rows of text cells turned into typed pupil values, or the reasons a row cannot be used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sendesk.importers.fields import FIELDS, MAX_LENGTH, REQUIRED_FIELDS
from sendesk.importers.mapping import check_mapping
from sendesk.importers.source import Source
from sendesk.importers.values import PARSERS, Bad
from sendesk.spreadsheet import unquoted


@dataclass
class ParsedRow:
    """One row's typed values (only the non-empty mapped cells) or the reasons it is refused."""

    row: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    word: str = "row"  # "pupil" for a CTF, whose pupils are numbered
    made_on: dt.date | None = None  # the file's date: year groups are as they were then

    @property
    def upn(self) -> str | None:
        value = self.values.get("upn")
        return value if isinstance(value, str) else None

    @property
    def name(self) -> str:
        surname = self.values.get("legal_surname") or ""
        forename = self.values.get("legal_forename") or ""
        return f"{surname}, {forename}" if surname and forename else surname or forename


def interpret(source: Source, mapping: Sequence[str | None]) -> list[ParsedRow]:
    """Each row of the source as pupil values, checked cell by cell (not yet against the file)."""
    check_mapping(source, mapping)
    width = len(source.columns)
    parsed = []
    for number, cells in source.rows:
        row = ParsedRow(number, cells, word=source.row_word, made_on=source.made_on)
        parsed.append(row)
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            row.problems.append(
                f"The row has {len(cells)} cells but the header names {width} columns; "
                "check for a separator inside an unquoted value."
            )
        for index, target in enumerate(mapping):
            if target is None or index >= len(cells):
                continue
            text = unquoted(cells[index])
            if not text:
                continue
            label = FIELDS[target]
            limit = MAX_LENGTH.get(target)
            if limit and len(text) > limit:
                row.problems.append(f"{label} is longer than {limit} characters.")
                continue
            parser = PARSERS.get(target)
            try:
                row.values[target] = parser(text) if parser else text
            except Bad as exc:
                row.problems.append(f"{label}: {exc.message}.")
        for target in REQUIRED_FIELDS:
            label = FIELDS[target]
            if target not in row.values and not any(p.startswith(label) for p in row.problems):
                row.problems.append(f"No {label}: every pupil needs one.")
    return parsed
