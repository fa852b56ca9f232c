"""Drafts belong to the login that typed them: two SENCos on one server, the same pupil and
stage, each resumes only their own unsaved typing, and PostgreSQL refuses the rest."""

from __future__ import annotations

import psycopg
import pytest

from sendesk import schema
from sendesk.server import admin
from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase
from sendesk.services import cycles
from tests.server.conftest import STAFF_PASSWORD, PrivateServer


def _as(address: ServerAddress, login: str) -> ServerDatabase:
    return ServerDatabase.connect(address.with_login(login), STAFF_PASSWORD)


@pytest.fixture
def two_sencos(demo_server: ServerAddress, test_server: PrivateServer) -> int:
    for login in ("j.smith", "k.brown"):
        admin.add_user(demo_server, None, login, "senco", STAFF_PASSWORD)
        test_server.logins.append(login)
    with test_server.psql(demo_server.database) as conn:
        row = conn.execute("SELECT min(id) FROM pupil WHERE archived_on IS NULL").fetchone()
    assert row is not None
    return int(row[0])


def test_each_login_resumes_only_its_own_draft(
    demo_server: ServerAddress, test_server: PrivateServer, two_sencos: int
) -> None:
    pupil = two_sencos
    with _as(demo_server, "j.smith") as smith, _as(demo_server, "k.brown") as brown:
        cycles.save_draft(smith.sessions, pupil, "assess", 2, {"concern": "Smith's typing"})
        assert cycles.load_draft(brown.sessions, pupil, "assess") is None

        cycles.save_draft(brown.sessions, pupil, "assess", 1, {"concern": "Brown's typing"})
        assert cycles.load_draft(smith.sessions, pupil, "assess") == (
            2,
            {"concern": "Smith's typing"},
        )
        assert cycles.load_draft(brown.sessions, pupil, "assess") == (
            1,
            {"concern": "Brown's typing"},
        )

        # Discarding (or finishing) one's wizard leaves the colleague's draft alone.
        cycles.discard_draft(brown.sessions, pupil, "assess")
        assert cycles.load_draft(brown.sessions, pupil, "assess") is None
        assert cycles.load_draft(smith.sessions, pupil, "assess") is not None

    with test_server.psql(demo_server.database) as conn:
        owners = conn.execute("SELECT owner FROM wizard_draft").fetchall()
    assert owners == [("j.smith",)]
    # The administrator (who owns the database) has no drafts of its own either.
    with ServerDatabase.connect(demo_server, test_server.password) as admin_db:
        assert cycles.load_draft(admin_db.sessions, pupil, "assess") is None


def test_the_database_refuses_another_logins_draft_whatever_the_client_sends(
    demo_server: ServerAddress, test_server: PrivateServer, two_sencos: int
) -> None:
    pupil = two_sencos
    with _as(demo_server, "j.smith") as smith:
        cycles.save_draft(smith.sessions, pupil, "plan", 0, {"secret": "half-typed"})
    with test_server.psql(demo_server.database, "k.brown") as conn:
        assert conn.execute("SELECT count(*) FROM wizard_draft").fetchone() == (0,)
        conn.execute("UPDATE wizard_draft SET data_json = '{}'")  # touches no row it cannot see
        conn.execute("DELETE FROM wizard_draft")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO wizard_draft (pupil_id, stage, page, data_json, updated_at, owner) "
                "VALUES (%s, 'plan', 0, '{}', now(), 'j.smith')",
                (pupil,),
            )
    with _as(demo_server, "j.smith") as smith:
        assert cycles.load_draft(smith.sessions, pupil, "plan") == (0, {"secret": "half-typed"})


def test_a_server_at_0010_keeps_its_drafts_through_the_upgrade(
    school_server: ServerAddress, test_server: PrivateServer
) -> None:
    with ServerDatabase.connect(school_server) as db, db.engine.begin() as conn:
        schema.downgrade(conn, "0010")
    with test_server.psql(school_server.database) as conn:
        conn.execute(
            "INSERT INTO pupil (id, uuid, legal_surname, legal_forename, sen_status, search_text, "
            "created_at, updated_at) VALUES (1, 'u-1', 'Smith', 'Jayden', 'K', 'smith jayden', "
            "now(), now())"
        )
        conn.execute(
            "INSERT INTO wizard_draft (pupil_id, stage, page, data_json, updated_at) "
            "VALUES (1, 'assess', 3, '{\"concern\": \"kept\"}', now())"
        )
    admin.upgrade(school_server, None)
    with test_server.psql(school_server.database) as conn:
        rows = conn.execute("SELECT pupil_id, stage, page, data_json, owner FROM wizard_draft")
        assert rows.fetchall() == [(1, "assess", 3, '{"concern": "kept"}', "")]
