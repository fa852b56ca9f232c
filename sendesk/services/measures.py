"""The school's assessment measures (list, add, edit, retire) with the value it expects at each
year group, pupils' dated scores against those expectations, and the measure a provision's impact
is shown by."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from sendesk import expectations, measure_models, scoring
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
from sendesk.scoring import Scale, StageScore
from sendesk.services import Sessions, audit, versions
from sendesk.services.archived import ensure_editable

T = TypeVar("T")


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

    @property
    def scale(self) -> Scale:
        d = self.details
        return Scale(d.name, d.unit, d.scale_min, d.scale_max)


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
    elif "scale" not in problems:
        scale = Scale(details.name.strip() or "The measure", details.unit, low, high)
        off = [wrong for v in expected.values() if (wrong := scoring.value_problem(v, scale))]
        if off:
            problems["expected"] = f"An expected value must be on the scale. {off[0]}"
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
    elif measure is not None and (wrong := scoring.value_problem(entry.value, _scale(measure))):
        problems["value"] = wrong
    if entry.recorded_on > today:
        problems["recorded_on"] = "A score cannot be dated in the future."
    if entry.cycle_id is not None:
        cycle = session.get(Cycle, entry.cycle_id)
        if cycle is None or cycle.pupil_id != pupil.id:
            problems["cycle"] = "That cycle is not this pupil's."
    if problems:
        raise ValidationFailed(problems)


def _scale(measure: AssessmentMeasure) -> Scale:
    return Scale(measure.name, measure.unit, measure.scale_min, measure.scale_max)


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


def _views(session: Session, query: Select[MeasureScore, int]) -> list[ScoreView]:
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


def _scores_query() -> Select[MeasureScore, int]:
    """Scores with their cycle's number, oldest first."""
    return (
        select(MeasureScore, Cycle.number)
        .outerjoin(Cycle, Cycle.id == MeasureScore.cycle_id)
        .order_by(MeasureScore.recorded_on, MeasureScore.id)
    )


def list_scores(
    sessions: Sessions, pupil_id: int, measure_id: int | None = None
) -> list[ScoreView]:
    """A pupil's scores, oldest first."""
    query = _scores_query().where(MeasureScore.pupil_id == pupil_id)
    if measure_id is not None:
        query = query.where(MeasureScore.measure_id == measure_id)
    with sessions() as session:
        return _views(session, query)


# --- the scores a stage takes: the baseline at Assess, the exit score at Review ----------------

# How each stage's score is called in a message ("keep one baseline for each measure").
STAGE_SCORE_WORDS = {"baseline": "baseline", "exit": "exit score"}


def _in_date_order(point: str, found: list[T]) -> list[T]:
    """Scores oldest first, turned so that the one that counts comes last: should another way of
    recording have given a measure a second score at a stage, the impact figures take its
    earliest baseline and its latest exit score (`sendesk.analytics.entry_and_exit`)."""
    return found[::-1] if point == "baseline" else found


def stage_scores(sessions: Sessions, cycle_id: int, point: str) -> list[ScoreView]:
    """The cycle's scores at `point` ("baseline" or "exit"), one a measure (the one the impact
    figures take), in the order of the measures' names."""
    query = _scores_query().where(
        MeasureScore.cycle_id == cycle_id,
        MeasureScore.point == point,
        MeasureScore.measure_id.is_not(None),  # a transferred pupil's scores are not edited here
    )
    with sessions() as session:
        counted = {v.measure_id: v for v in _in_date_order(point, _views(session, query))}
    return sorted(counted.values(), key=lambda v: (v.measure_name.casefold(), v.id))


def replace_stage_scores(
    session: Session, cycle: Cycle, point: str, scores: Sequence[StageScore], today: dt.date
) -> None:
    """Make `scores` the cycle's scores at `point`, inside the caller's transaction (the stage's
    own save): a measure's stored score is changed in place, a second one removed, one no longer
    given removed. Raises `ValidationFailed` naming each measure whose score cannot be kept."""
    what = STAGE_SCORE_WORDS[point]
    stored = list(
        session.execute(
            select(MeasureScore)
            .where(
                MeasureScore.cycle_id == cycle.id,
                MeasureScore.point == point,
                MeasureScore.measure_id.is_not(None),
            )
            .order_by(MeasureScore.recorded_on, MeasureScore.id)
        ).scalars()
    )
    held = {s.measure_id for s in stored}
    wanted = {s.measure_id for s in scores}
    known = {
        m.id: m
        for m in session.execute(
            select(AssessmentMeasure).where(AssessmentMeasure.id.in_(wanted))
        ).scalars()
    }
    # A measure retired since its score was stored keeps that score; it takes no new one.
    retired = [m.name for i, m in known.items() if m.retired and i not in held]
    problems = [f"{name} is retired: bring it back in Settings to use it." for name in retired]
    problems += scoring.stage_problems(
        scores, {i: _scale(m) for i, m in known.items()}, what, today
    )
    if problems:
        raise ValidationFailed({f"{point}_scores": " ".join(problems)})
    keep: dict[int | None, MeasureScore] = {}
    changed = 0
    for row in _in_date_order(point, stored):  # the one that counts is the one kept
        if row.measure_id in keep:
            session.delete(keep[row.measure_id])
            changed += 1
        keep[row.measure_id] = row
    for score in scores:
        measure = known[score.measure_id]
        note = score.note.strip() or None
        found = keep.pop(score.measure_id, None)
        if found is not None and (found.value, found.recorded_on, found.note) == (
            score.value,
            score.recorded_on,
            note,
        ):
            continue  # as stored: its name and unit as recorded stay
        row = found or MeasureScore(
            pupil_id=cycle.pupil_id, measure_id=measure.id, cycle_id=cycle.id, point=point
        )
        row.measure_name, row.unit = measure.name, measure.unit
        row.value, row.recorded_on, row.note = score.value, score.recorded_on, note
        session.add(row)
        changed += 1
    for row in keep.values():
        session.delete(row)
        changed += 1
    if changed:
        audit.record(
            session,
            "score.record",
            f"Cycle {cycle.number}: {what}s recorded ({len(scores)} in all)",
            cycle.pupil.uuid,
        )


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
        if cycle is not None:
            from sendesk.services import cycles  # cycles saves stage scores through this module

            cycles.count_as_saved(cycle)  # the Plan wizard edits the measure too
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


def named_in_cycle(sessions: Sessions, cycle_id: int) -> list[int]:
    """The measures the cycle's provisions say their impact is shown by, each once, in the
    order of the provisions: the scores the Review should ask for even without a baseline."""
    with sessions() as session:
        named = session.scalars(
            select(Provision.measure_id)
            .where(Provision.cycle_id == cycle_id, Provision.measure_id.is_not(None))
            .order_by(Provision.id)
        )
        return list(dict.fromkeys(m for m in named if m is not None))


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
