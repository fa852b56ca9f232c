"""Preview a printed document inside SENDesk, then print it or save it (optionally locked).

The PDF is held in memory (a QBuffer): nothing is written to a temporary folder to show or print
it. Qt's PDF module renders pages with a transparent background, so every page is painted onto
white before it reaches the printer. Every print and save is audited by the documents service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk.calendar import week_called
from sendesk.documents.style import DocumentOptions
from sendesk.errors import BadInput, NotFound
from sendesk.services import Sessions
from sendesk.services import documents as docs
from sendesk.services.documents import Printable
from sendesk.wording import plural
from ui import background, errors, saving
from ui.context import FileContext
from ui.widgets import checked_password

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


def print_data(data: bytes, printer: QPrinter) -> int:
    """Print PDF bytes through a PDF reader of the calling thread's own; pages printed.

    Qt's PDF objects belong to the thread that made them, so a worker never uses the preview's.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    pdf = QPdfDocument()
    pdf.load(buffer)
    try:
        return print_pdf(pdf, printer)
    finally:
        pdf.close()
        buffer.close()


def printer_name(printer: QPrinter) -> str:
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return f"a PDF printer ({printer.outputFileName()})"
    return printer.printerName() or "the default printer"


class DocumentPreview(QDialog):
    """The document as it will print, with large print and dyslexia-friendly switches."""

    saved = Signal(str)  # a message for the status bar
    built = Signal()  # a document is shown

    def __init__(self, ctx: FileContext, build: Builder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # no pupil's PDF outlives it
        self.finished.connect(self._forget)
        self.ctx = ctx
        self.build = build
        self.document: Printable | None = None
        # The options the shown document was built with: what Print and Save as write and
        # audit, never the switches as they stand while a rebuild is still on its way.
        self.shown = DocumentOptions()
        self._wanted = 0  # which rebuild's result is still wanted; an older one is dropped
        self.csv_button: QPushButton | None = None  # the register can also be saved as CSV
        self.buffer = QBuffer(self)
        self.pdf = QPdfDocument(self)
        # As tall as the screen allows: a laptop's 768 px must still show Print and Save.
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(820, min(900, int(screen.height() * 0.9)) if screen else 700)

        self.large_print = QCheckBox("&Large print")
        self.dyslexia = QCheckBox("&Dyslexia-friendly (cream page, wider spacing)")
        self.for_parents = QCheckBox("Pa&rents' copy (abbreviations explained, no staff notes)")
        self.pages_label = QLabel()
        self.pages_label.setAccessibleName("Pages")
        # Two rows: in one, the three switches made the window wider than a laptop at 200 %, so
        # Save as and Close were off the screen.
        options = QGridLayout()
        options.addWidget(self.large_print, 0, 0)
        options.addWidget(self.dyslexia, 0, 1)
        options.addWidget(self.for_parents, 1, 0, 1, 2)
        options.addWidget(self.pages_label, 0, 2, Qt.AlignmentFlag.AlignRight)
        options.setColumnStretch(2, 1)

        self.view = QPdfView(self)
        self.view.setAccessibleName("Document preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.pdf)

        self.protect = QCheckBox("Protect a saved copy with a &password:")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password for the saved copy")
        self.password.setPlaceholderText("Password")  # the two boxes side by side, told apart
        self.password.setEnabled(False)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again.setAccessibleName("Password for the saved copy again")
        self.password_again.setPlaceholderText("The same password again")
        self.password_again.setEnabled(False)
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("Save &as…")
        self.close_button = QPushButton("Close")
        # The password has its own row and its hint its own wrapping line: squeezed in beside
        # the buttons, a hint inside the field was cut short at 150 % on a laptop.
        secret = QHBoxLayout()
        secret.addWidget(self.protect)
        secret.addWidget(self.password, 1)
        secret.addWidget(self.password_again, 1)
        self.password_hint = QLabel(
            "The password needs at least 6 characters; type it in both boxes. Anyone opening "
            "the saved copy will need it."
        )
        self.password_hint.setWordWrap(True)
        self.password_hint.setMinimumWidth(120)
        self.password.setAccessibleDescription(self.password_hint.text())
        self.button_row = buttons = QHBoxLayout()
        buttons.addStretch()
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.view, 1)
        layout.addLayout(secret)
        layout.addWidget(self.password_hint)
        layout.addLayout(buttons)

        self.protect.toggled.connect(self.password.setEnabled)
        self.protect.toggled.connect(self.password_again.setEnabled)
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

    def rebuild(self) -> None:
        """Build the document with the options chosen, off the GUI thread, then show it.

        Until it is shown, Print and Save as wait: they would otherwise write the copy built
        before the switch (a staff copy saved as "parents' copy"). Switches flicked in quick
        succession start a build each; only the last one's result is shown."""
        build, options = self.build, self.options
        self._wanted += 1
        wanted = self._wanted
        self.pages_label.setText("Preparing…")
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

        def built(document: Printable) -> None:
            if wanted == self._wanted:
                self.show_document(document, options)

        def failed(exc: BaseException) -> None:
            if wanted == self._wanted:
                self.failed(exc)

        background.run(self, "preparing the document", lambda: build(options), built, failed)

    @property
    def preparing(self) -> bool:
        return not self.save_button.isEnabled()

    def failed(self, exc: BaseException) -> None:
        errors.explain(self.parentWidget(), exc, "Print")
        if self.document is None:
            self.deleteLater()  # nothing to show: the preview goes without being shown
        else:  # the last good build stays, and the switches go back to what it was built with
            for box, on in (
                (self.large_print, self.shown.large_print),
                (self.dyslexia, self.shown.dyslexia_friendly),
                (self.for_parents, self.shown.for_parents),
            ):
                box.blockSignals(True)
                box.setChecked(on)
                box.blockSignals(False)
            self.show_document(self.document, self.shown)

    def _forget(self) -> None:
        """Closed: no pupil's document stays referenced, even by a wrapper someone still holds."""
        self.document = None
        self.pdf.close()
        self.buffer.close()
        self.buffer.setData(QByteArray())

    def show_document(self, document: Printable, options: DocumentOptions | None = None) -> None:
        self.document = document
        self.shown = options or DocumentOptions()
        self.setWindowTitle(f"{document.title} — preview")
        self.pdf.close()
        self.buffer.close()
        self.buffer.setData(QByteArray(document.data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self.buffer)
        count = self.pdf.pageCount()
        self.pages_label.setText(f"{count} page{'s' if count != 1 else ''}")
        # A parents' copy is of a document about their child, not of a whole-school list (the
        # register, the census check; from the GUI trial).
        self.for_parents.setVisible(document.has_parents_copy)
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.built.emit()

    # --- printing ---------------------------------------------------------------------------

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {self.document.title if self.document else ''}")
        dialog.accepted.connect(lambda: self.print_to(printer))
        QDialog.open(dialog)  # QPrintDialog's own open() wants a receiver
        self.print_dialog = dialog

    def print_to(self, printer: QPrinter) -> None:
        """Print off the GUI thread; audited and reported once the pages have gone."""
        document, options = self.document, self.shown
        if document is None or self.preparing:
            return

        def printed(pages: int) -> None:
            self.print_button.setEnabled(True)
            if not pages:
                QMessageBox.warning(self, "Print", "The printer could not be started.")
                return
            docs.record_printed(self.ctx.sessions, document, printer_name(printer), options)
            self.saved.emit(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer")

        def failed(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            errors.explain(self, exc, "Print")

        self.print_button.setEnabled(False)
        background.run(
            self, "printing", lambda: print_data(document.data, printer), printed, failed
        )

    # --- saving -----------------------------------------------------------------------------

    def choose_file(self) -> None:
        if self.document is None or self.preparing:
            return
        if self.protect.isChecked():  # a password typed wrong is caught before choosing a file
            try:
                checked_password(self.password.text(), self.password_again.text())
            except BadInput as exc:
                QMessageBox.warning(self, "Save as", exc.message)
                self.password.setFocus()
                return
        pdf = self.document.is_pdf
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save as", self.document.filename, "PDF (*.pdf)" if pdf else "CSV (*.csv)"
        )
        if chosen:
            self.save_to(Path(chosen))

    def save_to(self, target: Path) -> background.Job[Path] | None:
        """Write and audit the document off the GUI thread, with a connection of its own (an
        encrypted copy of a long pack takes a while); "Saved …" is told once it is on the disk."""
        document = self.document
        if document is None or self.preparing:
            return None  # Save as waits for the copy the switches ask for
        password = self.password.text() if self.protect.isChecked() else None
        self.password.clear()  # not kept in a widget once used
        self.password_again.clear()
        locked = ", locked with a password" if password else ""
        return saving.write(
            self,
            self.ctx,
            document,
            target,
            lambda written: self.saved.emit(f"Saved {written.name}{locked}"),
            password,
            self.shown,
        )


def open_preview(
    ctx: FileContext, build: Builder, parent: QWidget, done: Callable[[str], None]
) -> DocumentPreview | None:
    """Build a document off the GUI thread and show its preview once built.

    If it cannot be built the user is told why and the preview is deleted without showing.
    """
    preview = DocumentPreview(ctx, build, parent)
    preview.saved.connect(done)
    preview.built.connect(preview.open, Qt.ConnectionType.SingleShotConnection)
    preview.rebuild()
    return preview


def print_week_plans(
    ctx: FileContext,
    parent: QWidget,
    day: dt.date,
    done: Callable[[str], None],
    today: dt.date | None = None,
) -> background.Job[list[Printable]] | None:
    """Support plans of every pupil with a review meeting in the week of `day`, as one preview.

    Built one plan at a time off the GUI thread, counted in a progress dialog that can cancel.
    """
    pupil_ids = docs.pupils_with_reviews(ctx.sessions, day)
    week = week_called(day, today or dt.date.today())
    title = f"Plans for {week}'s meetings" if "week of" not in week else f"Plans for {week}"
    if not pupil_ids:
        QMessageBox.information(
            parent,
            title,
            f"No review meetings are planned {week}. For another week, choose "
            "Documents to print → Print plans for a chosen week's meetings.",
        )
        return None
    without_plan: list[int] = []

    def build_with(sessions: Sessions, options: DocumentOptions) -> Printable:
        # One print run through the same service as the command line: records loaded in one
        # round of queries, every plan laid out once in one PDF.
        run = docs.support_plans(sessions, pupil_ids, options)
        without_plan[:] = run.without_plan
        if not run.documents:
            raise NotFound(f"None of the pupils meeting {week} has a support plan to print yet.")
        [printed] = run.documents
        if not isinstance(printed, Printable):  # one file is laid out at once, never later
            raise TypeError("a one-file print run gave a document still to lay out")
        return printed

    def build(options: DocumentOptions) -> Printable:  # the options changed in the preview
        return build_with(ctx.sessions, options)

    def finished(parts: list[Printable]) -> None:
        if not parts:
            QMessageBox.information(
                parent, title, f"None of the pupils meeting {week} has a support plan to print yet."
            )
            return
        preview = DocumentPreview(ctx, build, parent)
        preview.show_document(parts[0])
        preview.saved.connect(done)
        preview.open()
        skipped = f"; {len(without_plan)} without a plan yet" if without_plan else ""
        ready = plural(len(pupil_ids) - len(without_plan), "support plan")
        done(f"{ready} ready to print{skipped}")

    job = background.steps_on_file(
        parent,
        f"preparing the plans for {week}",
        ctx,
        [lambda vault: build_with(vault.sessions, DocumentOptions())],
        finished,
        progress=f"Preparing {len(pupil_ids)} support plans…",
    )
    return job


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


def _save_csv(ctx: FileContext, preview: DocumentPreview) -> background.Job[Printable]:
    return saving.make_and_save(
        preview,
        ctx,
        "the SEN register as CSV",
        docs.register_csv,
        lambda written: preview.saved.emit(f"Saved {written.name}"),
    )


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
