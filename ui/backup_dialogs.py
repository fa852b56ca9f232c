"""File → Back up… and File → Restore…: a verified backup, and a restore that never overwrites
without a confirmation and always keeps the file it replaces."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk import FILE_SUFFIX
from sendesk import restore as restoring
from sendesk.backup import automatic_backups, suggested_backup
from sendesk.errors import MadeButNotAudited, SendeskError
from sendesk.services import handover
from ui import errors
from ui.background import run_in_background
from ui.context import FileContext
from ui.widgets import problem_label, secret_field, show_problems, show_secrets_box

FILTER = f"SENDesk files (*{FILE_SUFFIX})"


class PathField(QWidget):
    """A file name with a Browse… button beside it."""

    def __init__(
        self, name: str, parent: QWidget, *, save: bool, start: Path, placeholder: str = ""
    ) -> None:
        """`placeholder`, when given, leaves the field empty (the user chooses the place, Browse…
        starting at `start`) and says what to choose; else a file to save is offered `start`."""
        super().__init__(parent)
        self.save = save
        self.start = start
        self.edit = QLineEdit(str(start) if save and not placeholder else "")
        self.edit.setPlaceholderText(placeholder)
        # Room for its hint whole (and a path's start): the screen fit shrinks nothing below it.
        hint = self.edit.fontMetrics().horizontalAdvance(
            placeholder or "C:\\Users\\Name\\Documents"
        )
        self.edit.setMinimumWidth(hint + 4 * self.edit.fontMetrics().averageCharWidth())
        self.edit.setAccessibleName(name)
        self.browse = QPushButton("Bro&wse…")
        self.browse.setAccessibleName(f"Choose {name.lower()}")
        self.browse.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.browse)

    def choose(self) -> None:
        pick = QFileDialog.getSaveFileName if self.save else QFileDialog.getOpenFileName
        chosen, _ = pick(
            self, self.edit.accessibleName(), self.edit.text() or str(self.start), FILTER
        )
        if chosen:
            self.edit.setText(chosen)

    def path(self) -> Path | None:
        """The file named, a bare name taken as in the offered folder (never the program's)."""
        text = self.edit.text().strip()
        if not text:
            return None
        chosen = Path(text).expanduser()
        return chosen if chosen.is_absolute() else self.start.parent / chosen


class _Dialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.problem = problem_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.problem)
        self.layout_.addWidget(self.buttons)

    def go(self) -> None:
        raise NotImplementedError

    def busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)

    def failed(self, exc: BaseException) -> None:
        self.busy(False)
        if isinstance(exc, SendeskError):
            show_problems(self.problem, exc.message)
        else:
            errors.explain(self, exc)


class BackupDialog(_Dialog):
    """A verified copy somewhere else (a USB stick, a network folder), optionally re-keyed."""

    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__("Back up", parent)
        self.ctx = ctx
        self.saved: Path | None = None
        self.dest = PathField(
            "Backup file",
            self,
            save=True,
            start=suggested_backup(ctx.vault.path, dt.datetime.now()),
            placeholder="Browse… to a USB stick or another drive",
        )
        self.form.addRow("&Save the backup as:", self.dest)
        self.own = QCheckBox("Give the backup its &own passphrase")
        self.form.addRow(self.own)
        self.first = secret_field("Backup passphrase")
        self.second = secret_field("Backup passphrase again")
        self.form.addRow("Backup &passphrase:", self.first)
        self.form.addRow("&Again:", self.second)
        self.show_box = show_secrets_box(self.first, self.second)
        self.form.addRow("", self.show_box)
        self.own.toggled.connect(self._own_toggled)
        self._own_toggled(False)
        self.ok.setText("&Back up")
        self.finish_layout()

    def _own_toggled(self, on: bool) -> None:
        self.first.setEnabled(on)
        self.second.setEnabled(on)

    def go(self) -> None:
        dest = self.dest.path()
        if dest is None:
            show_problems(self.problem, "Choose where to save the backup.")
            return
        if dest.suffix != FILE_SUFFIX:
            dest = dest.with_name(dest.name + FILE_SUFFIX)
        own = None
        if self.own.isChecked():
            own = self.first.text()
            if own != self.second.text():
                show_problems(self.problem, "The two passphrases differ.")
                return
            try:
                handover.check_passphrase(self.ctx.vault, own)
            except SendeskError as exc:
                show_problems(self.problem, exc.message)
                return
        ctx = self.ctx  # its vault is asked on the worker thread
        self.busy(True)
        show_problems(self.problem, None)
        run_in_background(lambda: ctx.vault.backup_to(dest, own), self._done, self._failed_or_made)

    def _done(self, saved: object) -> None:
        assert isinstance(saved, Path)
        self.saved = saved
        self.accept()

    def _failed_or_made(self, exc: BaseException) -> None:
        if isinstance(exc, MadeButNotAudited):  # finished: say so, and what was not recorded
            QMessageBox.information(self, "Backup made", exc.message)
            self._done(exc.path)
            return
        self.failed(exc)


