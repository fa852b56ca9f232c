"""Baseline scores saved with Assess and exit scores with the Review, in the stage's own
transaction; what is refused, in words that name the measure; and the impact figures worked
from scores entered this way."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from sendesk import analytics, scoring
from sendesk.analytics import Period
from sendesk.cycle import (
    AssessData,
    OutcomePlan,
    OutcomeRating,
    PlanData,
    ProvisionPlan,
    ReviewData,
)
from sendesk.errors import BadInput, StaleEdit, ValidationFailed
from sendesk.measure_models import MeasureScore
from sendesk.models import AuditEvent, Cycle, Review
from sendesk.records import Records
from sendesk.scoring import Scale, StageScore, TypedScore
from sendesk.services import cycles, documents, impact, measures, pupils
from sendesk.services.measures import ScoreEntry
from sendesk.services.pupils import PupilDetails

TODAY = dt.date(2026, 11, 23)
ASSESSED = dt.date(2026, 9, 3)
REVIEWED = dt.date(2026, 11, 20)
SCALED = Scale("Standardised reading score", "standard score", 69, 141)


def measure_id(vault: Records, name: str) -> int:
    return next(m.id for m in measures.list_measures(vault.sessions) if m.details.name == name)


def new_cycle(vault: Records, surname: str = "Okafor") -> tuple[int, int]:
    pupil = pupils.create(vault.sessions, PupilDetails(surname, "Chidi"), today=TODAY).pupil_id
    return pupil, cycles.start(vault.sessions, pupil, ASSESSED)


def assess(
    vault: Records, cycle_id: int, baselines: list[StageScore] | None, seen: int | None = None
) -> None:
    data = AssessData(
        concern="Reading well below expectations", needs=["SPLD"], baselines=baselines
    )
    cycles.save_assess(vault.sessions, cycle_id, data, complete=False, seen=seen, today=TODAY)


def stored(vault: Records, cycle_id: int) -> list[tuple[str, str, float, dt.date, str | None]]:
    with vault.sessions() as session:
        rows = session.execute(
            select(MeasureScore)
            .where(MeasureScore.cycle_id == cycle_id)
            .order_by(MeasureScore.point, MeasureScore.measure_name)
        ).scalars()
        return [(s.point, s.measure_name, s.value, s.recorded_on, s.note) for s in rows]


def audit_count(vault: Records, action: str) -> int:
    with vault.sessions() as session:
        return session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        ).scalar_one()


def test_baselines_are_saved_with_assess_and_replaced_when_saved_again(vault: Records) -> None:
    _pupil, cycle = new_cycle(vault)
    reading = measure_id(vault, "Reading age")
    spelling = measure_id(vault, "Spelling age")
    assess(
        vault,
        cycle,
        [StageScore(reading, 84, ASSESSED), StageScore(spelling, 80, ASSESSED, " from Salford ")],
    )
    assert stored(vault, cycle) == [
        ("baseline", "Reading age", 84, ASSESSED, None),
        ("baseline", "Spelling age", 80, ASSESSED, "from Salford"),
    ]
    assert audit_count(vault, "score.record") == 1
    # Saved again: the reading age corrected, the spelling age taken out; nothing doubled.
    assess(vault, cycle, [StageScore(reading, 86, ASSESSED)])
    assert stored(vault, cycle) == [("baseline", "Reading age", 86, ASSESSED, None)]
    assert [
        (s.measure_name, s.value) for s in measures.stage_scores(vault.sessions, cycle, "baseline")
    ] == [("Reading age", 86)]
    assess(vault, cycle, [StageScore(reading, 86, ASSESSED)])  # the same again: no new event
    assess(vault, cycle, None)  # no baselines given: those stored stay
    assert stored(vault, cycle) == [("baseline", "Reading age", 86, ASSESSED, None)]
    assert audit_count(vault, "score.record") == 2


def test_a_second_baseline_recorded_elsewhere_is_folded_into_one(vault: Records) -> None:
    """Scores recorded from the progress view can give a measure two baselines: the wizard
    shows the one the impact figures take (the earliest baseline, the latest exit score), and
    saving the stage keeps that one alone."""
    pupil, cycle = new_cycle(vault)
    reading = measure_id(vault, "Reading age")
    later = ASSESSED + dt.timedelta(days=1)
    for value, day, point in ((82, later, "baseline"), (80, ASSESSED, "baseline"),
                              (95, REVIEWED, "exit"), (94, later, "exit")):  # fmt: skip
        entry = ScoreEntry(reading, day, point, value, cycle)
        measures.record_score(vault.sessions, pupil, entry, TODAY)
    [baseline] = measures.stage_scores(vault.sessions, cycle, "baseline")
    [exit_] = measures.stage_scores(vault.sessions, cycle, "exit")
    assert (baseline.value, baseline.recorded_on, exit_.value) == (80, ASSESSED, 95)
    assess(vault, cycle, [StageScore(reading, baseline.value, baseline.recorded_on)])
    [kept] = measures.stage_scores(vault.sessions, cycle, "baseline")
    assert kept.id == baseline.id
    assert [p for p, *_ in stored(vault, cycle)] == ["baseline", "exit", "exit"]


@pytest.mark.parametrize(
    ("value", "day", "message"),
    [
        (150, ASSESSED, "Standardised reading score runs from 69 to 141 standard score: 150 is"),
        (float("nan"), ASSESSED, "The score for Standardised reading score must be a number."),
        (100, TODAY + dt.timedelta(days=1), "Standardised reading score cannot be dated in the"),
    ],
)
def test_a_baseline_that_cannot_be_kept_saves_nothing_of_the_stage(
    vault: Records, value: float, day: dt.date, message: str
) -> None:
    _pupil, cycle = new_cycle(vault)
    score = measure_id(vault, "Standardised reading score")
    with pytest.raises(ValidationFailed) as refused:
        assess(vault, cycle, [StageScore(score, value, day)])
    assert message in refused.value.problems["baseline_scores"]
    assert stored(vault, cycle) == []
    assert cycles.load(vault.sessions, cycle).assess.concern == ""  # the whole save undone


def test_one_baseline_for_each_measure(vault: Records) -> None:
    _pupil, cycle = new_cycle(vault)
    reading = measure_id(vault, "Reading age")
    with pytest.raises(ValidationFailed, match="Reading age is given twice: keep one baseline"):
        assess(vault, cycle, [StageScore(reading, 84, ASSESSED), StageScore(reading, 85, TODAY)])
    assert stored(vault, cycle) == []


def test_a_retired_measure_keeps_its_baseline_and_takes_no_new_one(vault: Records) -> None:
    _pupil, cycle = new_cycle(vault)
    reading = measure_id(vault, "Reading age")
    spelling = measure_id(vault, "Spelling age")
    assess(vault, cycle, [StageScore(reading, 84, ASSESSED)])
    measures.set_retired(vault.sessions, reading)
    measures.set_retired(vault.sessions, spelling)
    assess(vault, cycle, [StageScore(reading, 85, ASSESSED)])  # a correction of one it holds
    with pytest.raises(ValidationFailed, match="Spelling age is retired"):
        assess(vault, cycle, [StageScore(reading, 85, ASSESSED), StageScore(spelling, 80, TODAY)])
    assert stored(vault, cycle) == [("baseline", "Reading age", 85, ASSESSED, None)]


def test_baselines_saved_over_a_newer_save_are_refused(vault: Records) -> None:
    _pupil, cycle = new_cycle(vault)
    reading = measure_id(vault, "Reading age")
    opened = cycles.load(vault.sessions, cycle).version
    assess(vault, cycle, None, seen=opened)  # someone else saves the stage first
    with pytest.raises(StaleEdit):
        assess(vault, cycle, [StageScore(reading, 84, ASSESSED)], seen=opened)
    assert stored(vault, cycle) == []


def test_a_typed_score_is_read_or_refused_in_words_that_name_the_measure() -> None:
    assert scoring.read_value(" 102.5 ", SCALED) == 102.5
    for typed in ("abc", "84 months", "1_000", "1e3", "nan", "inf", "٨٤", ""):
        with pytest.raises(BadInput, match="The score for Standardised reading score must be a"):
            scoring.read_value(typed, SCALED)
    with pytest.raises(BadInput, match="runs from 69 to 141"):
        scoring.read_value("68", SCALED)
    assert scoring.value_problem(-1, Scale("Times out", "times", 0, None)) == (
        "Times out starts at 0 times: -1 is outside it."
    )
    assert scoring.value_problem(11, Scale("Wellbeing", "points", None, 10)) == (
        "Wellbeing goes up to 10 points: 11 is outside it."
    )
    scales = {1: Scale("Reading age", "months"), 2: SCALED}
    rows = [
        TypedScore(1, "84", "03/09/2026"),
        TypedScore(2, "", "23/11/2026"),  # offered, nothing typed: left out
    ]
    assert scoring.read_rows(rows, scales) == [StageScore(1, 84, ASSESSED)]
    with pytest.raises(BadInput, match="The date of the score for Reading age: '31/02/2026'"):
        scoring.read_rows([TypedScore(1, "84", "31/02/2026")], scales)
    with pytest.raises(BadInput, match="Give the date of the score for Reading age"):
        scoring.read_rows([TypedScore(1, "84", "")], scales)
    with pytest.raises(BadInput, match="The score for Reading age must be a number"):
        scoring.read_rows([TypedScore(1, "", "03/09/2026", "absent that day")], scales)
    assert scoring.at_stage(84, "months", "Assess", ASSESSED) == "84 months at Assess on 03/09/2026"


def test_the_baseline_and_the_exit_score_are_the_entry_and_exit_where_recorded() -> None:
    sep, nov = dt.date(2026, 9, 3), dt.date(2026, 11, 20)
    day_after = nov + dt.timedelta(days=1)
    recorded = [(sep - dt.timedelta(days=2), 70.0, "during"), (sep, 84.0, "baseline"),
                (nov, 90.0, "exit"), (day_after, 99.0, "during")]  # fmt: skip
    assert analytics.entry_and_exit(recorded) == (84, 90)
    # Neither stage's score recorded: the first and the last.
    assert analytics.entry_and_exit([(sep, 70.0, "during"), (nov, 75.0, "during")]) == (70, 75)
    assert analytics.entry_and_exit([(nov, 90.0, "exit"), (day_after, 99.0, "during")]) is None
    assert analytics.entry_and_exit([(sep, 84.0, "baseline"), (sep, 90.0, "exit")]) is None
    assert analytics.entry_and_exit([]) is None


def plan_and_do(vault: Records, cycle: int, measure: int) -> None:
    plan = PlanData(
        outcomes=[OutcomePlan("will read 40 words", "reads 40/40", "CL")],
        provisions=[ProvisionPlan("Precision teaching", "TA", 1, 3, 15, 10)],
        review_date=REVIEWED,
        parents_informed_on=ASSESSED,
        parents_informed_how="Meeting with mum",
    )
    cycles.save_plan(vault.sessions, cycle, plan, complete=True, today=ASSESSED)
    [provision] = cycles.load(vault.sessions, cycle).provisions
    measures.set_provision_measure(vault.sessions, provision.id, measure)
    cycles.begin_review(vault.sessions, cycle)


def review(
    vault: Records, cycle: int, rating: str, exits: list[StageScore] | None, actions: str = ""
) -> int | None:
    state = cycles.load(vault.sessions, cycle)
    data = ReviewData(
        held_on=REVIEWED,
        ratings={o.id: OutcomeRating(rating, "as seen") for o in state.outcomes},
        impacts={p.id: "Reading age up" for p in state.provisions},
        next_step="continue",
        actions=actions,
        exit_scores=exits,
    )
    return cycles.apply_review(vault.sessions, cycle, data, today=TODAY, seen=state.version)


def test_exit_scores_and_actions_are_saved_with_the_review(vault: Records) -> None:
    pupil, cycle = new_cycle(vault)
    reading = measure_id(vault, "Reading age")
    assess(vault, cycle, [StageScore(reading, 84, ASSESSED)])
    cycles.save_assess(
        vault.sessions,
        cycle,
        AssessData(concern="Reading", needs=["SPLD"]),
        complete=True,
        today=TODAY,
    )
    plan_and_do(vault, cycle, reading)
    actions = "  Mrs Hughes; daily reading; 01/02/2027 \n\n SENCo; ask the EP; 15/01/2027"
    new = review(vault, cycle, "achieved", [StageScore(reading, 90, REVIEWED)], actions)
    assert stored(vault, cycle) == [
        ("baseline", "Reading age", 84, ASSESSED, None),
        ("exit", "Reading age", 90, REVIEWED, None),
    ]
    assert new is not None and stored(vault, new) == []  # the reviewed cycle's, not the next's
    with vault.sessions() as session:
        kept = session.execute(select(Review.actions).where(Review.cycle_id == cycle)).scalar()
    assert kept == "Mrs Hughes; daily reading; 01/02/2027\nSENCo; ask the EP; 15/01/2027"
    # The review record prints them a row each: who, what, by when.
    pdf = documents.review_record_pdf(vault.sessions, pupil, cycle_id=cycle, today=TODAY).data
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert (
        "Actions agreed Who What By when Mrs Hughes daily reading 01/02/2027 SENCo ask the EP"
        in (text)
    )


def test_an_exit_score_that_cannot_be_kept_applies_nothing(vault: Records) -> None:
    _pupil, cycle = new_cycle(vault)
    wellbeing = measure_id(vault, "Wellbeing rating (our own scale)")
    assess(vault, cycle, [StageScore(wellbeing, 3, ASSESSED)])
    cycles.save_assess(
        vault.sessions,
        cycle,
        AssessData(concern="Anxious", needs=["SPLD"]),
        complete=True,
        today=TODAY,
    )
    plan_and_do(vault, cycle, wellbeing)
    with pytest.raises(ValidationFailed) as refused:
        review(vault, cycle, "achieved", [StageScore(wellbeing, 12, REVIEWED)])
    assert (
        (refused.value.problems["exit_scores"])
        == "Wellbeing rating (our own scale) runs from 1 to 10 points: 12 is outside it."
    )
    with vault.sessions() as session:
        assert session.get(Cycle, cycle).stage == "review"  # type: ignore[union-attr]
    assert [p for p, *_ in stored(vault, cycle)] == ["baseline"]


def test_impact_is_worked_from_the_baseline_and_exit_scores_entered_at_the_stages(
    vault: Records,
) -> None:
    """Three pupils on precision teaching measured by reading age, and Dee's, which names no
    measure: Ada 84 -> 90 (+6; her 99 during Do, dated after it, is not her exit), Ben 90 -> 93
    (+3), Cai 70 with no exit score (not measured).
    Reading age: average change (6 + 3) / 2 = 4.5 months over 2 pupils; outcomes achieved 1
    (Ada's) of 3 rated. Each provision costs 3 x 15 min x 10 weeks = 7.5 h at £18 = £135, so
    the reading-age kind £405, and £405 per outcome achieved; Dee's forms a kind of its own."""
    reading = measure_id(vault, "Reading age")
    pupils_scores = [("Ada", 84, 90, "achieved"), ("Ben", 90, 93, "some_progress"),
                     ("Cai", 70, None, "some_progress"), ("Dee", 80, 99, "achieved")]  # fmt: skip
    for name, baseline, exit_, rating in pupils_scores:
        pupil, cycle = new_cycle(vault, name)
        data = AssessData(
            concern="Reading", needs=["SPLD"], baselines=[StageScore(reading, baseline, ASSESSED)]
        )
        cycles.save_assess(vault.sessions, cycle, data, complete=True, today=TODAY)
        plan_and_do(vault, cycle, reading)
        if name == "Dee":
            [provision] = cycles.load(vault.sessions, cycle).provisions
            measures.set_provision_measure(vault.sessions, provision.id, None)
        exits = [StageScore(reading, exit_, REVIEWED)] if exit_ is not None else []
        review(vault, cycle, rating, exits)
        if name == "Ada":  # a score during Do typed in after her exit score is not her exit
            late = ScoreEntry(reading, REVIEWED + dt.timedelta(days=1), "during", 99, cycle)
            measures.record_score(vault.sessions, pupil, late, TODAY)
    found = impact.build(vault.sessions, Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31)))
    by_measure = {k.measure: k for k in found.kinds}
    measured = by_measure["Reading age"]
    assert (measured.what, measured.unit) == ("Precision teaching", "months")
    assert (measured.pupils, measured.measured_pupils, measured.average_change) == (3, 2, 4.5)
    assert (measured.outcomes_achieved, measured.outcomes_rated) == (1, 3)
    assert measured.total_pence == 3 * 13_500
    assert measured.cost_per_outcome_pence == 40_500
    unmeasured = by_measure[None]
    assert (unmeasured.pupils, unmeasured.measured_pupils, unmeasured.average_change) == (
        1,
        0,
        None,
    )
