"""Importing pupils: each row's fate against the record file, then all accepted rows at once.

A row is matched to a pupil by UPN. Fields have an owner. The MIS owns identity and placement
(`MIS_OWNED`): a re-import updates them. SENDesk owns the SEN judgement (status, ranked needs and
the dates since) once the SENCo has set it here (`Pupil.sen_set_on`): where the file disagrees,
the preview shows both and SENDesk's value is kept unless the user takes the file's for that row.
Only the cells a row fills change a pupil: an empty cell never erases anything. A row's need
cells are the pupil's ranked needs when it fills any of them; a row that says "No SEN" and
names no need leaves no ranked needs. `apply` saves every new and updated pupil in one
transaction with one audit event, and records the old values so that `undo` can put them back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from sendesk import codes
from sendesk.errors import BadInput, NotFound, ValidationFailed
from sendesk.importers import Fate, ParsedRow, RowFate, Source, Totals, rejected_csv
from sendesk.importers.fates import LABELS, FieldChange
from sendesk.models import Base, ImportBatch, ImportChange, Pupil, utcnow
from sendesk.school_year import school_year_start
from sendesk.services import Sessions, audit, pupils
from sendesk.services.pupils import SEN_JUDGEMENT, PupilDetails
from sendesk.wording import plural

Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) while an import saves; it runs on the caller's thread."""

_CHUNK = 500
MIS_OWNED = (
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


def _edited(details: PupilDetails) -> list[str]:
    """The fields an import may change and undo: all but the version, which every save moves."""
    return list(details.values())


_DATES = frozenset(f.name for f in fields(PupilDetails) if "since" in f.name or "date" in f.name)
NO_DATE_OF_BIRTH = (
    "No date of birth: every pupil needs one (retention, year-group checks and the census use it)."
)


class CannotUndo(BadInput):
    """An import cannot be undone (already undone, or its records were edited since)."""


@dataclass(frozen=True)
class ImportResult:
    fates: list[RowFate]
    totals: Totals
    batch_id: int | None = None  # None when nothing was saved


@dataclass(frozen=True)
class Undone:
    restored: int  # pupils whose values were put back
    removed: int  # pupils the import had added


@dataclass
class _Plan:
    fate: RowFate
    kept: PupilDetails | None = None  # what saving the row gives, SENDesk's judgement kept
    taken: PupilDetails | None = None  # ... with the file's SEN judgement taken instead
    pupil: Pupil | None = None

    def details(self) -> PupilDetails | None:
        return self.taken if self.fate.taken and self.taken is not None else self.kept


def _existing(session: Session, upns: Iterable[str]) -> dict[str, Pupil]:
    wanted = sorted(set(upns))
    found: dict[str, Pupil] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for pupil in session.execute(select(Pupil).where(Pupil.upn.in_(chunk))).scalars():
            found[pupil.upn or ""] = pupil
    return found


def _sen_from(values: dict[str, Any], details: PupilDetails) -> dict[str, Any]:
    """The SEN judgement a row gives, from the cells it fills."""
    sen: dict[str, Any] = {}
    if "sen_status" in values:
        sen["sen_status"] = values["sen_status"]
    if "primary_need" in values or "secondary_need" in values:
        sen["primary_need"] = values.get("primary_need")
        sen["secondary_need"] = values.get("secondary_need")
    elif values.get("sen_status") == codes.SenStatus.NONE:
        sen["primary_need"] = sen["secondary_need"] = None  # no SEN, so no ranked needs
    status = sen.get("sen_status", details.sen_status)
    if "sen_start" in values and status in codes.ON_SEN_REGISTER:
        since = "sen_support_since" if status == codes.SenStatus.SEN_SUPPORT else "ehc_plan_since"
        sen[since] = values["sen_start"]
    return sen


def _merged(row: ParsedRow, pupil: Pupil | None) -> tuple[PupilDetails, PupilDetails]:
    """The pupil with this row saved: (SENDesk's judgement kept, the file's taken)."""
    details = PupilDetails.of(pupil) if pupil else PupilDetails("", "")
    mis = {name: row.values[name] for name in MIS_OWNED if name in row.values}
    placed = replace(details, **mis)
    taken = replace(placed, **_sen_from(row.values, details))
    owned = pupil is not None and pupil.sen_set_on is not None
    return (placed if owned else taken), taken


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


def _diffs(
    before: PupilDetails, after: PupilDetails, names: Iterable[str]
) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(n, getattr(before, n), getattr(after, n))
        for n in names
        if getattr(before, n) != getattr(after, n)
    )


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
        moved_on = _years_since(row.made_on, today)
        variants = []
        for merged in _merged(row, pupil):
            details = pupils.clean(merged)
            if moved_on and details.year_group is not None and "year_group" in row.values:
                # A file from an earlier school year: its pupils have moved up since it was made.
                details = replace(details, year_group=min(details.year_group + moved_on, 14))
            variants.append(details)
        kept, taken = variants
        if kept.date_of_birth is None:
            plans.append(_rejected(row, NO_DATE_OF_BIRTH))
            continue
        try:
            warnings = tuple(pupils.check(kept, today))
        except ValidationFailed as exc:
            plans.append(_rejected(row, " ".join(exc.problems.values())))
            continue
        if moved_on and "year_group" in row.values:
            warnings += (
                f"The file is from the {_school_year(row.made_on)} school year, so the year "
                f"group was moved on by {moved_on}.",
            )
        before = PupilDetails.of(pupil) if pupil else None
        held: tuple[FieldChange, ...] = ()
        if before is not None and taken != kept:
            try:
                pupils.check(taken, today)
                held = _diffs(kept, taken, SEN_JUDGEMENT)
            except ValidationFailed as exc:
                warnings += ("The MIS's SEN details cannot be used: " + " ".join(
                    exc.problems.values()),)  # fmt: skip
        fate = RowFate(
            row.row, Fate.NEW, row.upn, row.name,
            diffs=_diffs(before, kept, _edited(kept)) if before else (),
            warnings=warnings, pupil_id=pupil.id if pupil else None, held=held,
            sen_set_on=pupil.sen_set_on if pupil else None, existing=pupil is not None,
        ).chosen(take=False, leave_out=False)  # fmt: skip
        plans.append(_Plan(fate, kept, taken, pupil))
    return plans


