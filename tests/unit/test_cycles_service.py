"""Cycles stored and moved through their stages; the four next steps and their consequences."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from sendesk.cycle import (
    AssessData,
    EvidenceItem,
    OutcomePlan,
    OutcomeRating,
    PlanData,
    ProvisionPlan,
    ReviewData,
)
from sendesk.errors import ArchivedPupil, ValidationFailed
from sendesk.models import AuditEvent, Cycle, ProvisionSession, Pupil, Referral, Review
from sendesk.services import cycles, pupils
from sendesk.services.cycles import SessionEntry
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def pupil_id(vault: Vault) -> int:
    return pupils.create(vault.sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id


def plan() -> PlanData:
    return PlanData(
        outcomes=[
            OutcomePlan("will read 40 words", "reads 40/40", "CL", TODAY + dt.timedelta(weeks=12)),
            OutcomePlan("will follow two-step instructions", "4 of 5 times", "CI"),
        ],
        provisions=[ProvisionPlan("Precision teaching", "TA", 1, 3, 15, 10)],
        strategies=["Give one instruction at a time", " "],
        review_date=dt.date(2027, 2, 15),
        parents_informed_on=TODAY,
        parents_informed_how="Meeting with mum",
    )


def through_to_review(vault: Vault, pupil_id: int) -> int:
    cycle_id = cycles.open_cycle_id(vault.sessions, pupil_id) or cycles.start(
        vault.sessions, pupil_id, TODAY
    )
    cycles.save_assess(
        vault.sessions,
        cycle_id,
        AssessData(
            concern="Reading well below age-related expectations",
            needs=["SPLD", "SLCN", "SPLD"],
            evidence=[EvidenceItem("standardised_test", TODAY, "Salford", "RA 6y2m")],
            parent_views="Worried about homework",
        ),
        complete=True,
    )
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)
    state = cycles.load(vault.sessions, cycle_id)
    provision = state.provisions[0].id
    week = [TODAY + dt.timedelta(days=d) for d in range(3)]  # TODAY is a Monday
    entries = [SessionEntry(provision, day, day != week[2]) for day in week]
    first = cycles.record_week(vault.sessions, cycle_id, TODAY, entries, today=week[2])
    again = cycles.record_week(vault.sessions, cycle_id, TODAY, entries, "", True, week[2])
    assert (first.added, again.added, again.corrected, again.removed) == (3, 0, 0, 0)
    return cycle_id


def test_an_archived_pupils_cycle_takes_no_sessions_and_is_not_discarded(
    vault: Vault, pupil_id: int
) -> None:
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    pupils.archive(vault.sessions, pupil_id, TODAY, "Moved away", today=TODAY)
    with pytest.raises(ArchivedPupil):
        cycles.discard(vault.sessions, cycle_id)
    assert cycles.open_cycle_id(vault.sessions, pupil_id) == cycle_id
    pupils.restore(vault.sessions, pupil_id)
    cycles.save_assess(
        vault.sessions, cycle_id, AssessData(concern="Reading", needs=["SPLD"]), complete=True
    )
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)
    provision = cycles.load(vault.sessions, cycle_id).provisions[0].id
    pupils.archive(vault.sessions, pupil_id, TODAY, "Moved away", today=TODAY)
    with pytest.raises(ArchivedPupil):
        cycles.record_week(
            vault.sessions, cycle_id, TODAY, [SessionEntry(provision, TODAY, True)], today=TODAY
        )
    with vault.sessions() as session:
        assert session.execute(select(func.count()).select_from(ProvisionSession)).scalar() == 0


def review_of(vault: Vault, cycle_id: int, step: str, **more: object) -> ReviewData:
    state = cycles.load(vault.sessions, cycle_id)
    first, second = (o.id for o in state.outcomes)
    data = ReviewData(
        held_on=dt.date(2027, 2, 15),
        ratings={
            first: OutcomeRating("achieved", "40/40"),
            second: OutcomeRating("some_progress", "3 of 5"),
        },
        impacts={p.id: "Reading age up 8 months" for p in state.provisions},
        attendees="Mum, class teacher, SENCo",
        next_step=step,
    )
    for name, value in more.items():
        setattr(data, name, value)
    return data


def test_a_cycle_through_every_stage(vault: Vault, pupil_id: int) -> None:
    cycle_id = through_to_review(vault, pupil_id)
    state = cycles.load(vault.sessions, cycle_id)
    assert (state.number, state.stage) == (1, "review")
    assert state.assess.needs == ["SPLD", "SLCN"]
    assert state.plan.strategies == ["Give one instruction at a time"]
    assert state.provisions[0].sessions_held == 2  # one of three was missed
    assert state.provisions[0].delivered == pytest.approx(2 / 30)
    assert state.cost.total_pence == 13_500  # 3 x 15 min x 10 weeks = 7.5 h at £18/h
    assert pupils.details(vault.sessions, pupil_id).sen_status == "K"  # plan agreed
    assert pupils.details(vault.sessions, pupil_id).sen_support_since == TODAY


def test_continue_carries_unmet_outcomes_forward(vault: Vault, pupil_id: int) -> None:
    first = through_to_review(vault, pupil_id)
    second = cycles.apply_review(vault.sessions, first, review_of(vault, first, "continue"), TODAY)
    assert second is not None
    old, new = cycles.load(vault.sessions, first), cycles.load(vault.sessions, second)
    assert old.stage == "closed"
    assert (new.number, new.stage) == (2, "assess")
    assert [o.plan.description for o in new.outcomes] == ["will follow two-step instructions"]
    assert new.outcomes[0].plan.carried_forward_from_id == old.outcomes[1].id
    assert new.assess.needs == ["SPLD", "SLCN"]
    with vault.sessions() as session:
        assert session.get(Cycle, second).previous_cycle_id == first  # type: ignore[union-attr]
    # The second full cycle, through the same stages.
    third = cycles.apply_review(
        vault.sessions, through_to_review(vault, pupil_id),
        review_of(vault, second, "exit"), TODAY,
    )  # fmt: skip
    assert third is None
    assert cycles.open_cycle_id(vault.sessions, pupil_id) is None
    assert pupils.details(vault.sessions, pupil_id).sen_status == "N"


def test_specialist_advice_makes_a_referral_and_a_new_cycle(vault: Vault, pupil_id: int) -> None:
    cycle_id = through_to_review(vault, pupil_id)
    new = cycles.apply_review(
        vault.sessions,
        cycle_id,
        review_of(vault, cycle_id, "specialist", referral_service="EP"),
        TODAY,
    )
    with vault.sessions() as session:
        referral = session.execute(select(Referral)).scalar_one()
        assert (referral.kind, referral.service, referral.requested_on) == (
            "specialist_advice",
            "EP",
            TODAY,
        )
    assert new is not None


def test_ehcna_request_is_recorded_with_its_date(vault: Vault, pupil_id: int) -> None:
    cycle_id = through_to_review(vault, pupil_id)
    asked = dt.date(2027, 2, 20)
    cycles.apply_review(
        vault.sessions,
        cycle_id,
        review_of(vault, cycle_id, "ehcna", ehcna_requested_on=asked),
        TODAY,
    )
    with vault.sessions() as session:
        referral = session.execute(select(Referral)).scalar_one()
        assert (referral.kind, referral.requested_on) == ("ehc_needs_assessment", asked)
    assert cycles.open_cycle_id(vault.sessions, pupil_id) is not None


def test_an_incomplete_review_changes_nothing(vault: Vault, pupil_id: int) -> None:
    cycle_id = through_to_review(vault, pupil_id)
    data = review_of(vault, cycle_id, "continue")
    data.impacts = {}
    with pytest.raises(ValidationFailed) as caught:
        cycles.apply_review(vault.sessions, cycle_id, data, TODAY)
    assert "impacts" in caught.value.problems
    assert cycles.load(vault.sessions, cycle_id).stage == "review"


def test_one_open_cycle_at_a_time(vault: Vault, pupil_id: int) -> None:
    cycles.start(vault.sessions, pupil_id, TODAY)
    with pytest.raises(ValidationFailed, match="still open"):
        cycles.start(vault.sessions, pupil_id, TODAY)


def test_an_incomplete_plan_cannot_complete_but_can_be_saved(vault: Vault, pupil_id: int) -> None:
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    cycles.save_assess(
        vault.sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True
    )
    half = PlanData(outcomes=[OutcomePlan("will read", "")])
    with pytest.raises(ValidationFailed) as caught:
        cycles.save_plan(vault.sessions, cycle_id, half, complete=True, today=TODAY)
    assert {"outcomes", "provisions", "review_date", "parents_informed"} <= set(
        caught.value.problems
    )
    cycles.save_plan(vault.sessions, cycle_id, half, complete=False, today=TODAY)
    assert cycles.load(vault.sessions, cycle_id).stage == "plan"


def test_saving_a_stage_out_of_turn_is_refused(vault: Vault, pupil_id: int) -> None:
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    with pytest.raises(ValidationFailed, match="reopen"):
        cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)


def test_reopen_plan_keeps_delivered_sessions_and_is_audited(vault: Vault, pupil_id: int) -> None:
    cycle_id = through_to_review(vault, pupil_id)
    cycles.reopen(vault.sessions, cycle_id, "plan")
    corrected = cycles.load(vault.sessions, cycle_id).plan
    corrected.provisions[0].weeks = 12
    corrected.outcomes[0].description = "will read 50 words"
    cycles.save_plan(vault.sessions, cycle_id, corrected, complete=True, today=TODAY)
    state = cycles.load(vault.sessions, cycle_id)
    assert state.stage == "do"
    assert state.provisions[0].plan.weeks == 12 and state.provisions[0].sessions_held == 2
    with vault.sessions() as session:
        assert session.execute(select(func.count()).select_from(ProvisionSession)).scalar() == 3
        actions = list(session.execute(select(AuditEvent.summary)).scalars())
    assert "Cycle 1: Plan reopened from Review" in actions
    with pytest.raises(ValidationFailed):
        cycles.reopen(vault.sessions, cycle_id, "review")  # not behind the current stage


def test_exit_is_refused_for_an_ehc_plan(vault: Vault, pupil_id: int) -> None:
    cycle_id = through_to_review(vault, pupil_id)
    with vault.session() as session:
        session.get(Pupil, pupil_id).sen_status = "E"  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed, match="EHC plan"):
        cycles.apply_review(vault.sessions, cycle_id, review_of(vault, cycle_id, "exit"), TODAY)


def test_review_date_warnings_use_the_schools_terms(vault: Vault) -> None:
    assert cycles.review_date_warnings(vault.sessions, dt.date(2027, 1, 9), TODAY) == [
        "The review date is on a weekend."
    ]


def test_drafts_are_kept_and_discarded(vault: Vault, pupil_id: int) -> None:
    assert cycles.load_draft(vault.sessions, pupil_id, "assess") is None
    cycles.save_draft(
        vault.sessions, pupil_id, "assess", 2, {"concern": "Zoë's reading", "on": TODAY}
    )
    cycles.save_draft(vault.sessions, pupil_id, "assess", 3, {"concern": "changed"})
    assert cycles.load_draft(vault.sessions, pupil_id, "assess") == (3, {"concern": "changed"})
    cycles.discard_draft(vault.sessions, pupil_id, "assess")
    assert cycles.load_draft(vault.sessions, pupil_id, "assess") is None


def test_applying_a_review_marks_its_planned_meeting_held(vault: Vault, pupil_id: int) -> None:
    from sendesk.models import Meeting

    cycle_id = through_to_review(vault, pupil_id)
    with vault.session() as session:
        session.add(
            Meeting(
                pupil_id=pupil_id,
                kind="sen_review",
                status="planned",
                starts_at=dt.datetime(2027, 2, 18, 15, 30),
            )
        )
        session.add(
            Meeting(
                pupil_id=pupil_id,
                kind="sen_review",
                status="planned",
                starts_at=dt.datetime(2027, 6, 1, 15, 30),
            )
        )
    cycles.apply_review(vault.sessions, cycle_id, review_of(vault, cycle_id, "continue"), TODAY)
    with vault.sessions() as session:
        meetings = session.execute(select(Meeting).order_by(Meeting.id)).scalars().all()
        review = session.execute(select(Review)).scalar_one()
    held, later = meetings
    assert (held.status, held.starts_at) == ("held", dt.datetime(2027, 2, 15, 15, 30))
    assert held.attendees == "Mum, class teacher, SENCo" and review.meeting_id == held.id
    assert later.status == "planned"  # the next cycle's review is still to come
    [row] = pupils.list_register(vault.sessions, today=dt.date(2027, 3, 1))
    assert not row.overdue


def test_the_cost_counts_the_school_years_other_plans(vault: Vault, pupil_id: int) -> None:
    first = through_to_review(vault, pupil_id)
    second = cycles.apply_review(vault.sessions, first, review_of(vault, first, "continue"), TODAY)
    assert second is not None
    state = cycles.load(vault.sessions, second)
    assert (state.cost.plan_pence, state.cost.total_pence) == (0, 13_500)
    typed = PlanData(provisions=[ProvisionPlan("ELSA", "ELSA", 1, 1, 30, 10)])  # 5 h at £18
    cost = cycles.plan_cost(vault.sessions, typed, second)
    assert (cost.plan_pence, cost.total_pence) == (9_000, 22_500)


@pytest.mark.parametrize(
    ("days_away", "matched"), [(31, True), (-31, True), (32, False), (-32, False)]
)
def test_a_review_matches_a_planned_meeting_up_to_31_days_away(
    vault: Vault, pupil_id: int, days_away: int, matched: bool
) -> None:
    from sendesk.models import Meeting

    cycle_id = through_to_review(vault, pupil_id)
    held_on = review_of(vault, cycle_id, "continue").held_on
    assert held_on is not None
    with vault.session() as session:
        meeting = Meeting(
            pupil_id=pupil_id,
            kind="sen_review",
            status="planned",
            starts_at=dt.datetime.combine(held_on + dt.timedelta(days=days_away), dt.time(9)),
        )
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    cycles.apply_review(vault.sessions, cycle_id, review_of(vault, cycle_id, "continue"), TODAY)
    with vault.sessions() as session:
        stored = session.get(Meeting, meeting_id)
        review = session.execute(select(Review)).scalar_one()
        assert stored is not None
        assert (stored.status == "held") is matched
        assert (review.meeting_id == meeting_id) is matched


def test_the_cycles_own_meeting_is_marked_held_however_far_away(
    vault: Vault, pupil_id: int
) -> None:
    from sendesk.models import Meeting

    cycle_id = through_to_review(vault, pupil_id)
    with vault.session() as session:
        session.add(
            Meeting(
                pupil_id=pupil_id, cycle_id=cycle_id, kind="sen_review", status="planned",
                starts_at=dt.datetime(2027, 6, 1, 9, 0),
            )
        )  # fmt: skip
    cycles.apply_review(vault.sessions, cycle_id, review_of(vault, cycle_id, "continue"), TODAY)
    with vault.sessions() as session:
        assert session.execute(select(Meeting.status)).scalar_one() == "held"


def week_cycle(vault: Vault, pupil_id: int) -> tuple[int, int]:
    """A cycle at Do with one provision: its id and the provision's."""
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    cycles.save_assess(
        vault.sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True
    )
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)
    return cycle_id, cycles.load(vault.sessions, cycle_id).provisions[0].id


