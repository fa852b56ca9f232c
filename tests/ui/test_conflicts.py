"""A save over someone else's newer save shows both values and keeps what the user chooses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit
from pytestqt.qtbot import QtBot

from sendesk.services import contacts, pupils
from sendesk.services.contacts import ContactDetails
from tests.conftest import DEMO_TODAY
from tests.ui.conftest import MessageBoxes
from ui.main_window import MainWindow
from ui.record.conflict_dialog import ConflictDialog
from ui.record.details_tab import DetailsTab


def _select_first(window: MainWindow) -> int:
    pupil_id = window.register.model.pupil_at(0).id
    window.register.select_pupil(pupil_id)
    return pupil_id


def _field(tab: DetailsTab, attr: str) -> QPlainTextEdit:
    widget = next(b.widget for b in tab.bindings if b.attr == attr)
    assert isinstance(widget, QPlainTextEdit)
    return widget


def _type_into(qtbot: QtBot, area: QPlainTextEdit, text: str) -> None:
    area.selectAll()
    qtbot.keyClicks(area, text)


def _someone_else_saves(window: MainWindow, pupil_id: int, **changes: object) -> None:
    """Another window or another copy of SENDesk saves this pupil (its own session)."""
    theirs = pupils.details(window.ctx.sessions, pupil_id)
    pupils.update(window.ctx.sessions, pupil_id, replace(theirs, **changes))


def _when_the_dialog_shows(
    act: Callable[[ConflictDialog], None], seen: list[ConflictDialog]
) -> None:
    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictDialog):
            QTimer.singleShot(10, look)
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, look)


def _texts(dialog: ConflictDialog) -> set[str]:
    return {label.text() for label in dialog.findChildren(QLabel)}


def test_a_conflicting_save_shows_both_values_and_keeps_the_users_choice(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    pupil_id = _select_first(main_window)
    profile = main_window.record.profile
    _type_into(qtbot, _field(profile, "strengths"), "Mine: loves maps")
    _type_into(qtbot, _field(profile, "what_helps"), "Mine: a visual timetable")
    _someone_else_saves(
        main_window, pupil_id, strengths="Theirs: great at chess", what_helps="Theirs: quiet"
    )

    seen: list[ConflictDialog] = []

    def choose(dialog: ConflictDialog) -> None:
        # Take their strengths, keep my "what helps".
        assert dialog.mine["strengths"].isChecked()  # keeping mine is the default
        qtbot.mouseClick(dialog.theirs["strengths"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    _when_the_dialog_shows(choose, seen)
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)

    [dialog] = seen
    assert {"Theirs: great at chess", "Mine: loves maps"} <= _texts(dialog)
    assert {"Theirs: quiet", "Mine: a visual timetable"} <= _texts(dialog)
    saved = pupils.details(main_window.ctx.sessions, pupil_id)
    assert (saved.strengths, saved.what_helps) == (
        "Theirs: great at chess",
        "Mine: a visual timetable",
    )
    assert _field(profile, "strengths").toPlainText() == "Theirs: great at chess"
    assert not profile.dirty


def test_going_back_to_editing_saves_nothing_and_keeps_the_typing(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    pupil_id = _select_first(main_window)
    profile = main_window.record.profile
    _type_into(qtbot, _field(profile, "strengths"), "Mine: loves maps")
    _someone_else_saves(main_window, pupil_id, strengths="Theirs: great at chess")
    seen: list[ConflictDialog] = []
    _when_the_dialog_shows(
        lambda d: qtbot.mouseClick(d.cancel_button, Qt.MouseButton.LeftButton), seen
    )
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)

    assert len(seen) == 1
    assert pupils.details(main_window.ctx.sessions, pupil_id).strengths == "Theirs: great at chess"
    assert _field(profile, "strengths").toPlainText() == "Mine: loves maps"
    assert profile.dirty
    assert "Not saved yet" in profile.problems.text()


def test_saving_one_tab_then_another_in_the_same_window_is_no_conflict(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    pupil_id = _select_first(main_window)
    record = main_window.record
    _type_into(qtbot, _field(record.profile, "strengths"), "Loves maps")
    qtbot.mouseClick(record.profile.save_button, Qt.MouseButton.LeftButton)
    record.tabs.setCurrentWidget(record.needs)
    record.needs.status.set_code("K")
    record.needs.primary.set_code("SLCN")
    seen: list[ConflictDialog] = []
    _when_the_dialog_shows(lambda d: d.reject(), seen)
    qtbot.mouseClick(record.needs.save_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()

    assert seen == []
    saved = pupils.details(main_window.ctx.sessions, pupil_id)
    assert (saved.strengths, saved.sen_status, saved.primary_need) == ("Loves maps", "K", "SLCN")


def test_an_archived_pupil_is_read_only_until_brought_back(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    pupil_id = _select_first(main_window)
    pupils.archive(main_window.ctx.sessions, pupil_id, DEMO_TODAY, "Hillside Academy")
    main_window.record.show_pupil(pupil_id)
    record = main_window.record

    assert record.archived_banner.isVisible()
    assert "read-only" in record.archived_text.text()
    assert "Hillside Academy" in record.archived_text.text()
    assert not _field(record.profile, "strengths").isEnabled()
    assert not record.notes.add_button.isEnabled()
    assert not record.contacts.new_button.isEnabled()

    qtbot.mouseClick(record.bring_back_button, Qt.MouseButton.LeftButton)
    assert not record.archived_banner.isVisible()
    assert not pupils.standing(main_window.ctx.sessions, pupil_id).archived
    _type_into(qtbot, _field(record.profile, "strengths"), "Back and editing")
    qtbot.mouseClick(record.profile.save_button, Qt.MouseButton.LeftButton)
    assert pupils.details(main_window.ctx.sessions, pupil_id).strengths == "Back and editing"


def test_a_contact_saved_elsewhere_meanwhile_asks_too(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    pupil_id = _select_first(main_window)
    contacts.add(main_window.ctx.sessions, pupil_id, ContactDetails("Ada Okoro", phone="01234"))
    record = main_window.record
    record.show_pupil(pupil_id)
    tab = record.contacts
    record.tabs.setCurrentWidget(tab)
    tab.table.selectRow(tab.table.rowCount() - 1)
    phone = next(b.widget for b in tab.bindings if b.attr == "phone")
    phone.selectAll()
    qtbot.keyClicks(phone, "07700 900111")
    [*_, row] = contacts.list_for(main_window.ctx.sessions, pupil_id)
    contacts.update(
        main_window.ctx.sessions, row.id, replace(row.details, phone="07700 900999", email="a@b.uk")
    )
    seen: list[ConflictDialog] = []

    def keep_mine(dialog: ConflictDialog) -> None:
        qtbot.mouseClick(dialog.all_mine, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    _when_the_dialog_shows(keep_mine, seen)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    [dialog] = seen
    assert {"07700 900999", "07700 900111"} <= _texts(dialog)
    [*_, saved] = contacts.list_for(main_window.ctx.sessions, pupil_id)
    assert saved.details.phone == "07700 900111"
    assert saved.details.email is None  # "keep all mine": my (empty) email too
