"""The sessions of the provisions I deliver: what a teaching assistant records on a team server.

An assistant may read the provisions they deliver and add or change those provisions' sessions,
nothing more (`sendesk.server.access`): not the cycle's version, not the pupil's log, and no
session may be removed. So this records a week of one provision's sessions touching only its
`provision_session` rows; a session recorded by mistake is corrected by marking it not attended.
On a record file (or as the SENCo) it lists every provision at Do, the database deciding which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sendesk import cycle as rules
from sendesk import dates
from sendesk.codes import Stage
from sendesk.errors import NotFound, StaleEdit, ValidationFailed
from sendesk.models import Cycle, Provision, ProvisionSession
from sendesk.services import Sessions, audit
from sendesk.services.archived import ensure_editable
from sendesk.services.cycles import SessionEntry, WeekRecorded, require_stage, stored_week


@dataclass(frozen=True)
class DeliveredProvision:
    """One provision the login delivers, with the sessions recorded in the week asked for."""

    id: int
    cycle_number: int
    description: str
    where_when: str
    sessions_per_week: float
    week: list[SessionEntry]  # recorded in the week, by day; pass as `seen` when recording


def provisions_to_deliver(
    sessions: Sessions, pupil_id: int, monday: dt.date
) -> list[DeliveredProvision]:
    """The provisions of the pupil's cycles at Do that this login can read (on a server: those
    they deliver), with what is recorded for the week starting `monday`."""
    if dates.monday_of(monday) != monday:
        raise ValidationFailed({"week": "A week starts on a Monday."})
    with sessions() as session:
        found = (
            session.execute(
                select(Provision)
                .join(Cycle)
                .where(Cycle.pupil_id == pupil_id, Cycle.stage == Stage.DO)
                .options(selectinload(Provision.cycle))
                .order_by(Cycle.number, Provision.id)
            )
            .scalars()
            .all()
        )
        stored = stored_week(session, [p.id for p in found], monday)
        return [
            DeliveredProvision(
                p.id,
                p.cycle.number,
                p.description,
                p.where_when or "",
                p.sessions_per_week,
                sorted(
                    (_entry(s) for key, s in stored.items() if key[0] == p.id),
                    key=lambda e: e.held_on,
                ),
            )
            for p in found
        ]


def _entry(stored: ProvisionSession) -> SessionEntry:
    return SessionEntry(stored.provision_id, stored.held_on, stored.attended, stored.note or "")


@dataclass(frozen=True)
class WeekOf:
    """One provision's week as the user left it (`entries`) and as it was shown (`seen`)."""

    provision_id: int
    entries: list[SessionEntry]
    seen: list[SessionEntry]


def record_weeks(
    sessions: Sessions, monday: dt.date, weeks: list[WeekOf], today: dt.date
) -> WeekRecorded:
    """Record the week starting `monday` of each provision as its `entries` (a session held each
    day given, attended or not), with an audit event each, in one transaction: all of them, or
    none when one is refused. A session stored but not in `entries` cannot be removed by an
    assistant: it is marked not attended. `seen` is the week as shown
    (`DeliveredProvision.week`): if someone has recorded it since, `StaleEdit`."""
    for week in weeks:
        problems = rules.week_problems(monday, [e.held_on for e in week.entries], today)
        if problems:
            raise ValidationFailed(problems)
        if any(e.provision_id != week.provision_id for e in week.entries):
            raise ValidationFailed({"sessions": "Every session must be of the provision shown."})
    with sessions() as session, session.begin():
        added = corrected = 0
        for week in weeks:
            done = _record(session, monday, week)
            added, corrected = added + done.added, corrected + done.corrected
        return WeekRecorded(added, corrected, 0, None)


def _record(session: Session, monday: dt.date, week: WeekOf) -> WeekRecorded:
    provision = session.get(Provision, week.provision_id)  # a row policy hides others' provisions
    if provision is None:
        raise NotFound("That provision is no longer one whose sessions you record.")
    cycle = provision.cycle
    ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
    require_stage(cycle, Stage.DO)
    stored = {day: s for (_, day), s in stored_week(session, [provision.id], monday).items()}
    called = f"the week of {dates.show(monday)}"
    if _marks(stored.values()) != _marks(week.seen):
        raise StaleEdit(f"the sessions of {provision.description} for {called}", 0, {})
    wanted = {e.held_on: e for e in week.entries}
    added = corrected = 0
    for day, old in stored.items():
        attended = wanted[day].attended if day in wanted else False
        if old.attended != attended:
            old.attended = attended
            corrected += 1
    for day, entry in wanted.items():
        if day not in stored:
            note = entry.note.strip() or None
            session.add(
                ProvisionSession(
                    provision_id=provision.id, held_on=day, attended=entry.attended, note=note
                )
            )
            added += 1
    result = WeekRecorded(added, corrected, 0, None)
    if added or corrected:
        summary = f"Cycle {cycle.number}: {result.sentence()} for {called} (one provision)"
        audit.record(session, "provision.sessions", summary, cycle.pupil.uuid)
    return result


def _marks(found: Iterable[SessionEntry | ProvisionSession]) -> list[tuple[dt.date, bool]]:
    return sorted((s.held_on, s.attended) for s in found)
