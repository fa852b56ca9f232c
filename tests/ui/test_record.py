"""The pupil record's tabs: contacts, notes, documents, and the guard on unsaved edits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sendesk.services import attachments, contacts, notes, pupils
from tests.ui.conftest import MessageBoxes
from ui.main_window import MainWindow
from ui.record.documents_tab import DocumentViewer


def select_first(window: MainWindow) -> int:
    pupil_id = window.register.model.pupil_at(0).id
    window.register.select_pupil(pupil_id)
    return pupil_id


def test_add_a_contact(qtbot: QtBot, main_window: MainWindow) -> None:
    pupil_id = select_first(main_window)
    tab = main_window.record.contacts
    main_window.record.tabs.setCurrentWidget(tab)
    before = len(contacts.list_for(main_window.ctx.sessions, pupil_id))
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.form_title.text().startswith("A new contact")  # what the empty form is for
    name, relation, _phone, email = (b.widget for b in tab.bindings[:4])
    qtbot.keyClicks(email, "not-an-email")
    qtbot.keyClicks(name, "Grandad Joe")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "no @" in tab.problems.text()
    email.setText("joe@example.org")
    qtbot.keyClicks(relation, "Grandfather")
    tab.responsibility.setChecked(True)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    saved = contacts.list_for(main_window.ctx.sessions, pupil_id)
    assert len(saved) == before + 1
    added = saved[-1].details
    assert (added.name, added.email, added.parental_responsibility) == (
        "Grandad Joe",
        "joe@example.org",
        True,
    )
    assert tab.table.rowCount() == before + 1
    tab.table.selectRow(before)  # the one just added, chosen in the list
    assert tab.form_title.text() == "Changing the details of Grandad Joe"


def test_choosing_another_contact_while_one_cannot_be_saved_keeps_the_list_on_it(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    """The list never shows one contact chosen while the form holds another's unsaved edit."""
    pupil_id = select_first(main_window)
    for name in ("Grandad Joe", "Aunt May"):
        contacts.add(main_window.ctx.sessions, pupil_id, contacts.ContactDetails(name=name))
    main_window.load_register()
    main_window.register.select_pupil(pupil_id)
    tab = main_window.record.contacts
    main_window.record.tabs.setCurrentWidget(tab)
    names = [r.details.name for r in tab.rows]
    joe, may = names.index("Grandad Joe"), names.index("Aunt May")
    tab.table.selectRow(joe)
    email = tab.bindings[3].widget
    qtbot.keyClicks(email, "not-an-email")  # an edit that cannot be saved
    tab.table.selectRow(may)
    assert "no @" in tab.problems.text()
    assert tab.table.currentRow() == joe and tab.bindings[0].widget.text() == "Grandad Joe"
    email.clear()
    qtbot.keyClicks(email, "joe@example.org")
    tab.table.selectRow(may)  # now it saves, then shows the one chosen
    assert tab.table.currentRow() == may and tab.bindings[0].widget.text() == "Aunt May"
    saved = {
        r.details.name: r.details.email
        for r in contacts.list_for(main_window.ctx.sessions, pupil_id)
    }
    assert saved["Grandad Joe"] == "joe@example.org"


def test_a_long_note_is_shown_whole_in_the_log(qtbot: QtBot, main_window: MainWindow) -> None:
    """From the GUI trial: each note was cut to two lines ending '…' at 150 %."""
    select_first(main_window)
    tab = main_window.record.notes
    main_window.record.tabs.setCurrentWidget(tab)
    tab.kind.set_code("conversation")
    long = "Mum called about the new reading book; she reads with him every evening. " * 4
    qtbot.keyClicks(tab.text, long)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: tab.table.rowCount() > 0 and "reading book" in tab.table.item(0, 3).text()
    )
    # Every line of it, at the width its column has once laid out, not two and '…'.
    qtbot.waitUntil(lambda: tab.table.rowHeight(0) >= tab.table.sizeHintForRow(0))
    note = tab.table.columnWidth(3)
    metrics = tab.table.fontMetrics()
    lines = metrics.boundingRect(
        0, 0, note - 12, 10_000, Qt.TextFlag.TextWordWrap, long.strip()
    ).height()
    assert tab.table.rowHeight(0) >= lines > 2 * metrics.lineSpacing()
    assert note > max(tab.table.columnWidth(c) for c in range(3))  # the note has the room