def test_a_week_entered_again_corrects_its_sessions(vault: Vault, pupil_id: int) -> None:
    cycle_id, provision = week_cycle(vault, pupil_id)
    monday = dt.date(2026, 11, 16)
    first = [
        SessionEntry(provision, monday, True),
        SessionEntry(provision, monday + dt.timedelta(2), True),
    ]
    done = cycles.record_week(vault.sessions, cycle_id, monday, first, today=TODAY)
    assert (done.added, done.corrected, done.removed) == (2, 0, 0)
    assert cycles.week_sessions(vault.sessions, cycle_id, monday) == first
    # Wednesday was in fact an absence, and Monday's session did not happen.
    again = [SessionEntry(provision, monday + dt.timedelta(2), False)]
    done = cycles.record_week(vault.sessions, cycle_id, monday, again, today=TODAY)
    assert (done.added, done.corrected, done.removed) == (0, 1, 1)
    assert cycles.week_sessions(vault.sessions, cycle_id, monday) == again
    assert cycles.load(vault.sessions, cycle_id).provisions[0].sessions_held == 0
    with vault.sessions() as session:
        events = (
            session.execute(select(AuditEvent.summary).where(AuditEvent.action == "cycle.do"))
            .scalars()
            .all()
        )
    assert (
        events[-1]
        == "Cycle 1: 0 sessions recorded, 1 corrected, 1 removed for the week of 16/11/2026"
    )