def _choose(plans: list[_Plan], take: Collection[int], leave_out: Collection[int]) -> list[_Plan]:
    for plan in plans:
        plan.fate = plan.fate.chosen(plan.fate.row in take, plan.fate.row in leave_out)
    return plans


def preview(
    sessions: Sessions,
    rows: Sequence[ParsedRow],
    today: dt.date | None = None,
    *,
    take: Collection[int] = (),
    leave_out: Collection[int] = (),
) -> list[RowFate]:
    """What an import of these rows would do now, row by row; nothing is written.

    `take` holds the row numbers whose SEN judgement the user takes from the file; `leave_out`
    the rows not to import.
    """
    with sessions() as session:
        plans = _plan(session, rows, today or dt.date.today())
        return [p.fate for p in _choose(plans, take, leave_out)]


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _decode(name: str, value: Any) -> Any:
    return dt.date.fromisoformat(value) if name in _DATES and value is not None else value


def apply(
    sessions: Sessions,
    rows: Sequence[ParsedRow],
    kind: str = "CSV",
    today: dt.date | None = None,
    progress: Progress | None = None,
    *,
    take: Collection[int] = (),
    leave_out: Collection[int] = (),
    source_name: str = "",
    digest: str = "",
) -> ImportResult:
    """Save every new and updated pupil in one transaction, with one audit event, or nothing.

    The fates are worked out again inside the transaction, so the result describes what was
    really done even if the file changed since the preview. When nothing would change, nothing
    is written, not even an audit event: importing the same file twice changes nothing. What
    each pupil held before is recorded with the batch, so the import can be undone.
    """
    with sessions() as session, session.begin():
        plans = _choose(_plan(session, rows, today or dt.date.today()), take, leave_out)
        totals = Totals.of([p.fate for p in plans])
        saved: list[tuple[int, Pupil, dict[str, list[Any]]]] = []
        for index, plan in enumerate(plans):
            if not plan.fate.accepted:
                continue
            details = plan.details()
            assert details is not None
            pupil = plan.pupil or Pupil()
            before = PupilDetails.of(pupil) if plan.pupil else None
            pupils._apply(pupil, details)  # the one place a pupil's fields are set
            if plan.pupil is None:
                session.add(pupil)
                values = {
                    f.name: [None, _encode(getattr(details, f.name))]
                    for f in fields(details)
                    if f.name != "version"
                }
            else:
                assert before is not None
                values = {
                    d.field: [_encode(d.old), _encode(d.new)]
                    for d in _diffs(before, details, _edited(details))
                }
            saved.append((index, pupil, values))
            if progress is not None:
                progress(len(saved), totals.to_save)
        if not saved:
            return ImportResult([p.fate for p in plans], totals)
        session.flush()
        batch = ImportBatch(
            kind=kind, source_name=source_name[:255], source_digest=digest,
            summary=totals.sentence(), pupils=len(saved),
        )  # fmt: skip
        session.add(batch)
        session.flush()
        fates = [p.fate for p in plans]
        session.execute(
            insert(ImportChange),
            [
                {"batch_id": batch.id, "pupil_id": pupil.id, "values_json": json.dumps(values),
                 "added": plans[index].pupil is None}
                for index, pupil, values in saved
            ],
        )  # fmt: skip
        for index, pupil, _ in saved:
            fates[index] = replace(fates[index], pupil_id=pupil.id)
        audit.record(
            session, "pupils.imported", f"Pupils imported from a {kind} file: {totals.sentence()}"
        )
    return ImportResult(fates, totals, batch.id)


def batch_of(sessions: Sessions, digest: str) -> int | None:
    """The latest import of the file with this digest that can still be undone, if any."""
    with sessions() as session:
        found = session.execute(
            select(ImportBatch.id)
            .where(ImportBatch.source_digest == digest, ImportBatch.undone_at.is_(None))
            .order_by(ImportBatch.id.desc())
        ).scalar()
    return int(found) if found is not None else None


