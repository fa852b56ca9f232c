"""Preview a printed document inside SENDesk, then print it or save it (optionally locked).

The PDF is held in memory (a QBuffer): nothing is written to a temporary folder to show or print
it. Qt's PDF module renders pages with a transparent background, so every page is painted onto
white before it reaches the printer. Every print and save is audited by the documents service.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk.documents.style import DocumentOptions
from sendesk.errors import NotFound, SendeskError
from sendesk.services import documents as docs
from sendesk.services.documents import Printable
from ui import errors
from ui.context import FileContext

Builder = Callable[[DocumentOptions], Printable]
MAX_PRINT_DPI = 300  # enough for text; a 1200 dpi page image would take half a gigabyte


def render_page_on_white(pdf: QPdfDocument, page: int, dpi: int) -> QImage:
    """One page as an opaque image: Qt renders PDF pages on a transparent background."""
    points = pdf.pagePointSize(page)
    size = QSize(
        max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72))
    )
    rendered = pdf.render(page, size)
    page_image = QImage(size, QImage.Format.Format_RGB32)
    page_image.fill(Qt.GlobalColor.white)
    painter = QPainter(page_image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page_image


def print_pdf(pdf: QPdfDocument, printer: QPrinter) -> int:
    """Send every page of `pdf` to `printer`, each scaled to the printable page; pages printed."""
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    pages = pdf.pageCount()
    try:
        for page in range(pages):
            if page:
                printer.newPage()
            image = render_page_on_white(pdf, page, dpi)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target.setSize(scaled)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return pages


def printer_name(printer: QPrinter) -> str:
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return f"a PDF printer ({printer.outputFileName()})"
    return printer.printerName() or "the default printer"


class DocumentPreview(QDialog):
    """The document as it will print, with large print and dyslexia-friendly switches."""

    saved = Signal(str)  # a message for the status bar

    def __init__(self, ctx: FileContext, build: Builder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.build = build
        self.document: Printable | None = None
        self.csv_button: QPushButton | None = None  # the register can also be saved as CSV
        self.buffer = QBuffer(self)
        self.pdf = QPdfDocument(self)
        # As tall as the screen allows: a laptop's 768 px must still show Print and Save.
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(820, min(900, int(screen.height() * 0.9)) if screen else 700)

        self.large_print = QCheckBox("&Large print")
        self.dyslexia = QCheckBox("&Dyslexia-friendly (cream page, wider spacing)")
        options = QHBoxLayout()
        self.for_parents = QCheckBox("Pa&rents' copy (abbreviations explained, no staff notes)")
        options.addWidget(self.large_print)
        options.addWidget(self.dyslexia)
        options.addWidget(self.for_parents)
        options.addStretch()
        self.pages_label = QLabel()
        self.pages_label.setAccessibleName("Pages")
        options.addWidget(self.pages_label)

        self.view = QPdfView(self)
        self.view.setAccessibleName("Document preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.pdf)

        self.protect = QCheckBox("Protect a saved copy with a &password:")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password for the saved copy")
        self.password.setPlaceholderText("at least 6 characters")
        self.password.setEnabled(False)
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("Save &as…")
        self.close_button = QPushButton("Close")
        self.button_row = buttons = QHBoxLayout()
        buttons.addWidget(self.protect)
        buttons.addWidget(self.password)
        buttons.addStretch()
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.protect.toggled.connect(self.password.setEnabled)
        self.large_print.toggled.connect(self.rebuild)
        self.dyslexia.toggled.connect(self.rebuild)
        self.for_parents.toggled.connect(self.rebuild)
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.choose_file)
        self.close_button.clicked.connect(self.reject)
        self.print_button.setDefault(True)

    @property
    def options(self) -> DocumentOptions:
        return DocumentOptions(
            self.large_print.isChecked(), self.dyslexia.isChecked(), self.for_parents.isChecked()
        )

    def rebuild(self) -> bool:
        """Build the document with the options chosen and show it; False when it cannot be."""
        try:
            document = self.build(self.options)
        except SendeskError as exc:
            errors.explain(self, exc, "Print")
            return False
        self.show_document(document)
        return True

    def show_document(self, document: Printable) -> None:
        self.document = document
        self.setWindowTitle(f"{document.title} — preview")
        self.pdf.close()
        self.buffer.close()
        self.buffer.setData(QByteArray(document.data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self.buffer)
        count = self.pdf.pageCount()
        self.pages_label.setText(f"{count} page{'s' if count != 1 else ''}")

    # --- printing ---------------------------------------------------------------------------

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {self.document.title if self.document else ''}")
        dialog.accepted.connect(lambda: self.print_to(printer))
        QDialog.open(dialog)  # QPrintDialog's own open() wants a receiver
        self.print_dialog = dialog

    def print_to(self, printer: QPrinter) -> int:
        if self.document is None:
            return 0
        pages = print_pdf(self.pdf, printer)
        if not pages:
            QMessageBox.warning(self, "Print", "The printer could not be started.")
            return 0
        docs.record_printed(self.ctx.sessions, self.document, printer_name(printer), self.options)
        self.saved.emit(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer")
        return pages

    # --- saving -----------------------------------------------------------------------------

    def choose_file(self) -> None:
        if self.document is None:
            return
        pdf = self.document.is_pdf
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save as", self.document.filename, "PDF (*.pdf)" if pdf else "CSV (*.csv)"
        )
        if chosen:
            self.save_to(Path(chosen))

    def save_to(self, target: Path) -> Path | None:
        if self.document is None:
            return None
        password = self.password.text() if self.protect.isChecked() else None
        self.password.clear()  # not kept in a widget once used
        try:
            written = docs.export(self.ctx.sessions, self.document, target, password, self.options)
        except SendeskError as exc:
            errors.explain(self, exc, "Save as")
            return None
        locked = ", locked with a password" if password else ""
        self.saved.emit(f"Saved {written.name}{locked}")
        return written


def open_preview(
    ctx: FileContext, build: Builder, parent: QWidget, done: Callable[[str], None]
) -> DocumentPreview | None:
    """Build a document and show its preview; None (after saying why) when it cannot be."""
    preview = DocumentPreview(ctx, build, parent)
    if not preview.rebuild():
        preview.deleteLater()
        return None
    preview.saved.connect(done)
    preview.open()
    return preview


class BatchBuilder:
    """Builds many documents one at a time on the GUI thread, with a progress dialog.

    Each step builds one document (a few tens of milliseconds) and then yields to the event loop,
    so the window stays responsive and Cancel works. Database sessions stay on this thread.
    """

    def __init__(
        self,
        parent: QWidget,
        label: str,
        steps: Sequence[Callable[[], Printable]],
        finished: Callable[[list[Printable]], None],
    ) -> None:
        self.steps = list(steps)
        self.results: list[Printable] = []
        self.skipped = 0
        self.finished = finished
        self.progress = QProgressDialog(label, "Cancel", 0, len(self.steps), parent)
        self.progress.setWindowTitle("Preparing documents")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAccessibleName("Progress")
        self.position = 0
        self.preview: DocumentPreview | None = None  # the preview opened when finished

    def start(self) -> None:
        self.progress.setValue(0)
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        if self.progress.wasCanceled():
            self.progress.close()
            return
        if self.position >= len(self.steps):
            self.progress.setValue(len(self.steps))
            self.progress.close()
            self.finished(self.results)
            return
        try:
            self.results.append(self.steps[self.position]())
        except NotFound:
            self.skipped += 1  # a pupil with no plan yet: nothing to print for them
        self.position += 1
        self.progress.setValue(self.position)
        QTimer.singleShot(0, self._step)


def print_week_plans(
    ctx: FileContext, parent: QWidget, day: dt.date, done: Callable[[str], None]
) -> BatchBuilder | None:
    """Support plans of every pupil with a review meeting in the week of `day`, as one preview."""
    pupil_ids = docs.pupils_with_reviews(ctx.sessions, day)
    title = "Plans for this week's meetings"
    if not pupil_ids:
        QMessageBox.information(parent, title, "No review meetings are planned this week.")
        return None
    without_plan: list[int] = []

    def build(options: DocumentOptions) -> Printable:
        # One print run through the same service as the command line: records loaded in one
        # round of queries, every plan laid out once in one PDF.
        run = docs.support_plans(ctx.sessions, pupil_ids, options)
        without_plan[:] = run.without_plan
        if not run.documents:
            raise NotFound("None of this week's pupils has a support plan to print yet.")
        return run.documents[0]

    def finished(parts: list[Printable]) -> None:
        if not parts:
            QMessageBox.information(
                parent, title, "None of this week's pupils has a support plan to print yet."
            )
            return
        preview = DocumentPreview(ctx, build, parent)
        preview.show_document(parts[0])
        preview.saved.connect(done)
        preview.open()
        batch.preview = preview
        skipped = f"; {len(without_plan)} without a plan yet" if without_plan else ""
        done(f"{len(pupil_ids) - len(without_plan)} support plans ready to print{skipped}")

    batch = BatchBuilder(
        parent,
        f"Preparing {len(pupil_ids)} support plans…",
        [functools.partial(build, DocumentOptions())],
        finished,
    )
    batch.start()
    return batch


def preview_register(
    ctx: FileContext, parent: QWidget, done: Callable[[str], None]
) -> DocumentPreview | None:
    """The SEN register; the preview's Save as… also offers the CSV for a spreadsheet."""
    preview = open_preview(ctx, lambda o: docs.register_pdf(ctx.sessions, o), parent, done)
    if preview is not None:
        csv_button = QPushButton("Save as &CSV…")
        csv_button.clicked.connect(lambda: _save_csv(ctx, preview))
        preview.button_row.insertWidget(preview.button_row.indexOf(preview.save_button), csv_button)
        preview.csv_button = csv_button
    return preview


def _save_csv(ctx: FileContext, preview: DocumentPreview) -> Path | None:
    csv = docs.register_csv(ctx.sessions)
    chosen, _ = QFileDialog.getSaveFileName(preview, "Save as CSV", csv.filename, "CSV (*.csv)")
    if not chosen:
        return None
    try:
        written = docs.export(ctx.sessions, csv, Path(chosen))
    except SendeskError as exc:
        errors.explain(preview, exc, "Save as CSV")
        return None
    preview.saved.emit(f"Saved {written.name}")
    return written


def preview_census(
    ctx: FileContext, parent: QWidget, done: Callable[[str], None]
) -> DocumentPreview | None:
    return open_preview(ctx, lambda o: docs.census_pdf(ctx.sessions, o), parent, done)


def preview_letter(
    ctx: FileContext, parent: QWidget, pupil_id: int | None, done: Callable[[str], None]
) -> DocumentPreview | None:
    return open_preview(
        ctx, lambda o: docs.letter_of_concern_pdf(ctx.sessions, pupil_id, o), parent, done
    )
