"""The trial's friction: register filters, the empty states, recent files, restore, removal of
a transferred pupil's records, and the splitter that remembers its place."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
import pyzipper
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sendesk import restore
from sendesk.services import handover, pupils
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE
from tests.ui.conftest import MessageBoxes, wait_for_background
from ui import recent_files
from ui.backup_dialogs import RestoreDialog
from ui.main_window import MainWindow
from ui.start_window import StartWindow


def shown_surnames(window: MainWindow) -> list[str]:
    return [row.surname for row in window.register.shown_rows()]


def test_counts_describe_the_filtered_list_and_clear_filters_restores_all(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    register = main_window.register
    everyone = main_window.counts_label.text()
    assert everyone.startswith("60 pupils")
    assert not register.clear_button.isEnabled()
    register.status.set_code("K")
    support = [r for r in register.model.all_rows() if r.sen_status == "K" and not r.archived]
    text = main_window.counts_label.text()
    assert text.startswith(f"Showing {len(support)} of 60 on roll")
    assert f"{len(support)} on SEN support" in text and "0 with EHC plans" in text
    qtbot.keyClicks(register.search, support[0].surname[:4])
    assert main_window.counts_label.text().startswith(f"Showing {register.model.rowCount()} of 60")
    assert register.clear_button.isEnabled()
    qtbot.mouseClick(register.clear_button, Qt.MouseButton.LeftButton)
    assert register.search.text() == "" and register.status.code() is None
    assert register.model.rowCount() == 60 and main_window.counts_label.text() == everyone
    assert not register.clear_button.isEnabled()


def test_the_counts_say_what_archived_pupils_add(qtbot: QtBot, main_window: MainWindow) -> None:
    row = main_window.register.model.pupil_at(0)
    pupils.archive(main_window.ctx.sessions, row.id, dt.date(2026, 7, 20))
    main_window.load_register()
    assert main_window.counts_label.text().startswith("59 pupils")
    assert main_window.counts_label.text().endswith("· 1 archived not counted")


def test_the_record_follows_the_filter(qtbot: QtBot, main_window: MainWindow) -> None:
    register = main_window.register
    shown = next(r for r in register.model.all_rows() if r.sen_status == "N")
    register.select_pupil(shown.id)
    assert main_window.record.pupil_id == shown.id
    register.status.set_code("E")  # the pupil shown is not on an EHC plan
    assert register.model.row_of(shown.id) is None
    assert main_window.record.pupil_id == 0 and main_window.record.empty.isVisible()


def test_a_new_files_register_mentions_import(empty_window: MainWindow) -> None:
    text = empty_window.register.empty.text()
    assert "Import pupils" in text and "New pupil" in text


def test_recent_files_mark_the_demo_and_keep_their_order(qtbot: QtBot, tmp_path: Path) -> None:
    demo_folder = tmp_path / f"{recent_files.DEMO_FOLDER_PREFIX}abc"
    demo_folder.mkdir()
    first, second, demo = tmp_path / "a.sendesk", tmp_path / "b.sendesk", demo_folder / "d.sendesk"
    for path in (first, second, demo):
        path.write_bytes(b"x")
        recent_files.remember(path)
    order = recent_files.load()
    recent_files.remember(first)  # opening a listed file again does not reshuffle the list
    assert recent_files.load() == order == [demo.resolve(), second.resolve(), first.resolve()]
    start = StartWindow()
    qtbot.addWidget(start)
    shown = [start.recent.item(i).text() for i in range(start.recent.count())]
    assert "demo school" in shown[0] and "made-up" in shown[0]
    assert "demo" not in shown[1] and str(tmp_path) in shown[1]


def test_the_start_window_mentions_import_when_empty(qtbot: QtBot) -> None:
    start = StartWindow()
    qtbot.addWidget(start)
    assert "import" in start.empty.text().lower()


def test_restore_lists_automatic_backups_and_offers_to_open_the_result(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    made = main_window.ctx.vault.automatic_backup("test")
    main_window.named_actions["restore_backup"].trigger()
    dialog = main_window.findChild(RestoreDialog)
    assert dialog is not None
    assert dialog.automatic.count() == 2
    assert made.name in dialog.automatic.itemText(1)
    dialog.automatic.setCurrentIndex(1)
    assert dialog.source.path() == made
    qtbot.keyClicks(dialog.secret, PASSPHRASE)
    target = main_window.path.with_name("restored-copy.sendesk")
    dialog.target.edit.setText(str(target))
    message_boxes.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(main_window.closed, timeout=20_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        wait_for_background(qtbot)
    assert "open the restored one now" in message_boxes.shown[-1][1]
    assert main_window.open_next == target
    Vault.open(target, PASSPHRASE).close()


def test_the_splitter_opens_where_it_was_left(qtbot: QtBot, main_window: MainWindow) -> None:
    splitter = main_window.splitter
    main_window.resize(1200, 700)
    qtbot.waitUntil(lambda: splitter.width() > 900)
    handle = splitter.handle(1)
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, start + QPoint(-150, 0))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(-150, 0))
    moved = splitter.sizes()
    assert abs(moved[0] - 560 * splitter.width() // 1280) > 50  # it did move
    with qtbot.waitSignal(main_window.closed, timeout=20_000):  # closing backs up first
        main_window.close()
    again = MainWindow(Vault.open(main_window.path, PASSPHRASE))
    qtbot.addWidget(again)
    try:
        again.show()
        again.resize(1200, 700)
        qtbot.waitUntil(lambda: again.splitter.width() > 900)
        assert abs(again.splitter.sizes()[0] - moved[0]) <= 2
    finally:
        again.ctx.close()


# --- the passphrase and the handover sheet --------------------------------------------------


def test_change_the_passphrase_in_the_app(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    from ui.passphrase_dialog import ChangePassphraseDialog

    main_window.named_actions["passphrase"].trigger()
    dialog = main_window.findChild(ChangePassphraseDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.current, "not the passphrase")
    qtbot.keyClicks(dialog.first, OTHER_PASSPHRASE)
    qtbot.keyClicks(dialog.second, OTHER_PASSPHRASE)
    assert dialog.meter.level() in ("Strong", "Very strong")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: "wrong" in dialog.problem.text())
    assert main_window.ctx.vault.check_passphrase(PASSPHRASE)  # nothing changed
    dialog.current.setText(PASSPHRASE)
    dialog.second.setText(OTHER_PASSPHRASE + "!")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.problem.text()
    dialog.second.setText(OTHER_PASSPHRASE)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: dialog.backup is not None)
    assert dialog.backup is not None
    restore.check_backup(dialog.backup, PASSPHRASE)  # the verified backup, under the old one
    assert main_window.ctx.vault.check_passphrase(OTHER_PASSPHRASE)
    assert main_window.register.model.rowCount() == 60  # the window goes on working
    main_window.ctx.close()
    Vault.open(main_window.path, OTHER_PASSPHRASE).close()


def test_the_handover_sheet_matches_the_app(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes, tmp_path: Path
) -> None:
    row = main_window.register.model.pupil_at(0)
    pupils.archive(main_window.ctx.sessions, row.id, dt.date(2026, 7, 20))
    main_window.load_register()
    made = handover.prepare(main_window.ctx.vault, tmp_path / "handover.sendesk", OTHER_PASSPHRASE)
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(handover.sheet(made))).pages
    )
    text = " ".join(text.split())
    assert "File → Change passphrase…" in text and "Open another file…" in text
    assert main_window.named_actions["passphrase"].text().replace("&", "") == "Change passphrase…"
    assert main_window.counts_label.text().startswith("59 pupils")
    assert "Pupils on the register 59" in text and "Archived pupils 1 more" in text
    main_window.about()
    assert f"File id: {made.file_id}" in message_boxes.shown[-1][1]
    assert made.file_id in text


# --- passwords on exported copies -----------------------------------------------------------


def test_the_subject_access_zip_can_be_locked_with_a_password(
    qtbot: QtBot,
    main_window: MainWindow,
    message_boxes: MessageBoxes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from ui.subject_access import ProtectDialog

    asked: list[str] = []
    target = tmp_path / "sar.zip"

    def choose(*_args: object, **_kwargs: object) -> tuple[str, str]:
        asked.append("file")
        return str(target), "ZIP (*.zip)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    row = main_window.register.model.pupil_at(0)
    main_window.register.select_pupil(row.id)
    main_window.named_actions["subject_access"].trigger()
    dialog = main_window.findChild(ProtectDialog)
    assert dialog is not None
    qtbot.mouseClick(dialog.protect, Qt.MouseButton.LeftButton, pos=QPoint(6, 6))
    qtbot.keyClicks(dialog.pair.first, "short")
    qtbot.keyClicks(dialog.pair.second, "short")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "at least 6 characters" in dialog.problem.text() and not asked
    dialog.pair.first.setText("zebra crossing 42")
    dialog.pair.second.setText("zebra crossing 43")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.problem.text() and not asked
    dialog.pair.second.setText("zebra crossing 42")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert asked == ["file"]
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: bool(message_boxes.shown))
    assert "locked with the password" in message_boxes.shown[-1][1]
    # Encrypted: nothing can be read without the password.
    with zipfile.ZipFile(target) as plain, pytest.raises(RuntimeError):
        plain.read("records.json")
    with pyzipper.AESZipFile(target) as locked:
        locked.setpassword(b"zebra crossing 42")
        assert json.loads(locked.read("records.json"))["tables"]["pupil"][0]["id"] == row.id


def test_a_pdf_password_is_checked_before_the_file_dialog(
    qtbot: QtBot,
    main_window: MainWindow,
    message_boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (asked.append("file"), ("", ""))[1]
    )
    preview = main_window.print_register()
    assert preview is not None
    wait_for_background(qtbot)  # the register is laid out off the GUI thread
    preview.protect.setChecked(True)
    qtbot.keyClicks(preview.password, "abc")
    qtbot.keyClicks(preview.password_again, "abc")
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert "at least 6 characters" in message_boxes.shown[-1][1] and not asked
    preview.password.setText("abcdefgh")
    preview.password_again.setText("abcdefgX")
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert "differ" in message_boxes.shown[-1][1] and not asked
    preview.password_again.setText("abcdefgh")
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["file"]
    preview.close()


def test_the_unlock_dialog_grows_to_show_its_progress(qtbot: QtBot, record_file: Path) -> None:
    from ui.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(record_file)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(dialog.width(), dialog.sizeHint().height())  # just fits what it shows
    qtbot.waitUntil(lambda: dialog.height() == dialog.sizeHint().height())
    before = dialog.height()
    dialog._busy(True)  # what unlocking shows while it works
    qtbot.waitUntil(lambda: dialog.sizeHint().height() > before)
    # It grows to show the progress bar whole, instead of hiding it under a scroll bar.
    qtbot.waitUntil(lambda: dialog.height() >= dialog.sizeHint().height())


def test_the_restored_file_opens_next_through_the_start_window(
    qtbot: QtBot, record_file: Path, tmp_path: Path
) -> None:
    from ui.app import Controller
    from ui.unlock_dialog import UnlockDialog

    restored = tmp_path / "restored.sendesk"
    restored.write_bytes(record_file.read_bytes())
    controller = Controller()
    qtbot.addWidget(controller.start)
    controller.open_main(Vault.open(record_file, PASSPHRASE))
    main = controller.main
    assert main is not None
    main.open_next = restored  # what "open the restored one now" sets
    with qtbot.waitSignal(main.closed):
        main.close()
    dialog = controller.start.findChild(UnlockDialog)
    assert dialog is not None and dialog.isVisible() and dialog.path == restored
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.show_box, Qt.MouseButton.LeftButton, pos=QPoint(6, 6))
    assert dialog.passphrase.echoMode() == dialog.passphrase.EchoMode.Normal
    dialog.reject()
