"""What an import does with each row (its fate), the totals, and the file of rejected rows."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sendesk import codes
from sendesk.importers.fields import FIELDS
from sendesk.importers.source import Source
from sendesk.spreadsheet import safe_cell


class Fate(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"
    LEFT_OUT = "left out"  # the user chose not to import this row


FATE_LABELS = {
    Fate.NEW: "New pupil",
    Fate.UPDATE: "Update",
    Fate.UNCHANGED: "Unchanged",
    Fate.REJECTED: "Rejected",
    Fate.LEFT_OUT: "Left out",
}

# Every pupil field an import can change, by the name the user sees.
LABELS = {
    **FIELDS,
    "sen_support_since": "On SEN support since",
    "ehc_plan_since": "EHC plan since",
}


def show(field: str, value: Any) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if field == "year_group" and isinstance(value, int):
        return codes.year_group_label(value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    """One field of one pupil: what SENDesk holds (`old`) and what the file gives (`new`)."""

    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field.replace("_", " "))

    def text(self) -> str:
        return f"{self.label}: {show(self.field, self.old)} → {show(self.field, self.new)}"

    def disagreement(self) -> str:
        mis, ours = show(self.field, self.new), show(self.field, self.old)
        return f"{self.label} MIS: {mis} · SENDesk: {ours}"


@dataclass(frozen=True)
class RowFate:
    """What an import does (or did) with one row of the source.

    `diffs` are the changes the row makes; `held` are the fields the SENCo set in SENDesk (on
    `sen_set_on`) where the file says otherwise: kept unless the user takes them (`taken`).
    """

    row: int
    fate: Fate
    upn: str | None
    name: str
    reason: str = ""  # why a row is rejected
    diffs: tuple[FieldChange, ...] = ()
    warnings: tuple[str, ...] = ()
    pupil_id: int | None = None
    held: tuple[FieldChange, ...] = ()
    sen_set_on: dt.date | None = None
    taken: bool = False
    existing: bool = False  # the row matches a pupil already in the file

    @property
    def accepted(self) -> bool:
        return self.fate in (Fate.NEW, Fate.UPDATE)

    @property
    def applied(self) -> tuple[FieldChange, ...]:
        """The changes saving this row makes, with the taken ones."""
        return self.diffs + (self.held if self.taken else ())

    @property
    def changes(self) -> tuple[str, ...]:
        """The fields an update changes."""
        return tuple(d.field for d in self.applied)

    def chosen(self, take: bool, leave_out: bool) -> RowFate:
        """This row's fate when the user takes the file's values or leaves the row out."""
        if self.fate is Fate.REJECTED:
            return self
        taken = take and bool(self.held)
        if leave_out:
            fate = Fate.LEFT_OUT
        elif not self.existing:
            fate = Fate.NEW
        else:
            fate = Fate.UPDATE if self.diffs or taken else Fate.UNCHANGED
        return replace(self, fate=fate, taken=taken)

    def held_text(self) -> str:
        """ "SEN status MIS: N · SENDesk: K (set 02/12/2026); …", or "" when nothing is held."""
        if not self.held:
            return ""
        parts = [h.disagreement() for h in self.held]
        if self.sen_set_on:
            parts[0] += f" (set {self.sen_set_on:%d/%m/%Y})"
        return "; ".join(parts)

    def explanation(self) -> str:
        """The words a preview shows beside the fate: every change as old → new."""
        if self.fate is Fate.REJECTED:
            return self.reason
        parts = [d.text() for d in self.applied]
        if self.held and not self.taken:
            parts.append(self.held_text() + ". SENDesk's value is kept unless you take the MIS's")
        if self.fate is Fate.LEFT_OUT:
            parts.insert(0, "Left out: nothing in this row is saved")
        return "; ".join((*parts, *self.warnings))


@dataclass(frozen=True)
class Totals:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    left_out: int = 0

    @classmethod
    def of(cls, fates: Sequence[RowFate]) -> Totals:
        count = {f: sum(1 for r in fates if r.fate is f) for f in Fate}
        return cls(
            count[Fate.NEW], count[Fate.UPDATE], count[Fate.UNCHANGED], count[Fate.REJECTED],
            count[Fate.LEFT_OUT],
        )  # fmt: skip

    @property
    def to_save(self) -> int:
        return self.new + self.updated

    def sentence(self) -> str:
        text = (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected"
        )
        return text + (f", {self.left_out} left out" if self.left_out else "")


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
                [safe_cell(c) for c in padded] + [f"{source.row_word} {number}: " + reasons[number]]
            )
    return out.getvalue().encode("utf-8-sig")
