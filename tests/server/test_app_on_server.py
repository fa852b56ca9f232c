"""The app on a school server: the real windows, driven as a member of staff would, against a
real PostgreSQL database with the demo school and staff logins."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from sendesk import codes, dates
from sendesk.errors import NotAllowed
from sendesk.server import admin
from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase
from sendesk.services import pupils
from sendesk.vault import Vault
from tests.server.conftest import STAFF_PASSWORD, PrivateServer
from tests.ui import conftest as gui
from tests.ui.conftest import MessageBoxes, wait_for_background
from ui import recent_servers
from ui.app import Controller
from ui.export_dialog import ExportDialog
from ui.main_window import ACTIONS, MainWindow
from ui.record.delivery_tab import DeliveryTab
from ui.server_dialog import ServerDialog
from ui.start_window import StartWindow

pytestmark = pytest.mark.slow

# The GUI tests' own fixtures (isolated settings, message boxes that answer themselves).
_settings = gui.isolated_settings
message_boxes = gui.message_boxes
_finishes = gui.background_work_finishes

EXPORT_PASSPHRASE = "a long passphrase for the exported copy"


def _count(test_server: PrivateServer, database: str, where: str = "") -> int:
    with test_server.psql(database) as conn:
        row = conn.execute(f"SELECT count(*) FROM pupil {where}").fetchone()
    assert row is not None
    return int(row[0])


def _add(address: ServerAddress, test_server: PrivateServer, login: str, role: str, *classes: str):
    admin.add_user(address, None, login, role, STAFF_PASSWORD, list(classes) or None)
    test_server.logins.append(login)


def _type(qtbot: QtBot, field: object, text: str) -> None:
    field.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)


def _connect_dialog(qtbot: QtBot, start: StartWindow) -> ServerDialog:
    qtbot.mouseClick(start.server_button, Qt.MouseButton.LeftButton)
    dialog = start.findChild(ServerDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def _fill(qtbot: QtBot, dialog: ServerDialog, address: ServerAddress, login: str) -> None:
    _type(qtbot, dialog.host, address.url.host or "")
    dialog.port.setValue(address.url.port or 5432)
    _type(qtbot, dialog.database, address.database)
    _type(qtbot, dialog.login, login)


def _connect(qtbot: QtBot, dialog: ServerDialog, password: str) -> None:
    _type(qtbot, dialog.password, password)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)


@pytest.fixture
def start(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> StartWindow:
    monkeypatch.delenv("PGPASSWORD", raising=False)  # only what is typed may log in
    window = StartWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def _open(qtbot: QtBot, start: StartWindow, address: ServerAddress, login: str) -> MainWindow:
    dialog = _connect_dialog(qtbot, start)
    _fill(qtbot, dialog, address, login)
    with qtbot.waitSignal(start.unlocked, timeout=20_000) as opened:
        _connect(qtbot, dialog, STAFF_PASSWORD)
    server = opened.args[0]
    assert isinstance(server, ServerDatabase)
    window = MainWindow(server)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def windows() -> Iterator[list[MainWindow]]:
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        if window.ctx.is_open:
            window.ctx.close()


def test_senco_connects_sees_the_register_locks_and_exports_an_encrypted_copy(
    qtbot: QtBot,
    start: StartWindow,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    tmp_path: Path,
    windows: list[MainWindow],
    message_boxes: MessageBoxes,
) -> None:
    _add(demo_server, test_server, "j.smith", "senco")
    dialog = _connect_dialog(qtbot, start)
    _fill(qtbot, dialog, demo_server, "j.smith")

    _connect(qtbot, dialog, "not the password at all")
    assert "wrong login or password" in dialog.problem.text()
    assert dialog.isVisible()

    with qtbot.waitSignal(start.unlocked, timeout=20_000) as opened:
        _connect(qtbot, dialog, STAFF_PASSWORD)
    server = opened.args[0]
    window = MainWindow(server)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()

    label = f"{demo_server.database} on 127.0.0.1:{demo_server.url.port} as j.smith"
    assert label in window.windowTitle()
    all_pupils = _count(test_server, demo_server.database)
    assert window.register.model.rowCount() == all_pupils
    window.named_actions["about"].trigger()
    assert f"School server: {label} (senco)" in message_boxes.shown[-1][1]

    # Remembered for next time, without the password anywhere in the settings.
    assert [a.login for a in recent_servers.load()] == ["j.smith"]
    settings = "".join(p.read_text() for p in (tmp_path / "settings").rglob("*") if p.is_file())
    assert demo_server.database in settings
    assert STAFF_PASSWORD not in settings

    # File-only actions give way to the export.
    for row in ACTIONS:
        action = window.named_actions[row.name]
        if row.file_only:
            assert not action.isVisible() and not action.isEnabled(), row.name
    export_action = window.named_actions["export_copy"]
    assert export_action.isVisible() and export_action.isEnabled()

    # Locking closes the connection and forgets the password; only the password brings it back.
    window.named_actions["lock"].trigger()  # File → Lock (Ctrl+L)
    qtbot.waitUntil(lambda: window.locked and not window.ctx.is_open, timeout=20_000)
    wait_for_background(qtbot)
    assert server.closed and server._password is None
    assert window.register.model.rowCount() == 0
    assert "password" in window.lock_screen.title.text()
    qtbot.keyClicks(window.lock_screen.passphrase, "wrong guess")
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    wait_for_background(qtbot)
    assert "Wrong password" in window.lock_screen.problem.text()
    assert window.locked
    _type(qtbot, window.lock_screen.passphrase, STAFF_PASSWORD)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    wait_for_background(qtbot)
    assert not window.locked
    assert window.register.model.rowCount() == all_pupils

    # Export an encrypted copy: the passphrase typed twice and checked by the rules.
    export_action.trigger()
    export = window.findChild(ExportDialog)
    assert export is not None and export.isVisible()
    dest = tmp_path / "server-copy.sendesk"
    _type(qtbot, export.dest.edit, str(dest))
    _type(qtbot, export.first, EXPORT_PASSPHRASE)
    _type(qtbot, export.second, EXPORT_PASSPHRASE + "!")
    qtbot.mouseClick(export.ok, Qt.MouseButton.LeftButton)
    assert "differ" in export.problem.text()
    _type(qtbot, export.first, "short")
    _type(qtbot, export.second, "short")
    qtbot.mouseClick(export.ok, Qt.MouseButton.LeftButton)
    assert export.problem.text() and not dest.exists()
    _type(qtbot, export.first, EXPORT_PASSPHRASE)
    _type(qtbot, export.second, EXPORT_PASSPHRASE)
    qtbot.mouseClick(export.ok, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    assert export.result() == ExportDialog.DialogCode.Accepted, export.problem.text()
    with Vault.open(dest, EXPORT_PASSPHRASE) as copy:
        assert len(pupils.list_register(copy.sessions, include_archived=True)) == all_pupils
    with test_server.psql(demo_server.database) as conn:
        row = conn.execute(
            "SELECT actor FROM audit_event WHERE action = 'server.exported'"
        ).fetchone()
    assert row is not None


def test_a_server_that_is_not_there_is_explained(
    qtbot: QtBot, start: StartWindow, demo_server: ServerAddress
) -> None:
    dialog = _connect_dialog(qtbot, start)
    _fill(qtbot, dialog, demo_server, "j.smith")
    dialog.port.setValue(1)  # nothing listens there
    _connect(qtbot, dialog, STAFF_PASSWORD)
    assert "No SENDesk server answered" in dialog.problem.text()
    assert recent_servers.load() == []


def test_a_teacher_sees_only_their_class_and_no_writing_actions(
    qtbot: QtBot,
    start: StartWindow,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    message_boxes: MessageBoxes,
    windows: list[MainWindow],
) -> None:
    with test_server.psql(demo_server.database) as conn:
        found = conn.execute(
            "SELECT class_name FROM pupil WHERE class_name IS NOT NULL "
            "GROUP BY class_name ORDER BY count(*) DESC, class_name LIMIT 1"
        ).fetchone()
    assert found is not None
    class_name = str(found[0])
    _add(demo_server, test_server, "t.teacher", "teacher", class_name)
    window = _open(qtbot, start, demo_server, "t.teacher")
    windows.append(window)

    in_class = _count(test_server, demo_server.database, f"WHERE class_name = '{class_name}'")
    assert 0 < in_class < _count(test_server, demo_server.database)
    assert window.register.model.rowCount() == in_class
    assert window.role == "teacher"
    assert window.read_only_banner.isVisibleTo(window)
    assert "Teacher" in window.read_only_banner.text()
    for row in ACTIONS:
        if row.writes:
            assert not window.named_actions[row.name].isEnabled(), row.name

    # Whatever reaches the database anyway is refused there, and told in a sentence.
    pupil_id = window.register.model.pupil_at(0).id
    window.register.select_pupil(pupil_id)
    profile = window.record.profile
    surname = {b.attr: b.widget for b in profile.bindings}["preferred_surname"]
    before = pupils.details(window.ctx.sessions, pupil_id).preferred_surname
    _type(qtbot, surname, "Okoro")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)
    shown = [text for _title, text in message_boxes.shown] + [profile.problems.text()]
    assert any(NotAllowed.MESSAGE in text for text in shown), shown
    assert pupils.details(window.ctx.sessions, pupil_id).preferred_surname == before


def test_an_old_server_is_explained_and_a_recent_one_is_offered_without_its_password(
    qtbot: QtBot,
    start: StartWindow,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    windows: list[MainWindow],
) -> None:
    _add(demo_server, test_server, "j.smith", "senco")
    window = _open(qtbot, start, demo_server, "j.smith")
    windows.append(window)
    server = window.ctx.records
    with qtbot.waitSignal(window.closed, timeout=20_000):
        window.named_actions["close"].trigger()
    assert server.closed and server._password is None  # type: ignore[union-attr]

    with test_server.psql(demo_server.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    dialog = _connect_dialog(qtbot, start)
    assert dialog.recent.currentText() == demo_server.with_login("j.smith").label()
    assert (dialog.host.text(), dialog.database.text(), dialog.login.text()) == (
        demo_server.url.host,
        demo_server.database,
        "j.smith",
    )
    assert dialog.password.text() == ""
    _connect(qtbot, dialog, STAFF_PASSWORD)
    assert "sendesk server upgrade" in dialog.problem.text()
    assert dialog.isVisible()


def _summary_as_shown(test_server: PrivateServer, database: str, login: str) -> list[list[str]]:
    """What the server's function returns to the leader, in the words the window should use."""
    with test_server.psql(database, login) as conn:
        rows = conn.execute("SELECT * FROM sendesk_register_summary()").fetchall()
    return [
        [
            codes.SEN_STATUS_LABELS[status],
            codes.need_label(need) or "No need recorded",
            codes.year_group_label(year) or "No year group",
            "fewer than 5" if pupils is None else str(pupils),
        ]
        for status, need, year, pupils in rows
    ]


