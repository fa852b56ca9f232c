"""Cycles of Assess-Plan-Do-Review: each stage saved, checked by `sendesk.cycle`, and audited."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any, ParamSpec, TypeVar, cast

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from sendesk import codes, dates
from sendesk import cycle as rules
from sendesk.codes import NextStep, Stage
from sendesk.cycle import (
    AssessData,
    CostSummary,
    EvidenceItem,
    OutcomePlan,
    OutcomeRating,
    PlanData,
    ProvisionPlan,
    ReviewData,
)
from sendesk.errors import NotFound, StaleEdit, ValidationFailed
from sendesk.measure_models import AssessmentMeasure
from sendesk.models import (
    AssessmentEvidence,
    CurrentLogin,
    Cycle,
    CycleNeed,
    Meeting,
    Note,
    Outcome,
    Provision,
    ProvisionSession,
    Pupil,
    Referral,
    Review,
    SchoolSettings,
    Strategy,
    Term,
    WizardDraft,
)
from sendesk.school_year import school_year_end, school_year_start
from sendesk.services import Sessions, audit, measures, meetings, sen_status, versions
from sendesk.services.archived import ensure_editable
from sendesk.text import clean_free_text

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class ProvisionView:
    id: int
    plan: ProvisionPlan
    sessions_held: int
    cost_pence: int

    @property
    def delivered(self) -> float | None:
        return rules.delivered_share(
            self.sessions_held, self.plan.sessions_per_week, self.plan.weeks
        )


@dataclass(frozen=True)
class OutcomeView:
    id: int
    plan: OutcomePlan
    rating: str | None
    comment: str


@dataclass(frozen=True)
class CycleState:
    """Everything the stage wizards show about one cycle."""

    id: int
    pupil_id: int
    number: int
    stage: str
    opened_on: dt.date
    sen_status: str
    assess: AssessData
    plan: PlanData
    outcomes: list[OutcomeView]
    provisions: list[ProvisionView]
    cost: CostSummary
    version: int = 0  # as read; a stage saved over a newer one raises `StaleEdit`


@dataclass(frozen=True)
class SessionEntry:
    provision_id: int
    held_on: dt.date
    attended: bool
    note: str = ""


# --- reading -----------------------------------------------------------------------------------


def open_cycle_id(sessions: Sessions, pupil_id: int) -> int | None:
    with sessions() as session:
        return session.execute(
            select(Cycle.id).where(Cycle.pupil_id == pupil_id, Cycle.stage != Stage.CLOSED)
        ).scalar()


def load(sessions: Sessions, cycle_id: int) -> CycleState:
    with sessions() as session:
        cycle = _cycle(session, cycle_id)
        held = dict(
            session.execute(
                select(ProvisionSession.provision_id, func.count())
                .join(Provision)
                .where(Provision.cycle_id == cycle_id, ProvisionSession.attended.is_(True))
                .group_by(ProvisionSession.provision_id)
            ).all()
        )
        outcomes = [
            OutcomeView(
                o.id,
                OutcomePlan(
                    o.description,
                    o.success_criteria or "",
                    o.area_code,
                    o.target_date,
                    o.carried_forward_from_id,
                    o.id,
                ),
                o.rating,
                o.rating_comment or "",
            )
            for o in cycle.outcomes
        ]
        provisions = [_provision_view(p, held.get(p.id, 0)) for p in cycle.provisions]
        return CycleState(
            id=cycle.id,
            pupil_id=cycle.pupil_id,
            number=cycle.number,
            stage=cycle.stage,
            opened_on=cycle.opened_on,
            sen_status=cycle.pupil.sen_status,
            assess=AssessData(
                concern=cycle.concern or "",
                needs=[n.need_code for n in cycle.needs],
                evidence=[
                    EvidenceItem(e.kind, e.recorded_on, e.source or "", e.score or "", e.note or "")
                    for e in cycle.evidence
                ],
                parent_views=cycle.parent_views or "",
                pupil_views=cycle.pupil_views or "",
                teacher_views=cycle.teacher_views or "",
            ),
            plan=PlanData(
                outcomes=[o.plan for o in outcomes],
                provisions=[p.plan for p in provisions],
                strategies=[s.text for s in cycle.strategies],
                review_date=cycle.review_date,
                parents_informed_on=cycle.parents_informed_on,
                parents_informed_how=cycle.parents_informed_how or "",
            ),
            outcomes=outcomes,
            provisions=provisions,
            cost=_year_cost(session, cycle, sum(p.cost_pence for p in provisions)),
            version=cycle.version,
        )


def _provision_view(p: Provision, held: int) -> ProvisionView:
    plan = ProvisionPlan(
        p.description,
        p.delivered_by or "",
        p.group_size,
        p.sessions_per_week,
        p.minutes_per_session,
        p.weeks,
        p.fixed_cost_pence,
        p.id,
        p.where_when or "",
        p.expected_impact or "",
        p.measure_id,
    )
    cost = rules.provision_cost_pence(
        p.sessions_per_week,
        p.minutes_per_session,
        p.weeks,
        p.group_size,
        p.hourly_rate_pence or 0,
        p.fixed_cost_pence,
    )
    return ProvisionView(p.id, plan, held, cost)


def _year_cost(session: Session, cycle: Cycle, plan_pence: int) -> CostSummary:
    """This cycle's provision plus the pupil's other cycles opened in the same school year."""
    start = school_year_start(cycle.opened_on)
    others = session.execute(
        select(Provision)
        .join(Cycle)
        .where(
            Cycle.pupil_id == cycle.pupil_id,
            Cycle.id != cycle.id,
            Cycle.opened_on >= start,
            Cycle.opened_on <= school_year_end(cycle.opened_on),
        )
    ).scalars()
    earlier = sum(_provision_view(p, 0).cost_pence for p in others)
    threshold = session.execute(select(SchoolSettings.sen_threshold_pence)).scalar_one()
    return CostSummary(earlier + plan_pence, threshold, plan_pence)


def plan_cost(sessions: Sessions, plan: PlanData, cycle_id: int | None = None) -> CostSummary:
    """The cost of a plan being typed, at the school's hourly rate, with the rest of the school
    year's plans for the same pupil, against the threshold."""
    with sessions() as session:
        rate, threshold = session.execute(
            select(SchoolSettings.staff_hourly_rate_pence, SchoolSettings.sen_threshold_pence)
        ).one()
        total = sum(
            rules.provision_cost_pence(
                p.sessions_per_week, p.minutes_per_session, p.weeks, p.group_size, rate,
                p.fixed_cost_pence,
            )
            for p in plan.provisions
        )  # fmt: skip
        cycle = session.get(Cycle, cycle_id) if cycle_id else None
        return _year_cost(session, cycle, total) if cycle else CostSummary(total, threshold)