@pytest.mark.parametrize(
    ("monday", "noted_on"),
    [
        (dt.date(2026, 11, 16), dt.date(2026, 11, 20)),  # a past week: its Friday
        (dt.date(2026, 11, 23), TODAY),  # this week, on its Monday: today, not Friday
    ],
)
def test_the_weeks_note_goes_into_the_log_in_the_same_step(
    vault: Vault, pupil_id: int, monday: dt.date, noted_on: dt.date
) -> None:
    from sendesk.models import Note
    from sendesk.services import notes

    cycle_id, provision = week_cycle(vault, pupil_id)
    entries = [SessionEntry(provision, monday, True)]
    done = cycles.record_week(
        vault.sessions, cycle_id, monday, entries, "  Tired after a late night ", today=TODAY
    )
    [note] = notes.list_for(vault.sessions, pupil_id)
    assert note.id == done.note_id
    assert (note.noted_on, note.kind) == (noted_on, "observation")
    assert note.text == f"Sessions, week of {monday:%d/%m/%Y}: Tired after a late night"
    # A refused week writes neither its sessions nor its note.
    with pytest.raises(ValidationFailed):
        cycles.record_week(
            vault.sessions, cycle_id, monday,
            [SessionEntry(provision, monday + dt.timedelta(9), True)], "second note", today=TODAY,
        )  # fmt: skip
    with vault.sessions() as session:
        assert session.execute(select(func.count()).select_from(Note)).scalar_one() == 1