def _cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


def _everything_shown(window: QWidget) -> str:
    """Every text the window and its children show, as one string."""
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        for name in ("text", "toolTip", "placeholderText", "accessibleName"):
            value = getattr(widget, name, None)
            if callable(value):
                texts.append(str(value()))
    for table in window.findChildren(QTableWidget):
        texts += [cell for row in _cells(table) for cell in row]
    return "\n".join(texts)


def _pupil_words(test_server: PrivateServer, database: str) -> set[str]:
    """Every pupil's names as a document would print them, and UPNs. Whole names, not single
    words: a surname such as Page or Young is also a word any document may hold."""
    with test_server.psql(database) as conn:
        rows = conn.execute(
            "SELECT legal_surname, legal_forename, preferred_surname, preferred_forename, upn "
            "FROM pupil"
        ).fetchall()
    found: set[str] = set()
    for surname, forename, preferred_surname, preferred_forename, upn in rows:
        for first in {forename, preferred_forename} - {None}:
            for last in {surname, preferred_surname} - {None}:
                found |= {f"{first} {last}", f"{last}, {first}"}
        if upn:
            found.add(str(upn))
    return found


def _named(text: str, words: set[str]) -> list[str]:
    """The pupils' names and UPNs that appear in `text` as whole words."""
    return sorted(w for w in words if re.search(rf"\b{re.escape(w)}\b", text))


