"""What the View menu's analytics rows do (the rows themselves are in the main window's ACTIONS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def show_school(window: MainWindow) -> None:
    """The whole-school analytics: provision map, impact, register and governors' report."""
    from ui.analytics.school_window import SchoolAnalytics  # loaded when first used

    if window.locked:
        return
    view = SchoolAnalytics(window.ctx, window)
    view.saved.connect(window.flash)
    view.show()


def show_pupil(window: MainWindow) -> None:
    """The progress and inspection trace of the pupil shown."""
    from ui.analytics.pupil_window import PupilAnalytics

    if window.locked or not window.record.pupil_id:
        window.flash("Choose a pupil in the register first.")
        return
    view = PupilAnalytics(window.ctx, window.record.pupil_id, window)
    view.saved.connect(window.flash)
    view.show()


def show_measures(window: MainWindow) -> None:
    from ui.analytics.measures_dialog import MeasuresDialog

    if not window.locked:
        MeasuresDialog(window.ctx, window).exec()
