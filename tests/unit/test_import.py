"""Importing pupils from MIS CSV exports and Common Transfer Files: reading, mapping, fates."""

from __future__ import annotations

import codecs
import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sendesk import importers
from sendesk.importers import Fate, SourceProblem, values
from sendesk.models import AuditEvent, Pupil
from sendesk.services import imports, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.upn import with_check_letter
from sendesk.vault import Vault

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
if not SAMPLES.is_dir():  # a checkout outside the shared workspace
    SAMPLES = Path("/work/shared/samples")
TODAY = dt.date(2026, 9, 10)  # the first week of a school year: after the summer rollover
UPN1 = with_check_letter("919345618600")
UPN2 = with_check_letter("919345618601")
UPN3 = with_check_letter("919345618602")
HEADER = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg,SEN Status,Primary Need,Secondary Need"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\r\n".join((header, *lines)).encode(encoding) + b"\r\n"


def import_bytes(vault: Vault, data: bytes, today: dt.date = TODAY) -> imports.ImportResult:
    source = importers.read(data)
    parsed = importers.interpret(source, source.guess_mapping())
    return imports.apply(vault.sessions, parsed, source.kind, today)


def fates_of(vault: Vault, data: bytes, today: dt.date = TODAY) -> list[importers.RowFate]:
    source = importers.read(data)
    return imports.preview(
        vault.sessions, importers.interpret(source, source.guess_mapping()), today
    )


def all_pupils(vault: Vault) -> dict[str, Pupil]:
    with vault.sessions() as session:
        found = session.execute(select(Pupil)).scalars().all()
        session.expunge_all()
    return {p.upn or "": p for p in found}


def audit_count(vault: Vault) -> int:
    with vault.sessions() as session:
        return int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


# --- the shared samples ---------------------------------------------------------------------


def test_the_semicolon_csv_sample(vault: Vault) -> None:
    source = importers.load(SAMPLES / "pupils_semicolon.csv")
    assert source.kind == "CSV" and "semicolon" in source.description
    assert None not in source.guess_mapping()
    parsed = importers.interpret(source, source.guess_mapping())
    result = imports.apply(vault.sessions, parsed, source.kind, TODAY)
    assert result.totals == importers.Totals(new=5, updated=0, unchanged=0, rejected=1)
    rejected = [f for f in result.fates if f.fate is Fate.REJECTED]
    assert [(f.row, f.upn) for f in rejected] == [(7, "P919345618510")]
    assert "2017-13-01" in rejected[0].reason and "not a real date" in rejected[0].reason
    saved = all_pupils(vault)
    walsh = saved["Q919345618501"]
    assert (walsh.sen_status, walsh.primary_need, walsh.secondary_need) == ("E", "ASD", "SEMH")
    assert (walsh.year_group, walsh.class_name, walsh.sex) == (6, "6M", "F")
    assert walsh.date_of_birth == dt.date(2016, 10, 3)
    hughes = saved["E919345618502"]
    assert (hughes.preferred_forename, hughes.sen_status, hughes.primary_need) == (
        "Ollie",
        "N",
        None,
    )
    assert saved["H919345618504"].legal_forename == "Tomáš"
    assert saved["H919345618504"].primary_need == "NSA"
    assert all(f.pupil_id for f in result.fates if f.accepted)


def test_the_ctf_sample(vault: Vault) -> None:
    source = importers.load(SAMPLES / "transfer.ctf.xml")
    assert (source.kind, len(source.rows), source.row_word) == ("CTF", 3, "pupil")
    result = imports.apply(
        vault.sessions, importers.interpret(source, source.guess_mapping()), "CTF", TODAY
    )
    assert result.totals.new == 3 and result.totals.rejected == 0
    # The file was made in July 2026 (school year 2025/26): by September its pupils moved up.
    assert all("2025/26 school year" in " ".join(f.warnings) for f in result.fates)
    assert not any("would usually be" in " ".join(f.warnings) for f in result.fates)
    saved = all_pupils(vault)
    kwame = saved["V919345620042"]
    assert (kwame.sen_status, kwame.primary_need, kwame.year_group) == ("K", "SLCN", 2)
    assert kwame.sen_support_since == dt.date(2025, 11, 3) and kwame.sex == "M"
    aoife = saved["B919345619007"]
    assert (aoife.sen_status, aoife.primary_need, aoife.secondary_need) == ("E", "HI", "SLCN")
    assert aoife.ehc_plan_since == dt.date(2024, 9, 2)
    assert aoife.sex == "F"  # from <Gender>, the older element name
    isla = saved["Q919345619008"]
    assert (isla.sen_status, isla.primary_need, isla.preferred_forename) == ("N", None, None)


