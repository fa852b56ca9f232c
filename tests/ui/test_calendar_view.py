"""The review calendar: schedule, move, cancel and hold meetings through the view; print; export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk import calendar
from sendesk.models import AuditEvent, Meeting
from sendesk.services import meetings, pupils
from tests.conftest import DEMO_TODAY, PASSPHRASE
from tests.ui.conftest import MessageBoxes, wait_for_background
from ui.calendar_grid import cell_lines
from ui.calendar_view import CalendarView
from ui.main_window import MainWindow
from ui.meeting_dialog import HeldDialog, MeetingDialog

WEDNESDAY = DEMO_TODAY + dt.timedelta(days=2)


@pytest.fixture(autouse=True)
def hide_dialogs_after() -> Iterator[None]:
    """Leave no dialog shown for a later test's lock to pick up after its window is gone."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            widget.hide()


def open_calendar(window: MainWindow) -> CalendarView:
    window.named_actions["calendar"].trigger()
    view = window.calendar_view
    assert isinstance(view, CalendarView) and view.isVisible()
    view.today = lambda: DEMO_TODAY
    view.go_to_today()
    return view


def first_pupil(window: MainWindow) -> int:
    return pupils.list_register(window.ctx.sessions)[0].id


def stored(window: MainWindow, meeting_id: int) -> Meeting:
    with window.ctx.sessions() as session:
        found = session.get(Meeting, meeting_id)
        assert found is not None
        session.expunge(found)
        return found


def planned_on(window: MainWindow, day: dt.date, kind: str = "sen_review") -> int:
    pupil = first_pupil(window)
    return meetings.schedule_on_day(
        window.ctx.sessions, pupil, day, kind, dt.time(9, 10), today=DEMO_TODAY
    ).meeting_id


