"""A teaching assistant records the sessions of the provision they deliver through the service,
with their own login: the database's grants and row policies hold, and nothing else is touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sendesk.errors import NotFound
from sendesk.server import admin
from sendesk.server.database import ServerDatabase
from sendesk.services import Sessions, delivery
from sendesk.services.cycles import SessionEntry, WeekRecorded
from tests.conftest import DEMO_TODAY
from tests.server.conftest import STAFF_PASSWORD, PrivateServer, fresh_database, import_demo

MONDAY = DEMO_TODAY - dt.timedelta(days=7)


def _record(
    sessions: Sessions,
    provision_id: int,
    monday: dt.date,
    entries: list[SessionEntry],
    seen: list[SessionEntry],
    today: dt.date,
) -> WeekRecorded:
    """One provision's week, as the Sessions tab saves it."""
    return delivery.record_weeks(
        sessions, monday, [delivery.WeekOf(provision_id, entries, seen)], today
    )


@dataclass(frozen=True)
class Delivery:
    database: str
    pupil: int
    cycle: int
    theirs: int  # the provision the assistant delivers
    others: list[int]  # the same cycle's other provisions


@pytest.fixture(scope="module")
def delivery_school(
    test_server: PrivateServer, demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Delivery, ServerDatabase]]:
    with fresh_database(test_server) as address, pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGPASSWORD", test_server.password)
        import_demo(address, demo_template, tmp_path_factory.mktemp("delivery"))
        admin.add_user(address, None, "a.delivers", "assistant", STAFF_PASSWORD)
        test_server.logins.append("a.delivers")
        with test_server.psql(address.database) as conn:
            found = conn.execute(
                "SELECT c.pupil_id, c.id FROM cycle c JOIN provision v ON v.cycle_id = c.id "
                "WHERE c.stage = 'do' GROUP BY c.pupil_id, c.id HAVING count(*) > 1 "
                "ORDER BY c.pupil_id LIMIT 1"
            ).fetchone()
            assert found is not None
            pupil, cycle = found
            provisions = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM provision WHERE cycle_id = %s ORDER BY id", (cycle,)
                )
            ]
            conn.execute(
                "UPDATE provision SET staff_id = (SELECT id FROM staff WHERE login = 'a.delivers') "
                "WHERE id = %s",
                (provisions[0],),
            )
        school = Delivery(address.database, pupil, cycle, provisions[0], provisions[1:])
        login = ServerDatabase.connect(address.with_login("a.delivers"), STAFF_PASSWORD)
        try:
            yield school, login
        finally:
            login.close()


def _sessions(
    test_server: PrivateServer, school: Delivery, provision: int
) -> list[tuple[dt.date, bool]]:
    with test_server.psql(school.database) as conn:
        return conn.execute(
            "SELECT held_on, attended FROM provision_session "
            "WHERE provision_id = %s AND held_on BETWEEN %s AND %s ORDER BY held_on",
            (provision, MONDAY, MONDAY + dt.timedelta(days=6)),
        ).fetchall()


def _cycle_version(test_server: PrivateServer, school: Delivery) -> int:
    with test_server.psql(school.database) as conn:
        row = conn.execute("SELECT version FROM cycle WHERE id = %s", (school.cycle,)).fetchone()
    assert row is not None
    return int(row[0])


def test_an_assistant_sees_only_the_provision_they_deliver(
    delivery_school: tuple[Delivery, ServerDatabase],
) -> None:
    school, login = delivery_school
    shown = delivery.provisions_to_deliver(login.sessions, school.pupil, MONDAY)
    assert [p.id for p in shown] == [school.theirs]


def test_an_assistant_records_and_corrects_a_week_of_their_provision(
    delivery_school: tuple[Delivery, ServerDatabase], test_server: PrivateServer
) -> None:
    school, login = delivery_school
    version = _cycle_version(test_server, school)
    others = [_sessions(test_server, school, p) for p in school.others]
    shown = delivery.provisions_to_deliver(login.sessions, school.pupil, MONDAY)[0]
    tuesday, thursday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=3)
    entries = [
        SessionEntry(school.theirs, tuesday, True),
        SessionEntry(school.theirs, thursday, True),
    ]
    done = _record(login.sessions, school.theirs, MONDAY, entries, shown.week, DEMO_TODAY)
    assert done.added == 2
    assert _sessions(test_server, school, school.theirs) == [(tuesday, True), (thursday, True)]
    # Thursday was a mistake: an assistant cannot remove it, so it is marked not attended.
    shown = delivery.provisions_to_deliver(login.sessions, school.pupil, MONDAY)[0]
    done = _record(login.sessions, school.theirs, MONDAY, entries[:1], shown.week, DEMO_TODAY)
    assert (done.added, done.corrected) == (0, 1)
    assert _sessions(test_server, school, school.theirs) == [(tuesday, True), (thursday, False)]
    assert _cycle_version(test_server, school) == version  # the cycle itself is not touched
    assert [_sessions(test_server, school, p) for p in school.others] == others
    with test_server.psql(school.database) as conn:
        actors = conn.execute(
            "SELECT actor FROM audit_event WHERE action = 'provision.sessions'"
        ).fetchall()
    assert actors == [("a.delivers",), ("a.delivers",)]


def test_an_assistant_cannot_record_a_provision_they_do_not_deliver(
    delivery_school: tuple[Delivery, ServerDatabase], test_server: PrivateServer
) -> None:
    school, login = delivery_school
    other = school.others[0]
    before = _sessions(test_server, school, other)
    seen = [SessionEntry(other, day, attended) for day, attended in before]
    with pytest.raises(NotFound):  # the row policy hides it, as if it were not there
        _record(
            login.sessions, other, MONDAY, [SessionEntry(other, MONDAY, True)], seen, DEMO_TODAY
        )
    assert _sessions(test_server, school, other) == before
