"""The demo school's assessment scores: each provision that has a natural measure names it, and
its pupils get a baseline at Assess, a score during Do and an exit score at Review, so every
analytics view has something to show. Some pupils make little progress, as in any school."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from sendesk import codes
from sendesk.codes import Stage
from sendesk.demo_rows import insert_rows
from sendesk.measure_models import AssessmentMeasure, MeasureScore
from sendesk.models import BUDGET_KEY, AppSetting, Cycle, Provision, Pupil, utcnow


@dataclass(frozen=True)
class _Shape:
    """Where a pupil starts on a measure, how far a cycle usually moves them, and its limits."""

    start: tuple[float, float]
    gain: tuple[float, float]  # per cycle, in the better direction
    low: float
    high: float


_SHAPES = {
    "Reading age": _Shape((66, 100), (3, 9), 36, 180),
    "Standardised reading score": _Shape((72, 88), (2, 7), 69, 141),
    "Spelling age": _Shape((64, 96), (2, 8), 36, 180),
    "Number facts recalled in a minute": _Shape((4, 14), (2, 6), 0, 60),
    "Wellbeing rating (our own scale)": _Shape((2, 5), (1, 2), 1, 10),
    "Times out of class in a week": _Shape((5, 12), (2, 4), 0, 25),
}

# Which measure shows the impact of each kind of demo provision.
MEASURE_OF = {
    "Precision teaching": "Reading age",
    "Daily reading with an adult": "Reading age",
    "Toe by Toe reading programme": "Standardised reading score",
    "Nessy spelling": "Spelling age",
    "Numicon small group": "Number facts recalled in a minute",
    "ELSA sessions": "Wellbeing rating (our own scale)",
    "Drawing and Talking": "Wellbeing rating (our own scale)",
    "Lunchtime nurture club": "Wellbeing rating (our own scale)",
    "Lego-based therapy": "Wellbeing rating (our own scale)",
    "Zones of Regulation group": "Times out of class in a week",
    "Morning check-in": "Times out of class in a week",
}
LITTLE_PROGRESS = 0.2  # the share of pupil-cycles that barely move
BUDGET_PER_PUPIL_PENCE = 120_000  # notional SEN budget: £1,200 for each pupil on the register


def add(session: Session, rng: random.Random, today: dt.date, batch: int) -> None:
    """Scores for the pupils `batch` at a time, so memory stays flat. They are made in pupil
    order, as they were all at once, so the scores are the same whatever the batch."""
    measures = {
        m.name: m for m in session.execute(select(AssessmentMeasure)).scalars() if m.name in _SHAPES
    }
    last = session.execute(select(func.max(Pupil.id))).scalar_one() or 0
    for first in range(1, last + 1, batch):
        _add_for(session, rng, today, measures, (first, first + batch - 1))
    on_register = session.execute(
        select(func.count()).select_from(Pupil).where(Pupil.sen_status.in_(codes.ON_SEN_REGISTER))
    ).scalar_one()
    session.merge(
        AppSetting(key=BUDGET_KEY, value_json=json.dumps(on_register * BUDGET_PER_PUPIL_PENCE))
    )


def _add_for(
    session: Session,
    rng: random.Random,
    today: dt.date,
    measures: dict[str, AssessmentMeasure],
    pupils: tuple[int, int],
) -> None:
    rows = session.execute(
        select(
            Provision.id,
            Provision.description,
            Cycle.id,
            Cycle.pupil_id,
            Cycle.opened_on,
            Cycle.closed_on,
            Cycle.stage,
        )
        .join(Cycle, Cycle.id == Provision.cycle_id)
        .where(Cycle.pupil_id.between(*pupils))
        .order_by(Cycle.pupil_id, Cycle.number, Provision.id)
    ).all()
    links = []
    wanted: dict[tuple[int, int, int], tuple[dt.date, dt.date | None, str]] = {}
    for provision_id, what, cycle_id, pupil_id, opened, closed, stage in rows:
        measure = measures.get(MEASURE_OF.get(what, ""))
        if measure is None:
            continue
        links.append({"pid": provision_id, "mid": measure.id})
        wanted.setdefault((pupil_id, cycle_id, measure.id), (opened, closed, stage))
    if links:
        table = cast(Table, Provision.__table__)
        session.execute(
            update(table).where(table.c.id == bindparam("pid")).values(measure_id=bindparam("mid")),
            links,
        )
    level: dict[tuple[int, int], float] = {}
    scores = []
    made_at = utcnow()
    for (pupil_id, cycle_id, measure_id), (opened, closed, stage) in wanted.items():
        measure = next(m for m in measures.values() if m.id == measure_id)
        shape = _SHAPES[measure.name]
        sign = 1 if measure.higher_is_better else -1
        key = (pupil_id, measure_id)
        start = level.get(key)
        if start is None:
            start = rng.uniform(*shape.start)
        gain = (
            rng.uniform(-0.5, 0.5) if rng.random() < LITTLE_PROGRESS else rng.uniform(*shape.gain)
        )
        end = min(shape.high, max(shape.low, start + sign * gain))
        whole = measure.scale_min is not None or measure.name.startswith(("Times", "Number"))
        points = [("baseline", min(today, opened + dt.timedelta(days=3)), start)]
        if stage in (Stage.DO, Stage.REVIEW, Stage.CLOSED):
            finish = closed or today
            middle = opened + (finish - opened) / 2
            if middle > points[0][1]:
                points.append(("during", middle, start + (end - start) / 2))
        if stage == Stage.CLOSED and closed is not None:
            points.append(("exit", closed, end))
            level[key] = end
        for point, day, value in points:
            shown = round(value) if whole else round(value, 1)
            scores.append(
                {
                    "pupil_id": pupil_id,
                    "measure_name": measure.name,
                    "unit": measure.unit,
                    "measure_id": measure_id,
                    "cycle_id": cycle_id,
                    "recorded_on": day,
                    "point": point,
                    "value": float(shown),
                    "note": None,
                    "created_at": made_at,
                }
            )
    if scores:
        table = cast(Table, MeasureScore.__table__)
        insert_rows(session.connection(), table, scores)
