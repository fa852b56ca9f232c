"""The rules of the graduated approach (Code of Practice 6.44-6.56), with no database and no Qt.

A cycle moves Assess -> Plan -> Do -> Review -> closed. The services apply these rules to stored
cycles; the wizards only collect what the rules ask for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sendesk import codes, dates, money
from sendesk.codes import NextStep, Rating, SenStatus, Stage
from sendesk.scoring import StageScore

STAGE_ORDER: tuple[Stage, ...] = (Stage.ASSESS, Stage.PLAN, Stage.DO, Stage.REVIEW, Stage.CLOSED)
STAGE_LABELS: dict[str, str] = {
    "assess": "Assess",
    "plan": "Plan",
    "do": "Do",
    "review": "Review",
    "closed": "Closed",
}
MAX_REVIEW_WEEKS = 16
DEFAULT_REVIEW_WEEKS = 12  # about a term: the review date a plan with no target dates is offered


def can_reopen(current: str, target: str) -> bool:
    """A stage can be reopened to correct it while the cycle is open and the stage is behind it."""
    if Stage(current) is Stage.CLOSED or Stage(target) is Stage.CLOSED:
        return False
    return STAGE_ORDER.index(Stage(target)) < STAGE_ORDER.index(Stage(current))


# --- what each stage records ---------------------------------------------------------------------


@dataclass
class EvidenceItem:
    kind: str
    recorded_on: dt.date | None = None
    source: str = ""
    score: str = ""
    note: str = ""


@dataclass
class AssessData:
    concern: str = ""
    needs: list[str] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    parent_views: str = ""
    pupil_views: str = ""
    teacher_views: str = ""
    # The cycle's baseline scores, one a measure; None leaves those stored as they are.
    baselines: list[StageScore] | None = None


@dataclass
class OutcomePlan:
    description: str
    success_criteria: str = ""
    area_code: str | None = None
    target_date: dt.date | None = None
    carried_forward_from_id: int | None = None
    id: int | None = None  # set when it is already stored


@dataclass
class ProvisionPlan:
    description: str
    delivered_by: str = ""
    group_size: int = 1
    sessions_per_week: float = 1.0
    minutes_per_session: int = 30
    weeks: int = 12
    fixed_cost_pence: int | None = None
    id: int | None = None  # set when it is already stored (its sessions are kept)
    where_when: str = ""  # "Small-group room, Tuesday and Thursday mornings"
    expected_impact: str = ""
    measure_id: int | None = None  # the assessment measure whose scores show its impact


@dataclass
class PlanData:
    outcomes: list[OutcomePlan] = field(default_factory=list)
    provisions: list[ProvisionPlan] = field(default_factory=list)
    strategies: list[str] = field(default_factory=list)
    review_date: dt.date | None = None
    parents_informed_on: dt.date | None = None
    parents_informed_how: str = ""


@dataclass
class OutcomeRating:
    rating: str | None
    comment: str = ""


# What each next step asks for besides itself (the review's own fields by name); the other
# steps ask for neither, and what was typed for one is kept only with that step.
STEP_ASKS: dict[str, str] = {
    NextStep.SPECIALIST: "referral_service",
    NextStep.EHCNA: "ehcna_requested_on",
}


@dataclass
class ReviewData:
    held_on: dt.date | None
    ratings: dict[int, OutcomeRating] = field(default_factory=dict)  # by outcome id
    impacts: dict[int, str] = field(default_factory=dict)  # by provision id
    parent_views: str = ""
    pupil_views: str = ""
    attendees: str = ""
    next_step: str | None = None
    referral_service: str | None = None  # with the specialist step
    ehcna_requested_on: dt.date | None = None  # with the EHC needs assessment step
    actions: str = ""  # who does what by when, a line each ("who; what; by when")
    # The cycle's exit scores, one a measure; None leaves those stored as they are.
    exit_scores: list[StageScore] | None = None


# --- checks ------------------------------------------------------------------------------------


def needs_to_assess(assessed: Sequence[str], recorded: Sequence[str]) -> list[str]:
    """The needs an Assess stage starts with: those already assessed in this cycle, else the
    pupil's recorded (ranked) needs, for the SENCo to confirm or change."""
    return list(assessed) if assessed else list(dict.fromkeys(recorded))


def first_area(assessed: Sequence[str], recorded: Sequence[str]) -> str | None:
    """The broad area of need a plan's examples open on: that of the first need found at
    Assess, else of the pupil's primary need."""
    for code in [*assessed, *recorded]:
        area = codes.area_of_need(code)
        if area is not None:
            return area.code
    return None


