"""A record file into a server and back out again, verified row for row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from sendesk.errors import BadInput, DamagedFile, FileProblem
from sendesk.models import Base, Pupil
from sendesk.server import admin, copy
from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase
from sendesk.services import pupils
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY, PASSPHRASE
from tests.server.conftest import PrivateServer, fresh_database

HANDOVER = "a different long handover passphrase"


def test_a_file_goes_to_the_server_and_comes_back_exactly(
    demo_file: Path, server_database: ServerAddress, tmp_path: Path
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault:
        copied = admin.import_file(vault, server_database, None)
    assert {c.table for c in copied} == set(Base.metadata.tables)
    out = tmp_path / "from-server.sendesk"
    admin.export_file(server_database, None, out, HANDOVER)
    with Vault.open(demo_file, PASSPHRASE) as original, Vault.open(out, HANDOVER) as back:
        assert back.verify() == []
        with original.engine.connect() as a, back.engine.connect() as b:
            audit_max = copy.max_id(a, Base.metadata.tables["audit_event"])
            assert copy.compare(a, b, audit_up_to=audit_max) == []
        # What a SENCo sees is the same, pupil for pupil and in the same order.
        assert pupils.list_register(original.sessions, None, True, DEMO_TODAY) == (
            pupils.list_register(back.sessions, None, True, DEMO_TODAY)
        )


def test_the_register_reads_the_same_from_the_server_as_from_the_file(
    demo_file: Path, demo_server: ServerAddress
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault, ServerDatabase.connect(demo_server) as db:
        assert pupils.list_register(vault.sessions, None, True, DEMO_TODAY) == (
            pupils.list_register(db.sessions, None, True, DEMO_TODAY)
        )
        assert pupils.list_register(vault.sessions, "zoe", False, DEMO_TODAY) == (
            pupils.list_register(db.sessions, "zoe", False, DEMO_TODAY)
        )


def test_new_rows_on_the_server_get_new_ids_after_an_import(demo_server: ServerAddress) -> None:
    with ServerDatabase.connect(demo_server) as db:
        with db.sessions() as session:
            largest = max(session.execute(select(Pupil.id)).scalars())
        saved = pupils.create(
            db.sessions,
            pupils.PupilDetails(legal_surname="Newcomer", legal_forename="Ada"),
            DEMO_TODAY,
        )
    assert saved.pupil_id > largest


def test_a_copy_that_differs_from_its_source_is_caught(
    demo_file: Path, demo_server: ServerAddress, test_server: PrivateServer
) -> None:
    with test_server.psql(demo_server.database) as conn:
        conn.execute("ALTER TABLE pupil DISABLE TRIGGER ALL")
        conn.execute(
            "UPDATE pupil SET medical_notes = 'changed' WHERE id = (SELECT min(id) FROM pupil)"
        )
    with (
        Vault.open(demo_file, PASSPHRASE) as vault,
        ServerDatabase.connect(demo_server) as db,
        vault.engine.connect() as a,
        db.engine.connect() as b,
    ):
        problems = copy.compare(a, b, audit_up_to=10**9)
    assert any(p.startswith("pupil:") for p in problems)
    with pytest.raises(DamagedFile, match="did not match"):
        copy.verified_or_raise(problems, "copy")


def test_import_refuses_a_server_database_that_is_not_empty(
    demo_file: Path, school_server: ServerAddress
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault, pytest.raises(BadInput, match="not empty"):
        admin.import_file(vault, school_server, None)
    with ServerDatabase.connect(school_server) as db, db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pupil")).scalar_one() == 0


def test_export_never_overwrites_and_leaves_nothing_behind(
    school_server: ServerAddress, tmp_path: Path
) -> None:
    existing = tmp_path / "existing.sendesk"
    existing.write_bytes(b"someone's file")
    with pytest.raises(FileProblem, match="already exists"):
        admin.export_file(school_server, None, existing, HANDOVER)
    assert existing.read_bytes() == b"someone's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.sendesk"]


def test_the_register_keeps_its_order_on_a_server_whose_locale_ignores_punctuation(
    tmp_path: Path, test_server: PrivateServer
) -> None:
    """glibc's en_GB (and ICU with ka-shifted) sort "O'Brien" among the "Ob…"s; SQLite does not."""
    path = tmp_path / "names.sendesk"
    names = ["O'Brien", "Oakes", "O Brien", "Obi", "Smith-Jones", "Smithe", "Smithj"]
    with Vault.create(path, PASSPHRASE, "Names School") as vault:
        for surname in names:
            pupils.create(
                vault.sessions,
                pupils.PupilDetails(legal_surname=surname, legal_forename="Sam"),
                DEMO_TODAY,
            )
        expected = [r.surname for r in pupils.list_register(vault.sessions, None, True, DEMO_TODAY)]
        with fresh_database(test_server, icu_locale="en-GB-u-ka-shifted") as address:
            admin.import_file(vault, address, test_server.password)
            with ServerDatabase.connect(address, test_server.password) as db:
                got = [r.surname for r in pupils.list_register(db.sessions, None, True, DEMO_TODAY)]
    assert got == expected
    assert expected.index("O Brien") < expected.index("Oakes")  # code points, not the locale
