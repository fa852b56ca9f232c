"""The register: search, filters and the table of pupils, with the selection guarded."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes
from sendesk.pupil_row import PupilRow
from sendesk.register import RegisterFilter, ReviewFilter
from ui.register_model import NAME, READING, RegisterModel
from ui.widgets import CodeCombo

# Letters of a name shown whole before it is cut short (whole in its tooltip and the record's
# header): more, and the status and review columns go off a laptop's pane at 150 %.
NAME_SHOWN_CHARS = 24


class RegisterPanel(QWidget):
    pupil_selected = Signal(int)  # a pupil id, or 0 when none is selected
    filter_changed = Signal()  # the list shown is a different selection of the register

    def __init__(self) -> None:
        super().__init__()
        self.model = RegisterModel()
        self.selected_id = 0
        self._stayed_with = 0  # the hidden pupil kept shown for its unsaved edits (see below)
        self.can_leave: Callable[[], bool] = lambda: True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or UPN (Ctrl+F)")
        self.search.setAccessibleName("Search pupils")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        filters = QGridLayout()  # two rows: the register stays usable on a narrow window
        self.status = CodeCombo(
            "Filter by SEN status", codes.SEN_STATUS_LABELS.items(), "Any status", shown_chars=10
        )
        self.need = CodeCombo(
            "Filter by need",
            ((n.code, f"{n.code}: {n.label}") for n in codes.NEED_TYPES),
            "Any need",
            shown_chars=10,
        )
        self.year = CodeCombo(
            "Filter by year group", codes.YEAR_GROUPS.items(), "Any year", shown_chars=10
        )
        self.review = CodeCombo(
            "Filter by review",
            (
                (ReviewFilter.DUE_SOON, "Review due in 2 weeks"),
                (ReviewFilter.OVERDUE, "Overdue"),
                (ReviewFilter.NONE_BOOKED, "None booked"),
            ),
            "Any review",
            shown_chars=10,
        )
        self.archived = QCheckBox("Archived")
        self.archived.setAccessibleName("Show archived pupils")
        for place, widget in enumerate(
            (self.status, self.need, self.year, self.review, self.archived)
        ):
            filters.addWidget(widget, place // 3, place % 3)
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setToolTip("Show the whole register again")
        self.clear_button.clicked.connect(self.clear_filters)
        filters.addWidget(self.clear_button, 1, 2)
        layout.addLayout(filters)
        self.table = QTableView()
        self.table.setAccessibleName("Pupils")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Sized to their contents once per load (fit_columns), not on every keystroke: a column
        # in ResizeToContents mode re-measures its rows on each reset of the model.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(100)  # measure 100 rows, not 20,000
        header.setStretchLastSection(True)  # the name keeps its width; the last column fills
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        layout.addWidget(self.table)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)

        self.search.textChanged.connect(self._filter_edited)
        for combo in (self.status, self.need, self.year, self.review):
            combo.currentIndexChanged.connect(self._filter_edited)
        self.archived.toggled.connect(self._filter_edited)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._restore_selection)
        self.model.rows_replaced.connect(self.fit_columns)
        self._update_empty_state()

    def fit_columns(self) -> None:
        """Each column as wide as its widest text (the name up to about 24 letters; a longer
        one shows whole in its tooltip and the record's header), the table scrolling sideways
        when the pane is narrower.

        Measured from the texts with the font's metrics: asking the view to size the columns
        would ask the model for every role of a hundred rows of each column.
        """
        header = self.table.horizontalHeader()
        metrics = QFontMetrics(self.model.bold)  # bold is the widest (an overdue review)
        padding = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
        for column in range(self.model.columnCount()):
            texts = self.model.texts(column)
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            if column == NAME:  # names are never cut short of a usual length
                widest = min(widest, metrics.averageCharWidth() * NAME_SHOWN_CHARS)
            header.resizeSection(column, max(header.sectionSizeHint(column), widest + padding))

    def current_filter(self) -> RegisterFilter:
        review = self.review.code()
        year = self.year.code()
        return RegisterFilter(
            text=self.search.text(),
            status=str(self.status.code()) if self.status.code() else None,
            need=str(self.need.code()) if self.need.code() else None,
            year_group=int(year) if isinstance(year, int) else None,
            review=ReviewFilter(str(review)) if review else ReviewFilter.ANY,
            include_archived=self.archived.isChecked(),
        )

    def apply_filter(self) -> None:
        chosen = self.current_filter()
        self.model.set_filter(chosen)
        self.clear_button.setEnabled(chosen != RegisterFilter())
        self._update_empty_state()
        self.filter_changed.emit()

    def _filter_edited(self) -> None:
        """The user narrowed the list: the record pane follows, showing no pupil the list hides.

        A pupil whose unsaved edits the user chose to stay with is kept shown while the search
        goes on: asked once, not again at every key typed."""
        self.apply_filter()
        if not self.selected_id or self.model.row_of(self.selected_id) is not None:
            self._stayed_with = 0
            return
        if self._stayed_with == self.selected_id:
            return
        if self.can_leave():
            self.selected_id = 0
            self.pupil_selected.emit(0)
        else:
            self._stayed_with = self.selected_id

    def clear_filters(self) -> None:
        """Back to the whole register on roll, in one step."""
        widgets = (self.search, self.status, self.need, self.year, self.review, self.archived)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.status, self.need, self.year, self.review):
            combo.setCurrentIndex(0)
        self.archived.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self._filter_edited()

    def shown_rows(self) -> list[PupilRow]:
        return [self.model.pupil_at(row) for row in range(self.model.rowCount())]

    def _update_empty_state(self) -> None:
        if not self.model.complete and self.model.rowCount() == 0:
            self.empty.setText(READING)
        elif not self.model.all_rows():
            self.empty.setText(
                "No pupils yet. Import them from your MIS with File → Import pupils…, "
                "or add one with Pupil → New pupil (Ctrl+N)."
            )
        elif self.model.rowCount() == 0:
            self.empty.setText("No pupils match the search and filters.")
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))

    def _current_changed(self) -> None:
        row = self.table.currentIndex().row()
        pupil_id = self.model.pupil_at(row).id if row >= 0 else 0
        if pupil_id == self.selected_id:
            return
        if not self.can_leave():
            self._restore_selection()
            return
        self.selected_id = pupil_id
        self.pupil_selected.emit(pupil_id)

    def select_pupil(self, pupil_id: int, notify: bool = True) -> None:
        """Select a pupil; without `notify` the record keeps what it shows (after an unlock)."""
        self.selected_id = pupil_id
        self._restore_selection()
        if notify:
            self.pupil_selected.emit(pupil_id)

    def _restore_selection(self) -> None:
        row = self.model.row_of(self.selected_id) if self.selected_id else None
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row is None:
            selection.clear()
        else:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        selection.blockSignals(False)
        self.table.viewport().update()
        self._update_empty_state()