NO_NEED = (
    "Tick at least one area of need. If the type of need is not yet known, tick NSA (SEN "
    "support but no specialist assessment of the type of need): the school census asks for a "
    "primary need for every pupil on SEN support."
)


def needs_problem(needs: Sequence[str]) -> str | None:
    """Why Assess cannot be finished with these needs: a plan agreed after it puts the pupil on
    SEN support, and nobody is on SEN support without a primary need (from the GUI trial)."""
    return None if needs else NO_NEED


def concern_problem(concern: str) -> str | None:
    return None if concern.strip() else "Say what the concern is."


def assess_problems(data: AssessData, complete: bool = False) -> dict[str, str]:
    """What stops Assess being saved (`complete`: being finished)."""
    problems = {}
    if found := concern_problem(data.concern):
        problems["concern"] = found
    unknown = [n for n in data.needs if n not in codes.NEED_BY_CODE]
    if unknown:
        problems["needs"] = f"Not census needs: {', '.join(unknown)}."
    elif complete and (missing := needs_problem(data.needs)):
        problems["needs"] = missing
    for item in data.evidence:
        if item.kind not in codes.EVIDENCE_KINDS:
            problems["evidence"] = "Choose what kind of evidence each item is."
    return problems


WHERE_WHEN_LONGEST = 200  # the column's size


def plan_limits(data: PlanData) -> dict[str, str]:
    """What no save of a plan may hold, complete or not."""
    if any(len(p.where_when.strip()) > WHERE_WHEN_LONGEST for p in data.provisions):
        return {
            "provisions": f"Keep where and when each provision happens to {WHERE_WHEN_LONGEST} "
            "characters."
        }
    return {}


def plan_problems(data: PlanData) -> dict[str, str]:
    """What stops a plan from being complete (Code of Practice 6.48-6.49)."""
    problems = plan_limits(data)
    if not data.outcomes:
        problems["outcomes"] = "A plan needs at least one outcome."
    elif any(not o.description.strip() or not o.success_criteria.strip() for o in data.outcomes):
        problems["outcomes"] = (
            "Every outcome needs what the pupil will achieve and how we will know."
        )
    if "provisions" not in problems and (found := _provision_problem(data.provisions)):
        problems["provisions"] = found
    if data.review_date is None:
        problems["review_date"] = "A plan needs a review date."
    if data.parents_informed_on is None or not data.parents_informed_how.strip():
        problems["parents_informed"] = "Record when and how the parents were told about the plan."
    return problems


def _provision_problem(provisions: Sequence[ProvisionPlan]) -> str | None:
    if not provisions:
        return "A plan needs the provision: what support the pupil will get."
    if any(not p.description.strip() for p in provisions):
        return "Every provision needs to say what it is."
    if any(not _provision_sane(p) for p in provisions):
        return (
            "Group size must be at least 1, and sessions, minutes, weeks and costs cannot be "
            "negative."
        )
    return None


def _provision_sane(p: ProvisionPlan) -> bool:
    return (
        p.group_size >= 1
        and p.sessions_per_week >= 0
        and p.minutes_per_session >= 0
        and p.weeks >= 0
        and (p.fixed_cost_pence is None or p.fixed_cost_pence >= 0)
    )


def default_review_date(targets: Iterable[dt.date | None], today: dt.date) -> dt.date:
    """The review date a plan is offered: the day its last outcome is due, or, with no target
    date still to come, about a term on (the Code of Practice asks for termly reviews)."""
    due = [d for d in targets if d is not None and d > today]
    return max(due, default=today + dt.timedelta(weeks=DEFAULT_REVIEW_WEEKS))


@dataclass(frozen=True)
class Term:
    starts_on: dt.date
    ends_on: dt.date


def review_date_warnings(review_date: dt.date, today: dt.date, terms: Sequence[Term]) -> list[str]:
    """Reasons to look again at a review date; none of them stops the plan."""
    warnings = []
    if review_date > today + dt.timedelta(weeks=MAX_REVIEW_WEEKS):
        warnings.append(f"The review is more than {MAX_REVIEW_WEEKS} weeks away.")
    if review_date < today:
        warnings.append("The review date is in the past.")
    if review_date.weekday() >= 5:
        warnings.append("The review date is on a weekend.")
    elif terms and not any(t.starts_on <= review_date <= t.ends_on for t in terms):
        warnings.append("The review date falls in a school holiday.")
    return warnings