def review_date_warnings(sessions: Sessions, review_date: dt.date, today: dt.date) -> list[str]:
    with sessions() as session:
        terms = [
            rules.Term(t.starts_on, t.ends_on) for t in session.execute(select(Term)).scalars()
        ]
    return rules.review_date_warnings(review_date, today, terms)


# --- changing ----------------------------------------------------------------------------------


def _cycle(session: Session, cycle_id: int) -> Cycle:
    cycle = session.execute(
        select(Cycle)
        .where(Cycle.id == cycle_id)
        .options(
            selectinload(Cycle.needs),
            selectinload(Cycle.evidence),
            selectinload(Cycle.outcomes),
            selectinload(Cycle.provisions),
            selectinload(Cycle.strategies),
        )
    ).scalar_one_or_none()
    if cycle is None:
        raise NotFound("That cycle is no longer in this file.")
    return cycle


def _what(cycle: Cycle) -> str:
    return f"cycle {cycle.number}"


def _seen(cycle: Cycle, seen: int | None, yours: dict[str, Any] | None = None) -> None:
    """Refuse a stage saved over a newer save of the cycle than the one the wizard opened."""
    versions.ensure_seen(cycle, seen, yours or {}, _what(cycle))


def _saved(cycle: Cycle) -> None:
    """Count this save in the cycle's version even when only its child rows (needs, outcomes,
    sessions) changed, so a wizard opened before it sees a newer version."""
    flag_modified(cycle, "stage")


def count_as_saved(cycle: Cycle) -> None:
    """`_saved`, for another service that changes a cycle's rows (a provision's measure), so a
    wizard open on the cycle since before asks rather than saving over it."""
    _saved(cycle)


def _stale_as_conflict(save: Callable[P, R]) -> Callable[P, R]:
    """A stage save that lost a race at the database (`StaleDataError`) is the same conflict,
    `StaleEdit`, as one made over a newer version: the wizard shows it the same way."""

    @functools.wraps(save)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return save(*args, **kwargs)
        except StaleDataError as exc:
            sessions, cycle_id = cast(Sessions, args[0]), cast(int, args[1])
            raise versions.raced(sessions, Cycle, cycle_id, {}, "this cycle") from exc

    return checked


