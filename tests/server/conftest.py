"""A fresh database per test on the private PostgreSQL server that `./dev test` starts.

`./dev test` exports SENDESK_TEST_PG_URL (the administrator's address, no password) and
SENDESK_TEST_PG_PASSWORD. Without them these tests fail with a message saying so: they are never
skipped, because a skipped server test would hide a broken back end.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from sendesk.server import access, admin
from sendesk.server.address import ServerAddress
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE, SCHOOL

STAFF_PASSWORD = "a staff password for tests"


@dataclass
class PrivateServer:
    admin_url: str
    password: str
    logins: list[str] = field(default_factory=list)

    def address(self, database: str, login: str | None = None) -> ServerAddress:
        address = ServerAddress.parse(self.admin_url).with_database(database)
        return address.with_login(login) if login else address

    def psql(self, database: str = "postgres", login: str | None = None) -> psycopg.Connection:
        """A plain psycopg connection, autocommit, as the administrator or a staff login."""
        address = self.address(database, login)
        return psycopg.connect(
            host=address.url.host,
            port=address.url.port,
            dbname=database,
            user=address.login,
            password=STAFF_PASSWORD if login else self.password,
            autocommit=True,
        )


@pytest.fixture(scope="session")
def test_server() -> PrivateServer:
    url = os.environ.get("SENDESK_TEST_PG_URL")
    password = os.environ.get("SENDESK_TEST_PG_PASSWORD")
    if not url or not password:
        pytest.fail(
            "The server tests need the private PostgreSQL server that ./dev test starts "
            "(SENDESK_TEST_PG_URL and SENDESK_TEST_PG_PASSWORD are not set). Run ./dev test."
        )
    return PrivateServer(url, password)


@contextlib.contextmanager
def fresh_database(
    test_server: PrivateServer, icu_locale: str | None = None
) -> Iterator[ServerAddress]:
    """An empty database of its own, dropped with its roles and logins afterwards."""
    name = f"sendesk_test_{secrets.token_hex(4)}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGPASSWORD", test_server.password)
        with test_server.psql() as conn:
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if icu_locale:
                create += sql.SQL(
                    " LOCALE_PROVIDER icu ICU_LOCALE {} LOCALE 'C.UTF-8' TEMPLATE template0"
                ).format(sql.Literal(icu_locale))
            conn.execute(create)
        before = set(test_server.logins)
        try:
            yield test_server.address(name)
        finally:
            with test_server.psql() as conn:
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                for role in [*access.role_names(name).values(), *set(test_server.logins) - before]:
                    conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
            test_server.logins[:] = list(before)


@pytest.fixture
def server_database(test_server: PrivateServer) -> Iterator[ServerAddress]:
    with fresh_database(test_server) as address:
        yield address


@pytest.fixture
def school_server(server_database: ServerAddress) -> ServerAddress:
    """A server database set up with `sendesk server init`."""
    admin.init(server_database, None, SCHOOL)
    return server_database


def import_demo(address: ServerAddress, demo_template: Path, folder: Path) -> None:
    copy = folder / "demo.sendesk"
    copy.write_bytes(demo_template.read_bytes())
    with Vault.open(copy, PASSPHRASE) as vault:
        admin.import_file(vault, address, None)


@pytest.fixture
def demo_server(
    server_database: ServerAddress, demo_template: Path, tmp_path: Path
) -> ServerAddress:
    """The small demo school, imported from a record file."""
    import_demo(server_database, demo_template, tmp_path)
    return server_database
