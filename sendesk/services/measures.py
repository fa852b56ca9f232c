"""The school's assessment measures (list, add, edit, retire) with the value it expects at each
year group, pupils' dated scores against those expectations, and the measure a provision's impact
is shown by."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from sendesk import expectations, measure_models
from sendesk.codes import YEAR_GROUPS
from sendesk.errors import NotFound, ValidationFailed
from sendesk.expectations import MeasuredPoint, MeasureHistory
from sendesk.measure_models import (
    SCORE_POINTS,
    AssessmentMeasure,
    MeasureExpectation,
    MeasureScore,
)
from sendesk.models import Cycle, Provision, Pupil
from sendesk.services import Sessions, audit, versions
from sendesk.services.archived import ensure_editable


@dataclass(frozen=True)
class MeasureDetails:
    name: str
    unit: str
    higher_is_better: bool = True
    scale_min: float | None = None
    scale_max: float | None = None
    # The value expected at each year group (`codes.YEAR_GROUPS`); None on a save: unchanged.
    expected: Mapping[int, float] | None = None


@dataclass(frozen=True)
class MeasureView:
    id: int
    details: MeasureDetails
    retired: bool
    version: int


@dataclass(frozen=True)
class ScoreEntry:
    measure_id: int
    recorded_on: dt.date
    point: str  # a key of SCORE_POINTS
    value: float
    cycle_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ScoreView:
    id: int
    measure_id: int | None  # None for a score that came with a transferred pupil
    measure_name: str
    unit: str
    recorded_on: dt.date
    point: str
    value: float
    cycle_id: int | None
    cycle_number: int | None
    note: str


def _view(m: AssessmentMeasure) -> MeasureView:
    details = MeasureDetails(
        m.name, m.unit, m.higher_is_better, m.scale_min, m.scale_max, m.expected
    )
    return MeasureView(m.id, details, m.retired, m.version)


def check(details: MeasureDetails) -> None:
    problems: dict[str, str] = {}
    if not details.name.strip():
        problems["name"] = "Give the measure a name."
    elif len(details.name.strip()) > 120:
        problems["name"] = "Keep the measure's name to 120 characters."
    if not details.unit.strip():
        problems["unit"] = "Say what the measure is counted in (months, points, words a minute)."
    elif len(details.unit.strip()) > 40:
        problems["unit"] = "Keep the unit to 40 characters."
    low, high = details.scale_min, details.scale_max
    if any(v is not None and not math.isfinite(v) for v in (low, high)):
        problems["scale"] = "A scale's ends must be ordinary numbers."
    elif low is not None and high is not None and low >= high:
        problems["scale"] = "The bottom of the scale must be below the top."
    expected = details.expected or {}
    if any(year not in YEAR_GROUPS for year in expected):
        problems["expected"] = "An expected value is given for a year group that does not exist."
    elif not all(math.isfinite(v) for v in expected.values()):
        problems["expected"] = "An expected value is an ordinary number."
    elif "scale" not in problems and not all(_in(low, high, v) for v in expected.values()):
        problems["expected"] = (
            f"An expected value must be on the scale, from {_num(low)} to {_num(high)}."
        )
    if problems:
        raise ValidationFailed(problems)


def list_measures(sessions: Sessions, include_retired: bool = False) -> list[MeasureView]:
    query = (
        select(AssessmentMeasure)
        .options(selectinload(AssessmentMeasure.expectations))
        .order_by(AssessmentMeasure.name)
    )
    if not include_retired:
        query = query.where(AssessmentMeasure.retired.is_(False))
    with sessions() as session:
        return [_view(m) for m in session.execute(query).scalars()]


def _name_taken(session: Session, name: str, other_than: int | None = None) -> bool:
    query = select(AssessmentMeasure.id).where(AssessmentMeasure.name == name)
    if other_than is not None:
        query = query.where(AssessmentMeasure.id != other_than)
    return session.execute(query).first() is not None


def add(sessions: Sessions, details: MeasureDetails) -> int:
    check(details)
    name = details.name.strip()
    with sessions.begin() as session:
        if _name_taken(session, name):
            raise ValidationFailed({"name": f"There is already a measure called {name!r}."})
        measure = AssessmentMeasure(
            name=name,
            unit=details.unit.strip(),
            higher_is_better=details.higher_is_better,
            scale_min=details.scale_min,
            scale_max=details.scale_max,
            retired=False,
        )
        _expect(measure, details.expected or {})
        session.add(measure)
        session.flush()
        audit.record(session, "measure.add", "Added an assessment measure")
        return measure.id


def edit(sessions: Sessions, measure_id: int, details: MeasureDetails, seen: int | None) -> None:
    """Change a measure; scores already recorded keep their values (in the measure's unit)."""
    check(details)
    name = details.name.strip()
    yours = {
        "name": name,
        "unit": details.unit.strip(),
        "higher_is_better": details.higher_is_better,
        "scale_min": details.scale_min,
        "scale_max": details.scale_max,
    }
    with sessions.begin() as session:
        measure = session.get(AssessmentMeasure, measure_id)
        if measure is None:
            raise NotFound("That measure is not in this file.")
        compared = yours | (
            {} if details.expected is None else {"expected": dict(details.expected)}
        )
        versions.ensure_seen(measure, seen, compared, "this measure")
        if _name_taken(session, name, other_than=measure_id):
            raise ValidationFailed({"name": f"There is already a measure called {name!r}."})
        for field, value in yours.items():
            setattr(measure, field, value)
        if details.expected is not None and dict(details.expected) != measure.expected:
            _expect(measure, details.expected)
            flag_modified(measure, "name")  # the measure's version counts this change too
        audit.record(session, "measure.edit", "Changed an assessment measure")


def _expect(measure: AssessmentMeasure, expected: Mapping[int, float]) -> None:
    """Replace the measure's expected values with `expected`."""
    kept = {e.year_group: e for e in measure.expectations if e.year_group in expected}
    for year, value in expected.items():
        if year in kept:
            kept[year].expected = value
        else:
            kept[year] = MeasureExpectation(year_group=year, expected=value)
    measure.expectations = [kept[year] for year in sorted(kept)]


def set_retired(sessions: Sessions, measure_id: int, retired: bool = True) -> None:
    """A retired measure is offered for no new score; its scores and the figures from them stay."""
    with sessions.begin() as session:
        measure = session.get(AssessmentMeasure, measure_id)
        if measure is None:
            raise NotFound("That measure is not in this file.")
        measure.retired = retired
        action = "measure.retire" if retired else "measure.restore"
        audit.record(
            session,
            action,
            "Retired an assessment measure" if retired else "Brought back an assessment measure",
        )


# --- scores ------------------------------------------------------------------------------------


def _check_score(session: Session, pupil: Pupil, entry: ScoreEntry, today: dt.date) -> None:
    problems: dict[str, str] = {}
    measure = session.get(AssessmentMeasure, entry.measure_id)
    if measure is None:
        problems["measure"] = "Choose a measure."
    elif measure.retired:
        problems["measure"] = f"{measure.name} is retired: bring it back in Settings to use it."
    if entry.point not in SCORE_POINTS:
        problems["point"] = "Say whether this is a baseline, a score during Do, or an exit score."
    if not math.isfinite(entry.value):
        problems["value"] = "A score is a number."
    elif measure is not None and not _in_scale(measure, entry.value):
        problems["value"] = (
            f"{measure.name} runs from {_num(measure.scale_min)} to {_num(measure.scale_max)}."
        )
    if entry.recorded_on > today:
        problems["recorded_on"] = "A score cannot be dated in the future."
    if entry.cycle_id is not None:
        cycle = session.get(Cycle, entry.cycle_id)
        if cycle is None or cycle.pupil_id != pupil.id:
            problems["cycle"] = "That cycle is not this pupil's."
    if problems:
        raise ValidationFailed(problems)


def _in_scale(measure: AssessmentMeasure, value: float) -> bool:
    return _in(measure.scale_min, measure.scale_max, value)


def _in(low: float | None, high: float | None, value: float) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def record_score(sessions: Sessions, pupil_id: int, entry: ScoreEntry, today: dt.date) -> int:
    with sessions.begin() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is not in this file.")
        ensure_editable(pupil)
        _check_score(session, pupil, entry, today)
        measure = session.get(AssessmentMeasure, entry.measure_id)
        assert measure is not None  # checked above
        score = MeasureScore(
            pupil_id=pupil_id,
            measure_id=entry.measure_id,
            measure_name=measure.name,
            unit=measure.unit,
            cycle_id=entry.cycle_id,
            recorded_on=entry.recorded_on,
            point=entry.point,
            value=entry.value,
            note=entry.note.strip() or None,
        )
        session.add(score)
        session.flush()
        audit.record(session, "score.record", "Recorded an assessment score", pupil.uuid)
        return score.id


def delete_score(sessions: Sessions, score_id: int) -> None:
    """Remove a score typed in error (audited)."""
    with sessions.begin() as session:
        score = session.get(MeasureScore, score_id)
        if score is None:
            raise NotFound("That score is not in this file.")
        pupil = session.get(Pupil, score.pupil_id)
        assert pupil is not None
        ensure_editable(pupil)
        session.delete(score)
        audit.record(session, "score.delete", "Removed an assessment score", pupil.uuid)


def list_scores(
    sessions: Sessions, pupil_id: int, measure_id: int | None = None
) -> list[ScoreView]:
    """A pupil's scores, oldest first."""
    query = (
        select(MeasureScore, Cycle.number)
        .outerjoin(Cycle, Cycle.id == MeasureScore.cycle_id)
        .where(MeasureScore.pupil_id == pupil_id)
        .order_by(MeasureScore.recorded_on, MeasureScore.id)
    )
    if measure_id is not None:
        query = query.where(MeasureScore.measure_id == measure_id)
    with sessions() as session:
        return [
            ScoreView(
                s.id,
                s.measure_id,
                s.measure_name,
                s.unit,
                s.recorded_on,
                s.point,
                s.value,
                s.cycle_id,
                number,
                s.note or "",
            )
            for s, number in session.execute(query).all()
        ]


# --- a provision's measure ---------------------------------------------------------------------


def set_provision_measure(sessions: Sessions, provision_id: int, measure_id: int | None) -> None:
    """Name the measure whose entry and exit scores show a provision's impact (None: no measure)."""
    with sessions.begin() as session:
        provision = session.get(Provision, provision_id)
        if provision is None:
            raise NotFound("That provision is not in this file.")
        cycle = session.get(Cycle, provision.cycle_id)
        pupil = session.get(Pupil, cycle.pupil_id) if cycle else None
        assert pupil is not None
        ensure_editable(pupil)
        if measure_id is not None:
            measure = session.get(AssessmentMeasure, measure_id)
            if measure is None:
                raise ValidationFailed({"measure": "Choose a measure."})
        provision.measure_id = measure_id
        audit.record(session, "provision.measure", "Chose a provision's impact measure", pupil.uuid)


def add_examples(sessions: Sessions) -> int:
    """Add the example measures this file lacks (a file made before measures existed has none)."""
    with sessions.begin() as session:
        have = set(session.execute(select(AssessmentMeasure.name)).scalars())
        new = [m for m in measure_models.examples() if m.name not in have]
        session.add_all(new)
        if new:
            audit.record(session, "measure.add", f"Added {len(new)} example assessment measures")
        return len(new)


@dataclass(frozen=True)
class ProvisionMeasure:
    provision_id: int
    cycle_number: int
    description: str
    measure_id: int | None


def provision_measures(sessions: Sessions, pupil_id: int) -> list[ProvisionMeasure]:
    """The provisions of the pupil's latest cycle and the measure each names."""
    with sessions() as session:
        latest = session.execute(
            select(Cycle.id, Cycle.number)
            .where(Cycle.pupil_id == pupil_id)
            .order_by(Cycle.number.desc())
            .limit(1)
        ).first()
        if latest is None:
            return []
        return [
            ProvisionMeasure(pid, latest.number, description, measure_id)
            for pid, description, measure_id in session.execute(
                select(Provision.id, Provision.description, Provision.measure_id)
                .where(Provision.cycle_id == latest.id)
                .order_by(Provision.id)
            )
        ]


def history(sessions: Sessions, pupil_id: int, today: dt.date) -> list[MeasureHistory]:
    """Each measure the pupil has scores on, oldest score first, each beside the value the school
    expects for the year group the pupil was in that day (their year group today, moved back one
    for each school year since; with none recorded, the year group their age fits)."""
    with sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is not in this file.")
        rows = session.execute(
            select(MeasureScore, AssessmentMeasure)
            .join(AssessmentMeasure, AssessmentMeasure.id == MeasureScore.measure_id)
            .options(selectinload(AssessmentMeasure.expectations))
            .where(MeasureScore.pupil_id == pupil_id)
            .order_by(AssessmentMeasure.name, MeasureScore.recorded_on, MeasureScore.id)
        ).all()
        found: dict[int, tuple[AssessmentMeasure, list[MeasuredPoint]]] = {}
        for score, measure in rows:
            year = expectations.year_group_on(
                pupil.year_group, today, score.recorded_on, pupil.date_of_birth
            )
            expected = measure.expected.get(year) if year is not None else None
            found.setdefault(measure.id, (measure, []))[1].append(
                MeasuredPoint(score.recorded_on, score.value, expected)
            )
        return [
            MeasureHistory(m.name, m.unit, m.higher_is_better, tuple(points))
            for m, points in found.values()
        ]
