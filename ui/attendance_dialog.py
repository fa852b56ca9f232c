"""Attendance per term for the pupil shown: the sessions possible and attended, as the school's
MIS reports them, for the EHC needs assessment evidence pack.

Choosing a term in the list puts its figures in the form; saving a term already listed replaces
its figures as seen, so figures someone else saved meanwhile are shown, never overwritten unseen.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sendesk import attendance
from sendesk.errors import SendeskError, StaleEdit, ValidationFailed
from sendesk.services import attendance as service
from sendesk.services.attendance import TermFigures, TermRow
from ui import errors
from ui.analytics.tables import fill, text_table
from ui.context import FileContext
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import add_row, problem_label, show_problems

COLUMNS = ("School year", "Term", "Sessions possible", "Sessions attended", "Attendance")
YEARS_OFFERED = 7  # this school year and the six before it


class AttendanceDialog(AsksBeforeDiscarding):
    def __init__(
        self,
        ctx: FileContext,
        pupil_id: int,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.pupil_id, self.read_only = ctx, pupil_id, read_only
        self.today = today or dt.date.today()
        self.rows: list[TermRow] = []
        self.setWindowTitle("Attendance per term")
        self.resize(680, 520)
        intro = QLabel(
            "Copy each term's figures from the school's MIS: the sessions possible and the "
            "sessions attended (a morning or an afternoon is one session). The percentage is "
            f"worked out. {attendance.PERSISTENT_ABSENCE_WORDS}"
        )
        intro.setWordWrap(True)
        self.table = text_table("attendance")
        self.table.setAccessibleName("Attendance per term")
        self.table.itemSelectionChanged.connect(self._picked_by_user)
        form = QFormLayout()
        self.year = QComboBox()
        this_year = attendance.year_of(self.today)
        for start in range(this_year, this_year - YEARS_OFFERED, -1):
            self.year.addItem(attendance.year_label(start), start)
        self.term = QComboBox()
        for code, label in attendance.TERMS.items():
            self.term.addItem(label, code)
        self.possible = QSpinBox()
        self.possible.setRange(0, attendance.MOST_SESSIONS)
        self.attended = QSpinBox()
        self.attended.setRange(0, attendance.MOST_SESSIONS)
        add_row(form, "School &year:", self.year)
        add_row(form, "&Term:", self.term)
        add_row(form, "Sessions &possible:", self.possible)
        add_row(form, "Sessions &attended:", self.attended)
        self.problems = problem_label()
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save this term")
        self.remove_button = QPushButton("&Remove")
        close = QPushButton("&Close")
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        close.clicked.connect(self.accept)
        for button in (self.save_button, self.remove_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self.save_button.setEnabled(not read_only)  # a file open read-only: figures shown only
        self.reload()

    def reload(self) -> None:
        self.rows = service.list_for(self.ctx.sessions, self.pupil_id)
        fill(
            self.table,
            COLUMNS,
            [
                (
                    r.year_label,
                    r.term_label,
                    str(r.figures.sessions_possible),
                    str(r.figures.sessions_attended),
                    r.percent + (" (persistent absence)" if r.persistently_absent else ""),
                )
                for r in self.rows
            ],
        )
        self._picked()

    def _current(self) -> TermRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _picked_by_user(self) -> None:
        """A term picked from the list: the form shows what is saved, so nothing is unsaved."""
        self._picked()
        self.mark_clean()

    def _picked(self) -> None:
        chosen = self._current()
        self.remove_button.setEnabled(chosen is not None and not self.read_only)
        if chosen is None:
            return
        f = chosen.figures
        year = self.year.findData(f.school_year)
        if year < 0:  # a year older than those offered: offer it too
            self.year.addItem(chosen.year_label, f.school_year)
            year = self.year.count() - 1
        self.year.setCurrentIndex(year)
        self.term.setCurrentIndex(self.term.findData(f.term))
        self.possible.setValue(f.sessions_possible)
        self.attended.setValue(f.sessions_attended)

    def figures(self) -> TermFigures:
        return TermFigures(
            int(self.year.currentData()),
            str(self.term.currentData()),
            self.possible.value(),
            self.attended.value(),
        )

    def _seen(self, figures: TermFigures) -> int | None:
        """The version of this term's figures the list shows, None if it shows none."""
        for r in self.rows:
            if (r.figures.school_year, r.figures.term) == (figures.school_year, figures.term):
                return r.version
        return None

    def save(self) -> bool:
        figures = self.figures()
        try:
            service.record(
                self.ctx.sessions, self.pupil_id, figures, self._seen(figures), self.today
            )
        except StaleEdit as conflict:
            theirs = " and ".join(
                f"{name.replace('_', ' ')} {old}"
                for name, (old, _mine) in conflict.differences.items()
            )
            self.reload()  # the list now shows theirs; saving again replaces them, as seen
            show_problems(
                self.problems,
                f"Someone else saved {conflict.what} after you opened it ({theirs or 'the same'}"
                "): the list now shows theirs. Yours are still in the form: save again to "
                "replace theirs.",
            )
            return False
        except ValidationFailed as exc:
            show_problems(self.problems, exc.problems)
            return False
        except SendeskError as exc:
            errors.explain(self, exc, "Attendance per term")
            return False
        show_problems(self.problems, None)
        self.reload()
        self.mark_clean()  # saved: this dialog stays open for the next term
        return True

    def remove(self) -> bool:
        chosen = self._current()
        if chosen is None:
            return False
        try:
            service.remove(self.ctx.sessions, chosen.id, chosen.version)
        except SendeskError as exc:
            errors.explain(self, exc, "Attendance per term")
            self.reload()
            return False
        self.reload()
        self.mark_clean()
        return True
