"""The one helper that runs slow work off the GUI thread (unlock, demo build, import, backup).

The work runs on Qt's thread pool; its result or exception comes back on the GUI thread through
a queued signal, so callbacks may touch widgets. A busy cursor shows while anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # handed to the GUI thread, never lost
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


_running: set[_Relay] = set()


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    """Run `work()` on a worker thread; then `on_success(result)` or `on_failure(exc)` here."""
    relay = _Relay()  # lives on the GUI thread, so its slots run there
    _running.add(relay)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def finish() -> None:
        _running.discard(relay)
        QApplication.restoreOverrideCursor()

    def succeeded(result: object) -> None:
        finish()
        on_success(result)

    def failed(exc: object) -> None:
        finish()
        assert isinstance(exc, BaseException)
        on_failure(exc)

    relay.succeeded.connect(succeeded, Qt.ConnectionType.QueuedConnection)
    relay.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(_Job(work, relay))


def busy() -> bool:
    """Whether background work is still running (tests wait on this)."""
    return bool(_running)
