"""The same revisions on PostgreSQL: schema, append-only audit, and every table given a rule."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select

from sendesk import schema
from sendesk.errors import BadInput
from sendesk.models import AuditEvent, Base, Meta
from sendesk.server import access, admin
from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase
from tests.conftest import SCHOOL
from tests.server.conftest import PrivateServer


def test_init_makes_a_database_at_the_newest_revision(school_server: ServerAddress) -> None:
    with ServerDatabase.connect(school_server) as db:
        assert db.schema_revision() == schema.head_revision()
        assert db.meta().school_name == SCHOOL
        with db.sessions() as session:
            actions = session.execute(select(AuditEvent.action, AuditEvent.actor)).all()
        assert actions == [("server.created", "sendesk_admin")]


def test_init_refuses_a_database_that_is_not_empty(school_server: ServerAddress) -> None:
    with pytest.raises(BadInput, match="not empty"):
        admin.init(school_server, None, SCHOOL)


def test_connecting_to_an_empty_database_says_how_to_set_it_up(
    server_database: ServerAddress,
) -> None:
    with pytest.raises(BadInput, match="server init"):
        ServerDatabase.connect(server_database)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET summary = 'x'", "DELETE FROM audit_event", "TRUNCATE audit_event"],
)
def test_the_audit_log_refuses_change_even_from_the_administrator(
    school_server: ServerAddress, test_server: PrivateServer, statement: str
) -> None:
    with (
        test_server.psql(school_server.database) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
    ):
        conn.execute(statement)


def test_the_audit_log_names_the_login_whatever_the_client_says(
    school_server: ServerAddress, test_server: PrivateServer
) -> None:
    with test_server.psql(school_server.database) as conn:
        conn.execute(
            "INSERT INTO audit_event (at, action, summary, actor) "
            "VALUES (now(), 'x', 'forged', 'someone.else')"
        )
        actor = conn.execute("SELECT actor FROM audit_event WHERE summary = 'forged'").fetchone()
    assert actor == ("sendesk_admin",)


def test_every_table_has_an_access_rule() -> None:
    tables = set(Base.metadata.tables) | {"alembic_version"}
    assert tables == set(access.every_table())


def test_upgrade_is_idempotent_and_keeps_the_rules(
    school_server: ServerAddress, test_server: PrivateServer
) -> None:
    first = admin.upgrade(school_server, None)
    assert first.from_revision == first.to_revision == schema.head_revision()
    with test_server.psql(school_server.database) as conn:
        policies = conn.execute("SELECT count(*) FROM pg_policies").fetchone()
    admin.upgrade(school_server, None)
    with test_server.psql(school_server.database) as conn:
        assert conn.execute("SELECT count(*) FROM pg_policies").fetchone() == policies


def test_migrations_downgrade_cleanly_on_postgresql(
    school_server: ServerAddress, test_server: PrivateServer
) -> None:
    with ServerDatabase.connect(school_server) as db, db.engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP OWNED BY " + ", ".join(access.role_names(school_server.database).values())
        )
        schema.downgrade(conn, "base")
    with test_server.psql(school_server.database) as conn:
        left = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    assert left == [("alembic_version",)]


def test_a_password_in_the_address_is_refused() -> None:
    with pytest.raises(BadInput, match="must not contain the password"):
        ServerAddress.parse("postgresql://j.smith:secret@server/sendesk")


def test_the_meta_row_reads_back(school_server: ServerAddress) -> None:
    with ServerDatabase.connect(school_server) as db, db.sessions() as session:
        assert session.execute(select(Meta.school_name)).scalar_one() == SCHOOL
