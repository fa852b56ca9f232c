"""Loads the main window's code while the passphrase's key is being derived.

Deriving the key keeps one core busy for about half a second and lets other Python code run;
loading the main window's modules (the record's tabs, the calendar rules, SQLAlchemy's mappers)
costs about as long again. Loaded on the GUI thread in small steps while the key is derived,
they are ready when the file opens, and the register appears that much sooner.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import QTimer

# Each step is one event-loop turn, so the window stays responsive in between.
STEPS = (
    "sendesk.models",
    "sendesk.calendar",
    "sendesk.services.pupils",
    "sendesk.services.school",
    "sendesk.services.meetings",
    "ui.record.record_view",
    "ui.main_window",
)


def start() -> None:
    """Begin loading, one step per turn of the event loop; harmless if already loaded."""
    steps = list(STEPS)

    def step() -> None:
        if steps:
            importlib.import_module(steps.pop(0))
            QTimer.singleShot(0, step)
        else:
            from sqlalchemy.orm import configure_mappers

            configure_mappers()  # else the first query after the unlock does it

    QTimer.singleShot(0, step)