def test_a_leader_connects_and_sees_only_the_anonymised_summary(
    qtbot: QtBot,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.leader_window import LeaderWindow

    _add(demo_server, test_server, "l.leader", "leader")
    monkeypatch.delenv("PGPASSWORD", raising=False)  # only what is typed may log in
    database = demo_server.database
    controller = Controller()
    qtbot.addWidget(controller.start)
    controller.show_start()
    dialog = _connect_dialog(qtbot, controller.start)
    _fill(qtbot, dialog, demo_server, "l.leader")
    _connect(qtbot, dialog, STAFF_PASSWORD)  # accepted: the dialog is gone
    window = controller.main
    assert isinstance(window, LeaderWindow)
    qtbot.addWidget(window)
    assert window.isVisible() and not controller.start.isVisible()
    wait_for_background(qtbot)  # the summary is asked for off the GUI thread

    # The counts are the server function's, suppressed groups included, with the school's name.
    expected = _summary_as_shown(test_server, database, "l.leader")
    assert _cells(window.table) == expected
    assert any(row[3] == "fewer than 5" for row in expected)
    assert any(row[3].isdigit() and int(row[3]) >= 5 for row in expected)
    with test_server.psql(database) as conn:
        school_row = conn.execute("SELECT school_name FROM meta").fetchone()
    assert school_row is not None
    assert window.school.text() == school_row[0]
    assert school_row[0] in window.windowTitle() and "as l.leader" in window.windowTitle()

    # No pupil's name or UPN anywhere in the window.
    shown = _everything_shown(window)
    pupil_words = _pupil_words(test_server, database)
    assert len(pupil_words) > 100
    assert _named(shown, pupil_words) == []

    # Refresh asks the server again.
    with test_server.psql(database) as conn:
        conn.execute(
            "UPDATE pupil SET archived_on = current_date WHERE id IN "
            "(SELECT id FROM pupil WHERE archived_on IS NULL ORDER BY id LIMIT 12)"
        )
    changed = _summary_as_shown(test_server, database, "l.leader")
    assert changed != expected
    qtbot.mouseClick(window.refresh_button, Qt.MouseButton.LeftButton)
    assert not window.refresh_button.isEnabled()  # asking: one question at a time
    wait_for_background(qtbot)
    assert _cells(window.table) == changed and window.refresh_button.isEnabled()

    # Saved as CSV and PDF through the documents service: written, audited as the leader.
    csv_file, pdf_file = tmp_path / "summary.csv", tmp_path / "summary.pdf"
    for target, button in ((csv_file, window.csv_button), (pdf_file, window.pdf_button)):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        wait_for_background(qtbot)
        assert window.status.text() == f"Saved {target.name}"
    saved = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    header = saved.index(["SEN status", "Primary need", "Year group", "Pupils"])
    assert saved[header + 1 :] == changed
    pdf_text = " ".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf_file.read_bytes())).pages
    )
    assert "fewer than 5" in pdf_text and school_row[0] in pdf_text
    for text in (csv_file.read_text(encoding="utf-8-sig"), pdf_text):
        assert _named(text, pupil_words) == []
    with test_server.psql(database) as conn:
        actors = conn.execute(
            "SELECT actor FROM audit_event WHERE action = 'document.exported' ORDER BY id"
        ).fetchall()
    assert actors == [("l.leader",), ("l.leader",)]

    # Locking clears the figures and closes the connection; the password brings them back.
    server = window.ctx.records
    qtbot.mouseClick(window.lock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.locked and not window.ctx.is_open, timeout=20_000)
    assert server.closed and window.table.rowCount() == 0
    assert window.stack.currentWidget() is window.lock_screen
    assert "password" in window.lock_screen.title.text()
    qtbot.keyClicks(window.lock_screen.passphrase, "wrong guess")
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    wait_for_background(qtbot)
    assert "Wrong password" in window.lock_screen.problem.text() and window.locked
    _type(qtbot, window.lock_screen.passphrase, STAFF_PASSWORD)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    wait_for_background(qtbot)
    assert not window.locked
    assert _cells(window.table) == changed

    # Left idle past the school's idle time, it locks itself the same way.
    server = window.ctx.records
    idle_for = window.idle.idle_seconds
    window.idle.clock = lambda: window.idle.last_activity + idle_for
    window.idle.check()
    qtbot.waitUntil(lambda: window.locked and not window.ctx.is_open, timeout=20_000)
    assert server.closed and window.table.rowCount() == 0

    # Close, here while locked: the start window comes back.
    with qtbot.waitSignal(window.closed, timeout=20_000):
        qtbot.mouseClick(window.close_button, Qt.MouseButton.LeftButton)
    assert not window.ctx.is_open
    qtbot.waitUntil(controller.start.isVisible, timeout=20_000)
    assert controller.main is None


