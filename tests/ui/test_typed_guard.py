"""A form dialog asks before Escape, Cancel or its close button throws away what was typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.models import Meeting
from sendesk.services import pupils
from tests.ui.conftest import MessageBoxes
from tests.ui.test_calendar_view import first_pupil, open_calendar
from ui.main_window import MainWindow
from ui.new_pupil_dialog import NewPupilDialog
from ui.settings_dialog import SettingsDialog
from ui.typed_guard import QUESTION


def _new_pupil(qtbot: QtBot, window: MainWindow) -> NewPupilDialog:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(NewPupilDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_escape_on_an_untouched_form_closes_it_without_asking(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    dialog = _new_pupil(qtbot, main_window)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert message_boxes.shown == []


def test_escape_after_typing_asks_and_keeping_it_keeps_what_was_typed(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    dialog = _new_pupil(qtbot, main_window)
    qtbot.keyClicks(dialog.surname, "Bronte")
    message_boxes.answer = message_boxes.answer.No
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert message_boxes.shown == [("Unsaved changes", QUESTION)]
    assert dialog.isVisible() and dialog.surname.text() == "Bronte"
    # The window's own close button asks the same.
    dialog.close()
    assert dialog.isVisible() and len(message_boxes.shown) == 2
    # Cancel, answered yes: closed, and no pupil was added.
    before = len(pupils.list_register(main_window.ctx.sessions, include_archived=True))
    message_boxes.answer = message_boxes.answer.Yes
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(
        buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert len(pupils.list_register(main_window.ctx.sessions, include_archived=True)) == before


def test_typing_back_what_was_there_asks_nothing(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    main_window.named_actions["settings"].trigger()
    dialog = main_window.findChild(SettingsDialog)
    assert dialog is not None
    name = dialog.fields["name"].text()
    qtbot.keyClicks(dialog.fields["name"], " Annexe")
    dialog.fields["name"].setText(name)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and message_boxes.shown == []


def test_a_meeting_s_notes_are_not_lost_to_escape(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    main_window.register.select_pupil(first_pupil(main_window))
    view = open_calendar(main_window)
    qtbot.mouseClick(view.schedule_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.notes, "Mum asked about the speech and language referral.")
    message_boxes.answer = message_boxes.answer.No
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Escape)
    assert dialog.isVisible() and message_boxes.shown[-1] == ("Unsaved changes", QUESTION)
    assert "speech and language" in dialog.notes.toPlainText()
    # Saving asks nothing.
    before = len(message_boxes.shown)
    dialog.time.clear()
    qtbot.keyClicks(dialog.time, "09:30")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.problems.text()
    assert len(message_boxes.shown) == before
    with main_window.ctx.sessions() as session:
        saved = session.execute(
            select(Meeting.notes).where(Meeting.notes.like("%speech and language referral%"))
        ).all()
    assert len(saved) == 1
