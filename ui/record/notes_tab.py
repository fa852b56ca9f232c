"""Notes: the dated log of concerns, observations, conversations and advice."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes, dates
from sendesk.errors import BadInput, SendeskError
from sendesk.services import notes
from ui.context import FileContext
from ui.record.base import RecordTab
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import (
    CodeCombo,
    DateField,
    add_row,
    problem_label,
    rows_follow_their_text,
    show_problems,
    text_area,
    text_field,
)


class CorrectionDialog(AsksBeforeDiscarding):
    """Write the corrected note; the original stays in the log, shown as corrected."""

    def __init__(self, ctx: FileContext, note: notes.NoteRow, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.note = note
        self.corrected_id: int | None = None
        self.setWindowTitle(f"Correct the note of {dates.show(note.noted_on)}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Write the note as it should read. The note as first written is kept in the log, "
            "marked as corrected."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.kind = CodeCombo("Kind of note", codes.NOTE_KINDS.items())
        self.kind.set_code(note.kind)
        self.text = text_area("Corrected note")
        self.text.setPlainText(note.text)
        add_row(form, "&Kind:", self.kind)
        add_row(form, "&Note:", self.text)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Save correction")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            self.corrected_id = notes.correct(
                self.ctx.sessions, self.note.id, self.text.toPlainText(), str(self.kind.code())
            )
        except SendeskError as exc:
            show_problems(self.problems, exc.message)
            return
        self.accept()


class NotesTab(RecordTab):
    title = "No&tes"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Date", "Kind", "By", "Note"])
        self.table.setAccessibleName("Notes")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.rows: list[notes.NoteRow] = []
        self.dialog: CorrectionDialog | None = None
        # The note takes the room the date, kind and author leave, and each row is as tall as
        # its note wraps to at the width it has (read whole, at any scaling; from the GUI trial).
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        rows_follow_their_text(self.table)
        layout.addWidget(self.table)
        correcting = QHBoxLayout()
        self.correct_button = QPushButton("Co&rrect the selected note…")
        self.correct_button.clicked.connect(self.correct_selected)
        correcting.addWidget(self.correct_button)
        correcting.addStretch()
        layout.addLayout(correcting)
        self.table.itemSelectionChanged.connect(self._enable_correct)
        self.empty = QLabel(
            "No notes yet. Log each concern, observation, conversation or piece of advice below, "
            "with its date: it becomes the pupil's history."
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.noted_on = DateField("Date of note")
        self.kind = CodeCombo("Kind of note", codes.NOTE_KINDS.items())
        self.author = text_field("Written by", 120)
        self.text = text_area("Note", "What happened, what was said, what was advised")
        add_row(form, "&Date:", self.noted_on)
        add_row(form, "&Kind:", self.kind)
        add_row(form, "&By:", self.author)
        add_row(form, "&Note:", self.text)
        layout.addLayout(form)
        self.add_button = QPushButton("&Add note")
        self.add_button.clicked.connect(self.save)
        layout.addWidget(self.add_button)
        self.text.textChanged.connect(self.mark_dirty)
        self.adding_only = False
        self.add_only_note = QLabel(
            "You can add a note for this pupil; the log of notes is read by the SENCo."
        )
        self.add_only_note.setWordWrap(True)
        self.add_only_note.hide()
        layout.insertWidget(0, self.add_only_note)

    def add_only(self) -> None:
        """For a login that may add notes but not read the log (a teacher on the server)."""
        self.adding_only = True
        for widget in (self.table, self.correct_button, self.empty):
            widget.hide()
        self.add_only_note.show()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addStretch(1)  # the form at the top, not stretched over the missing log

    def editors(self) -> list[QWidget]:
        return [self.noted_on, self.kind, self.author, self.text, self.add_button]

    def load(self) -> None:
        self.setEnabled(bool(self.pupil_id))
        reads = bool(self.pupil_id) and not self.adding_only
        rows = notes.list_for(self.ctx.sessions, self.pupil_id) if reads else []
        self.rows = rows
        self.table.setRowCount(len(rows))
        dim = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for r, note in enumerate(rows):
            kind = codes.NOTE_KINDS[note.kind]
            if note.corrected_by_id is not None:
                kind += " (corrected)"
            elif note.corrects_id is not None:
                kind += " (correction)"
            values = (dates.show(note.noted_on), kind, note.author, note.text)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value or "")
                if note.corrected_by_id is not None:  # kept as first written, shown as replaced
                    font = QFont(item.font())
                    font.setStrikeOut(True)
                    item.setFont(font)
                    item.setForeground(dim)
                    item.setToolTip("Corrected: the correction is in the log; this is kept.")
                self.table.setItem(r, c, item)
        self.empty.setVisible(not rows and not self.adding_only)
        self._enable_correct()
        self.noted_on.set_value(dt.date.today())
        self.text.clear()
        show_problems(self.problems, None)

    def selected_note(self) -> notes.NoteRow | None:
        model = self.table.selectionModel()
        picked = model.selectedRows() if model is not None else []
        return self.rows[picked[0].row()] if picked else None

    def _enable_correct(self) -> None:
        note = self.selected_note()
        self.correct_button.setEnabled(note is not None and note.corrected_by_id is None)

    def correct_selected(self) -> CorrectionDialog | None:
        note = self.selected_note()
        if note is None or note.corrected_by_id is not None:
            return None
        dialog = CorrectionDialog(self.ctx, note, self)
        self.dialog = dialog

        def corrected() -> None:
            if dialog.corrected_id is not None:
                self.show_pupil(self.pupil_id)
                self.saved.emit("Note corrected; the original is kept")

        dialog.accepted.connect(corrected)
        dialog.open()
        return dialog

    def save(self) -> bool:
        if not self.text.toPlainText().strip():
            self.mark_clean()
            return True
        try:
            noted_on = self.noted_on.value() or dt.date.today()
        except BadInput as exc:
            show_problems(self.problems, exc.message)
            return False
        kind, text, author = str(self.kind.code()), self.text.toPlainText(), self.author.text()
        if not self.attempt(
            lambda: notes.add(self.ctx.sessions, self.pupil_id, noted_on, kind, text, author),
            self.problems,
        ):
            return False
        self.mark_clean()
        self.show_pupil(self.pupil_id)
        self.saved.emit("Note added")
        return True
