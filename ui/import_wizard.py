"""File → Import pupils…: choose a MIS export or CTF, check the mapping, preview, import.

Reading, previewing and saving run off the GUI thread; the rules are all in
`sendesk.importers` and `sendesk.services.imports`, so the app and `sendesk import` agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
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
from sendesk.errors import BadInput, SendeskError
from sendesk.importers import FATE_LABELS, Fate, ParsedRow, RowFate, Source, Totals
from sendesk.services import imports
from sendesk.text import for_terminal
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
                index, 1, QTableWidgetItem(for_terminal(first[index]) if index < len(first) else "")
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


def _check_item(checkable: bool, state: Qt.CheckState) -> QTableWidgetItem:
    """A cell with a check box, or an empty cell that cannot be checked."""
    item = QTableWidgetItem()
    flags = item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable & ~Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if checkable else flags)
    if checkable:
        item.setCheckState(state)
    return item


class PreviewPage(QWizardPage):
    """Every row's fate before anything is saved; Import saves the accepted rows at once.

    Each row can be left out, and where the file disagrees with the SEN details the SENCo set in
    SENDesk, the row shows both and SENDesk's are kept unless "Take the MIS's" is ticked.
    """

    COLUMNS = ("Import", "Row", "What happens", "UPN", "Name", "Take the MIS's SEN", "Changes")
    INCLUDE, ROW, FATE, UPN, NAME, TAKE, DETAILS = range(7)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Preview")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        layout = QVBoxLayout(self)
        self.totals = LiveLabel("Preview totals")
        layout.addWidget(self.totals)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setAccessibleName("Preview of each row")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Changes takes the room left and wraps, each row as tall as its changes need: cut to
        # one line, the old → new text could not be read at 150 % on a laptop.
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.DETAILS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Rows grow again when the columns change width (the wizard resized to fit the screen).
        header.sectionResized.connect(self._fit_rows)
        self.table.itemChanged.connect(self._ticked)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_details(row))
        layout.addWidget(self.table, 3)
        caption = QLabel("&Details of the selected row:")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Details of the selected row")
        caption.setBuddy(self.details)
        layout.addWidget(caption)
        layout.addWidget(self.details, 1)
        self.save_rejected_button = QPushButton("Save &rejected rows…")
        self.save_rejected_button.clicked.connect(self.owner.save_rejected)
        self.save_rejected_button.setEnabled(False)
        layout.addWidget(self.save_rejected_button)
        self.progress = _busy_bar("Import progress")
        layout.addWidget(self.progress)
        self.rows: list[ParsedRow] = []
        self.base: list[RowFate] = []  # the fates as checked, before the user's choices
        self.take: set[int] = set()
        self.leave_out: set[int] = set()
        self.ready = False
        self.relay = _Progress()
        self.relay.step.connect(self._step)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        source, mapping, ctx = self.owner.source, list(self.owner.mapping), self.owner.ctx
        assert source is not None
        self.ready = False
        self.take, self.leave_out = set(), set()
        self.table.setRowCount(0)
        self.details.clear()
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
        self.rows, self.base = result
        self.progress.hide()
        self.show_fates(self.base)
        self._update_totals()

    def chosen(self) -> list[RowFate]:
        """The fates with the user's ticks applied (the same rule the import applies)."""
        return [f.chosen(f.row in self.take, f.row in self.leave_out) for f in self.base]

    def _update_totals(self) -> None:
        fates = self.chosen()
        self.owner.fates = fates
        totals = Totals.of(fates)
        if totals.to_save:
            text = (
                f"{totals.sentence()}. Import saves the {totals.to_save} new and updated "
                "pupils in one step; the rest are left alone. Untick a row to leave it out."
            )
        else:
            text = f"{totals.sentence()}. There is nothing to import."
        if any(f.held and not f.taken for f in fates):
            text += (
                " Where the MIS disagrees with SEN details set in SENDesk, SENDesk's are kept "
                "unless you tick “Take the MIS's SEN”."
            )
        self.totals.setText(text)
        self.save_rejected_button.setEnabled(totals.rejected > 0)
        self.ready = totals.to_save > 0
        self.completeChanged.emit()

    def show_fates(self, fates: list[RowFate]) -> None:
        source = self.owner.source
        assert source is not None
        self.table.blockSignals(True)
        self.table.setRowCount(len(fates))
        for index, fate in enumerate(fates):
            include = _check_item(fate.fate is not Fate.REJECTED, Qt.CheckState.Checked)
            take = _check_item(bool(fate.held), Qt.CheckState.Unchecked)
            where = f"{source.row_word} {fate.row}"
            include.setData(Qt.ItemDataRole.AccessibleTextRole, f"Import {where}")
            take.setData(Qt.ItemDataRole.AccessibleTextRole, f"Take the MIS's SEN for {where}")
            self.table.setItem(index, self.INCLUDE, include)
            self.table.setItem(index, self.TAKE, take)
            for column, value in (
                (self.ROW, f"{source.row_word} {fate.row}"), (self.UPN, fate.upn or ""),
                (self.NAME, for_terminal(fate.name)),  # a hostile name cannot pass for another
            ):  # fmt: skip
                self.table.setItem(index, column, QTableWidgetItem(value))
            self._fill(index, fate)
        self.table.blockSignals(False)
        # A long name wraps within a name's usual width rather than squeezing out the changes.
        self.table.resizeColumnToContents(self.NAME)
        usual = 22 * self.table.fontMetrics().averageCharWidth()
        self.table.setColumnWidth(self.NAME, min(self.table.columnWidth(self.NAME), usual))

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()

    def _fill(self, index: int, fate: RowFate) -> None:
        """The cells that follow the user's choices; the full reasons are in the tooltip."""
        explanation = fate.explanation()
        for column, value in ((self.FATE, FATE_LABELS[fate.fate]), (self.DETAILS, explanation)):
            item = QTableWidgetItem(value)
            item.setToolTip(explanation.replace("; ", "\n"))
            self.table.setItem(index, column, item)

    def _ticked(self, item: QTableWidgetItem) -> None:
        column, index = item.column(), item.row()
        if column not in (self.INCLUDE, self.TAKE) or index >= len(self.base):
            return
        number = self.base[index].row
        wanted = self.leave_out if column == self.INCLUDE else self.take
        checked = item.checkState() == Qt.CheckState.Checked
        if (column == self.INCLUDE) == checked:
            wanted.discard(number)
        else:
            wanted.add(number)
        fate = self.base[index].chosen(number in self.take, number in self.leave_out)
        self.table.blockSignals(True)
        self._fill(index, fate)
        self.table.blockSignals(False)
        self._update_totals()
        if self.table.currentRow() == index:
            self._show_details(index)

    def _show_details(self, index: int) -> None:
        fates = self.owner.fates
        if not 0 <= index < len(fates):
            self.details.clear()
            return
        fate = fates[index]
        lines = [f"{FATE_LABELS[fate.fate]}: {fate.name or fate.upn or ''}"]
        lines += [part for part in fate.explanation().split("; ") if part]
        self.details.setPlainText("\n".join(lines))

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
        take, leave_out = set(self.take), set(self.leave_out)
        name = self.owner.source_path.name if self.owner.source_path else ""
        self.progress.setRange(0, max(Totals.of(self.owner.fates).to_save, 1))
        self.progress.setValue(0)
        self.progress.show()
        self.owner.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.owner.importing = True
        self.completeChanged.emit()
        step = self.relay.step.emit
        run_in_background(
            lambda: imports.apply(
                ctx.sessions, rows, source.kind, progress=step, take=take, leave_out=leave_out,
                source_name=name, digest=source.digest,
            ),
            self._imported,
            self._import_failed,
        )  # fmt: skip
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
        self.undo_button = QPushButton("&Undo this import")
        self.undo_button.setAccessibleName("Undo this import")
        self.undo_button.clicked.connect(self._undo)
        layout.addWidget(self.undo_button)
        self.undo_result = QLabel()
        self.undo_result.setWordWrap(True)
        self.undo_result.setAccessibleName("Undo result")
        layout.addWidget(self.undo_result)
        self.progress = _busy_bar("Undoing the import")
        layout.addWidget(self.progress)
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
        self.undo_button.setVisible(result.batch_id is not None)
        self.undo_button.setEnabled(True)
        self.undo_result.clear()

    def _undo(self) -> None:
        result, ctx = self.owner.imported, self.owner.ctx
        if result is None or result.batch_id is None:
            return
        answer = QMessageBox.question(
            self,
            "Undo this import",
            "Put back every value this import changed and remove the pupils it added?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        batch = result.batch_id
        self.undo_button.setEnabled(False)
        self.progress.show()
        run_in_background(lambda: imports.undo(ctx.sessions, batch), self._undone, self._refused)

    def _undone(self, done: object) -> None:
        assert isinstance(done, imports.Undone)
        self.progress.hide()
        self.owner.undone = done
        self.undo_result.setText(
            f"The import was undone: {done.restored} pupils have their values back and "
            f"{done.removed} pupils it added were removed."
        )

    def _refused(self, exc: BaseException) -> None:
        self.progress.hide()
        self.undo_button.setEnabled(True)
        if isinstance(exc, BadInput):
            self.undo_result.setText(exc.message)
        else:
            errors.explain(self, exc, "The import was not undone")


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
        self.undone: imports.Undone | None = None
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
        self.preview_page.rows, self.preview_page.base = [], []
        self.preview_page.table.setRowCount(0)
        self.preview_page.details.clear()

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
        try:  # the save dialog has asked before replacing a file
            imports.save_rejected(self.ctx.sessions, path, self.source, self.fates, overwrite=True)
        except SendeskError as exc:
            errors.explain(self, exc, "Not saved")
            return
        self.saved_rejected = path
