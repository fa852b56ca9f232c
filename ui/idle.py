"""Locks the app after a spell without input, measured on the wall clock.

A laptop that slept past the idle time is locked the moment it wakes, because the check compares
wall-clock times rather than counting timer ticks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    def __init__(
        self,
        on_idle: Callable[[], None],
        idle_seconds: float,
        check_every_ms: int = 5_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.on_idle = on_idle
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.last_activity = clock()
        self.active = True
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(check_every_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _ACTIVITY:
            self.last_activity = self.clock()
        return False

    def touch(self) -> None:
        self.last_activity = self.clock()

    def check(self) -> None:
        if self.active and self.clock() - self.last_activity >= self.idle_seconds:
            self.active = False
            self.on_idle()

    def resume(self) -> None:
        self.touch()
        self.active = True
