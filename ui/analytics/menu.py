"""The View menu's analytics rows, added by the main window in one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def add_to(window: MainWindow, menu: QMenu) -> list[QAction]:
    """Whole-school analytics, the selected pupil's progress and trace, and the measures."""

    def school() -> None:
        from ui.analytics.school_window import SchoolAnalytics

        if window.locked:
            return
        view = SchoolAnalytics(window.ctx, window)
        view.saved.connect(window.flash)
        view.show()

    def pupil() -> None:
        from ui.analytics.pupil_window import PupilAnalytics

        if window.locked or not window.record.pupil_id:
            window.flash("Choose a pupil in the register first.")
            return
        view = PupilAnalytics(window.ctx, window.record.pupil_id, window)
        view.show()

    def measures() -> None:
        from ui.analytics.measures_dialog import MeasuresDialog

        if not window.locked:
            MeasuresDialog(window.ctx, window).exec()

    actions = []
    menu.addSeparator()
    for text, slot in (
        ("Whole-school &analytics…", school),
        ("Pupil &progress and trace…", pupil),
        ("Assessment &measures and SEN budget…", measures),
    ):
        action = QAction(text, window)
        action.setStatusTip(text.replace("&", "").rstrip("…"))
        action.triggered.connect(slot)
        menu.addAction(action)
        actions.append(action)
    return actions