# --- what MIS exports really write ---------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_separators(vault: Vault, encoding: str, delimiter: str) -> None:
    lines = [
        ["UPN", "Surname", "Forename", "Date of Birth", "NC Year", "Class"],
        [UPN1, "Ó Briain", "Zoë", "01/03/2019", "Year 2", "2B; south"],
        [UPN2, "Nuñez", "José", "2019-03-02", "Y2", "2B"],
    ]
    text = "\r\n".join(
        delimiter.join(f'"{c}"' if delimiter in c else c for c in line) for line in lines
    )
    source = importers.read(text.encode(encoding))
    assert len(source.columns) == 6 and len(source.rows) == 2
    result = import_bytes(vault, text.encode(encoding))
    assert result.totals.new == 2
    saved = all_pupils(vault)
    assert (saved[UPN1].legal_surname, saved[UPN1].legal_forename) == ("Ó Briain", "Zoë")
    assert saved[UPN1].class_name == "2B; south"
    assert saved[UPN2].date_of_birth == dt.date(2019, 3, 2)


def test_quoted_fields_with_line_breaks_and_lf_or_cr_line_ends(vault: Vault) -> None:
    for line_end in ("\n", "\r"):
        data = line_end.join(
            ["UPN,Surname,Forename,Notes,DOB", f'{UPN1},"Smith, Jr",Ann,"Line\n2",1/3/2019', ""]
        ).encode()
        source = importers.read(data)
        assert source.rows[0][1][1:3] == ["Smith, Jr", "Ann"]
    assert import_bytes(vault, data).totals.new == 1


def test_blank_lines_and_trailing_empty_cells_are_ignored(vault: Vault) -> None:
    data = csv_bytes(
        f"{UPN1},Smith,Ann,1/3/2019,,,,,", ",,,,,,,,", "", f"{UPN2},Jones,Bob,2/3/2019"
    )
    result = import_bytes(vault, data)
    assert result.totals.new == 2 and [f.row for f in result.fates] == [2, 5]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01/03/2019", dt.date(2019, 3, 1)),
        ("1/3/2019", dt.date(2019, 3, 1)),
        ("2019-03-01", dt.date(2019, 3, 1)),
        ("2019-03-01T00:00:00", dt.date(2019, 3, 1)),
        ("01/03/2019 00:00", dt.date(2019, 3, 1)),
    ],
)
def test_dates(text: str, day: dt.date) -> None:
    assert values.parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Year 5", 5),
        ("Y5", 5),
        ("5", 5),
        ("05", 5),
        ("year 11", 11),
        ("R", 0),
        ("Reception", 0),
        ("YR", 0),
        ("N1", -2),
        ("N2", -1),
        ("X", None),
    ],
)
def test_year_groups(text: str, year: int | None) -> None:
    assert values.parse_year_group(text) == year


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("K", "K"),
        ("k", "K"),
        ("SEN Support", "K"),
        ("EHC Plan", "E"),
        ("EHCP", "E"),
        ("Education, Health and Care Plan", "E"),
        ("E - EHC plan", "E"),
        ("No SEN", "N"),
        ("N", "N"),
        ("No special educational need", "N"),
    ],
)
def test_sen_status_as_code_or_words(text: str, code: str) -> None:
    assert values.parse_sen_status(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SLCN", "SLCN"),
        ("SpLD", "SPLD"),
        ("Speech, language and communication needs", "SLCN"),
        ("ASD - Autistic spectrum disorder", "ASD"),
        ("Moderate learning difficulty (MLD)", "MLD"),
        ("Down syndrome", "DS"),
    ],
)
def test_need_as_code_or_words(text: str, code: str) -> None:
    assert values.parse_need(text) == code


def test_known_column_names_of_the_common_exports_are_mapped() -> None:
    header = (
        "Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Reg,NC Year,UPN,"
        "SEN Status,Primary Need,Secondary Need,Admission Date"
    )
    source = importers.read(header.encode() + b"\r\n")
    assert source.guess_mapping() == [
        "legal_surname", "legal_forename", "preferred_forename", "date_of_birth", "sex",
        "class_name", "year_group", "upn", "sen_status", "primary_need", "secondary_need", None,
    ]  # fmt: skip
    arbor = importers.read(
        b"Unique Pupil Number,Last Name,First Name,Year Group,Registration Group\n"
    )
    assert arbor.guess_mapping() == [
        "upn", "legal_surname", "legal_forename", "year_group", "class_name",
    ]  # fmt: skip


