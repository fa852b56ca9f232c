"""Retention review: archived pupils whose records are past date of birth + 31 years.

Nothing is deleted without the SENCo's confirmation. The audit log keeps that a pupil's records
were deleted at review (by UUID), never what they held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sendesk.erasure import overwriting_deletes
from sendesk.errors import BadInput, NotFound
from sendesk.models import Pupil
from sendesk.services import Sessions, audit

RETENTION_YEARS = 31


def keep_until(date_of_birth: dt.date, years: int = RETENTION_YEARS) -> dt.date:
    """Date of birth + 31 years; someone born on 29 February reaches it on 1 March.

    (In England a person born on 29 February attains an age on 1 March in a common year.)
    """
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return dt.date(date_of_birth.year + years, 3, 1)


@dataclass(frozen=True)
class Due:
    pupil_id: int
    uuid: str
    upn: str | None
    name: str
    date_of_birth: dt.date
    keep_until: dt.date
    archived_on: dt.date

    def as_json(self) -> dict[str, object]:
        return {
            "uuid": self.uuid,
            "upn": self.upn,
            "name": self.name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "keep_until": self.keep_until.isoformat(),
            "archived_on": self.archived_on.isoformat(),
        }


def due_for_review(sessions: Sessions, today: dt.date | None = None) -> list[Due]:
    """Archived pupils past their retention date (the day after date of birth + 31 years)."""
    today = today or dt.date.today()
    with sessions() as session:
        return _due(session, today)


def _due(session: Session, today: dt.date, *, lock: bool = False) -> list[Due]:
    # Born before this cannot be past it; the exact test (29 February) is done below.
    latest_birth = dt.date(today.year - RETENTION_YEARS, 12, 31)
    query = (
        select(Pupil)
        .where(Pupil.archived_on.is_not(None), Pupil.date_of_birth <= latest_birth)
        .order_by(Pupil.date_of_birth, Pupil.legal_surname)
    )
    if lock:  # on a server, nobody brings these pupils back while they are being deleted
        query = query.with_for_update()
    due = []
    for p in session.execute(query).scalars():
        assert p.date_of_birth is not None and p.archived_on is not None
        until = keep_until(p.date_of_birth)
        if today > until:
            due.append(Due(p.id, p.uuid, p.upn, p.known_as, p.date_of_birth, until, p.archived_on))
    return due


def undated_archived(sessions: Sessions) -> int:
    """Archived pupils with no date of birth: their retention cannot be worked out."""
    with sessions() as session:
        return len(
            session.execute(
                select(Pupil.id).where(
                    Pupil.archived_on.is_not(None), Pupil.date_of_birth.is_(None)
                )
            ).all()
        )


def delete_reviewed(
    sessions: Sessions,
    pupil_ids: Iterable[int],
    *,
    confirmed: bool,
    today: dt.date | None = None,
) -> int:
    """Delete the records of pupils the SENCo reviewed; each must still be due. All or nothing."""
    if not confirmed:
        raise BadInput("Nothing was deleted: deleting records needs your confirmation.")
    wanted = set(pupil_ids)
    today = today or dt.date.today()
    # Checked and deleted in one transaction, so nobody can change a pupil in between.
    with sessions() as session, session.begin(), overwriting_deletes(session):
        due = {d.pupil_id: d for d in _due(session, today, lock=True)}
        if not wanted <= due.keys():
            raise BadInput(
                "Nothing was deleted: some of these pupils are not past the retention period."
            )
        for pupil_id in sorted(wanted):
            pupil = session.get(Pupil, pupil_id)
            if pupil is None:
                raise NotFound("That pupil is no longer in this file.")
            audit.record(
                session,
                "pupil.deleted_at_retention_review",
                "Records deleted after the retention review",
                pupil.uuid,
            )
            session.delete(pupil)
        session.flush()
    return len(wanted)
