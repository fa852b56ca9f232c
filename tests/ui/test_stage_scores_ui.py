"""Baseline scores typed into the Assess wizard and exit scores into the Review wizard (each beside
its baseline), the actions agreed, a wizard closed half-way keeping the scores in its draft, and
what lands in the file; then the review record prints the actions."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.cycle import AssessData, OutcomePlan, PlanData, ProvisionPlan
from sendesk.measure_models import MeasureScore
from sendesk.models import Review
from sendesk.services import cycles, measures, pupils
from sendesk.services.pupils import PupilDetails
from ui.main_window import MainWindow
from ui.wizards.assess_wizard import AssessWizard
from ui.wizards.base import StageWizard
from ui.wizards.review_wizard import ReviewWizard
from ui.wizards.scores_page import ScoresTable

TODAY = dt.date(2026, 9, 3)
REVIEWED = dt.date(2026, 11, 23)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    """The wizards' today; a test moves it on to the day of the review."""
    day = [TODAY]
    monkeypatch.setattr(StageWizard, "today", staticmethod(lambda: day[0]))
    return day


def click(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def next_page(qtbot: QtBot, wizard: QWizard) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)


def type_cell(qtbot: QtBot, table: ScoresTable, row: int, column: int, text: str) -> None:
    """Into a cell as the keyboard does: F2, replace what is there, Enter."""
    view = table.table
    view.setFocus()
    view.setCurrentCell(row, column)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(view.currentIndex())
    assert isinstance(editor, QLineEdit) and view.state() == view.State.EditingState
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)


def measure(window: MainWindow, name: str) -> int:
    return next(m.id for m in measures.list_measures(window.ctx.sessions) if m.details.name == name)


def scores_in_file(window: MainWindow) -> list[tuple[str, str, float, dt.date, int | None]]:
    with window.ctx.sessions() as session:
        rows = session.execute(
            select(MeasureScore).order_by(MeasureScore.point, MeasureScore.measure_name)
        ).scalars()
        return [(s.point, s.measure_name, s.value, s.recorded_on, s.cycle_id) for s in rows]


