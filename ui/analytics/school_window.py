"""The whole-school analytics: provision map, intervention impact, register analytics and the
governors' report, each for a chosen period, with charts, and saved as a PDF or CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sendesk import figures
from sendesk.analytics import Period
from sendesk.cycle import pounds
from sendesk.documents import analytics_reports as reports
from sendesk.school_year import school_year_end, school_year_start
from sendesk.services import (
    analytics_documents,
    governors,
    impact,
    provision_map,
    register_analytics,
)
from sendesk.services.documents import Printable
from ui import background, errors, saving
from ui.analytics.charts import BarChart
from ui.analytics.tables import fill, text_table
from ui.context import FileContext

if TYPE_CHECKING:
    from sendesk.vault import Vault

DocBuilder = Callable[..., Printable]
W = TypeVar("W", bound=QWidget)
# The four views' figures, counted together off the GUI thread.
Figures = tuple[
    figures.ProvisionMap, figures.ImpactReport, figures.RegisterAnalytics, figures.GovernorsReport
]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def _money(value: float) -> str:
    return pounds(round(value * 100))


class _Page(QScrollArea):
    """One tab: a column of widgets that scrolls."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWidgetResizable(True)
        inner = QWidget()
        self.column = QVBoxLayout(inner)
        self.setWidget(inner)

    def add(self, widget: W) -> W:
        self.column.addWidget(widget)
        return widget