def _require_stage(cycle: Cycle, *stages: Stage) -> None:
    if cycle.stage not in stages:
        wanted = " or ".join(rules.STAGE_LABELS[s] for s in stages)
        raise ValidationFailed(
            {
                "stage": f"Cycle {cycle.number} is at {rules.STAGE_LABELS[cycle.stage]}, "
                f"not {wanted}; reopen the stage to change it."
            }
        )


def require_stage(cycle: Cycle, *stages: Stage) -> None:
    """`_require_stage`, for another service that writes a stage's rows (the sessions a
    teaching assistant records at Do)."""
    _require_stage(cycle, *stages)


def start(sessions: Sessions, pupil_id: int, today: dt.date | None = None) -> int:
    """A new cycle at Assess, numbered after the pupil's last and linked to it."""
    with sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is no longer in this file.")
        ensure_editable(pupil)
        return _new_cycle(session, pupil, today or dt.date.today(), carried=[], needs=[])


def _new_cycle(
    session: Session, pupil: Pupil, today: dt.date, carried: list[Outcome], needs: list[str]
) -> int:
    # On a team server two people may start a cycle for one pupil at once: the second waits
    # here for the first, then sees its open cycle, so numbers never collide.
    session.execute(select(Pupil.id).where(Pupil.id == pupil.id).with_for_update())
    last = session.execute(
        select(Cycle).where(Cycle.pupil_id == pupil.id).order_by(Cycle.number.desc()).limit(1)
    ).scalar()
    if last is not None and last.stage != Stage.CLOSED:
        raise ValidationFailed(
            {"cycle": f"Cycle {last.number} is still open; finish or correct it first."}
        )
    cycle = Cycle(
        pupil_id=pupil.id,
        number=(last.number + 1) if last else 1,
        previous_cycle_id=last.id if last else None,
        stage=Stage.ASSESS,
        opened_on=today,
    )
    session.add(cycle)
    session.flush()
    for code in needs:
        session.add(CycleNeed(cycle_id=cycle.id, need_code=code))
    for position, old in enumerate(carried):
        session.add(
            Outcome(
                cycle_id=cycle.id,
                position=position,
                area_code=old.area_code,
                description=old.description,
                success_criteria=old.success_criteria,
                carried_forward_from_id=old.id,
            )
        )
    audit.record(session, "cycle.started", f"Cycle {cycle.number} started", pupil.uuid)
    return cycle.id


@_stale_as_conflict
def save_assess(
    sessions: Sessions,
    cycle_id: int,
    data: AssessData,
    complete: bool,
    seen: int | None = None,
    today: dt.date | None = None,
) -> None:
    """Store Assess with its baseline scores (when `data.baselines` is given: they become the
    cycle's baselines, one a measure); `seen` is the cycle's version the wizard opened
    (`StaleEdit` if newer)."""
    problems = rules.assess_problems(data, complete=complete)
    if problems:
        raise ValidationFailed(problems)
    with sessions() as session, session.begin():
        cycle = _cycle(session, cycle_id)
        ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
        _require_stage(cycle, Stage.ASSESS)
        _seen(cycle, seen, {"concern": data.concern.strip()})
        _saved(cycle)
        cycle.concern = data.concern.strip()
        cycle.parent_views = data.parent_views.strip() or None
        cycle.pupil_views = data.pupil_views.strip() or None
        cycle.teacher_views = data.teacher_views.strip() or None
        cycle.needs.clear()
        cycle.evidence.clear()
        session.flush()
        for code in dict.fromkeys(data.needs):
            cycle.needs.append(CycleNeed(need_code=code))
        for item in data.evidence:
            cycle.evidence.append(
                AssessmentEvidence(
                    kind=item.kind,
                    recorded_on=item.recorded_on,
                    source=item.source.strip() or None,
                    score=item.score.strip() or None,
                    note=item.note.strip() or None,
                )
            )
        if data.baselines is not None:
            today = today or dt.date.today()
            measures.replace_stage_scores(session, cycle, "baseline", data.baselines, today)
        if complete:
            cycle.stage = Stage.PLAN
        _audit_stage(session, cycle, "Assess", complete)


@dataclass(frozen=True)
class PlanSaved:
    warnings: list[str]  # about the review date; none of them stops the plan
    review: meetings.ReviewBooking | None = None  # when agreeing it booked, or found, the review


