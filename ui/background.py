"""The one helper that runs slow work off the GUI thread (unlock, demo build, import, backup).

The work runs on Qt's thread pool; its result or exception comes back on the GUI thread through
a queued signal, so callbacks may touch widgets. A busy cursor shows while anything runs.

One relay object, made on the GUI thread and never deleted, carries every result: a relay per job
could otherwise be freed by the worker thread that emitted through it, and a QObject must die on
its own thread.

Python's cyclic garbage collector is paused while any job runs. Otherwise the GUI thread can
collect a cycle holding the worker's database objects (its connection, cursors, sessions) while
the worker is using them, which crashed the SQLite driver in testing.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class _Relay(QObject):
    succeeded = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], token: int, relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.token = token
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # handed to the GUI thread, never lost
            self.relay.failed.emit(self.token, exc)
        else:
            self.relay.succeeded.emit(self.token, result)


_relay: _Relay | None = None
_paused_gc: list[bool] = []  # holds True while this module has the collector paused
_waiting: dict[int, tuple[Success, Failure]] = {}
_tokens = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()  # first used on the GUI thread, so it lives there
        _relay.succeeded.connect(_succeeded, Qt.ConnectionType.QueuedConnection)
        _relay.failed.connect(_failed, Qt.ConnectionType.QueuedConnection)
    return _relay


def _finish(token: int) -> tuple[Success, Failure] | None:
    callbacks = _waiting.pop(token, None)
    if callbacks is not None:
        QApplication.restoreOverrideCursor()
    if not _waiting and _paused_gc:
        _paused_gc.clear()
        gc.enable()
    return callbacks


def _succeeded(token: int, result: object) -> None:
    callbacks = _finish(token)
    if callbacks is not None:
        callbacks[0](result)


def _failed(token: int, exc: object) -> None:
    callbacks = _finish(token)
    if callbacks is not None:
        assert isinstance(exc, BaseException)
        callbacks[1](exc)


def run_in_background(work: Callable[[], Any], on_success: Success, on_failure: Failure) -> None:
    """Run `work()` on a worker thread; then `on_success(result)` or `on_failure(exc)` here."""
    relay = _the_relay()
    token = next(_tokens)
    if not _waiting and gc.isenabled():
        gc.disable()
        _paused_gc.append(True)
    _waiting[token] = (on_success, on_failure)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    QThreadPool.globalInstance().start(_Job(work, token, relay))


def busy() -> bool:
    """Whether background work is still running (tests wait on this)."""
    return bool(_waiting)