def test_baselines_at_assess_and_exit_scores_at_review_through_the_wizards(
    qtbot: QtBot, empty_window: MainWindow, today: list[dt.date]
) -> None:
    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Okafor", "Chidi", year_group=3))
    window.load_register()
    window.register.select_pupil(saved.pupil_id)
    window.record.tabs.setCurrentWidget(window.record.cycles)
    tab = window.record.cycles
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    wizard = tab.wizard
    assert isinstance(wizard, AssessWizard)
    qtbot.keyClicks(wizard.concern_page.concern, "Reading well below age-related expectations")
    next_page(qtbot, wizard)
    wizard.needs_page.needs.item(0).setCheckState(Qt.CheckState.Checked)  # SPLD
    for _ in range(2):
        next_page(qtbot, wizard)
    page = wizard.scores_page
    assert wizard.currentPage() is page
    table = page.table
    for _ in range(2):
        qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(table.combo(0, 0), "Rea")  # Reading age, chosen by typing
    qtbot.keyClicks(table.combo(1, 0), "Sta")  # Standardised reading score (69 to 141)
    assert table.combo(0, 0).code() == measure(window, "Reading age")
    assert table.values()[0][2] == "03/09/2026"  # the date starts as today
    type_cell(qtbot, table, 0, 1, "84 months")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is page  # refused, in words that name the measure
    assert "The score for Reading age must be a number" in page.problems.text()
    type_cell(qtbot, table, 0, 1, "84")
    type_cell(qtbot, table, 1, 1, "150")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is page
    assert "Standardised reading score runs from 69 to 141" in page.problems.text()
    type_cell(qtbot, table, 1, 1, "88")
    type_cell(qtbot, table, 1, 2, "01/09/2026")

    wizard.close()  # closed half-way: the draft keeps the scores typed
    assert scores_in_file(window) == []
    again = tab.continue_cycle()
    assert isinstance(again, AssessWizard) and again.currentPage() is again.scores_page
    assert [row[:3] for row in again.scores_page.table.values()] == [
        [measure(window, "Reading age"), "84", "03/09/2026"],
        [measure(window, "Standardised reading score"), "88", "01/09/2026"],
    ]
    next_page(qtbot, again)
    click(qtbot, again, QWizard.WizardButton.FinishButton)
    assert not again.isVisible()
    cycle_id = cycles.open_cycle_id(window.ctx.sessions, saved.pupil_id)
    assert scores_in_file(window) == [
        ("baseline", "Reading age", 84, TODAY, cycle_id),
        ("baseline", "Standardised reading score", 88, dt.date(2026, 9, 1), cycle_id),
    ]
    assert cycle_id is not None

    # Reopened to correct it: the baselines show again, and saving replaces rather than adds.
    cycles.reopen(window.ctx.sessions, cycle_id, "assess")
    corrected = AssessWizard(window.ctx, saved.pupil_id, cycle_id, window)
    qtbot.addWidget(corrected)
    shown = corrected.scores_page.table
    assert [row[1] for row in shown.values()] == ["84", "88"]
    type_cell(qtbot, shown, 0, 1, "86")
    corrected.show()
    for _ in range(4):
        next_page(qtbot, corrected)
    click(qtbot, corrected, QWizard.WizardButton.FinishButton)
    assert [(p, n, v) for p, n, v, _d, _c in scores_in_file(window)] == [
        ("baseline", "Reading age", 86),
        ("baseline", "Standardised reading score", 88),
    ]

    # Plan and Do through the services; then the Review, weeks later.
    cycles.save_plan(
        window.ctx.sessions, cycle_id,
        PlanData(
            outcomes=[OutcomePlan("will read 40 words", "reads 40/40", "CL")],
            provisions=[ProvisionPlan("Precision teaching", "TA", 1, 3, 15, 10)],
            review_date=REVIEWED, parents_informed_on=TODAY, parents_informed_how="Meeting",
        ),
        complete=True, today=TODAY,
    )  # fmt: skip
    cycles.begin_review(window.ctx.sessions, cycle_id)
    today[0] = REVIEWED
    review = ReviewWizard(window.ctx, saved.pupil_id, cycle_id, window)
    qtbot.addWidget(review)
    review.show()
    [(rating, _comment)] = review.ratings_page.rows.values()
    qtbot.keyClicks(rating, "A")  # Achieved
    next_page(qtbot, review)
    [impact] = review.impact_page.impacts.values()
    qtbot.keyClicks(impact, "Reading age up 6 months")
    next_page(qtbot, review)
    exits = review.scores_page
    assert review.currentPage() is exits
    # A row ready for each measure with a baseline, the baseline beside its exit box.
    rows = exits.table.values()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (measure(window, "Reading age"), "86 months at Assess on 03/09/2026", "", "23/11/2026"),
        (
            measure(window, "Standardised reading score"),
            "88 standard score at Assess on 01/09/2026",
            "",
            "23/11/2026",
        ),
    ]
    header = exits.table.table.horizontalHeaderItem
    assert [header(c).text() for c in range(4)] == [  # type: ignore[union-attr]
        "Measure", "Baseline", "Exit score", "Date (DD/MM/YYYY)",
    ]  # fmt: skip
    beside = exits.table.table.item(0, 1)
    assert (
        beside is not None and beside.toolTip() == "Reading age: 86 months at Assess on 03/09/2026"
    )
    assert not beside.flags() & Qt.ItemFlag.ItemIsEditable
    type_cell(qtbot, exits.table, 0, 2, "92")  # the standardised score left empty: not taken
    next_page(qtbot, review)
    next_page(qtbot, review)
    review.next_page.buttons["continue"].setChecked(True)
    qtbot.keyClicks(review.next_page.agreed, "Mrs Hughes; daily reading; 01/02/2027")
    review.close()  # half-way again: the draft keeps the exit score and the actions
    window.record.cycles.load()  # the tab shows the stage the services moved the cycle on to
    resumed = window.record.cycles.continue_cycle()
    assert isinstance(resumed, ReviewWizard) and resumed.currentPage() is resumed.next_page
    assert resumed.scores_page.table.values()[0][2] == "92"
    assert resumed.next_page.agreed.toPlainText() == "Mrs Hughes; daily reading; 01/02/2027"
    next_page(qtbot, resumed)
    summary = resumed.summary_page.summary.text()
    assert "Reading age: 86 → 92 months" in summary
    assert "Mrs Hughes; daily reading; 01/02/2027" in summary
    click(qtbot, resumed, QWizard.WizardButton.FinishButton)
    assert not resumed.isVisible()
    assert [(p, n, v, d) for p, n, v, d, _c in scores_in_file(window)] == [
        ("baseline", "Reading age", 86, TODAY),
        ("baseline", "Standardised reading score", 88, dt.date(2026, 9, 1)),
        ("exit", "Reading age", 92, REVIEWED),
    ]
    assert {c for *_, c in scores_in_file(window)} == {cycle_id}  # the reviewed cycle's
    with window.ctx.sessions() as session:
        actions = session.execute(select(Review.actions)).scalar_one()
    assert actions == "Mrs Hughes; daily reading; 01/02/2027"


