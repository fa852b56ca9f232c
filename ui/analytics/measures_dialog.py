"""The school's assessment measures (add, change, retire, bring back) with the value it expects
at each year group, and its notional SEN budget, which the provision map sets its total against."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk import expectations, money
from sendesk.cycle import pounds
from sendesk.errors import SendeskError, ValidationFailed
from sendesk.services import measures, provision_map
from sendesk.services.measures import MeasureDetails, MeasureView
from ui import errors
from ui.analytics.tables import fill, text_table
from ui.context import FileContext
from ui.widgets import add_row, problem_label, show_problems

COLUMNS = ("Measure", "Unit", "Better", "Scale", "In use")


def _number(text: str, what: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise ValidationFailed({"scale": f"The {what} of the scale must be a number."}) from exc


class MeasuresDialog(QDialog):
    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Assessment measures")
        self.resize(720, 560)
        self.table = text_table("measures")
        self.table.itemSelectionChanged.connect(self._picked)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.unit = QLineEdit()
        self.unit.setMaxLength(40)
        self.direction = QComboBox()
        self.direction.addItem("Higher is better", True)
        self.direction.addItem("Lower is better", False)
        self.low = QLineEdit()
        self.high = QLineEdit()
        self.expected = QLineEdit()
        self.expected.setPlaceholderText(f"e.g. {expectations.EXAMPLE}")
        self.expected.setToolTip(
            "The value the school expects at each year group (its age-related expectations); "
            "the evidence pack shows it beside the pupil's scores. Leave empty if there is none."
        )
        add_row(form, "&Name:", self.name)
        add_row(form, "&Unit:", self.unit)
        add_row(form, "&Direction:", self.direction)
        add_row(form, "Scale &from (optional):", self.low)
        add_row(form, "Scale &to (optional):", self.high)
        add_row(form, "&Expected by year group (optional):", self.expected)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add as new")
        self.save_button = QPushButton("&Save changes")
        self.retire_button = QPushButton("&Retire")
        self.examples_button = QPushButton("Add the e&xamples")
        for button, slot in (
            (self.add_button, self.add),
            (self.save_button, self.save),
            (self.retire_button, self.toggle_retired),
            (self.examples_button, self.add_examples),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        budget_row = QFormLayout()
        self.budget = QLineEdit()
        self.budget_button = QPushButton("Save &budget")
        self.budget_button.clicked.connect(self.save_budget)
        add_row(budget_row, "Notional SEN &budget (£ a year):", self.budget)
        budget_row.addRow("", self.budget_button)
        self.problems = problem_label()
        close = QPushButton("&Close")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addLayout(budget_row)
        layout.addWidget(self.problems)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        self.rows: list[MeasureView] = measures.list_measures(
            self.ctx.sessions, include_retired=True
        )
        fill(
            self.table,
            COLUMNS,
            [
                (
                    m.details.name,
                    m.details.unit,
                    "Higher" if m.details.higher_is_better else "Lower",
                    ""
                    if m.details.scale_min is None and m.details.scale_max is None
                    else f"{m.details.scale_min if m.details.scale_min is not None else ''} to "
                    f"{m.details.scale_max if m.details.scale_max is not None else ''}",
                    "Retired" if m.retired else "Yes",
                )
                for m in self.rows
            ],
        )
        budget = provision_map.budget(self.ctx.sessions)
        self.budget.setText("" if budget is None else pounds(budget).lstrip("£"))
        self._picked()

    def _current(self) -> MeasureView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _picked(self) -> None:
        chosen = self._current()
        self.save_button.setEnabled(chosen is not None)
        self.retire_button.setEnabled(chosen is not None)
        if chosen is None:
            return
        d = chosen.details
        self.name.setText(d.name)
        self.unit.setText(d.unit)
        self.direction.setCurrentIndex(0 if d.higher_is_better else 1)
        self.low.setText("" if d.scale_min is None else f"{d.scale_min:g}")
        self.high.setText("" if d.scale_max is None else f"{d.scale_max:g}")
        self.expected.setText(expectations.words(d.expected or {}))
        self.retire_button.setText("Bring &back" if chosen.retired else "&Retire")

    def _details(self) -> MeasureDetails:
        return MeasureDetails(
            self.name.text(),
            self.unit.text(),
            bool(self.direction.currentData()),
            _number(self.low.text(), "bottom"),
            _number(self.high.text(), "top"),
            expectations.parse(self.expected.text()),
        )

    def _do(self, action: object) -> bool:
        try:
            action()  # type: ignore[operator]
        except ValidationFailed as exc:
            show_problems(self.problems, exc.problems)
            return False
        except SendeskError as exc:
            errors.explain(self, exc, "Assessment measures")
            return False
        show_problems(self.problems, None)
        self.reload()
        return True

    def add(self) -> None:
        self._do(lambda: measures.add(self.ctx.sessions, self._details()))

    def save(self) -> None:
        chosen = self._current()
        if chosen is not None:
            self._do(
                lambda: measures.edit(self.ctx.sessions, chosen.id, self._details(), chosen.version)
            )

    def toggle_retired(self) -> None:
        chosen = self._current()
        if chosen is not None:
            self._do(lambda: measures.set_retired(self.ctx.sessions, chosen.id, not chosen.retired))

    def add_examples(self) -> None:
        self._do(lambda: measures.add_examples(self.ctx.sessions))

    def save_budget(self) -> None:
        def store() -> None:
            try:
                pence = money.parse_pence(self.budget.text())
            except ValueError as exc:
                raise ValidationFailed({"budget": f"The budget is not an amount: {exc}"}) from exc
            provision_map.set_budget(self.ctx.sessions, pence)

        self._do(store)