class SchoolAnalytics(QDialog):
    saved = Signal(str)

    def __init__(
        self, ctx: FileContext, parent: QWidget | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.setWindowTitle("Whole-school analytics")
        self.resize(1000, 720)
        layout = QVBoxLayout(self)
        period = QHBoxLayout()
        self.start = QDateEdit(_qdate(school_year_start(self.today)))
        self.end = QDateEdit(_qdate(school_year_end(self.today)))
        for edit, name in ((self.start, "From"), (self.end, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setAccessibleName(name)
            period.addWidget(QLabel(f"{name}:"))
            period.addWidget(edit)
        self.show_button = QPushButton("&Show")
        self.show_button.clicked.connect(self.reload)
        period.addWidget(self.show_button)
        period.addStretch(1)
        self.pdf_button = QPushButton("Save as &PDF…")
        self.csv_button = QPushButton("Save as &CSV…")
        self.pdf_button.clicked.connect(lambda: self.save(csv=False))
        self.csv_button.clicked.connect(lambda: self.save(csv=True))
        period.addWidget(self.pdf_button)
        period.addWidget(self.csv_button)
        layout.addLayout(period)
        self.problem = QLabel()
        layout.addWidget(self.problem)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self._build_map()
        self._build_impact()
        self._build_register()
        self._build_governors()
        self.tabs.currentChanged.connect(self._tab_changed)
        # The period the figures on screen were counted for: PDF and CSV save that, and wait
        # for Show once the dates no longer match it (never a report of figures not yet seen).
        self.shown_period: Period | None = None
        self.start.dateChanged.connect(self._dates_changed)
        self.end.dateChanged.connect(self._dates_changed)
        self.reload()

    # --- building -------------------------------------------------------------------------------

    def _build_map(self) -> None:
        page = self.map_page = _Page("provision_map")
        self.map_summary = page.add(_words())  # a sentence on how a period is charged follows
        self.map_table = page.add(text_table("map_table"))
        self.map_table.setMinimumHeight(220)
        self.map_charts = [
            page.add(BarChart(t))
            for t in ("Cost by year group", "Cost by class", "Cost by area of need")
        ]
        self.tabs.addTab(page, "Provision &map")

    def _build_impact(self) -> None:
        page = self.impact_page = _Page("impact")
        self.impact_table = page.add(text_table("impact_table"))
        self.impact_table.setMinimumHeight(240)
        self.change_chart = page.add(BarChart("Sessions delivered of those planned (%)"))
        page.add(_words("<b>Little or no progress over two cycles: consider escalating</b>"))
        self.escalation_table = page.add(text_table("escalation_table"))
        self.escalation_table.setMinimumHeight(140)
        self.tabs.addTab(page, "&Impact")

    def _build_register(self) -> None:
        page = self.register_page = _Page("register")
        self.register_summary = page.add(_words())
        self.register_charts = [
            page.add(BarChart(t))
            for t in (
                "On the register by school year",
                "By SEN status",
                "By primary need",
                "By year group",
                "By class",
            )
        ]
        self.tabs.addTab(page, "&Register")

    def _build_governors(self) -> None:
        page = self.governors_page = _Page("governors")
        page.add(_words(reports.SUPPRESSION_WORDS))
        self.governors_summary = page.add(_words())
        self.governors_tables: list[QTableWidget] = []
        for title in reports.GOVERNOR_SECTIONS:
            page.add(_words(f"<b>{title}</b>"))
            table = page.add(text_table(f"governors_{len(self.governors_tables)}"))
            table.setMinimumHeight(150)
            self.governors_tables.append(table)
        self.tabs.addTab(page, "&Governors")

    # --- showing --------------------------------------------------------------------------------

    @property
    def period(self) -> Period:
        return Period(_pydate(self.start.date()), _pydate(self.end.date()))

    def reload(self) -> None:
        period = self.period
        if period.ends_on < period.starts_on:
            self.problem.setText("The period ends before it starts.")
            return
        self.problem.setText("")
        today = self.today
        self.show_button.setEnabled(False)  # one count at a time
        self.pdf_button.setEnabled(False)
        self.csv_button.setEnabled(False)

        def count(vault: Vault) -> Figures:
            # Off the GUI thread: at 20,000 pupils the four views take about a second.
            sessions = vault.sessions
            return (
                provision_map.build(sessions, period),
                impact.build(sessions, period),
                register_analytics.build(sessions, today),
                governors.build(sessions, period, today),
            )

        background.on_file(
            self,
            "Counting the whole school's figures",
            self.ctx,
            count,
            lambda found: self._show(found, period),
            self._failed,
        )

    def _dates_changed(self) -> None:
        if self.shown_period is not None and self.period != self.shown_period:
            self.problem.setText(
                "The figures below are for "
                f"{self.shown_period.starts_on:%d/%m/%Y} to {self.shown_period.ends_on:%d/%m/%Y}: "
                "press Show to count them for the dates chosen."
            )
        elif self.show_button.isEnabled():
            self.problem.setText("")
        self._tab_changed(self.tabs.currentIndex())

    def _show(self, found: Figures, period: Period) -> None:
        self.show_button.setEnabled(True)
        self.shown_period = period
        self._dates_changed()
        spend, effect, register, report = found
        self._show_map(spend)
        self._show_impact(effect)
        self._show_register(register)
        self._show_governors(report)
        self._tab_changed(self.tabs.currentIndex())

    def _failed(self, exc: BaseException) -> None:
        self.show_button.setEnabled(True)
        self._dates_changed()  # what was shown before stays, and can still be saved
        errors.explain(self, exc, "Analytics")

    def _show_map(self, found: figures.ProvisionMap) -> None:
        self.map_summary.setText(reports.budget_words(found))
        fill(self.map_table, reports.MAP_COLUMNS, reports.map_rows(found))
        for chart, groups in zip(
            self.map_charts, (found.by_year_group, found.by_class, found.by_area), strict=True
        ):
            chart.set_data([g.label for g in groups], [g.total_pence / 100 for g in groups], _money)

    def _show_impact(self, found: figures.ImpactReport) -> None:
        fill(self.impact_table, reports.IMPACT_COLUMNS, reports.impact_rows(found))
        kinds = [k for k in found.kinds if k.delivered is not None]
        self.change_chart.set_data(
            [k.what for k in kinds],
            [round((k.delivered or 0) * 100) for k in kinds],
            lambda v: f"{v:g}%",
        )
        fill(self.escalation_table, reports.ESCALATION_COLUMNS, reports.escalation_rows(found))

    def _show_register(self, found: figures.RegisterAnalytics) -> None:
        self.register_summary.setText(
            f"{found.on_register} of {found.on_roll} pupils on roll are on the SEN register."
        )
        years, status, need, year, cls = self.register_charts
        years.set_data(
            [y.label for y in found.over_years], [y.on_register for y in found.over_years]
        )
        for chart, counts in (
            (status, found.by_status),
            (need, found.by_need),
            (year, found.by_year_group),
            (cls, found.by_class),
        ):
            chart.set_data([c.label for c in counts], [c.pupils for c in counts])

    def _show_governors(self, found: figures.GovernorsReport) -> None:
        self.governors_summary.setText(
            f"On roll today: {found.on_roll}. On the SEN register today: {found.on_register}. "
            f"Provision planned for the period: {reports.pounds(found.total_pence)}. Flagged for "
            f"escalation: {found.escalations}."
        )
        for table, (_title, header, rows) in zip(
            self.governors_tables, reports.governor_sections(found), strict=True
        ):
            fill(table, header, rows)

    def _tab_changed(self, index: int) -> None:
        # Register analytics are as of today, not for the period: no document of their own.
        documented = self.tabs.widget(index) is not self.register_page
        current = self.shown_period is not None and self.shown_period == self.period
        counting = not self.show_button.isEnabled()
        self.pdf_button.setEnabled(documented and current and not counting)
        self.csv_button.setEnabled(documented and current and not counting)

    # --- saving ---------------------------------------------------------------------------------

    def _builder(self) -> DocBuilder:
        page = self.tabs.currentWidget()
        if page is self.impact_page:
            return analytics_documents.impact_doc
        if page is self.governors_page:
            return analytics_documents.governors_doc
        return analytics_documents.provision_map_doc

    def save(self, csv: bool) -> background.Job[Printable] | None:
        """The shown report made and saved off the GUI thread, for the period it was counted
        for."""
        if self.shown_period is None or not self.pdf_button.isEnabled():
            return None
        build, period, today = self._builder(), self.shown_period, self.today
        return saving.make_and_save(
            self,
            self.ctx,
            "the report",
            lambda sessions: build(sessions, period, csv, today),
            lambda written: self.saved.emit(f"Saved {written.name}"),
        )


def _words(text: str = "") -> QLabel:
    """A line of the page that wraps: unwrapped, a long one set the page's width and the tables
    stretched past the window at 150% (from the GUI trial: "…so no child can be iden")."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label
