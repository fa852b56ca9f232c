"""The stage wizards flow on: Assess into Plan, a week corrected in Do, a cycle discarded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.cycle import AssessData
from sendesk.models import AuditEvent
from sendesk.services import cycles, pupils
from sendesk.services.pupils import PupilDetails
from tests.ui.conftest import MessageBoxes
from tests.unit.test_cycles_service import plan as a_plan
from ui.main_window import MainWindow
from ui.wizards.assess_wizard import AssessWizard
from ui.wizards.base import StageWizard
from ui.wizards.do_wizard import DoWizard
from ui.wizards.plan_wizard import PlanWizard

TODAY = dt.date(2026, 11, 27)  # a Friday
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def on_a_fixed_day(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(StageWizard, "today", staticmethod(lambda: TODAY))
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            widget.hide()


def pupil_on_cycles_tab(window: MainWindow, **details: object) -> int:
    pupil_id = pupils.create(
        window.ctx.sessions, PupilDetails("Okafor", "Chidi", **details), today=TODAY
    ).pupil_id
    window.load_register()
    window.register.select_pupil(pupil_id)
    window.record.tabs.setCurrentWidget(window.record.cycles)
    return pupil_id


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_assess_starts_from_the_recorded_needs_and_continues_to_plan(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    pupil_id = pupil_on_cycles_tab(
        window, sen_status="K", primary_need="SLCN", secondary_need="ASD"
    )
    tab = window.record.cycles
    click(qtbot, tab.start_button)
    wizard = tab.wizard
    assert isinstance(wizard, AssessWizard)
    assert wizard.needs_page.checked() == ["SLCN", "ASD"]  # in census order, both ticked
    go_on = wizard.button(QWizard.WizardButton.CustomButton1)
    assert not go_on.isVisible()  # only on the last page, beside Finish
    qtbot.keyClicks(wizard.concern_page.concern, "Struggles to follow instructions")
    for _ in range(4):
        click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.nextId() == -1 and go_on.isVisible()
    assert go_on.text() == "Finish and continue to &Plan"
    click(qtbot, go_on)
    assert not wizard.isVisible()
    cycle_id = cycles.open_cycle_id(window.ctx.sessions, pupil_id)
    assert cycle_id is not None
    state = cycles.load(window.ctx.sessions, cycle_id)
    assert (state.stage, state.assess.needs) == ("plan", ["SLCN", "ASD"])
    following = tab.wizard
    assert isinstance(following, PlanWizard) and following.isVisible()
    # Its example outcomes open on the pupil's own area of need (SLCN: communication).
    assert following.outcomes_page.area.code() == "CI"
    assert following.outcomes_page.example.count() > 0
    following.reject()


def test_the_do_wizard_shows_a_recorded_week_and_corrects_it(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    pupil_id = pupil_on_cycles_tab(window)
    sessions = window.ctx.sessions
    cycle_id = cycles.start(sessions, pupil_id, TODAY)
    cycles.save_assess(sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True)
    cycles.save_plan(sessions, cycle_id, a_plan(), complete=True, today=MONDAY)
    window.record.cycles.show_pupil(pupil_id)

    wizard = window.record.cycles.continue_cycle()
    assert isinstance(wizard, DoWizard)
    page = wizard.week_page
    assert page.week.value() == MONDAY  # this week's Monday, from the injected today
    assert not page.recorded.isVisible()
    qtbot.keyClicks(page.grid.combo(0, 1), "At")  # Monday: attended
    qtbot.keyClicks(page.grid.combo(0, 3), "At")  # Wednesday: attended
    qtbot.keyClicks(page.note, "Keen and focused")
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible()
    # The Notes tab shows the week's note at once.
    notes_table = window.record.notes.table
    assert notes_table.rowCount() == 1
    assert notes_table.item(0, 3).text() == "Sessions, week of 23/11/2026: Keen and focused"
    assert notes_table.item(0, 0).text() == "27/11/2026"

    again = window.record.cycles.continue_cycle()
    assert isinstance(again, DoWizard)
    page = again.week_page
    assert page.recorded.isVisible() and "2 sessions" in page.recorded.text()
    assert page.grid.combo(0, 1).code() == "attended"
    assert page.grid.combo(0, 3).code() == "attended"
    qtbot.keyClicks(page.grid.combo(0, 3), "Ab")  # Wednesday was in fact an absence
    click(qtbot, again.button(QWizard.WizardButton.FinishButton))
    assert [(e.held_on, e.attended) for e in cycles.week_sessions(sessions, cycle_id, MONDAY)] == [
        (MONDAY, True),
        (MONDAY + dt.timedelta(days=2), False),
    ]
    assert "1 corrected" in window.statusBar().currentMessage()


def test_a_week_recorded_meanwhile_is_shown_with_the_marks_changed_here_put_back(
    qtbot: QtBot, empty_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    """An assistant records Wednesday while the SENCo's Do wizard is open on the same week: the
    wizard loses neither save, and says so without a question."""
    from sendesk.services import delivery
    from sendesk.services.cycles import SessionEntry

    window = empty_window
    pupil_id = pupil_on_cycles_tab(window)
    sessions = window.ctx.sessions
    cycle_id = cycles.start(sessions, pupil_id, TODAY)
    cycles.save_assess(sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True)
    cycles.save_plan(sessions, cycle_id, a_plan(), complete=True, today=MONDAY)
    window.record.cycles.show_pupil(pupil_id)
    wizard = window.record.cycles.continue_cycle()
    assert isinstance(wizard, DoWizard)
    page = wizard.week_page
    qtbot.keyClicks(page.grid.combo(0, 1), "At")  # Monday: attended
    qtbot.keyClicks(page.grid.combo(0, 3), "At")  # Wednesday: attended
    provision = cycles.load(sessions, cycle_id).provisions[0].id
    wednesday, thursday = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=3)
    theirs = [SessionEntry(provision, wednesday, False), SessionEntry(provision, thursday, True)]
    delivery.record_weeks(sessions, MONDAY, [delivery.WeekOf(provision, theirs, [])], TODAY)

    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.isVisible() and message_boxes.shown == []
    assert "Someone else recorded sessions for this week" in page.problems.text()
    assert "Precision teaching on 25/11/2026: theirs is shown there" in page.problems.text()
    codes = [page.grid.combo(0, d + 1).code() for d in range(5)]
    assert codes == ["attended", None, "absent", "attended", None]  # Monday mine; Wed, Thu theirs
    assert [(e.held_on, e.attended) for e in cycles.week_sessions(sessions, cycle_id, MONDAY)] == [
        (wednesday, False),
        (thursday, True),
    ]  # nothing of theirs replaced
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible()
    assert [(e.held_on, e.attended) for e in cycles.week_sessions(sessions, cycle_id, MONDAY)] == [
        (MONDAY, True),
        (wednesday, False),
        (thursday, True),
    ]


def test_a_cycle_started_by_mistake_is_discarded_from_the_cycles_tab(
    qtbot: QtBot, empty_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    window = empty_window
    pupil_id = pupil_on_cycles_tab(window)
    tab = window.record.cycles
    click(qtbot, tab.start_button)
    assert isinstance(tab.wizard, AssessWizard)
    tab.wizard.reject()
    assert tab.discard_button.isVisible()
    click(qtbot, tab.discard_button)
    assert "Discard cycle 1?" in message_boxes.shown[-1][1]
    assert cycles.open_cycle_id(window.ctx.sessions, pupil_id) is None
    assert tab.start_button.isVisible() and not tab.discard_button.isVisible()
    with window.ctx.sessions() as session:
        assert "cycle.discarded" in session.execute(select(AuditEvent.action)).scalars().all()


def test_a_cycle_with_a_concern_offers_no_discard(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    pupil_id = pupil_on_cycles_tab(window)
    cycle_id = cycles.start(window.ctx.sessions, pupil_id, TODAY)
    cycles.save_assess(
        window.ctx.sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=False
    )
    window.record.cycles.show_pupil(pupil_id)
    assert window.record.cycles.continue_button.isVisible()
    assert not window.record.cycles.discard_button.isVisible()


def test_a_note_is_corrected_from_the_notes_tab_and_the_original_kept(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    from sendesk.services import notes

    window = empty_window
    pupil_id = pupil_on_cycles_tab(window)
    notes.add(window.ctx.sessions, pupil_id, MONDAY, "concern", "Hits out at playtime", today=TODAY)
    tab = window.record.notes
    window.record.tabs.setCurrentWidget(tab)
    tab.show_pupil(pupil_id)
    assert not tab.correct_button.isEnabled()  # nothing selected
    rect = tab.table.visualItemRect(tab.table.item(0, 3))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.correct_button.isEnabled()
    click(qtbot, tab.correct_button)
    dialog = tab.dialog
    assert dialog is not None and dialog.text.toPlainText() == "Hits out at playtime"
    dialog.text.clear()
    qtbot.keyClicks(dialog.text, "Upset at playtime; no hitting seen")
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert tab.table.rowCount() == 2
    assert tab.table.item(0, 3).text() == "Upset at playtime; no hitting seen"
    assert tab.table.item(0, 1).text() == "Concern (correction)"
    assert tab.table.item(1, 3).text() == "Hits out at playtime"  # the original is kept
    assert tab.table.item(1, 1).text() == "Concern (corrected)"
    assert tab.table.item(1, 3).font().strikeOut()
    tab.table.selectRow(1)
    assert not tab.correct_button.isEnabled()  # the correction is corrected instead