def test_a_session_cannot_be_recorded_before_its_day(vault: Vault, pupil_id: int) -> None:
    cycle_id, provision = week_cycle(vault, pupil_id)
    friday = TODAY + dt.timedelta(days=4)
    with pytest.raises(ValidationFailed, match="before its day"):
        cycles.record_week(
            vault.sessions, cycle_id, TODAY, [SessionEntry(provision, friday, True)], today=TODAY
        )


def test_a_plan_that_puts_a_pupil_on_sen_support_ranks_the_needs_found_at_assess(
    vault: Vault, pupil_id: int
) -> None:
    through_to_review(vault, pupil_id)  # assessed SPLD, then SLCN
    found = pupils.details(vault.sessions, pupil_id)
    assert (found.sen_status, found.primary_need, found.secondary_need) == ("K", "SPLD", "SLCN")


def test_needs_the_senco_ranked_are_kept_when_a_plan_is_agreed(vault: Vault) -> None:
    ranked = PupilDetails("Okoro", "Jayden", sen_status="K", primary_need="SEMH")
    pupil_id = pupils.create(vault.sessions, ranked, today=TODAY).pupil_id
    through_to_review(vault, pupil_id)
    found = pupils.details(vault.sessions, pupil_id)
    assert (found.primary_need, found.secondary_need) == ("SEMH", None)


