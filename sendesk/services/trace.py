"""One pupil's golden thread for an inspection: need, outcome, provision, review and next step in
every cycle; and their progress on each measure over time, with the cycles marked."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sendesk import analytics, codes
from sendesk import cycle as rules
from sendesk.errors import NotFound
from sendesk.figures import (
    CycleMark,
    MeasureSeries,
    PupilProgress,
    PupilTrace,
    TraceCycle,
    TraceOutcome,
    TraceProvision,
)
from sendesk.measure_models import AssessmentMeasure, MeasureScore
from sendesk.models import Cycle, Provision, ProvisionSession, Pupil
from sendesk.services import Sessions


def _pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.execute(
        select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.cycles).options(
                selectinload(Cycle.needs),
                selectinload(Cycle.outcomes),
                selectinload(Cycle.provisions),
                selectinload(Cycle.review),
            )
        )
    ).scalar_one_or_none()
    if pupil is None:
        raise NotFound("That pupil is not in this file.")
    return pupil


def build(sessions: Sessions, pupil_id: int) -> PupilTrace:
    with sessions() as session:
        pupil = _pupil(session, pupil_id)
        held_count = Counter(
            pid
            for (pid,) in session.execute(
                select(ProvisionSession.provision_id)
                .join(Provision)
                .join(Cycle)
                .where(Cycle.pupil_id == pupil_id, ProvisionSession.attended.is_(True))
            )
        )
        measures = {m.id: m for m in session.execute(select(AssessmentMeasure)).scalars()}
        scores: dict[tuple[int | None, int], list[tuple[dt.date, float, str]]] = {}
        for s in session.execute(
            select(MeasureScore).where(MeasureScore.pupil_id == pupil_id)
        ).scalars():
            if s.measure_id is not None:
                scores.setdefault((s.cycle_id, s.measure_id), []).append(
                    (s.recorded_on, s.value, s.point)
                )
        cycles = [
            TraceCycle(
                number=c.number,
                stage=rules.STAGE_LABELS[c.stage],
                opened_on=c.opened_on,
                closed_on=c.closed_on,
                needs=[codes.need_label(n.need_code) for n in c.needs],
                concern=c.concern or "",
                outcomes=[
                    TraceOutcome(
                        o.description,
                        o.success_criteria or "",
                        a.label if (a := codes.AREA_BY_CODE.get(o.area_code or "")) else "",
                        codes.RATING_LABELS.get(o.rating or "", "Not yet reviewed"),
                        o.rating_comment or "",
                    )
                    for o in c.outcomes
                ],
                provisions=[
                    _provision(p, held_count[p.id], measures, scores) for p in c.provisions
                ],
                reviewed_on=c.review.held_on if c.review else None,
                review_summary=(c.review.summary or "") if c.review else "",
                next_step=codes.NEXT_STEP_LABELS.get(c.next_step or "", ""),
            )
            for c in pupil.cycles
        ]
        return PupilTrace(
            pupil.id,
            pupil.known_as,
            codes.year_group_label(pupil.year_group),
            pupil.class_name or "",
            codes.SEN_STATUS_LABELS[pupil.sen_status],
            [codes.need_label(n) for n in (pupil.primary_need, pupil.secondary_need) if n],
            cycles,
        )


def _provision(
    p: Provision,
    delivered: int,
    measures: dict[int, AssessmentMeasure],
    scores: dict[tuple[int | None, int], list[tuple[dt.date, float, str]]],
) -> TraceProvision:
    measure = measures.get(p.measure_id) if p.measure_id is not None else None
    pair = analytics.entry_and_exit(scores.get((p.cycle_id, p.measure_id or 0), []))
    change = (
        analytics.progress(pair[0], pair[1], measure.higher_is_better)
        if pair is not None and measure is not None
        else None
    )
    return TraceProvision(
        description=p.description,
        delivered_by=p.delivered_by or "",
        sessions_planned=round(p.sessions_per_week * p.weeks),
        sessions_delivered=delivered,
        cost_pence=rules.provision_cost_pence(
            p.sessions_per_week,
            p.minutes_per_session,
            p.weeks,
            p.group_size,
            p.hourly_rate_pence or 0,
            p.fixed_cost_pence,
        ),
        impact=p.impact or "",
        measure=measure.name if measure else None,
        entry=pair[0] if pair and measure else None,
        exit=pair[1] if pair and measure else None,
        change=change,
    )


def progress(sessions: Sessions, pupil_id: int) -> PupilProgress:
    """Each measure the pupil has scores on, over time, with their cycles and outcome ratings."""
    with sessions() as session:
        pupil = _pupil(session, pupil_id)
        rows = session.execute(
            select(MeasureScore, AssessmentMeasure)
            .join(AssessmentMeasure, AssessmentMeasure.id == MeasureScore.measure_id)
            .where(MeasureScore.pupil_id == pupil_id)
            .order_by(AssessmentMeasure.name, MeasureScore.recorded_on, MeasureScore.id)
        ).all()
        series: dict[int, MeasureSeries] = {}
        for score, measure in rows:
            found = series.setdefault(
                measure.id,
                MeasureSeries(measure.name, measure.unit, measure.higher_is_better, []),
            )
            found.points.append((score.recorded_on, score.value, score.point))
        marks = [
            CycleMark(
                c.number,
                c.opened_on,
                c.closed_on,
                dict(Counter(o.rating for o in c.outcomes if o.rating is not None)),
            )
            for c in pupil.cycles
        ]
        return PupilProgress(
            pupil.known_as,
            list(series.values()),
            marks,
        )
