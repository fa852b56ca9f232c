"""A tab that edits part of a pupil's details (Profile, Needs) and saves only its own fields."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from sendesk.errors import BadInput
from sendesk.services import pupils
from ui.context import FileContext
from ui.record.base import Binding, RecordTab
from ui.widgets import LiveLabel, problem_label, show_problems


class DetailsTab(RecordTab):
    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.bindings: list[Binding] = []
        self.outer = QVBoxLayout(self)
        self.problems = problem_label()
        self.outer.addWidget(self.problems)
        self.body = QWidget()
        self.outer.addWidget(self.body)
        self.warning = LiveLabel("Warnings")
        self.outer.addWidget(self.warning)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save")
        self.revert_button = QPushButton("&Undo changes")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.discard)
        buttons.addStretch()
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        self.outer.addLayout(buttons)
        self.outer.addStretch()
        self.dirty_changed.connect(self._enable_buttons)
        self._enable_buttons(False)

    def bind(self, attr: str, widget: QWidget) -> QWidget:
        self.bindings.append(Binding(attr, widget, self))
        return widget

    def _enable_buttons(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def load(self) -> None:
        show_problems(self.problems, None)
        self.warning.clear()
        self.setEnabled(bool(self.pupil_id))
        if not self.pupil_id:
            for binding in self.bindings:
                binding.clear()
            return
        details = pupils.details(self.ctx.sessions, self.pupil_id)
        for binding in self.bindings:
            binding.put(details)

    def save(self) -> bool:
        if not self.dirty:
            return True
        # Start from what is saved, so another tab's saved edits are kept.
        details = pupils.details(self.ctx.sessions, self.pupil_id)
        try:
            for binding in self.bindings:
                binding.take(details)
        except BadInput as exc:
            show_problems(self.problems, exc.message)
            return False
        result: list[pupils.Saved] = []
        if not self.attempt(
            lambda: result.append(
                pupils.update(self.ctx.sessions, self.pupil_id, details, dt.date.today())
            ),
            self.problems,
        ):
            return False
        self.warning.setText("\n".join(result[0].warnings))
        self.mark_clean()
        self.saved.emit(f"Saved {self.title.replace('&', '').lower()}")
        self.records_changed.emit()
        return True