def test_a_cycle_started_by_mistake_is_discarded_and_audited(vault: Vault, pupil_id: int) -> None:
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    cycles.save_draft(vault.sessions, pupil_id, "assess", 1, {"fields": {}}, cycle_id)
    assert cycles.can_discard(vault.sessions, cycle_id)
    cycles.discard(vault.sessions, cycle_id)
    assert cycles.open_cycle_id(vault.sessions, pupil_id) is None
    assert cycles.load_draft(vault.sessions, pupil_id, "assess") is None
    with vault.sessions() as session:
        assert session.get(Cycle, cycle_id) is None
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert actions[-1] == "cycle.discarded"
    assert cycles.start(vault.sessions, pupil_id, TODAY)  # numbered 1 again: nothing was lost


@pytest.mark.parametrize(
    "record",
    [
        lambda v, c: cycles.save_assess(
            v.sessions, c, AssessData(concern="x", needs=["SPLD"]), complete=False
        ),
        lambda v, c: cycles.save_assess(
            v.sessions, c, AssessData(concern="x", needs=["SPLD"]), complete=True
        ),
    ],
)
def test_a_cycle_with_anything_recorded_cannot_be_discarded(
    vault: Vault, pupil_id: int, record: object
) -> None:
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    record(vault, cycle_id)  # type: ignore[operator]
    assert not cycles.can_discard(vault.sessions, cycle_id)
    with pytest.raises(ValidationFailed, match="cannot be discarded"):
        cycles.discard(vault.sessions, cycle_id)
    assert cycles.open_cycle_id(vault.sessions, pupil_id) == cycle_id


