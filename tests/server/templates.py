"""Template databases on the private test server, cloned per test (CREATE DATABASE … TEMPLATE)."""

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

from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase


@dataclass
class ServerTemplates:
    admin: ServerAddress
    password: str
    made: dict[str, str] = field(default_factory=dict)

    def psql(self) -> psycopg.Connection:
        url = self.admin.url
        return psycopg.connect(
            host=url.host,
            port=url.port,
            dbname="postgres",
            user=url.username,
            password=self.password,
            autocommit=True,
        )

    @contextlib.contextmanager
    def clone(self, kind: str) -> Iterator[ServerDatabase]:
        name = f"sendesk_t_{secrets.token_hex(5)}"
        with self.psql() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(self.made[kind])
                )
            )
        try:
            with ServerDatabase.connect(self.admin.with_database(name), self.password) as db:
                yield db
        finally:
            with self.psql() as conn:
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def server_templates(
    demo_template: Path, empty_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerTemplates]:
    from sendesk.server import access, admin
    from sendesk.vault import Vault
    from tests.conftest import PASSPHRASE

    url = os.environ.get("SENDESK_TEST_PG_URL")
    password = os.environ.get("SENDESK_TEST_PG_PASSWORD")
    if not url or not password:
        pytest.fail(
            "The server variants of the service tests need the private PostgreSQL server that "
            "./dev test starts (SENDESK_TEST_PG_URL is not set). Run ./dev test, or "
            "-m 'not server' to leave them out."
        )
    templates = ServerTemplates(ServerAddress.parse(url), password)
    suffix = secrets.token_hex(3)
    try:
        for kind, source in (("empty", empty_template), ("demo", demo_template)):
            name = f"sendesk_tpl_{kind}_{suffix}"
            with templates.psql() as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            templates.made[kind] = name
            folder = tmp_path_factory.mktemp(f"server-{kind}")
            copy = folder / "source.sendesk"
            copy.write_bytes(source.read_bytes())
            with Vault.open(copy, PASSPHRASE) as vault:
                admin.import_file(vault, templates.admin.with_database(name), password)
        yield templates
    finally:
        with templates.psql() as conn:
            for name in templates.made.values():
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
                for role in access.role_names(name).values():
                    conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
