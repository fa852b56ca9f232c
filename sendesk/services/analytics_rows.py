"""The rows every whole-school view is computed from, read in a few plain column queries.

One query per table (no per-pupil round trips), so a 20,000-pupil school stays quick; the views
(provision map, impact, governors' report) share these and never recompute a cost themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sendesk import analytics, codes, names
from sendesk import cycle as rules
from sendesk.analytics import Period
from sendesk.measure_models import AssessmentMeasure, MeasureScore
from sendesk.models import Cycle, Outcome, Provision, ProvisionSession, Pupil


@dataclass(frozen=True)
class ProvisionRow:
    """One provision for one pupil, with what it cost and how much of it was delivered."""

    id: int
    cycle_id: int
    pupil_id: int
    description: str
    delivered_by: str
    group_size: int
    sessions_planned: int
    sessions_delivered: int
    cost_pence: int
    measure_id: int | None
    outcome_id: int | None
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class PupilRow:
    id: int
    forename: str
    surname: str
    preferred_forename: str | None
    preferred_surname: str | None
    year_group: int | None
    class_name: str | None
    sen_status: str
    primary_need: str | None
    archived: bool

    @property
    def name(self) -> str:
        """The known-as name, worked out only for the few rows that are shown by name."""
        return names.known_as(
            self.forename, self.surname, self.preferred_forename, self.preferred_surname
        )

    @property
    def area_label(self) -> str:
        area = codes.area_of_need(self.primary_need)
        return area.label if area else "No area of need recorded"


@dataclass(frozen=True)
class MeasureRow:
    id: int
    name: str
    unit: str
    higher_is_better: bool


def provisions_in(session: Session, period: Period | None) -> list[ProvisionRow]:
    """Every provision running at some time in the period (all of them when None)."""
    held = dict(
        session.connection()
        .execute(
            select(ProvisionSession.provision_id, func.count())
            .where(ProvisionSession.attended.is_(True))
            .group_by(ProvisionSession.provision_id)
        )
        .all()
    )
    query = (
        select(
            Provision.id,
            Provision.cycle_id,
            Cycle.pupil_id,
            Provision.description,
            Provision.delivered_by,
            Provision.group_size,
            Provision.sessions_per_week,
            Provision.minutes_per_session,
            Provision.weeks,
            Provision.hourly_rate_pence,
            Provision.fixed_cost_pence,
            Provision.measure_id,
            Provision.outcome_id,
            Provision.starts_on,
            Cycle.opened_on,
            Cycle.closed_on,
        )
        .join(Cycle, Cycle.id == Provision.cycle_id)
        .order_by(Provision.id)
    )
    if period is not None:  # a coarse filter in SQL; the exact span is the rule's
        query = query.where(Cycle.opened_on <= period.ends_on)
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
        starts_on,
        opened,
        closed,
    ) in session.connection().execute(query).all():
        start, end = analytics.provision_span(starts_on, weeks, opened, closed)
        if period is not None and not period.overlaps(start, end):
            continue
        rows.append(
            ProvisionRow(
                id=pid,
                cycle_id=cycle_id,
                pupil_id=pupil_id,
                description=description,
                delivered_by=delivered_by or "",
                group_size=group_size,
                sessions_planned=round(per_week * weeks),
                sessions_delivered=held.get(pid, 0),
                cost_pence=rules.provision_cost_pence(
                    per_week, minutes, weeks, group_size, rate or 0, fixed
                ),
                measure_id=measure_id,
                outcome_id=outcome_id,
                starts_on=start,
                ends_on=end,
            )
        )
    return rows


def pupils(session: Session, ids: set[int] | None = None) -> dict[int, PupilRow]:
    query = select(
        Pupil.id,
        Pupil.legal_forename,
        Pupil.legal_surname,
        Pupil.preferred_forename,
        Pupil.preferred_surname,
        Pupil.year_group,
        Pupil.class_name,
        Pupil.sen_status,
        Pupil.primary_need,
        Pupil.archived_on,
    )
    found = {}
    for (
        pid,
        fore,
        sur,
        pfore,
        psur,
        year,
        cls,
        status,
        need,
        archived,
    ) in session.connection().execute(query).all():
        if ids is not None and pid not in ids:
            continue
        found[pid] = PupilRow(
            pid, fore, sur, pfore, psur, year, cls, status, need, archived is not None
        )
    return found


def measures(session: Session) -> dict[int, MeasureRow]:
    return {
        mid: MeasureRow(mid, name, unit, higher)
        for mid, name, unit, higher in session.connection().execute(
            select(
                AssessmentMeasure.id,
                AssessmentMeasure.name,
                AssessmentMeasure.unit,
                AssessmentMeasure.higher_is_better,
            )
        )
    }


def scores_by_cycle(session: Session) -> dict[tuple[int, int], list[tuple[dt.date, float, str]]]:
    """(cycle id, measure id) -> that cycle's (day, value, point) scores on that measure."""
    found: dict[tuple[int, int], list[tuple[dt.date, float, str]]] = defaultdict(list)
    for cycle_id, measure_id, day, value, point in (
        session.connection()
        .execute(
            select(
                MeasureScore.cycle_id,
                MeasureScore.measure_id,
                MeasureScore.recorded_on,
                MeasureScore.value,
                MeasureScore.point,
            ).where(MeasureScore.cycle_id.is_not(None), MeasureScore.measure_id.is_not(None))
        )
        .all()
    ):
        if cycle_id is not None and measure_id is not None:
            found[(cycle_id, measure_id)].append((day, value, point))
    return found


def outcomes_by_cycle(session: Session) -> dict[int, list[tuple[int, str | None]]]:
    """cycle id -> [(outcome id, rating)]."""
    found: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    for oid, cycle_id, rating in (
        session.connection()
        .execute(select(Outcome.id, Outcome.cycle_id, Outcome.rating).order_by(Outcome.id))
        .all()
    ):
        found[cycle_id].append((oid, rating))
    return found


def measured_change(
    row: ProvisionRow,
    scores: dict[tuple[int, int], list[tuple[dt.date, float, str]]],
    known: dict[int, MeasureRow],
) -> float | None:
    """The provision's entry-to-exit change on its measure in its cycle (improvement positive)."""
    if row.measure_id is None or row.measure_id not in known:
        return None
    pair = analytics.entry_and_exit(scores.get((row.cycle_id, row.measure_id), []))
    if pair is None:
        return None
    return analytics.progress(pair[0], pair[1], known[row.measure_id].higher_is_better)