def test_a_cycle_carrying_outcomes_forward_cannot_be_discarded(vault: Vault, pupil_id: int) -> None:
    first = through_to_review(vault, pupil_id)
    second = cycles.apply_review(vault.sessions, first, review_of(vault, first, "continue"), TODAY)
    assert second is not None and not cycles.can_discard(vault.sessions, second)


def test_no_pupil_is_set_to_no_sen_with_a_plan_in_place(vault: Vault, pupil_id: int) -> None:
    through_to_review(vault, pupil_id)
    found = pupils.details(vault.sessions, pupil_id)
    with pytest.raises(ValidationFailed) as caught:
        pupils.update(
            vault.sessions,
            pupil_id,
            PupilDetails(found.legal_surname, found.legal_forename, sen_status="N"),
            today=TODAY,
        )
    assert "cannot be set to No SEN" in caught.value.problems["sen_status"]
    assert pupils.details(vault.sessions, pupil_id).sen_status == "K"


def test_a_pupil_being_assessed_may_stay_on_no_sen(vault: Vault, pupil_id: int) -> None:
    cycles.start(vault.sessions, pupil_id, TODAY)
    found = pupils.details(vault.sessions, pupil_id)
    pupils.update(
        vault.sessions,
        pupil_id,
        PupilDetails(found.legal_surname, found.legal_forename, sen_status="N", year_group=3),
        today=TODAY,
    )
    assert pupils.details(vault.sessions, pupil_id).year_group == 3


def test_no_one_goes_onto_sen_support_without_an_area_of_need(vault: Vault) -> None:
    """From the GUI trial: Assess finished with nothing ticked, then the plan agreed, put a pupil
    on SEN support with no primary need, which the census refuses."""
    from sendesk import cycle as rules

    pupil_id = pupils.create(vault.sessions, PupilDetails("Adeyemi", "Tola"), today=TODAY).pupil_id
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    with pytest.raises(ValidationFailed) as refused:
        cycles.save_assess(vault.sessions, cycle_id, AssessData(concern="x"), complete=True)
    assert refused.value.problems["needs"] == rules.NO_NEED
    # A draft may leave the needs for later.
    cycles.save_assess(vault.sessions, cycle_id, AssessData(concern="x"), complete=False)
    # An Assess finished before the needs were asked for: the plan is refused, nothing changes.
    with vault.sessions() as session, session.begin():
        session.get(Cycle, cycle_id).stage = "plan"  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed) as refused:
        cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)
    assert refused.value.problems["needs"] == rules.NO_PRIMARY_NEED
    with vault.sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None and (pupil.sen_status, pupil.primary_need) == ("N", None)
        assert session.get(Cycle, cycle_id).stage == "plan"  # type: ignore[union-attr]
    # With a need recorded on the profile, the same plan is agreed.
    details = pupils.details(vault.sessions, pupil_id)
    pupils.update(
        vault.sessions, pupil_id, dataclasses.replace(details, primary_need="SLCN"), today=TODAY
    )
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)
    with vault.sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None and (pupil.sen_status, pupil.primary_need) == ("K", "SLCN")
