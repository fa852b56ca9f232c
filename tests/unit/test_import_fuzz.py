"""Generated CSV and XML bytes: the importer raises only its own error and never half-imports."""

from __future__ import annotations

import datetime as dt
import os
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sendesk import importers, text
from sendesk.importers import SourceProblem
from sendesk.models import AuditEvent, Pupil
from sendesk.services import imports
from sendesk.upn import with_check_letter
from sendesk.vault import Vault

TODAY = dt.date(2026, 9, 10)
FUZZ = settings(
    max_examples=int(os.environ.get("SENDESK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

COLUMNS = ["UPN", "Surname", "Forename", "DOB", "NC Year", "Reg", "SEN Provision",
           "Primary Need", "Secondary Need", "Sex", "Notes"]  # fmt: skip
UPNS = [with_check_letter(f"9193456{n:05d}") for n in range(8)]
PLAUSIBLE = {
    "UPN": st.sampled_from([*UPNS, "", "A123", UPNS[0][1:] + "Q"]),
    "Surname": st.sampled_from(["Smith", "Ó Briain", "", "Nuñez", "a" * 120]),
    "Forename": st.sampled_from(["Ann", "Zoë", "", "José"]),
    "DOB": st.sampled_from(["01/03/2019", "2018-12-24", "31/02/2019", "", "2030-01-01", "x"]),
    "NC Year": st.sampled_from(["Year 2", "Y3", "R", "N1", "15", "", "X", "Year Ten"]),
    "Reg": st.sampled_from(["2B", "", "c" * 50]),
    "SEN Provision": st.sampled_from(["K", "SEN Support", "EHC Plan", "No SEN", "", "Q"]),
    "Primary Need": st.sampled_from(["SLCN", "ASD", "", "XYZ", "Autism"]),
    "Secondary Need": st.sampled_from(["SEMH", "", "SLCN", "ASD"]),
    "Sex": st.sampled_from(["M", "F", "", "X", "Girl"]),
}
cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


def counts(vault: Vault) -> tuple[int, int]:
    with vault.sessions() as session:
        pupils = session.execute(select(func.count()).select_from(Pupil)).scalar_one()
        events = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    return int(pupils), int(events)


def import_checked(vault: Vault, data: bytes) -> None:
    """Import `data`; only `SourceProblem` may escape, and the file changes all at once or not."""
    before_pupils, before_events = counts(vault)
    try:
        source = importers.read(data)
        parsed = importers.interpret(source, source.guess_mapping())
    except SourceProblem:
        assert counts(vault) == (before_pupils, before_events)
        return
    preview = imports.preview(vault.sessions, parsed, TODAY)
    result = imports.apply(vault.sessions, parsed, source.kind, TODAY)
    assert [f.fate for f in result.fates] == [f.fate for f in preview]
    assert len(result.fates) == len(source.rows)
    pupils, events = counts(vault)
    assert pupils == before_pupils + result.totals.new
    assert events == before_events + (1 if result.totals.to_save else 0)
    again = imports.preview(vault.sessions, parsed, TODAY)
    assert not any(f.accepted for f in again)  # an import is complete: nothing left to do
    with vault.sessions() as session:  # nothing hostile reached a name
        names = session.execute(select(Pupil.legal_surname, Pupil.legal_forename, Pupil.class_name))
        assert all(text.name_problem(n, "Name") is None for row in names for n in row)
    # Every other import is undone, leaving the file as it was (the rest build up a register,
    # so later examples update pupils too).
    if result.batch_id is not None and len(data) % 2:
        imports.undo(vault.sessions, result.batch_id)
        assert counts(vault) == (before_pupils, before_events + 2)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    columns = draw(st.permutations(COLUMNS))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    lines = [columns]
    for _ in range(draw(st.integers(0, 6))):
        row = [
            draw(PLAUSIBLE[c] if c in PLAUSIBLE and draw(st.booleans()) else cell) for c in columns
        ]
        lines.append(row)

    def quoted(value: str) -> str:
        if draw(st.booleans()) or any(ch in value for ch in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    text = draw(st.sampled_from(["\r\n", "\n"])).join(
        delimiter.join(quoted(v) for v in line) for line in lines
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):  # damage: cut, splice or flip bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at + draw(st.integers(0, 4)) :]
    return data


@FUZZ
@given(data=csv_files())
def test_generated_csv_files(vault: Vault, data: bytes) -> None:
    import_checked(vault, data)


@FUZZ
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(vault: Vault, data: bytes) -> None:
    import_checked(vault, data)


@st.composite
def ctf_files(draw: st.DrawFn) -> bytes:
    pupils = []
    for _ in range(draw(st.integers(0, 4))):

        def element(name: str, values: st.SearchStrategy[str]) -> str:
            if not draw(st.booleans()):
                return ""
            value = draw(values if draw(st.booleans()) else cell)
            return f"<{name}>{escape(value)}</{name}>"

        needs = "".join(
            f"<SENneed><SENtypeRank>{rank}</SENtypeRank>"
            + element("SENtype", PLAUSIBLE["Primary Need"])
            + "</SENneed>"
            for rank in draw(st.lists(st.sampled_from(["1", "2", "x", "99999"]), max_size=3))
        )
        pupils.append(
            "<Pupil>"
            + element("UPN", PLAUSIBLE["UPN"])
            + element("Surname", PLAUSIBLE["Surname"])
            + element("Forename", PLAUSIBLE["Forename"])
            + element("DOB", PLAUSIBLE["DOB"])
            + element(draw(st.sampled_from(["Sex", "Gender"])), PLAUSIBLE["Sex"])
            + "<BasicDetails>"
            + element("NCyearActual", PLAUSIBLE["NC Year"])
            + element("PreferredForename", PLAUSIBLE["Forename"])
            + "</BasicDetails><SENhistory><SEN>"
            + element("StartDate", PLAUSIBLE["DOB"])
            + element("SENprovision", PLAUSIBLE["SEN Provision"])
            + f"</SEN><SENneeds>{needs}</SENneeds></SENhistory></Pupil>"
        )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?><CTfile><Header><DocumentName>Common Transfer '
        f"File</DocumentName></Header><CTFpupilData>{''.join(pupils)}</CTFpupilData></CTfile>"
    )
    data = text.encode("utf-8")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        splice = draw(
            st.sampled_from([b"<!DOCTYPE x>", b"&e;", b"<!ENTITY e 'x'>", b"]]>", b"\xff", b"<"])
            | st.binary(max_size=6)
        )
        data = data[:at] + splice + data[at + draw(st.integers(0, 6)) :]
    return data


@FUZZ
@given(data=ctf_files())
def test_generated_ctf_files(vault: Vault, data: bytes) -> None:
    import_checked(vault, data)
