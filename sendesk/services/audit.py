"""The append-only audit log. Summaries say what kind of thing happened, never record content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sendesk.models import AuditEvent
from sendesk.services import Sessions


def record(session: Session, action: str, summary: str, pupil_uuid: str | None = None) -> None:
    """Add an event to the caller's transaction: it commits or rolls back with the change."""
    session.add(AuditEvent(action=action, summary=summary, pupil_uuid=pupil_uuid))


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    action: str
    pupil_uuid: str | None
    summary: str


def recent(sessions: Sessions, limit: int = 200, pupil_uuid: str | None = None) -> list[AuditEntry]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if pupil_uuid:
        query = query.where(AuditEvent.pupil_uuid == pupil_uuid)
    with sessions() as session:
        return [
            AuditEntry(e.at, e.action, e.pupil_uuid, e.summary)
            for e in session.execute(query).scalars()
        ]


def recorded_or_removed(written: Sequence[Path], what: str, record: Callable[[], None]) -> None:
    """`record` the export of the files `written`; should the record file refuse the audit
    events (read-only, a full disk), take the files away again and say so: no copy of a child's
    records is left on the disk unrecorded (from the fault trial: "Nothing was changed" beside a
    subject access ZIP that had been written)."""
    from sendesk.errors import FileProblem, known_failure

    try:
        record()
    except Exception as exc:
        left = []
        for path in written:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                left.append(path)
        found = known_failure(exc)
        reason = f" ({found.message.split(': ', 1)[-1].split('. ')[0]})" if found else ""
        removed = (
            "What was written has been removed again, so no unrecorded copy is on the disk."
            if not left
            else "It could not be removed again: delete "
            + ", ".join(str(p) for p in left)
            + " yourself."
        )
        raise FileProblem(
            f"{what} was not saved: every file SENDesk saves is recorded in the record file's "
            f"audit log, and that could not be done{reason}. {removed} Open the record file "
            "where it can be changed (not read-only, with free space on its disk), then save "
            "again."
        ) from exc
