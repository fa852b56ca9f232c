"""Hostile input: control characters and direction overrides, and inputs that are not files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sendesk import importers, inputs, text
from sendesk.errors import BadInput, ValidationFailed
from sendesk.importers import Fate
from sendesk.services import contacts, notes, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.unit.test_import import SAMPLES, TODAY, UPN1, csv_bytes, import_bytes

ESC_CLEAR = "\x1b[2J"
RLO = "\u202e"  # right-to-left override: "Ann\u202enhoJ" displays as "AnnJohn"
HOSTILE = [ESC_CLEAR, RLO, "\u2066", "\x00", "\x7f", "\x85", "\u2028", "\n"]
# Characters that show as nothing, so "Zero\u200bWidth" passes for "ZeroWidth" (fault trial).
INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\u3164", "\u115f"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_one_rule_refuses_them_in_names(bad: str) -> None:
    problem = text.name_problem(f"Smith{bad}", "Legal surname")
    assert problem is not None and problem.startswith("Legal surname holds a hidden")
    assert f"U+{ord(bad[0]):04X}" in problem


@pytest.mark.parametrize("bad", INVISIBLE)
def test_a_character_that_shows_as_nothing_is_refused_in_a_name_and_found_past(bad: str) -> None:
    problem = text.name_problem(f"Zero{bad}Width", "Legal surname")
    assert problem is not None and "invisible" in problem and f"U+{ord(bad):04X}" in problem
    assert text.for_terminal(f"Zero{bad}Width") == f"Zero<U+{ord(bad):04X}>Width"


def test_a_school_name_or_a_plan_heading_with_a_terminals_codes_is_refused() -> None:
    from sendesk.documents import plan_template

    assert "hidden control" in (text.school_name_problem(f"Evil{ESC_CLEAR} School") or "")
    assert "200 characters" in (text.school_name_problem("Oak " * 800) or "")
    assert text.school_name_problem("St Mary's CE Primary") is None
    shipped = plan_template.shipped().as_data()
    for changed in (
        {**shipped, "title": "Plan \x1b[31mRED\x07"},
        {**shipped, "sections": [{**shipped["sections"][0], "heading": "H\x00"}]},
    ):
        with pytest.raises(ValidationFailed) as refused:
            plan_template.parse(changed)
        assert "hidden control" in str(refused.value.problems)


@pytest.mark.parametrize(
    "fine", ["Ó Briain", "Nuñez-López", "D'Souza", "محمد", "李", "Zoë", "می\u200cخواهم"]
)
def test_real_names_pass(fine: str) -> None:
    assert text.name_problem(fine, "Legal surname") is None


def test_free_text_keeps_its_lines_and_loses_the_rest() -> None:
    typed = f"Line one\r\nLine two\twith a tab{ESC_CLEAR}{RLO}\u2069 end\rlast"
    assert text.clean_free_text(typed) == "Line one\nLine two\twith a tab[2J end\nlast"


def test_the_terminal_never_gets_them_raw() -> None:
    shown = text.for_terminal(f"Smith{ESC_CLEAR}{RLO}")
    assert "\x1b" not in shown and RLO not in shown
    assert shown == "Smith<U+001B>[2J<U+202E>"


# --- on every way in ---------------------------------------------------------------------------


def test_typing_a_hostile_name_is_refused_and_free_text_is_cleaned(vault: Vault) -> None:
    with pytest.raises(ValidationFailed) as refused:
        pupils.create(vault.sessions, PupilDetails(f"Smith{ESC_CLEAR}", "Ann"), TODAY)
    assert "legal_surname" in refused.value.problems
    with pytest.raises(ValidationFailed) as refused:
        pupils.create(vault.sessions, PupilDetails("Smith", "Ann", class_name=f"3{RLO}K"), TODAY)
    assert "class_name" in refused.value.problems
    saved = pupils.create(
        vault.sessions,
        PupilDetails("Smith", "Ann", strengths=f"Kind{ESC_CLEAR}\nand funny{RLO}"),
        TODAY,
    )
    assert pupils.details(vault.sessions, saved.pupil_id).strengths == "Kind[2J\nand funny"


def test_contacts_and_notes_apply_the_same_rule(vault: Vault) -> None:
    pupil_id = pupils.create(vault.sessions, PupilDetails("Smith", "Ann"), TODAY).pupil_id
    with pytest.raises(ValidationFailed) as refused:
        contacts.add(vault.sessions, pupil_id, contacts.ContactDetails(f"Mum{RLO}"))
    assert "name" in refused.value.problems
    contact_id = contacts.add(
        vault.sessions,
        pupil_id,
        contacts.ContactDetails("Mrs Smith", address="1 High St\r\nTown\x07", notes="Call\x1b"),
    )
    [row] = contacts.list_for(vault.sessions, pupil_id)
    assert row.id == contact_id
    assert (row.details.address, row.details.notes) == ("1 High St\nTown", "Call")
    with pytest.raises(ValidationFailed):
        notes.add(vault.sessions, pupil_id, TODAY, "concern", "Fine", author=f"J{ESC_CLEAR}")
    notes.add(vault.sessions, pupil_id, TODAY, "concern", f"Upset{ESC_CLEAR} today", today=TODAY)
    assert notes.list_for(vault.sessions, pupil_id)[0].text == "Upset[2J today"


def test_an_imported_hostile_name_is_rejected_with_the_reason(vault: Vault) -> None:
    line = f"{UPN1},Smith{ESC_CLEAR},Ann,01/03/2019,Year 2,2B,K,SLCN,"
    [fate] = import_bytes(vault, csv_bytes(line)).fates
    assert fate.fate is Fate.REJECTED and "Legal surname holds a hidden" in fate.reason
    assert "U+001B" in fate.reason


def test_a_ctf_name_with_a_direction_override_is_rejected(vault: Vault) -> None:
    data = (SAMPLES / "transfer.ctf.xml").read_bytes()
    start = data.index(b"<Surname>") + len(b"<Surname>")
    hostile = data[:start] + RLO.encode() + data[start:]
    result = import_bytes(vault, hostile)
    assert result.fates[0].fate is Fate.REJECTED and "U+202E" in result.fates[0].reason
    assert result.totals.new == 2


def test_the_import_report_prints_no_raw_control_character(
    capsys: pytest.CaptureFixture[str], record_file: Path, tmp_path: Path,
    cli_passphrase: None,
) -> None:  # fmt: skip
    from tests.cli_support import run

    source = tmp_path / "hostile.csv"
    source.write_bytes(csv_bytes(f"{UPN1},Smith{ESC_CLEAR},Ann{RLO},01/03/2019,Year 2,2B,,,"))
    code, out, err = run(capsys, "import", str(record_file), str(source))
    assert code == 0 and "REJECTED" in out
    assert "\x1b" not in out + err and RLO not in out + err
    assert "Smith<U+001B>[2J" in out


# --- inputs that are not ordinary files ------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are a POSIX test fixture")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pupils.csv"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="not an ordinary file"):
        importers.load(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not an ordinary file"):
        importers.load(Path("/dev/zero"))


def test_the_size_is_checked_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.csv"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    class Small:  # what a file that grows after its size was taken looks like
        def __init__(self, fd: int) -> None:
            found = real_fstat(fd)
            self.st_mode, self.st_size = found.st_mode, 10

    monkeypatch.setattr(inputs.os, "fstat", Small)
    with pytest.raises(inputs.TooBig) as refused:
        inputs.read_input(path, limit=1000)
    assert refused.value.size > 1000
    assert inputs.read_input(path, limit=5000) == b"x" * 5000


def test_a_missing_input_and_a_folder_say_so(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no file"):
        inputs.read_input(tmp_path / "nothing.csv", limit=10)
    with pytest.raises(BadInput, match="folder"):
        inputs.read_input(tmp_path, limit=10)


@pytest.mark.file_only  # a transfer is a record file
def test_a_crafted_transfer_file_is_refused_or_cleaned(demo_vault: Vault, vault: Vault,
                                                       tmp_path: Path) -> None:  # fmt: skip
    from sqlalchemy import select, update

    from sendesk.models import Note, Pupil
    from sendesk.services import transfer
    from tests.unit.test_transfer import TRANSFER, busiest_pupil, make

    made = make(demo_vault, busiest_pupil(demo_vault), tmp_path, evidence_pack=False)
    with Vault.open(made.path, TRANSFER) as crafted, crafted.session() as session:
        session.execute(update(Note).values(text=f"Clear{ESC_CLEAR} the screen"))
    _marker, found = transfer.read_transfer(made.path, TRANSFER)
    assert found["note"] and all("\x1b" not in n["text"] for n in found["note"])
    with Vault.open(made.path, TRANSFER) as crafted, crafted.session() as session:
        session.execute(update(Pupil).values(legal_surname=f"Smith{ESC_CLEAR}"))
    with pytest.raises(BadInput, match="U\\+001B"):
        transfer.receive(vault.sessions, made.path, TRANSFER)
    with vault.sessions() as session:
        assert session.execute(select(Pupil)).first() is None


def test_a_plan_template_nested_too_deep_or_of_another_version_is_refused_plainly() -> None:
    from sendesk.documents import plan_template

    with pytest.raises(ValidationFailed) as refused:
        plan_template.loads("[" * 100_000 + "]" * 100_000)
    assert "nested far too deeply" in str(refused.value)
    later = {**plan_template.shipped().as_data(), "version": 2}
    with pytest.raises(ValidationFailed) as refused:
        plan_template.parse(later)
    assert "reads version 1 only" in str(refused.value)
