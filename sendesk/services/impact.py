"""Intervention effectiveness: for each kind of provision, its pupils, sessions delivered against
planned, the average entry-to-exit change of its measure, the outcomes achieved and the cost of
each; and the pupils who made little or no progress over two cycles, flagged for escalation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from sendesk import analytics, codes
from sendesk.analytics import Period
from sendesk.codes import NextStep, Rating, Stage
from sendesk.figures import Escalation, ImpactReport, KindImpact
from sendesk.models import Cycle
from sendesk.services import Sessions
from sendesk.services.analytics_rows import (
    MeasureRow,
    ProvisionRow,
    PupilRow,
    measured_change,
    measures,
    outcomes_by_cycle,
    provisions_in,
    pupils,
    scores_by_cycle,
)


@dataclass(frozen=True)
class ImpactRows:
    """Everything impact is worked out from, read once (the governors' report shares it)."""

    provisions: list[ProvisionRow]
    measures: dict[int, MeasureRow]
    scores: dict[tuple[int, int], list[tuple[dt.date, float, str]]]
    outcomes: dict[int, list[tuple[int, str | None]]]
    closed_cycles: list[tuple[int, int, int, str, str | None]]
    pupils: dict[int, PupilRow]


def read(sessions: Sessions) -> ImpactRows:
    with sessions() as session:
        closed = [
            (cid, pid, number, stage, step)
            for cid, pid, number, stage, step in session.connection()
            .execute(
                select(Cycle.id, Cycle.pupil_id, Cycle.number, Cycle.stage, Cycle.next_step)
                .where(Cycle.stage == Stage.CLOSED)
                .order_by(Cycle.pupil_id, Cycle.number)
            )
            .all()
        ]
        return ImpactRows(
            provisions_in(session, None),
            measures(session),
            scores_by_cycle(session),
            outcomes_by_cycle(session),
            closed,
            pupils(session),
        )


def build(sessions: Sessions, period: Period, rows: ImpactRows | None = None) -> ImpactReport:
    got = rows or read(sessions)
    in_period = [r for r in got.provisions if period.overlaps(r.starts_on, r.ends_on)]
    return ImpactReport(
        period,
        _kinds(in_period, got.measures, got.scores, got.outcomes),
        _escalations(
            got.provisions, got.closed_cycles, got.measures, got.scores, got.outcomes, got.pupils
        ),
    )


def _served(
    row: ProvisionRow, outcomes: dict[int, list[tuple[int, str | None]]]
) -> list[tuple[int, str | None]]:
    """The outcomes a provision works towards: the one it names, else all of its cycle's."""
    mine = outcomes.get(row.cycle_id, [])
    if row.outcome_id is not None:
        return [o for o in mine if o[0] == row.outcome_id]
    return mine


def _kinds(
    rows: list[ProvisionRow],
    known: dict[int, MeasureRow],
    scores: dict[tuple[int, int], list[tuple[dt.date, float, str]]],
    outcomes: dict[int, list[tuple[int, str | None]]],
) -> list[KindImpact]:
    grouped: dict[tuple[str, int | None], list[ProvisionRow]] = defaultdict(list)
    for row in rows:
        named = row.measure_id if row.measure_id in known else None
        grouped[(analytics.kind_of(row.description), named)].append(row)
    kinds = []
    for (_kind, measure_id), group in grouped.items():
        changes = [c for r in group if (c := measured_change(r, scores, known)) is not None]
        served = {o for r in group for o in _served(r, outcomes)}
        rated = [o for o in served if o[1] is not None]
        measure = known.get(measure_id) if measure_id is not None else None
        kinds.append(
            KindImpact(
                what=" ".join(group[0].description.split()),
                measure=measure.name if measure else None,
                unit=measure.unit if measure else None,
                pupils=len({r.pupil_id for r in group}),
                sessions_planned=sum(r.sessions_planned for r in group),
                sessions_delivered=sum(r.sessions_delivered for r in group),
                measured_pupils=len(changes),
                average_change=round(sum(changes) / len(changes), 1) if changes else None,
                outcomes_achieved=sum(1 for o in rated if o[1] == Rating.ACHIEVED),
                outcomes_rated=len(rated),
                total_pence=sum(r.cost_pence for r in group),
            )
        )
    return sorted(kinds, key=lambda k: (k.what.casefold(), k.measure or ""))


def _escalations(
    rows: list[ProvisionRow],
    cycles: Sequence[tuple[int, int, int, str, str | None]],
    known: dict[int, MeasureRow],
    scores: dict[tuple[int, int], list[tuple[dt.date, float, str]]],
    outcomes: dict[int, list[tuple[int, str | None]]],
    people: dict[int, PupilRow],
) -> list[Escalation]:
    by_cycle: dict[int, list[ProvisionRow]] = defaultdict(list)
    for row in rows:
        by_cycle[row.cycle_id].append(row)
    history: dict[int, list[tuple[int, bool, str | None]]] = defaultdict(list)
    for cycle_id, pupil_id, number, _stage, next_step in cycles:
        ratings = [rating for _oid, rating in outcomes.get(cycle_id, [])]
        changes = [
            c
            for r in by_cycle.get(cycle_id, [])
            if (c := measured_change(r, scores, known)) is not None
        ]
        history[pupil_id].append(
            (number, analytics.little_or_no_progress(ratings, changes), next_step)
        )
    flagged = []
    for pupil_id, cycles_of in history.items():
        person = people.get(pupil_id)
        if person is None or person.archived or person.sen_status not in codes.ON_SEN_REGISTER:
            continue
        last_step = cycles_of[-1][2]
        if last_step == NextStep.EHCNA:  # already escalated as far as a school can
            continue
        if analytics.needs_escalation([little for _n, little, _s in cycles_of]):
            numbers = [n for n, _l, _s in cycles_of[-analytics.ESCALATE_AFTER_CYCLES :]]
            flagged.append(
                Escalation(
                    pupil_id,
                    person.name,
                    person.year_group,
                    person.class_name,
                    numbers,
                    last_step,
                )
            )
    return sorted(flagged, key=lambda e: e.name.casefold())
