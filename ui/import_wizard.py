"""File → Import pupils…: choose a MIS export or CTF, check the mapping, preview, import.

Reading, previewing and saving run off the GUI thread; the rules are all in
`sendesk.importers` and `sendesk.services.imports`, so the app and `sendesk import` agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from sendesk import importers
from sendesk.errors import BadInput
from sendesk.importers import FATE_LABELS, Fate, ParsedRow, RowFate, Source, Totals
from sendesk.services import imports
from sendesk.wording import plural
from ui import errors
from ui.background import run_in_background
from ui.context import FileContext
from ui.widgets import LiveLabel, problem_label, show_problems, text_field

IGNORE = "(do not import)"
FILE_FILTER = "Pupil lists (*.csv *.txt *.xml *.ctf);;All files (*)"


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    step = Signal(int, int)


def _busy_bar(name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setAccessibleName(name)
    bar.setRange(0, 0)
    bar.hide()
    return bar


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the file")
        self.setSubTitle(
            "A CSV export of your MIS (SIMS, Arbor, Bromcom, ScholarPack…) or a Common Transfer "
            "File. Pupils are matched by UPN: existing pupils are updated, new ones added."
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = text_field("File to import", 1000)
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the file to import")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path)
        row.addWidget(browse)
        caption = QLabel("&File:")
        caption.setBuddy(self.path)
        layout.addWidget(caption)
        layout.addLayout(row)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        self.progress = _busy_bar("Reading the file")
        layout.addWidget(self.progress)
        layout.addStretch()
        self.path.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Import pupils from", "", FILE_FILTER)
        if chosen:
            self.path.setText(chosen)

    def chosen(self) -> Path:
        return Path(self.path.text().strip())

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.path.text().strip()) and not self.progress.isVisible()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        path = self.chosen()
        if self.owner.source is not None and self.owner.source_path == path:
            return True
        show_problems(self.problems, None)
        self.progress.show()
        self.completeChanged.emit()
        run_in_background(lambda: importers.load(path), self._loaded, self._failed)
        return False

    def _loaded(self, source: object) -> None:
        assert isinstance(source, Source)
        self.progress.hide()
        self.owner.source = source
        self.owner.source_path = self.chosen()
        self.owner.mapping = source.guess_mapping()
        self.completeChanged.emit()
        self.owner.next()

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.completeChanged.emit()
        if isinstance(exc, BadInput):
            show_problems(self.problems, exc.message)
        else:
            errors.explain(self, exc, "The file could not be read")


class MappingPage(QWizardPage):
    """Each column of the file beside an example value and the pupil field it fills."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Check the columns")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Column mapping")
        self.table.setHorizontalHeaderLabels(["Column in the file", "First value", "Imports as"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        source = self.owner.source
        assert source is not None
        self.setSubTitle(
            f"{source.description}. SENDesk recognised the columns below; change any it got "
            "wrong. Empty cells never erase what the file already holds."
        )
        first = source.rows[0][1] if source.rows else []
        self.table.setRowCount(len(source.columns))
        self.combos = []
        for index, (name, target) in enumerate(
            zip(source.columns, self.owner.mapping, strict=True)
        ):
            self.table.setItem(index, 0, QTableWidgetItem(name))
            self.table.setItem(
                index, 1, QTableWidgetItem(first[index] if index < len(first) else "")
            )
            combo = QComboBox()
            combo.setAccessibleName(f"Import column {name} as")
            combo.addItem(IGNORE, None)
            for field, label in importers.FIELDS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(max(combo.findData(target), 0) if target else 0)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        show_problems(self.problems, None)

    def mapping(self) -> importers.Mapping:
        return [combo.currentData() for combo in self.combos]

    def set_field(self, column: str, field: str | None) -> None:
        """Map the named column to a field (None: do not import it)."""
        source = self.owner.source
        assert source is not None
        combo = self.combos[source.columns.index(column)]
        combo.setCurrentIndex(max(combo.findData(field), 0) if field else 0)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        source = self.owner.source
        assert source is not None
        mapping = self.mapping()
        try:
            importers.check_mapping(source, mapping)
        except BadInput as exc:
            show_problems(self.problems, exc.message)
            return False
        self.owner.mapping = mapping
        return True


class PreviewPage(QWizardPage):
    """Every row's fate before anything is saved; Import saves the accepted rows at once."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Preview")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        layout = QVBoxLayout(self)
        self.totals = LiveLabel("Preview totals")
        layout.addWidget(self.totals)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Preview of each row")
        self.table.setHorizontalHeaderLabels(["Row", "What happens", "UPN", "Name", "Details"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.save_rejected_button = QPushButton("Save &rejected rows…")
        self.save_rejected_button.clicked.connect(self.owner.save_rejected)
        self.save_rejected_button.setEnabled(False)
        layout.addWidget(self.save_rejected_button)
        self.progress = _busy_bar("Import progress")
        layout.addWidget(self.progress)
        self.rows: list[ParsedRow] = []
        self.ready = False
        self.relay = _Progress()
        self.relay.step.connect(self._step)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        source, mapping, ctx = self.owner.source, list(self.owner.mapping), self.owner.ctx
        assert source is not None
        self.ready = False
        self.table.setRowCount(0)
        self.totals.setText("Checking every row…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.completeChanged.emit()

        def work() -> tuple[list[ParsedRow], list[RowFate]]:
            rows = importers.interpret(source, mapping)
            return rows, imports.preview(ctx.sessions, rows)

        run_in_background(work, self._previewed, self._failed)

    def _previewed(self, result: object) -> None:
        assert isinstance(result, tuple)
        self.rows, fates = result
        self.progress.hide()
        self.owner.fates = fates
        self.show_fates(fates)
        totals = Totals.of(fates)
        if totals.to_save:
            text = (
                f"{totals.sentence()}. Import saves the {totals.to_save} new and updated "
                "pupils in one step; the rest are left alone."
            )
        else:
            text = f"{totals.sentence()}. There is nothing to import."
        self.totals.setText(text)
        self.save_rejected_button.setEnabled(totals.rejected > 0)
        self.ready = totals.to_save > 0
        self.completeChanged.emit()

    def show_fates(self, fates: list[RowFate]) -> None:
        source = self.owner.source
        assert source is not None
        self.table.setRowCount(len(fates))
        for index, fate in enumerate(fates):
            values = (f"{source.row_word} {fate.row}", FATE_LABELS[fate.fate], fate.upn or "",
                      fate.name, fate.explanation())  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.totals.setText("The rows could not be checked.")
        errors.explain(self, exc, "The file could not be checked")

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.ready and self.owner.imported is None and not self.progress.isVisible()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.owner.imported is not None:
            return True
        source, rows, ctx = self.owner.source, self.rows, self.owner.ctx
        assert source is not None
        self.progress.setRange(0, max(Totals.of(self.owner.fates).to_save, 1))
        self.progress.setValue(0)
        self.progress.show()
        self.owner.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.owner.importing = True
        self.completeChanged.emit()
        step = self.relay.step.emit
        run_in_background(
            lambda: imports.apply(ctx.sessions, rows, source.kind, progress=step),
            self._imported,
            self._import_failed,
        )
        return False

    def _step(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _imported(self, result: object) -> None:
        assert isinstance(result, imports.ImportResult)
        self.progress.hide()
        self.owner.imported = result
        self.owner.fates = result.fates
        self.owner.importing = False
        self.owner.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.completeChanged.emit()
        self.owner.next()

    def _import_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.owner.importing = False
        self.owner.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.completeChanged.emit()
        self.totals.setText(
            "Nothing was imported: the import stopped, and every change was undone."
        )
        errors.explain(self, exc, "Nothing was imported")


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Imported")
        layout = QVBoxLayout(self)
        self.summary = LiveLabel("Import result")
        layout.addWidget(self.summary)
        self.save_rejected_button = QPushButton("Save &rejected rows…")
        self.save_rejected_button.setAccessibleName("Save the rejected rows as a CSV file")
        self.save_rejected_button.clicked.connect(self.owner.save_rejected)
        layout.addWidget(self.save_rejected_button)
        layout.addStretch()

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        result = self.owner.imported
        assert result is not None
        totals = result.totals
        text = f"{plural(totals.to_save, 'pupil was', 'pupils were')} saved ({totals.sentence()})."
        if totals.rejected:
            text += (
                " Save the rejected rows as a CSV file: each says what is wrong. Fix them there "
                "and import that file."
            )
        self.summary.setText(text)
        self.save_rejected_button.setVisible(totals.rejected > 0)


class ImportWizard(QWizard):
    """After it finishes, `imported` holds what was imported (None if nothing was)."""

    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import pupils")
        self.source: Source | None = None
        self.source_path: Path | None = None
        self.mapping: importers.Mapping = []
        self.fates: list[RowFate] = []
        self.imported: imports.ImportResult | None = None
        self.saved_rejected: Path | None = None
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.result_page):
            self.addPage(page)
        self.resize(820, 560)
        self.importing = False
        self.finished.connect(self._release)

    def reject(self) -> None:
        if not self.importing:  # an import in progress finishes first: Escape waits for it
            super().reject()

    def _release(self) -> None:
        """A finished wizard keeps no pupil data in memory."""
        self.source, self.fates = None, []
        self.preview_page.rows = []
        self.preview_page.table.setRowCount(0)

    def save_rejected(self) -> None:
        """Ask where, then write the rejected rows with their problems as a CSV file."""
        if self.source is None or not any(f.fate is Fate.REJECTED for f in self.fates):
            return
        stem = self.source_path.stem if self.source_path else "pupils"
        folder = self.source_path.parent if self.source_path else Path.home()
        suggested = folder / f"{stem}-rejected-{dt.date.today():%Y%m%d}.csv"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the rejected rows", str(suggested), "CSV files (*.csv)"
        )
        if not chosen:
            return
        path = Path(chosen)
        try:
            path.write_bytes(importers.rejected_csv(self.source, self.fates))
        except OSError as exc:
            errors.explain(
                self,
                BadInput(f"The rejected rows could not be saved: {exc.strerror}."),
                "Not saved",
            )
            return
        self.saved_rejected = path
