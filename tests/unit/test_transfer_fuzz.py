"""Crafted transfer files: each is refused with a sentence about a transfer file (exit 2 or 4).

A transfer file arrives from outside the school, so whoever knows its passphrase can make one with
any SQLCipher tool. None of these may reach "something unexpected went wrong", speak of restoring
a backup, or change the receiving file.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sendesk import cipher, seal
from sendesk.cipher import Connection
from sendesk.services import transfer
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE

TRANSFER = "seventeen blue kites over Harrogate"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("made")
    school = shutil.copyfile(demo_template, folder / "school.sendesk")
    with Vault.open(school, PASSPHRASE) as vault, vault.sessions() as session:
        from sqlalchemy import select

        from sendesk.models import Pupil

        pupil_id = session.execute(select(Pupil.id).limit(1)).scalar_one()
    with Vault.open(school, PASSPHRASE) as vault:
        return transfer.make_transfer_file(
            vault, pupil_id, folder / "move.sendesk", TRANSFER, evidence_pack=False
        ).path


Craft = Callable[[Connection], None]


def sql(*statements: str) -> Craft:
    def craft(conn: Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return craft


CRAFTS: dict[str, Craft] = {
    "description not JSON": sql(
        f"UPDATE app_setting SET value_json = '{{not json' WHERE key = '{transfer.MARKER_KEY}'"
    ),
    "description a list": sql(
        f"UPDATE app_setting SET value_json = '[1, 2]' WHERE key = '{transfer.MARKER_KEY}'"
    ),
    "description of another pupil": sql(
        "UPDATE app_setting SET value_json = "
        '\'{"kind": "pupil transfer", "pupil_uuid": "someone else"}\' '
        f"WHERE key = '{transfer.MARKER_KEY}'"
    ),
    "no description": sql(f"DELETE FROM app_setting WHERE key = '{transfer.MARKER_KEY}'"),
    "a date that is not one": sql("UPDATE pupil SET date_of_birth = 'the fifth of never'"),
    "a time that is not one": sql("UPDATE pupil SET created_at = 'yesterday-ish'"),
    "a number that is text": sql("UPDATE pupil SET year_group = 'seven'"),
    "a stage that does not exist": sql("UPDATE cycle SET stage = 'Zzz'"),
    "two pupils": sql(
        "INSERT INTO pupil (uuid, legal_surname, legal_forename, sen_status, search_text, "
        "created_at, updated_at) SELECT uuid || 'x', legal_surname, legal_forename, sen_status, "
        "search_text, created_at, updated_at FROM pupil"
    ),
    "a table gone": sql("PRAGMA foreign_keys = OFF", "DROP TABLE cycle"),
    "no identity": sql("DELETE FROM meta"),
    "a newer schema": sql("UPDATE alembic_version SET version_num = 'ffff-future'"),
    "an unknown schema row": sql("DELETE FROM alembic_version"),
    "escape sequences in the school": sql(
        "UPDATE app_setting SET value_json = json_set(value_json, '$.from_school', "
        f"char(27) || '[2J') WHERE key = '{transfer.MARKER_KEY}'"
    ),
    "a link to nowhere": sql(
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO cycle (pupil_id, number, stage, opened_on, previous_cycle_id) "
        "SELECT pupil_id, 99, stage, opened_on, 999999 FROM cycle LIMIT 1",
    ),
}


def crafted(made: Path, folder: Path, name: str, craft: Craft) -> Path:
    path = folder / f"{name.replace(' ', '-')}.sendesk"
    shutil.copyfile(made, path)
    key = cipher.RawKey.derive(TRANSFER, cipher.read_salt(path))
    conn = cipher.connect(path, key)
    try:
        seal.clear(conn)  # as a crafter would: SQLite's header is documented
        conn.execute("PRAGMA ignore_check_constraints = ON")  # a crafter need not keep them
        craft(conn)
    finally:
        conn.close()
    return path


def assert_refused_about_a_transfer(code: int, err: str) -> None:
    assert code in (2, 4), err
    assert "transfer file" in err, err
    assert "unexpected" not in err and "Traceback" not in err, err
    assert "backup" not in err, err  # not the words for restoring a backup
    assert "\x1b" not in err


@pytest.mark.parametrize("name", sorted(CRAFTS))
def test_a_crafted_transfer_file_is_refused_with_a_sentence(
    name: str,
    made: Path,
    record_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = crafted(made, tmp_path, name, CRAFTS[name])
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SENDESK_TRANSFER_PASSPHRASE", TRANSFER)
    before = record_file.read_bytes()
    code, _, err = run(capsys, "receive", str(record_file), str(path))
    if code == 0:
        # Harmless once read (a school name is only ever printed cleaned): nothing odd shown.
        assert "\x1b" not in err
        return
    assert_refused_about_a_transfer(code, err)
    assert record_file.read_bytes() == before


def test_flipped_bytes_anywhere_are_a_sentence_about_the_transfer_file(
    made: Path,
    record_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SENDESK_TRANSFER_PASSPHRASE", TRANSFER)
    data = made.read_bytes()
    rng = random.Random(15)
    path = tmp_path / "flipped.sendesk"
    for _ in range(12):
        flipped = bytearray(data)
        flipped[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(flipped))
        code, _, err = run(capsys, "receive", str(record_file), str(path))
        assert code in (2, 3, 4), err  # 3: page 1 will not decrypt, as with a wrong passphrase
        assert "transfer" in err and "unexpected" not in err and "backup" not in err, err
    path.write_bytes(data[: len(data) // 2 + 100])  # cut short
    code, _, err = run(capsys, "receive", str(record_file), str(path))
    assert code == 4 and "transfer file" in err and "backup" not in err, err
