"""Background work: outcomes come back on the GUI thread, a job on the file has an engine of its
own, the garbage collector keeps running, and progress counts and cancels."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sendesk.errors import FileClosed, NotFound
from sendesk.models import Pupil
from sendesk.services import pupils
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_for_background
from ui import background
from ui.context import FileContext


@pytest.fixture
def ctx(demo_file: Path) -> Iterator[FileContext]:
    context = FileContext(Vault.open(demo_file, PASSPHRASE))
    yield context
    context.close()


def test_results_and_errors_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[str, str, bool]] = []
    gui = threading.current_thread()
    collector_on: list[bool] = []

    def in_worker() -> str:
        assert threading.current_thread() is not gui
        collector_on.append(gc.isenabled())
        return "done"

    def broken() -> None:
        raise ValueError("no")

    def on_gui() -> bool:
        return threading.current_thread() is gui

    parent = QWidget()
    qtbot.addWidget(parent)
    background.run(parent, "a query", in_worker, lambda r: seen.append(("ok", r, on_gui())))
    background.run(
        parent,
        "a broken query",
        broken,
        lambda r: seen.append(("ok", "?", False)),
        lambda e: seen.append(("failed", type(e).__name__, on_gui())),
    )
    assert background.busy()
    assert background.running() == ["a query", "a broken query"]
    wait_for_background(qtbot)
    assert sorted(seen) == [("failed", "ValueError", True), ("ok", "done", True)]
    assert collector_on == [True]  # the garbage collector is never paused


def test_a_job_on_the_file_has_an_engine_of_its_own_closed_after(
    qtbot: QtBot, ctx: FileContext
) -> None:
    given: list[Vault] = []

    def count(vault: Vault) -> int:
        given.append(vault)
        with vault.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Pupil)) or 0)

    results: list[int] = []
    background.on_file(None, "counting", ctx, count, results.append)
    wait_for_background(qtbot)
    assert results == [len(pupils.list_register(ctx.sessions, include_archived=True))]
    (own,) = given
    assert own is not ctx.vault and own.engine is not ctx.vault.engine
    with pytest.raises(FileClosed):  # closed once the job ended: it cannot be used again
        own.sessions().execute(select(1))


def test_the_gui_thread_collecting_garbage_while_jobs_query_is_safe(
    qtbot: QtBot, ctx: FileContext
) -> None:
    """Many jobs query while the GUI thread collects cycles: nothing crashes, every one answers."""
    jobs = 12
    answers: list[int] = []

    def query(vault: Vault) -> int:
        return len(pupils.list_register(vault.sessions, include_archived=True))

    for _ in range(jobs):
        background.on_file(None, "a query", ctx, query, answers.append)
    collections = 0
    while background.busy():
        gc.collect()
        collections += 1
        qtbot.wait(1)
    assert collections > 0
    assert len(answers) == jobs and len(set(answers)) == 1


def test_steps_count_progress_skip_what_is_missing_and_cancel(
    qtbot: QtBot, ctx: FileContext
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()

    def step(n: int) -> object:
        def run(vault: Vault) -> int:
            if n == 1:
                raise NotFound("nothing for this one")
            if n == 2:
                release.wait(20)
            return n

        return run

    got: list[list[int]] = []
    job = background.steps_on_file(
        parent, "plans", ctx, [step(n) for n in range(4)], got.append, progress="Preparing…"
    )
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None and dialog.maximum() == 4
    release.set()
    wait_for_background(qtbot)
    assert got == [[0, 2, 3]] and job.skipped == 1
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog) is None)  # freed once closed

    release.clear()
    got.clear()
    background.steps_on_file(
        parent, "plans", ctx, [step(n) for n in range(4)], got.append, progress="Preparing…"
    )
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    wait_for_background(qtbot)
    assert got == []  # cancelled: nothing reported


def test_the_callbacks_of_a_deleted_parent_are_dropped(qtbot: QtBot) -> None:
    parent = QWidget()
    release = threading.Event()
    seen: list[object] = []
    background.run(parent, "slow", lambda: release.wait(20), seen.append)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not _alive(parent))
    release.set()
    wait_for_background(qtbot)
    assert seen == []


def test_when_idle_waits_for_running_jobs(qtbot: QtBot) -> None:
    order: list[str] = []
    release = threading.Event()
    background.run(None, "slow", lambda: release.wait(20), lambda _r: order.append("job"))
    background.when_idle(lambda: order.append("idle"))
    assert order == []
    release.set()
    wait_for_background(qtbot)
    assert order == ["job", "idle"]
    background.when_idle(lambda: order.append("now"))
    assert order[-1] == "now"


def test_what_waits_for_idle_is_not_done_for_a_window_deleted_meanwhile(qtbot: QtBot) -> None:
    # A window closing waits for running jobs before its backup; deleted by then, the backup
    # would be started on a window that no longer exists.
    order: list[str] = []
    release = threading.Event()
    gone, kept = QWidget(), QWidget()
    qtbot.addWidget(kept)
    background.run(None, "slow", lambda: release.wait(20), lambda _r: order.append("job"))
    background.when_idle(lambda: order.append("gone"), gone)
    background.when_idle(lambda: order.append("kept"), kept)
    gone.deleteLater()
    qtbot.waitUntil(lambda: not _alive(gone))
    release.set()
    wait_for_background(qtbot)
    assert order == ["job", "kept"]


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_the_file_asked_for_on_a_worker_thread_is_that_threads_own(
    qtbot: QtBot, ctx: FileContext
) -> None:
    gui_engine = ctx.vault.engine
    seen: list[tuple[bool, int]] = []

    def query() -> tuple[bool, int]:  # reaches for ctx.sessions as older code does
        shared = ctx.vault.engine is gui_engine
        return shared, len(pupils.list_register(ctx.sessions, include_archived=True))

    background.run(None, "a query", query, seen.append)
    wait_for_background(qtbot)
    assert seen == [(False, len(pupils.list_register(ctx.sessions, include_archived=True)))]
    assert ctx.vault.engine is gui_engine  # the GUI thread keeps its own


def test_documents_are_built_and_backups_made_off_the_gui_thread(
    qtbot: QtBot, main_window: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk.services import documents, safekeeping
    from ui.main_window import MainWindow

    assert isinstance(main_window, MainWindow)
    gui = threading.current_thread()
    where: dict[str, bool] = {}
    real_register, real_backup = documents.register_pdf, safekeeping.backup_on_close

    def register_pdf(*args: object, **kwargs: object) -> object:
        where["register"] = threading.current_thread() is gui
        return real_register(*args, **kwargs)  # type: ignore[arg-type]

    def backup_on_close(vault: Vault) -> object:
        where["backup"] = threading.current_thread() is gui
        return real_backup(vault)

    monkeypatch.setattr(documents, "register_pdf", register_pdf)
    monkeypatch.setattr(safekeeping, "backup_on_close", backup_on_close)
    preview = main_window.print_register()
    assert preview is not None
    qtbot.waitUntil(preview.isVisible, timeout=20_000)
    preview.close()
    main_window.lock()
    qtbot.waitUntil(lambda: not main_window.ctx.is_open, timeout=20_000)
    assert where == {"register": False, "backup": False}