def test_the_due_summary_counts_reviews_due_this_week_and_overdue(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    """The status bar's count goes up by one for a review planned later this week and by one
    for a review whose day has passed (whatever day the test runs on). That the first count
    waits for the register's first paint is test_first_paint's."""
    today = dt.date.today()
    before = meetings.due_summary(main_window.ctx.sessions, today)
    qtbot.waitUntil(lambda: main_window.due_label.text() == before.sentence(), timeout=10_000)
    _, sunday = calendar.week_of(today)
    planned_on(main_window, sunday)  # still to come this week (today, on a Sunday)
    planned_on(main_window, today - dt.timedelta(days=1))  # yesterday: overdue
    planned_on(main_window, today, "multi_agency")  # not a review: counted in neither
    main_window.show_due_summary()
    after = meetings.due_summary(main_window.ctx.sessions, today)
    assert (after.this_week, after.overdue) == (before.this_week + 1, before.overdue + 1)
    assert main_window.due_label.text() == after.sentence()
    assert f"{after.overdue} overdue" in main_window.due_label.text()


def test_the_view_shows_the_month_week_and_lists(main_window: MainWindow) -> None:
    view = open_calendar(main_window)
    assert view.month_label.text() == "November 2026"
    assert view.grid.day_at(0, 0) == dt.date(2026, 10, 26)  # the Monday before 1 November
    late = meetings.overdue(main_window.ctx.sessions, DEMO_TODAY)
    dated = meetings.reviews_to_schedule(main_window.ctx.sessions)
    assert view.overdue.rowCount() == len(late) + sum(r.overdue(DEMO_TODAY) for r in dated)
    soon = meetings.upcoming(main_window.ctx.sessions, DEMO_TODAY)
    assert view.upcoming.rowCount() == len(soon)
    week = meetings.between(main_window.ctx.sessions, DEMO_TODAY, DEMO_TODAY + dt.timedelta(6))
    assert view.agenda.rowCount() == len(week)
    assert (
        view.summary.text() == meetings.due_summary(main_window.ctx.sessions, DEMO_TODAY).sentence()
    )
    view.next_button.click()
    assert view.month_label.text() == "December 2026"
    view.previous_button.click()
    view.previous_button.click()
    assert view.month_label.text() == "October 2026"


def test_schedule_a_meeting_by_choosing_a_day(qtbot: QtBot, main_window: MainWindow) -> None:
    pupil = first_pupil(main_window)
    main_window.register.select_pupil(pupil)
    view = open_calendar(main_window)
    row, column = view.grid.cell_of(WEDNESDAY) or (0, 0)
    view.grid.setCurrentCell(row, column)
    assert view.selected_day == WEDNESDAY
    qtbot.mouseClick(view.schedule_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, MeetingDialog) and dialog.isVisible()
    assert dialog.day.value() == WEDNESDAY and dialog.pupil.currentData() == pupil
    dialog.time.clear()
    qtbot.keyClicks(dialog.time, "10:15")
    qtbot.keyClicks(dialog.place, "Library")
    qtbot.keyClicks(dialog.invited, "Mum; class teacher")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    [made] = [
        m
        for m in meetings.between(main_window.ctx.sessions, WEDNESDAY, WEDNESDAY)
        if m.pupil_id == pupil and m.place == "Library"
    ]
    assert (made.starts_at, made.kind, made.status, made.invited) == (
        dt.datetime.combine(WEDNESDAY, dt.time(10, 15)),
        "sen_review",
        "planned",
        "Mum; class teacher",
    )
    assert view.selected == ("meeting", made.id)
    assert any(view.agenda.item(r, 4).text() == "Library" for r in range(view.agenda.rowCount()))


def test_scheduling_warns_about_weekends_and_refuses_bad_times(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    view = open_calendar(main_window)
    saturday = dt.date(2026, 11, 28)
    row, column = view.grid.cell_of(saturday) or (0, 0)
    view.grid.cellDoubleClicked.emit(row, column)
    dialog = view.dialog
    assert isinstance(dialog, MeetingDialog)
    assert dialog.day.value() == saturday
    assert "is a weekend" in dialog.warnings.text() and not dialog.warnings.isHidden()
    dialog.day.clear()
    qtbot.keyClicks(dialog.day, "25/12/2026")
    assert "bank holiday (Christmas Day)" in dialog.warnings.text()
    dialog.time.clear()
    qtbot.keyClicks(dialog.time, "25:99")
    before = len(meetings.between(main_window.ctx.sessions, saturday, dt.date(2026, 12, 31)))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "HH:MM" in dialog.problems.text()
    after = len(meetings.between(main_window.ctx.sessions, saturday, dt.date(2026, 12, 31)))
    assert after == before
    dialog.reject()


def test_move_a_meeting(qtbot: QtBot, main_window: MainWindow) -> None:
    meeting_id = planned_on(main_window, WEDNESDAY)
    view = open_calendar(main_window)
    view.select_meeting(meeting_id)
    assert view.move_button.isEnabled()
    qtbot.mouseClick(view.move_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, MeetingDialog) and dialog.moving is not None
    dialog.day.clear()
    qtbot.keyClicks(dialog.day, "03/12/2026")
    dialog.time.clear()
    qtbot.keyClicks(dialog.time, "14:00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    old = stored(main_window, meeting_id)
    assert old.status == "moved" and old.moved_to_id is not None
    new = stored(main_window, old.moved_to_id)
    assert (new.status, new.starts_at, new.pupil_id) == (
        "planned",
        dt.datetime(2026, 12, 3, 14, 0),
        old.pupil_id,
    )
    assert view.selected == ("meeting", new.id)
    assert view.month_label.text() == "December 2026"


def test_cancel_a_meeting(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    meeting_id = planned_on(main_window, WEDNESDAY)
    view = open_calendar(main_window)
    view.select_meeting(meeting_id)
    message_boxes.answer = QMessageBox.StandardButton.No
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert stored(main_window, meeting_id).status == "planned"
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert stored(main_window, meeting_id).status == "cancelled"
    assert message_boxes.shown[-1][0] == "Cancel meeting"
    assert not view.cancel_button.isEnabled() and not view.move_button.isEnabled()


def test_hold_a_sen_support_review_emits_review_held(qtbot: QtBot, main_window: MainWindow) -> None:
    meeting_id = planned_on(main_window, DEMO_TODAY)
    pupil = stored(main_window, meeting_id).pupil_id
    view = open_calendar(main_window)
    view.select_meeting(meeting_id)
    qtbot.mouseClick(view.held_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, HeldDialog)
    dialog.attendees.clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "who attended" in dialog.problems.text()
    qtbot.keyClicks(dialog.attendees, "Mum; Mr Shah; SENCo")
    with qtbot.waitSignal(view.review_held, timeout=2_000) as signal:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert signal.args == [pupil, meeting_id]
    held = stored(main_window, meeting_id)
    assert (held.status, held.attendees) == ("held", "Mum; Mr Shah; SENCo")
    assert main_window.record.pupil_id == pupil  # the app shows the pupil whose review it was


def test_holding_other_meetings_does_not_emit_review_held(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    meeting_id = planned_on(main_window, DEMO_TODAY, "multi_agency")
    view = open_calendar(main_window)
    view.select_meeting(meeting_id)
    dialog = view.hold_selected()
    assert isinstance(dialog, HeldDialog)
    qtbot.keyClicks(dialog.attendees, "EP; SENCo")
    with qtbot.assertNotEmitted(view.review_held):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert stored(main_window, meeting_id).status == "held"


def test_a_future_meeting_cannot_be_held(qtbot: QtBot, main_window: MainWindow) -> None:
    meeting_id = planned_on(main_window, WEDNESDAY)
    view = open_calendar(main_window)
    view.select_meeting(meeting_id)
    dialog = view.hold_selected()
    assert isinstance(dialog, HeldDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "before its day" in dialog.problems.text()
    assert stored(main_window, meeting_id).status == "planned"
    dialog.reject()


def test_schedule_from_a_plans_review_date(qtbot: QtBot, main_window: MainWindow) -> None:
    meeting_id = planned_on(main_window, WEDNESDAY)
    with main_window.ctx.sessions() as session, session.begin():
        # Free an open cycle's review date of its meeting, so it waits to be scheduled.
        found = session.execute(
            Meeting.__table__.select().where(  # type: ignore[attr-defined]
                Meeting.cycle_id.is_not(None), Meeting.status == "planned"
            )
        ).first()
        assert found is not None
        session.get(Meeting, found.id).status = "cancelled"  # type: ignore[union-attr]
    view = open_calendar(main_window)
    rows = view.to_schedule.rowCount()
    assert rows >= 1
    view.lists.setCurrentWidget(view.to_schedule)
    view.to_schedule.selectRow(0)
    assert view.selected is not None and view.selected[0] == "cycle"
    cycle_id = view.selected[1]
    [waiting] = [
        r for r in meetings.reviews_to_schedule(main_window.ctx.sessions) if r.cycle_id == cycle_id
    ]
    qtbot.mouseClick(view.schedule_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, MeetingDialog)
    assert dialog.day.value() == waiting.review_date
    assert dialog.pupil.currentData() == waiting.pupil_id
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert view.to_schedule.rowCount() == rows - 1
    [made] = [
        m
        for m in meetings.between(
            main_window.ctx.sessions, waiting.review_date, waiting.review_date
        )
        if m.cycle_id == cycle_id and m.status == "planned"
    ]
    assert made.id != meeting_id and made.pupil_id == waiting.pupil_id


def test_print_the_weeks_schedule_and_export_icalendar(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from sendesk.services import meeting_exports

    made_on: list[bool] = []  # for each file made: was it made on the GUI thread?
    for name in ("week_schedule_pdf", "export_ics"):
        real = getattr(meeting_exports, name)

        def on_a_thread(*args: object, _real: object = real, **kwargs: object) -> object:
            made_on.append(threading.current_thread() is threading.main_thread())
            return _real(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(meeting_exports, name, on_a_thread)
    view = open_calendar(main_window)
    pdf = tmp_path / "week.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    main_window.named_actions["print_week"].trigger()
    wait_for_background(qtbot)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Saved the week's schedule to week.pdf" in main_window.statusBar().currentMessage()
    ics = tmp_path / "reviews.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(ics), ""))
    view.export_button.click()
    wait_for_background(qtbot)
    assert made_on == [False, False]  # both made off the GUI thread, the window kept answering
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    first, last = dt.date(2026, 9, 1), dt.date(2027, 8, 31)
    expected = [
        m
        for m in meetings.between(main_window.ctx.sessions, first, last)
        if m.status in ("planned", "held")
    ]
    assert len(events) == len(expected)
    text = ics.read_text(encoding="utf-8")
    assert not any(f"{m.forename} {m.surname}" in text for m in expected)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert view.print_week() is None


def test_the_calendar_survives_a_lock_and_unlock_says_what_is_due(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    view = open_calendar(main_window)
    main_window.lock()
    assert not view.isVisible()
    main_window.named_actions["calendar"].trigger()  # locked: nothing happens
    assert not view.isVisible()
    main_window.due_label.setText("")
    qtbot.waitUntil(lambda: not main_window.ctx.is_open, timeout=20_000)  # closed after a backup
    main_window.lock_screen.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(main_window.lock_screen.passphrase, Qt.Key.Key_Return)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: not main_window.locked, timeout=20_000)
    assert view.isVisible()  # shown again, with fresh records
    expected = meetings.due_summary(main_window.ctx.sessions).sentence()
    assert main_window.due_label.text() == expected


def test_actions_are_on_the_highlighted_meeting_never_an_earlier_one(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    earlier = planned_on(main_window, WEDNESDAY)
    view = open_calendar(main_window)
    view.select_meeting(earlier)
    assert view.cancel_button.isEnabled()
    # A day in another week is chosen: its agenda does not show that meeting, so nothing is
    # highlighted and nothing can be cancelled by mistake.
    next_week = WEDNESDAY + dt.timedelta(weeks=1)
    row, column = view.grid.cell_of(next_week) or (0, 0)
    view.grid.setCurrentCell(row, column)
    assert view.selected is None and not view.cancel_button.isEnabled()
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert stored(main_window, earlier).status == "planned"
    # Another meeting is highlighted in the upcoming list: Cancel acts on it, not the first.
    later = planned_on(main_window, DEMO_TODAY + dt.timedelta(days=3))
    view.reload()
    view.lists.setCurrentWidget(view.upcoming)
    [row] = [
        r for r in range(view.upcoming.rowCount())
        if view.upcoming.item(r, 0).data(Qt.ItemDataRole.UserRole) == f"meeting:{later}"
    ]  # fmt: skip
    rect = view.upcoming.visualItemRect(view.upcoming.item(row, 1))
    qtbot.mouseClick(view.upcoming.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected == ("meeting", later)
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert stored(main_window, later).status == "cancelled"
    assert stored(main_window, earlier).status == "planned"


def test_a_double_click_on_a_day_opens_one_dialog(qtbot: QtBot, main_window: MainWindow) -> None:
    view = open_calendar(main_window)
    row, column = view.grid.cell_of(WEDNESDAY) or (0, 0)
    where = view.grid.visualItemRect(view.grid.item(row, column)).center()
    # A real double-click: a click, then the second press that the system calls a double-click.
    qtbot.mouseClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=where)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MeetingDialog)]
    assert len([w for w in shown if w.isVisible()]) == 1
    dialog = view.dialog
    assert isinstance(dialog, MeetingDialog) and dialog.day.value() == WEDNESDAY
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)  # Enter on the day while it is open: still one
    assert len([w for w in QApplication.topLevelWidgets() if isinstance(w, MeetingDialog)
                and w.isVisible()]) == 1  # fmt: skip
    dialog.reject()


def test_a_crowded_day_shows_what_fits_and_counts_the_rest(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    for hour in (9, 10, 11):
        pupil = first_pupil(main_window)
        at = dt.time(hour)
        meetings.schedule_on_day(
            main_window.ctx.sessions, pupil, WEDNESDAY, "sen_review", at, today=DEMO_TODAY
        )
    on_day = [
        m for m in meetings.between(main_window.ctx.sessions, WEDNESDAY, WEDNESDAY)
        if m.status != "moved"
    ]  # fmt: skip
    view = open_calendar(main_window)
    row, column = view.grid.cell_of(WEDNESDAY) or (0, 0)
    for height in (900, 420):  # tall cells hold every meeting; short ones count the rest
        view.grid.setFixedHeight(height)
        view.grid.resize(view.grid.width(), height)
        room = view.grid.lines_that_fit()
        lines = view.grid.item(row, column).text().split("\n")
        assert len(lines) <= room
        assert lines[0] == str(WEDNESDAY.day)
        if len(on_day) + 1 <= room:
            assert len(lines) == len(on_day) + 1 and "more" not in lines[-1]
        elif room > 2:
            shown = len(lines) - 2
            assert lines[-1] == f"+{len(on_day) - shown} more"
    # With room for no name at all, the cell says how many, not "+3 more" than none shown.
    assert cell_lines(WEDNESDAY, on_day, 2, DEMO_TODAY) == [
        str(WEDNESDAY.day), f"{len(on_day)} meetings",
    ]  # fmt: skip
    assert cell_lines(WEDNESDAY, on_day[:1], 2, DEMO_TODAY)[1].startswith(on_day[0].pupil_name)
    assert view.grid.item(row, column).toolTip().count("\n") == len(on_day) - 1


def test_print_plans_for_the_week_shown_next_week_or_a_chosen_week(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.document_preview

    asked: list[dt.date] = []
    monkeypatch.setattr(
        ui.document_preview, "print_week_plans", lambda ctx, parent, day, done: asked.append(day)
    )
    view = open_calendar(main_window)
    row, column = view.grid.cell_of(WEDNESDAY - dt.timedelta(weeks=1)) or (0, 0)
    view.grid.setCurrentCell(row, column)
    view.plans_shown.trigger()
    view.plans_next.trigger()
    view.plans_chosen.trigger()
    chooser = view.dialog
    assert chooser is not None and chooser.isVisible()
    chooser.day.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(chooser.day, "17/03/2027")  # type: ignore[attr-defined]
    qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    monday = calendar.week_of(DEMO_TODAY)[0]
    assert asked == [
        monday - dt.timedelta(weeks=1),
        monday + dt.timedelta(weeks=1),
        dt.date(2027, 3, 15),
    ]


def test_the_parents_invitation_from_the_meeting(qtbot: QtBot, main_window: MainWindow) -> None:
    pupil = first_pupil(main_window)
    meeting_id = meetings.schedule(
        main_window.ctx.sessions,
        pupil,
        meetings.MeetingDetails(
            "sen_review", dt.datetime.combine(WEDNESDAY, dt.time(15, 30)), 45, "Library",
            "Mum; Mrs Khan (class teacher); SENCo",
        ),
        today=DEMO_TODAY,
    ).meeting_id  # fmt: skip
    view = open_calendar(main_window)
    view.select_meeting(meeting_id)
    assert view.invite_button.isEnabled()
    text = view.invitation_email()
    assert QApplication.clipboard().text() == text
    name = meetings.get(main_window.ctx.sessions, meeting_id).pupil_name
    for expected in (
        f"Dear parent or carer of {name},",
        f"Date: {WEDNESDAY:%A} {WEDNESDAY.day} {WEDNESDAY:%B %Y}",
        "Time: 15:30 to 16:15",
        "Place: Library",
        "Who will be there: Mum; Mrs Khan (class teacher); SENCo",
        "concerns",
        "schoolwork, reports",
        "how your child feels about school",
        "questions",
    ):
        assert expected in text
    preview = view.invitation_letter()
    assert preview is not None
    qtbot.waitUntil(preview.isVisible, timeout=20_000)  # type: ignore[attr-defined] # built off the GUI thread
    document = preview.document  # type: ignore[attr-defined]
    assert document.data.startswith(b"%PDF") and document.kind == "invitation"
    with main_window.ctx.sessions() as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert actions[-1] == "document.copied"
    preview.reject()  # type: ignore[attr-defined]


def test_the_agendas_status_is_never_cut_off(qtbot: QtBot, main_window: MainWindow) -> None:
    planned_on(main_window, WEDNESDAY)
    view = open_calendar(main_window)
    view.resize(900, 600)  # a narrow window, as on a small laptop screen
    agenda = view.agenda
    status = 5
    assert agenda.rowCount() > 0
    header = agenda.horizontalHeader()
    widest = max(agenda.sizeHintForColumn(status), header.sectionSizeHint(status))
    assert agenda.columnWidth(status) >= widest
    # ... and it is on screen, not scrolled off to the right of the agenda.
    right = agenda.columnViewportPosition(status) + agenda.columnWidth(status)
    assert right <= agenda.viewport().width()
    assert all(agenda.item(r, status).text() for r in range(agenda.rowCount()))


def test_a_month_cell_names_the_pupil_before_the_time(main_window: MainWindow) -> None:
    # In a narrow cell the end of a line is cut off: the name must come first.
    view = open_calendar(main_window)
    found = meetings.between(
        main_window.ctx.sessions,
        WEDNESDAY - dt.timedelta(days=40),
        WEDNESDAY + dt.timedelta(days=40),
    )
    shown = 0
    for row in range(view.grid.rowCount()):
        for column in range(view.grid.columnCount()):
            item = view.grid.item(row, column)
            if item is None:
                continue
            for line in item.text().splitlines()[1:]:
                if line.startswith("+"):
                    continue
                assert any(line.startswith(m.pupil_name) for m in found), line
                shown += 1
    assert shown


def test_the_week_agenda_shares_its_width_and_never_scrolls_sideways(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    # A 1366 by 768 laptop at 150 % is 911 by 512 points: with a few short meetings in the week
    # the agenda sized every column to its text, which pushed Status off behind a scroll bar.
    for offset in range(3):
        planned_on(main_window, DEMO_TODAY + dt.timedelta(days=offset))
    view = open_calendar(main_window)
    view.resize(911, 512)
    QApplication.processEvents()
    view.go_to_today()  # the week filled again at that size, as moving to a week does
    assert view.agenda.rowCount() >= 3
    agenda = view.agenda
    assert agenda.horizontalScrollBar().maximum() == 0
    header = agenda.horizontalHeader()
    last = agenda.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= (
        agenda.viewport().width()
    )
    assert agenda.item(0, last).text()  # the status, in view


def test_an_empty_list_says_so_in_its_own_words(qtbot: QtBot, main_window: MainWindow) -> None:
    # From the GUI trial: "Review dates to schedule" showed a bare table with nothing in it.
    from ui.calendar_grid import ListTable

    view = open_calendar(main_window)
    lists = (view.agenda, view.upcoming, view.overdue, view.to_schedule, view.behind)
    assert all(isinstance(t, ListTable) and t.empty.endswith(".") for t in lists)
    assert len({t.empty for t in lists}) == len(lists)
    view.behind.setRowCount(0)
    view.lists.setCurrentWidget(view.behind)
    assert not view.behind.grab().isNull()  # painted with its words, without error