def test_the_caller_can_change_the_mapping(vault: Vault) -> None:
    data = b"Pupil No,Family,Given,Tutor,DOB\r\n" + f"{UPN1},Smith,Ann,7AB,1/3/2019\r\n".encode()
    source = importers.read(data)
    assert source.guess_mapping() == [None, None, None, None, "date_of_birth"]
    with pytest.raises(SourceProblem, match="No column is mapped to UPN or Legal surname"):
        importers.interpret(source, source.guess_mapping())
    mapping = ["upn", "legal_surname", "legal_forename", "class_name", "date_of_birth"]
    result = imports.apply(vault.sessions, importers.interpret(source, mapping), "CSV", TODAY)
    assert result.totals.new == 1 and all_pupils(vault)[UPN1].class_name == "7AB"
    overridden = importers.parse_mapping_override(
        source, ["pupil no=upn", "Family=legal_surname", "Given=legal_forename", "Tutor=-"]
    )
    assert overridden == ["upn", "legal_surname", "legal_forename", None, "date_of_birth"]


def test_a_field_mapped_twice_is_refused() -> None:
    source = importers.read(b"UPN,Surname,Forename,Class,Reg\r\n")
    assert source.guess_mapping()[3:] == ["class_name", None]  # the first column wins
    with pytest.raises(SourceProblem, match="Both “Class” and “Reg” are mapped to Class"):
        importers.check_mapping(
            source, ["upn", "legal_surname", "legal_forename"] + ["class_name"] * 2
        )


def test_format_is_found_from_the_content_not_the_extension(tmp_path: Path) -> None:
    ctf_named_csv = tmp_path / "export.csv"
    ctf_named_csv.write_bytes((SAMPLES / "transfer.ctf.xml").read_bytes())
    assert importers.load(ctf_named_csv).kind == "CTF"
    csv_named_xml = tmp_path / "export.xml"
    csv_named_xml.write_bytes((SAMPLES / "pupils_semicolon.csv").read_bytes())
    assert importers.load(csv_named_xml).kind == "CSV"
    with_bom = tmp_path / "bom.xml"
    with_bom.write_bytes(b"\xef\xbb\xbf\n  " + (SAMPLES / "transfer.ctf.xml").read_bytes())
    assert importers.load(with_bom).kind == "CTF"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04rest of a zip", "Excel workbook"),
        (b"%PDF-1.7", "PDF"),
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"UPN,Surname\x00,Forename\r\n", "binary"),
        (b"UPN,Surname,\x81\x8d\r\n", "neither UTF-8 nor Windows-1252"),
        (b'UPN,Surname,Forename\r\n"unterminated', "well-formed"),
        # UTF-8 with one row from another program: read as Windows-1252 it garbles every name.
        (
            "UPN,Surname,Forename\r\nA,Novák,Tomáš\r\nB,Hughes,".encode()
            + "Ollié\r\n".encode("cp1252"),
            "mixes two kinds of text: it is UTF-8, but line 3",
        ),
    ],
)
def test_unreadable_files_say_why(data: bytes, words: str) -> None:
    with pytest.raises(SourceProblem, match=words):
        importers.read(data)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceProblem, match="no file"):
        importers.load(tmp_path / "nothing.csv")
    with pytest.raises(SourceProblem, match="folder"):
        importers.load(tmp_path)


# --- each row's fate ------------------------------------------------------------------------


