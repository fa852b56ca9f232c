"""Every file SENDesk saves is in the audit log, or it is not left on the disk (from the fault
trial: with the record file read-only, a subject access ZIP, the register CSV and a plan were
written, unrecorded, under "Nothing was changed")."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendesk.errors import FileProblem
from sendesk.models import AuditEvent
from sendesk.services import documents, subject_access
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from tests.unit.test_documents import planned_pupil


def _events(path: Path) -> int:
    with Vault.open(path, PASSPHRASE) as vault, vault.sessions() as session:
        return session.query(AuditEvent).count()


def test_a_file_whose_export_cannot_be_audited_is_taken_away_again(
    record_file: Path, tmp_path: Path
) -> None:
    with Vault.open(record_file, PASSPHRASE) as vault:
        pupil_id = planned_pupil(vault)
    before = _events(record_file)
    out = tmp_path / "out"
    out.mkdir()
    # Read-only, as the command line opens a file another copy of SENDesk is changing.
    with Vault.open(record_file, PASSPHRASE, read_only=True) as vault:
        exports = {
            "plan.pdf": lambda t: documents.export(
                vault.sessions, documents.support_plan_pdf(vault.sessions, pupil_id), t
            ),
            "register.csv": lambda t: documents.export(
                vault.sessions, documents.register_csv(vault.sessions), t
            ),
            "sar.zip": lambda t: subject_access.write_zip(vault.sessions, pupil_id, t),
        }
        for name, export in exports.items():
            with pytest.raises(FileProblem) as refused:
                export(out / name)
            said = refused.value.message
            assert "was not saved" in said and "audit log" in said, said
            assert "no unrecorded copy is on the disk" in said and "Nothing was changed" not in said
    assert sorted(p.name for p in out.iterdir()) == []  # nothing left, not even a temporary
    assert _events(record_file) == before
