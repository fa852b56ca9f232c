"""Locking: the idle timer or Ctrl+L hides every record at once and closes the file once running
work has finished; a locked app cannot write; unlocking returns to the same pupil with nothing
typed lost; closed previews are freed."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from sendesk.errors import FileClosed
from sendesk.services import notes, pupils
from sendesk.services.documents import Printable
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import MessageBoxes, wait_for_background
from ui import background
from ui.main_window import MainWindow
from ui.new_pupil_dialog import NewPupilDialog
from ui.unlock_dialog import UnlockDialog


def wait_until_closed(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.locked and not window.ctx.is_open, timeout=20_000)
    wait_for_background(qtbot)


def unlock(qtbot: QtBot, window: MainWindow, secret: str = PASSPHRASE) -> None:
    qtbot.waitUntil(window.lock_screen.passphrase.isEnabled, timeout=20_000)
    qtbot.keyClicks(window.lock_screen.passphrase, secret)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    wait_for_background(qtbot)


def test_idle_lock_then_unlock_keeps_the_pupil_and_unsaved_edits(
    qtbot: QtBot, demo_file: Path
) -> None:
    window = MainWindow(Vault.open(demo_file, PASSPHRASE), idle_check_ms=50)
    qtbot.addWidget(window)
    window.show()
    chosen = window.register.model.pupil_at(4).id
    window.register.select_pupil(chosen)
    strengths = next(b.widget for b in window.record.profile.bindings if b.attr == "strengths")
    strengths.setPlainText("Half-typed thought about maths")

    window.idle.idle_seconds = 0.2
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    assert window.stack.currentWidget() is window.lock_screen
    assert window.register.model.rowCount() == 0  # no pupil data on screen
    assert window.counts_label.text() == ""
    assert not window.menuBar().isEnabled()
    wait_until_closed(qtbot, window)
    assert "is closed" in window.lock_screen.title.text()

    window.idle.idle_seconds = 3600
    unlock(qtbot, window, "wrong passphrase entirely")
    qtbot.waitUntil(lambda: window.lock_screen.problem.isVisible())
    problem = window.lock_screen.problem
    # The unlock dialog's sentence, centred under the passphrase, read out by a screen reader.
    assert problem.text() == "Please check: Wrong passphrase, or not a SENDesk file. Try again."
    assert problem.alignment() & Qt.AlignmentFlag.AlignHCenter
    assert problem.text() in problem.accessibleName()
    box = problem.geometry()
    field = window.lock_screen.passphrase.geometry()
    assert abs(box.center().x() - field.center().x()) <= 1
    assert window.locked

    window.lock_screen.passphrase.clear()
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    assert window.stack.currentIndex() == 0
    assert window.record.pupil_id == chosen
    assert window.register.selected_id == chosen
    assert strengths.toPlainText() == "Half-typed thought about maths"
    assert window.record.profile.dirty
    window.record.profile.save()
    assert pupils.details(window.ctx.sessions, chosen).strengths == "Half-typed thought about maths"
    window.ctx.close()


def test_lock_from_the_menu_and_the_wall_clock(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.named_actions["lock"].trigger()
    assert main_window.locked
    wait_until_closed(qtbot, main_window)
    main_window.named_actions["lock"].trigger()  # locking twice is harmless
    assert main_window.locked
    box = main_window.lock_screen.passphrase
    assert box.width() >= 30 * box.fontMetrics().averageCharWidth()  # a passphrase is seen typed


def test_a_sleeping_laptop_locks_as_soon_as_it_wakes(qtbot: QtBot, main_window: MainWindow) -> None:
    now = [1000.0]
    watcher = main_window.idle
    watcher.clock = lambda: now[0]
    watcher.touch()
    watcher.idle_seconds = 300
    now[0] += 299
    watcher.check()
    assert not main_window.locked
    now[0] += 3600  # the lid was shut for an hour: one timer tick on waking is enough
    watcher.check()
    assert main_window.locked
    wait_until_closed(qtbot, main_window)


def test_a_locked_app_cannot_write(qtbot: QtBot, main_window: MainWindow) -> None:
    """A job started before Ctrl+L is waited for; after the lock nothing old can write."""
    window = main_window
    pupil_id = window.register.model.pupil_at(0).id
    sessions = window.ctx.sessions  # what a job or a widget captured before the lock
    session = sessions()
    session.execute(text("SELECT 1"))  # it holds a connection of the file's now
    release = threading.Event()
    written: list[int] = []

    def slow_note(vault: Vault) -> int:
        release.wait(20)
        return notes.add(vault.sessions, pupil_id, dt.date(2026, 1, 5), "other", "before lock")

    background.on_file(window, "saving a note", window.ctx, slow_note, written.append)
    qtbot.keyClick(window.register, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and window.register.model.rowCount() == 0  # hidden at once
    assert window.ctx.is_open  # but not cut off: the job is still running
    assert "saving a note" in window.lock_screen.title.text()
    assert not window.lock_screen.passphrase.isEnabled()
    release.set()
    wait_until_closed(qtbot, window)
    assert len(written) == 1  # the job finished, before the file closed

    with pytest.raises(FileClosed):
        notes.add(sessions, pupil_id, dt.date(2026, 1, 6), "other", "after lock")
    with pytest.raises(FileClosed):
        sessions().execute(text("SELECT 1"))
    with pytest.raises(DBAPIError, match="closed database"):  # its connection was closed
        session.execute(text("INSERT INTO app_setting (key, value) VALUES ('x', 'y')"))
    session.close()
    with pytest.raises(FileClosed):
        window.ctx.sessions  # noqa: B018 - the context has no vault while locked

    unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    texts = [n.text for n in notes.list_for(window.ctx.sessions, pupil_id)]
    assert "before lock" in texts and "after lock" not in texts


def new_pupil_typed(qtbot: QtBot, window: MainWindow, surname: str) -> NewPupilDialog:
    """The New pupil dialog, open, with `surname` typed in."""
    window.named_actions["new_pupil"].trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, NewPupilDialog))
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.surname, surname)
    return dialog


def test_ctrl_l_locks_while_a_dialog_is_open_and_brings_it_back(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    dialog = new_pupil_typed(qtbot, window, "Okafor")
    assert QApplication.activeModalWidget() is dialog  # the window's own shortcuts are blocked
    field = dialog.surname
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and not dialog.isVisible()
    wait_until_closed(qtbot, window)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    assert dialog.isVisible() and field.text() == "Okafor"
    dialog.reject()


def test_a_wizard_keeps_its_draft_when_ctrl_l_is_pressed_in_it(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    from sendesk.services import cycles
    from ui.wizards.assess_wizard import AssessWizard

    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Brontë", "Zoë"))
    window.load_register()
    window.register.select_pupil(saved.pupil_id)
    window.record.cycles.start_cycle()
    wizard = window.record.cycles.wizard
    assert isinstance(wizard, AssessWizard)
    qtbot.keyClicks(wizard.concern_page.concern, "Very anxious in the mornings")
    qtbot.keyClick(wizard.concern_page.concern, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and not wizard.isVisible()
    wait_until_closed(qtbot, window)
    with Vault.open(window.path, PASSPHRASE, read_only=True) as look:  # the draft is in the file
        _page, draft = cycles.load_draft(look.sessions, saved.pupil_id, "assess") or (0, {})
    assert draft["fields"]["concern"] == "Very anxious in the mornings"
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    assert wizard.isVisible()
    assert wizard.concern_page.concern.toPlainText() == "Very anxious in the mornings"
    wizard.reject()


def test_no_pupils_pdf_stays_in_memory_after_its_preview_closes(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    shown = main_window.print_register()
    wait_for_background(qtbot)
    assert shown is not None
    qtbot.waitUntil(shown.isVisible)
    assert shown.document is not None and _printables() == 1
    qtbot.mouseClick(shown.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(shown))  # the dialog itself was deleted
    shown = None
    gc.collect()
    assert _printables() == 0


def _printables() -> int:
    return sum(isinstance(o, Printable) for o in gc.get_objects())


def test_closing_the_window_backs_up_off_the_gui_thread(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    from sendesk import backup

    pupil_id = main_window.register.model.pupil_at(0).id
    notes.add(main_window.ctx.sessions, pupil_id, dt.date(2026, 1, 5), "other", "changed")
    with qtbot.waitSignal(main_window.closed, timeout=20_000):
        main_window.close()
        assert main_window.closing and background.running() == ["the automatic backup"]
    assert not main_window.ctx.is_open
    assert list(backup.backup_folder(main_window.path).glob("*on-close*"))


def unlock_dialog_tried(qtbot: QtBot, path: Path) -> UnlockDialog:
    """The unlock box for `path`, shown, the passphrase typed and Unlock clicked, its work done."""
    from ui.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    return dialog


def test_a_second_opener_is_told_who_has_the_file_and_offered_a_read_only_view(
    qtbot: QtBot, demo_file: Path, message_boxes: MessageBoxes
) -> None:
    from sendesk import filelock

    with holding_process(demo_file) as holder_pid:
        dialog = unlock_dialog_tried(qtbot, demo_file)
        wait_for_background(qtbot)  # the read-only opening, once the user said yes
        qtbot.waitUntil(lambda: dialog.vault is not None, timeout=20_000)
        (title, text), *_ = message_boxes.shown
        assert title == "Record file in use"
        assert f"open on {filelock.this_host()} by {filelock.this_user()} since" in text
        assert "read-only" in text
        vault = dialog.vault
        assert vault is not None and vault.read_only
        holder = filelock.holder_of(demo_file)
        assert holder is not None and holder.pid == holder_pid  # the holder keeps its lock

        window = MainWindow(vault)
        qtbot.addWidget(window)
        window.show()
        assert window.windowTitle().endswith("(read-only)")
        assert window.read_only_banner.isVisible()
        assert "open on" in window.read_only_banner.text()
        assert "nothing can be changed" in window.read_only_banner.text()
        assert window.register.model.rowCount() > 0  # everything can be read
        assert not window.named_actions["new_pupil"].isEnabled()
        assert not window.named_actions["import"].isEnabled()
        window.register.select_pupil(window.register.model.pupil_at(0).id)
        assert not window.named_actions["save"].isEnabled()
        assert window.named_actions["find"].isEnabled()
        window.ctx.close()


@contextlib.contextmanager
def holding_process(path: Path) -> Iterator[int]:
    """Another OS process with `path` open for writing, until the block ends."""
    script = (
        "import sys\nfrom pathlib import Path\nfrom sendesk.vault import Vault\n"
        "v = Vault.open(Path(sys.argv[1]), sys.argv[2])\nprint('ready', flush=True)\n"
        "sys.stdin.readline()\nv.close()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path), PASSPHRASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    with child.stdin, child.stdout:
        assert child.stdout.readline().strip() == "ready"
        try:
            yield child.pid
        finally:
            child.stdin.write("\n")
            child.stdin.flush()
    child.wait(timeout=60)


def test_quit_backs_up_and_closes_the_file_before_leaving(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk import backup, filelock

    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    pupil_id = main_window.register.model.pupil_at(0).id
    notes.add(main_window.ctx.sessions, pupil_id, dt.date(2026, 1, 5), "other", "changed")
    main_window.named_actions["quit"].trigger()
    qtbot.waitUntil(lambda: quits == [True], timeout=20_000)
    assert not main_window.ctx.is_open
    assert filelock.holder_of(main_window.path) is None  # nothing left beside the file
    assert list(backup.backup_folder(main_window.path).glob("*on-close*"))


def test_a_file_in_a_folder_nobody_may_change_is_offered_read_only(
    qtbot: QtBot, demo_file: Path, message_boxes: MessageBoxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from sendesk import filelock

    def refuse(lock: Path, content: bytes) -> bool:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(filelock, "_create", refuse)  # a read-only share, say
    dialog = unlock_dialog_tried(qtbot, demo_file)
    wait_for_background(qtbot)  # the read-only opening, once the user said yes
    qtbot.waitUntil(lambda: dialog.vault is not None, timeout=20_000)
    [(title, text)] = message_boxes.shown  # no offer to take anything over
    assert title == "Folder cannot be changed"
    assert "cannot write in the folder" in text and "Open it read-only?" in text
    assert dialog.vault is not None and dialog.vault.read_only
    dialog.vault.close()


def test_a_pdf_picked_by_mistake_is_said_to_be_a_pdf_not_a_wrong_passphrase(
    qtbot: QtBot, tmp_path: Path
) -> None:
    picked = tmp_path / "plan.sendesk"
    picked.write_bytes(b"%PDF-1.7\n" + b"x" * 5000)
    dialog = unlock_dialog_tried(qtbot, picked)
    qtbot.waitUntil(lambda: "PDF" in dialog.problem.text(), timeout=20_000)
    said = dialog.problem.text()
    assert "plan.sendesk is not a SENDesk record file: it is a PDF document." in said
    assert "passphrase" not in dialog.problem.text()


def test_locking_while_a_question_is_open_keeps_the_form_and_unlocks_cleanly(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    # The question box was hidden with the dialogs and shown again on unlock: it was gone by
    # then, the unlock failed half-way and the idle lock stayed off for the rest of the day.
    window = empty_window
    dialog = new_pupil_typed(qtbot, window, "Okafor")
    question = QMessageBox(
        QMessageBox.Icon.Question, "Unsaved changes", "Close without saving?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, dialog,
    )  # fmt: skip
    question.open()  # as the question a real Escape asks, in front of the form
    qtbot.waitUntil(question.isVisible)
    window.lock()
    assert window.locked and not dialog.isVisible() and not question.isVisible()
    assert question not in window.locking.hidden_dialogs
    wait_until_closed(qtbot, window)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    assert dialog.isVisible() and dialog.surname.text() == "Okafor"
    assert not question.isVisible()
    assert window.idle.active  # the idle lock is on again
    dialog.done(0)