GOOD = f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,K,SLCN,"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (GOOD.replace(UPN1, "A" + UPN1[1:] if UPN1[0] != "A" else "B" + UPN1[1:]), "check letter"),
        (GOOD.replace(UPN1, UPN1[:-1]), "13 characters"),
        (GOOD.replace(UPN1, ""), "No UPN"),
        (GOOD.replace("Smith", ""), "No Legal surname"),
        (GOOD.replace("Ann", ""), "No Legal forename"),
        (GOOD.replace("Smith", "S" * 101), "longer than 100 characters"),
        (GOOD.replace("2B", "C" * 41), "longer than 40 characters"),
        (GOOD.replace("01/03/2019", "31/02/2019"), "not a real date"),
        (GOOD.replace("01/03/2019", "01/03/2027"), "in the future"),
        (GOOD.replace("01/03/2019", "01/03/1990"), "outside 2 to 25"),
        (GOOD.replace("Year 2", "Year 15"), "not a year group"),
        (GOOD.replace(",K,", ",Statement,"), "not an SEN status"),
        (GOOD.replace("SLCN", "XYZ"), "not a census type of need"),
        (GOOD.replace("K,SLCN,", "K,,SLCN"), "secondary need needs a primary need"),
        (GOOD.replace("SLCN,", "SLCN,SLCN"), "must differ from the primary need"),
        (GOOD + ",extra", "cells but the header names"),
    ],
)
def test_every_rejection_says_why_and_saves_nothing(vault: Vault, line: str, reason: str) -> None:
    events = audit_count(vault)
    result = import_bytes(vault, csv_bytes(line))
    [fate] = result.fates
    assert fate.fate is Fate.REJECTED and fate.row == 2
    assert reason in fate.reason
    assert all_pupils(vault) == {} and audit_count(vault) == events


def test_sex_that_the_census_does_not_record_is_rejected(vault: Vault) -> None:
    data = csv_bytes(f"{UPN1},Smith,Ann,X", header="UPN,Surname,Forename,Sex")
    [fate] = import_bytes(vault, data).fates
    assert fate.fate is Fate.REJECTED and "not a sex the census records" in fate.reason


def test_a_upn_twice_in_one_file_imports_the_first_only(vault: Vault) -> None:
    result = import_bytes(vault, csv_bytes(GOOD, GOOD.replace("Smith", "Smyth")))
    assert [f.fate for f in result.fates] == [Fate.NEW, Fate.REJECTED]
    assert "same UPN is on row 2" in result.fates[1].reason
    assert all_pupils(vault)[UPN1].legal_surname == "Smith"


def test_an_archived_pupils_upn_is_rejected(vault: Vault) -> None:
    saved = pupils.create(vault.sessions, PupilDetails("Smith", "Ann", upn=UPN1), TODAY)
    pupils.archive(vault.sessions, saved.pupil_id, TODAY)
    [fate] = import_bytes(vault, csv_bytes(GOOD)).fates
    assert fate.fate is Fate.REJECTED and "archived pupil" in fate.reason


def test_warnings_do_not_reject(vault: Vault) -> None:
    [fate] = import_bytes(vault, csv_bytes(GOOD.replace("Year 2", "Year 4"))).fates
    assert fate.fate is Fate.NEW and "would usually be in Year 3, not Year 4" in fate.explanation()


def test_a_reimport_changes_nothing(vault: Vault) -> None:
    data = (SAMPLES / "pupils_semicolon.csv").read_bytes()
    import_bytes(vault, data)
    before = {u: (p.updated_at, PupilDetails.of(p)) for u, p in all_pupils(vault).items()}
    events = audit_count(vault)
    again = import_bytes(vault, data)
    assert again.totals == importers.Totals(new=0, updated=0, unchanged=5, rejected=1)
    after = {u: (p.updated_at, PupilDetails.of(p)) for u, p in all_pupils(vault).items()}
    assert after == before and audit_count(vault) == events


def test_the_summer_rollover_updates_year_groups_and_classes_only(vault: Vault) -> None:
    july = csv_bytes(
        f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,K,SLCN,",
        f"{UPN2},Jones,Bob,10/10/2018,Year 2,2B,N,,",
        f"{UPN3},Patel,Ravi,05/05/2015,Year 6,6R,E,ASD,SEMH",
    )
    import_bytes(vault, july, dt.date(2026, 7, 1))
    ann_id = pupils.find_by_upn(vault.sessions, UPN1)
    kept = pupils.details(vault.sessions, ann_id)
    kept.strengths, kept.preferred_forename = "Loves stories", "Annie"
    pupils.update(vault.sessions, ann_id, kept, dt.date(2026, 7, 1))

    september = csv_bytes(
        f"{UPN1},Smith,Ann,01/03/2019,Year 3,3K,K,SLCN,",
        f"{UPN2},Jones,Bob,10/10/2018,Year 3,3P,N,,",
        f"{UPN3},Patel,Ravi,05/05/2015,Year 6,6R,E,ASD,SEMH",
    )
    preview = fates_of(vault, september)
    assert [f.fate for f in preview] == [Fate.UPDATE, Fate.UPDATE, Fate.UNCHANGED]
    assert preview[0].changes == ("year_group", "class_name")
    assert preview[0].explanation() == "Year group: Year 2 → Year 3; Class: 2B → 3K"
    result = import_bytes(vault, september)
    assert result.totals == importers.Totals(new=0, updated=2, unchanged=1, rejected=0)
    ann = all_pupils(vault)[UPN1]
    assert (ann.year_group, ann.class_name) == (3, "3K")
    assert (ann.strengths, ann.preferred_forename) == ("Loves stories", "Annie")  # kept
    assert result.fates[0].pupil_id == ann_id


