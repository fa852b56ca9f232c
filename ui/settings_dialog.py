"""Settings: the school's details, how soon SENDesk locks itself, and the term dates."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk import dates, money
from sendesk.calendar import CALENDAR_DETAILS
from sendesk.errors import BadInput, SendeskError
from sendesk.services import school
from sendesk.services.school import SchoolDetails, TermDates
from ui.context import FileContext
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import CodeCombo, add_row, problem_label, show_problems, text_area, text_field


class SettingsDialog(AsksBeforeDiscarding):
    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Settings")
        self.details = school.load(ctx.sessions)
        layout = QVBoxLayout(self)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.fields = {
            "name": text_field("School name", 200),
            "urn": text_field("URN", 6),
            "local_authority": text_field("Local authority"),
            "head_teacher": text_field("Head teacher", 120),
            "senco_name": text_field("SENCo", 120),
            "phone": text_field("Phone", 40),
            "email": text_field("Email", 200),
        }
        labels = (
            "School &name:",
            "&URN:",
            "&Local authority:",
            "&Head teacher:",
            "&SENCo:",
            "&Phone:",
            "&Email:",
        )
        for label, (attr, field) in zip(labels, self.fields.items(), strict=True):
            field.setText(getattr(self.details, attr) or "")
            add_row(form, label, field)
        self.address = text_area("Address")
        self.address.setPlainText(self.details.address or "")
        add_row(form, "A&ddress:", self.address)
        self.idle = QSpinBox()
        self.idle.setRange(school.MIN_IDLE_MINUTES, school.MAX_IDLE_MINUTES)
        self.idle.setSuffix(" minutes")
        self.idle.setValue(self.details.idle_lock_minutes)
        add_row(form, "Lock when idle for:", self.idle)
        self.calendar_detail = CodeCombo("Calendar exports show", CALENDAR_DETAILS.items())
        self.calendar_detail.set_code(self.details.calendar_detail)
        add_row(form, "Calendar e&xports show:", self.calendar_detail)
        self.hourly_rate = text_field("Staff hourly rate in pounds", 12)
        self.hourly_rate.setText(f"{self.details.staff_hourly_rate_pence / 100:.2f}")
        self.threshold = text_field("Notional SEN threshold in pounds", 12)
        self.threshold.setText(f"{self.details.sen_threshold_pence / 100:.2f}")
        add_row(form, "Staff hourly &rate (£):", self.hourly_rate)
        add_row(form, "Notional SEN t&hreshold (£):", self.threshold)
        layout.addLayout(form)
        layout.addWidget(QLabel("Term dates (days outside every term are holidays):"))
        self.terms = QTableWidget(0, 3)
        self.terms.setHorizontalHeaderLabels(["Term", "Starts (DD/MM/YYYY)", "Ends (DD/MM/YYYY)"])
        self.terms.setAccessibleName("Term dates")
        self.terms.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.terms.horizontalHeader().setStretchLastSection(True)
        self.terms.setMinimumHeight(200)  # six half terms without scrolling
        for term in self.details.terms:
            self._add_term(term.name, dates.show(term.starts_on), dates.show(term.ends_on))
        layout.addWidget(self.terms)
        row = QHBoxLayout()
        add_term = QPushButton("Add &term")
        remove_term = QPushButton("&Remove term")
        add_term.clicked.connect(lambda: self._add_term("", "", ""))
        remove_term.clicked.connect(lambda: self.terms.removeRow(self.terms.currentRow()))
        row.addWidget(add_term)
        row.addWidget(remove_term)
        row.addStretch()
        layout.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _add_term(self, name: str, starts: str, ends: str) -> None:
        row = self.terms.rowCount()
        self.terms.insertRow(row)
        for column, value in enumerate((name, starts, ends)):
            self.terms.setItem(row, column, QTableWidgetItem(value))

    def _cell(self, row: int, column: int) -> str:
        item = self.terms.item(row, column)
        return item.text() if item else ""

    def collect(self) -> SchoolDetails:
        details = self.details
        for attr, field in self.fields.items():
            setattr(details, attr, field.text())
        details.address = self.address.toPlainText()
        details.idle_lock_minutes = self.idle.value()
        details.calendar_detail = str(self.calendar_detail.code())
        for field, attr, what in (
            (self.hourly_rate, "staff_hourly_rate_pence", "The staff hourly rate"),
            (self.threshold, "sen_threshold_pence", "The notional SEN threshold"),
        ):
            pence = money.parse_pence(field.text(), what)
            if pence is None:
                raise BadInput(f"{what} is needed to work out provision costs.")
            setattr(details, attr, pence)
        terms = []
        for row in range(self.terms.rowCount()):
            name = self._cell(row, 0)
            if not (name or self._cell(row, 1) or self._cell(row, 2)):
                continue
            terms.append(
                TermDates(name, dates.parse(self._cell(row, 1)), dates.parse(self._cell(row, 2)))
            )
        details.terms = terms
        return details

    def save(self) -> None:
        try:
            school.save(self.ctx.sessions, self.collect())
        except BadInput as exc:
            show_problems(self.problems, getattr(exc, "problems", None) or exc.message)
            return
        except SendeskError as exc:
            show_problems(self.problems, exc.message)
            return
        self.accept()
