"""Documents: scanned letters and reports kept inside the encrypted file.

PDFs, pictures and text are shown inside SENDesk, from memory, so no plain copy touches the
disk. Anything else can be saved as a copy, which the user is told is not encrypted, and which
the audit log records.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk.services import attachments
from sendesk.services.attachments import VIEWABLE_IMAGES, VIEWABLE_PDF, AttachmentRow
from ui.attachment_details import AttachmentDetailsDialog
from ui.attendance_dialog import AttendanceDialog
from ui.context import FileContext
from ui.record.base import RecordTab


def human_size(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{max(1, size // 1024)} KB"


class DocumentViewer(QDialog):
    def __init__(self, row: AttachmentRow, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(row.filename)
        self.resize(800, 600)
        layout = QVBoxLayout(self)
        if row.media_type in VIEWABLE_PDF:
            from PySide6.QtCore import QBuffer, QByteArray, QIODevice
            from PySide6.QtPdf import QPdfDocument
            from PySide6.QtPdfWidgets import QPdfView

            self.buffer = QBuffer(self)
            self.buffer.setData(QByteArray(data))
            self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.pdf = QPdfDocument(self)
            self.pdf.load(self.buffer)
            self.view = QPdfView(self)
            self.view.setAccessibleName(row.filename)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.view.setDocument(self.pdf)
            layout.addWidget(self.view)
        elif row.media_type in VIEWABLE_IMAGES:
            picture = QLabel()
            picture.setAccessibleName(row.filename)
            picture.setPixmap(_pixmap(data))
            scroll = QScrollArea()
            scroll.setWidget(picture)
            layout.addWidget(scroll)
        else:
            text = QPlainTextEdit(data.decode("utf-8", errors="replace"))
            text.setReadOnly(True)
            text.setAccessibleName(row.filename)
            layout.addWidget(text)


def _pixmap(data: bytes) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    return pixmap


class DocumentsTab(RecordTab):
    title = "&Documents"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.rows: list[AttachmentRow] = []
        self.attendance: AttendanceDialog | None = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Document", "Kind", "Added", "Size", "Description"])
        self.table.setAccessibleName("Documents")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemDoubleClicked.connect(self.view_selected)
        layout.addWidget(self.table)
        self.empty = QLabel(
            "No documents yet. Add a scanned letter or report: it is kept "
            "encrypted inside the record file."
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add document…")
        self.view_button = QPushButton("&View")
        self.export_button = QPushButton("Save a &copy…")
        self.remove_button = QPushButton("&Remove")
        self.details_button = QPushButton("D&etails…")
        self.details_button.setToolTip("The document's kind and description")
        self.attendance_button = QPushButton("Attendance &by term…")
        self.attendance_button.setToolTip("Sessions possible and attended, for the evidence pack")
        for button in (
            self.add_button, self.view_button, self.details_button,
            self.export_button, self.remove_button,
        ):  # fmt: skip
            buttons.addWidget(button)
        layout.addLayout(buttons)
        more = QHBoxLayout()  # a row of its own: six buttons in one would not fit at 150 %
        more.addWidget(self.attendance_button)
        more.addStretch(1)
        layout.addLayout(more)
        self.add_button.clicked.connect(self.choose_and_add)
        self.view_button.clicked.connect(self.view_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.details_button.clicked.connect(self.edit_details)
        self.attendance_button.clicked.connect(self.open_attendance)
        self.table.itemSelectionChanged.connect(self._enable)

    def editors(self) -> list[QWidget]:
        return [self.add_button, self.remove_button]

    def load(self) -> None:
        self.setEnabled(bool(self.pupil_id))
        self.rows = attachments.list_for(self.ctx.sessions, self.pupil_id) if self.pupil_id else []
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = (
                row.filename,
                row.category_label,
                row.added_at.strftime("%d/%m/%Y"),
                human_size(row.size_bytes),
                row.description or "",
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not self.rows)
        self._enable()

    def _enable(self) -> None:
        row = self.selected()
        self.view_button.setEnabled(row is not None and row.viewable)
        self.export_button.setEnabled(row is not None)
        self.remove_button.setEnabled(row is not None and not self.read_only)
        self.details_button.setEnabled(row is not None and not self.read_only)

    def selected(self) -> AttachmentRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def choose_and_add(self) -> AttachmentDetailsDialog | None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Add a document")
        if not chosen:
            return None
        if problem := attachments.problem_with(Path(chosen)):  # before a byte is read
            QMessageBox.warning(self, "Add document", problem)
            return None
        path = Path(chosen)
        dialog = AttachmentDetailsDialog(path.name, parent=self)
        dialog.accepted.connect(
            lambda: self.add_file(path, dialog.text(), dialog.chosen_category())
        )
        dialog.open()
        self.details = dialog
        return dialog

    def add_file(self, path: Path, description: str = "", category: str | None = None) -> bool:
        # The service checks the size before reading a byte: a huge file is refused at once.
        added: list[int] = []
        if not self.attempt(
            lambda: added.append(
                attachments.add_file(self.ctx.sessions, self.pupil_id, path, description)
            )
        ):
            return False
        if category is not None and not self.attempt(
            lambda: attachments.describe(self.ctx.sessions, added[0], description, category)
        ):
            return False
        self.show_pupil(self.pupil_id)
        self.saved.emit(f"Added {path.name}")
        return True

    def open_attendance(self) -> AttendanceDialog:
        dialog = AttendanceDialog(self.ctx, self.pupil_id, self, read_only=self.read_only)
        dialog.open()
        self.attendance = dialog
        return dialog

    def view_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.viewable:
            QMessageBox.information(
                self,
                row.filename,
                "SENDesk can show PDFs, pictures and text itself. To open this "
                "document in another program, use Save a copy.",
            )
            return
        found: list[tuple[AttachmentRow, bytes]] = []
        if self.attempt(lambda: found.append(attachments.content(self.ctx.sessions, row.id))):
            viewer = DocumentViewer(*found[0], parent=self)
            viewer.open()
            self.viewer = viewer

    def edit_details(self) -> AttachmentDetailsDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = AttachmentDetailsDialog(row.filename, row.description or "", row.category, self)

        def save() -> None:
            if self.attempt(
                lambda: attachments.describe(
                    self.ctx.sessions, row.id, dialog.text(), dialog.chosen_category()
                )
            ):
                self.show_pupil(self.pupil_id)
                self.saved.emit(f"Details of {row.filename} saved")

        dialog.accepted.connect(save)
        dialog.open()
        self.details = dialog
        return dialog

    def export_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Save a copy",
            f"The copy of {row.filename} will not be encrypted. Save it only "
            "somewhere safe, and delete it when you no longer need it. Continue?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save a copy", row.filename)
        if target:
            self.export_to(row, Path(target))

    def export_to(self, row: AttachmentRow, target: Path) -> bool:
        # Written whole or not at all, and audited; the save dialog has asked before replacing.
        if not self.attempt(
            lambda: attachments.save_copy(self.ctx.sessions, row.id, target, overwrite=True)
        ):
            return False
        self.saved.emit(f"Saved a copy of {row.filename}")
        return True

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, "Remove document", f"Remove {row.filename} from this pupil's record?"
        )
        if answer == QMessageBox.StandardButton.Yes and self.attempt(
            lambda: attachments.remove(self.ctx.sessions, row.id)
        ):
            self.show_pupil(self.pupil_id)
            self.saved.emit(f"Removed {row.filename}")