@_stale_as_conflict
def save_plan(
    sessions: Sessions,
    cycle_id: int,
    data: PlanData,
    complete: bool,
    today: dt.date | None = None,
    seen: int | None = None,
    book_review: bool = False,
) -> PlanSaved:
    """Store the plan; completing it needs every part the rules ask for.
    `seen` is the cycle's version the wizard opened (`StaleEdit` if newer). With `book_review`,
    agreeing the plan books its review meeting on the review date unless the cycle has one,
    in the same transaction."""
    today = today or dt.date.today()
    if problems := (rules.plan_problems(data) if complete else rules.plan_limits(data)):
        raise ValidationFailed(problems)
    warnings = []
    if data.review_date:
        warnings = review_date_warnings(sessions, data.review_date, today)
    review = None
    with sessions() as session, session.begin():
        cycle = _cycle(session, cycle_id)
        ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
        _require_stage(cycle, Stage.PLAN)
        _seen(cycle, seen, {"review_date": data.review_date})
        _saved(cycle)
        rate = session.execute(select(SchoolSettings)).scalar_one().staff_hourly_rate_pence
        _check_measures(session, cycle, data.provisions)
        _replace_outcomes(cycle, data.outcomes)
        _replace_provisions(session, cycle, data.provisions, rate)
        cycle.strategies.clear()
        for position, text in enumerate(t.strip() for t in data.strategies):
            if text:
                cycle.strategies.append(Strategy(position=position, text=text))
        cycle.review_date = data.review_date
        cycle.parents_informed_on = data.parents_informed_on
        cycle.parents_informed_how = data.parents_informed_how.strip() or None
        if complete:
            cycle.stage = Stage.DO
            pupil = cycle.pupil
            new_status = rules.status_after_plan(pupil.sen_status)
            if new_status != pupil.sen_status:
                status_before, since = pupil.sen_status, sen_status.dates_before(pupil)
                pupil.sen_status = new_status
                sen_status.date_joining(pupil, status_before, since, today)
                pupil.sen_set_on = today  # the SENCo decided here: an import keeps it
            if new_status in codes.ON_SEN_REGISTER:
                pupil.primary_need, pupil.secondary_need = rules.needs_after_plan(
                    pupil.primary_need, pupil.secondary_need, [n.need_code for n in cycle.needs]
                )
                if pupil.primary_need is None:  # an Assess finished before needs were asked
                    raise ValidationFailed({"needs": rules.NO_PRIMARY_NEED})
            if book_review:
                review = meetings.book_review(session, cycle, today)
        _audit_stage(session, cycle, "Plan", complete)
    return PlanSaved(warnings, review)


def _replace_outcomes(cycle: Cycle, planned: list[OutcomePlan]) -> None:
    kept = {o.id: o for o in cycle.outcomes}
    cycle.outcomes[:] = []
    for position, plan in enumerate(planned):
        outcome = kept.get(plan.id) if plan.id else None
        outcome = outcome or Outcome(carried_forward_from_id=plan.carried_forward_from_id)
        outcome.position = position
        outcome.area_code = plan.area_code
        outcome.description = plan.description.strip()
        outcome.success_criteria = plan.success_criteria.strip() or None
        outcome.target_date = plan.target_date
        cycle.outcomes.append(outcome)


def _check_measures(session: Session, cycle: Cycle, planned: list[ProvisionPlan]) -> None:
    """Each measure named is the school's, and not retired unless the provision had it already."""
    had = {p.id: p.measure_id for p in cycle.provisions}
    for plan in planned:
        if plan.measure_id is None:
            continue
        measure = session.get(AssessmentMeasure, plan.measure_id)
        if measure is None:
            raise ValidationFailed(
                {"provisions": f"The measure chosen for {plan.description.strip()!r} is no "
                 "longer in this file: choose another, or none."}
            )  # fmt: skip
        if measure.retired and (had.get(plan.id) if plan.id else None) != plan.measure_id:
            raise ValidationFailed(
                {"provisions": f"{measure.name} is retired: bring it back in Settings to measure "
                 f"{plan.description.strip()!r} by it."}
            )  # fmt: skip


