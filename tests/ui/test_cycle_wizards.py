"""One pupil through two full cycles by typing into the real stage wizards, with a wizard closed
half-way and resumed, and the file checked after every stage."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.dates import monday_of
from sendesk.models import Cycle, Outcome, ProvisionSession, Referral
from sendesk.services import cycles, pupils
from sendesk.services.pupils import PupilDetails
from tests.ui.conftest import MessageBoxes
from ui.main_window import MainWindow
from ui.wizards.assess_wizard import AssessWizard
from ui.wizards.base import StageWizard
from ui.wizards.do_wizard import DoWizard
from ui.wizards.plan_wizard import PlanWizard
from ui.wizards.review_wizard import ReviewWizard


def click(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def next_page(qtbot: QtBot, wizard: QWizard) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)


def finish(qtbot: QtBot, wizard: QWizard) -> None:
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible(), "the wizard should close when its stage is applied"


def continue_stage(window: MainWindow, expected: type[StageWizard]) -> StageWizard:
    tab = window.record.cycles
    assert tab.continue_button.isVisible()
    wizard = tab.continue_cycle()
    assert isinstance(wizard, expected) and wizard.isVisible()
    return wizard


def stored_cycle(window: MainWindow, number: int) -> Cycle:
    with window.ctx.sessions() as session:
        return session.execute(select(Cycle).where(Cycle.number == number)).scalar_one()


def assess(qtbot: QtBot, window: MainWindow, wizard: AssessWizard, close_half_way: bool) -> None:
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.concern_page  # a concern is required
    assert "concern" in wizard.concern_page.problems.text()
    qtbot.keyClicks(wizard.concern_page.concern, "Reading well below age-related expectations")
    next_page(qtbot, wizard)
    if not wizard.needs_page.checked():  # a first cycle: no need recorded yet
        next_page(qtbot, wizard)  # nothing ticked: the census needs a primary need
        assert wizard.currentPage() is wizard.needs_page
        assert "at least one area of need" in wizard.needs_page.problems.text()
    needs = wizard.needs_page.needs
    needs.item(0).setCheckState(Qt.CheckState.Checked)  # SPLD
    next_page(qtbot, wizard)
    if close_half_way:
        wizard.close()  # closed half-way: a draft keeps it
        assert cycles.load_draft(window.ctx.sessions, window.record.pupil_id, "assess") is not None
        wizard = continue_stage(window, AssessWizard)  # type: ignore[assignment]
        assert wizard.currentPage() is wizard.evidence_page  # resumed on the same page
        assert wizard.concern_page.concern.toPlainText().startswith("Reading well below")
        assert wizard.needs_page.checked() == ["SPLD"]
    table = wizard.evidence_page.table
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    table.combo(0, 0).set_code("standardised_test")
    table.set_text(0, 1, "02/11/2026")
    table.set_text(0, 2, "Salford reading test")
    table.set_text(0, 3, "RA 6y2m")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.scores_page
    next_page(qtbot, wizard)
    qtbot.keyClicks(wizard.views_page.parents, "Homework ends in tears")
    finish(qtbot, wizard)
    assert cycles.load_draft(window.ctx.sessions, window.record.pupil_id, "assess") is None


def plan(qtbot: QtBot, window: MainWindow, wizard: PlanWizard, carried: int) -> None:
    page = wizard.outcomes_page
    assert page.table.table.rowCount() == carried
    page.area.set_code("CL")
    qtbot.mouseClick(page.use_example, Qt.MouseButton.LeftButton)
    assert page.table.table.rowCount() == carried + 1
    next_page(qtbot, wizard)
    provision = wizard.provision_page
    qtbot.mouseClick(provision.table.add_button, Qt.MouseButton.LeftButton)
    provision.table.set_text(0, 0, "Precision teaching")
    provision.table.set_text(0, 1, "Mrs Hughes (TA)")
    provision.table.set_text(0, 4, "3")
    provision.table.set_text(0, 5, "15")
    provision.table.set_text(0, 6, "10")
    assert "£135" in provision.cost.text() and "within" in provision.cost.text()
    for bad in ("inf", "£1,2,3", "1_000"):  # a sentence in the cost line, never a crash
        provision.table.set_text(0, 7, bad)
        assert "must be an amount of money" in provision.cost.text()
    provision.table.set_text(0, 7, "")
    assert "£135" in provision.cost.text()
    next_page(qtbot, wizard)
    qtbot.keyClicks(wizard.strategies_page.strategies, "Pre-teach key vocabulary")
    next_page(qtbot, wizard)
    review = wizard.review_page
    review.review_date.setText("13/03/2027")  # a Saturday
    assert "weekend" in review.warnings.text()
    review.review_date.setText("15/03/2027")
    qtbot.keyClicks(review.informed_on, "23/11/2026")
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert "how the parents were told" in review.problems.text()
    qtbot.keyClicks(review.informed_how, "Meeting with mum")
    finish(qtbot, wizard)


def do(qtbot: QtBot, window: MainWindow, wizard: DoWizard) -> None:
    page = wizard.week_page
    page.week.set_value(monday_of(dt.date(2026, 11, 23)))
    page.grid.combo(0, 1).set_code("attended")
    page.grid.combo(0, 3).set_code("absent")
    qtbot.keyClicks(page.note, "Tired on Wednesday after a late night")
    page.finished.setChecked(True)
    finish(qtbot, wizard)


def review(qtbot: QtBot, wizard: ReviewWizard, ratings: list[str], step: str) -> None:
    for (combo, comment), rating in zip(wizard.ratings_page.rows.values(), ratings, strict=True):
        combo.set_code(rating)
        qtbot.keyClicks(comment, "Discussed with mum")
    next_page(qtbot, wizard)
    for field in wizard.impact_page.impacts.values():
        qtbot.keyClicks(field, "Reading age up 6 months")
    next_page(qtbot, wizard)
    qtbot.keyClicks(wizard.meeting_page.attendees, "Mum, class teacher, SENCo")
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    assert "Choose the next step" in wizard.next_page.problems.text()
    # The service and the request's date are asked for only with their own steps.
    asked = (wizard.next_page.service, wizard.next_page.ehcna_on)
    assert [f.isEnabled() for f in asked] == [False, False]
    wizard.next_page.buttons[step].setChecked(True)
    assert [f.isEnabled() for f in asked] == [step == "specialist", step == "ehcna"]
    if step == "specialist":
        wizard.next_page.service.set_code("EP")
    next_page(qtbot, wizard)
    assert "Next step:" in wizard.summary_page.summary.text()
    finish(qtbot, wizard)


def test_two_full_cycles_through_the_wizards(
    qtbot: QtBot, empty_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Okafor", "Chidi", year_group=3))
    window.load_register()
    window.register.select_pupil(saved.pupil_id)
    window.record.tabs.setCurrentWidget(window.record.cycles)
    tab = window.record.cycles
    assert tab.start_button.isVisible() and not tab.continue_button.isVisible()

    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    wizard = tab.wizard
    assert isinstance(wizard, AssessWizard)
    assess(qtbot, window, wizard, close_half_way=True)
    first = stored_cycle(window, 1)
    assert first.stage == "plan" and first.concern.startswith("Reading")

    plan(qtbot, window, continue_stage(window, PlanWizard), carried=0)  # type: ignore[arg-type]
    assert stored_cycle(window, 1).stage == "do"
    assert pupils.details(window.ctx.sessions, saved.pupil_id).sen_status == "K"
    assert "£135" in tab.status.text()

    do(qtbot, window, continue_stage(window, DoWizard))  # type: ignore[arg-type]
    with window.ctx.sessions() as session:
        held = session.execute(select(ProvisionSession.attended)).scalars().all()
    assert sorted(held) == [False, True]
    from sendesk.services import notes

    logged = notes.list_for(window.ctx.sessions, saved.pupil_id)
    assert any("Tired on Wednesday" in n.text and "23/11/2026" in n.text for n in logged)
    assert stored_cycle(window, 1).stage == "review"

    review(qtbot, continue_stage(window, ReviewWizard), ["some_progress"], "specialist")  # type: ignore[arg-type]
    assert stored_cycle(window, 1).stage == "closed"
    second = stored_cycle(window, 2)
    assert second.stage == "assess" and second.previous_cycle_id == first.id
    with window.ctx.sessions() as session:
        assert session.execute(select(Referral.service)).scalar_one() == "EP"
        carried = session.execute(select(Outcome).where(Outcome.cycle_id == second.id)).scalar_one()
        assert carried.carried_forward_from_id is not None

    assess(qtbot, window, continue_stage(window, AssessWizard), close_half_way=False)  # type: ignore[arg-type]
    plan(qtbot, window, continue_stage(window, PlanWizard), carried=1)  # type: ignore[arg-type]
    do(qtbot, window, continue_stage(window, DoWizard))  # type: ignore[arg-type]
    review(qtbot, continue_stage(window, ReviewWizard), ["achieved", "achieved"], "exit")  # type: ignore[arg-type]
    assert stored_cycle(window, 2).stage == "closed"
    assert cycles.open_cycle_id(window.ctx.sessions, saved.pupil_id) is None
    assert pupils.details(window.ctx.sessions, saved.pupil_id).sen_status == "N"
    assert tab.start_button.isVisible()
    assert tab.tree.topLevelItemCount() == 2
    # Each outcome reads across the whole row, its rating first: in its own column, beside the
    # stage and dates, every target read "The pupil will …" at 150 %.
    newest = tab.tree.topLevelItem(0)
    assert newest is not None and newest.childCount() == 2
    # Each column's text whole in its tooltip, where a small screen (200 %) cuts the column.
    assert [newest.toolTip(c) for c in range(3)] == [newest.text(c) for c in range(3)]
    assert newest.toolTip(1).startswith("Closed: Good progress")
    for n in range(newest.childCount()):
        row = newest.child(n)
        assert row.isFirstColumnSpanned()
        assert row.text(0).startswith("Achieved: ") and len(row.text(0)) > len("Achieved: ")


def test_a_wizard_open_when_the_app_locks_keeps_its_draft(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Brontë", "Zoë"))
    window.load_register()
    window.register.select_pupil(saved.pupil_id)
    window.record.cycles.start_cycle()
    wizard = window.record.cycles.wizard
    assert isinstance(wizard, AssessWizard)
    qtbot.keyClicks(wizard.concern_page.concern, "Very anxious in the mornings")
    window.lock()
    assert not wizard.isVisible()
    from sendesk.vault import Vault
    from tests.conftest import PASSPHRASE

    qtbot.waitUntil(lambda: not window.ctx.is_open, timeout=20_000)  # closed after its backup
    with Vault.open(window.path, PASSPHRASE, read_only=True) as other_look:  # the draft is in it
        _page, draft = cycles.load_draft(other_look.sessions, saved.pupil_id, "assess") or (0, {})
    assert draft["fields"]["concern"] == "Very anxious in the mornings"
    window.lock_screen.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    assert wizard.isVisible()
    assert wizard.concern_page.concern.toPlainText() == "Very anxious in the mornings"


def test_a_review_meeting_marked_held_opens_the_review_wizard(
    qtbot: QtBot, empty_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Wójcik", "Łukasz"))
    cycle_id = cycles.start(window.ctx.sessions, saved.pupil_id)
    window.load_register()
    window._review_held(saved.pupil_id, 0)  # what the calendar emits when a review is held
    assert "agree the plan before reviewing" in message_boxes.shown[-1][1]

    from sendesk.cycle import AssessData
    from tests.unit.test_cycles_service import plan as a_plan

    cycles.save_assess(
        window.ctx.sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True
    )
    cycles.save_plan(window.ctx.sessions, cycle_id, a_plan(), complete=True)
    window._review_held(saved.pupil_id, 0)
    assert cycles.load(window.ctx.sessions, cycle_id).stage == "review"
    wizard = window.record.cycles.wizard
    assert isinstance(wizard, ReviewWizard) and wizard.isVisible()
    assert window.record.pupil_id == saved.pupil_id
    wizard.reject()


def test_an_assess_wizard_finished_after_someone_else_saved_asks_and_keeps_both(
    qtbot: QtBot, empty_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from sendesk.cycle import AssessData

    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Okafor", "Chidi", year_group=3))
    window.load_register()
    window.register.select_pupil(saved.pupil_id)
    window.record.tabs.setCurrentWidget(window.record.cycles)
    qtbot.mouseClick(window.record.cycles.start_button, Qt.MouseButton.LeftButton)
    wizard = window.record.cycles.wizard
    assert isinstance(wizard, AssessWizard)
    next_page(qtbot, wizard)
    qtbot.keyClicks(wizard.concern_page.concern, "Finds group work hard")
    # Meanwhile another window of the same file saves this cycle's Assess.
    theirs = AssessData(concern="Reading well below expectations", needs=["SPLD"])
    cycles.save_assess(window.ctx.sessions, wizard.cycle_id, theirs, complete=False)
    wizard.needs_page.needs.item(1).setCheckState(Qt.CheckState.Checked)
    while wizard.currentPage() is not wizard.views_page:
        next_page(qtbot, wizard)

    message_boxes.answer = QMessageBox.StandardButton.No  # go back to editing
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    title, text = message_boxes.shown[-1]
    assert title == "Someone else saved this first"
    assert "theirs “Reading well below expectations”, yours “Finds group work hard”" in text
    assert wizard.isVisible()
    assert wizard.concern_page.concern.toPlainText() == "Finds group work hard"
    assert stored_cycle(window, 1).concern == "Reading well below expectations"
    assert stored_cycle(window, 1).stage == "assess"

    message_boxes.answer = QMessageBox.StandardButton.Yes  # save mine over theirs, by choice
    finish(qtbot, wizard)
    assert stored_cycle(window, 1).concern == "Finds group work hard"
    assert stored_cycle(window, 1).stage == "plan"