def test_add_a_note(qtbot: QtBot, main_window: MainWindow) -> None:
    pupil_id = select_first(main_window)
    tab = main_window.record.notes
    main_window.record.tabs.setCurrentWidget(tab)
    before = len(notes.list_for(main_window.ctx.sessions, pupil_id))
    tab.kind.set_code("conversation")
    qtbot.keyClicks(tab.text, "Mum called: reading at home is going better.")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    logged = notes.list_for(main_window.ctx.sessions, pupil_id)
    assert len(logged) == before + 1
    assert logged[0].kind == "conversation" and "reading at home" in logged[0].text
    assert tab.table.item(0, 3).text().startswith("Mum called")


def test_add_view_export_and_remove_a_document(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, message_boxes: MessageBoxes
) -> None:
    pupil_id = select_first(main_window)
    tab = main_window.record.documents
    main_window.record.tabs.setCurrentWidget(tab)
    scan = tmp_path / "ep-report.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(scan))
    assert tab.add_file(scan, "EP report, page 1")
    [row] = attachments.list_for(main_window.ctx.sessions, pupil_id)
    assert (row.filename, row.media_type) == ("ep-report.png", "image/png")
    _, stored = attachments.content(main_window.ctx.sessions, row.id)
    assert stored == scan.read_bytes()

    tab.table.selectRow(0)
    assert tab.view_button.isEnabled()
    qtbot.mouseClick(tab.view_button, Qt.MouseButton.LeftButton)
    viewer = tab.findChild(DocumentViewer)
    assert viewer is not None and viewer.isVisible()
    viewer.close()

    copy = tmp_path / "copy.png"
    assert tab.export_to(row, copy)
    assert copy.read_bytes() == scan.read_bytes()

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert not tab.add_file(empty)
    assert "empty" in message_boxes.shown[-1][1]

    message_boxes.answer = QMessageBox.StandardButton.Yes
    tab.table.selectRow(0)
    tab.remove_selected()
    assert attachments.list_for(main_window.ctx.sessions, pupil_id) == []
    assert tab.empty.isVisible()


def test_leaving_a_tab_with_unsaved_edits_asks_first(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    pupil_id = select_first(main_window)
    record = main_window.record
    strengths = next(b.widget for b in record.profile.bindings if b.attr == "strengths")
    strengths.setPlainText("Brilliant at chess")
    assert record.profile.dirty

    message_boxes.answer = QMessageBox.StandardButton.Cancel
    record.tabs.setCurrentWidget(record.notes)
    assert record.tabs.currentWidget() is record.profile  # stayed
    assert strengths.toPlainText() == "Brilliant at chess"

    message_boxes.answer = QMessageBox.StandardButton.Save
    record.tabs.setCurrentWidget(record.notes)
    assert record.tabs.currentWidget() is record.notes
    assert pupils.details(main_window.ctx.sessions, pupil_id).strengths == "Brilliant at chess"
    assert "not saved" in message_boxes.shown[-1][1]


def test_choosing_another_pupil_with_unsaved_edits_can_be_cancelled(
    main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    first = select_first(main_window)
    strengths = next(b.widget for b in main_window.record.profile.bindings if b.attr == "strengths")
    strengths.setPlainText("Typed, not saved")
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    main_window.register.table.selectRow(3)
    assert main_window.record.pupil_id == first
    assert main_window.register.selected_id == first
    assert strengths.toPlainText() == "Typed, not saved"

    message_boxes.answer = QMessageBox.StandardButton.Discard
    main_window.register.table.selectRow(3)
    assert main_window.record.pupil_id == main_window.register.model.pupil_at(3).id
    assert pupils.details(main_window.ctx.sessions, first).strengths != "Typed, not saved"


def test_searching_away_from_unsaved_edits_asks_once_not_at_every_key(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    first = select_first(main_window)
    strengths = next(b.widget for b in main_window.record.profile.bindings if b.attr == "strengths")
    strengths.setPlainText("Typed, not saved")
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    qtbot.keyClicks(main_window.register.search, "zzq")  # hides the pupil at the first key
    assert len(message_boxes.shown) == 1 and "not saved" in message_boxes.shown[0][1]
    assert main_window.record.pupil_id == first
    assert strengths.toPlainText() == "Typed, not saved"
    # Back in view and hidden again: asked again, once; leaving without saving now works.
    main_window.register.search.clear()
    message_boxes.answer = QMessageBox.StandardButton.Discard
    qtbot.keyClicks(main_window.register.search, "zz")
    assert len(message_boxes.shown) == 2
    assert main_window.record.pupil_id == 0
