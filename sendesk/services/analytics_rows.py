"""The rows every whole-school view is computed from, read in a few plain column queries.

One query per table (no per-pupil round trips), narrowed in SQL to the period and to the pupils a
view is about, so a 20,000-pupil school stays quick; the views (provision map, impact, governors'
report) share these and never recompute a cost themselves. Rows are named tuples: a view reads
tens of thousands of them, and a tuple costs a fraction of a frozen dataclass to make.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sendesk import analytics, codes, names
from sendesk import cycle as rules
from sendesk.analytics import Period
from sendesk.codes import Stage
from sendesk.measure_models import AssessmentMeasure, MeasureScore
from sendesk.models import Cycle, Outcome, Provision, ProvisionSession, Pupil

Scores = dict[tuple[int, int], list[tuple[dt.date, float, str]]]
Outcomes = dict[int, list[tuple[int, str | None]]]


class ProvisionRow(NamedTuple):
    """One provision for one pupil, with what it cost, how much of it was delivered, and the
    pupil's year group, class and need (which the map groups by)."""

    id: int
    cycle_id: int
    pupil_id: int
    description: str
    delivered_by: str
    group_size: int
    sessions_planned: int  # those of its days in the period
    sessions_delivered: int  # attended, held in the period
    cost_pence: int  # the period's part of its cost
    measure_id: int | None
    outcome_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    year_group: int | None
    class_name: str | None
    primary_need: str | None

    @property
    def area_label(self) -> str:
        area = codes.area_of_need(self.primary_need)
        return area.label if area else "No area of need recorded"


class ClosedCycle(NamedTuple):
    """A reviewed (closed) cycle of a pupil on the register, with the pupil's name and class, for
    the escalation list."""

    id: int
    pupil_id: int
    number: int
    next_step: str | None
    forename: str
    surname: str
    preferred_forename: str | None
    preferred_surname: str | None
    year_group: int | None
    class_name: str | None

    @property
    def name(self) -> str:
        """The known-as name, worked out only for the few pupils that are shown by name."""
        return names.known_as(
            self.forename, self.surname, self.preferred_forename, self.preferred_surname
        )


class MeasureRow(NamedTuple):
    id: int
    name: str
    unit: str
    higher_is_better: bool


# Over the tables' columns, not the mapped classes: the queries then need no mapper
# configuration, which would cost a command more than some of its queries (the same SQL).
SESSION = ProvisionSession.__table__.c
PROVISION = Provision.__table__.c
CYCLE = Cycle.__table__.c
PUPIL = Pupil.__table__.c
MEASURE = AssessmentMeasure.__table__.c
SCORE = MeasureScore.__table__.c
OUTCOME = Outcome.__table__.c


def provisions_in(session: Session, period: Period) -> list[ProvisionRow]:
    """Every provision running at some time in the period, with the part of its planned
    sessions and cost that falls in the period (see `Period.part_of`) and the sessions held in
    the period."""
    held: dict[int, int] = dict(
        session.connection()
        .execute(
            select(SESSION.provision_id, func.count())
            .where(
                SESSION.attended.is_(True),
                SESSION.held_on >= period.starts_on,
                SESSION.held_on <= period.ends_on,
            )
            .group_by(SESSION.provision_id)
        )
        .all()
    )
    starts_on = func.coalesce(PROVISION.starts_on, CYCLE.opened_on)
    query = (
        select(
            PROVISION.id,
            PROVISION.cycle_id,
            CYCLE.pupil_id,
            PROVISION.description,
            PROVISION.delivered_by,
            PROVISION.group_size,
            PROVISION.sessions_per_week,
            PROVISION.minutes_per_session,
            PROVISION.weeks,
            PROVISION.hourly_rate_pence,
            PROVISION.fixed_cost_pence,
            PROVISION.measure_id,
            PROVISION.outcome_id,
            PROVISION.starts_on,
            CYCLE.opened_on,
            CYCLE.closed_on,
            PUPIL.year_group,
            PUPIL.class_name,
            PUPIL.primary_need,
        )
        .join(Cycle, CYCLE.id == PROVISION.cycle_id)
        .join(Pupil, PUPIL.id == CYCLE.pupil_id)
        # A coarse filter in SQL, never narrower than the rule's span: a provision starts on its
        # own start else its cycle's, and one that starts before the period can only still run
        # in it if its cycle was not closed before the period began. The exact span is the rule's.
        .where(
            starts_on <= period.ends_on,
            or_(
                CYCLE.closed_on.is_(None),
                CYCLE.closed_on >= period.starts_on,
                starts_on >= period.starts_on,
            ),
        )
        .order_by(PROVISION.id)
    )
    rows = []
    for (
        pid,
        cycle_id,
        pupil_id,
        description,
        delivered_by,
        group_size,
        per_week,
        minutes,
        weeks,
        rate,
        fixed,
        measure_id,
        outcome_id,
        own_start,
        opened,
        closed,
        year_group,
        class_name,
        need,
    ) in session.connection().execute(query).all():
        start, end = analytics.provision_span(own_start, weeks, opened, closed)
        part = period.part_of(start, end)
        if not part:
            continue
        whole = rules.provision_cost_pence(per_week, minutes, weeks, group_size, rate or 0, fixed)
        rows.append(
            ProvisionRow(
                pid,
                cycle_id,
                pupil_id,
                description,
                delivered_by or "",
                group_size,
                round(per_week * weeks * part),
                held.get(pid, 0),
                round(whole * part),
                measure_id,
                outcome_id,
                start,
                end,
                year_group,
                class_name,
                need,
            )
        )
    return rows


