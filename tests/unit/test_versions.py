"""No silent lost update: every save is checked against the version the user saw."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from sendesk.errors import ArchivedPupil, StaleEdit
from sendesk.models import AuditEvent, Pupil
from sendesk.services import contacts, cycles, notes, pupils, school
from sendesk.services.contacts import ContactDetails
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY


def _pupil(vault: Vault) -> int:
    return pupils.create(vault.sessions, PupilDetails("Okoro", "Jayden"), TODAY).pupil_id


def test_each_save_counts_a_version(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    seen = pupils.details(vault.sessions, pupil_id)
    assert seen.version == 1
    saved = pupils.update(vault.sessions, pupil_id, replace(seen, strengths="Chess"), TODAY)
    assert saved.version == 2
    assert pupils.details(vault.sessions, pupil_id).version == 2


def test_a_save_over_a_newer_version_is_refused_and_names_both_values(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    # Two windows (two sessions of one process) show the same pupil.
    first = pupils.details(vault.sessions, pupil_id)
    second = pupils.details(vault.sessions, pupil_id)
    pupils.update(vault.sessions, pupil_id, replace(first, strengths="Chess"), TODAY)

    with pytest.raises(StaleEdit) as caught:
        pupils.update(vault.sessions, pupil_id, replace(second, what_helps="Quiet room"), TODAY)

    assert caught.value.differences == {
        "strengths": ("Chess", None),
        "what_helps": (None, "Quiet room"),
    }
    assert caught.value.current_version == 2
    saved = pupils.details(vault.sessions, pupil_id)
    assert (saved.strengths, saved.what_helps, saved.version) == ("Chess", None, 2)
    with vault.sessions() as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("pupil.updated") == 1  # the refused save wrote nothing


def test_the_users_choice_saves_at_the_current_version(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    first = pupils.details(vault.sessions, pupil_id)
    second = pupils.details(vault.sessions, pupil_id)
    pupils.update(vault.sessions, pupil_id, replace(first, strengths="Chess"), TODAY)
    mine = replace(second, what_helps="Quiet room")
    with pytest.raises(StaleEdit) as caught:
        pupils.update(vault.sessions, pupil_id, mine, TODAY)

    # "Take theirs" for strengths, "keep mine" for what helps.
    theirs = caught.value.differences["strengths"][0]
    chosen = replace(mine, strengths=theirs, version=caught.value.current_version)
    pupils.update(vault.sessions, pupil_id, chosen, TODAY)
    saved = pupils.details(vault.sessions, pupil_id)
    assert (saved.strengths, saved.what_helps, saved.version) == ("Chess", "Quiet room", 3)


def test_a_write_that_loses_the_race_at_the_database_is_refused(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer commits between the service's read and its write (as on a server)."""
    pupil_id = _pupil(vault)
    seen = pupils.details(vault.sessions, pupil_id)
    real_get = pupils._get

    def get_then_someone_saves(session: Any, wanted: int) -> Pupil:
        pupil = real_get(session, wanted)
        bump = text("UPDATE pupil SET version = version + 1 WHERE id = :id")
        session.execute(bump, {"id": wanted})
        return pupil

    monkeypatch.setattr(pupils, "_get", get_then_someone_saves)
    with pytest.raises(StaleEdit):
        pupils.update(vault.sessions, pupil_id, replace(seen, strengths="Lost?"), TODAY)
    monkeypatch.undo()
    assert pupils.details(vault.sessions, pupil_id).strengths is None