COMMENT_REQUIRED = "Say why for every outcome not achieved: it is carried into the next cycle."


def comment_required(rating: str | None) -> bool:
    """An outcome not achieved is carried forward, so the next plan needs to know why."""
    return is_unmet(rating)


def steps_closed(sen_status: str) -> dict[str, str]:
    """The next steps a review cannot decide for a pupil of this status, and why (the Review
    wizard shows the reasons beside the choices, not only in a tooltip; from the GUI trial)."""
    if sen_status != SenStatus.EHC_PLAN:
        return {}
    return {
        NextStep.EXIT: (
            "A pupil with an EHC plan stays on it until the local authority ends the plan."
        ),
        NextStep.EHCNA: (
            "A pupil with an EHC plan has been assessed already: raise a major concern with the "
            "local authority at the plan's annual review, or ask it for an early review."
        ),
    }


def review_problems(
    data: ReviewData, outcome_ids: Iterable[int], provision_ids: Iterable[int], sen_status: str
) -> dict[str, str]:
    problems = {}
    if data.held_on is None:
        problems["held_on"] = "Give the date of the review."
    for outcome_id in outcome_ids:
        rated = data.ratings.get(outcome_id)
        if rated is None or rated.rating not in codes.RATING_LABELS:
            problems["ratings"] = "Rate every outcome."
        elif comment_required(rated.rating) and not rated.comment.strip():
            problems["ratings"] = COMMENT_REQUIRED
    if any(not data.impacts.get(pid, "").strip() for pid in provision_ids):
        problems["impacts"] = "Record the impact of every provision."
    if data.next_step not in codes.NEXT_STEP_LABELS:
        problems["next_step"] = "Choose the next step."
    elif data.next_step in (closed := steps_closed(sen_status)):
        problems["next_step"] = closed[data.next_step]
    elif data.next_step == NextStep.SPECIALIST and data.referral_service not in (
        codes.REFERRAL_SERVICES
    ):
        problems["referral_service"] = "Choose the service to ask for specialist advice."
    elif data.next_step == NextStep.EHCNA and data.ehcna_requested_on is None:
        problems["ehcna_requested_on"] = "Give the date the EHC needs assessment was requested."
    return problems


def is_unmet(rating: str | None) -> bool:
    """An outcome not achieved is carried into the next cycle."""
    return rating != Rating.ACHIEVED


def starts_new_cycle(next_step: str) -> bool:
    return NextStep(next_step) is not NextStep.EXIT


def status_after_plan(current: str) -> str:
    """Agreeing a plan of SEN provision puts a pupil on SEN support (an EHC plan stays)."""
    return SenStatus.SEN_SUPPORT if current == SenStatus.NONE else current


def needs_after_plan(
    primary: str | None, secondary: str | None, assessed: Sequence[str]
) -> tuple[str | None, str | None]:
    """The pupil's ranked needs once a plan puts them on SEN support.

    A pupil with no primary need yet takes the first two needs found at Assess, so no one is on
    SEN support without a primary need (the census asks for one); needs the SENCo already ranked
    are kept as they are.
    """
    if primary is not None:
        return primary, secondary
    found = list(dict.fromkeys(assessed))
    return (found[0] if found else None), (found[1] if len(found) > 1 else None)


NO_PRIMARY_NEED = (
    "This pupil has no area of need recorded, and the school census asks for a primary need for "
    "every pupil on SEN support. Reopen Assess and tick at least one area of need (NSA if the "
    "type is not yet known), or set the primary need on the pupil's profile, then agree the plan."
)


# Before a plan is agreed a pupil may be assessed while still on N; from Do on, the plan is
# SEN provision and the pupil is on SEN support (K) or has an EHC plan (E).
STAGES_NEEDING_SUPPORT: frozenset[Stage] = frozenset({Stage.DO, Stage.REVIEW})


def status_problem(sen_status: str, open_stage: str | None) -> str | None:
    """Why a status cannot stand beside the pupil's open cycle, or None."""
    if sen_status == "N" and open_stage is not None and Stage(open_stage) in STAGES_NEEDING_SUPPORT:
        return (
            f"This pupil's cycle is at {STAGE_LABELS[open_stage]}: a plan of SEN provision is in "
            "place, so they cannot be set to No SEN. Review the cycle (next step: no longer "
            "needs SEN support) to take them off SEN support."
        )
    return None


def can_discard(recorded: bool, stage: str) -> bool:
    """A cycle started by mistake can be thrown away while nothing has been recorded in it."""
    return Stage(stage) is Stage.ASSESS and not recorded


