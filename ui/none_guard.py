"""A guard against PySide6 6.12's miscount of Python's None, under Python 3.11.

Each time a Qt call hands None back to Python (`QTableWidget.item()` of an empty cell, an item's
`data()` for a role never set, `QModelIndex.data()`), PySide6 6.12.0 lets go of a reference to
None that it never took. Measured here: about 280 for each pupil chosen in the main window and
600 each time the calendar opens. Under Python 3.11 None is an ordinary object: when its count
reaches nought the interpreter aborts ("Fatal Python error: none_dealloc"), which would close the
app with whatever was typed unsaved, or crash it as it quits. (Python 3.12 makes None immortal:
there the miscount is harmless and this does nothing.)

Until PySide is fixed, the count is topped up: checked every second, and raised by a large margin
whenever it falls below a floor. The references added are never let go of, so nothing is freed
at exit either.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

FLOOR = 1 << 20  # about four hours of choosing a pupil every second before it is reached
TOP_UP = 1 << 24
CHECK_MS = 1000
# CPython before 3.12, and not a debug build (whose objects begin with two list pointers, not
# the count).
_NEEDED = (
    sys.version_info < (3, 12)
    and sys.implementation.name == "cpython"
    and not hasattr(sys, "gettotalrefcount")
)


def top_up() -> None:
    """Raise None's count by TOP_UP if it is below FLOOR (CPython before 3.12 only)."""
    if not _NEEDED or sys.getrefcount(None) >= FLOOR:
        return
    # ob_refcnt is a CPython object's first field: a Py_ssize_t at the object's address.
    count = ctypes.c_ssize_t.from_address(id(None))
    count.value += TOP_UP


def install(parent: QObject) -> QTimer | None:
    """Top up now, and every second while `parent` (the application) lives."""
    top_up()
    if not _NEEDED:
        return None
    timer = QTimer(parent)
    timer.setObjectName("sendesk-none-guard")
    timer.timeout.connect(top_up)
    timer.start(CHECK_MS)
    return timer