def test_a_senco_adds_a_pupil_and_previews_the_register_on_the_server(
    qtbot: QtBot,
    start: StartWindow,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    windows: list[MainWindow],
) -> None:
    from PySide6.QtWidgets import QDialog

    from ui.new_pupil_dialog import NewPupilDialog

    _add(demo_server, test_server, "j.smith", "senco")
    window = _open(qtbot, start, demo_server, "j.smith")
    windows.append(window)
    before = window.register.model.rowCount()
    window.named_actions["new_pupil"].trigger()
    dialog = window.findChild(NewPupilDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.surname, "Okafor")
    qtbot.keyClicks(dialog.forename, "Chidi")
    qtbot.keyClicks(dialog.dob, "01/03/2017")
    dialog.year.set_code(4)
    dialog.status.set_code("K")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    if dialog.isVisible():  # a warning is shown once, then saving goes ahead
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.problems.text()
    assert window.register.model.rowCount() == before + 1
    with test_server.psql(demo_server.database) as conn:
        row = conn.execute(
            "SELECT a.actor FROM pupil p JOIN audit_event a ON a.pupil_uuid = p.uuid "
            "WHERE p.legal_surname = 'Okafor' ORDER BY a.id LIMIT 1"
        ).fetchone()
    assert row is not None and row[0] == "j.smith"

    preview = window.print_register()  # built off the GUI thread, on a connection of its own
    assert preview is not None
    qtbot.waitUntil(preview.isVisible, timeout=20_000)
    wait_for_background(qtbot)
    preview.close()


