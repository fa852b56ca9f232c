"""Documents: scanned letters and reports kept inside the encrypted file.

Pictures and text are shown inside SENDesk, so no plain copy touches the disk. Anything else can
be saved as a copy, which the user is told is not encrypted, and which the audit log records.
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
from sendesk.services.attachments import VIEWABLE_IMAGES, AttachmentRow
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
        if row.media_type in VIEWABLE_IMAGES:
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
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Document", "Added", "Size", "Description"])
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
        for button in (self.add_button, self.view_button, self.export_button, self.remove_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose_and_add)
        self.view_button.clicked.connect(self.view_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.remove_button.clicked.connect(self.remove_selected)
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

    def selected(self) -> AttachmentRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def choose_and_add(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Add a document")
        if chosen:
            self.add_file(Path(chosen))

    def add_file(self, path: Path, description: str = "") -> bool:
        # The service checks the size before reading: a huge file is refused at once.
        if not self.attempt(
            lambda: attachments.add_file(self.ctx.sessions, self.pupil_id, path, description)
        ):
            return False
        self.show_pupil(self.pupil_id)
        self.saved.emit(f"Added {path.name}")
        return True

    def view_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.viewable:
            QMessageBox.information(
                self,
                row.filename,
                "SENDesk can show pictures and text itself. To open this "
                "document in another program, use Save a copy.",
            )
            return
        found: list[tuple[AttachmentRow, bytes]] = []
        if self.attempt(lambda: found.append(attachments.content(self.ctx.sessions, row.id))):
            viewer = DocumentViewer(*found[0], parent=self)
            viewer.open()
            self.viewer = viewer

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
