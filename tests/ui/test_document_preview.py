"""Documents from the app: preview, large print, print to a (PDF) printer, save with a password."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk import calendar
from sendesk.documents.style import DocumentOptions
from sendesk.models import AuditEvent
from sendesk.services import documents as docs
from sendesk.services import pupils
from tests.conftest import DEMO_TODAY
from tests.ui.conftest import MessageBoxes, wait_for_background
from ui import document_preview
from ui.document_preview import DocumentPreview, render_page_on_white
from ui.main_window import MainWindow
from ui.week_dialog import WeekDialog


def planned_pupil(window: MainWindow) -> int:
    for row in pupils.list_register(window.ctx.sessions, today=DEMO_TODAY):
        if row.sen_status == "K":
            history = pupils.history(window.ctx.sessions, row.id)
            if any(c.outcomes and c.stage != "assess" for c in history.cycles):
                return row.id
    raise AssertionError("the demo school has a pupil with a plan")


def events(window: MainWindow, action: str) -> list[AuditEvent]:
    with window.ctx.sessions() as session:
        return list(
            session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def load(data: bytes, password: str | None = None) -> tuple[QPdfDocument, QBuffer]:
    pdf = QPdfDocument()
    if password is not None:
        pdf.setPassword(password)
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    pdf.load(buffer)
    return pdf, buffer


def open_plan(qtbot: QtBot, window: MainWindow) -> DocumentPreview:
    window.register.select_pupil(planned_pupil(window))
    window.record.tabs.setCurrentWidget(window.record.cycles)
    window.record.cycles.plan_button.click()
    preview = window.record.cycles.preview
    assert isinstance(preview, DocumentPreview)
    qtbot.waitUntil(preview.isVisible)
    return preview


def test_support_plan_preview_from_the_cycles_tab(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = open_plan(qtbot, main_window)
    assert preview.pdf.status() == QPdfDocument.Status.Ready
    pages = preview.pdf.pageCount()
    assert pages >= 1 and preview.pages_label.text().endswith(("page", "pages"))
    with qtbot.waitSignal(preview.built, timeout=20_000):  # rebuilt off the GUI thread
        preview.large_print.setChecked(True)
    assert preview.pdf.pageCount() > pages
    assert preview.windowTitle().startswith("SEN support plan")
    with qtbot.waitSignal(preview.built, timeout=20_000):
        qtbot.mouseClick(preview.for_parents, Qt.MouseButton.LeftButton)
        # Until the parents' copy is shown, the staff copy on screen cannot be saved as one.
        assert not preview.save_button.isEnabled() and not preview.print_button.isEnabled()
        assert preview.save_to(tmp_path / "too-soon.pdf") is None
    assert preview.for_parents.isChecked() and preview.shown.for_parents
    assert not (tmp_path / "too-soon.pdf").exists()

    preview.protect.setChecked(True)
    # The two boxes side by side say which is which (the trial found the second unlabelled).
    assert preview.password.placeholderText() and preview.password_again.placeholderText()
    assert preview.password.placeholderText() != preview.password_again.placeholderText()
    preview.password.setText("Zoë-secret-1")
    written_on: list[bool] = []
    real_export = docs.export

    def export(*args: object, **kwargs: object) -> Path:
        written_on.append(threading.current_thread() is threading.main_thread())
        return real_export(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(docs, "export", export)
    target = tmp_path / "plan.pdf"
    with qtbot.waitSignal(preview.saved, timeout=20_000) as told:
        assert preview.save_to(target) is not None
    assert told.args == ["Saved plan.pdf, locked with a password"]
    assert written_on == [False]  # written and audited off the GUI thread
    assert preview.password.text() == ""  # the password is not kept in the widget
    data = target.read_bytes()
    locked, _buffer = load(data)
    assert locked.status() == QPdfDocument.Status.Error
    assert locked.error() == QPdfDocument.Error.IncorrectPassword
    opened, _buffer2 = load(data, "Zoë-secret-1")
    assert opened.status() == QPdfDocument.Status.Ready
    assert opened.pageCount() == preview.pdf.pageCount()
    [event] = events(main_window, "document.exported")
    assert "AES-256" in event.summary and "large print" in event.summary
    assert "parents' copy" in event.summary
    preview.close()


def test_switches_flicked_quickly_show_and_save_the_last_ones_asked_for(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    """Two rebuilds in flight, the first finishing last: its copy is dropped, not shown."""
    first_may_finish = threading.Event()
    asked: list[DocumentOptions] = []
    pupil_id = planned_pupil(main_window)

    def build(options: DocumentOptions) -> docs.Printable:
        asked.append(options)
        if options.large_print and not options.for_parents:
            assert first_may_finish.wait(20)  # the large-print-only build is overtaken
        return docs.support_plan_pdf(main_window.ctx.sessions, pupil_id, options)

    preview = DocumentPreview(main_window.ctx, build, main_window)
    with qtbot.waitSignal(preview.built, timeout=20_000):
        preview.rebuild()
    with qtbot.waitSignal(preview.built, timeout=20_000):
        preview.large_print.setChecked(True)
        preview.for_parents.setChecked(True)  # asked for before the first finished
    assert preview.shown == DocumentOptions(large_print=True, for_parents=True)
    first_may_finish.set()
    wait_for_background(qtbot)
    assert len(asked) == 3
    assert preview.shown == DocumentOptions(large_print=True, for_parents=True)
    with qtbot.waitSignal(preview.saved, timeout=20_000):
        preview.save_to(tmp_path / "plan.pdf")
    [event] = events(main_window, "document.exported")
    assert "large print" in event.summary and "parents' copy" in event.summary
    preview.close()


def test_print_paints_pages_on_white_and_leaves_no_temporary_file(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    preview = open_plan(qtbot, main_window)
    page = render_page_on_white(preview.pdf, 0, 30)
    assert page.pixelColor(0, 0) == QColor("white") and page.hasAlphaChannel() is False

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(100)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(preview.saved, timeout=20_000) as sent:  # printed off the GUI thread
        preview.print_to(printer)
    pages = preview.pdf.pageCount()
    assert sent.args == [f"Sent {pages} page{'s' if pages != 1 else ''} to the printer"]
    printed, _buffer = load((tmp_path / "printed.pdf").read_bytes())
    assert printed.pageCount() == preview.pdf.pageCount()
    [event] = events(main_window, "document.printed")
    assert event.summary.startswith("SEN support plan printed on a PDF printer")
    assert os.listdir(scratch) == []
    preview.close()


def test_documents_menu(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, message_boxes: MessageBoxes
) -> None:
    texts = [a.text() for a in main_window.documents_menu.actions()]
    assert texts == [
        "Print SEN &register…",
        "&Census check…",
        "Print plans for this week's &meetings…",
        "Print plans for &next week's meetings…",
        "Print plans for a c&hosen week's meetings…",
        "&Letter of concern…",
    ]
    main_window.named_actions["print_register"].trigger()
    register = main_window.findChildren(DocumentPreview)[-1]
    qtbot.waitUntil(register.isVisible, timeout=20_000)  # built off the GUI thread
    assert register.windowTitle().startswith("SEN register") and register.csv_button
    assert not register.for_parents.isVisible()  # no family is given the whole register
    monkeypatch_csv = tmp_path / "register.csv"
    from PySide6.QtWidgets import QFileDialog

    original = QFileDialog.getSaveFileName
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(monkeypatch_csv), ""))  # type: ignore[method-assign]
    try:
        with qtbot.waitSignal(register.saved, timeout=20_000) as told:  # made off the GUI thread
            register.csv_button.click()
    finally:
        QFileDialog.getSaveFileName = original  # type: ignore[method-assign]
    assert told.args == ["Saved register.csv"]
    assert monkeypatch_csv.read_text(encoding="utf-8-sig").startswith("UPN,")
    assert events(main_window, "document.exported")[-1].summary.startswith("SEN register")
    register.close()

    assert isinstance(main_window.census_check(), DocumentPreview)
    letter = main_window.letter_of_concern()
    assert isinstance(letter, DocumentPreview)
    qtbot.waitUntil(letter.isVisible, timeout=20_000)
    assert letter.pdf.pageCount() >= 1
    assert letter.for_parents.isVisible()
    assert message_boxes.shown == []


def test_plans_for_this_weeks_meetings_in_one_go(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    flashed: list[str] = []
    job = document_preview.print_week_plans(
        main_window.ctx, main_window, DEMO_TODAY, flashed.append
    )
    if job is None:  # the demo week has no review meetings
        assert message_boxes.shown
        return
    progress = main_window.findChild(QProgressDialog)
    assert progress is not None and progress.maximum() > 0  # one step per pupil
    wait_for_background(qtbot)
    previews = [p for p in main_window.findChildren(DocumentPreview) if p.isVisible()]
    if previews:
        assert previews[-1].pdf.pageCount() >= 1
        assert flashed and re.search(r"\d+ support plans? ready to print", flashed[-1])
        previews[-1].close()
    else:
        assert message_boxes.shown  # nobody that week has a plan yet


def test_plans_for_next_week_and_a_chosen_week_from_the_documents_menu(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[dt.date, dt.date | None]] = []
    monkeypatch.setattr(
        document_preview,
        "print_week_plans",
        lambda ctx, parent, day, done, today=None: asked.append((day, today)),
    )
    today = dt.date.today()
    main_window.named_actions["next_week_plans"].trigger()
    [(day, said_today)] = asked
    assert said_today == today and calendar.week_called(day, today) == "next week"

    main_window.named_actions["chosen_week_plans"].trigger()
    dialog = main_window.findChild(WeekDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.day)  # on the one field
    assert dialog.week.text() == "That is next week."
    dialog.day.selectAll()
    qtbot.keyClicks(dialog.day, "31/02/2027")
    qtbot.keyClick(dialog.day, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.problems.isVisible() and len(asked) == 1
    assert dialog.problems.text().startswith("Please check: A day in the week:")
    dialog.day.clear()
    qtbot.keyClicks(dialog.day, "10/03/2027")  # a Wednesday
    assert dialog.week.text() == "That is the week of 08/03/2027."
    qtbot.keyClick(dialog.day, Qt.Key.Key_Return)
    assert asked[-1] == (dt.date(2027, 3, 10), today)
    assert not dialog.isVisible()


def test_the_plans_preview_names_the_week_it_prints(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    """A week with no review meetings says which week it looked at, in the same words."""
    far = dt.date(2040, 1, 4)
    job = document_preview.print_week_plans(main_window.ctx, main_window, far, print, DEMO_TODAY)
    assert job is None
    [(title, text)] = message_boxes.shown
    assert title == "Plans for the week of 02/01/2040"
    assert text.startswith("No review meetings are planned the week of 02/01/2040.")