def test_an_assistant_sees_only_the_pupils_they_deliver_provision_to(
    qtbot: QtBot,
    start: StartWindow,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    windows: list[MainWindow],
) -> None:
    _add(demo_server, test_server, "a.assistant", "assistant")
    with test_server.psql(demo_server.database) as conn:
        conn.execute(
            "UPDATE provision SET staff_id = (SELECT id FROM staff WHERE login = 'a.assistant') "
            "WHERE id = (SELECT min(id) FROM provision)"
        )
        found = conn.execute(
            "SELECT c.pupil_id FROM provision v JOIN cycle c ON c.id = v.cycle_id "
            "WHERE v.staff_id IS NOT NULL"
        ).fetchone()
    assert found is not None
    window = _open(qtbot, start, demo_server, "a.assistant")
    windows.append(window)
    assert window.role == "assistant"
    assert window.register.model.rowCount() == 1
    assert window.register.model.pupil_at(0).id == found[0]
    for row in ACTIONS:
        if row.writes:
            assert not window.named_actions[row.name].isEnabled(), row.name


def test_an_assistant_records_a_past_week_of_the_provision_they_deliver(
    qtbot: QtBot,
    start: StartWindow,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    message_boxes: MessageBoxes,
    windows: list[MainWindow],
) -> None:
    _add(demo_server, test_server, "a.sessions", "assistant")
    with test_server.psql(demo_server.database) as conn:
        found = conn.execute(
            "SELECT c.pupil_id, array_agg(v.id ORDER BY v.id) FROM cycle c "
            "JOIN provision v ON v.cycle_id = c.id WHERE c.stage = 'do' "
            "GROUP BY c.pupil_id, c.id HAVING count(*) > 1 ORDER BY c.pupil_id LIMIT 1"
        ).fetchone()
        assert found is not None
        pupil_id, (theirs, other, *_) = found
        conn.execute(
            "UPDATE provision SET staff_id = (SELECT id FROM staff WHERE login = 'a.sessions') "
            "WHERE id = %s",
            (theirs,),
        )
    monday = dates.monday_of(dt.date.today()) - dt.timedelta(weeks=1)
    week = "SELECT held_on, attended FROM provision_session WHERE provision_id = %s "
    week += "AND held_on BETWEEN %s AND %s ORDER BY held_on"
    sunday = monday + dt.timedelta(days=6)

    def stored(provision: int) -> list[tuple[object, ...]]:
        with test_server.psql(demo_server.database) as conn:
            return conn.execute(week, (provision, monday, sunday)).fetchall()

    assert stored(theirs) == []
    others_before = stored(other)
    window = _open(qtbot, start, demo_server, "a.sessions")
    windows.append(window)
    window.register.select_pupil(pupil_id)
    tab = window.record.findChild(DeliveryTab)
    assert tab is not None and window.record.tabs.indexOf(tab) >= 0
    assert window.record.tabs.indexOf(window.record.cycles) < 0  # the cycle is not theirs to read
    window.record.tabs.setCurrentWidget(tab)
    _type(qtbot, tab.week, dates.show(monday))
    qtbot.keyClick(tab.week, Qt.Key.Key_Return)
    assert [row.shown.id for row in tab.weeks] == [theirs]  # the other provision is not shown
    row = tab.weeks[0]
    qtbot.waitUntil(row.held[0].isVisible)  # laid out once the event loop has run
    qtbot.mouseClick(row.held[0], Qt.MouseButton.LeftButton)  # Monday: held, attended
    qtbot.mouseClick(row.held[2], Qt.MouseButton.LeftButton)  # Wednesday: held...
    qtbot.mouseClick(row.attended[2], Qt.MouseButton.LeftButton)  # ...but the pupil was away
    with qtbot.waitSignal(tab.saved, timeout=20_000) as told:
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert told.args == [f"2 sessions recorded for the week of {dates.show(monday)}"]
    assert message_boxes.shown == [] and tab.problems.text() == ""
    assert stored(theirs) == [(monday, True), (monday + dt.timedelta(days=2), False)]
    assert stored(other) == others_before
    saved = tab.weeks[0]  # shown again as saved: a saved session is corrected, not removed
    qtbot.waitUntil(saved.held[0].isVisible)
    assert saved.held[0].isChecked() and not saved.held[0].isEnabled()


