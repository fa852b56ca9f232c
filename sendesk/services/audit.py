"""The append-only audit log. Summaries say what kind of thing happened, never record content."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
