"""The pupil's data-protection screens: everything we hold (ZIP), transfer to another school and
the later removal, receiving a transferred pupil, and the retention review."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from sendesk.models import AuditEvent, Cycle, Pupil
from sendesk.services import pupils, transfer
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import MessageBoxes, wait_for_background
from ui.main_window import MainWindow
from ui.retention_dialog import RetentionDialog
from ui.subject_access import ProtectDialog
from ui.transfer_wizard import ReceiveDialog, TransferWizard

TRANSFER = "seventeen blue kites over Harrogate"


def select_busiest(window: MainWindow) -> int:
    with window.ctx.sessions() as session:
        pupil_id = int(
            session.execute(
                select(Cycle.pupil_id).group_by(Cycle.pupil_id).order_by(func.count().desc())
            )
            .scalars()
            .first()
        )
    window.register.select_pupil(pupil_id)
    assert window.record.pupil_id == pupil_id
    return pupil_id


def test_pupil_actions_need_a_chosen_pupil(
    main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    main_window.register.select_pupil(0)
    assert main_window.transfer_pupil() is None
    assert message_boxes.shown[-1][1] == "Choose a pupil in the register first."


def test_everything_we_hold_saves_the_zip(
    qtbot: QtBot,
    main_window: MainWindow,
    message_boxes: MessageBoxes,
    tmp_path: Path,
    monkeypatch: object,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    pupil_id = select_busiest(main_window)
    target = tmp_path / "sar"
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "ZIP (*.zip)")
    )
    main_window.named_actions["subject_access"].trigger()
    ask = main_window.findChild(ProtectDialog)
    assert ask is not None and ask.isVisible()
    qtbot.mouseClick(ask.ok, Qt.MouseButton.LeftButton)  # not locked this time
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: bool(message_boxes.shown))
    title, text = message_boxes.shown[-1]
    assert title == "Everything we hold on this pupil" and "NOT encrypted" in text
    with zipfile.ZipFile(target.with_suffix(".zip")) as archive:
        records = json.loads(archive.read("records.json"))
    assert records["tables"]["pupil"][0]["id"] == pupil_id


def run_transfer_wizard(qtbot: QtBot, window: MainWindow, dest: Path) -> TransferWizard:
    wizard = window.transfer_pupil()
    assert isinstance(wizard, TransferWizard)
    wizard.where.dest.edit.setText(str(dest))
    wizard.where.destination.setText("Hill School")
    wizard.where.left_on.setText("20/07/2026")
    wizard.next()
    wizard.secret.first.setText(PASSPHRASE)  # the file's own: refused
    wizard.secret.second.setText(PASSPHRASE)
    wizard.next()
    assert wizard.currentPage() is wizard.secret
    assert "different from this file's own" in wizard.secret.problem.text()
    wizard.secret.first.setText(TRANSFER)
    wizard.secret.second.setText(TRANSFER + "x")
    wizard.next()
    assert "differ" in wizard.secret.problem.text()
    wizard.secret.second.setText(TRANSFER)
    wizard.next()
    assert wizard.currentPage() is wizard.making
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.made is not None)
    return wizard


def test_transfer_then_confirm_received_removes_the_records(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes, tmp_path: Path
) -> None:
    pupil_id = select_busiest(main_window)
    with main_window.ctx.sessions() as session:
        uuid = session.get(Pupil, pupil_id).uuid  # type: ignore[union-attr]
    usb = tmp_path / "usb"
    usb.mkdir()
    wizard = run_transfer_wizard(qtbot, main_window, usb / "move")
    assert wizard.made is not None
    assert sorted(p.name for p in usb.iterdir()) == ["move-evidence-pack.pdf", "move.sendesk"]
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert "Transfer received: remove records" in wizard.making.status.text()
    assert wizard.secret.first.text() == ""
    wizard.accept()
    with main_window.ctx.sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None and pupil.archived_on is not None
        assert pupil.left_on == dt.date(2026, 7, 20)
        assert pupil.leaving_destination == "Hill School"

    message_boxes.answer = QMessageBox.StandardButton.No
    main_window.named_actions["transfer_done"].trigger()
    assert "Has the new school confirmed" in message_boxes.shown[-1][1]
    who = pupils.details(main_window.ctx.sessions, pupil_id)
    name = f"{who.preferred_forename or who.legal_forename} {who.legal_surname}"
    assert name in message_boxes.shown[-1][0]  # the irreversible step names the pupil
    assert f"every record of {name}" in message_boxes.shown[-1][1]
    assert transfer.pending(main_window.ctx.sessions, pupil_id) is not None

    message_boxes.answer = QMessageBox.StandardButton.Yes
    main_window.named_actions["transfer_done"].trigger()
    with main_window.ctx.sessions() as session:
        assert session.get(Pupil, pupil_id) is None
        actions = set(
            session.execute(select(AuditEvent.action).where(AuditEvent.pupil_uuid == uuid))
            .scalars()
            .all()
        )
    assert {transfer.MADE, transfer.REMOVED} <= actions
    assert main_window.record.pupil_id == 0
    assert main_window.register.model.row_of(pupil_id) is None


def test_confirm_received_without_a_transfer_removes_nothing(
    main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    pupil_id = select_busiest(main_window)
    main_window.named_actions["transfer_done"].trigger()
    assert "No transfer file was made" in message_boxes.shown[-1][1]
    with main_window.ctx.sessions() as session:
        assert session.get(Pupil, pupil_id) is not None


def test_a_failed_transfer_says_why_and_changes_nothing(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    pupil_id = select_busiest(main_window)
    (tmp_path / "taken.sendesk").write_bytes(b"someone else's")
    wizard = main_window.transfer_pupil()
    assert isinstance(wizard, TransferWizard)
    wizard.where.dest.edit.setText(str(tmp_path / "taken.sendesk"))
    wizard.next()
    wizard.secret.first.setText(TRANSFER)
    wizard.secret.second.setText(TRANSFER)
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: "already exists" in wizard.making.problem.text())
    assert wizard.made is None
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert transfer.pending(main_window.ctx.sessions, pupil_id) is None
    wizard.reject()


def test_receive_a_transferred_pupil(
    qtbot: QtBot,
    main_window: MainWindow,
    message_boxes: MessageBoxes,
    tmp_path: Path,
    empty_template: Path,
) -> None:
    pupil_id = select_busiest(main_window)
    made = transfer.make_transfer_file(
        main_window.ctx.vault, pupil_id, tmp_path / "in.sendesk", TRANSFER, evidence_pack=False
    )
    with main_window.ctx.sessions() as session:
        uuid = session.get(Pupil, pupil_id).uuid  # type: ignore[union-attr]
    other = tmp_path / "other" / "school.sendesk"
    other.parent.mkdir()
    shutil.copyfile(empty_template, other)
    window = MainWindow(Vault.open(other, PASSPHRASE))
    qtbot.addWidget(window)
    try:
        dialog = window.receive_pupil()
        assert isinstance(dialog, ReceiveDialog)
        dialog.source.edit.setText(str(made.path))
        dialog.secret.setText("not the transfer passphrase")
        dialog.ok.click()
        wait_for_background(qtbot)
        qtbot.waitUntil(lambda: "passphrase is wrong" in dialog.problem.text())
        assert dialog.received is None and dialog.ok.isEnabled()

        dialog.secret.setText(TRANSFER)
        dialog.ok.click()
        wait_for_background(qtbot)
        qtbot.waitUntil(lambda: dialog.received is not None)
        assert dialog.secret.text() == ""
        assert message_boxes.shown[-1][0] == "Pupil received"
        assert dialog.received is not None
        assert window.record.pupil_id == dialog.received.pupil_id
        with window.ctx.sessions() as session:
            assert session.execute(select(Pupil.uuid)).scalars().all() == [uuid]
            assert session.execute(select(func.count()).select_from(Cycle)).scalar_one() > 0

        again = window.receive_pupil()
        assert isinstance(again, ReceiveDialog)
        again.source.edit.setText(str(made.path))
        again.secret.setText(TRANSFER)
        again.ok.click()
        wait_for_background(qtbot)
        qtbot.waitUntil(lambda: "already in this file" in again.problem.text())
        again.reject()
    finally:
        window.ctx.close()


def archive_long_ago(window: MainWindow, count: int) -> list[int]:
    with window.ctx.vault.session() as session:
        ids = list(session.execute(select(Pupil.id).order_by(Pupil.id).limit(count)).scalars())
        session.execute(
            update(Pupil)
            .where(Pupil.id.in_(ids))
            .values(date_of_birth=dt.date(1980, 2, 29), archived_on=dt.date(1996, 7, 20))
        )
    return ids


def test_retention_review_deletes_only_ticked_pupils_after_a_confirmation(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    first, second = archive_long_ago(main_window, 2)
    dialog = main_window.retention_review()
    assert isinstance(dialog, RetentionDialog)
    assert dialog.table.rowCount() == 2
    assert "2 archived pupils are past" in dialog.intro.text()
    assert not dialog.delete_button.isEnabled()
    row = [d.pupil_id for d in dialog.due].index(second)
    dialog.set_ticked(row, True)
    assert dialog.delete_button.isEnabled()

    message_boxes.answer = QMessageBox.StandardButton.No
    dialog.delete_button.click()
    assert message_boxes.shown[-1][0] == "Delete records?"
    assert dialog.table.rowCount() == 2

    message_boxes.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(dialog.deleted):
        dialog.delete_button.click()
    assert [d.pupil_id for d in dialog.due] == [first]
    with main_window.ctx.sessions() as session:
        assert session.get(Pupil, second) is None
        assert session.get(Pupil, first) is not None
    dialog.reject()


def test_retention_review_with_nobody_due(main_window: MainWindow) -> None:
    dialog = RetentionDialog(main_window.ctx, main_window, today=dt.date(2026, 11, 23))
    assert dialog.table.rowCount() == 0
    assert "No archived pupil" in dialog.intro.text()
    assert not dialog.delete_button.isEnabled()