def closed_cycles_on_register(session: Session) -> list[ClosedCycle]:
    """The closed cycles of every pupil on the SEN register (not archived), by pupil and number:
    the only pupils the escalation list can name."""
    query = (
        select(
            CYCLE.id,
            CYCLE.pupil_id,
            CYCLE.number,
            CYCLE.next_step,
            PUPIL.legal_forename,
            PUPIL.legal_surname,
            PUPIL.preferred_forename,
            PUPIL.preferred_surname,
            PUPIL.year_group,
            PUPIL.class_name,
        )
        .join(Pupil, PUPIL.id == CYCLE.pupil_id)
        .where(
            CYCLE.stage == Stage.CLOSED,
            PUPIL.archived_on.is_(None),
            PUPIL.sen_status.in_(sorted(codes.ON_SEN_REGISTER)),
        )
        .order_by(CYCLE.pupil_id, CYCLE.number)
    )
    return [ClosedCycle._make(row) for row in session.connection().execute(query).all()]


def measures_by_cycle(session: Session, stage: Stage) -> dict[int, list[int]]:
    """cycle id -> the measures its provisions name, for the cycles at `stage`."""
    found: dict[int, list[int]] = defaultdict(list)
    for cycle_id, measure_id in (
        session.connection()
        .execute(
            select(PROVISION.cycle_id, PROVISION.measure_id)
            .join(Cycle, CYCLE.id == PROVISION.cycle_id)
            .where(CYCLE.stage == stage, PROVISION.measure_id.is_not(None))
            .order_by(PROVISION.id)
        )
        .all()
    ):
        found[cycle_id].append(measure_id)
    return found


def measures(session: Session) -> dict[int, MeasureRow]:
    return {
        mid: MeasureRow(mid, name, unit, higher)
        for mid, name, unit, higher in session.connection().execute(
            select(
                MEASURE.id,
                MEASURE.name,
                MEASURE.unit,
                MEASURE.higher_is_better,
            )
        )
    }


def scores_by_cycle(session: Session) -> Scores:
    """(cycle id, measure id) -> that cycle's (day, value, point) scores on that measure."""
    found: Scores = defaultdict(list)
    for cycle_id, measure_id, day, value, point in (
        session.connection()
        .execute(
            select(
                SCORE.cycle_id,
                SCORE.measure_id,
                SCORE.recorded_on,
                SCORE.value,
                SCORE.point,
            ).where(SCORE.cycle_id.is_not(None), SCORE.measure_id.is_not(None))
        )
        .all()
    ):
        found[(cycle_id, measure_id)].append((day, value, point))
    return found


def outcomes_by_cycle(session: Session) -> Outcomes:
    """cycle id -> [(outcome id, rating)]."""
    found: Outcomes = defaultdict(list)
    for oid, cycle_id, rating in (
        session.connection()
        .execute(select(OUTCOME.id, OUTCOME.cycle_id, OUTCOME.rating).order_by(OUTCOME.id))
        .all()
    ):
        found[cycle_id].append((oid, rating))
    return found


def measured_change(
    cycle_id: int, measure_id: int | None, scores: Scores, known: dict[int, MeasureRow]
) -> float | None:
    """A provision's entry-to-exit change on its measure in its cycle (improvement positive)."""
    if measure_id is None or measure_id not in known:
        return None
    pair = analytics.entry_and_exit(scores.get((cycle_id, measure_id), []))
    if pair is None:
        return None
    return analytics.progress(pair[0], pair[1], known[measure_id].higher_is_better)