def _name(pupil: Pupil) -> str:
    return f"{pupil.legal_surname}, {pupil.legal_forename}"


def _labels(names: Iterable[str]) -> str:
    return ", ".join(LABELS.get(n, n.replace("_", " ")) for n in names)


def _with_records(session: Session, pupil_ids: Sequence[int]) -> dict[int, set[str]]:
    """For each of these pupils that has any record besides the import's own, what kind."""
    found: dict[int, set[str]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == ImportChange.__tablename__:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != Pupil.__tablename__:
                continue
            for start in range(0, len(pupil_ids), _CHUNK):
                chunk = pupil_ids[start : start + _CHUNK]
                query = select(fk.parent).where(fk.parent.in_(chunk)).distinct()
                for pupil_id in session.execute(query).scalars():
                    found.setdefault(pupil_id, set()).add(table.name.replace("_", " "))
    return found


def _edited_since(pupil: Pupil, change: ImportChange, records: set[str]) -> str | None:
    """Why this pupil's part of the import cannot be undone, or None."""
    values = json.loads(change.values_json)
    now = PupilDetails.of(pupil)
    edited = [n for n, (_, new) in values.items() if getattr(now, n) != _decode(n, new)]
    if change.added:
        kinds = sorted(records)
        if pupil.archived_on is not None:
            kinds.append("an archive date")
        if kinds:
            return f"{_name(pupil)} was added by this import and has {', '.join(kinds)} since"
    if edited:
        return f"{_name(pupil)}: {_labels(edited)} changed since the import"
    return None


def undo(sessions: Sessions, batch_id: int) -> Undone:
    """Put back exactly what one import changed and remove the pupils it added, in one step.

    Refused, with every reason, when any of those values or pupils was edited since (by the
    SENCo or by a later import): undoing then would throw that work away.
    """
    with sessions() as session, session.begin():
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFound("That import is not recorded in this file.")
        if batch.undone_at is not None:
            raise CannotUndo(
                f"This import was already undone on {batch.undone_at:%d/%m/%Y at %H:%M} (UTC)."
            )
        changes = list(
            session.execute(select(ImportChange).where(ImportChange.batch_id == batch_id)).scalars()
        )
        if len(changes) != batch.pupils:
            raise CannotUndo(
                "This import cannot be undone: a pupil it changed or added has since been "
                "removed from the file (transferred or deleted)."
            )
        ids = [c.pupil_id for c in changes]
        found: dict[int, Pupil] = {}
        for start in range(0, len(ids), _CHUNK):
            query = select(Pupil).where(Pupil.id.in_(ids[start : start + _CHUNK]))
            found.update((p.id, p) for p in session.execute(query).scalars())
        records = _with_records(session, [c.pupil_id for c in changes if c.added])
        problems = []
        for change in changes:
            held = records.get(change.pupil_id, set())
            if why := _edited_since(found[change.pupil_id], change, held):
                problems.append(why)
        if problems:
            more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
            raise CannotUndo(
                "This import cannot be undone, because records it changed were edited since: "
                + "; ".join(problems[:5])
                + more
                + ". Nothing was changed."
            )
        removed_ids = [c.pupil_id for c in changes if c.added]
        for change in changes:
            if not change.added:
                pupil = found[change.pupil_id]
                old = {n: _decode(n, v[0]) for n, v in json.loads(change.values_json).items()}
                pupils._apply(pupil, replace(PupilDetails.of(pupil), **old))
        # The old values are not kept once they are back; the pupils it added had nothing else.
        session.execute(delete(ImportChange).where(ImportChange.batch_id == batch_id))
        for start in range(0, len(removed_ids), _CHUNK):
            chunk = removed_ids[start : start + _CHUNK]
            session.execute(
                delete(Pupil)
                .where(Pupil.id.in_(chunk))
                .execution_options(synchronize_session=False)
            )
        removed, restored = len(removed_ids), len(changes) - len(removed_ids)
        batch.undone_at = utcnow()
        audit.record(
            session,
            "pupils.import_undone",
            f"Import from a {batch.kind} file undone: {plural(restored, 'pupil')} restored, "
            f"{removed} removed",
        )
    return Undone(restored, removed)


def save_rejected(
    sessions: Sessions,
    path: Path,
    source: Source,
    fates: Sequence[RowFate],
    *,
    overwrite: bool,
) -> int:
    """Write the rejected rows as a CSV to fix and import again, whole or not at all, and audit
    it: the file is a plain copy of pupils' names and dates of birth. Returns how many rows."""
    from sendesk import atomic

    count = sum(1 for f in fates if f.fate is Fate.REJECTED)
    atomic.write(path, rejected_csv(source, fates), overwrite=overwrite, what="The rejected rows")
    with sessions() as session, session.begin():
        audit.record(session, "import.rejected_saved", f"{count} rejected import rows saved")
    return count