@dataclass(frozen=True)
class WeekNote:
    noted_on: dt.date
    kind: str
    text: str


def week_problems(monday: dt.date, days: Iterable[dt.date], today: dt.date) -> dict[str, str]:
    """What is wrong with sessions recorded on `days` for the week starting `monday` (nothing:
    empty): a week starts on a Monday, and no session is recorded outside it or before its day."""
    if dates.monday_of(monday) != monday:
        return {"week": "A week starts on a Monday."}
    sunday = monday + dt.timedelta(days=6)
    days = list(days)
    if any(not monday <= day <= sunday for day in days):
        return {"sessions": "Every session must be in the week shown."}
    if any(day > today for day in days):
        return {"sessions": "A session cannot be recorded before its day."}
    return {}


Marks = Mapping[dt.date, bool]  # a provision's week: the days a session was held -> attended


@dataclass(frozen=True)
class RebasedWeek:
    marks: dict[dt.date, bool]  # the week to show: the saved one with the user's changes on it
    clashes: list[dt.date]  # days the user and the other save both changed, differently


def rebase_week(seen: Marks, mine: Marks, saved: Marks) -> RebasedWeek:
    """The user's changes to a week of sessions (`mine`, from the `seen` they were shown) put on
    the week someone else has `saved` since, so a conflict loses no tick: a day the user changed
    takes the user's mark where the other save left it as it was seen (or made it the same);
    a day both changed differently keeps the saved mark and is a clash, for the user to see."""
    marks = dict(saved)
    clashes = []
    for day in sorted(set(seen) | set(mine)):
        was, wanted, now = seen.get(day), mine.get(day), saved.get(day)  # None: not held
        if wanted == was:
            continue  # not the user's change
        if now not in (was, wanted):
            clashes.append(day)
        elif wanted is None:
            marks.pop(day, None)
        else:
            marks[day] = wanted
    return RebasedWeek(marks, clashes)


def week_note(monday: dt.date, text: str, today: dt.date) -> WeekNote | None:
    """The log entry for the notes typed with a week's sessions.

    It is dated the Friday of that week (the last school day), or today for the week still under
    way, and reads "Sessions, week of 23/11/2026: ..." so the log says which week it is about.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    friday = monday + dt.timedelta(days=4)
    return WeekNote(
        min(friday, today), "observation", f"Sessions, week of {dates.show(monday)}: {cleaned}"
    )


# --- money -------------------------------------------------------------------------------------


def provision_cost_pence(
    sessions_per_week: float,
    minutes_per_session: int,
    weeks: int,
    group_size: int,
    hourly_rate_pence: int,
    fixed_cost_pence: int | None = None,
) -> int:
    """One pupil's share of a provision's cost over its weeks (a fixed cost wins)."""
    if fixed_cost_pence is not None:
        return fixed_cost_pence
    hours = sessions_per_week * weeks * minutes_per_session / 60
    return round(hours * hourly_rate_pence / max(group_size, 1))


@dataclass(frozen=True)
class CostSummary:
    """A school year's provision cost for one pupil against the notional SEN threshold.

    `plan_pence` is the part of it in the plan at hand, when there is one.
    """

    total_pence: int
    threshold_pence: int
    plan_pence: int | None = None

    @property
    def over_threshold(self) -> bool:
        return self.total_pence > self.threshold_pence

    def sentence(self) -> str:
        state = "over" if self.over_threshold else "within"
        year = (
            f"{pounds(self.total_pence)} this school year, {state} the "
            f"{pounds(self.threshold_pence)} notional SEN threshold."
        )
        if self.plan_pence is None or self.plan_pence == self.total_pence:
            return f"Provision costs {year}"
        return f"This plan's provision costs {pounds(self.plan_pence)}; with earlier plans, {year}"


def pounds(pence: int, *, pence_shown: bool = False) -> str:
    """'£450' in a sentence; with `pence_shown`, as a column of figures lines up: '£450.00'."""
    text = f"£{pence / 100:,.2f}"
    return text if pence_shown else text.replace(".00", "")


def parse_pounds(text: str) -> int | None:
    """Pence from '£1,250.50' or '1250'; None when empty; `money.BadAmount` (a ValueError) else."""
    return money.parse_pence(text)


def delivered_share(sessions_held: int, sessions_per_week: float, weeks: int) -> float | None:
    """How much of the planned provision was delivered, 0-1 (None when nothing was planned)."""
    planned = sessions_per_week * weeks
    return None if planned <= 0 else min(1.0, sessions_held / planned)