def test_the_review_asks_for_the_score_a_provision_is_measured_by_without_a_baseline(
    qtbot: QtBot, empty_window: MainWindow, today: list[dt.date]
) -> None:
    """No baseline was taken, but the plan said its impact is shown by the spelling age: the
    Review offers that row (its baseline cell says "none") and the exit score lands in the file."""
    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Nowak", "Maja", year_group=4))
    cycle_id = cycles.start(window.ctx.sessions, saved.pupil_id, TODAY)
    cycles.save_assess(
        window.ctx.sessions, cycle_id,
        AssessData(concern="Spelling well below peers", needs=["SPLD"]),
        complete=True,
    )  # fmt: skip
    spelling = measure(window, "Spelling age")
    cycles.save_plan(
        window.ctx.sessions, cycle_id,
        PlanData(
            outcomes=[OutcomePlan("will spell 30 common words", "30/30 in a dictation", "CL")],
            provisions=[
                ProvisionPlan("Toe by Toe", "TA", 1, 3, 15, 10),
                ProvisionPlan("Spelling group", "TA", 4, 2, 20, 10, measure_id=spelling),
            ],
            review_date=REVIEWED, parents_informed_on=TODAY, parents_informed_how="Meeting",
        ),
        complete=True, today=TODAY,
    )  # fmt: skip
    cycles.begin_review(window.ctx.sessions, cycle_id)
    today[0] = REVIEWED
    review = ReviewWizard(window.ctx, saved.pupil_id, cycle_id, window)
    qtbot.addWidget(review)
    review.show()
    [(rating, _comment)] = review.ratings_page.rows.values()
    qtbot.keyClicks(rating, "A")
    next_page(qtbot, review)
    for impact in review.impact_page.impacts.values():
        qtbot.keyClicks(impact, "Some progress")
    next_page(qtbot, review)
    exits = review.scores_page
    assert exits is not None and review.currentPage() is exits
    assert [(r[0], r[1], r[2]) for r in exits.table.values()] == [(spelling, "none", "")]
    type_cell(qtbot, exits.table, 0, 2, "98")
    next_page(qtbot, review)
    next_page(qtbot, review)
    review.next_page.buttons["continue"].setChecked(True)
    next_page(qtbot, review)
    click(qtbot, review, QWizard.WizardButton.FinishButton)
    assert not review.isVisible()
    assert [(p, n, v, d, c) for p, n, v, d, c in scores_in_file(window)] == [
        ("exit", "Spelling age", 98, REVIEWED, cycle_id),
    ]


def test_a_review_with_no_baseline_and_no_measured_provision_takes_no_scores_step(
    qtbot: QtBot, empty_window: MainWindow, today: list[dt.date]
) -> None:
    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Nowak", "Maja", year_group=4))
    cycle_id = cycles.start(window.ctx.sessions, saved.pupil_id, TODAY)
    cycles.save_assess(
        window.ctx.sessions, cycle_id, AssessData(concern="Spelling", needs=["SPLD"]), complete=True
    )
    cycles.save_plan(
        window.ctx.sessions, cycle_id,
        PlanData(
            outcomes=[OutcomePlan("will spell 30 common words", "30/30", "CL")],
            provisions=[ProvisionPlan("Toe by Toe", "TA", 1, 3, 15, 10)],
            review_date=REVIEWED, parents_informed_on=TODAY, parents_informed_how="Meeting",
        ),
        complete=True, today=TODAY,
    )  # fmt: skip
    cycles.begin_review(window.ctx.sessions, cycle_id)
    review = ReviewWizard(window.ctx, saved.pupil_id, cycle_id, window)
    qtbot.addWidget(review)
    assert review.scores_page is None
    review.close()  # while the file is open: closing keeps a draft
