"""What the register does not need is made once it is painted, or at once when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sendesk.services import meetings
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from ui.main_window import MainWindow
from ui.record.cycles_tab import CyclesTab


def test_the_tabs_and_the_due_summary_follow_the_first_paint(qtbot: QtBot, demo_file: Path) -> None:
    window = MainWindow(Vault.open(demo_file, PASSPHRASE))
    qtbot.addWidget(window)
    assert window.record._all_tabs == []  # no page made before the register is painted
    assert window.due_label.text() == ""
    window.show()
    qtbot.waitUntil(lambda: window.record._all_tabs != [], timeout=10_000)
    assert len(window.record.all_tabs) == 7
    expected = meetings.due_summary(window.ctx.sessions).sentence()
    qtbot.waitUntil(lambda: window.due_label.text() == expected, timeout=10_000)
    window.ctx.close()


def test_a_tab_asked_for_before_the_paint_is_made_then(qtbot: QtBot, demo_file: Path) -> None:
    window = MainWindow(Vault.open(demo_file, PASSPHRASE))
    qtbot.addWidget(window)
    assert not window.record.dirty  # nothing made, nothing typed: no page is made to say so
    assert window.record._all_tabs == []
    assert isinstance(window.record.cycles, CyclesTab)
    assert window.record.tabs.count() == 7
    pupil = window.register.model.pupil_at(0).id
    window.register.select_pupil(pupil)
    assert window.record.profile.pupil_id == pupil
    window.ctx.close()


def test_the_register_paints_its_first_screenful_then_reads_the_rest(
    qtbot: QtBot, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk.register import describe_shown
    from sendesk.services import pupils
    from tests.conftest import DEMO_PUPILS

    FIRST_SCREEN_ROWS = 25  # noqa: N806 - the app's constant, made smaller than the demo school
    monkeypatch.setattr("ui.main_window.FIRST_SCREEN_ROWS", FIRST_SCREEN_ROWS)
    window = MainWindow(Vault.open(demo_file, PASSPHRASE))
    qtbot.addWidget(window)
    model = window.register.model
    whole = pupils.list_register(window.ctx.sessions, include_archived=True)
    assert DEMO_PUPILS > FIRST_SCREEN_ROWS  # else this proves nothing
    # Before the paint: the first rows in name order, and no counts that would be wrong.
    assert not model.complete
    assert [model.pupil_at(r).id for r in range(model.rowCount())] == [
        r.id for r in whole[:FIRST_SCREEN_ROWS]
    ]
    assert window.counts_label.text() == "Reading the register…"
    window.show()
    qtbot.waitUntil(lambda: model.complete, timeout=10_000)
    # After it: every pupil, the same first rows where they were, and the counts of them all.
    assert [model.pupil_at(r).id for r in range(model.rowCount())] == [r.id for r in whole]
    assert window.counts_label.text() == describe_shown(whole, whole, False)
    window.ctx.close()


def test_a_register_that_cannot_be_read_in_full_says_so_and_the_window_is_still_built(
    qtbot: QtBot, demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rest of the register is read after the first paint; should that fail (a file busy,
    # a server gone), the user is told, the counts never claim to be reading for good, and the
    # record's tabs and what is due are still made.
    from sendesk.errors import FileProblem
    from sendesk.services import pupils
    from ui import errors, main_window

    told: list[BaseException] = []
    monkeypatch.setattr(errors, "explain", lambda _parent, exc, *_: told.append(exc))
    read = pupils.list_register

    def first_screen_only(*args: object, **kwargs: object) -> object:
        if kwargs.get("first") is None:
            raise FileProblem("The file is busy.")
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pupils, "list_register", first_screen_only)
    window = MainWindow(Vault.open(demo_file, PASSPHRASE))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.record._all_tabs != [], timeout=10_000)
    assert [str(e) for e in told] == ["The file is busy."]
    assert window.counts_label.text() == main_window.PARTLY_READ
    assert window.register.model.rowCount() > 0  # the first screenful stays shown
    window.ctx.close()
