"""Plan: outcomes (with example outcomes per area), provision with its cost, strategies, and the
review date with the parents' involvement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes, dates, money
from sendesk import cycle as rules
from sendesk.cycle import OutcomePlan, PlanData, ProvisionPlan
from sendesk.errors import BadInput
from sendesk.services import Sessions, cycles, examples, measures, meetings
from sendesk.wording import tidy
from ui.context import FileContext
from ui.widgets import CodeCombo, DateField, LiveLabel, add_row, text_area, text_field
from ui.wizards.base import StagePage, StageWizard
from ui.wizards.rows_table import Column, RowsTable

AREAS = tuple((a.code, a.label) for a in codes.AREAS_OF_NEED)
OUTCOME_COLUMNS = (
    Column("Area of need", AREAS, blank="", shown_chars=16),  # drops down whole
    Column("What the pupil will achieve", stretch=True),
    Column("How we will know", stretch=True),
    Column("By when (DD/MM/YYYY)"),
)
# Ten columns fit a 1366 by 768 screen at 150 %: the numbers' headings take two lines, and the
# texts share what is left, wrapping.
PROVISION_COLUMNS = (
    Column("What", stretch=True),
    Column("Who delivers it", stretch=True, heading="Who\ndelivers it"),
    Column("Where and when", stretch=True, heading="Where and\nwhen"),
    Column("Group size", default="1", heading="Group\nsize"),
    Column("Sessions a week", default="1", heading="Sessions\na week"),
    Column("Minutes", default="30"),
    Column("Weeks", default="12"),
    Column("Fixed cost £ (optional)", heading="Fixed cost £\n(optional)"),
    Column("Expected impact", stretch=True, heading="Expected\nimpact"),
)
MEASURED_BY = "Measured by"
# The provision table's columns before it had where and when, expected impact and the measure:
# a draft saved then holds its cells in this order.
FIRST_PROVISION_TITLES = (
    "What", "Who delivers it", "Group size", "Sessions a week", "Minutes", "Weeks",
    "Fixed cost £ (optional)",
)  # fmt: skip


def provision_columns(sessions: Sessions, kept: Iterable[int | None] = ()) -> list[Column]:
    """The provision table's columns, "Measured by" offering the school's measures (and a
    retired one a provision of this plan already names, so opening the plan keeps it)."""
    named = set(kept)
    choices = [
        (m.id, f"{m.details.name} (retired)" if m.retired else m.details.name)
        for m in measures.list_measures(sessions, include_retired=True)
        if not m.retired or m.id in named
    ]
    return [
        *PROVISION_COLUMNS,
        Column(MEASURED_BY, choices, blank="", heading="Measured\nby", shown_chars=12),
    ]


def _number(text: object, what: str, kind: type[int] | type[float] = int) -> Any:
    try:
        return kind(str(text).strip() or 0)
    except ValueError as exc:
        raise BadInput(f"{what} must be a number; {text!r} is not.") from exc


class OutcomesPage(StagePage):
    def __init__(self, ctx: FileContext) -> None:
        super().__init__(
            "Outcomes",
            "What the pupil should achieve, specific and measurable, agreed with parents.",
        )
        self.ctx = ctx
        self.examples = examples.load(ctx.sessions)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        self.table = RowsTable("Outcomes", OUTCOME_COLUMNS, "&Add outcome")
        layout.addWidget(self.table)
        picker = QHBoxLayout()
        # Sized to a few words, not to the longest area or example (they drop down whole): at
        # 150 % the row was wider than a laptop's window, and the page scrolled sideways.
        self.area = CodeCombo("Example area", AREAS, shown_chars=16)
        self.example = QComboBox()
        self.example.setAccessibleName("Example outcome")
        self.example.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.example.setMinimumContentsLength(20)
        self.use_example = QPushButton("Use &example")
        self.keep_example = QPushButton("&Keep the selected row as an example")
        picker.addWidget(QLabel("Examples:"))
        picker.addWidget(self.area)
        picker.addWidget(self.example, 1)
        picker.addWidget(self.use_example)
        layout.addLayout(picker)
        layout.addWidget(self.keep_example)
        self.area.currentIndexChanged.connect(self._fill_examples)
        self.use_example.clicked.connect(self.add_example)
        self.keep_example.clicked.connect(self.keep_selected)
        self._fill_examples()

    def _fill_examples(self) -> None:
        self.example.clear()
        for item in self.examples.get(str(self.area.code()), []):
            self.example.addItem(item.description, item)

    def add_example(self) -> None:
        chosen = self.example.currentData()
        if isinstance(chosen, examples.ExampleOutcome):
            self.table.add_row([self.area.code(), chosen.description, chosen.success_criteria, ""])

    def keep_selected(self) -> None:
        row = self.table.table.currentRow()
        values = self.table.values()
        if row < 0 or row >= len(values) or not values[row][0]:
            self.complain("Choose a row with an area of need first.")
            return
        area, description, criteria, _ = values[row]
        examples.add(
            self.ctx.sessions, str(area), examples.ExampleOutcome(str(description), str(criteria))
        )
        self.examples = examples.load(self.ctx.sessions)
        self._fill_examples()
        self.complain(None)

    def outcomes(self) -> list[OutcomePlan]:
        found = []
        for key, (area, what, how, when) in self.table.keyed_values():
            stored_id, carried_from = key if isinstance(key, list | tuple) else (None, None)
            found.append(
                OutcomePlan(
                    str(what), str(how), str(area) if area else None,
                    dates.parse_optional(str(when)), carried_from, stored_id,
                )
            )  # fmt: skip
        return found

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            outcomes = self.outcomes()
        except BadInput as exc:
            return self.complain(exc.message)
        # The plan's rules, once, in sendesk.cycle: each page checks its own part of them.
        return self.complain(rules.plan_problems(PlanData(outcomes=outcomes)).get("outcomes"))


class ProvisionPage(StagePage):
    def __init__(
        self, ctx: FileContext, cycle_id: int, kept_measures: Iterable[int | None] = ()
    ) -> None:
        super().__init__(
            "Provision",
            "The support: what, who, where and when, how often, for how long, in what group, "
            "the impact expected and the measure that will show it.",
        )
        self.ctx = ctx
        self.cycle_id = cycle_id
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        columns = provision_columns(ctx.sessions, kept_measures)
        self.table = RowsTable("Provision", columns, "&Add provision")
        layout.addWidget(self.table)
        self.cost = LiveLabel("Provision cost")
        layout.addWidget(self.cost)
        self.table.changed.connect(self.update_cost)

    def provisions(self) -> list[ProvisionPlan]:
        found = []
        for key, cells in self.table.keyed_values():
            what, who, where, group, per_week, minutes, weeks, fixed, impact, measure = cells
            fixed_pence = money.parse_pence(str(fixed), f"The fixed cost of {what}")
            found.append(
                ProvisionPlan(
                    str(what),
                    str(who),
                    _number(group, "Group size"),
                    _number(per_week, "Sessions a week", float),
                    _number(minutes, "Minutes"),
                    _number(weeks, "Weeks"),
                    fixed_pence,
                    key if isinstance(key, int) else None,
                    where_when=str(where),
                    expected_impact=str(impact),
                    measure_id=measure if isinstance(measure, int) else None,
                )
            )
        return found

    def update_cost(self) -> None:
        try:
            plan = PlanData(provisions=self.provisions())
        except BadInput as exc:
            self.cost.setText(exc.message)
            return
        self.cost.setText(cycles.plan_cost(self.ctx.sessions, plan, self.cycle_id).sentence())

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            provisions = self.provisions()
        except BadInput as exc:
            return self.complain(exc.message)
        return self.complain(rules.plan_problems(PlanData(provisions=provisions)).get("provisions"))


class StrategiesPage(StagePage):
    def __init__(self) -> None:
        super().__init__("Strategies", "For every adult who works with the pupil: one per line.")
        layout = QVBoxLayout(self)
        self.strategies = text_area("Strategies", "e.g. Give instructions one step at a time")
        layout.addWidget(self.strategies)

    def lines(self) -> list[str]:
        return [line.strip() for line in self.strategies.toPlainText().splitlines() if line.strip()]


class ReviewDatePage(StagePage):
    def __init__(self, ctx: FileContext, cycle_id: int, today: Callable[[], dt.date]) -> None:
        super().__init__(
            "Review date and parents", "When the plan is reviewed, and how parents were told."
        )
        self.ctx = ctx
        self.cycle_id = cycle_id
        self.today = today  # the wizard's clock: warnings judge the date as the save will
        form = QFormLayout(self)
        form.addRow(self.problems)
        self.review_date = DateField("Review date")
        self.informed_on = DateField("Parents told on")
        self.informed_how = text_field("How parents were told", 200)
        self.informed_how.setPlaceholderText("e.g. Meeting at school with mum")
        add_row(form, "&Review date:", self.review_date)
        add_row(form, "Parents told &on:", self.informed_on)
        add_row(form, "&How:", self.informed_how)
        self.warnings = LiveLabel("Review date warnings")
        form.addRow(self.warnings)
        self.meeting = LiveLabel("Review meeting")
        form.addRow(self.meeting)
        self.review_date.textChanged.connect(self.check_date)

    def offer_defaults(self, targets: list[dt.date | None], today: dt.date) -> None:
        """Fill what is still empty: the review when the last outcome is due (or about a term
        on), and the parents told today, for the SENCo to change."""
        if not self.review_date.text().strip():
            self.review_date.set_value(rules.default_review_date(targets, today))
        if not self.informed_on.text().strip():
            self.informed_on.set_value(today)
        self.check_date()

    def check_date(self) -> None:
        try:
            day = self.review_date.value()
        except BadInput:
            self.warnings.clear()
            self.meeting.setText(meetings.review_to_book(self.ctx.sessions, self.cycle_id, None))
            return
        found = cycles.review_date_warnings(self.ctx.sessions, day, self.today()) if day else []
        self.warnings.setText("\n".join(f"⚠ {w}" for w in found))
        self.meeting.setText(meetings.review_to_book(self.ctx.sessions, self.cycle_id, day))

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            review, told = self.review_date.value(), self.informed_on.value()
        except BadInput as exc:
            return self.complain(exc.message)
        problems = rules.plan_problems(
            PlanData(review_date=review, parents_informed_on=told,
                     parents_informed_how=self.informed_how.text())
        )  # fmt: skip
        return self.complain(problems.get("review_date") or problems.get("parents_informed"))


class PlanWizard(StageWizard):
    stage = "plan"

    def __init__(
        self, ctx: FileContext, pupil_id: int, cycle_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, pupil_id, cycle_id, parent)
        self.outcomes_page = OutcomesPage(ctx)
        kept = [p.measure_id for p in self.state.plan.provisions]
        self.provision_page = ProvisionPage(ctx, cycle_id, kept)
        self.strategies_page = StrategiesPage()
        self.review_page = ReviewDatePage(ctx, cycle_id, self.today)
        for page in (
            self.outcomes_page,
            self.provision_page,
            self.strategies_page,
            self.review_page,
        ):
            self.addPage(page)
        self.setButtonText(StageWizard.WizardButton.FinishButton, "&Agree the plan")
        self._show(self.state.plan)
        # The examples open on the pupil's own area of need.
        area = rules.first_area(self.state.assess.needs, self.pupil_needs)
        if area is not None:
            self.outcomes_page.area.set_code(area)

    def _show(self, plan: PlanData) -> None:
        # Rows carry their stored ids, so a corrected plan keeps links and delivered sessions.
        self.outcomes_page.table.set_values(
            ([o.area_code, o.description, o.success_criteria, dates.show(o.target_date)]
             for o in plan.outcomes),
            [[o.id, o.carried_forward_from_id] for o in plan.outcomes],
        )  # fmt: skip
        self.provision_page.table.set_values(
            ([p.description, p.delivered_by, p.where_when, p.group_size,
              _plain(p.sessions_per_week), p.minutes_per_session, p.weeks,
              "" if p.fixed_cost_pence is None else f"{p.fixed_cost_pence / 100:.2f}",
              p.expected_impact, p.measure_id]
             for p in plan.provisions),
            [p.id for p in plan.provisions],
        )  # fmt: skip
        self.strategies_page.strategies.setPlainText("\n".join(plan.strategies))
        self.review_page.review_date.set_value(plan.review_date)
        self.review_page.informed_on.set_value(plan.parents_informed_on)
        self.review_page.informed_how.setText(plan.parents_informed_how)
        self.provision_page.update_cost()

    def initializePage(self, page_id: int) -> None:  # noqa: N802 - Qt's name
        super().initializePage(page_id)
        if self.page(page_id) is self.review_page:
            try:
                targets = [o.target_date for o in self.outcomes_page.outcomes()]
            except BadInput:  # a date not real yet: the outcomes page says so
                targets = []
            self.review_page.offer_defaults(targets, self.today())

    def plan(self) -> PlanData:
        return PlanData(
            outcomes=self.outcomes_page.outcomes(),
            provisions=self.provision_page.provisions(),
            strategies=self.strategies_page.lines(),
            review_date=self.review_page.review_date.value(),
            parents_informed_on=self.review_page.informed_on.value(),
            parents_informed_how=self.review_page.informed_how.text(),
        )

    def collect(self) -> dict[str, Any]:
        return {
            "outcomes": self.outcomes_page.table.keyed_values(),
            "provisions": self.provision_page.table.keyed_values(),
            "provision_columns": self.provision_page.table.titles(),
            "strategies": self.strategies_page.strategies.toPlainText(),
            "review_date": self.review_page.review_date.text(),
            "informed_on": self.review_page.informed_on.text(),
            "informed_how": self.review_page.informed_how.text(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        outcomes = data.get("outcomes", [])
        self.outcomes_page.table.set_values(
            [cells for _, cells in outcomes], [key for key, _ in outcomes]
        )
        provisions = data.get("provisions", [])
        self.provision_page.table.set_titled_values(
            [cells for _, cells in provisions],
            data.get("provision_columns") or FIRST_PROVISION_TITLES,
            [key for key, _ in provisions],
        )
        self.strategies_page.strategies.setPlainText(data.get("strategies", ""))
        self.review_page.review_date.setText(data.get("review_date", ""))
        self.review_page.informed_on.setText(data.get("informed_on", ""))
        self.review_page.informed_how.setText(data.get("informed_how", ""))

    def apply(self) -> str:
        saved = cycles.save_plan(
            self.ctx.sessions,
            self.cycle_id,
            self.plan(),
            complete=True,
            today=self.today(),
            seen=self.seen,
            book_review=True,
        )
        # Each warning and the booking a sentence of its own (from the GUI trial: "plan agreed
        # (The review date falls in a school holiday.). The review meeting…").
        sentences = [f"Cycle {self.state.number}: plan agreed.", *saved.warnings]
        if saved.review:
            sentences.append(f"{saved.review.sentence()}.")
        return tidy(" ".join(sentences))


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
