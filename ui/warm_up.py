"""Loads the main window's code while the passphrase is typed and its key is derived.

Deriving the key keeps one core busy for about half a second and lets other Python code run;
loading the main window's modules (the record's tabs, the calendar rules, SQLAlchemy's mappers)
costs about as long again. Loaded on the GUI thread in small steps while the key is derived,
they are ready when the file opens, and the register appears that much sooner.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable

from PySide6.QtCore import QTimer

# Set by the app's entry point (ui.app.run), which owns the process; a test process never freezes.
FREEZE_WHEN_LOADED = False


def _configure_mappers() -> None:
    from sqlalchemy.orm import configure_mappers

    configure_mappers()  # else the first query after the unlock does it


def _first_widgets() -> None:
    """Make and drop a register panel: Qt's first table, header and lists of a kind build their
    styles, and PySide its Python enums, once per process (about 60 ms, measured), which the
    main window's first paint then need not wait for."""
    from ui.register_panel import RegisterPanel

    RegisterPanel().deleteLater()


# Each step is one event-loop turn, so the window stays responsive in between; what the
# register's first paint needs comes first, should Unlock be pressed before all is loaded.
STEPS: tuple[str | Callable[[], None], ...] = (
    "sendesk.models",
    "sendesk.services.pupils",
    "sendesk.keyed_engine",  # the file's engine and SQLite's dialect, made at the first query
    _configure_mappers,
    "ui.record.record_view",
    "ui.main_window",
    _first_widgets,
    "sendesk.calendar",  # then what follows the first paint: what is due, the calendar
    "holidays",  # the calendar's bank holidays, imported by it only when first asked
    "sendesk.services.meetings",
)


_started = False
_finished = False


def finished() -> bool:
    """Whether every step has run."""
    return _finished


def start() -> None:
    """Begin loading, one step per turn of the event loop; once only, and harmless if already
    loaded."""
    global _started
    if _started:
        return
    _started = True
    steps = list(STEPS)

    def step() -> None:
        if steps:
            done = steps.pop(0)
            if isinstance(done, str):
                importlib.import_module(done)
            else:
                done()
            QTimer.singleShot(0, step)
        else:
            global _finished
            _finished = True
            freeze_what_is_loaded()

    QTimer.singleShot(0, step)


def freeze_what_is_loaded() -> None:
    """In the app, set the objects alive now (the loaded code, the models) aside for good.

    They live as long as the app: frozen, the collector's full passes stop walking them, and those
    passes cost about 0.15 s while the main window and the register are built (measured). What is
    made later is collected as ever. No collection first: it would cost 0.2 s, and at this point
    it finds next to nothing (5 objects, measured).
    """
    if FREEZE_WHEN_LOADED:
        gc.freeze()
