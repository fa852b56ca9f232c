"""A small school with known numbers for the analytics tests (figures worked by hand in the tests).

Hourly rate £18 (the default). Period: the school year 2026/27.
- Ava Adams (Y3, 3A, SPLD, K): cycle 1 closed; Precision teaching by TA, 1:1, 3 a week, 20 min,
  10 weeks = 10 h = £180; 25 sessions attended (2 missed); Reading age 80 -> 86; outcomes
  achieved, some progress.
- Ben Brown (Y3, 3A, MLD, K): cycle 1 closed; "precision  Teaching" by "ta" in a group of 2 = £90;
  30 sessions; Reading age 70 -> 72; one outcome achieved.
- Cara Clark (Y4, 4B, SEMH, K): cycle 1 (2025/26) closed, little progress; cycle 2 at Do:
  Emotional literacy group by ELSA, group of 4, weekly, 45 min, 12 weeks = 9 h / 4 = £40.50;
  8 sessions; Times out of class 10 -> 6 (lower is better: +4); its outcome not yet rated.
- Dan Dunn (Y4, 4B, ASD, E since 1/3/2025, on SEN support from 1/11/2024): cycles 1 and 2 closed
  in 2025/26 with little or no progress (flagged); cycle 3 at Plan: Speech and language group,
  fixed £500.
- Eve Evans (Y5, N): not on the register.
- Finn Fox (Y5, 5C, SLCN, K, no date): no provision.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from sendesk.measure_models import AssessmentMeasure, MeasureScore
from sendesk.models import Cycle, Outcome, Provision, ProvisionSession, Pupil
from sendesk.services import Sessions, provision_map

TODAY = dt.date(2026, 11, 23)
BUDGET_PENCE = 1_000_000


def _pupil(session, surname, forename, year, cls, need, status="K", **more):  # type: ignore[no-untyped-def]
    pupil = Pupil(
        legal_surname=surname,
        legal_forename=forename,
        year_group=year,
        class_name=cls,
        primary_need=need,
        sen_status=status,
        search_text=f"{forename} {surname}".lower(),
        **more,
    )
    session.add(pupil)
    session.flush()
    return pupil


def _cycle(session, pupil, number, opened, closed=None, stage="closed", next_step=None):  # type: ignore[no-untyped-def]
    cycle = Cycle(
        pupil_id=pupil.id,
        number=number,
        opened_on=opened,
        closed_on=closed,
        stage=stage,
        next_step=next_step,
        concern="Concern",
    )
    session.add(cycle)
    session.flush()
    return cycle


def _outcome(session, cycle, rating, text="An outcome"):  # type: ignore[no-untyped-def]
    session.add(Outcome(cycle_id=cycle.id, description=text, success_criteria="ok", rating=rating))


def _provision(
    session,
    cycle,
    what,
    by,
    group,
    per_week,
    minutes,
    weeks,
    measure=None,
    fixed=None,
    held=0,
    missed=0,
):  # type: ignore[no-untyped-def]
    provision = Provision(
        cycle_id=cycle.id,
        description=what,
        delivered_by=by,
        group_size=group,
        sessions_per_week=per_week,
        minutes_per_session=minutes,
        weeks=weeks,
        hourly_rate_pence=1_800,
        fixed_cost_pence=fixed,
        measure_id=measure,
    )
    session.add(provision)
    session.flush()
    day = cycle.opened_on
    for n in range(held + missed):
        session.add(
            ProvisionSession(
                provision_id=provision.id,
                held_on=day + dt.timedelta(days=n),
                attended=n < held,
            )
        )
    return provision


def _score(session, pupil, cycle, measure, day, point, value):  # type: ignore[no-untyped-def]
    row = session.get(AssessmentMeasure, measure)
    session.add(
        MeasureScore(
            pupil_id=pupil.id,
            measure_name=row.name,
            unit=row.unit,
            cycle_id=cycle.id,
            measure_id=measure,
            recorded_on=day,
            point=point,
            value=value,
        )
    )


def build(sessions: Sessions) -> dict[str, int]:
    """Fill an empty file; returns the pupils' ids by forename."""
    d = dt.date
    with sessions.begin() as session:
        measure = {m.name: m.id for m in session.execute(select(AssessmentMeasure)).scalars()}
        reading, out_of_class = measure["Reading age"], measure["Times out of class in a week"]

        ava = _pupil(session, "Adams", "Ava", 3, "3A", "SPLD", sen_support_since=d(2026, 9, 7))
        c = _cycle(session, ava, 1, d(2026, 9, 7), d(2026, 11, 16), next_step="continue")
        _outcome(session, c, "achieved")
        _outcome(session, c, "some_progress")
        _provision(session, c, "Precision teaching", "TA", 1, 3, 20, 10, reading, held=25, missed=2)
        _score(session, ava, c, reading, d(2026, 9, 8), "baseline", 80)
        _score(session, ava, c, reading, d(2026, 11, 16), "exit", 86)

        ben = _pupil(session, "Brown", "Ben", 3, "3A", "MLD", sen_support_since=d(2026, 9, 7))
        c = _cycle(session, ben, 1, d(2026, 9, 7), d(2026, 11, 16), next_step="continue")
        _outcome(session, c, "achieved")
        _provision(session, c, "precision  Teaching", "ta", 2, 3, 20, 10, reading, held=30)
        _score(session, ben, c, reading, d(2026, 9, 8), "baseline", 70)
        _score(session, ben, c, reading, d(2026, 11, 16), "exit", 72)

        cara = _pupil(session, "Clark", "Cara", 4, "4B", "SEMH", sen_support_since=d(2026, 3, 2))
        c = _cycle(session, cara, 1, d(2026, 3, 2), d(2026, 7, 13), next_step="continue")
        _outcome(session, c, "some_progress")
        _outcome(session, c, "not_started")
        _provision(session, c, "Emotional literacy group", "ELSA", 4, 1, 45, 12, out_of_class)
        _score(session, cara, c, out_of_class, d(2026, 3, 3), "baseline", 8)
        _score(session, cara, c, out_of_class, d(2026, 7, 10), "exit", 9)
        c = _cycle(session, cara, 2, d(2026, 9, 14), stage="do")
        _outcome(session, c, None)
        _provision(
            session, c, "Emotional literacy group", "ELSA", 4, 1, 45, 12, out_of_class, held=8
        )
        _score(session, cara, c, out_of_class, d(2026, 9, 15), "baseline", 10)
        _score(session, cara, c, out_of_class, d(2026, 10, 20), "during", 6)

        dan = _pupil(
            session, "Dunn", "Dan", 4, "4B", "ASD", status="E",
            sen_support_since=d(2024, 11, 1), ehc_plan_since=d(2025, 3, 1),
        )  # fmt: skip
        c = _cycle(session, dan, 1, d(2025, 10, 6), d(2026, 1, 26), next_step="continue")
        _outcome(session, c, "some_progress")
        _provision(session, c, "Speech and language group", "SALT", 3, 1, 30, 12, fixed=30_000)
        c = _cycle(session, dan, 2, d(2026, 2, 2), d(2026, 7, 6), next_step="specialist")
        _outcome(session, c, "not_started")
        _outcome(session, c, "some_progress")
        _provision(session, c, "Speech and language group", "SALT", 3, 1, 30, 12, fixed=30_000)
        c = _cycle(session, dan, 3, d(2026, 9, 7), stage="plan")
        _outcome(session, c, None)
        _provision(session, c, "Speech and language group", "SALT", 3, 1, 30, 12, fixed=50_000)

        eve = _pupil(session, "Evans", "Eve", 5, None, None, status="N")
        finn = _pupil(session, "Fox", "Finn", 5, "5C", "SLCN")
        ids = {p.legal_forename: p.id for p in (ava, ben, cara, dan, eve, finn)}
    provision_map.set_budget(sessions, BUDGET_PENCE)
    return ids
