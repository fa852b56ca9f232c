"""The main window: the register beside the selected pupil's record, menus, and locking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from sendesk import APP_NAME, __version__
from sendesk.errors import CannotUnlock, SendeskError, ValidationFailed
from sendesk.register import counts
from sendesk.services import pupils, school
from sendesk.vault import Vault
from ui import errors
from ui.analytics import menu as analytics_menu
from ui.archive_dialog import ArchiveDialog
from ui.background import run_in_background
from ui.context import FileContext
from ui.idle import IdleWatcher
from ui.lock_screen import LockScreen
from ui.new_pupil_dialog import NewPupilDialog
from ui.record.record_view import RecordView
from ui.register_panel import RegisterPanel
from ui.settings_dialog import SettingsDialog

SAVED_MESSAGE_MS = 4_000


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, vault: Vault, idle_check_ms: int = 5_000) -> None:
        super().__init__()
        self.ctx = FileContext(vault)
        self.path = vault.path
        self.locked = False
        self._hidden_dialogs: list[QWidget] = []
        self.setWindowTitle(f"{APP_NAME} — {vault.meta().school_name}")
        self.resize(1280, 780)

        self.register = RegisterPanel()
        self.record = RecordView(self.ctx)
        self.register.can_leave = self.record.settle
        self.register.pupil_selected.connect(self._pupil_selected)
        self.record.saved.connect(self.flash)
        self.record.records_changed.connect(self.load_register)
        splitter = QSplitter()
        splitter.addWidget(self.register)
        splitter.addWidget(self.record)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([560, 720])
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)

        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Register counts")
        self.statusBar().addPermanentWidget(self.counts_label)
        self._build_actions()

        minutes = school.load(self.ctx.sessions).idle_lock_minutes
        self.idle = IdleWatcher(self.lock, minutes * 60, idle_check_ms)
        QApplication.instance().installEventFilter(self.idle)  # type: ignore[union-attr]
        self.load_register()
        self.show_due_summary()

    # --- actions ----------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.setStatusTip(tip or text.replace("&", "").rstrip("…"))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_pupil_action = self._action(
            "&New pupil…", self.new_pupil, QKeySequence.StandardKey.New, "Add a pupil"
        )
        self.save_action = self._action(
            "&Save", self.save_current, QKeySequence.StandardKey.Save, "Save this tab's changes"
        )
        self.archive_action = self._action("&Archive pupil…", self.archive_pupil)
        self.restore_action = self._action("&Restore archived pupil", self.restore_pupil)
        self.find_action = self._action(
            "&Find pupil", self.focus_search, QKeySequence.StandardKey.Find, "Search the register"
        )
        self.lock_action = self._action("&Lock", self.lock, QKeySequence("Ctrl+L"), "Lock now")
        self.settings_action = self._action(
            "Se&ttings…", self.open_settings, QKeySequence.StandardKey.Preferences
        )
        self.close_action = self._action("&Close file", self.close, QKeySequence.StandardKey.Close)
        self.quit_action = self._action("&Quit", QApplication.quit, QKeySequence.StandardKey.Quit)
        self.about_action = self._action("&About SENDesk", self.about)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.import_action = self._action(
            "&Import pupils…", self.import_pupils, tip="Import pupils from a MIS CSV or CTF file"
        )
        file_menu.addAction(self.import_action)
        for action in (self.save_action, self.settings_action, self.lock_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        file_menu.addAction(self.quit_action)
        pupil_menu = menu.addMenu("&Pupil")
        for action in (
            self.new_pupil_action,
            self.find_action,
            self.archive_action,
            self.restore_action,
        ):
            pupil_menu.addAction(action)
        self.calendar_action = self._action(
            "&Calendar", self.show_calendar, QKeySequence("Ctrl+K"), "The review meetings calendar"
        )
        self.print_week_action = self._action("Print &week's schedule…", self.print_week_schedule)
        file_menu.insertAction(self.close_action, self.print_week_action)
        self.backup_action = self._action("&Back up…", self.back_up, tip="Make a verified backup")
        self.restore_backup_action = self._action("Restore from a bac&kup…", self.restore_backup)
        self.handover_action = self._action("Prepare &handover…", self.prepare_handover)
        for action in (self.backup_action, self.restore_backup_action, self.handover_action):
            file_menu.insertAction(self.close_action, action)
        self.documents_menu = file_menu.addMenu("&Documents to print")
        file_menu.insertMenu(self.close_action, self.documents_menu)
        self.print_register_action = self._action("Print SEN &register…", self.print_register)
        self.census_action = self._action("&Census check…", self.census_check)
        self.week_plans_action = self._action(
            "Print plans for this week's &meetings…", self.print_week_plans
        )
        self.letter_action = self._action("&Letter of concern…", self.letter_of_concern)
        for action in (
            self.print_register_action,
            self.census_action,
            self.week_plans_action,
            self.letter_action,
        ):
            self.documents_menu.addAction(action)
        self.subject_access_action = self._action(
            "&Everything we hold on this pupil…", self.subject_access
        )
        self.transfer_action = self._action("&Transfer to another school…", self.transfer_pupil)
        self.transfer_done_action = self._action(
            "Transfer recei&ved: remove records…", self.transfer_received
        )
        for action in (self.subject_access_action, self.transfer_action):
            pupil_menu.addAction(action)
        pupil_menu.addAction(self.transfer_done_action)
        self.receive_action = self._action("Recei&ve a transferred pupil…", self.receive_pupil)
        self.retention_action = self._action("&Retention review…", self.retention_review)
        for action in (self.receive_action, self.retention_action):
            file_menu.insertAction(self.close_action, action)
        view_menu = menu.addMenu("&View")
        view_menu.addAction(self.calendar_action)
        self.analytics_actions = analytics_menu.add_to(self, view_menu)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.about_action)

        self.toolbar = toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (
            self.new_pupil_action,
            self.save_action,
            self.lock_action,
            self.settings_action,
        ):
            toolbar.addAction(action)
        self._pupil_actions_enabled(False)

    def _pupil_actions_enabled(self, enabled: bool) -> None:
        for action in (
            self.archive_action, self.restore_action, self.save_action,
            self.subject_access_action, self.transfer_action, self.transfer_done_action,
        ):  # fmt: skip
            action.setEnabled(enabled)

    # --- the register and the record --------------------------------------------------------

    def load_register(self) -> None:
        rows = pupils.list_register(self.ctx.sessions, include_archived=True)
        self.register.model.set_rows(rows, dt.date.today())
        self.register.apply_filter()
        self.counts_label.setText(counts(rows).sentence())

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
        save = getattr(tab, "save", None)
        if callable(save):
            save()

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
            self.setWindowTitle(f"{APP_NAME} — {settings.name}")
            self.flash("Settings saved")

        dialog.accepted.connect(saved)
        dialog.open()

    def about(self) -> None:
        revision = self.ctx.vault.schema_revision() if self.ctx.is_open else "(locked)"
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nRecord file: {self.path}\nSchema revision: {revision}\n\n"
            "Records are encrypted with SQLCipher (AES-256). Without the passphrase they cannot "
            "be read by anyone.",
        )

    # --- locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide every record, close the file; typed but unsaved edits stay in memory only."""
        if self.locked:
            return
        self.locked = True
        self.idle.active = False
        self._hidden_dialogs = [
            w for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and self._owns(w)
        ]  # fmt: skip
        for dialog in self._hidden_dialogs:
            dialog.hide()
            save_draft = getattr(dialog, "save_draft", None)
            if callable(save_draft):
                save_draft()  # kept in the file too, in case SENDesk is closed while locked
        self.register.model.set_rows([])
        self.counts_label.clear()
        due = getattr(self, "due_label", None)
        if isinstance(due, QLabel):
            due.clear()
        self.menuBar().setEnabled(False)
        self.toolbar.setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.prepare(self.path)
        try:  # the file is about to close: back it up now if it changed, as closing would
            from sendesk.services import safekeeping

            safekeeping.backup_on_close(self.ctx.vault)
        except SendeskError:
            pass  # closing the app tries again once unlocked; locking must not wait on it
        self.ctx.close()

    def _owns(self, widget: QWidget) -> bool:
        """Whether a window (a dialog or wizard) was opened from this one, at any depth."""
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    def unlock(self, secret: str) -> None:
        self.lock_screen.busy(True)
        run_in_background(
            lambda: Vault.open(self.path, secret), self._unlocked, self._unlock_failed
        )

    def _unlocked(self, vault: object) -> None:
        assert isinstance(vault, Vault)
        self.ctx.reopen(vault)
        self.locked = False
        self.lock_screen.passphrase.clear()
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        self.load_register()
        self.register.select_pupil(self.record.pupil_id, notify=False)
        self.record.reload()
        self.stack.setCurrentIndex(0)
        for dialog in self._hidden_dialogs:
            dialog.show()
        self._hidden_dialogs = []
        self.idle.resume()
        self.show_due_summary()

    def _unlock_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CannotUnlock):
            self.lock_screen.failed("Wrong passphrase. Try again.")
        elif isinstance(exc, SendeskError):
            self.lock_screen.failed(exc.message)
        else:
            self.lock_screen.failed("The file could not be opened.")
            errors.explain(self, exc)

    # --- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.locked and (self.record.dirty or self._hidden_dialogs):
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "There are changes or open windows that were not saved before SENDesk locked. "
                "Unlock to save them, or close and lose them?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        elif not self.locked and not self.record.settle():
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self.idle)  # type: ignore[union-attr]
        self.idle.timer.stop()
        if self.ctx.is_open:
            self.backup_on_close()
        self.ctx.close()
        event.accept()
        QTimer.singleShot(0, self, self.closed.emit)  # not after the window is gone

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
        view = getattr(self, "calendar_view", None)
        if not isinstance(view, CalendarView):
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
        from ui.calendar_view import CalendarView, save_week_schedule

        if self.locked:
            return
        view = getattr(self, "calendar_view", None)
        day = view.selected_day if isinstance(view, CalendarView) else dt.date.today()
        save_week_schedule(self, self.ctx, day, self.flash)

    def show_due_summary(self) -> None:
        """What is due, in the status bar: "3 reviews this week, 2 overdue"."""
        from sendesk.services import meetings

        label = getattr(self, "due_label", None)
        if not isinstance(label, QLabel):
            label = self.due_label = QLabel()
            label.setAccessibleName("Reviews due")
            self.statusBar().insertPermanentWidget(0, label)
            line = QFrame()  # keeps "what is due" apart from the register's counts
            line.setFrameShape(QFrame.Shape.VLine)
            self.statusBar().insertPermanentWidget(1, line)
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
        dialog.accepted.connect(lambda: QMessageBox.information(self, "Restored", dialog.summary()))
        dialog.open()

    def prepare_handover(self) -> None:
        from ui.handover_wizard import HandoverWizard  # loaded when first used

        if self.locked:
            return
        HandoverWizard(self.ctx, self).open()

    def backup_on_close(self) -> None:
        """The automatic backup when the file changed; closing goes on even if it fails."""
        from sendesk.services import safekeeping

        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            safekeeping.backup_on_close(self.ctx.vault)
        except SendeskError as exc:
            QMessageBox.warning(
                self, "Backup not made", f"The automatic backup on closing failed: {exc.message}"
            )
        finally:
            QApplication.restoreOverrideCursor()

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

    def print_week_plans(self) -> object:
        from ui.document_preview import print_week_plans

        if self.locked:
            return None
        self.week_plans = print_week_plans(self.ctx, self, dt.date.today(), self.flash)
        return self.week_plans

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
            self.flash(f"Records of {count} pupil(s) deleted after the retention review")

        dialog.deleted.connect(deleted)
        dialog.open()
        return dialog
