"""The sessions of the provisions a login delivers, recorded without touching the cycle: on a
record file and on the server (as the administrator; the assistant's own login is in
tests/server/test_delivery_as_assistant.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from sendesk.codes import Stage
from sendesk.errors import StaleEdit, ValidationFailed
from sendesk.models import AuditEvent, Cycle, Note, Provision, ProvisionSession
from sendesk.records import Records
from sendesk.services import Sessions, cycles, delivery
from sendesk.services.cycles import SessionEntry, WeekRecorded
from tests.conftest import DEMO_TODAY

MONDAY = DEMO_TODAY - dt.timedelta(days=7)  # a past week: every day of it may be recorded


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


def _pupil_at_do(vault: Records) -> tuple[int, int, list[int]]:
    """A pupil whose open cycle is at Do with several provisions: (pupil, cycle, provisions)."""
    with vault.sessions() as session:
        pupil_id, cycle_id = session.execute(
            select(Cycle.pupil_id, Cycle.id)
            .join(Provision)
            .where(Cycle.stage == Stage.DO)
            .group_by(Cycle.pupil_id, Cycle.id)
            .having(func.count(Provision.id) > 1)
            .order_by(Cycle.pupil_id)
        ).first()  # type: ignore[misc]
        provisions = session.execute(
            select(Provision.id).where(Provision.cycle_id == cycle_id).order_by(Provision.id)
        ).scalars()
        return pupil_id, cycle_id, list(provisions)


def _counts(vault: Records, cycle_id: int) -> tuple[int, int, int, int]:
    """(sessions of the cycle, notes, audit events, the cycle's version)."""
    with vault.sessions() as session:
        held = session.execute(
            select(func.count()).select_from(ProvisionSession).join(Provision)
            .where(Provision.cycle_id == cycle_id)
        ).scalar_one()  # fmt: skip
        notes = session.execute(select(func.count()).select_from(Note)).scalar_one()
        events = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        cycle = session.get(Cycle, cycle_id)
        assert cycle is not None
        return held, notes, events, cycle.version


def _day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def test_the_provisions_at_do_are_listed_with_the_week_recorded(demo_vault: Records) -> None:
    pupil_id, cycle_id, provisions = _pupil_at_do(demo_vault)
    shown = delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, MONDAY)
    assert [p.id for p in shown] == provisions
    recorded = cycles.week_sessions(demo_vault.sessions, cycle_id, MONDAY)
    assert sorted((e.provision_id, e.held_on) for p in shown for e in p.week) == sorted(
        (e.provision_id, e.held_on) for e in recorded
    )
    with pytest.raises(ValidationFailed):
        delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, _day(1))


def test_a_week_is_recorded_and_corrected_touching_only_its_sessions(demo_vault: Records) -> None:
    pupil_id, cycle_id, provisions = _pupil_at_do(demo_vault)
    first = provisions[0]
    before = delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, MONDAY)
    seen = before[0].week
    theirs = before[1].week
    held, notes, events, version = _counts(demo_vault, cycle_id)
    entries = [SessionEntry(first, _day(0), True), SessionEntry(first, _day(2), False)]
    # Whatever was recorded that week and is not ticked again is kept, marked not attended.
    done = _record(demo_vault.sessions, first, MONDAY, entries, seen, DEMO_TODAY)
    after = delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, MONDAY)
    marks = {e.held_on: e.attended for e in after[0].week}
    kept = {e.held_on for e in seen} - {_day(0), _day(2)}
    assert marks == {_day(0): True, _day(2): False} | dict.fromkeys(kept, False)
    assert after[1].week == theirs  # the other provision is untouched
    new = len({_day(0), _day(2)} - {e.held_on for e in seen})
    assert done.added == new and done.removed == 0
    assert _counts(demo_vault, cycle_id) == (held + new, notes, events + 1, version)

    # Correcting it: Wednesday attended after all, Monday not held (so not attended).
    fixed = [SessionEntry(first, _day(2), True)]
    done = _record(demo_vault.sessions, first, MONDAY, fixed, after[0].week, DEMO_TODAY)
    assert done.added == 0 and done.corrected == 2
    again = delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, MONDAY)
    assert {e.held_on: e.attended for e in again[0].week}[_day(0)] is False
    assert {e.held_on: e.attended for e in again[0].week}[_day(2)] is True
    assert _counts(demo_vault, cycle_id)[1:] == (notes, events + 2, version)


def test_nothing_changed_writes_no_audit_event(demo_vault: Records) -> None:
    pupil_id, cycle_id, provisions = _pupil_at_do(demo_vault)
    shown = delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, MONDAY)[0]
    before = _counts(demo_vault, cycle_id)
    done = _record(demo_vault.sessions, provisions[0], MONDAY, shown.week, shown.week, DEMO_TODAY)
    assert (done.added, done.corrected) == (0, 0)
    assert _counts(demo_vault, cycle_id) == before


