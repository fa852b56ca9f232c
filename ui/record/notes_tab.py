"""Notes: the dated log of concerns, observations, conversations and advice."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes, dates
from sendesk.errors import BadInput
from sendesk.services import notes
from ui.context import FileContext
from ui.record.base import RecordTab
from ui.widgets import (
    CodeCombo,
    DateField,
    add_row,
    problem_label,
    show_problems,
    text_area,
    text_field,
)


class NotesTab(RecordTab):
    title = "No&tes"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Date", "Kind", "By", "Note"])
        self.table.setAccessibleName("Notes")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
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

    def editors(self) -> list[QWidget]:
        return [self.noted_on, self.kind, self.author, self.text, self.add_button]

    def load(self) -> None:
        self.setEnabled(bool(self.pupil_id))
        rows = notes.list_for(self.ctx.sessions, self.pupil_id) if self.pupil_id else []
        self.table.setRowCount(len(rows))
        for r, note in enumerate(rows):
            values = (
                dates.show(note.noted_on),
                codes.NOTE_KINDS[note.kind],
                note.author,
                note.text,
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value or ""))
        self.table.resizeRowsToContents()
        self.empty.setVisible(not rows)
        self.noted_on.set_value(dt.date.today())
        self.text.clear()
        show_problems(self.problems, None)

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
