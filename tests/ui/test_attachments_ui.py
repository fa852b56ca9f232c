"""Documents: PDFs shown in the app from memory, a kind and a description set through the
dialog, and the size limit checked before the file is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from sendesk.documents import plain_pdf
from sendesk.services import attachments
from tests.ui.conftest import MessageBoxes
from ui.attachment_details import AttachmentDetailsDialog
from ui.main_window import MainWindow
from ui.record.documents_tab import DocumentsTab, DocumentViewer


def documents_tab(window: MainWindow) -> DocumentsTab:
    window.register.select_pupil(window.register.model.pupil_at(0).id)
    window.record.tabs.setCurrentWidget(window.record.documents)
    return window.record.documents


def test_a_pdf_is_described_when_added_and_shown_in_the_app(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = documents_tab(main_window)
    report = tmp_path / "ep-report.pdf"
    report.write_bytes(
        plain_pdf.render("EP report", [plain_pdf.Section("Summary", paragraphs=["Fine."])])
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(report), ""))
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(AttachmentDetailsDialog)
    assert isinstance(dialog, AttachmentDetailsDialog) and dialog.isVisible()
    dialog.category.set_code("report")
    qtbot.keyClicks(dialog.description, "Educational psychologist, October")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    [row] = attachments.list_for(main_window.ctx.sessions, main_window.record.pupil_id)
    assert (row.category, row.description) == ("report", "Educational psychologist, October")
    assert tab.table.item(0, 1).text() == "Report from a professional"

    tab.table.selectRow(0)
    assert tab.view_button.isEnabled()
    files_before = set(tmp_path.rglob("*"))
    qtbot.mouseClick(tab.view_button, Qt.MouseButton.LeftButton)
    viewer = tab.findChild(DocumentViewer)
    assert isinstance(viewer, DocumentViewer) and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.pdf.status() == QPdfDocument.Status.Ready)
    assert viewer.pdf.pageCount() == 1
    assert set(tmp_path.rglob("*")) == files_before  # shown from memory: no copy on disk
    viewer.close()

    qtbot.mouseClick(tab.details_button, Qt.MouseButton.LeftButton)
    again = tab.details
    assert again.chosen_category() == "report"
    again.category.set_code("letter")
    again.description.setPlainText("A letter after all")
    qtbot.mouseClick(again.ok, Qt.MouseButton.LeftButton)
    [row] = attachments.list_for(main_window.ctx.sessions, main_window.record.pupil_id)
    assert (row.category, row.description) == ("letter", "A letter after all")


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    qtbot: QtBot,
    main_window: MainWindow,
    tmp_path: Path,
    message_boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = documents_tab(main_window)
    video = tmp_path / "video.mp4"
    with video.open("wb") as out:  # sparse: large on paper, nothing written
        out.truncate(attachments.MAX_BYTES + 1)
    read: list[Path] = []
    original = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(video), ""))
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.findChild(AttachmentDetailsDialog) is None
    assert "at most 25 MB" in message_boxes.shown[-1][1]
    assert not tab.add_file(video)
    assert read == []
    assert attachments.list_for(main_window.ctx.sessions, main_window.record.pupil_id) == []
