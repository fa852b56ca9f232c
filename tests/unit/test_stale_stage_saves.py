"""A stage wizard or a meeting dialog saving over a newer save is refused, never overwriting it."""

from __future__ import annotations

import datetime as dt

import pytest

from sendesk.cycle import AssessData
from sendesk.errors import StaleEdit
from sendesk.services import cycles, meetings, pupils
from sendesk.services.meetings import MeetingDetails
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.unit.test_cycles_service import plan

TODAY = dt.date(2026, 11, 25)


def _cycle(vault: Vault) -> int:
    pupil_id = pupils.create(vault.sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id
    return cycles.start(vault.sessions, pupil_id, TODAY)


def test_an_assess_saved_over_a_newer_save_is_refused_and_theirs_stays(vault: Vault) -> None:
    cycle_id = _cycle(vault)
    seen = cycles.load(vault.sessions, cycle_id).version  # two windows open the wizard
    theirs = AssessData(concern="Reading well below expectations", needs=["SPLD"])
    cycles.save_assess(vault.sessions, cycle_id, theirs, complete=False, seen=seen)

    mine = AssessData(concern="Finds group work hard", needs=["SEMH"])
    with pytest.raises(StaleEdit) as refused:
        cycles.save_assess(vault.sessions, cycle_id, mine, complete=True, seen=seen)
    assert refused.value.differences["concern"] == (
        "Reading well below expectations",
        "Finds group work hard",
    )
    state = cycles.load(vault.sessions, cycle_id)
    assert (state.assess.concern, state.stage) == ("Reading well below expectations", "assess")
    # Saving again at the version now in the file is the user's choice, and it lands.
    cycles.save_assess(vault.sessions, cycle_id, mine, complete=True, seen=state.version)
    assert cycles.load(vault.sessions, cycle_id).assess.concern == "Finds group work hard"


def test_a_change_to_a_stages_rows_alone_counts_as_a_newer_save(vault: Vault) -> None:
    cycle_id = _cycle(vault)
    cycles.save_assess(
        vault.sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True
    )
    seen = cycles.load(vault.sessions, cycle_id).version
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=False, today=TODAY, seen=seen)
    with pytest.raises(StaleEdit):
        cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY, seen=seen)
    assert cycles.load(vault.sessions, cycle_id).stage == "plan"


def test_a_meeting_marked_held_after_someone_moved_it_is_refused(vault: Vault) -> None:
    pupil_id = pupils.create(vault.sessions, PupilDetails("Shah", "Amir"), today=TODAY).pupil_id
    when = dt.datetime.combine(TODAY, dt.time(15, 30))
    meeting_id = meetings.schedule(
        vault.sessions, pupil_id, MeetingDetails("sen_review", when, 30, "Room 4", "Mum"), TODAY
    ).meeting_id
    seen = meetings.get(vault.sessions, meeting_id).version
    later = when + dt.timedelta(days=7)
    meetings.move(vault.sessions, meeting_id, later, today=TODAY, seen=seen)

    with pytest.raises(StaleEdit):
        meetings.mark_held(vault.sessions, meeting_id, "Mum, SENCo", today=TODAY, seen=seen)
    assert meetings.get(vault.sessions, meeting_id).status == "moved"
