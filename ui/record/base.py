"""What every tab of a pupil's record shares: which pupil, unsaved edits, and saving."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QPlainTextEdit, QWidget

from sendesk import dates
from sendesk.errors import SendeskError, StaleEdit, ValidationFailed
from ui import errors
from ui.context import FileContext
from ui.record.conflict_dialog import ConflictDialog
from ui.widgets import CodeCombo, DateField, show_problems


class RecordTab(QWidget):
    title = ""
    saved = Signal(str)  # a confirmation for the status bar
    records_changed = Signal()  # the register may need reloading
    dirty_changed = Signal(bool)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.pupil_id = 0
        self._dirty = False
        self._loading = False
        self.read_only = False

    @property
    def dirty(self) -> bool:
        return self._dirty

    def mark_dirty(self, *_: object) -> None:
        if not self._loading and not self._dirty:
            self._dirty = True
            self.dirty_changed.emit(True)

    def mark_clean(self) -> None:
        if self._dirty:
            self._dirty = False
            self.dirty_changed.emit(False)

    def show_pupil(self, pupil_id: int) -> None:
        """Show a pupil (0 for none); unsaved edits are the caller's to settle first."""
        self.pupil_id = pupil_id
        self._loading = True
        try:
            self.load()
        finally:
            self._loading = False
        self.mark_clean()

    def reload_if_clean(self) -> None:
        if not self._dirty:
            self.show_pupil(self.pupil_id)

    def load(self) -> None:
        raise NotImplementedError

    def save(self) -> bool:
        """Save unsaved edits; False (with the reason shown) when they cannot be saved."""
        return True

    def discard(self) -> None:
        self.show_pupil(self.pupil_id)

    def editors(self) -> list[QWidget]:
        """The widgets that change records, disabled while the pupil is archived."""
        return []

    def set_read_only(self, read_only: bool) -> None:
        """Archived: every editor off. Back on the register: the tab's own rules decide again."""
        was = self.read_only
        self.read_only = read_only
        if read_only:
            for widget in self.editors():
                widget.setEnabled(False)
        elif was:
            for widget in self.editors():
                widget.setEnabled(True)
            self.show_pupil(self.pupil_id)

    def attempt(self, action: Callable[[], Any], problems: Any = None) -> bool:
        """Run a service call; show a known problem to the user, report anything else."""
        try:
            action()
        except StaleEdit:
            raise  # the caller shows the conflict and lets the user choose
        except ValidationFailed as exc:
            if problems is not None:
                show_problems(problems, exc.problems)
            else:
                errors.explain(self, exc)
            return False
        except SendeskError as exc:
            if problems is not None:
                show_problems(problems, exc.message)
            else:
                errors.explain(self, exc)
            return False
        if problems is not None:
            show_problems(problems, None)
        return True

    def settle_conflict(
        self,
        conflict: StaleEdit,
        bindings: list[Binding],
        more_labels: dict[str, str] | None = None,
    ) -> dict[str, object] | None:
        """Ask which values to keep; their value for each field where the user chose theirs.

        None when the user went back to editing. With no field of this form in dispute there is
        nothing to ask: the other save touched none of the values shown here.
        """
        mine = {b.attr: b for b in bindings}
        labels = {name: b.widget.accessibleName() or name for name, b in mine.items()}
        labels |= more_labels or {}
        disputed = {k: v for k, v in conflict.differences.items() if k in labels}
        if not disputed:
            return {}

        def shown(name: str, value: object) -> str:
            if name in mine:
                return mine[name].shown(value)
            if isinstance(value, bool):
                return "Yes" if value else "No"
            return "" if value is None else str(value)

        dialog = ConflictDialog(
            StaleEdit(conflict.what, conflict.current_version, disputed),
            labels.__getitem__,
            shown,
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.taken()


class Binding:
    """Moves one attribute between a details object and the widget that edits it."""

    def __init__(self, attr: str, widget: QWidget, tab: RecordTab) -> None:
        self.attr = attr
        self.widget = widget
        if isinstance(widget, DateField | QLineEdit):
            widget.textEdited.connect(tab.mark_dirty)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(tab.mark_dirty)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(tab.mark_dirty)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(tab.mark_dirty)

    def put(self, details: object) -> None:
        value = getattr(details, self.attr)
        w = self.widget
        if isinstance(w, DateField):
            w.set_value(value)
        elif isinstance(w, QLineEdit):
            w.setText(value or "")
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, CodeCombo):
            w.set_code(value)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))

    def take(self, details: object) -> None:
        w = self.widget
        value: object
        if isinstance(w, DateField):
            value = w.value()
        elif isinstance(w, QLineEdit):
            value = w.text()
        elif isinstance(w, QPlainTextEdit):
            value = w.toPlainText()
        elif isinstance(w, CodeCombo):
            value = w.code()
        elif isinstance(w, QCheckBox):
            value = w.isChecked()
        else:
            raise TypeError(type(w))
        setattr(details, self.attr, value)

    def shown(self, value: object) -> str:
        """A value as this widget shows it, for the conflict dialog."""
        w = self.widget
        if isinstance(w, DateField):
            return dates.show(value)  # type: ignore[arg-type]
        if isinstance(w, CodeCombo):
            index = w.findData(value)
            return w.itemText(index) if index >= 0 and value is not None else ""
        if isinstance(w, QCheckBox):
            return "Yes" if value else "No"
        return "" if value is None else str(value)

    def clear(self) -> None:
        w = self.widget
        if isinstance(w, QLineEdit | QPlainTextEdit):
            w.clear()
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(0)
        elif isinstance(w, QCheckBox):
            w.setChecked(False)
