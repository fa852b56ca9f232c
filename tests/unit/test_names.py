"""The name a pupil is known by is one rule, and every place that shows a pupil agrees with it."""

from __future__ import annotations

import datetime as dt

from sendesk import calendar, names
from sendesk.documents import common
from sendesk.services import meetings, pupils
from sendesk.services.meetings import MeetingDetails
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 23)


def test_preferred_names_win_where_given() -> None:
    assert names.known_as("Jayden", "Smith") == "Jayden Smith"
    assert names.known_as("Jayden", "Smith", None, "Okoro") == "Jayden Okoro"
    assert names.known_as("Jayden", "Smith", "Jay", "Okoro") == "Jay Okoro"
    assert names.listed_as("Jayden", "Smith", "Jay", "Okoro") == "Okoro, Jay"
    assert names.legal_name("Jayden", "Smith") == "Jayden Smith"


def test_the_register_record_calendar_and_documents_agree(vault: Vault) -> None:
    details = PupilDetails("Smith", "Jayden", preferred_surname="Okoro")
    pupil_id = pupils.create(vault.sessions, details, TODAY).pupil_id
    meetings.schedule(
        vault.sessions,
        pupil_id,
        MeetingDetails("sen_review", dt.datetime(2026, 12, 1, 15, 30), 30, "SENCo office"),
        TODAY,
    )

    [row] = pupils.list_register(vault.sessions, today=TODAY)
    [meeting] = meetings.between(vault.sessions, TODAY, TODAY + dt.timedelta(days=30))
    history = pupils.history(vault.sessions, pupil_id)
    entry = calendar.CalendarEntry(
        meeting.id,
        meeting.kind,
        meeting.starts_at,
        meeting.duration_minutes,
        meeting.place,
        meeting.status,
        meeting.forename,
        meeting.surname,
    )
    shown = {
        "register": row.display_name,
        "record": pupils.details(vault.sessions, pupil_id).known_as,
        "model": history.known_as,
        "calendar": meeting.pupil_name,
        "iCalendar": calendar.event_title(entry, "full_name_kind").split(" — ")[0],
        "printed plans": common.name(history),
    }
    assert set(shown.values()) == {"Jayden Okoro"}, shown
    assert row.listed_as == "Okoro, Jayden"
    assert calendar.event_title(entry, "initials_kind").startswith("J.O.")
    assert common.legal_name(history) == "Jayden Smith"
