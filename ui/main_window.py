"""The main window: the register beside the selected pupil's record, menus, and locking.

Every menu item and toolbar button is one row of `ACTIONS`: add a row to add an action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sendesk import APP_NAME, __version__, filelock
from sendesk.errors import FileClosed, SendeskError, ValidationFailed
from sendesk.register import describe_shown
from sendesk.services import pupils, safekeeping, school
from sendesk.wording import plural
from ui import background, errors
from ui.analytics import menu as analytics_menu
from ui.archive_dialog import ArchiveDialog
from ui.context import FileContext, OpenRecords
from ui.idle import IdleWatcher
from ui.lock_controller import LOCK_KEY, LockController
from ui.lock_screen import LockScreen
from ui.new_pupil_dialog import NewPupilDialog
from ui.record.base import RecordTab
from ui.record.record_view import RecordView
from ui.register_model import READING
from ui.register_panel import RegisterPanel
from ui.settings_dialog import SettingsDialog
from ui.widgets import LiveLabel, remember_splitter

if TYPE_CHECKING:
    from ui.calendar_view import CalendarView

SAVED_MESSAGE_MS = 4_000
Shortcut = QKeySequence | QKeySequence.StandardKey | None


@dataclass(frozen=True)
class ActionRow:
    """One action: where it appears, what it does, and when it can be used."""

    name: str  # its key in `MainWindow.named_actions`
    menu: str  # "&File", or a submenu as "&File/&Documents to print"
    text: str
    slot: Callable[[MainWindow], object]
    shortcut: Shortcut = None
    tip: str = ""
    needs_pupil: bool = False  # enabled only while a pupil is shown
    writes: bool = False  # disabled when the file is open read-only, or the role may not write
    file_only: bool = False  # hidden on a server: it is about the record file itself
    server_only: bool = False  # shown only on a server
    separator_before: bool = False


FIRST_SCREEN_ROWS = 100  # more rows than a screen shows at once, even a tall one
PARTLY_READ = "Only the first pupils are shown: the register could not be read in full"


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, vault: OpenRecords, idle_check_ms: int = 5_000) -> None:
        super().__init__()
        self.ctx = FileContext(vault)
        self.path = self.ctx.path
        self.read_only = vault.read_only
        # On a server the login's role decides; the database refuses the rest anyway.
        self.role = vault.role() if self.ctx.is_server else None  # type: ignore[union-attr]
        self.may_write = not self.read_only and self.role in (None, "senco")
        self.calendar_view: CalendarView | None = None  # made when first shown
        self.closing = False  # the backup on closing is running
        self.may_close = False  # the backup on closing is done
        self.quit_after_closing = False
        self.open_next: Path | None = None  # a file to open once this one has closed
        self.setWindowTitle(self.title(vault.meta().school_name))
        self.resize(1280, 780)

        self.register = RegisterPanel()
        self.record = RecordView(self.ctx)
        if self.role not in (None, "senco"):
            from ui.server_roles import fit_record_to_role

            fit_record_to_role(self.record, self.role or "")
        self.register.can_leave = self.record.settle
        self.register.pupil_selected.connect(self._pupil_selected)
        self.register.filter_changed.connect(self._show_counts)
        self.record.saved.connect(self.flash)
        self.record.records_changed.connect(self.load_register)
        splitter = QSplitter()
        splitter.addWidget(self.register)
        splitter.addWidget(self.record)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([560, 720])
        splitter.setChildrenCollapsible(False)
        remember_splitter(splitter, "register_record")
        self.splitter = splitter
        self.lock_screen = LockScreen()
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.lock_screen)
        self.read_only_banner = QLabel()
        self.read_only_banner.setAccessibleName("Read-only")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet("background: #fff3cd; color: #4d3800; padding: 6px;")
        self.read_only_banner.setVisible(not self.may_write)
        if self.read_only:
            self.read_only_banner.setText(self.read_only_sentence())
        elif not self.may_write:
            self.read_only_banner.setText(role_sentence(self.role))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # Not permanent widgets: a message ("✓ Saved") hides them while it shows, instead of
        # being squeezed to its first letter beside them on a narrow screen.
        self.due_label = LiveLabel("Reviews due", wrap=False)
        bar = self.statusBar()
        bar.addWidget(QWidget(), 1)  # keeps them at the right-hand end
        bar.addWidget(self.due_label)
        line = QFrame()  # keeps "what is due" apart from the register's counts
        line.setFrameShape(QFrame.Shape.VLine)
        bar.addWidget(line)
        self.counts_label = LiveLabel("Register counts", wrap=False)
        bar.addWidget(self.counts_label)
        self.menus: dict[str, QMenu] = {}
        self.named_actions: dict[str, QAction] = {}
        self.toolbar = self.addToolBar("Main")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for row in ACTIONS:
            self._add_action(row)
        for name in TOOLBAR:
            self.toolbar.addAction(self.named_actions[name])
        self._pupil_actions_enabled(False)

        minutes = school.load(self.ctx.sessions).idle_lock_minutes
        self.idle = IdleWatcher(self.lock, minutes * 60, idle_check_ms)
        self.locking = LockController(
            self, self.ctx, self.lock_screen, self.idle, self.hide_records, self.show_records
        )
        if self.ctx.is_server:
            self.lock_screen.use_password()
        QApplication.instance().installEventFilter(self.idle)  # type: ignore[union-attr]
        QApplication.instance().installEventFilter(self.locking)  # type: ignore[union-attr]
        self._load_first_screen()
        # What the first paint does not need waits until it is done: the rest of the register,
        # the record's tabs (no pupil is chosen yet) and the status bar's "what is due" (a query
        # over every meeting).
        self.first_painted = False
        self.register.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            not self.first_painted
            and event.type() == QEvent.Type.Paint
            and watched is self.register.table.viewport()
        ):
            self.first_painted = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._after_first_paint)
        return False

    def _after_first_paint(self) -> None:
        try:
            if not self.register.model.complete and self.ctx.is_open:  # a lock reads it afresh
                self.load_register()
        except Exception as exc:  # a busy file, a server gone: said, never "Reading…" for good
            self.counts_label.setText(PARTLY_READ)
            errors.explain(self, exc)
        finally:
            self.record.build_tabs()
            if not self.locked:
                self.show_due_summary()

    def title(self, school_name: str) -> str:
        suffix = " (read-only)" if self.read_only else ""
        where = f" — {self.ctx.label()}" if self.ctx.is_server else ""
        return f"{APP_NAME} — {school_name}{where}{suffix}"

    def read_only_sentence(self) -> str:
        holder = filelock.holder_of(self.path)
        who = f": it is {holder.sentence()}" if holder else ""
        return f"Read-only{who}. You can read everything here; nothing can be changed."

    # --- actions ----------------------------------------------------------------------------

    def _menu(self, path: str) -> QMenu:
        """The menu at "&File" or "&File/&Documents to print", made on first use."""
        if path not in self.menus:
            parent, _, name = path.rpartition("/")
            owner = self._menu(parent) if parent else self.menuBar()
            self.menus[path] = owner.addMenu(name)
        return self.menus[path]

    def _add_action(self, row: ActionRow) -> None:
        action = QAction(row.text, self)
        if row.shortcut is not None:
            action.setShortcut(row.shortcut)
        action.setStatusTip(row.tip or row.text.replace("&", "").rstrip("…"))
        action.triggered.connect(lambda _checked=False, slot=row.slot: slot(self))
        if row.writes and not self.may_write:
            action.setEnabled(False)
        if (row.file_only and self.ctx.is_server) or (row.server_only and not self.ctx.is_server):
            action.setVisible(False)
            action.setEnabled(False)
        menu = self._menu(row.menu)
        if row.separator_before:
            menu.addSeparator()
        menu.addAction(action)
        self.named_actions[row.name] = action

    def _pupil_actions_enabled(self, enabled: bool) -> None:
        for row in ACTIONS:
            if row.needs_pupil:
                self.named_actions[row.name].setEnabled(
                    enabled
                    and not (row.writes and not self.may_write)
                    and not (row.file_only and self.ctx.is_server)
                )

    @property
    def documents_menu(self) -> QMenu:
        return self.menus["&File/&Documents to print"]

    # --- the register and the record --------------------------------------------------------

    def load_register(self) -> None:
        rows = pupils.list_register(self.ctx.sessions, include_archived=True)
        self.register.model.set_rows(rows, dt.date.today())
        self.register.apply_filter()

    def _load_first_screen(self) -> None:
        """The register's first rows in name order (its default order and filter), so that it
        is painted at once; the whole register is read as soon as it is (`_after_first_paint`).
        At 20,000 pupils reading them all takes several times as long as reading these."""
        rows = pupils.list_register(self.ctx.sessions, first=FIRST_SCREEN_ROWS)
        self.register.model.set_rows(rows, dt.date.today(), complete=False)
        self.register.apply_filter()

    def _show_counts(self) -> None:
        """The status bar counts describe the list as filtered (once it is all read)."""
        if not self.register.model.complete:
            self.counts_label.setText(READING)
            return
        chosen = self.register.current_filter()
        narrowed = bool(chosen.text.strip()) or chosen.filters_fields
        self.counts_label.setText(
            describe_shown(self.register.shown_rows(), self.register.model.all_rows(), narrowed)
        )

    def _pupil_selected(self, pupil_id: int) -> None:
        self.record.show_pupil(pupil_id)
        self._pupil_actions_enabled(bool(pupil_id))

    def flash(self, message: str) -> None:
        self.statusBar().showMessage(f"✓ {message}", SAVED_MESSAGE_MS)

    def focus_search(self) -> None:
        self.register.search.setFocus()
        self.register.search.selectAll()

    def save_current(self) -> None:
        tab = self.record.tabs.currentWidget()
        if isinstance(tab, RecordTab):
            tab.save()

    def new_pupil(self) -> None:
        if self.locked or not self.record.settle():
            return
        dialog = NewPupilDialog(self.ctx, self)

        def added() -> None:
            if dialog.saved is not None:
                self.load_register()
                self.register.select_pupil(dialog.saved.pupil_id)
                self.flash("Pupil added")

        dialog.accepted.connect(added)
        dialog.open()

    def archive_pupil(self) -> None:
        pupil_id = self.record.pupil_id
        if not pupil_id or not self.record.settle():
            return
        details = pupils.details(self.ctx.sessions, pupil_id)
        name = details.known_as
        dialog = ArchiveDialog(self.ctx, pupil_id, name, self)

        def archived() -> None:
            self.load_register()
            self.record.show_pupil(pupil_id)
            self.flash(f"{name} archived")

        dialog.accepted.connect(archived)
        dialog.open()

    def restore_pupil(self) -> None:
        pupil_id = self.record.pupil_id
        if not pupil_id:
            return
        try:
            pupils.restore(self.ctx.sessions, pupil_id)
        except SendeskError as exc:
            errors.explain(self, exc)
            return
        else:
            self.load_register()
            self.register.select_pupil(pupil_id)
            self.flash("Pupil restored to the register")

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.ctx, self)

        def saved() -> None:
            settings = school.load(self.ctx.sessions)
            self.idle.idle_seconds = settings.idle_lock_minutes * 60
            self.setWindowTitle(self.title(settings.name))
            self.flash("Settings saved")

        dialog.accepted.connect(saved)
        dialog.open()

    def change_passphrase(self) -> QWidget | None:
        from ui.passphrase_dialog import ChangePassphraseDialog  # loaded when first used

        if self.locked:
            return None
        dialog = ChangePassphraseDialog(self.ctx, self)
        dialog.accepted.connect(
            lambda: self.flash(f"Passphrase changed; the backup made first is {dialog.backup}")
        )
        dialog.open()
        return dialog

    def about(self) -> None:
        revision = self.ctx.vault.schema_revision() if self.ctx.is_open else "(locked)"
        if self.ctx.is_server:
            role = f" ({self.role})" if self.role else ""
            where = f"School server: {self.ctx.label()}{role}"
            how = (
                "Records are kept on the school's PostgreSQL server; what each login may see "
                "and change is enforced by the server itself."
            )
        else:
            file_id = self.ctx.vault.meta().file_id if self.ctx.is_open else "(locked)"
            where = f"Record file: {self.path}\nFile id: {file_id}"
            how = (
                "Records are encrypted with SQLCipher (AES-256). Without the passphrase they "
                "cannot be read by anyone."
            )
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\n{where}\nSchema revision: {revision}\n\n{how}",
        )

    # --- locking ------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.locking.locked

    def lock(self) -> None:
        """Hide every record, then close the file; typed but unsaved edits stay in memory only."""
        self.locking.lock()

    def hide_records(self) -> None:
        self.register.model.set_rows([])
        self.counts_label.clear()
        self.due_label.clear()
        self.menuBar().setEnabled(False)
        self.toolbar.setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)

    def show_records(self) -> None:
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        self.load_register()
        self.register.select_pupil(self.record.pupil_id, notify=False)
        self.record.reload()
        self.stack.setCurrentIndex(0)
        self.show_due_summary()

    # --- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.may_close:
            event.accept()
            return
        event.ignore()
        if self.closing:
            return  # the backup on closing is still running
        if self.locked and (self.record.dirty or self.locking.hidden_dialogs):
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "There are changes or open windows that were not saved before SENDesk locked. "
                "Unlock to save them, or close and lose them?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        elif not self.locked and not self.record.settle():
            return
        self.closing = True
        self.idle.active = False
        self.idle.timer.stop()
        if self.ctx.is_open and not self.read_only and not self.ctx.is_server:
            self.setEnabled(False)  # nothing more is typed while the backup runs
            background.when_idle(self.backup_on_close, self)
        else:
            self._finish_closing()

    def backup_on_close(self) -> None:
        """The automatic backup when the file changed, off the GUI thread; closing goes on even
        if it fails."""
        if not self.ctx.is_open:
            self._finish_closing()
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FileClosed):  # closed meanwhile: nothing is left to back up
                self._finish_closing()
                return
            message = exc.message if isinstance(exc, SendeskError) else str(exc)
            QMessageBox.warning(
                self, "Backup not made", f"The automatic backup on closing failed: {message}"
            )
            self._finish_closing()

        background.on_file(
            self,
            "the automatic backup",
            self.ctx,
            safekeeping.backup_on_close,
            lambda _saved: self._finish_closing(),
            failed,
            progress="Making the automatic backup…",
        )

    def _finish_closing(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.removeEventFilter(self.idle)
        app.removeEventFilter(self.locking)
        self.ctx.close()
        self.may_close = True
        self.close()
        if self.quit_after_closing:
            QTimer.singleShot(0, QApplication.quit)
        else:
            QTimer.singleShot(0, self, self.closed.emit)  # not after the window is gone

    def quit(self) -> None:
        """Close the file as Close does (with its backup), then leave SENDesk."""
        self.quit_after_closing = True
        self.close()
        if not (self.closing or self.may_close):
            self.quit_after_closing = False  # the user chose to stay

    def import_pupils(self) -> None:
        from ui.import_wizard import ImportWizard  # loaded when first used

        if self.locked or not self.record.settle():
            return
        wizard = ImportWizard(self.ctx, self)
        wizard.finished.connect(lambda _result: self.load_register())
        wizard.open()

    # --- the review calendar ------------------------------------------------------------------

    def show_calendar(self) -> None:
        from ui.calendar_view import CalendarView  # loaded when first used

        if self.locked:
            return
        view = self.calendar_view
        if view is None:
            view = self.calendar_view = CalendarView(self.ctx, self)
            view.meetings_changed.connect(self._meetings_changed)
            view.review_held.connect(self._review_held)
            view.saved.connect(self.flash)
            view.current_pupil = lambda: self.record.pupil_id
        view.pupil_id = self.record.pupil_id
        view.show()  # a dialog shown again comes to the front
        view.reload()
        view.activateWindow()

    def _meetings_changed(self) -> None:
        self.load_register()
        self.record.reload()
        self.show_due_summary()

    def _review_held(self, pupil_id: int, meeting_id: int) -> None:
        """A SEN support review was held: open that pupil's Review wizard."""
        from sendesk.services import cycles

        if not self.record.settle():
            return
        self.register.select_pupil(pupil_id)
        self.record.tabs.setCurrentWidget(self.record.cycles)
        cycle_id = cycles.open_cycle_id(self.ctx.sessions, pupil_id)
        try:
            if cycle_id is None:
                raise ValidationFailed(
                    {"cycle": "This pupil has no open cycle to review; start one from Cycles."}
                )
            cycles.begin_review(self.ctx.sessions, cycle_id)
        except SendeskError as exc:
            errors.explain(self, exc)
            return
        self.record.cycles.show_pupil(pupil_id)
        self.record.cycles.continue_cycle()

    def print_week_schedule(self) -> None:
        from ui.calendar_view import save_week_schedule

        if self.locked:
            return
        view = self.calendar_view
        day = view.selected_day if view is not None else dt.date.today()
        save_week_schedule(self, self.ctx, day, self.flash)

    def show_due_summary(self) -> None:
        """What is due, in the status bar: "3 reviews still to come this week, 2 overdue"."""
        from sendesk.services import meetings

        label = self.due_label
        label.setText(
            meetings.due_summary(self.ctx.sessions).sentence() if self.ctx.is_open else ""
        )

    # --- backups and handover -----------------------------------------------------------------

    def back_up(self) -> None:
        from ui.backup_dialogs import BackupDialog  # loaded when first used

        if self.locked:
            return
        dialog = BackupDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self.flash(f"Backup made and verified: {dialog.saved}"))
        dialog.open()

    def restore_backup(self) -> None:
        from ui.backup_dialogs import RestoreDialog  # loaded when first used

        if self.locked:
            return
        dialog = RestoreDialog(self.ctx, self)

        def restored() -> None:
            answer = QMessageBox.question(
                self,
                "Restored",
                f"{dialog.summary()}\n\nClose this file and open the restored one now?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes and dialog.done_ is not None:
                self.open_next = dialog.done_.path  # the start window asks its passphrase
                self.close()

        dialog.accepted.connect(restored)
        dialog.open()

    def export_copy(self) -> QWidget | None:
        """On a server: an encrypted record file of the whole database (its backup and handover)."""
        from ui.export_dialog import ExportDialog  # loaded when first used

        if self.locked or not self.ctx.is_server:
            return None
        dialog = ExportDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self.flash(f"Encrypted copy saved: {dialog.saved}"))
        dialog.open()
        return dialog

    def prepare_handover(self) -> None:
        from ui.handover_wizard import HandoverWizard  # loaded when first used

        if self.locked:
            return
        HandoverWizard(self.ctx, self).open()

    # --- documents to print -------------------------------------------------------------------

    def print_register(self) -> QWidget | None:
        from ui.document_preview import preview_register  # ReportLab loads when first used

        return None if self.locked else preview_register(self.ctx, self, self.flash)

    def census_check(self) -> QWidget | None:
        from ui.document_preview import preview_census

        return None if self.locked else preview_census(self.ctx, self, self.flash)

    def letter_of_concern(self) -> QWidget | None:
        """The parents' letter template, with the selected pupil's name filled in if any."""
        from ui.document_preview import preview_letter

        if self.locked:
            return None
        return preview_letter(self.ctx, self, self.record.pupil_id or None, self.flash)

    def print_week_plans(self, weeks_ahead: int = 0) -> object:
        from ui.document_preview import print_week_plans

        if self.locked:
            return None
        today = dt.date.today()
        day = today + dt.timedelta(weeks=weeks_ahead)
        return print_week_plans(self.ctx, self, day, self.flash, today)

    def print_next_week_plans(self) -> object:
        """The SENCo's main job: the plans for next week's meetings, prepared ahead."""
        return self.print_week_plans(1)

    def print_chosen_week_plans(self) -> object:
        """Any week's plans: a day of that week is typed or picked from the calendar."""
        from ui import document_preview
        from ui.week_dialog import WeekDialog

        if self.locked:
            return None
        today = dt.date.today()
        dialog = WeekDialog(today, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(
            lambda day: document_preview.print_week_plans(self.ctx, self, day, self.flash, today)
        )
        dialog.open()
        return dialog

    # --- subject access, pupil transfer and the retention review ------------------------------

    def _chosen_pupil(self) -> int:
        """The pupil shown in the record, with its edits settled; 0 when there is none."""
        if self.locked:
            return 0
        if not self.record.pupil_id:
            QMessageBox.information(self, APP_NAME, "Choose a pupil in the register first.")
            return 0
        return self.record.pupil_id if self.record.settle() else 0

    def subject_access(self) -> None:
        from ui.subject_access import save_subject_access  # loaded when first used

        if pupil_id := self._chosen_pupil():
            save_subject_access(self, self.ctx, pupil_id)

    def transfer_pupil(self) -> QWidget | None:
        from ui.transfer_wizard import TransferWizard  # loaded when first used

        pupil_id = self._chosen_pupil()
        if not pupil_id:
            return None
        wizard = TransferWizard(self.ctx, pupil_id, self)

        def finished(_result: int) -> None:
            if wizard.made is not None:
                self.load_register()
                self.record.show_pupil(pupil_id)
                self.flash("Transfer file made; the pupil is archived as transferred")

        wizard.finished.connect(finished)
        wizard.open()
        return wizard

    def transfer_received(self) -> None:
        from ui.transfer_wizard import confirm_received

        pupil_id = self._chosen_pupil()
        if pupil_id and confirm_received(self, self.ctx, pupil_id):
            self.register.select_pupil(0)
            self.record.show_pupil(0)
            self.load_register()
            self.flash("The transferred pupil's records were removed")

    def receive_pupil(self) -> QWidget | None:
        from ui.transfer_wizard import ReceiveDialog

        if self.locked or not self.record.settle():
            return None
        dialog = ReceiveDialog(self.ctx, self)

        def received() -> None:
            assert dialog.received is not None
            self.load_register()
            self.register.select_pupil(dialog.received.pupil_id)
            QMessageBox.information(self, "Pupil received", dialog.summary())

        dialog.accepted.connect(received)
        dialog.open()
        return dialog

    def retention_review(self) -> QWidget | None:
        from ui.retention_dialog import RetentionDialog

        if self.locked or not self.record.settle():
            return None
        dialog = RetentionDialog(self.ctx, self)

        def deleted(count: int) -> None:
            self.register.select_pupil(0)
            self.record.show_pupil(0)
            self.load_register()
            self.flash(f"Records of {plural(count, 'pupil')} deleted after the retention review")

        dialog.deleted.connect(deleted)
        dialog.open()
        return dialog


# --- every action, in menu order ------------------------------------------------------------
# A menu appears when its first row does; a row's `slot` gets the window.

Std = QKeySequence.StandardKey
FILE, DOCUMENTS, PUPIL = "&File", "&File/&Documents to print", "&Pupil"

ACTIONS: tuple[ActionRow, ...] = (
    ActionRow("import", FILE, "&Import pupils…", MainWindow.import_pupils,
              tip="Import pupils from a MIS CSV or CTF file", writes=True),
    ActionRow("save", FILE, "&Save", MainWindow.save_current, Std.Save,
              "Save this tab's changes", needs_pupil=True, writes=True),
    ActionRow("settings", FILE, "Se&ttings…", MainWindow.open_settings, Std.Preferences,
              writes=True),
    ActionRow("lock", FILE, "&Lock", MainWindow.lock, LOCK_KEY, "Lock now"),
    ActionRow("print_week", FILE, "Print &week's schedule…", MainWindow.print_week_schedule,
              writes=True, separator_before=True),
    ActionRow("backup", FILE, "&Back up…", MainWindow.back_up, tip="Make a verified backup",
              writes=True, file_only=True),
    ActionRow("export_copy", FILE, "E&xport an encrypted copy…", MainWindow.export_copy,
              tip="Make a verified encrypted record file of the whole server database",
              writes=True, server_only=True),
    ActionRow("passphrase", FILE, "Change &passphrase…", MainWindow.change_passphrase,
              tip="Choose a new passphrase", writes=True, file_only=True),
    ActionRow("restore_backup", FILE, "Restore from a bac&kup…", MainWindow.restore_backup,
              writes=True, file_only=True),
    ActionRow("handover", FILE, "Prepare &handover…", MainWindow.prepare_handover, writes=True,
              file_only=True),
    ActionRow("print_register", DOCUMENTS, "Print SEN &register…", MainWindow.print_register,
              writes=True),
    ActionRow("census", DOCUMENTS, "&Census check…", MainWindow.census_check, writes=True),
    ActionRow("week_plans", DOCUMENTS, "Print plans for this week's &meetings…",
              MainWindow.print_week_plans, writes=True),
    ActionRow("next_week_plans", DOCUMENTS, "Print plans for &next week's meetings…",
              MainWindow.print_next_week_plans, writes=True),
    ActionRow("chosen_week_plans", DOCUMENTS, "Print plans for a c&hosen week's meetings…",
              MainWindow.print_chosen_week_plans, writes=True),
    ActionRow("letter", DOCUMENTS, "&Letter of concern…", MainWindow.letter_of_concern,
              writes=True),
    ActionRow("receive", FILE, "Recei&ve a transferred pupil…", MainWindow.receive_pupil,
              writes=True, file_only=True),
    ActionRow("retention", FILE, "&Retention review…", MainWindow.retention_review,
              writes=True),
    ActionRow("close", FILE, "&Close file", MainWindow.close, Std.Close),
    ActionRow("quit", FILE, "&Quit", MainWindow.quit, Std.Quit),
    ActionRow("new_pupil", PUPIL, "&New pupil…", MainWindow.new_pupil, Std.New, "Add a pupil",
              writes=True),
    ActionRow("find", PUPIL, "&Find pupil", MainWindow.focus_search, Std.Find,
              "Search the register"),
    ActionRow("archive", PUPIL, "&Archive pupil…", MainWindow.archive_pupil, needs_pupil=True,
              writes=True),
    ActionRow("restore", PUPIL, "&Restore archived pupil", MainWindow.restore_pupil,
              needs_pupil=True, writes=True),
    ActionRow("subject_access", PUPIL, "&Everything we hold on this pupil…",
              MainWindow.subject_access, needs_pupil=True, writes=True),
    ActionRow("transfer", PUPIL, "&Transfer to another school…", MainWindow.transfer_pupil,
              needs_pupil=True, writes=True, file_only=True),
    ActionRow("transfer_done", PUPIL, "Transfer recei&ved: remove records…",
              MainWindow.transfer_received, needs_pupil=True, writes=True, file_only=True),
    ActionRow("calendar", "&View", "&Calendar", MainWindow.show_calendar, QKeySequence("Ctrl+K"),
              "The review meetings calendar"),
    ActionRow("school_analytics", "&View", "Whole-school &analytics…", analytics_menu.show_school,
              separator_before=True),
    ActionRow("pupil_analytics", "&View", "Pupil &progress and trace…", analytics_menu.show_pupil,
              needs_pupil=True),
    ActionRow("measures", "&View", "Assessment &measures and SEN budget…",
              analytics_menu.show_measures, writes=True),
    ActionRow("about", "&Help", "&About SENDesk", MainWindow.about),
)  # fmt: skip

TOOLBAR = ("new_pupil", "save", "lock", "settings")


def role_sentence(role: str | None) -> str:
    """The banner for a server login that may not change everything."""
    from sendesk import codes

    what = codes.ACCESS_ROLES.get(role or "", "a login with no SENDesk role")
    return (
        f"Signed in as {what}. "
        "Actions your role cannot use are switched off; the server refuses them anyway."
    )