def test_contacts_are_checked_too(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    contacts.add(vault.sessions, pupil_id, ContactDetails("Ada Okoro", phone="01234"))
    [first] = contacts.list_for(vault.sessions, pupil_id)
    [second] = contacts.list_for(vault.sessions, pupil_id)
    contacts.update(vault.sessions, first.id, replace(first.details, phone="07700 900123"))
    with pytest.raises(StaleEdit) as caught:
        contacts.update(vault.sessions, second.id, replace(second.details, email="a@b.uk"))
    assert caught.value.differences["phone"] == ("07700 900123", "01234")
    [saved] = contacts.list_for(vault.sessions, pupil_id)
    assert (saved.details.phone, saved.details.email) == ("07700 900123", None)


def test_an_archived_pupil_is_read_only_until_brought_back(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    pupils.archive(vault.sessions, pupil_id, TODAY, "Moved away", today=TODAY)
    seen = pupils.details(vault.sessions, pupil_id)
    with pytest.raises(ArchivedPupil, match="Bring them back onto the register"):
        pupils.update(vault.sessions, pupil_id, replace(seen, strengths="Chess"), TODAY)
    with pytest.raises(ArchivedPupil):
        contacts.add(vault.sessions, pupil_id, ContactDetails("Ada Okoro"))
    with pytest.raises(ArchivedPupil):
        notes.add(vault.sessions, pupil_id, TODAY, "concern", "Worried", today=TODAY)
    with pytest.raises(ArchivedPupil):
        cycles.start(vault.sessions, pupil_id, TODAY)
    assert pupils.details(vault.sessions, pupil_id).strengths is None

    pupils.restore(vault.sessions, pupil_id)
    seen = pupils.details(vault.sessions, pupil_id)
    pupils.update(vault.sessions, pupil_id, replace(seen, strengths="Chess"), TODAY)
    assert pupils.details(vault.sessions, pupil_id).strengths == "Chess"


# --- two real processes ------------------------------------------------------------------------


class Copy:
    """Another copy of SENDesk, in its own OS process, editing one pupil."""

    def __init__(self, path: Path, pupil_id: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.edit_child", str(path), str(pupil_id)],
            cwd=Path(__file__).resolve().parents[2],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def send(self, **request: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the other copy of SENDesk died"
        return dict(json.loads(line))

    def ask(self, **request: Any) -> dict[str, Any]:
        self.send(**request)
        return self.answer()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=120)
        assert self.process.stdout is not None
        self.process.stdout.close()
        assert code == 0


@pytest.fixture
def two_copies(vault: Vault) -> Iterator[tuple[int, Copy, Copy]]:
    # The children open the file without its write lock: they stand for two server clients,
    # whose edits the version check must still keep apart.
    pupil_id = _pupil(vault)
    copies = (Copy(vault.path, pupil_id), Copy(vault.path, pupil_id))
    try:
        yield pupil_id, *copies
    finally:
        for copy in copies:
            copy.close()


@pytest.mark.slow
@pytest.mark.file_only  # two processes opening one record file
def test_two_processes_editing_one_profile_lose_nothing(
    vault: Vault, two_copies: tuple[int, Copy, Copy]
) -> None:
    pupil_id, first, second = two_copies
    assert first.ask(op="load") == {"version": 1}
    assert second.ask(op="load") == {"version": 1}

    assert first.ask(op="save", changes={"strengths": "Chess"}) == {"saved": 2}
    told = second.ask(op="save", changes={"what_helps": "Quiet room"})
    assert told == {
        "stale": {"strengths": ["Chess", None], "what_helps": [None, "Quiet room"]},
        "current": 2,
    }
    assert pupils.details(vault.sessions, pupil_id).what_helps is None  # nothing half-saved

    # The second user takes the first's strengths and keeps their own "what helps".
    assert second.ask(op="take", fields=["strengths"]) == {"version": 2}
    assert second.ask(op="save", changes={}) == {"saved": 3}
    saved = pupils.details(vault.sessions, pupil_id)
    assert (saved.strengths, saved.what_helps) == ("Chess", "Quiet room")


@pytest.mark.slow
@pytest.mark.file_only  # two processes opening one record file
def test_two_processes_saving_at_once_one_wins_and_the_other_is_told(
    vault: Vault, two_copies: tuple[int, Copy, Copy]
) -> None:
    pupil_id, first, second = two_copies
    first.ask(op="load")
    second.ask(op="load")
    first.send(op="save", changes={"strengths": "From the first"})
    second.send(op="save", changes={"strengths": "From the second"})
    answers = [first.answer(), second.answer()]

    winners = [i for i, a in enumerate(answers) if "saved" in a]
    assert len(winners) == 1, answers
    loser = answers[1 - winners[0]]
    assert "stale" in loser or "locked" in loser.get("error", ""), loser
    expected = ("From the first", "From the second")[winners[0]]
    assert pupils.details(vault.sessions, pupil_id).strengths == expected


def test_school_settings_saved_meanwhile_are_not_overwritten(vault: Vault) -> None:
    first = school.load(vault.sessions)
    second = school.load(vault.sessions)
    school.save(vault.sessions, replace(first, idle_lock_minutes=10))
    with pytest.raises(StaleEdit) as caught:
        school.save(vault.sessions, replace(second, senco_name="Ms Patel"))
    assert caught.value.differences["idle_lock_minutes"] == (10, 5)
    saved = school.load(vault.sessions)
    assert (saved.idle_lock_minutes, saved.senco_name) == (10, None)
    school.save(vault.sessions, replace(saved, name="Oakfield Primary"))  # name only: counted
    with pytest.raises(StaleEdit):
        school.save(vault.sessions, replace(saved, senco_name="Ms Patel"))
