"""The last page of a wizard that makes something in the background and reports on it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from ui.widgets import problem_label


class WorkPage(QWizardPage):
    """Starts `start()` when shown; complete once `finished()` says the work is done."""

    def __init__(
        self, title: str, status_name: str, start: Callable[[], None], finished: Callable[[], bool]
    ) -> None:
        super().__init__()
        self.setTitle(title)
        self._start = start
        self._finished = finished
        self.box = QVBoxLayout(self)
        self.status = QLabel("Working…")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(status_name)
        self.box.addWidget(self.status)
        self.problem = problem_label()
        self.box.addWidget(self.problem)
        self.completeChanged.connect(self._settle)

    def add(self, widget: QWidget) -> None:
        """A further control, above the line for problems."""
        self.box.insertWidget(self.box.count() - 1, widget)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self._start()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self._finished()

    def _settle(self) -> None:
        """Once the work is done there is nothing to cancel or go back to: only Close."""
        wizard = self.wizard()
        if wizard is None or not self._finished():
            return
        wizard.setButtonText(QWizard.WizardButton.FinishButton, "&Close")
        wizard.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
