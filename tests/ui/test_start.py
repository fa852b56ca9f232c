"""The start window: create a file through the wizard, unlock with a wrong then right passphrase."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from sendesk.services import documents, school
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE, SCHOOL
from tests.ui.conftest import MessageBoxes, wait_for_background
from tests.unit.test_documents import TODAY, planned_pupil
from ui import recent_files
from ui.start_window import StartWindow


def test_create_a_file_through_the_wizard(qtbot: QtBot, tmp_path: Path) -> None:
    start = StartWindow()
    qtbot.addWidget(start)
    start.show()
    assert start.empty.isVisible()
    qtbot.mouseClick(start.create_button, Qt.MouseButton.LeftButton)
    wizard = start.findChild(QWizard)
    assert wizard is not None and wizard.isVisible()
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    assert not next_button.isEnabled()  # the school's name is required
    qtbot.keyClicks(wizard.school_page.name, "L")  # typed: enables Next
    assert next_button.isEnabled()
    wizard.school_page.name.setText("Łąka Primary School")  # QTest types ASCII only
    qtbot.keyClicks(wizard.school_page.urn, "12345")
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.school_page  # a five-digit URN is refused
    wizard.school_page.urn.setText("123456")
    qtbot.keyClicks(wizard.school_page.senco, "Mrs A. Okafor")
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    page = wizard.location_page
    assert page.file_name.text() == "łąka-primary-school.sendesk"
    page.folder.setText(str(tmp_path / "records"))
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    secret = wizard.passphrase_page
    qtbot.keyClicks(secret.first, "short")
    assert "Too short" in secret.advice.text() and not next_button.isEnabled()
    secret.first.clear()
    qtbot.keyClicks(secret.first, PASSPHRASE)
    qtbot.keyClicks(secret.second, PASSPHRASE + "x")
    assert "differ" in secret.advice.text() and not next_button.isEnabled()
    secret.second.setText(PASSPHRASE)
    assert secret.meter.bar.value() >= 3 and next_button.isEnabled()
    assert secret.meter.level() in ("Strong", "Very strong")
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # the lost-passphrase warning must be acknowledged
    wizard.warning_page.understood.setChecked(True)
    with qtbot.waitSignal(start.unlocked, timeout=20_000) as opened:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    vault = opened.args[0]
    assert isinstance(vault, Vault)
    path = tmp_path / "records" / "łąka-primary-school.sendesk"
    assert vault.path == path
    details = school.load(vault.sessions)
    assert (details.name, details.urn) == ("Łąka Primary School", "123456")
    assert details.senco_name == "Mrs A. Okafor"
    # The printed plan names the SENCo, read back from the PDF as a reader would.
    plan = documents.support_plan_pdf(vault.sessions, planned_pupil(vault), today=TODAY)
    printed = tmp_path / "plan.pdf"
    printed.write_bytes(plan.data)
    shown = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, check=True)
    text = " ".join(shown.stdout.decode().split())
    assert "SENCo Mrs A. Okafor" in text and "Not recorded" not in text.split("SENCo")[1][:20]
    vault.close()
    assert recent_files.load() == [path.resolve()]
    with Vault.open(path, PASSPHRASE) as reopened:
        assert reopened.meta().school_name == "Łąka Primary School"


def test_escape_asks_before_throwing_away_what_was_typed(
    qtbot: QtBot, message_boxes: MessageBoxes
) -> None:
    start = StartWindow()
    qtbot.addWidget(start)
    start.show()
    wizard = start.create_file()
    qtbot.waitExposed(wizard)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not wizard.isVisible() and message_boxes.shown == []

    wizard = start.create_file()
    qtbot.waitExposed(wizard)
    qtbot.keyClicks(wizard.school_page.name, "Oakfield Primary")
    message_boxes.answer = QMessageBox.StandardButton.No
    qtbot.keyClick(wizard.school_page.name, Qt.Key.Key_Escape)
    assert [t for t, _ in message_boxes.shown] == ["Stop creating the file?"]
    assert wizard.isVisible() and wizard.school_page.name.text() == "Oakfield Primary"
    wizard.close()  # the window's close button asks too
    assert len(message_boxes.shown) == 2 and wizard.isVisible()
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert len(message_boxes.shown) == 3 and not wizard.isVisible()


def test_unlock_with_a_wrong_then_the_right_passphrase(qtbot: QtBot, record_file: Path) -> None:
    recent_files.remember(record_file)
    start = StartWindow()
    qtbot.addWidget(start)
    start.show()
    assert start.recent.count() == 1 and not start.empty.isVisible()
    dialog = start.unlock(record_file)
    qtbot.keyClicks(dialog.passphrase, "not the right passphrase")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: dialog.problem.isVisible())
    assert (
        dialog.problem.text() == "Please check: Wrong passphrase, or not a SENDesk file. Try again."
    )
    assert dialog.isVisible() and dialog.passphrase.isEnabled()

    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(start.unlocked, timeout=20_000) as opened:
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    vault = opened.args[0]
    assert vault.meta().school_name == SCHOOL
    assert dialog.passphrase.text() == ""  # not kept in the widget
    vault.close()


def test_a_missing_recent_file_is_explained_and_forgotten(
    qtbot: QtBot, tmp_path: Path, message_boxes: MessageBoxes
) -> None:
    gone = tmp_path / "moved.sendesk"
    recent_files.remember(gone)
    start = StartWindow()
    qtbot.addWidget(start)
    start._open_item(start.recent.item(0))
    assert "no longer there" in message_boxes.shown[-1][1]
    assert start.recent.count() == 0


def test_try_the_demo_school(qtbot: QtBot, message_boxes: MessageBoxes) -> None:
    start = StartWindow()
    qtbot.addWidget(start)
    with qtbot.waitSignal(start.unlocked, timeout=60_000) as opened:
        qtbot.mouseClick(start.demo_button, Qt.MouseButton.LeftButton)
    vault = opened.args[0]
    title, text = message_boxes.shown[-1]
    assert title == "The demo school" and "passphrase is" in text
    secret = text.split("passphrase is:\n\n")[1].split("\n")[0].strip()
    path = vault.path
    vault.close()
    with Vault.open(path, secret) as again:
        assert "(demo)" in again.meta().school_name


def test_the_start_window_loads_only_what_it_shows() -> None:
    """The start window paints before the storage and the main window's widgets are loaded:
    they load while the user picks a file (ui.warm_up), not before the first paint."""
    import os
    import sys

    code = "import sys, ui.app; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = set(done.stdout.split())
    assert "ui.start_window" in loaded  # the probe saw the start window's code load
    later = ("sqlalchemy", "reportlab", "sendesk.vault", "sendesk.filelock", "ui.widgets",
             "ui.main_window")  # fmt: skip
    assert [name for name in later if name in loaded] == []
