"""Work off the GUI thread, one pattern for all of it (after Anki's QueryOp and CollectionOp).

A job has a parent widget, a name the user can be told ("the backup"), optional progress, and
callbacks that run back on the GUI thread. A job on the open record file gets a view of it with an
engine of its own (`Vault.for_job`), made, used and closed on the worker thread, so no SQLAlchemy
object (engine, connection, session, row) is ever touched by two threads and the garbage
collector can run as usual. Results are plain values.

    background.on_file(self, "the backup", ctx, lambda vault: vault.backup_to(dest), done)

The work runs on Qt's thread pool; its outcome comes back through one relay object made on the
GUI thread and never deleted (a relay per job could be freed by the worker thread that emitted
through it, and a QObject must die on its own thread). A busy cursor shows while anything runs.
Callbacks of a job whose parent was deleted meanwhile are dropped.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from sendesk.errors import NotFound
from ui.context import FileContext

if TYPE_CHECKING:  # SQLAlchemy loads when a file is opened, not with the start window
    from sendesk.vault import Vault

T = TypeVar("T")
R = TypeVar("R")
Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class _Relay(QObject):
    succeeded = Signal(int, object)
    failed = Signal(int, object)
    stepped = Signal(int, int)


class Job(Generic[T]):
    """One piece of work: what it is called, who asked, and what to do with its outcome."""

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        work: Callable[[Job[T]], T],
        on_success: Callable[[T], None],
        on_failure: Failure | None,
        progress: str | None,
        steps: int = 0,
    ) -> None:
        self.parent = parent
        self.name = name
        self.work = work
        self.on_success = on_success
        self.on_failure = on_failure
        self.token = next(_tokens)
        self.cancelled = threading.Event()
        self.skipped = 0  # steps that found nothing to do
        self.dialog: QProgressDialog | None = None
        if progress is not None:
            self.dialog = _progress_dialog(parent, progress, steps, self.cancelled)

    def step(self, done: int) -> None:
        """From the worker: `done` steps of the job are finished."""
        _the_relay().stepped.emit(self.token, done)


class _Runnable(QRunnable):
    def __init__(self, job: Job[Any], relay: _Relay) -> None:
        super().__init__()
        self.job = job
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.job.work(self.job)
        except BaseException as exc:  # handed to the GUI thread, never lost
            self.relay.failed.emit(self.job.token, exc)
        else:
            self.relay.succeeded.emit(self.job.token, result)


_relay: _Relay | None = None
_running: dict[int, Job[Any]] = {}
_when_idle: list[tuple[QWidget | None, Callable[[], None]]] = []
_tokens = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()  # first used on the GUI thread, so it lives there
        _relay.succeeded.connect(_succeeded, Qt.ConnectionType.QueuedConnection)
        _relay.failed.connect(_failed, Qt.ConnectionType.QueuedConnection)
        _relay.stepped.connect(_stepped, Qt.ConnectionType.QueuedConnection)
    return _relay


def _progress_dialog(
    parent: QWidget | None, label: str, steps: int, cancelled: threading.Event
) -> QProgressDialog:
    dialog = QProgressDialog(label, "Cancel" if steps else "", 0, steps, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle("Working")
    dialog.setAccessibleName("Progress")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    if not steps:
        dialog.setCancelButton(None)  # work with no steps cannot stop half-way
    dialog.canceled.connect(cancelled.set)
    dialog.setValue(0)
    return dialog


def _alive(widget: QWidget | None) -> bool:
    return widget is None or shiboken6.isValid(widget)


def _finish(token: int) -> Job[Any] | None:
    job = _running.pop(token, None)
    if job is None:
        return None
    QApplication.restoreOverrideCursor()
    if job.dialog is not None and shiboken6.isValid(job.dialog):
        job.dialog.canceled.disconnect()  # closing it emits `canceled`: not the user's cancel
        job.dialog.close()  # deleted on close
    job.dialog = None
    return job if _alive(job.parent) else None


def _after() -> None:
    while not _running and _when_idle:
        owner, callback = _when_idle.pop(0)
        if _alive(owner):  # as for a job's result: nothing is done for a window that is gone
            callback()


def _succeeded(token: int, result: object) -> None:
    job = _finish(token)
    try:
        if job is not None:
            job.on_success(result)
    finally:
        _after()


def _failed(token: int, exc: object) -> None:
    job = _finish(token)
    assert isinstance(exc, BaseException)
    try:
        if job is not None:
            if job.on_failure is not None:
                job.on_failure(exc)
            else:
                from ui import errors

                errors.explain(job.parent, exc)
    finally:
        _after()


def _stepped(token: int, done: int) -> None:
    job = _running.get(token)
    if job is not None and job.dialog is not None and shiboken6.isValid(job.dialog):
        job.dialog.setValue(done)


def _start(job: Job[Any]) -> Job[Any]:
    relay = _the_relay()
    _running[job.token] = job
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    QThreadPool.globalInstance().start(_Runnable(job, relay))
    return job


# --- the ways to start a job ------------------------------------------------------------------


def run(
    parent: QWidget | None,
    name: str,
    work: Callable[[], T],
    on_success: Callable[[T], None],
    on_failure: Failure | None = None,
    *,
    progress: str | None = None,
) -> Job[T]:
    """`work()` on a worker thread, then `on_success(result)` or `on_failure(exc)` here.

    Without `on_failure`, a failure is explained to the user in a message box.
    """
    return _start(Job(parent, name, lambda _job: work(), on_success, on_failure, progress))


def on_file(
    parent: QWidget | None,
    name: str,
    file: FileContext | Vault,
    work: Callable[[Vault], T],
    on_success: Callable[[T], None],
    on_failure: Failure | None = None,
    *,
    progress: str | None = None,
) -> Job[T]:
    """`work(vault)` with a view of the open file that is the worker thread's own."""
    vault = file.vault if isinstance(file, FileContext) else file

    def with_own_engine(_job: Job[T]) -> T:
        own = vault.for_job()
        try:
            return work(own)
        finally:
            own.close()

    return _start(Job(parent, name, with_own_engine, on_success, on_failure, progress))