class RestoreDialog(_Dialog):
    """Restore a backup to a file; an existing file is replaced only after a confirmation."""

    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__("Restore from a backup", parent)
        self.ctx = ctx
        self.done_: restoring.Restored | None = None
        self.open_path = ctx.vault.path if ctx.is_open else None
        folder = self.open_path.parent if self.open_path else Path.home()
        intro = QLabel(
            "Restoring makes a new record file from a backup after checking it is whole. "
            "If you restore over an existing file, that file is kept in its backups folder."
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.automatic = QComboBox()
        self.automatic.setAccessibleName("Automatic backups")
        self.automatic.addItem("Choose a backup file below, or one made automatically…", None)
        if self.open_path is not None:
            for made in reversed(automatic_backups(self.open_path)):  # newest first
                self.automatic.addItem(_described(made), made)
        self.automatic.currentIndexChanged.connect(self._automatic_chosen)
        self.form.addRow("&Automatic backups:", self.automatic)
        self.source = PathField("Backup to restore", self, save=False, start=folder)
        self.form.addRow("&Backup:", self.source)
        self.secret = secret_field("The backup's passphrase")
        self.form.addRow("Its &passphrase:", self.secret)
        self.form.addRow("", show_secrets_box(self.secret))
        self.target = PathField(
            "Restore to", self, save=True, start=folder / f"restored{FILE_SUFFIX}"
        )
        self.form.addRow("Restore &to:", self.target)
        self.ok.setText("&Restore")
        self.finish_layout()

    def _automatic_chosen(self) -> None:
        chosen = self.automatic.currentData()
        if isinstance(chosen, Path):
            self.source.edit.setText(str(chosen))

    def go(self) -> None:
        source, target, secret = self.source.path(), self.target.path(), self.secret.text()
        if source is None or target is None or not secret:
            show_problems(self.problem, "Choose the backup, type its passphrase and where to.")
            return
        if self.open_path and target.resolve() == self.open_path.resolve():
            show_problems(
                self.problem,
                "That is the file open now. Restore to another name, or close this file "
                "(File → Close file) and restore from the command line with --replace.",
            )
            return
        replace = False
        if target.exists():
            answer = QMessageBox.question(
                self,
                "Replace the file?",
                f"{target} already exists. Replace it with the backup? The current file is "
                "kept, unchanged, in the backups folder beside it.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            replace = True
        self.busy(True)
        show_problems(self.problem, None)
        run_in_background(
            lambda: restoring.restore(source, secret, target, replace=replace),
            self._done,
            self.failed,
        )

    def _done(self, done: object) -> None:
        assert isinstance(done, restoring.Restored)
        self.done_ = done
        self.secret.clear()
        self.accept()

    def summary(self) -> str:
        assert self.done_ is not None
        kept = (
            f"\n\nThe file it replaced is kept at {self.done_.replaced_copy}."
            if self.done_.replaced_copy
            else ""
        )
        return f"Restored {self.done_.path}. It opens with the backup's passphrase.{kept}"


def _described(path: Path) -> str:
    """An automatic backup as the user knows it: when it was made, and its name."""
    made = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return f"{made:%d/%m/%Y %H:%M}: {path.name}"
