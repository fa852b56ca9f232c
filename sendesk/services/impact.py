"""Intervention effectiveness: for each kind of provision, its pupils, sessions delivered against
planned, the average entry-to-exit change of its measure, the outcomes achieved and the cost of
each; and the pupils who made little or no progress over two cycles, flagged for escalation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sendesk import analytics, collection
from sendesk.analytics import Period
from sendesk.codes import NextStep, Rating, Stage
from sendesk.figures import Escalation, ImpactReport, KindImpact
from sendesk.services import Sessions
from sendesk.services.analytics_rows import (
    ClosedCycle,
    MeasureRow,
    Outcomes,
    ProvisionRow,
    Scores,
    closed_cycles_on_register,
    measured_change,
    measures,
    measures_by_cycle,
    outcomes_by_cycle,
    provisions_in,
    scores_by_cycle,
)


@dataclass(frozen=True)
class ImpactRows:
    """Everything impact is worked out from, read once (the governors' report and the provision
    map share it): the period's provisions, and the closed cycles of the pupils who could be
    flagged with the measures their provisions name."""

    period: Period
    provisions: list[ProvisionRow]
    measures: dict[int, MeasureRow]
    scores: Scores
    outcomes: Outcomes
    closed_cycles: list[ClosedCycle]
    closed_cycle_measures: dict[int, list[int]]


def read(sessions: Sessions, period: Period) -> ImpactRows:
    with collection.paused(), sessions() as session:
        return ImpactRows(
            period,
            provisions_in(session, period),
            measures(session),
            scores_by_cycle(session),
            outcomes_by_cycle(session),
            closed_cycles_on_register(session),
            measures_by_cycle(session, Stage.CLOSED),
        )


def build(sessions: Sessions, period: Period, rows: ImpactRows | None = None) -> ImpactReport:
    """Impact in the period; `rows` when the caller has read them for the same period."""
    with collection.paused():
        got = rows if rows is not None and rows.period == period else read(sessions, period)
        return ImpactReport(
            period,
            _kinds(got.provisions, got.measures, got.scores, got.outcomes),
            _escalations(got),
        )


def _served(row: ProvisionRow, outcomes: Outcomes) -> list[tuple[int, str | None]]:
    """The outcomes a provision works towards: the one it names, else all of its cycle's."""
    mine = outcomes.get(row.cycle_id, [])
    if row.outcome_id is not None:
        return [o for o in mine if o[0] == row.outcome_id]
    return mine


def _kinds(
    rows: list[ProvisionRow], known: dict[int, MeasureRow], scores: Scores, outcomes: Outcomes
) -> list[KindImpact]:
    grouped: dict[tuple[str, int | None], list[ProvisionRow]] = defaultdict(list)
    for row in rows:
        named = row.measure_id if row.measure_id in known else None
        grouped[(analytics.kind_of(row.description), named)].append(row)
    kinds = []
    for (_kind, measure_id), group in grouped.items():
        # A cycle's change on a measure counts once however many of its provisions are of this
        # kind, and a pupil once: their changes over the cycles they had it, added up.
        by_pupil: dict[int, float] = defaultdict(float)
        for pupil_id, cycle_id, m in sorted(
            {(r.pupil_id, r.cycle_id, r.measure_id) for r in group}, key=str
        ):
            if (c := measured_change(cycle_id, m, scores, known)) is not None:
                by_pupil[pupil_id] += c
        changes = list(by_pupil.values())
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


def _little_progress(cycle: ClosedCycle, got: ImpactRows) -> bool:
    ratings = [rating for _oid, rating in got.outcomes.get(cycle.id, [])]
    changes = [
        c
        for measure_id in got.closed_cycle_measures.get(cycle.id, [])
        if (c := measured_change(cycle.id, measure_id, got.scores, got.measures)) is not None
    ]
    return analytics.little_or_no_progress(ratings, changes)


def _escalations(got: ImpactRows) -> list[Escalation]:
    history: dict[int, list[ClosedCycle]] = defaultdict(list)
    for cycle in got.closed_cycles:  # on the register and not archived, by pupil and number
        history[cycle.pupil_id].append(cycle)
    flagged = []
    for cycles_of in history.values():
        if cycles_of[-1].next_step == NextStep.EHCNA:  # already escalated as far as a school can
            continue
        # Only the last cycles can decide (see needs_escalation), so only they are judged.
        last = cycles_of[-analytics.ESCALATE_AFTER_CYCLES :]
        if analytics.needs_escalation([_little_progress(c, got) for c in last]):
            person = last[-1]
            flagged.append(
                Escalation(
                    person.pupil_id,
                    person.name,
                    person.year_group,
                    person.class_name,
                    [c.number for c in last],
                    person.next_step,
                )
            )
    return sorted(flagged, key=lambda e: e.name.casefold())