def _replace_provisions(
    session: Session, cycle: Cycle, planned: list[ProvisionPlan], rate: int
) -> None:
    kept = {p.id: p for p in cycle.provisions}
    wanted = {p.id for p in planned if p.id}
    for provision_id, provision in kept.items():
        if provision_id not in wanted:
            session.delete(provision)  # its sessions go with it
    for plan in planned:
        found = kept.get(plan.id) if plan.id else None
        provision = found or Provision(cycle_id=cycle.id, hourly_rate_pence=rate)
        if found is None:
            session.add(provision)
        provision.description = plan.description.strip()
        provision.delivered_by = plan.delivered_by.strip() or None
        provision.group_size = plan.group_size
        provision.sessions_per_week = plan.sessions_per_week
        provision.minutes_per_session = plan.minutes_per_session
        provision.weeks = plan.weeks
        provision.fixed_cost_pence = plan.fixed_cost_pence
        provision.where_when = clean_free_text(plan.where_when).strip() or None
        provision.expected_impact = clean_free_text(plan.expected_impact).strip() or None
        provision.measure_id = plan.measure_id
        provision.starts_on = provision.starts_on or cycle.parents_informed_on


@dataclass(frozen=True)
class WeekRecorded:
    added: int
    corrected: int
    removed: int
    note_id: int | None

    def sentence(self) -> str:
        parts = [_count(self.added, "session") + " recorded"]
        if self.corrected:
            parts.append(f"{self.corrected} corrected")
        if self.removed:
            parts.append(f"{self.removed} removed")
        return ", ".join(parts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def week_sessions(sessions: Sessions, cycle_id: int, monday: dt.date) -> list[SessionEntry]:
    """The sessions already recorded for the week starting `monday`, to show and correct."""
    with sessions() as session:
        found = session.execute(
            select(ProvisionSession)
            .join(Provision)
            .where(
                Provision.cycle_id == cycle_id,
                ProvisionSession.held_on >= monday,
                ProvisionSession.held_on <= monday + dt.timedelta(days=6),
            )
            .order_by(ProvisionSession.held_on, ProvisionSession.id)
        ).scalars()
        return [SessionEntry(s.provision_id, s.held_on, s.attended, s.note or "") for s in found]


def stored_week(
    session: Session, provision_ids: Iterable[int], monday: dt.date
) -> dict[tuple[int, dt.date], ProvisionSession]:
    """The sessions stored for these provisions in the week starting `monday`, by (provision,
    day): what a week recorded again corrects."""
    return {
        (s.provision_id, s.held_on): s
        for s in session.execute(
            select(ProvisionSession).where(
                ProvisionSession.provision_id.in_(list(provision_ids)),
                ProvisionSession.held_on >= monday,
                ProvisionSession.held_on <= monday + dt.timedelta(days=6),
            )
        ).scalars()
    }


@_stale_as_conflict
def record_week(
    sessions: Sessions,
    cycle_id: int,
    monday: dt.date,
    entries: list[SessionEntry],
    note: str = "",
    complete: bool = False,
    today: dt.date | None = None,
    seen: int | None = None,
    shown: list[SessionEntry] | None = None,
) -> WeekRecorded:
    """Make the week starting `monday` hold exactly `entries`, with the week's note in the
    pupil's log, in one transaction: a week entered again corrects what was recorded.
    `seen` is the cycle's version the wizard opened (`StaleEdit` if newer); `shown`, the
    week's sessions as the wizard showed them: a teaching assistant records sessions without
    touching the cycle, so a week recorded meanwhile is caught here, never silently replaced."""
    today = today or dt.date.today()
    problems = rules.week_problems(monday, [e.held_on for e in entries], today)
    if problems:
        raise ValidationFailed(problems)
    written = rules.week_note(monday, note, today)
    with sessions() as session, session.begin():
        cycle = _cycle(session, cycle_id)
        ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
        _require_stage(cycle, Stage.DO)
        _seen(cycle, seen)
        ours = {p.id for p in cycle.provisions}
        if any(e.provision_id not in ours for e in entries):
            raise ValidationFailed({"sessions": "That provision is not part of this cycle."})
        stored = stored_week(session, ours, monday)
        if shown is not None:
            _week_unchanged(cycle, monday, stored, shown, entries)
        wanted = {(e.provision_id, e.held_on): e for e in entries}
        added = corrected = removed = 0
        for key, old in stored.items():
            if key not in wanted:
                session.delete(old)
                removed += 1
            elif old.attended != wanted[key].attended:
                old.attended = wanted[key].attended
                corrected += 1
        for key, entry in wanted.items():
            if key not in stored:
                session.add(
                    ProvisionSession(
                        provision_id=entry.provision_id,
                        held_on=entry.held_on,
                        attended=entry.attended,
                        note=entry.note.strip() or None,
                    )
                )
                added += 1
        note_id = None
        if written is not None:
            logged = Note(
                pupil_id=cycle.pupil_id, noted_on=written.noted_on, kind=written.kind,
                text=written.text,
            )  # fmt: skip
            session.add(logged)
            session.flush()
            note_id = logged.id
            audit.record(
                session, "note.added", f"{codes.NOTE_KINDS[written.kind]} note added",
                cycle.pupil.uuid,
            )  # fmt: skip
        if complete:
            cycle.stage = Stage.REVIEW
        result = WeekRecorded(added, corrected, removed, note_id)
        if added or corrected or removed or complete:
            _saved(cycle)
            summary = f"{result.sentence()} for the week of {dates.show(monday)}"
            summary += "; Do complete" if complete else ""
            audit.record(session, "cycle.do", f"Cycle {cycle.number}: {summary}", cycle.pupil.uuid)
        return result


def _week_unchanged(
    cycle: Cycle,
    monday: dt.date,
    stored: dict[tuple[int, dt.date], ProvisionSession],
    shown: list[SessionEntry],
    entries: list[SessionEntry],
) -> None:
    now = {key: row.attended for key, row in stored.items()}
    if now == {(e.provision_id, e.held_on): e.attended for e in shown}:
        return
    raise StaleEdit(
        f"the sessions of the week of {dates.show(monday)}",
        cycle.version,
        {"sessions": (_tally(now.values()), _tally(e.attended for e in entries))},
    )


def _tally(attended: Iterable[bool]) -> str:
    marks = list(attended)
    return f"{_count(len(marks), 'session')}, {sum(marks)} attended"


@_stale_as_conflict
def apply_review(
    sessions: Sessions,
    cycle_id: int,
    data: ReviewData,
    today: dt.date | None = None,
    seen: int | None = None,
) -> int | None:
    """Close the cycle with its review, its agreed actions and its exit scores (when
    `data.exit_scores` is given: they become the cycle's exit scores, one a measure), and apply
    the next step. Returns a new cycle's id. `seen` is the cycle's version the wizard opened
    (`StaleEdit` if newer)."""
    today = today or dt.date.today()
    with sessions() as session, session.begin():
        cycle = _cycle(session, cycle_id)
        ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
        _require_stage(cycle, Stage.REVIEW)
        _seen(cycle, seen)
        pupil = cycle.pupil
        problems = rules.review_problems(
            data, [o.id for o in cycle.outcomes], [p.id for p in cycle.provisions], pupil.sen_status
        )
        if problems:
            raise ValidationFailed(problems)
        assert data.held_on is not None and data.next_step is not None
        if data.exit_scores is not None:
            measures.replace_stage_scores(session, cycle, "exit", data.exit_scores, today)
        for outcome in cycle.outcomes:
            rated = data.ratings[outcome.id]
            outcome.rating = rated.rating
            outcome.rating_comment = rated.comment.strip()
        for provision in cycle.provisions:
            provision.impact = data.impacts[provision.id].strip()
        meeting = _review_meeting(session, cycle, data.held_on)
        if meeting is not None and meeting.status == "planned":
            # The meeting in the calendar is the one just held: it is no longer due.
            meeting.status = "held"
            meeting.starts_at = dt.datetime.combine(data.held_on, meeting.starts_at.time())
            kind = codes.MEETING_KINDS[meeting.kind]
            audit.record(session, "meeting.held", f"{kind} held (review recorded)", pupil.uuid)
        if meeting is not None:
            meeting.attendees = data.attendees.strip() or meeting.attendees
        session.add(
            Review(
                cycle_id=cycle.id,
                meeting_id=meeting.id if meeting else None,
                held_on=data.held_on,
                parent_views=data.parent_views.strip() or None,
                pupil_views=data.pupil_views.strip() or None,
                attendees=data.attendees.strip() or None,
                actions=_lines(data.actions) or None,
            )
        )
        step = NextStep(data.next_step)
        cycle.next_step = step
        cycle.stage = Stage.CLOSED
        cycle.closed_on = data.held_on
        audit.record(
            session, "cycle.reviewed", f"Cycle {cycle.number} reviewed: {step.value}", pupil.uuid
        )
        if step is NextStep.EXIT:
            pupil.sen_status = codes.SenStatus.NONE
            pupil.sen_set_on = today  # the SENCo decided here: an import keeps it
            audit.record(session, "pupil.sen_exit", "Removed from SEN support", pupil.uuid)
            return None
        if step is NextStep.SPECIALIST:
            session.add(
                Referral(
                    pupil_id=pupil.id,
                    cycle_id=cycle.id,
                    kind="specialist_advice",
                    service=data.referral_service,
                    requested_on=today,
                    status="requested",
                )
            )
        elif step is NextStep.EHCNA:
            session.add(
                Referral(
                    pupil_id=pupil.id,
                    cycle_id=cycle.id,
                    kind="ehc_needs_assessment",
                    service="LA",
                    requested_on=data.ehcna_requested_on,
                    status="requested",
                )
            )
        session.flush()
        carried = [o for o in cycle.outcomes if rules.is_unmet(o.rating)]
        needs = [n.need_code for n in cycle.needs]
        return _new_cycle(session, pupil, today, carried, needs)


def _lines(text: str) -> str:
    """Text kept a line each, without the blank lines and the spaces around each."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


REVIEW_MEETING_WINDOW = dt.timedelta(days=31)


def _review_meeting(session: Session, cycle: Cycle, held_on: dt.date) -> Meeting | None:
    """The review meeting this review is: the cycle's own, else the pupil's nearest review
    meeting within a month either side of `held_on` that is planned, or held and not yet
    the meeting of any review (marked held in the calendar before the review was recorded)."""
    reviewed = select(Review.meeting_id).where(Review.meeting_id.is_not(None))
    found = session.execute(
        select(Meeting)
        .where(
            Meeting.pupil_id == cycle.pupil_id,
            Meeting.kind.in_(codes.REVIEW_MEETING_KINDS),
            (Meeting.status == "planned")
            | ((Meeting.status == "held") & Meeting.id.not_in(reviewed)),
        )
        .order_by(Meeting.starts_at)
    ).scalars()
    near = [
        m for m in found
        if m.cycle_id == cycle.id or abs(m.starts_at.date() - held_on) <= REVIEW_MEETING_WINDOW
    ]  # fmt: skip
    own = [m for m in near if m.cycle_id == cycle.id]
    candidates = own or near
    return min(candidates, key=lambda m: abs(m.starts_at.date() - held_on), default=None)


@dataclass(frozen=True)
class ReviewMeeting:
    """The calendar's meeting for a review about to be recorded."""

    meeting_id: int
    day: dt.date
    held: bool
    people: str  # who attended when it was marked held, else who was invited


def review_meeting(sessions: Sessions, cycle_id: int, today: dt.date) -> ReviewMeeting | None:
    """What the calendar knows of this cycle's review meeting, for the Review wizard to start
    from: its day and who came (or was invited)."""
    with sessions() as session:
        cycle = _cycle(session, cycle_id)
        meeting = _review_meeting(session, cycle, today)
        if meeting is None:
            return None
        held = meeting.status == "held"
        people = (meeting.attendees if held else meeting.invited) or ""
        return ReviewMeeting(meeting.id, meeting.starts_at.date(), held, people.strip())


def begin_review(sessions: Sessions, cycle_id: int) -> None:
    """The review meeting has been held: a cycle still at Do moves on to Review."""
    with sessions() as session, session.begin():
        cycle = _cycle(session, cycle_id)
        ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
        if cycle.stage == Stage.REVIEW:
            return
        if cycle.stage != Stage.DO:
            label = rules.STAGE_LABELS[cycle.stage]
            message = f"Cycle {cycle.number} is at {label}: agree the plan before reviewing it."
            raise ValidationFailed({"stage": message})
        cycle.stage = Stage.REVIEW
        audit.record(session, "cycle.do", f"Cycle {cycle.number}: Do complete", cycle.pupil.uuid)


def reopen(sessions: Sessions, cycle_id: int, stage: str) -> None:
    """Go back to an earlier stage of an open cycle to correct it."""
    with sessions() as session, session.begin():
        cycle = _cycle(session, cycle_id)
        ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
        if not rules.can_reopen(cycle.stage, stage):
            raise ValidationFailed(
                {"stage": f"{rules.STAGE_LABELS[stage]} cannot be reopened from "
                 f"{rules.STAGE_LABELS[cycle.stage]}."}
            )  # fmt: skip
        audit.record(
            session,
            "cycle.reopened",
            f"Cycle {cycle.number}: {rules.STAGE_LABELS[stage]} reopened from "
            f"{rules.STAGE_LABELS[cycle.stage]}",
            cycle.pupil.uuid,
        )
        cycle.stage = Stage(stage)


def _audit_stage(session: Session, cycle: Cycle, label: str, complete: bool) -> None:
    verb = "completed" if complete else "saved"
    audit.record(
        session, f"cycle.{label.lower()}", f"Cycle {cycle.number}: {label} {verb}", cycle.pupil.uuid
    )


def status_problem(session: Session, pupil_id: int, sen_status: str) -> str | None:
    """Why `sen_status` cannot be given to the pupil beside their open cycle (for the services
    that change a status: the profile, imports)."""
    stage = session.execute(
        select(Cycle.stage).where(Cycle.pupil_id == pupil_id, Cycle.stage != Stage.CLOSED)
    ).scalar()
    return rules.status_problem(sen_status, stage)


def _recorded(session: Session, cycle: Cycle) -> bool:
    """Whether anything at all has been written into the cycle beyond its start."""
    linked = (
        session.execute(
            select(func.count()).select_from(Meeting).where(Meeting.cycle_id == cycle.id)
        ).scalar_one()
        + session.execute(
            select(func.count()).select_from(Review).where(Review.cycle_id == cycle.id)
        ).scalar_one()
    )
    return bool(
        linked
        or (cycle.concern or "").strip()
        or cycle.parent_views
        or cycle.pupil_views
        or cycle.teacher_views
        or cycle.needs
        or cycle.evidence
        or cycle.outcomes
        or cycle.provisions
        or cycle.strategies
        or cycle.review_date
        or cycle.parents_informed_on
    )


def can_discard(sessions: Sessions, cycle_id: int) -> bool:
    with sessions() as session:
        cycle = _cycle(session, cycle_id)
        return rules.can_discard(_recorded(session, cycle), cycle.stage)


def discard(sessions: Sessions, cycle_id: int) -> None:
    """Throw away a cycle started by mistake, with its unsaved drafts; audited."""
    with sessions() as session, session.begin():
        cycle = _cycle(session, cycle_id)
        ensure_editable(cycle.pupil)  # an archived pupil's records are read-only
        if not rules.can_discard(_recorded(session, cycle), cycle.stage):
            raise ValidationFailed(
                {"cycle": f"Cycle {cycle.number} already holds what was recorded in it, so it "
                 "cannot be discarded; reopen a stage to correct it instead."}
            )  # fmt: skip
        pupil = cycle.pupil
        session.execute(delete(WizardDraft).where(WizardDraft.cycle_id == cycle.id))
        session.execute(
            delete(WizardDraft).where(
                WizardDraft.pupil_id == pupil.id, WizardDraft.stage == Stage.ASSESS
            )
        )
        audit.record(
            session, "cycle.discarded", f"Cycle {cycle.number} discarded (nothing recorded)",
            pupil.uuid,
        )  # fmt: skip
        session.delete(cycle)


# --- drafts --------------------------------------------------------------------------------------


def save_draft(
    sessions: Sessions, pupil_id: int, stage: str, page: int, data: dict[str, Any],
    cycle_id: int | None = None,
) -> None:  # fmt: skip
    """Keep what was typed into a wizard that was closed before it finished."""
    payload = json.dumps(data, default=_json_default, ensure_ascii=False)
    with sessions() as session, session.begin():
        draft = session.execute(select(WizardDraft).where(*_my_draft(pupil_id, stage))).scalar()
        if draft is None:
            draft = WizardDraft(pupil_id=pupil_id, stage=stage, owner=CurrentLogin())
            session.add(draft)
        draft.cycle_id = cycle_id
        draft.page = page
        draft.data_json = payload


def load_draft(sessions: Sessions, pupil_id: int, stage: str) -> tuple[int, dict[str, Any]] | None:
    with sessions() as session:
        draft = session.execute(select(WizardDraft).where(*_my_draft(pupil_id, stage))).scalar()
        if draft is None:
            return None
        return draft.page, json.loads(draft.data_json)


def discard_draft(sessions: Sessions, pupil_id: int, stage: str) -> None:
    with sessions() as session, session.begin():
        session.execute(delete(WizardDraft).where(*_my_draft(pupil_id, stage)))


def _my_draft(pupil_id: int, stage: str) -> tuple[ColumnElement[bool], ...]:
    """This login's draft only: on a server another member of staff's typing is theirs."""
    return (
        WizardDraft.pupil_id == pupil_id,
        WizardDraft.stage == stage,
        WizardDraft.owner == CurrentLogin(),
    )


def _json_default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)  # type: ignore[call-overload]
    raise TypeError(f"cannot keep {type(value).__name__} in a draft")


__all__ = [
    "AssessData",
    "CycleState",
    "EvidenceItem",
    "OutcomePlan",
    "OutcomeRating",
    "PlanData",
    "ProvisionPlan",
    "ReviewData",
    "SessionEntry",
]