def test_a_teacher_adds_a_note_to_a_log_only_the_senco_reads(
    qtbot: QtBot,
    start: StartWindow,
    demo_server: ServerAddress,
    test_server: PrivateServer,
    message_boxes: MessageBoxes,
    windows: list[MainWindow],
) -> None:
    with test_server.psql(demo_server.database) as conn:
        found = conn.execute(
            "SELECT id, class_name FROM pupil WHERE class_name IS NOT NULL AND archived_on IS NULL "
            "ORDER BY id LIMIT 1"
        ).fetchone()
        assert found is not None
        pupil_id, class_name = int(found[0]), str(found[1])
        before = conn.execute("SELECT count(*) FROM note WHERE pupil_id = %s", (pupil_id,))
        notes_before = int(before.fetchone()[0])  # type: ignore[index]
    _add(demo_server, test_server, "t.notes", "teacher", class_name)
    window = _open(qtbot, start, demo_server, "t.notes")
    windows.append(window)
    window.register.select_pupil(pupil_id)
    tab = window.record.notes
    assert window.record.tabs.indexOf(tab) >= 0  # the tab is there, to add to
    window.record.tabs.setCurrentWidget(tab)
    assert tab.add_only_note.isVisible() and not tab.table.isVisible()  # the log is not shown
    assert tab.rows == []
    qtbot.keyClicks(tab.text, "Found the new seating plan helps him settle after lunch.")
    qtbot.keyClicks(tab.author, "T. Notes")
    with qtbot.waitSignal(tab.saved, timeout=20_000) as told:
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert told.args == ["Note added"]
    assert message_boxes.shown == [] and tab.problems.text() == ""
    assert tab.text.toPlainText() == ""  # ready for the next note
    with test_server.psql(demo_server.database) as conn:
        rows = conn.execute(
            "SELECT text, author FROM note WHERE pupil_id = %s ORDER BY id", (pupil_id,)
        ).fetchall()
    assert len(rows) == notes_before + 1
    assert rows[-1] == ("Found the new seating plan helps him settle after lunch.", "T. Notes")
