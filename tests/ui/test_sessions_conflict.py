"""The Sessions tab (a teaching assistant's) when someone else saved the same week while the
assistant was ticking it: nothing the assistant ticked is lost, the other's save stands, and the
days both changed are named. Shown on a record file the way the layout probe shows it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sendesk import dates
from sendesk.cycle import AssessData, OutcomePlan, PlanData, ProvisionPlan
from sendesk.services import cycles, delivery, pupils
from sendesk.services.cycles import SessionEntry
from sendesk.services.pupils import PupilDetails
from tests.ui.conftest import MessageBoxes
from ui.main_window import MainWindow
from ui.server_roles import add_delivery_tab

TODAY = dt.date.today()  # the tab asks the clock: a week already past is recorded
MONDAY = dates.monday_of(TODAY) - dt.timedelta(weeks=1)
TUE, WED, THU = (MONDAY + dt.timedelta(days=d) for d in (1, 2, 3))


def stored(window: MainWindow, provision_id: int) -> dict[dt.date, bool]:
    [found] = [
        p
        for p in delivery.provisions_to_deliver(window.ctx.sessions, window.record.pupil_id, MONDAY)
        if p.id == provision_id
    ]
    return {e.held_on: e.attended for e in found.week}


def test_a_week_saved_by_someone_else_meanwhile_keeps_the_assistants_ticks(
    qtbot: QtBot, empty_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    window = empty_window
    sessions = window.ctx.sessions
    pupil_id = pupils.create(sessions, PupilDetails("Nowak", "Maja", year_group=4)).pupil_id
    cycle_id = cycles.start(sessions, pupil_id, MONDAY - dt.timedelta(weeks=2))
    cycles.save_assess(
        sessions, cycle_id, AssessData(concern="Reading", needs=["SPLD"]), complete=True
    )
    cycles.save_plan(
        sessions, cycle_id,
        PlanData(
            outcomes=[OutcomePlan("will read 40 words", "40/40", "CL")],
            provisions=[ProvisionPlan("Precision teaching", "TA", 1, 3, 15, 10)],
            review_date=TODAY + dt.timedelta(weeks=8), parents_informed_on=MONDAY,
            parents_informed_how="Meeting",
        ),
        complete=True, today=MONDAY,
    )  # fmt: skip
    window.load_register()
    window.register.select_pupil(pupil_id)
    tab = add_delivery_tab(window.record)
    window.record.tabs.setCurrentWidget(tab)
    tab.week.setText(dates.show(MONDAY))
    tab.change_week()
    [row] = tab.weeks
    provision = row.shown.id
    qtbot.waitUntil(row.held[1].isVisible)
    qtbot.mouseClick(row.held[1], Qt.MouseButton.LeftButton)  # Tuesday: held, attended
    qtbot.mouseClick(row.held[2], Qt.MouseButton.LeftButton)  # Wednesday: held, attended
    assert tab.dirty

    # Meanwhile the SENCo records Wednesday (the pupil was away) and Thursday.
    delivery.record_weeks(
        sessions, MONDAY,
        [delivery.WeekOf(provision, [SessionEntry(provision, WED, False),
                                     SessionEntry(provision, THU, True)], [])],
        TODAY,
    )  # fmt: skip

    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert stored(window, provision) == {WED: False, THU: True}  # nothing of theirs replaced
    assert message_boxes.shown == []
    said = tab.problems.text()
    assert "Someone else saved sessions for this week" in said
    assert f"Precision teaching on {dates.show(WED)}: theirs is kept" in said
    [row] = tab.weeks
    assert [b.isChecked() for b in row.held] == [False, True, True, True, False]  # Tuesday mine
    assert [b.isChecked() for b in row.attended] == [False, True, False, True, False]
    assert tab.dirty  # Tuesday is still to be saved

    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert stored(window, provision) == {TUE: True, WED: False, THU: True}
    assert not tab.dirty and tab.problems.text() == ""
