"""What every stage wizard shares: pupil and cycle, drafts that keep what was typed, finishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget, QWizard, QWizardPage

from sendesk import dates
from sendesk.errors import SendeskError, StaleEdit, ValidationFailed
from sendesk.services import cycles, pupils
from ui import errors
from ui.context import FileContext
from ui.widgets import problem_label, show_problems


class StagePage(QWizardPage):
    """A page with a line for problems that stop it from moving on."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.problems = problem_label()

    def complain(self, problems: dict[str, str] | str | None) -> bool:
        show_problems(self.problems, problems)
        return not problems


class StageWizard(QWizard):
    """Closing before the end keeps a draft; opening again resumes on the same page."""

    stage = ""
    finished_stage = Signal(str)  # a confirmation for the status bar
    continue_next = Signal()  # finished, and the user asked to go straight on to the next stage
    continue_text = ""  # the label of "finish and go on" on the last page; none when empty
    # Today's date, asked once per use; tests replace it to run on the demo file's day.
    today: Callable[[], dt.date] = staticmethod(dt.date.today)

    def __init__(
        self, ctx: FileContext, pupil_id: int, cycle_id: int, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.cycle_id = cycle_id
        self.state = cycles.load(ctx.sessions, cycle_id)
        self.seen = self.state.version  # what this wizard opened; a newer save is a conflict
        who = pupils.details(ctx.sessions, pupil_id)
        self.pupil_needs = [n for n in (who.primary_need, who.secondary_need) if n]
        self.pupil_name = who.known_as
        self.setWindowTitle(
            f"{self.pupil_name}: cycle {self.state.number}, {self.stage.capitalize()}"
        )
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(820, 620)
        self.done_applied = False
        self.draft_note = QLabel()
        if self.continue_text:
            self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
            self.setButtonText(QWizard.WizardButton.CustomButton1, self.continue_text)
            self.customButtonClicked.connect(self._finish_and_continue)
            self.currentIdChanged.connect(self._show_continue)

    def _show_continue(self, _page: int) -> None:
        """ "Finish and go on" only where Finish is: on the last page."""
        buttons = [
            QWizard.WizardButton.Stretch,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
        ]
        if self.nextId() == -1:
            buttons.insert(3, QWizard.WizardButton.CustomButton1)
        self.setButtonLayout([*buttons, QWizard.WizardButton.CancelButton])

    def _finish_and_continue(self, which: int) -> None:
        if which != QWizard.WizardButton.CustomButton1.value:
            return
        self.accept()
        if self.done_applied:
            self.continue_next.emit()

    # --- drafts ------------------------------------------------------------------------------

    def collect(self) -> dict[str, Any]:
        """Everything typed so far, as plain values for a draft."""
        raise NotImplementedError

    def restore(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def resume_draft(self) -> bool:
        """Fill the pages from a saved draft and go to the page it was left on."""
        found = cycles.load_draft(self.ctx.sessions, self.pupil_id, self.stage)
        if found is None:
            return False
        page, data = found
        self.restore(data.get("fields", {}))
        self.restart()
        for _ in range(page):
            if self.currentId() >= page or self.nextId() == -1:
                break
            self.next()
        return True

    def save_draft(self) -> None:
        if self.done_applied or not self.ctx.is_open:
            return
        cycles.save_draft(
            self.ctx.sessions,
            self.pupil_id,
            self.stage,
            max(self.currentId(), 0),
            {"fields": self.collect()},
            self.cycle_id,
        )

    def reject(self) -> None:
        try:
            self.save_draft()
        except SendeskError as exc:
            errors.explain(self, exc)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.reject()
        event.accept()

    # --- finishing -----------------------------------------------------------------------------

    def _save_over(self, conflict: StaleEdit) -> bool:
        """Ask whether to save this stage over the other save; no keeps the wizard open."""
        both = "".join(
            f"\n{name.replace('_', ' ').capitalize()}: theirs “{_shown(theirs)}”, "
            f"yours “{_shown(yours)}”"
            for name, (theirs, yours) in conflict.differences.items()
        )
        answer = QMessageBox.question(
            self,
            "Someone else saved this first",
            f"Someone else saved {conflict.what} after you opened this wizard: another SENDesk "
            "window, or another person with the file open. Nothing of yours has been saved yet, "
            f"and what you typed is still here.\n{both}\n\n"
            "Save what you typed here over their save? Choose No to go back to editing; to see "
            "their save, close this wizard (your typing is kept as a draft) and look at the "
            "record.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def rebased(self, conflict: StaleEdit) -> bool:
        """Put what was typed on the other save itself, where a stage can (the Do wizard's
        week): True when done, the wizard left open for the user to check and finish again."""
        return False

    def apply(self) -> str:
        """Store the stage through the services; returns what to tell the user."""
        raise NotImplementedError

    def accept(self) -> None:
        if not self.validateCurrentPage():  # Qt checks the last page only inside done()
            return
        try:
            message = self.apply()
        except StaleEdit as conflict:
            if self.rebased(conflict) or not self._save_over(conflict):
                return  # back to editing: their save stays in the file, the typing here
            self.seen = conflict.current_version
            self.accept()  # the user chose to save theirs over: try again at the new version
            return
        except ValidationFailed as exc:
            QMessageBox.warning(self, self.windowTitle(), "\n".join(exc.problems.values()))
            return
        except SendeskError as exc:
            errors.explain(self, exc)
            return
        self.done_applied = True
        cycles.discard_draft(self.ctx.sessions, self.pupil_id, self.stage)
        self.finished_stage.emit(message)
        super().accept()


def _shown(value: object) -> str:
    """A value as the conflict question shows it: dates as DD/MM/YYYY, nothing as "empty"."""
    if value is None or value == "":
        return "empty"
    return dates.show(value) if isinstance(value, dt.date) else str(value)
