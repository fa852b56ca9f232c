"""A tab that edits part of a pupil's details (Profile, Needs) and saves only its own fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from sendesk.errors import BadInput, StaleEdit
from sendesk.services import pupils
from ui.context import FileContext
from ui.record.base import Binding, RecordTab
from ui.widgets import LiveLabel, problem_label, show_problems


class DetailsTab(RecordTab):
    # A save here moved the pupil from one version to the next (old, new); the record view
    # tells its other details tabs, whose fields that save did not touch.
    version_moved = Signal(int, int)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.bindings: list[Binding] = []
        self.seen_version: int | None = None  # the version the user is looking at
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

    def editors(self) -> list[QWidget]:
        return [self.body, self.save_button, self.revert_button]

    def _enable_buttons(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty and not self.read_only)
        self.revert_button.setEnabled(dirty and not self.read_only)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self._enable_buttons(self.dirty)

    def follow(self, old: int, new: int) -> None:
        """Another tab of this window saved its own fields: they are not this tab's edits."""
        if self.seen_version == old:
            self.seen_version = new

    def load(self) -> None:
        show_problems(self.problems, None)
        self.warning.clear()
        self.setEnabled(bool(self.pupil_id))
        if not self.pupil_id:
            self.seen_version = None
            for binding in self.bindings:
                binding.clear()
            return
        details = pupils.details(self.ctx.sessions, self.pupil_id)
        self.seen_version = details.version
        for binding in self.bindings:
            binding.put(details)

    def save(self) -> bool:
        if not self.dirty:
            return True
        typed = pupils.PupilDetails("", "")
        try:
            for binding in self.bindings:
                binding.take(typed)
        except BadInput as exc:
            show_problems(self.problems, exc.message)
            return False
        mine = {b.attr: getattr(typed, b.attr) for b in self.bindings}
        version = self.seen_version
        result: list[pupils.Saved] = []
        while not result:
            # Start from what is saved, so another tab's saved edits are kept; this tab's
            # fields carry the version the user saw, so a newer save is never overwritten.
            details = replace(pupils.details(self.ctx.sessions, self.pupil_id), **mine)
            details.version = version
            try:
                if not self.attempt(
                    lambda d=details: result.append(  # type: ignore[misc]
                        pupils.update(self.ctx.sessions, self.pupil_id, d, dt.date.today())
                    ),
                    self.problems,
                ):
                    return False
            except StaleEdit as conflict:
                chosen = self.settle_conflict(conflict, self.bindings)
                if chosen is None:
                    show_problems(self.problems, "Not saved yet: your changes are still here.")
                    return False
                mine.update(chosen)
                version = conflict.current_version
        saved = result[0]
        if self.seen_version is not None and version == self.seen_version:
            self.version_moved.emit(self.seen_version, saved.version)
        self.show_pupil(self.pupil_id)  # shows what was saved, theirs where the user took it
        self.warning.setText("\n".join(saved.warnings))
        self.saved.emit(f"Saved {self.title.replace('&', '').lower()}")
        self.records_changed.emit()
        return True
