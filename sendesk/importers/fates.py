"""What an import does with each row (its fate), the totals, and the file of rejected rows."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sendesk.importers.fields import FIELDS
from sendesk.importers.source import Source


class Fate(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


FATE_LABELS = {
    Fate.NEW: "New pupil",
    Fate.UPDATE: "Update",
    Fate.UNCHANGED: "Unchanged",
    Fate.REJECTED: "Rejected",
}


@dataclass(frozen=True)
class RowFate:
    """What an import does (or did) with one row of the source."""

    row: int
    fate: Fate
    upn: str | None
    name: str
    reason: str = ""  # why a row is rejected
    changes: tuple[str, ...] = ()  # the fields an update changes
    warnings: tuple[str, ...] = ()
    pupil_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.fate in (Fate.NEW, Fate.UPDATE)

    def explanation(self) -> str:
        """The words a preview shows beside the fate."""
        if self.fate is Fate.REJECTED:
            return self.reason
        if self.fate is Fate.UPDATE:
            text = "Changes " + ", ".join(FIELDS.get(c, c.replace("_", " ")) for c in self.changes)
        else:
            text = ""
        if self.warnings:
            text = "; ".join(filter(None, (text, *self.warnings)))
        return text


@dataclass(frozen=True)
class Totals:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    @classmethod
    def of(cls, fates: Sequence[RowFate]) -> Totals:
        count = {f: sum(1 for r in fates if r.fate is f) for f in Fate}
        return cls(count[Fate.NEW], count[Fate.UPDATE], count[Fate.UNCHANGED], count[Fate.REJECTED])

    @property
    def to_save(self) -> int:
        return self.new + self.updated

    def sentence(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected"
        )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rejected_csv(source: Source, fates: Sequence[RowFate]) -> bytes:
    """The rejected rows with their original cells and a Problem column, to fix and re-import.

    UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it with every name intact; a
    cell a spreadsheet would run as a formula gets a leading apostrophe (removed on re-import).
    """
    reasons = {f.row: f.reason for f in fates if f.fate is Fate.REJECTED}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*source.columns, "Problem"])
    for number, cells in source.rows:
        if number in reasons:
            padded = (cells + [""] * len(source.columns))[: max(len(source.columns), len(cells))]
            writer.writerow(
                [_protect(c) for c in padded] + [f"{source.row_word} {number}: " + reasons[number]]
            )
    return out.getvalue().encode("utf-8-sig")


def _protect(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
