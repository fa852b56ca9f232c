"""No plaintext copy of the records ever reaches the disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sendesk import demo
from sendesk.cli import main
from sendesk.services import pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE

SCHOOL = "Quillfeather Lane Primary"
SURNAME = "Zyxwarbleton"
FORENAME = "Siobhán"


def encodings(text: str) -> list[bytes]:
    return [text.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]


def leaks(folder: Path, *secrets: str) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                if any(needle in data for needle in encodings(secret)):
                    found.append(f"{path.name} holds {secret!r}")
    return found


def test_nothing_readable_after_init_demo_edits_passwd_and_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    path = folder / "school.sendesk"
    Vault.create(path, PASSPHRASE, SCHOOL).close()
    with Vault.open(path, PASSPHRASE) as v:
        saved = pupils.create(v.sessions, PupilDetails(SURNAME, FORENAME, sen_status="K"))
        details = pupils.details(v.sessions, saved.pupil_id)
        details.strengths = f"{FORENAME} {SURNAME} loves drawing"
        pupils.update(v.sessions, saved.pupil_id, details)
        pupils.archive(v.sessions, saved.pupil_id, dt.date.today())
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", OTHER_PASSPHRASE)
    assert main(["passwd", str(path)]) == 0  # leaves a backup beside the file

    demo_path = folder / "demo.sendesk"
    demo.build(demo_path, PASSPHRASE, 30, seed=5).close()
    with Vault.open(demo_path, PASSPHRASE) as v:
        demo_names = [(r.surname, r.forename) for r in pupils.list_register(v.sessions)]
        demo_school = v.meta().school_name

    files = sorted(p.name for p in folder.rglob("*") if p.is_file())
    assert len(files) == 3  # the two files and one backup: no journal, no temporary file
    for p in folder.rglob("*.sendesk"):
        assert not p.read_bytes().startswith(b"SQLite format 3")
    assert leaks(folder, SCHOOL, SURNAME, FORENAME, demo_school.split(" (")[0]) == []
    assert leaks(folder, PASSPHRASE, OTHER_PASSPHRASE) == []
    with Vault.open(path, OTHER_PASSPHRASE) as v:
        key_hex = v._key.key.hex()
    assert leaks(folder, key_hex, key_hex.upper()) == []
    assert leaks(folder, *(n for pair in demo_names for n in pair if len(n) > 4)) == []


def test_the_check_can_see_plaintext(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text(f"{SURNAME}", encoding="utf-16")
    assert leaks(tmp_path, SURNAME) == [f"notes.txt holds {SURNAME!r}"]
