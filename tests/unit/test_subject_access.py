"""Subject access: every row linked to the pupil, found from the metadata, and the attachments."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Text, func, select, text

from sendesk.cli import main
from sendesk.errors import FileProblem
from sendesk.models import AuditEvent, Base, Cycle, Pupil
from sendesk.services import attachments, subject_access
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE

# Tables that hold nothing about any one pupil. A new table must either link to the pupil (and
# is then exported) or be added here on purpose.
NOT_ABOUT_A_PUPIL = {
    "meta",
    "school_settings",
    "app_setting",
    "term",
    "staff",
    "import_batch",
    "assessment_measure",
    "measure_expectation",  # what the school expects at each year group, of any pupil
}


def pupil_with_history(vault: Vault) -> int:
    with vault.sessions() as session:
        return int(
            session.execute(
                select(Cycle.pupil_id).group_by(Cycle.pupil_id).order_by(func.count().desc())
            )
            .scalars()
            .first()
        )


def test_every_table_is_either_exported_or_declared_not_about_a_pupil() -> None:
    exported = {t.name for t in subject_access.linked_tables()}
    exported |= {t.name for t in subject_access.tables_naming_a_pupil()}
    assert exported | NOT_ABOUT_A_PUPIL == set(Base.metadata.tables)
    assert not exported & NOT_ABOUT_A_PUPIL
    assert {"contact", "note", "cycle", "outcome", "provision_session", "audit_event"} <= exported


def test_a_new_table_cannot_be_forgotten(demo_vault: Vault, tmp_path: Path) -> None:
    """A table added later, linked through a cycle, is exported without any change here."""
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table(
        "cycle_photo",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("cycle_id", ForeignKey("cycle.id")),
        Column("caption", Text),
    )
    pupil_id = pupil_with_history(demo_vault)
    with demo_vault.session() as session:
        session.execute(
            text("CREATE TABLE cycle_photo (id INTEGER PRIMARY KEY, cycle_id INT, caption TEXT)")
        )
        cycle_id = (
            session.execute(select(Cycle.id).where(Cycle.pupil_id == pupil_id)).scalars().first()
        )
        session.execute(
            text("INSERT INTO cycle_photo VALUES (1, :c, 'Reading corner')"), {"c": cycle_id}
        )
        session.execute(text("INSERT INTO cycle_photo VALUES (2, -5, 'Someone else')"))
    assert "cycle_photo" in {t.name for t in subject_access.linked_tables(metadata)}
    made = subject_access.write_zip(demo_vault.sessions, pupil_id, tmp_path / "sar.zip", metadata)
    with zipfile.ZipFile(made.path) as archive:
        tables = json.loads(archive.read("records.json"))["tables"]
    assert [r["caption"] for r in tables["cycle_photo"]] == ["Reading corner"]


def test_the_zip_holds_every_linked_row_and_the_attachments(
    demo_vault: Vault, tmp_path: Path
) -> None:
    pupil_id = pupil_with_history(demo_vault)
    attachments.add(demo_vault.sessions, pupil_id, "report ÉP.pdf", b"%PDF-1.4 report")
    with demo_vault.sessions() as session:
        uuid = session.get(Pupil, pupil_id).uuid  # type: ignore[union-attr]
        cycles = session.execute(select(func.count()).where(Cycle.pupil_id == pupil_id)).scalar()
    made = subject_access.write_zip(demo_vault.sessions, pupil_id, tmp_path / "sar.zip")
    with zipfile.ZipFile(made.path) as archive:
        names = archive.namelist()
        document = json.loads(archive.read("records.json"))
        pdf = archive.read("records.pdf")
        [attached] = [n for n in names if n.startswith("attachments/")]
        assert archive.read(attached) == b"%PDF-1.4 report"
    tables = document["tables"]
    assert [p["uuid"] for p in tables["pupil"]] == [uuid]
    assert len(tables["cycle"]) == cycles
    assert all(c["pupil_id"] == pupil_id for c in tables["cycle"] + tables["note"])
    cycle_ids = {c["id"] for c in tables["cycle"]}
    assert all(o["cycle_id"] in cycle_ids for o in tables["outcome"])
    assert tables["attachment"][0]["content"] == {"file": attached, "bytes": 15}
    assert all(e["pupil_uuid"] == uuid for e in tables["audit_event"])
    assert pdf.startswith(b"%PDF")
    assert made.attachments == 1
    with demo_vault.sessions() as session:  # the export itself is in the audit log
        last = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
        assert last is not None and last.action == "pupil.subject_access"
    with pytest.raises(FileProblem, match="already exists"):
        subject_access.write_zip(demo_vault.sessions, pupil_id, made.path)


def test_sar_command(
    demo_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    with Vault.open(demo_file, PASSPHRASE) as vault, vault.sessions() as session:
        upn = session.execute(select(Pupil.upn).where(Pupil.upn.is_not(None))).scalars().first()
    out = tmp_path / "sar.zip"
    assert main(["sar", str(demo_file), "--pupil", str(upn), "--out", str(out)]) == 0
    assert "NOT encrypted" in capsys.readouterr().err
    assert zipfile.is_zipfile(out)
    assert (
        main(["sar", str(demo_file), "--pupil", "A123456789012", "--out", str(tmp_path / "x.zip")])
        == 2
    )
