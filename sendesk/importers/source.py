"""What both readers make of a file: a `Source` of column names and rows of text cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sendesk.errors import BadInput
from sendesk.importers.fields import KNOWN_COLUMNS, Mapping, column_key

# A whole-school CTF with assessment history is a few megabytes; anything far larger is not one.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 50_000


class SourceProblem(BadInput):
    """The file cannot be imported at all: unreadable, malformed, unsafe or wrongly mapped."""


@dataclass
class Source:
    """A file read into text cells: `rows` holds (row number, cells) pairs."""

    kind: str  # "CSV" or "CTF"
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    description: str = ""
    row_word: str = "row"
    made_on: dt.date | None = None  # when the file was made, if it says (a CTF does)
    digest: str = ""  # SHA-256 of the file's bytes: which import of it to undo

    def guess_mapping(self) -> Mapping:
        """The known column names mapped; a field named twice is taken from its first column."""
        mapping: Mapping = []
        taken: set[str] = set()
        for name in self.columns:
            target = KNOWN_COLUMNS.get(column_key(name))
            if target in taken:
                target = None
            if target:
                taken.add(target)
            mapping.append(target)
        return mapping