@pytest.mark.parametrize(
    ("monday", "day", "field"),
    [
        (MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=1), "week"),
        (MONDAY, MONDAY + dt.timedelta(days=7), "sessions"),
        (DEMO_TODAY, DEMO_TODAY + dt.timedelta(days=1), "sessions"),
    ],
)
def test_a_session_outside_the_week_or_in_the_future_is_refused(
    demo_vault: Records, monday: dt.date, day: dt.date, field: str
) -> None:
    _, cycle_id, provisions = _pupil_at_do(demo_vault)
    before = _counts(demo_vault, cycle_id)
    with pytest.raises(ValidationFailed) as refused:
        _record(
            demo_vault.sessions, provisions[0], monday, [SessionEntry(provisions[0], day, True)],
            [], DEMO_TODAY,
        )  # fmt: skip
    assert field in refused.value.problems
    assert _counts(demo_vault, cycle_id) == before


def test_a_week_recorded_by_someone_else_since_is_a_conflict(demo_vault: Records) -> None:
    pupil_id, cycle_id, provisions = _pupil_at_do(demo_vault)
    week = DEMO_TODAY  # the demo records nothing in the current week
    first = provisions[0]
    shown = delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, week)[0]
    assert shown.week == []
    mine = [SessionEntry(first, week, True)]
    _record(demo_vault.sessions, first, week, mine, shown.week, DEMO_TODAY)
    before = _counts(demo_vault, cycle_id)
    with pytest.raises(StaleEdit):  # a second window, opened before the first saved
        theirs = [SessionEntry(first, week, False)]
        _record(demo_vault.sessions, first, week, theirs, [], DEMO_TODAY)
    assert _counts(demo_vault, cycle_id) == before


def test_a_provision_of_a_cycle_not_at_do_is_refused(demo_vault: Records) -> None:
    with demo_vault.sessions() as session:
        provision_id = session.execute(
            select(Provision.id).join(Cycle).where(Cycle.stage != Stage.DO)  # Review or closed
        ).scalar()
    assert provision_id is not None
    with pytest.raises(ValidationFailed) as refused:
        _record(
            demo_vault.sessions, provision_id, MONDAY, [SessionEntry(provision_id, MONDAY, True)],
            [], DEMO_TODAY,
        )  # fmt: skip
    assert "stage" in refused.value.problems


def test_several_provisions_are_saved_together_or_not_at_all(demo_vault: Records) -> None:
    pupil_id, cycle_id, provisions = _pupil_at_do(demo_vault)
    week = DEMO_TODAY  # nothing recorded yet this week
    first, second = provisions[0], provisions[1]
    before = _counts(demo_vault, cycle_id)
    stale = [SessionEntry(second, week, True)]  # a session of it the user never saw
    weeks = [
        delivery.WeekOf(first, [SessionEntry(first, week, True)], []),
        delivery.WeekOf(second, [SessionEntry(second, week, False)], stale),
    ]
    with pytest.raises(StaleEdit):
        delivery.record_weeks(demo_vault.sessions, week, weeks, DEMO_TODAY)
    assert _counts(demo_vault, cycle_id) == before  # the first provision's week was not written
    weeks[1] = delivery.WeekOf(second, [SessionEntry(second, week, False)], [])
    done = delivery.record_weeks(demo_vault.sessions, week, weeks, DEMO_TODAY)
    assert done.added == 2
    shown = delivery.provisions_to_deliver(demo_vault.sessions, pupil_id, week)
    assert [[(e.held_on, e.attended) for e in p.week] for p in shown[:2]] == [
        [(week, True)],
        [(week, False)],
    ]
    assert _counts(demo_vault, cycle_id)[2] == before[2] + 2  # an audit event each


def test_a_week_an_assistant_recorded_meanwhile_is_not_replaced_by_the_do_wizard(
    demo_vault: Records,
) -> None:
    # The SENCo's Do wizard shows the week; an assistant then records a session, which does not
    # change the cycle's version: the wizard's save is a conflict, not a silent replacement.
    _pupil_id, cycle_id, provisions = _pupil_at_do(demo_vault)
    sessions = demo_vault.sessions
    seen = cycles.load(sessions, cycle_id).version
    shown = cycles.week_sessions(sessions, cycle_id, MONDAY)
    theirs = [e for e in shown if e.provision_id == provisions[0]]
    free = [_day(n) for n in range(5) if _day(n) not in {e.held_on for e in theirs}]
    assert free  # a weekday of the week the demo left empty for that provision
    added = SessionEntry(provisions[0], free[0], True)
    _record(sessions, provisions[0], MONDAY, [*theirs, added], theirs, DEMO_TODAY)
    after_assistant = cycles.week_sessions(sessions, cycle_id, MONDAY)
    assert added in after_assistant and cycles.load(sessions, cycle_id).version == seen
    mine = [e for e in shown if e.provision_id != provisions[0]]
    with pytest.raises(StaleEdit) as caught:
        cycles.record_week(
            sessions, cycle_id, MONDAY, mine, today=DEMO_TODAY, seen=seen, shown=shown
        )
    assert "sessions" in caught.value.differences
    assert cycles.week_sessions(sessions, cycle_id, MONDAY) == after_assistant  # nothing lost
    # Told, the user may save over it: with the week shown as it now is, the save goes through.
    done = cycles.record_week(
        sessions, cycle_id, MONDAY, after_assistant, today=DEMO_TODAY, seen=seen,
        shown=after_assistant,
    )  # fmt: skip
    assert (done.added, done.corrected, done.removed) == (0, 0, 0)
