"""What is made from meetings to take out of the app: the iCalendar file, the week's printed
schedule and the parents' invitation to a review (letter and email text). Each is audited.

`sendesk.services.meetings` keeps the meetings themselves; the rules are in `sendesk.calendar`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from sendesk import calendar, codes
from sendesk.errors import ValidationFailed
from sendesk.models import Meta, SchoolSettings
from sendesk.services import Sessions, audit
from sendesk.services.meetings import between, get_meeting, name_of

if TYPE_CHECKING:  # ReportLab loads only when something is printed
    from sendesk.documents.invitation_letter import Invitation
    from sendesk.documents.style import DocumentOptions
    from sendesk.services.documents import Printable


def export_ics(
    sessions: Sessions,
    first: dt.date,
    last: dt.date,
    kinds: Iterable[str] | None = None,
    now: dt.datetime | None = None,
) -> tuple[bytes, int]:
    """The iCalendar text for a date range, and how many events it holds; audited."""
    found = between(sessions, first, last, kinds)
    entries = [
        calendar.CalendarEntry(
            m.id, m.kind, m.starts_at, m.duration_minutes, m.place, m.status, m.forename, m.surname
        )
        for m in found
    ]
    with sessions() as session, session.begin():
        detail = session.execute(select(SchoolSettings.calendar_detail)).scalar_one()
        file_id = session.execute(select(Meta.file_id)).scalar_one()
        data = calendar.to_ics(entries, detail, file_id, now)
        count = sum(1 for e in entries if e.status in ("planned", "held"))
        audit.record(
            session,
            "calendar.exported",
            f"iCalendar export of {count} meetings, {first.isoformat()} to {last.isoformat()} "
            f"({calendar.CALENDAR_DETAILS[detail].lower()})",
        )
    return data, count


def record_printed(sessions: Sessions, what: str) -> None:
    """Audit a printed schedule (no names: `what` says which week)."""
    with sessions() as session, session.begin():
        audit.record(session, "calendar.printed", what)


def school_name(sessions: Sessions) -> str:
    with sessions() as session:
        return session.execute(select(Meta.school_name)).scalar_one()


def week_schedule_pdf(
    sessions: Sessions, day: dt.date, printed_on: dt.date | None = None
) -> tuple[bytes, dt.date]:
    """The printable schedule of the week `day` falls in, and its Monday; audited as a print."""
    from sendesk.documents import week_schedule  # ReportLab is only needed to print

    monday, sunday = calendar.week_of(day)
    lines = [
        week_schedule.ScheduleLine(
            m.starts_at, m.duration_minutes, m.pupil_name, m.kind, m.place, m.invited, m.status
        )
        for m in between(sessions, monday, sunday)
    ]
    data = week_schedule.render(school_name(sessions), monday, lines, printed_on)
    record_printed(sessions, f"Week's meeting schedule printed (week of {monday.isoformat()})")
    return data, monday


# --- the parents' invitation to a review -------------------------------------------------------


def _invitation(session: Session, meeting_id: int) -> tuple[Invitation, str]:
    """What the invitation says, and the pupil's uuid for the audit log."""
    from sendesk.documents.invitation_letter import Invitation

    meeting = get_meeting(session, meeting_id)
    if meeting.status != "planned":
        status = codes.MEETING_STATUSES[meeting.status].lower()
        raise ValidationFailed(
            {"status": f"Only a planned meeting has an invitation to send; this one is {status}."}
        )
    pupil = meeting.pupil
    senco = session.execute(select(SchoolSettings.senco_name)).scalar_one()
    school = session.execute(select(Meta.school_name)).scalar_one()
    found = Invitation(
        child_name=name_of(pupil),
        meeting_kind=codes.MEETING_KINDS[meeting.kind],
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        place=meeting.place,
        invited=meeting.invited,
        senco_name=senco,
        school_name=school,
    )
    return found, pupil.uuid


def invitation_pdf(
    sessions: Sessions,
    meeting_id: int,
    options: DocumentOptions | None = None,
    today: dt.date | None = None,
) -> Printable:
    """The parents' invitation letter for a planned meeting, ready to preview, print or save
    (the documents service audits whichever is done)."""
    from sendesk.documents import invitation_letter
    from sendesk.services.documents import Printable, letterhead

    with sessions() as session:
        found, uuid = _invitation(session, meeting_id)
    data = invitation_letter.build(letterhead(sessions, today), found, options)
    day = found.starts_at.date().isoformat()
    return Printable(
        "invitation", invitation_letter.TITLE, data, (uuid,), f"invitation-{meeting_id}-{day}.pdf"
    )


def invitation_email(sessions: Sessions, meeting_id: int) -> str:
    """The invitation as the text of an email; audited, as it leaves the app by the clipboard."""
    from sendesk.documents import invitation_letter

    with sessions() as session, session.begin():
        found, uuid = _invitation(session, meeting_id)
        audit.record(session, "document.copied", "Invitation email text copied", uuid)
    return invitation_letter.email_text(found)