def test_sen_status_and_needs_change_together(vault: Vault) -> None:
    import_bytes(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,E,ASD,SEMH"))
    result = import_bytes(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,K,SLCN,"))
    assert result.fates[0].changes == ("sen_status", "primary_need", "secondary_need")
    ann = all_pupils(vault)[UPN1]
    assert (ann.sen_status, ann.primary_need, ann.secondary_need) == ("K", "SLCN", None)
    # A row that says nothing about SEN leaves it alone.
    import_bytes(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,,,"))
    assert all_pupils(vault)[UPN1].sen_status == "K"


def test_one_audit_event_per_import_without_names(vault: Vault) -> None:
    events = audit_count(vault)
    import_bytes(vault, (SAMPLES / "pupils_semicolon.csv").read_bytes())
    assert audit_count(vault) == events + 1
    with vault.sessions() as session:
        event = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
    assert event is not None
    assert event.action == "pupils.imported" and event.pupil_uuid is None
    assert (
        event.summary
        == "Pupils imported from a CSV file: 5 new, 0 updated, 0 unchanged, 1 rejected"
    )
    for name in ("Adeyemi", "Walsh", "Price", "B919345618500"):
        assert name not in event.summary


def test_an_import_that_fails_part_way_saves_nothing(vault: Vault) -> None:
    import_bytes(vault, csv_bytes(f"{UPN3},Patel,Ravi,05/05/2015,Year 5,5R,,,"))
    before, events = all_pupils(vault), audit_count(vault)
    source = importers.read(
        csv_bytes(GOOD, GOOD.replace(UPN1, UPN2), f"{UPN3},Patel,Ravi,05/05/2015,Year 6,6R,,,")
    )
    parsed = importers.interpret(source, source.guess_mapping())
    seen: list[tuple[int, int]] = []

    def fail_on_third(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 3:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        imports.apply(vault.sessions, parsed, "CSV", TODAY, progress=fail_on_third)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    after = all_pupils(vault)
    assert after.keys() == before.keys() and after[UPN3].year_group == 5
    assert audit_count(vault) == events


def test_rejected_rows_are_saved_to_fix_and_reimport(vault: Vault, tmp_path: Path) -> None:
    data = csv_bytes(GOOD, "=HYPERLINK(1),Evil,Eve,01/03/2019,Year 2,2B,K,SLCN,")
    source = importers.read(data)
    result = imports.apply(
        vault.sessions, importers.interpret(source, source.guess_mapping()), "CSV", TODAY
    )
    events = audit_count(vault)
    out = tmp_path / "rejected.csv"
    assert imports.save_rejected(vault.sessions, out, source, result.fates, overwrite=False) == 1
    assert audit_count(vault) == events + 1  # the plain copy of a pupil's details is audited
    saved = out.read_bytes()
    assert saved == importers.rejected_csv(source, result.fates)
    assert saved.startswith(b"\xef\xbb\xbf")
    lines = saved.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER + ",Problem"
    assert lines[1].startswith("'=HYPERLINK(1),Evil,Eve,")  # a spreadsheet will not run it
    assert "row 3: UPN:" in lines[1] and len(lines) == 2
    fixed = saved.decode("utf-8-sig").replace("'=HYPERLINK(1)", UPN2).encode("utf-8-sig")
    again = import_bytes(vault, fixed)
    assert again.totals.new == 1 and all_pupils(vault)[UPN2].legal_surname == "Evil"


def test_rejected_ctf_pupils_are_saved_as_an_importable_csv(vault: Vault) -> None:
    data = (SAMPLES / "transfer.ctf.xml").read_bytes().replace(b"2019-05-30", b"2019-02-30")
    source = importers.read(data)
    result = imports.apply(
        vault.sessions, importers.interpret(source, source.guess_mapping()), "CTF", TODAY
    )
    assert result.fates[2].fate is Fate.REJECTED
    fixed = importers.rejected_csv(source, result.fates).replace(b"2019-02-30", b"2019-05-30")
    again = import_bytes(vault, fixed)
    assert again.totals.new == 1 and all_pupils(vault)["Q919345619008"].year_group == 2


# --- CTF safety and shape -------------------------------------------------------------------


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE CTfile [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<CTfile><CTFpupilData><Pupil><UPN>&g;</UPN></Pupil></CTFpupilData></CTfile>
"""


def test_an_xml_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_bytes(BOMB)
    started = time.perf_counter()
    with pytest.raises(SourceProblem, match="document type"):
        importers.load(path)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE CTfile SYSTEM "file:///etc/passwd"><CTfile/>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "http://example.com/x">]>'
        b"<CTfile>&e;</CTfile>",
    ],
)
def test_external_entities_are_refused(data: bytes) -> None:
    with pytest.raises(SourceProblem, match="document type"):
        importers.read(data)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as f:
        f.write(b"<CTfile>")
        f.truncate(importers.MAX_SOURCE_BYTES + 1)  # sparse: no time or disk spent
    started = time.perf_counter()
    with pytest.raises(SourceProblem, match="up to 64 MB"):
        importers.load(path)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<Pupils><Pupil/></Pupils>", "not a Common Transfer File"),
        (b"<CTfile><CTFpupilData><Pupil><UPN>A</UPN>", "not well-formed XML"),
        (b"<CTfile></CTfile2>", "not well-formed XML"),
        (b'<?xml version="1.0" encoding="klingon"?><CTfile/>', "XML"),
    ],
)
def test_malformed_ctfs_say_why(data: bytes, words: str) -> None:
    with pytest.raises(SourceProblem, match=words):
        importers.read(data)


def test_a_ctf_with_a_namespace_and_sen_history(vault: Vault) -> None:
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<CTfile xmlns="http://www.example.gov.uk/ctf"><Header/><CTFpupilData><Pupil>
  <UPN>{UPN1}</UPN><Surname>Smith</Surname><Forename>Ann</Forename><DOB>2019-03-01</DOB>
  <BasicDetails><NCyearActual>R</NCyearActual></BasicDetails>
  <SENhistory>
    <SEN><StartDate>2024-01-10</StartDate><SENprovision>K</SENprovision></SEN>
    <SEN><StartDate>2025-06-01</StartDate><SENprovision>E</SENprovision></SEN>
    <SENneeds>
      <SENneed><SENtypeRank>2</SENtypeRank><SENtype>SEMH</SENtype></SENneed>
      <SENneed><SENtypeRank>1</SENtypeRank><SENtype>ASD</SENtype></SENneed>
    </SENneeds>
  </SENhistory>
</Pupil></CTFpupilData></CTfile>""".encode()
    result = import_bytes(vault, data)
    assert result.totals.new == 1
    ann = all_pupils(vault)[UPN1]
    assert (ann.sen_status, ann.primary_need, ann.secondary_need) == ("E", "ASD", "SEMH")
    assert ann.ehc_plan_since == dt.date(2025, 6, 1) and ann.year_group == 0


def test_an_empty_ctf_has_no_rows() -> None:
    source = importers.read(b"<CTfile><Header/><CTFpupilData/></CTfile>")
    assert source.rows == []


def test_a_ctf_from_this_school_year_keeps_its_year_groups(vault: Vault) -> None:
    source = importers.load(SAMPLES / "transfer.ctf.xml")
    assert source.made_on == dt.date(2026, 7, 20) and "20/07/2026" in source.description
    rows = importers.interpret(source, source.guess_mapping())
    fates = imports.preview(vault.sessions, rows, dt.date(2026, 7, 21))
    assert not any("school year" in " ".join(f.warnings) for f in fates)


def test_a_utf32_file_is_read_as_utf32() -> None:
    text = "UPN,Surname,Forename\r\nA,Novák,Tomáš\r\n"
    for encoding in ("utf-32", "utf-32-be"):
        data = text.encode(encoding)
        if encoding == "utf-32-be":
            data = codecs.BOM_UTF32_BE + data
        assert importers.csv.decode(data) == (text, "UTF-32")