def steps_on_file(
    parent: QWidget | None,
    name: str,
    file: FileContext,
    steps: Sequence[Callable[[Vault], R]],
    on_success: Callable[[list[R]], None],
    *,
    progress: str,
) -> Job[list[R]]:
    """Several pieces of work in turn, counted in a progress dialog whose Cancel stops them.

    A step that finds nothing to do (`NotFound`, e.g. a pupil with no plan yet) is left out;
    the job's `skipped` counts them. Nothing is reported if the user cancelled.
    """
    vault = file.vault

    def all_steps(job: Job[list[R]]) -> list[R]:
        own = vault.for_job()
        results: list[R] = []
        try:
            for done, step in enumerate(steps, start=1):
                if job.cancelled.is_set():
                    break
                try:
                    results.append(step(own))
                except NotFound:
                    job.skipped += 1
                job.step(done)
        finally:
            own.close()
        return results

    def finished(results: list[R]) -> None:
        if not job.cancelled.is_set():
            on_success(results)

    job: Job[list[R]] = Job(parent, name, all_steps, finished, None, progress, len(steps))
    return _start(job)


def run_in_background(work: Callable[[], Any], on_success: Success, on_failure: Failure) -> None:
    """`run` without a parent or a name: for work that touches no open record file."""
    run(None, "the work in progress", work, on_success, on_failure)


# --- what is running ------------------------------------------------------------------------


def busy() -> bool:
    """Whether background work is still running (tests wait on this)."""
    return bool(_running)


def running() -> list[str]:
    """The names of the jobs running now, oldest first."""
    return [job.name for job in _running.values()]


def when_idle(callback: Callable[[], None], owner: QWidget | None = None) -> None:
    """Call `callback` on the GUI thread once no job is running: now, if none is; not at all
    if `owner` was deleted meanwhile."""
    if not _running:
        callback()
    else:
        _when_idle.append((owner, callback))
