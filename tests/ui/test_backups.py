"""File → Back up…, Restore…, Prepare handover…, the backup on closing, and a damaged file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from sendesk import backup, restore
from sendesk.services import audit
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE
from tests.ui.conftest import MessageBoxes, wait_for_background
from ui.backup_dialogs import BackupDialog, RestoreDialog
from ui.handover_wizard import HandoverWizard
from ui.main_window import MainWindow
from ui.unlock_dialog import UnlockDialog


def close(qtbot: QtBot, window: MainWindow) -> None:
    """Closing backs up off the GUI thread; the window goes once that is done."""
    with qtbot.waitSignal(window.closed, timeout=20_000):
        window.close()


def test_closing_after_a_change_makes_a_verified_backup(qtbot: QtBot, record_file: Path) -> None:
    # Each window is kept until the test ends: a closed window that Python collects before its
    # queued `closed` signal fires would make Qt report "Signal source has been deleted".
    windows = []
    window = MainWindow(Vault.open(record_file, PASSPHRASE))
    windows.append(window)
    qtbot.addWidget(window)
    close(qtbot, window)
    [first] = backup.automatic_backups(record_file)  # never backed up before: one now
    restore.check_backup(first, PASSPHRASE)

    window = MainWindow(Vault.open(record_file, PASSPHRASE))
    windows.append(window)
    qtbot.addWidget(window)
    close(qtbot, window)
    assert backup.automatic_backups(record_file) == [first]  # nothing changed: no backup

    window = MainWindow(Vault.open(record_file, PASSPHRASE))
    windows.append(window)
    qtbot.addWidget(window)
    with window.ctx.vault.session() as session:
        audit.record(session, "test.change", "A change")
    close(qtbot, window)
    assert len(backup.automatic_backups(record_file)) == 2


def test_back_up_from_the_menu(qtbot: QtBot, main_window: MainWindow, tmp_path: Path) -> None:
    main_window.named_actions["backup"].trigger()
    dialog = main_window.findChild(BackupDialog)
    assert isinstance(dialog, BackupDialog)
    dest = tmp_path / "stick" / "copy.sendesk"
    dest.parent.mkdir()
    dialog.dest.edit.setText(str(dest))
    dialog.own.setChecked(True)
    dialog.first.setText(OTHER_PASSPHRASE)
    dialog.second.setText(OTHER_PASSPHRASE + "x")
    dialog.ok.click()
    assert "differ" in dialog.problem.text()
    dialog.second.setText(OTHER_PASSPHRASE)
    dialog.ok.click()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: dialog.saved is not None)
    restore.check_backup(dest, OTHER_PASSPHRASE)


def test_restore_asks_before_replacing_and_keeps_the_old_file(
    qtbot: QtBot, main_window: MainWindow, record_file: Path, message_boxes: MessageBoxes
) -> None:
    saved = main_window.ctx.vault.backup_to(record_file.with_name("b.sendesk"))
    original = record_file.read_bytes()
    dialog = RestoreDialog(main_window.ctx, main_window)
    qtbot.addWidget(dialog)
    dialog.source.edit.setText(str(saved))
    dialog.secret.setText(PASSPHRASE)
    dialog.target.edit.setText(str(record_file))

    message_boxes.answer = QMessageBox.StandardButton.No
    dialog.ok.click()
    assert message_boxes.shown[-1][0] == "Replace the file?"
    assert record_file.read_bytes() == original and dialog.done_ is None

    message_boxes.answer = QMessageBox.StandardButton.Yes
    dialog.ok.click()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: dialog.done_ is not None)
    assert dialog.done_ is not None and dialog.done_.replaced_copy is not None
    assert dialog.done_.replaced_copy.read_bytes() == original
    assert "kept at" in dialog.summary()


def test_restore_refuses_the_open_file(qtbot: QtBot, main_window: MainWindow) -> None:
    saved = main_window.ctx.vault.backup_to(main_window.path.with_name("b.sendesk"))
    dialog = RestoreDialog(main_window.ctx, main_window)
    qtbot.addWidget(dialog)
    dialog.source.edit.setText(str(saved))
    dialog.secret.setText(PASSPHRASE)
    dialog.target.edit.setText(str(main_window.path))
    dialog.ok.click()
    assert "open now" in dialog.problem.text()


def test_handover_wizard(qtbot: QtBot, main_window: MainWindow, tmp_path: Path) -> None:
    wizard = HandoverWizard(main_window.ctx, main_window)
    qtbot.addWidget(wizard)
    wizard.show()
    dest = tmp_path / "handover.sendesk"
    wizard.where.dest.edit.setText(str(dest))
    wizard.next()
    wizard.secret.first.setText(PASSPHRASE)
    wizard.secret.second.setText(PASSPHRASE)
    wizard.next()
    assert "different from this file's own" in wizard.secret.problem.text()
    wizard.secret.first.setText(OTHER_PASSPHRASE)
    wizard.secret.second.setText(OTHER_PASSPHRASE)
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.result_ is not None)
    assert wizard.making.isComplete()
    # Finished: the only way on is Close, not Cancel (the handover is made and cannot be undone).
    assert wizard.button(QWizard.WizardButton.FinishButton).text().replace("&", "") == "Close"
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    restore.check_backup(dest, OTHER_PASSPHRASE)
    sheet = tmp_path / "sheet.pdf"
    wizard.save_sheet(sheet)
    pdf = sheet.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert OTHER_PASSPHRASE.encode() not in pdf and PASSPHRASE.encode() not in pdf
    assert main_window.ctx.vault.meta().file_id.encode() in pdf
    actions = [e.action for e in audit.recent(main_window.ctx.sessions, limit=5)]
    assert actions[0] == "handover.sheet"  # every file written out is audited


@pytest.mark.parametrize("damage", ["page one", "truncated", "torn"])
def test_a_damaged_file_offers_the_newest_good_backup(
    qtbot: QtBot, demo_file: Path, message_boxes: MessageBoxes, damage: str
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault:
        good = vault.automatic_backup("test")
    data = bytearray(demo_file.read_bytes())
    if damage == "page one":
        data[900] ^= 0xFF
    elif damage == "truncated":
        del data[4096 * 3 :]
    else:
        del data[-1000:]
    demo_file.write_bytes(data)
    dialog = UnlockDialog(demo_file, None)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.unlock()
    qtbot.waitUntil(lambda: dialog.vault is not None, timeout=20_000)
    wait_for_background(qtbot)
    assert "Wrong passphrase" not in dialog.problem.text()
    assert any(title == "Damaged record file" for title, _ in message_boxes.shown)
    assert good.name in message_boxes.shown[0][1]
    assert dialog.vault is not None
    assert dialog.vault.path != demo_file and "recovered" in dialog.vault.path.name
    assert demo_file.read_bytes() == bytes(data)  # never repaired in place
    dialog.vault.close()


def test_damage_the_unlock_cannot_see_is_reported_by_the_check_that_follows(
    qtbot: QtBot, demo_file: Path, message_boxes: MessageBoxes
) -> None:
    data = bytearray(demo_file.read_bytes())
    data[len(data) - 4096 + 900] ^= 0xFF  # damage in the last page, which unlocking never reads
    demo_file.write_bytes(data)
    dialog = UnlockDialog(demo_file, None)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.unlock()
    qtbot.waitUntil(lambda: dialog.vault is not None, timeout=20_000)
    wait_for_background(qtbot)
    [(title, text)] = message_boxes.shown
    assert title == "Damaged record file" and "found damage" in text
    assert dialog.vault is not None
    dialog.vault.close()


def test_a_sound_file_unlocks_without_a_word(
    qtbot: QtBot, demo_file: Path, message_boxes: MessageBoxes
) -> None:
    dialog = UnlockDialog(demo_file, None)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.unlock()
    qtbot.waitUntil(lambda: dialog.vault is not None, timeout=20_000)
    wait_for_background(qtbot)
    assert message_boxes.shown == []
    assert dialog.vault is not None
    dialog.vault.close()


def test_a_backup_by_hand_asks_where_and_a_second_one_never_meets_the_first_s_name(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The trial's weekly routine: Back up, then Back up again, each time to the name offered.
    from PySide6.QtWidgets import QFileDialog

    offered: list[str] = []

    def pick(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        offered.append(start)
        return start, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick)
    for _ in range(2):
        main_window.named_actions["backup"].trigger()
        dialog = main_window.findChild(BackupDialog)
        assert isinstance(dialog, BackupDialog)
        assert dialog.dest.edit.text() == ""  # chosen, not assumed: a stick or another drive
        assert "USB stick" in dialog.dest.edit.placeholderText()
        dialog.dest.browse.click()
        dialog.ok.click()
        wait_for_background(qtbot)
        qtbot.waitUntil(lambda d=dialog: d.saved is not None)
        restore.check_backup(Path(offered[-1]), PASSPHRASE)
        dialog.close()
        dialog.deleteLater()
        qtbot.waitUntil(lambda: main_window.findChild(BackupDialog) is None)
    assert len(set(offered)) == 2 and all("-backup-" in name for name in offered)


def test_the_handover_copy_is_put_where_the_user_chooses(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    wizard = HandoverWizard(main_window.ctx, main_window)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.where.dest.edit.text() == ""  # the stick is chosen, never the home folder
    assert not wizard.where.isComplete()
    assert "--" not in wizard.where.dest.start.name


def test_the_place_to_save_says_its_hint_whole(qtbot: QtBot, tmp_path: Path) -> None:
    """From the GUI trial: 'Browse… to a USB s…' at 150 %."""
    from PySide6.QtWidgets import QWidget

    from ui.backup_dialogs import PathField

    parent = QWidget()
    qtbot.addWidget(parent)
    hint = "Browse… to a USB stick or another drive"
    field = PathField("Backup file", parent, save=True, start=tmp_path, placeholder=hint)
    parent.show()
    qtbot.waitExposed(parent)
    assert field.edit.width() > field.edit.fontMetrics().horizontalAdvance(hint)
