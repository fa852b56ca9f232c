"""Importing pupils: each row's fate against the record file, then all accepted rows at once.

A row is matched to a pupil by UPN. Only the cells a row fills change a pupil: an empty cell
never erases what the file holds. The SEN status and the two needs travel together: when a row
gives any of them, the needs it leaves empty are cleared, so ranked needs stay consistent.
`apply` saves every new and updated pupil in one transaction with one audit event, or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from sendesk import codes
from sendesk.errors import ValidationFailed
from sendesk.importers import Fate, ParsedRow, RowFate, Totals
from sendesk.models import Pupil
from sendesk.school_year import school_year_start
from sendesk.services import Sessions, audit, pupils
from sendesk.services.pupils import PupilDetails

Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) while an import saves; it runs on the caller's thread."""

_CHUNK = 500
_SIMPLE_FIELDS = (
    "upn",
    "legal_surname",
    "legal_forename",
    "preferred_surname",
    "preferred_forename",
    "date_of_birth",
    "sex",
    "year_group",
    "class_name",
)


@dataclass(frozen=True)
class ImportResult:
    fates: list[RowFate]
    totals: Totals


@dataclass
class _Plan:
    fate: RowFate
    details: PupilDetails | None = None
    pupil: Pupil | None = None


def _existing(session: Session, upns: Iterable[str]) -> dict[str, Pupil]:
    wanted = sorted(set(upns))
    found: dict[str, Pupil] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for pupil in session.execute(select(Pupil).where(Pupil.upn.in_(chunk))).scalars():
            found[pupil.upn or ""] = pupil
    return found


def _merged(row: ParsedRow, pupil: Pupil | None) -> PupilDetails:
    details = PupilDetails.of(pupil) if pupil else PupilDetails("", "")
    values = row.values
    changes = {name: values[name] for name in _SIMPLE_FIELDS if name in values}
    if any(name in values for name in ("sen_status", "primary_need", "secondary_need")):
        changes["sen_status"] = values.get("sen_status", details.sen_status)
        changes["primary_need"] = values.get("primary_need")
        changes["secondary_need"] = values.get("secondary_need")
    status = changes.get("sen_status", details.sen_status)
    if "sen_start" in values and status in codes.ON_SEN_REGISTER:
        since = "sen_support_since" if status == codes.SenStatus.SEN_SUPPORT else "ehc_plan_since"
        changes[since] = values["sen_start"]
    return replace(details, **changes)


def _years_since(made_on: dt.date | None, today: dt.date) -> int:
    """School years between a file's date and today (0 for the same year, or no date)."""
    if made_on is None:
        return 0
    return max(0, school_year_start(today).year - school_year_start(made_on).year)


def _school_year(day: dt.date | None) -> str:
    start = school_year_start(day or dt.date.today()).year
    return f"{start}/{(start + 1) % 100:02d}"


def _rejected(row: ParsedRow, reason: str) -> _Plan:
    return _Plan(RowFate(row.row, Fate.REJECTED, row.upn, row.name, reason))


def _plan(session: Session, rows: Sequence[ParsedRow], today: dt.date) -> list[_Plan]:
    existing = _existing(session, (r.upn for r in rows if r.upn and not r.problems))
    first_row: dict[str, int] = {}
    plans = []
    for row in rows:
        if row.problems:
            plans.append(_rejected(row, " ".join(row.problems)))
            continue
        key = row.upn or ""
        if key in first_row:
            plans.append(
                _rejected(
                    row,
                    f"The same UPN is on {row.word} {first_row[key]}; only that one is imported.",
                )
            )
            continue
        first_row[key] = row.row
        pupil = existing.get(key)
        if pupil is not None and pupil.archived_on is not None:
            plans.append(
                _rejected(
                    row,
                    "This UPN belongs to an archived pupil; restore them to the register first, "
                    "then import again.",
                )
            )
            continue
        details = pupils.clean(_merged(row, pupil))
        moved_on = _years_since(row.made_on, today)
        if moved_on and details.year_group is not None and "year_group" in row.values:
            # A file from an earlier school year: its pupils have moved up since it was made.
            details = replace(details, year_group=min(details.year_group + moved_on, 14))
        try:
            warnings = tuple(pupils.check(details, today))
        except ValidationFailed as exc:
            plans.append(_rejected(row, " ".join(exc.problems.values())))
            continue
        if moved_on and "year_group" in row.values:
            warnings += (
                f"The file is from the {_school_year(row.made_on)} school year, so the year "
                f"group was moved on by {moved_on}.",
            )
        if pupil is None:
            fate = RowFate(row.row, Fate.NEW, row.upn, row.name, warnings=warnings)
        else:
            before = PupilDetails.of(pupil)
            changed = tuple(
                f.name
                for f in fields(details)
                if getattr(before, f.name) != getattr(details, f.name)
            )
            kind = Fate.UPDATE if changed else Fate.UNCHANGED
            fate = RowFate(row.row, kind, row.upn, row.name, changes=changed, warnings=warnings,
                           pupil_id=pupil.id)  # fmt: skip
        plans.append(_Plan(fate, details, pupil))
    return plans


def preview(
    sessions: Sessions, rows: Sequence[ParsedRow], today: dt.date | None = None
) -> list[RowFate]:
    """What an import of these rows would do now, row by row; nothing is written."""
    with sessions() as session:
        return [p.fate for p in _plan(session, rows, today or dt.date.today())]


def apply(
    sessions: Sessions,
    rows: Sequence[ParsedRow],
    kind: str = "CSV",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Save every new and updated pupil in one transaction, with one audit event, or nothing.

    The fates are worked out again inside the transaction, so the result describes what was
    really done even if the file changed since the preview. When nothing would change, nothing
    is written, not even an audit event: importing the same file twice changes nothing.
    """
    with sessions() as session, session.begin():
        plans = _plan(session, rows, today or dt.date.today())
        totals = Totals.of([p.fate for p in plans])
        saved: list[tuple[int, Pupil]] = []
        for index, plan in enumerate(plans):
            if not plan.fate.accepted:
                continue
            assert plan.details is not None
            pupil = plan.pupil or Pupil()
            pupils._apply(pupil, plan.details)  # the one place a pupil's fields are set
            if plan.pupil is None:
                session.add(pupil)
            saved.append((index, pupil))
            if progress is not None:
                progress(len(saved), totals.to_save)
        if not saved:
            return ImportResult([p.fate for p in plans], totals)
        session.flush()
        audit.record(
            session, "pupils.imported", f"Pupils imported from a {kind} file: {totals.sentence()}"
        )
        fates = [p.fate for p in plans]
        for index, pupil in saved:
            fates[index] = replace(fates[index], pupil_id=pupil.id)
    return ImportResult(fates, totals)
