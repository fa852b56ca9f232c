"""Several people on one server at once: per-pupil numbers cannot collide."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from sendesk.errors import ValidationFailed
from sendesk.models import Cycle, Pupil
from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase
from sendesk.services import cycles, pupils
from tests.conftest import DEMO_TODAY


def test_two_people_starting_a_cycle_for_one_pupil_get_one_cycle(
    school_server: ServerAddress,
) -> None:
    with (
        ServerDatabase.connect(school_server) as first,
        ServerDatabase.connect(school_server) as second,
    ):
        pupil = pupils.create(
            first.sessions,
            pupils.PupilDetails(legal_surname="Ali", legal_forename="Sara"),
            DEMO_TODAY,
        ).pupil_id
        outcome: list[BaseException | int] = []
        # The first person's transaction is open and holds the pupil …
        with first.sessions() as session, session.begin():
            cycles._new_cycle(session, session.get(Pupil, pupil), DEMO_TODAY, [], [])
            worker = threading.Thread(
                target=lambda: _start(second, pupil, outcome), name="second SENCo"
            )
            worker.start()
            # … so the second waits for it (seen by the server, not by a clock).
            while not _someone_waits_for_a_lock(first):
                worker.join(0.05)
                assert worker.is_alive(), outcome
        worker.join()
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationFailed)
    assert "still open" in str(outcome[0])
    with ServerDatabase.connect(school_server) as db, db.sessions() as session:
        assert session.execute(select(func.count()).select_from(Cycle)).scalar_one() == 1


def _start(db: ServerDatabase, pupil: int, outcome: list[BaseException | int]) -> None:
    try:
        outcome.append(cycles.start(db.sessions, pupil, DEMO_TODAY))
    except BaseException as exc:  # handed back to the test
        outcome.append(exc)


def _someone_waits_for_a_lock(db: ServerDatabase) -> bool:
    with db.engine.connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return bool(waiting)


@pytest.mark.parametrize("attempts", [3])
def test_cycle_numbers_follow_on_after_each_review(
    school_server: ServerAddress, attempts: int
) -> None:
    with ServerDatabase.connect(school_server) as db:
        pupil = pupils.create(
            db.sessions, pupils.PupilDetails(legal_surname="Ali", legal_forename="Omar"), DEMO_TODAY
        ).pupil_id
        first = cycles.start(db.sessions, pupil, DEMO_TODAY)
        with pytest.raises(ValidationFailed, match="still open"):
            cycles.start(db.sessions, pupil, DEMO_TODAY)
        with db.sessions() as session:
            assert session.get(Cycle, first).number == 1  # type: ignore[union-attr]
